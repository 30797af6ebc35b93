#!/bin/bash
# native-biosdisk.t — the BIOS test guest (testimages/biosdisk/biosdisk.asm)
# booted natively, without the stack, by a real BIOS: from its hard disk
# (build/testimages/biosdisk.hdd, drive 80h) and from its floppy
# (biosdisk.flp, drive 0), each under plain QEMU (SeaBIOS) and plain Bochs
# (rombios).  This pins down the reference for "a guest BIOS runs under the
# blob": the guest uses INT 10h/13h/15h/16h/1Ah, waits for timer ticks with
# HLT, and does the round-trip and big-real-mode scenarios.
#
# Asserts, for each of the four runs:
#   - the guest ended the run itself (the runners' success markers);
#   - every line it printed starts with "biosdisk: ", and none says FAIL;
#   - its compared lines (tests/lib/compared-lines.sh: without the
#     "biosdisk: info: " and "biosdisk: e820: " lines, whose values differ
#     between BIOSes) are exactly testimages/biosdisk.expected — so QEMU and
#     Bochs agree on them;
#   - every E820 entry line is "biosdisk: e820: BASE LENGTH TYPE" (16, 16 and
#     8 hex digits), as many as the guest counted;
#   - it booted from the drive it should (dl=80 for the disk, dl=00 for the
#     floppy), and from the hard disk both BIOSes offered the INT 13h
#     extensions, so the AH=42h reads really ran.
#
# Environment: RMT_BUILD = the build directory (default: build).
# Exit status: 0 pass, 1 fail, 77 skip (an emulator is missing and CI is not
# true; under CI a missing emulator is a failure).
set -eu
RMT_SCRIPT=native-biosdisk
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/common.sh"
. "$root/tests/lib/boot-compare.sh"
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac

expected=$root/testimages/biosdisk.expected
skip_unless_emulators
make_workdir native-biosdisk
[ -f "$expected" ] || die "missing $expected"
grep -q '^biosdisk: done: ' "$expected" || die "$expected has no 'biosdisk: done: ' line"

status=0
bad() {
	echo "$RMT_SCRIPT: $run: $*"
	status=1
}

for kind in hdd flp; do
	image=$build/testimages/biosdisk.$kind
	[ -f "$image" ] || die "missing $image (run: make testimages)"
	case $kind in
	hdd) drive=80 ;;
	flp) drive=00 ;;
	esac
	for emu in qemu bochs; do
		run=$emu-$kind
		e9=$WORK/$run.e9
		# A run takes about a second on either emulator (the guest waits
		# for 3 timer ticks, ~0.2 s); 60 s leaves room for a loaded
		# machine.  64 MiB for both kinds: the run-native-*.sh default for
		# disks (floppies default to 32), so all four runs see the same RAM.
		if ! RMT_MEGS=64 "$root/tests/boot/run-native-$emu.sh" "$image" "$e9" 60; then
			bad "the run did not end properly; the guest printed:"
			sed 's/^/  | /' "$e9"
			continue
		fi
		if grep -v -q '^biosdisk: ' "$e9"; then
			bad "lines without the 'biosdisk: ' prefix:"
			grep -v '^biosdisk: ' "$e9" | head -n 5 | sed 's/^/  | /'
		fi
		if grep -q '^biosdisk: FAIL' "$e9"; then
			bad "$(grep -m1 '^biosdisk: FAIL' "$e9")"
		fi
		"$root/tests/lib/compared-lines.sh" biosdisk "$e9" > "$WORK/$run.compared"
		if ! diff -u "$expected" "$WORK/$run.compared" > "$WORK/$run.diff"; then
			bad "compared lines differ from $(basename "$expected"):"
			cat "$WORK/$run.diff"
		fi
		n=$(grep -c '^biosdisk: e820: ' "$e9" || true)
		n_ok=$(grep -c -E '^biosdisk: e820: [0-9a-f]{16} [0-9a-f]{16} [0-9a-f]{8}$' "$e9" || true)
		counted=$(sed -n 's/^biosdisk: info: int15 e820: \([0-9a-f]*\) entries$/\1/p' "$e9")
		if [ "$n" -eq 0 ] || [ "$n" != "$n_ok" ] || [ -z "$counted" ] ||
		   [ "$((16#$counted))" != "$n" ]; then
			bad "e820 lines: $n printed, $n_ok well-formed, guest counted ${counted:-?} (hex)"
		fi
		grep -q "^biosdisk: info: boot drive dl=$drive," "$e9" ||
			bad "did not boot from drive $drive: $(grep '^biosdisk: info: boot drive' "$e9" || echo '(no boot drive line)')"
		if [ $kind = hdd ] &&
		   ! grep -q '^biosdisk: info: int13 ah=41h: extensions supported' "$e9"; then
			bad "the BIOS did not offer INT 13h extensions for the hard disk"
		fi
	done
done
[ $status -eq 0 ] &&
	echo "$RMT_SCRIPT: hdd and floppy, QEMU and Bochs: all print the $(wc -l < "$expected") expected lines"
exit $status

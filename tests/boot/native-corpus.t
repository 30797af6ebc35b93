#!/bin/bash
# native-corpus.t — the boot corpus (build/corpus/, `make corpus`,
# testimages/corpus/build.sh) booted natively, without the stack: the
# reference that runs under the stack will be compared with, and proof that
# every entry really boots as built.
#
# Each run is judged by its success marker (run-native-*.sh RMT_MARKER: the
# run stops as soon as the string shows, or fails at its timeout):
#   Linux entries   COM1 "rmtramp-corpus: init reached" (the initramfs's
#                   /init, testimages/corpus/init.c), and the serial log must
#                   also show "Linux version"; the entries that use the
#                   kernel's 16-bit boot protocol (ISOLINUX, SYSLINUX, GRUB
#                   linux16) must show the real-mode setup's "Probing EDD",
#                   GRUB `linux` (32-bit protocol: no real-mode setup) must
#                   not — so each entry boots the way it claims to.
#   memtest86+ floppy  COM1 "Memtest86+ v6" (its serial console)
#   memtest86+ ISO  screen "Memtest86+ v6" (VGA only; the screen is read
#                   through QEMU's monitor)
#   iPXE ISO        screen "No more network devices" (no NIC: see
#                   run-native-qemu.sh)
#
# Which runs: every entry under QEMU (about a minute in all), and the
# ISOLINUX Linux entry under Bochs (about 95 s: Bochs is ~30x slower on the
# kernel's decompressor).  RMT_CORPUS=full adds the other Bochs runs (GRUB
# linux16 and linux, SYSLINUX hard disk, memtest86+ floppy: ~6 more minutes,
# so under tests/check.sh also raise RMT_TEST_TIMEOUT, e.g. to 1800); the
# screen-only entries are QEMU-only (no screen capture under Bochs).
# Logs (serial, screen) are kept in $RMT_BUILD/test-out/native-corpus/.
#
# Environment: RMT_BUILD (default build), RMT_CORPUS=full.
# Exit status: 0 pass, 1 fail, 77 skip (an emulator or the corpus is missing
# and CI is not true; under CI that is a failure).
set -eu
RMT_SCRIPT=native-corpus
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/common.sh"
. "$root/tests/lib/boot-compare.sh"
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
corpus=$build/corpus
out=$build/test-out/native-corpus

skip_unless_emulators
for f in linux-isolinux.iso linux-grub.iso linux16-grub.iso linux-syslinux.hdd \
	 memtest86+-syslinux.flp memtest86+.iso ipxe.iso; do
	if [ ! -f "$corpus/$f" ]; then
		[ "${CI:-}" = true ] && die "missing $corpus/$f (run: make corpus)"
		echo "$RMT_SCRIPT: skipped: missing $corpus/$f (run: make corpus)"
		exit 77
	fi
done
rm -rf "$out"
mkdir -p "$out"

# 512 MiB for every run, as in the corpus baselines: the runners' default
# for a hard disk (64 MiB) is too little for Debian's kernel (SYSLINUX says
# "Booting kernel failed: Invalid argument").
export RMT_MEGS=512
. "$root/tests/lib/corpus-markers.sh"
status=0
times=

# run EMU ENTRY KIND(serial|screen) MARKER TIMEOUT [CHECK...]
# CHECK is "+STRING" (the serial log must contain it) or "-STRING" (must not).
run() {
	local emu=$1 entry=$2 kind=$3 marker=$4 limit=$5 log err c t
	shift 5
	log=$out/$emu-$entry.$kind
	err=$out/$emu-$entry.err
	if [ "$kind" = screen ]; then
		RMT_MARKER=$marker RMT_SCREEN=$log \
			"$root/tests/boot/run-native-$emu.sh" "$corpus/$entry" "$out/$emu-$entry.e9" "$limit" \
			2> "$err" || { bad "$emu $entry" "$err" "$log"; return; }
	else
		# ignore_bad_msrs under Bochs: Linux reads MSRs its Penryn model
		# lacks (run-native-bochs.sh).  Harmless for QEMU's runner.
		RMT_MARKER=$marker RMT_SERIAL=$log RMT_BOCHS_IGNORE_BAD_MSRS=1 \
			"$root/tests/boot/run-native-$emu.sh" "$corpus/$entry" "$out/$emu-$entry.e9" "$limit" \
			2> "$err" || { bad "$emu $entry" "$err" "$log"; return; }
	fi
	for c in "$@"; do
		case $c in
		+*) grep -a -q -F -e "${c#+}" "$log" ||
			{ bad "$emu $entry: the serial log lacks \"${c#+}\"" "$err" "$log"; return; } ;;
		-*) ! grep -a -q -F -e "${c#-}" "$log" ||
			{ bad "$emu $entry: the serial log has \"${c#-}\"" "$err" "$log"; return; } ;;
		esac
	done
	t=$(sed -n 's/.*marker ".*" after \([0-9.]*\)s$/\1/p' "$err")
	echo "$RMT_SCRIPT: ok: $emu $entry: \"$marker\" after ${t}s"
	times="$times $emu:$entry=${t}s"
}

bad() {
	echo "$RMT_SCRIPT: FAIL: $1"
	sed 's/^/  /' "$2"
	if [ -s "$3" ]; then
		echo "  --- last lines of $3:"
		tr -d '\r' < "$3" | tail -n 15 | sed 's/^/  | /'
	fi
	status=1
}

# Timeouts: ~10x the times measured on a quiet machine (QEMU: 1-10 s,
# Bochs ISOLINUX: ~95 s), for loaded CI machines.
run qemu linux-isolinux.iso serial "$INIT" 90 "+Linux version" "+Probing EDD"
run qemu linux-grub.iso serial "$INIT" 90 "+Linux version" "-Probing EDD" \
	"+rmtramp-corpus: grub.cfg reached (linux)"
run qemu linux16-grub.iso serial "$INIT" 90 "+Linux version" "+Probing EDD" \
	"+rmtramp-corpus: grub.cfg reached (linux16)"
run qemu linux-syslinux.hdd serial "$INIT" 90 "+Linux version" "+Probing EDD" "+SYSLINUX 6.04"
run qemu memtest86+-syslinux.flp serial "$MEMTEST" 90 "+Loading /memtest.bin... ok"
run qemu memtest86+.iso screen "$MEMTEST" 90
run qemu ipxe.iso screen "$IPXE" 60

run bochs linux-isolinux.iso serial "$INIT" 600 "+Linux version" "+Probing EDD"
if [ "${RMT_CORPUS:-}" = full ]; then
	run bochs linux16-grub.iso serial "$INIT" 600 "+Linux version" "+Probing EDD"
	run bochs linux-grub.iso serial "$INIT" 600 "+Linux version" "-Probing EDD"
	run bochs linux-syslinux.hdd serial "$INIT" 600 "+Linux version" "+Probing EDD"
	run bochs memtest86+-syslinux.flp serial "$MEMTEST" 300
else
	echo "$RMT_SCRIPT: RMT_CORPUS=full also boots GRUB, SYSLINUX and memtest86+ under Bochs"
fi

echo "$RMT_SCRIPT: times to the marker:$times"
exit $status

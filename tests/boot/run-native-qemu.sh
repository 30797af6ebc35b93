#!/bin/bash
# run-native-qemu.sh IMAGE OUTFILE [TIMEOUT]
#
# Boots a disk image under plain QEMU (TCG, SeaBIOS, no stack) and writes
# what the guest printed on port 0xE9 to OUTFILE.  This is the "native"
# reference a run under the stack is compared with.  The kind of image is
# chosen by its name:
#   *.flp        a 1.44 MB floppy, drive A:, 32 MiB of RAM, QEMU's own
#                SeaBIOS (the test guests' historical setup, unchanged);
#   *.hdd, *.img a flat hard disk on the first IDE channel, drive C: (80h),
#                64 MiB of RAM, Debian's 128 KiB SeaBIOS build
#                (/usr/share/seabios/bios.bin: the one run under the blob) and
#                -machine pc,smm=off (no SMM: the blob's guests have none).
#                The size must be a whole number of 16-head, 63-sector
#                cylinders: QEMU then guesses exactly that geometry, the same
#                one run-native-bochs.sh gives Bochs.
#
# The guest ends the run by writing RUN_OK (0) to isa-debug-exit at port 0xF4
# (testimages/lib/exit.inc); QEMU then exits with status (0 << 1) | 1 = 1.
# That status is the success marker: a triple fault with -no-reboot exits 0,
# RUN_FAILED exits 3, a hang is ended by the timeout.
#
# Exit status: 0 the guest ended the run with RUN_OK; 1 anything else (the
# reason is printed; OUTFILE still holds whatever the guest printed).
# Environment: RMT_KEEP=1 keeps the scratch directory (QEMU's own output);
# QEMU overrides the binary; RMT_BIOS=ROM replaces SeaBIOS with another
# machine firmware (tests/boot/nobios-rom.asm: start a guest with no BIOS);
# RMT_MEGS overrides the RAM size in MiB.
set -eu
RMT_SCRIPT=run-native-qemu
. "$(dirname "$0")/../lib/common.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 IMAGE.flp|IMAGE.hdd|IMAGE.img OUTFILE [TIMEOUT_SECONDS]" >&2
	exit 2
fi
image=$1
out=$2
limit=${3:-60}
QEMU=${QEMU:-qemu-system-x86_64}

[ -f "$image" ] || die "image not found: $image"
size=$(stat -c %s "$image")
bios=${RMT_BIOS:-}
case $image in
*.flp)
	[ "$size" -eq 1474560 ] ||
		die "$image is not a 1.44 MB floppy image (1474560 bytes)"
	megs=${RMT_MEGS:-32}
	machine=pc,accel=tcg
	drive_if=floppy boot_order=a ;;
*.hdd|*.img)
	cyl_bytes=$((16 * 63 * 512))
	[ "$size" -gt 0 ] && [ $((size % cyl_bytes)) -eq 0 ] ||
		die "$image: $size bytes is not a whole number of 16x63 cylinders ($cyl_bytes bytes)"
	megs=${RMT_MEGS:-64}
	machine=pc,accel=tcg,smm=off
	bios=${bios:-/usr/share/seabios/bios.bin}
	drive_if=ide boot_order=c ;;
*)
	die "$image: unknown kind of image (want .flp, .hdd or .img)" ;;
esac
need_tool "$QEMU" timeout
bios_args=()
if [ -n "$bios" ]; then
	[ -r "$bios" ] || die "cannot read the BIOS $bios (RMT_BIOS; Debian package seabios)"
	bios_args=(-bios "$bios")
fi
make_workdir qemu

# QEMU opens the image read-write: boot a scratch copy so a run can never
# change the build output (and two runs never share an image).
cp "$image" "$WORK/disk.img"
: > "$WORK/e9.out"

start=$(now_ns)
set +e
# -debugcon at 0xE9: the guest's output, byte for byte, nothing else
#   (Debian's SeaBIOS logs to 0x402, not 0xE9).
# -serial none, -monitor none, -display none: headless; -no-reboot: a triple
#   fault stops QEMU instead of rebooting into the same image forever.
# timeout -k: SIGTERM first, SIGKILL 5 s later if QEMU does not go.
timeout -k 5 "$limit" "$QEMU" \
	-machine "$machine" -m "$megs" \
	-display none -monitor none -serial none -no-reboot \
	-debugcon "file:$WORK/e9.out" -global isa-debugcon.iobase=0xe9 \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive "file=$WORK/disk.img,if=$drive_if,format=raw" -boot order=$boot_order \
	"${bios_args[@]}" \
	> "$WORK/qemu.log" 2>&1
status=$?
set -e
elapsed=$(seconds_since "$start")

cp "$WORK/e9.out" "$out" || die "cannot write $out"

name=$(basename "$image")
case $status in
1)
	echo "$RMT_SCRIPT: $name: guest ended the run (RUN_OK) in ${elapsed}s" >&2
	exit 0 ;;
3)
	reason="guest ended the run with RUN_FAILED" ;;
0)
	reason="QEMU stopped without the guest ending the run (triple fault?)" ;;
124|137)
	reason="timed out after ${limit}s (guest never ended the run)" ;;
*)
	reason="QEMU exited with status $status" ;;
esac
echo "$RMT_SCRIPT: $name: FAILED: $reason, after ${elapsed}s" >&2
if [ -s "$WORK/qemu.log" ]; then
	echo "$RMT_SCRIPT: QEMU said:" >&2
	tail -n 20 "$WORK/qemu.log" | sed 's/^/  /' >&2
fi
exit 1

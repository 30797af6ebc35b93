#!/bin/bash
# run-native-qemu.sh FLOPPY OUTFILE [TIMEOUT]
#
# Boots a 1.44 MB floppy image under plain QEMU (TCG, its own SeaBIOS, no
# stack) and writes what the guest printed on port 0xE9 to OUTFILE.  This is
# the "native" reference a run under the stack is compared with.
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
# machine firmware (tests/boot/nobios-rom.asm: start a guest with no BIOS).
set -eu
RMT_SCRIPT=run-native-qemu
. "$(dirname "$0")/../lib/common.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 FLOPPY OUTFILE [TIMEOUT_SECONDS]" >&2
	exit 2
fi
floppy=$1
out=$2
limit=${3:-60}
QEMU=${QEMU:-qemu-system-x86_64}

[ -f "$floppy" ] || die "floppy image not found: $floppy"
[ "$(stat -c %s "$floppy")" -eq 1474560 ] ||
	die "$floppy is not a 1.44 MB floppy image (1474560 bytes)"
need_tool "$QEMU" timeout
bios_args=()
if [ -n "${RMT_BIOS:-}" ]; then
	[ -r "$RMT_BIOS" ] || die "RMT_BIOS: cannot read $RMT_BIOS"
	bios_args=(-bios "$RMT_BIOS")
fi
make_workdir qemu

# QEMU opens the image read-write: boot a scratch copy so a run can never
# change the build output (and two runs never share an image).
cp "$floppy" "$WORK/floppy.img"
: > "$WORK/e9.out"

start=$(now_ns)
set +e
# -debugcon at 0xE9: the guest's output, byte for byte, nothing else
#   (Debian's SeaBIOS logs to 0x402, not 0xE9).
# -serial none, -monitor none, -display none: headless; -no-reboot: a triple
#   fault stops QEMU instead of rebooting into the same image forever.
# timeout -k: SIGTERM first, SIGKILL 5 s later if QEMU does not go.
timeout -k 5 "$limit" "$QEMU" \
	-machine pc,accel=tcg -m 32 \
	-display none -monitor none -serial none -no-reboot \
	-debugcon "file:$WORK/e9.out" -global isa-debugcon.iobase=0xe9 \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive "file=$WORK/floppy.img,if=floppy,format=raw" -boot order=a \
	"${bios_args[@]}" \
	> "$WORK/qemu.log" 2>&1
status=$?
set -e
elapsed=$(seconds_since "$start")

cp "$WORK/e9.out" "$out" || die "cannot write $out"

name=$(basename "$floppy")
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

#!/bin/sh
# Boot a guest image through the whole stack under QEMU TCG with SVM:
#   QEMU (-cpu qemu64,+svm; TCG: no decode assists, no next-RIP)
#     -> build/host/host.rom as the machine firmware (-bios); it picks its
#        SVM backend, which imitates a VT-x host without unrestricted guest
#       -> IMAGE (loader + blob + payload) placed at 1 MiB (-device loader)
#
# usage: run-stack-qemu.sh IMAGE OUTDIR [TIMEOUT_SECONDS]
# Writes OUTDIR/console.txt (port 0xE9: host, loader, blob and guest lines)
# and OUTDIR/com1.txt (the serial port).  RMT_LIVE=1 shows the console as it
# happens; RMT_QEMU_EXTRA adds QEMU options; RMT_HOST_ROM another host ROM
# (build/host-log/host.rom logs every VM exit).
# Exit status: 0 if the machine ended the run through isa-debug-exit (the
# host and the guests end runs that way), 1 otherwise.
set -eu
image=$1
out=$2
limit=${3:-120}
build=${RMT_BUILD:-build}
[ -r "$image" ] || { echo "run-stack-qemu: no image $image" >&2; exit 2; }
mkdir -p "$out"
: > "$out/console.txt"
: > "$out/com1.txt"
tailpid=
if [ "${RMT_LIVE:-0}" = 1 ]; then
	tail -q -f -n +1 "$out/console.txt" "$out/com1.txt" &
	tailpid=$!
fi
set +e
# shellcheck disable=SC2086 # RMT_QEMU_EXTRA is a list of options
timeout -k 2 "$limit" qemu-system-x86_64 -machine pc,accel=tcg -cpu qemu64,+svm -m 256 \
	-display none -monitor none -no-reboot -nodefaults -vga std \
	-serial "file:$out/com1.txt" \
	-chardev "file,id=e9,path=$out/console.txt" -device isa-debugcon,iobase=0xe9,chardev=e9 \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-bios "${RMT_HOST_ROM:-$build/host/host.rom}" \
	-device "loader,file=$image,addr=0x100000,force-raw=on" \
	${RMT_QEMU_EXTRA:-} < /dev/null > "$out/qemu.out" 2>&1
status=$?
set -e
if [ -n "$tailpid" ]; then
	sleep 0.3
	kill "$tailpid" 2>/dev/null || true
fi
# isa-debug-exit makes QEMU exit with (value << 1) | 1: 1 for the host's
# "guest finished", 3 for a failure; 124/137 is the timeout.
case $status in 1|3) exit 0 ;; *) exit 1 ;; esac

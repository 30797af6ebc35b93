#!/bin/sh
# run-disk.sh HOST DISK OUTDIR [TIMEOUT]: boot a raw BIOS-bootable disk image
# through the whole stack on HOST (qemu: SeaBIOS under the blob on QEMU-SVM;
# bochs: rombios under the blob on Bochs VT-x).  The disk is copied into
# OUTDIR first (the emulators may write to it).  A .flp/.img of 1474560 bytes
# is a floppy; anything else a hard disk (Bochs needs a whole number of
# 16-head, 63-sector cylinders).  Writes OUTDIR/console.txt (port 0xE9) and
# OUTDIR/com1.txt (the guest's serial port); RMT_LIVE=1 shows both live.
set -eu
host=$1
disk=$2
out=$3
limit=${4:-600}
here=$(dirname "$0")
build=${RMT_BUILD:-build}
[ -r "$disk" ] || { echo "run-disk: cannot read $disk" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)          # Bochs runs in $out: every path absolute
size=$(stat -c %s "$disk")
kind=hdd
[ "$size" -eq 1474560 ] && kind=flp
cp "$disk" "$out/disk.$kind"
case $host in
qemu)
	if [ $kind = flp ]; then drive="-drive file=$out/disk.flp,format=raw,if=floppy"
	else drive="-drive file=$out/disk.hdd,format=raw,if=ide"; fi
	RMT_QEMU_EXTRA="$drive -machine smm=off ${RMT_QEMU_EXTRA:-}" \
		exec "$here/run-stack.sh" qemu "$build/images/seabios.img" "$out" "$limit" ;;
bochs)
	if [ $kind = flp ]; then
		attach="floppya: 1_44=$out/disk.flp, status=inserted
boot: floppy"
	else
		cyl=$((size / 516096))
		[ $((cyl * 516096)) -eq "$size" ] ||
			{ echo "run-disk: $disk is not a whole number of 16x63 cylinders" >&2; exit 2; }
		attach="ata0-master: type=disk, path=$out/disk.hdd, mode=flat, cylinders=$cyl, heads=16, spt=63
boot: disk"
	fi
	RMT_BOCHS_EXTRA="pci: enabled=1, chipset=i440fx
com1: enabled=1, mode=file, dev=com1.txt
$attach
${RMT_BOCHS_EXTRA:-}" exec "$here/run-stack.sh" bochs "$build/images/rombios.img" "$out" "$limit" ;;
*) echo "run-disk: unknown host '$host'" >&2; exit 2 ;;
esac

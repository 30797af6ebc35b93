#!/bin/sh
# run-disk.sh HOST DISK OUTDIR [TIMEOUT]: boot a raw BIOS-bootable disk image
# through the whole stack on HOST (qemu: SeaBIOS under the blob on QEMU-SVM;
# bochs: rombios under the blob on Bochs VT-x).  The disk is copied into
# OUTDIR first (the emulators may write to it).  The kind of disk:
#   *.iso                a CD-ROM (El Torito), booted first: QEMU's second
#                        IDE channel (-boot d, as run-native-qemu.sh); Bochs'
#                        ata0-slave with boot: cdrom (as run-native-bochs.sh;
#                        rombios boots El Torito no-emulation images).  The
#                        size must be a whole number of 2048-byte sectors.
#   1474560 bytes        a 1.44 MB floppy, drive A:
#   anything else        a hard disk, drive C: (Bochs needs a whole number
#                        of 16-head, 63-sector cylinders)
# Writes OUTDIR/console.txt (port 0xE9) and OUTDIR/com1.txt (the guest's
# serial port); RMT_LIVE=1 shows both live.  RMT_MARKER, RMT_SCREEN and
# RMT_COUNTERS (stop at a success marker, read the screen and the blob's
# counters) are the runners' own: tests/boot/run-stack-{qemu,bochs}.sh.
# RMT_DISK_KIND=iso|flp|hdd overrides the guess from the name and size
# (make run ISO=path).  The guest BIOS image is build/images/seabios.img on QEMU and
# build/images/rombios.img on Bochs; RMT_GUEST_IMAGE overrides it.
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
kind=${RMT_DISK_KIND:-}
if [ -z "$kind" ]; then
	case $disk in
	*.iso) kind=iso ;;
	*) kind=hdd
	   [ "$size" -eq 1474560 ] && kind=flp ;;
	esac
fi
case $kind in
iso)
	[ "$size" -gt 0 ] && [ $((size % 2048)) -eq 0 ] ||
		{ echo "run-disk: $disk is not a whole number of 2048-byte CD sectors" >&2; exit 2; } ;;
flp)
	[ "$size" -eq 1474560 ] ||
		{ echo "run-disk: $disk is not a 1.44 MB floppy (1474560 bytes)" >&2; exit 2; } ;;
hdd) ;;
*) echo "run-disk: RMT_DISK_KIND must be iso, flp or hdd, not '$kind'" >&2; exit 2 ;;
esac
cp "$disk" "$out/disk.$kind"
case $host in
qemu)
	case $kind in
	flp) drive="-drive file=$out/disk.flp,format=raw,if=floppy" ;;
	# index=2: the secondary master, where -cdrom puts it; -boot d boots
	# it first.  No NIC is configured (run-stack-qemu.sh uses -nodefaults).
	iso) drive="-drive file=$out/disk.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on -boot d" ;;
	hdd) drive="-drive file=$out/disk.hdd,format=raw,if=ide" ;;
	esac
	RMT_QEMU_EXTRA="$drive -machine smm=off ${RMT_QEMU_EXTRA:-}" \
		exec "$here/run-stack.sh" qemu "${RMT_GUEST_IMAGE:-$build/images/seabios.img}" "$out" "$limit" ;;
bochs)
	case $kind in
	flp) attach="floppya: 1_44=$out/disk.flp, status=inserted
boot: floppy" ;;
	iso) attach="ata0-slave: type=cdrom, path=$out/disk.iso, status=inserted
boot: cdrom" ;;
	hdd)
		cyl=$((size / 516096))
		[ $((cyl * 516096)) -eq "$size" ] ||
			{ echo "run-disk: $disk is not a whole number of 16x63 cylinders" >&2; exit 2; }
		attach="ata0-master: type=disk, path=$out/disk.hdd, mode=flat, cylinders=$cyl, heads=16, spt=63
boot: disk" ;;
	esac
	RMT_BOCHS_EXTRA="pci: enabled=1, chipset=i440fx
com1: enabled=1, mode=file, dev=com1.txt
$attach
${RMT_BOCHS_EXTRA:-}" exec "$here/run-stack.sh" bochs "${RMT_GUEST_IMAGE:-$build/images/rombios.img}" "$out" "$limit" ;;
*) echo "run-disk: unknown host '$host'" >&2; exit 2 ;;
esac

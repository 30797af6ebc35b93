#!/bin/bash
# testimages/corpus/build.sh COMMAND OUTPUT — builds one entry of the boot
# corpus (mk/corpus.mk runs it; `make corpus` builds them all into
# build/corpus/).  Everything comes from Debian packages installed by
# scripts/install-deps.sh; nothing is downloaded here.
#
# Commands (OUTPUT is the file written; its directory holds the shared inputs
# vmlinuz and initrd.gz, and scratch space .work-COMMAND/, removed when done):
#   kernel OUTPUT        copy the Debian kernel (see "The kernel" below); the
#                        copy is left alone if unchanged, so make does not
#                        rebuild every image for nothing
#   init OUTPUT          testimages/corpus/init.c, gcc -static
#   initramfs OUTPUT     a gzip'd newc cpio of /dev, /dev/console, /init
#                        (needs OUTPUT's directory to hold init)
#   isolinux OUTPUT      ISOLINUX 6.04 El Torito ISO: vmlinuz + initrd.gz
#   grub-linux OUTPUT    GRUB 2 BIOS ISO (grub-mkrescue), `linux` + `initrd`
#                        (the kernel's 32-bit boot protocol)
#   grub-linux16 OUTPUT  the same with `linux16` + `initrd16` (the 16-bit
#                        boot protocol: the kernel's real-mode setup runs)
#   syslinux-hdd OUTPUT  a 64-cylinder x 16-head x 63-sector hard disk: MBR
#                        (syslinux mbr.bin), one active FAT16 partition at
#                        LBA 63 with SYSLINUX 6.04, vmlinuz + initrd.gz
#   memtest-floppy OUTPUT  a 1.44 MB SYSLINUX floppy booting memtest86+x64.bin
#                        with the LINUX directive (16-bit boot protocol) and
#                        console=ttyS0,115200
#   memtest-iso OUTPUT   memtest86+'s own ISO (its boot sector, VGA only)
#   ipxe-iso OUTPUT      iPXE's ISO from the ipxe package (VGA only)
#
# The kernel: Debian's linux-image-amd64 (bookworm) installed by
# scripts/install-deps.sh, which puts /boot/vmlinuz-<abi>-amd64 on the build
# machine.  We take the version the installed metapackage depends on (so a
# machine with several kernels always gives the same one), falling back to the
# newest /boot/vmlinuz-*-amd64.  RMT_CORPUS_KERNEL=PATH overrides.
#
# Success markers of the images (tests/boot/native-corpus.t checks them; the
# kernel command line is $CMDLINE below):
#   Linux entries  COM1: "rmtramp-corpus: init reached" (init.c), then ACPI
#                  power-off.  Earlier stages on COM1: the loader's banner
#                  ("ISOLINUX 6.04" / "SYSLINUX 6.04", then "Loading
#                  /vmlinuz... ok") or "rmtramp-corpus: grub.cfg reached
#                  (linux|linux16)"; with the 16-bit boot protocol (ISOLINUX,
#                  SYSLINUX, GRUB linux16) the kernel's real-mode setup prints
#                  "Probing EDD (edd=off to disable)... ok"; then "Linux
#                  version" (earlyprintk).
#                  RAM: boot them with 512 MiB (the baselines' size); at
#                  64 MiB SYSLINUX refuses the kernel ("Booting kernel
#                  failed: Invalid argument").
#   memtest-floppy COM1: "Memtest86+ v6" (its serial console; the loader's
#                  "SYSLINUX 6.04" and "Loading /memtest.bin... ok" before)
#   memtest-iso    screen: "Memtest86+ v6"
#   ipxe-iso       screen: "No more network devices" — iPXE's whole run:
#                  banner ("iPXE initialising devices"), device probe, and
#                  the autoboot giving up, hundreds of real/protected-mode
#                  round trips (the ISO boots ipxe.krn with ISOLINUX: "iPXE
#                  ISO boot image" before).
#                  Boot it without a network card: QEMU's NIC option ROM is
#                  iPXE too, and its PXE boot would print the same banner.
set -eu

CMDLINE='console=ttyS0 earlyprintk=serial,ttyS0,115200 loglevel=6 panic=-1'
SYSLINUX_BIOS=/usr/lib/syslinux/modules/bios
ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
SYSLINUX_MBR=/usr/lib/syslinux/mbr/mbr.bin
GRUB_PC=/usr/lib/grub/i386-pc
MEMTEST_BIN=/boot/memtest86+x64.bin
MEMTEST_ISO=/usr/lib/memtest86+/memtest86+x64.iso
IPXE_ISO=/usr/lib/ipxe/ipxe.iso
here=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "corpus: $*" >&2
	exit 1
}

need_file() {
	[ -r "$1" ] || die "missing $1 (Debian package $2; run scripts/install-deps.sh)"
}

need_tool() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found (Debian package $2; run scripts/install-deps.sh)"
}

[ $# -eq 2 ] || { echo "usage: $0 COMMAND OUTPUT (see the comment at the top)" >&2; exit 2; }
cmd=$1
out=$2
dir=$(dirname "$out")
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
out=$dir/$(basename "$out")
# Scratch space per command, fresh every time: no stale file can slip into
# an image.
work=$dir/.work-$cmd
rm -rf "$work"
mkdir -p "$work"

# The shared payload: the kernel and the initramfs, beside the outputs.
payload() {
	[ -r "$dir/vmlinuz" ] || die "missing $dir/vmlinuz (make corpus builds it first)"
	[ -r "$dir/initrd.gz" ] || die "missing $dir/initrd.gz (make corpus builds it first)"
}

find_kernel() {
	local dep k
	if [ -n "${RMT_CORPUS_KERNEL:-}" ]; then
		echo "$RMT_CORPUS_KERNEL"
		return
	fi
	# "linux-image-6.1.0-56-amd64 (= 6.1.192-2)" -> the versioned package.
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
		sed -n 's/^\(linux-image-[^ ,]*\).*/\1/p')
	if [ -n "$dep" ] && [ -r "/boot/vmlinuz-${dep#linux-image-}" ]; then
		echo "/boot/vmlinuz-${dep#linux-image-}"
		return
	fi
	k=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$k" ] || die "no Debian kernel in /boot (Debian package linux-image-amd64; run scripts/install-deps.sh)"
	echo "$k"
}

# newc cpio member: cpio_entry NAME MODE(octal) SIZE RDEVMAJOR RDEVMINOR [FILE]
# Written by hand so that the build needs no root (mknod) and is
# reproducible: uid/gid 0, mtime 0, inode numbers in order.
ino=0
cpio_entry() {
	local name=$1 mode=$2 size=$3 rmaj=$4 rmin=$5 file=${6:-} namesize pad
	ino=$((ino + 1))
	namesize=$((${#name} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$((8#$mode))" 0 0 1 0 "$size" 0 0 "$rmaj" "$rmin" "$namesize" 0
	printf '%s\0' "$name"
	pad=$(( (4 - (110 + namesize) % 4) % 4 ))
	head -c "$pad" /dev/zero
	if [ -n "$file" ]; then
		cat "$file"
		head -c $(( (4 - size % 4) % 4 )) /dev/zero
	fi
}

# The syslinux configuration shared by the SYSLINUX/ISOLINUX entries.
# SERIAL first: the loader then also talks on COM1 (it repeats its banner
# there, then "Loading /vmlinuz... ok"): an early "loader reached" marker on
# the serial log.  (A SAY line never showed with PROMPT 0, so none.)
syslinux_cfg() {
	cat <<EOF
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  LINUX /vmlinuz
  INITRD /initrd.gz
  APPEND $CMDLINE
EOF
}

# grub.cfg: no menu (nothing to wait for), COM1 as a second terminal so the
# echo line shows on the serial log, then boot.  $1 = linux or linux16.
grub_cfg() {
	local initrd=initrd
	[ "$1" = linux16 ] && initrd=initrd16
	cat <<EOF
serial --unit=0 --speed=115200
terminal_output --append serial
echo "rmtramp-corpus: grub.cfg reached ($1)"
$1 /vmlinuz $CMDLINE
$initrd /initrd.gz
boot
EOF
}

case $cmd in
kernel)
	k=$(find_kernel)
	[ -r "$k" ] || die "cannot read the kernel $k"
	cmp -s "$k" "$out" || cp "$k" "$out"
	echo "corpus: kernel $k" ;;

init)
	need_tool gcc gcc
	need_file /usr/lib/x86_64-linux-gnu/libc.a libc6-dev
	# -Os -s: smallest static binary; the initramfs stays a few hundred KiB.
	gcc -static -Os -s -Wall -Wextra -Werror -o "$work/init" "$here/init.c"
	mv "$work/init" "$out" ;;

initramfs)
	[ -x "$dir/init" ] || die "missing $dir/init (make corpus builds it first)"
	need_tool gzip gzip
	size=$(stat -c %s "$dir/init")
	{
		cpio_entry dev 040755 0 0 0
		# /dev/console (5,1): the kernel opens it as init's fds 0-2 before
		# any devtmpfs exists.
		cpio_entry dev/console 020600 0 5 1
		cpio_entry init 0100755 "$size" 0 0 "$dir/init"
		cpio_entry TRAILER!!! 0 0 0 0
	} > "$work/initrd.cpio"
	gzip -9 -n < "$work/initrd.cpio" > "$work/initrd.gz"
	mv "$work/initrd.gz" "$out" ;;

isolinux)
	payload
	need_tool xorriso xorriso
	need_file "$ISOLINUX_BIN" isolinux
	need_file "$SYSLINUX_BIOS/ldlinux.c32" syslinux-common
	mkdir -p "$work/iso/isolinux"
	cp "$ISOLINUX_BIN" "$SYSLINUX_BIOS/ldlinux.c32" "$work/iso/isolinux/"
	syslinux_cfg > "$work/iso/isolinux/isolinux.cfg"
	cp "$dir/vmlinuz" "$dir/initrd.gz" "$work/iso/"
	# The classic no-emulation El Torito boot of ISOLINUX (its own docs'
	# mkisofs line): 4 sectors loaded, boot info table patched in.
	xorriso -as mkisofs -quiet -R -J -V RMTCORPUS \
		-b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table \
		-o "$work/out.iso" "$work/iso" > "$work/xorriso.log" 2>&1 ||
		{ cat "$work/xorriso.log" >&2; die "xorriso failed"; }
	mv "$work/out.iso" "$out" ;;

grub-linux|grub-linux16)
	payload
	need_tool grub-mkrescue grub-common
	need_tool xorriso xorriso
	need_file "$GRUB_PC/linux16.mod" grub-pc-bin
	mkdir -p "$work/iso/boot/grub"
	grub_cfg "${cmd#grub-}" > "$work/iso/boot/grub/grub.cfg"
	cp "$dir/vmlinuz" "$dir/initrd.gz" "$work/iso/"
	# -d i386-pc: BIOS only (no EFI image even if grub-efi is installed);
	# no locales/themes/fonts: a smaller ISO and nothing GRUB would load.
	grub-mkrescue -d "$GRUB_PC" --locales= --themes= --fonts= \
		-o "$work/out.iso" "$work/iso" > "$work/mkrescue.log" 2>&1 ||
		{ cat "$work/mkrescue.log" >&2; die "grub-mkrescue failed"; }
	mv "$work/out.iso" "$out" ;;

syslinux-hdd)
	payload
	need_tool syslinux syslinux
	need_tool mformat mtools
	need_file "$SYSLINUX_MBR" syslinux-common
	# Geometry: whole 16-head, 63-sector cylinders (Bochs needs them; QEMU
	# guesses the same geometry from the size; see run-native-*.sh).
	# 64 cylinders = 33 MiB; the partition (LBA 63 .. end, track-aligned
	# as old BIOSes and partitioners expect) is then > 32 MiB: type 06h.
	cyls=64 heads=16 spt=63
	total=$((cyls * heads * spt))
	start=$spt
	psize=$((total - start))
	truncate -s $((total * 512)) "$work/disk.img"
	# MBR boot code (syslinux's mbr.bin, 440 bytes) and one partition entry.
	dd if="$SYSLINUX_MBR" of="$work/disk.img" bs=440 count=1 conv=notrunc status=none
	le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 24 & 255)))"; }
	# CHS of the partition's first (0/1/1) and last (cyls-1/15/63)
	# sectors: head, sector | cyl bits 8-9 << 6, cyl bits 0-7.
	lc=$((cyls - 1))
	{
		printf '\x80\x01\x01\x00\x06'
		printf "\\x$(printf %02x $((heads - 1)))\\x$(printf %02x $((spt | (lc >> 8) << 6)))\\x$(printf %02x $((lc & 255)))"
		le32 "$start"
		le32 "$psize"
	} | dd of="$work/disk.img" bs=1 seek=446 conv=notrunc status=none
	printf '\x55\xaa' | dd of="$work/disk.img" bs=1 seek=510 conv=notrunc status=none
	# FAT16 in the partition: 4-sector clusters (16 k clusters: FAT16, not
	# FAT12 or FAT32), hidden sectors = the partition's LBA.
	part="$work/disk.img@@$((start * 512))"
	mformat -i "$part" -T "$psize" -h "$heads" -s "$spt" -H "$start" -c 4 -v RMTCORPUS ::
	syslinux --offset $((start * 512)) --install "$work/disk.img"
	syslinux_cfg > "$work/syslinux.cfg"
	mcopy -i "$part" "$work/syslinux.cfg" "$dir/vmlinuz" "$dir/initrd.gz" ::/
	mv "$work/disk.img" "$out" ;;

memtest-floppy)
	need_tool syslinux syslinux
	need_tool mformat mtools
	need_file "$MEMTEST_BIN" memtest86+
	truncate -s 1474560 "$work/floppy.img"
	mformat -i "$work/floppy.img" -f 1440 -v MEMTEST ::
	syslinux --install "$work/floppy.img"
	cat > "$work/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT memtest
PROMPT 0
TIMEOUT 0
LABEL memtest
  LINUX /memtest.bin
  APPEND console=ttyS0,115200
EOF
	mcopy -i "$work/floppy.img" "$work/syslinux.cfg" ::/
	mcopy -i "$work/floppy.img" "$MEMTEST_BIN" ::/memtest.bin
	mv "$work/floppy.img" "$out" ;;

memtest-iso)
	need_file "$MEMTEST_ISO" memtest86+
	cp "$MEMTEST_ISO" "$out" ;;

ipxe-iso)
	need_file "$IPXE_ISO" ipxe
	cp "$IPXE_ISO" "$out" ;;

*)
	die "unknown command '$cmd' (see the comment at the top of $0)" ;;
esac
rm -rf "$work"

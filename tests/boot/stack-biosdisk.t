#!/bin/sh
# A real BIOS under the blob: the guest BIOS (SeaBIOS bios.bin on the
# QEMU-SVM stack, Bochs' rombios on the Bochs VT-x stack) runs its POST from
# the reset vector in vm86 and protected mode through the blob, boots the
# biosdisk hard disk, whose boot sector uses INT 10h/13h/15h/16h/1Ah (the
# timer wait proves IRQ0 reflection and HLT), three PM round trips and big
# real mode.  The compared lines must equal the native runs' golden file.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
status=0
disk=$build/testimages/biosdisk.hdd
[ -r "$disk" ] || { echo "stack-biosdisk: FAIL: missing $disk (make testimages)"; exit 1; }
for host in qemu bochs; do
	out=$build/test-out/stack-biosdisk/$host
	rm -rf "$out"
	mkdir -p "$out"
	cp "$disk" "$out/disk.hdd"      # both emulators may write to the disk
	case $host in
	qemu)  image=seabios
	       export RMT_QEMU_EXTRA="-drive file=$out/disk.hdd,format=raw,if=ide -machine smm=off" ;;
	bochs) image=rombios
	       export RMT_BOCHS_EXTRA="pci: enabled=1, chipset=i440fx
ata0-master: type=disk, path=$out/disk.hdd, mode=flat, cylinders=20, heads=16, spt=63
boot: disk" ;;
	esac
	if ! RMT_BUILD=$build "$root/tests/lib/run-stack.sh" $host "$build/images/$image.img" "$out" 600; then
		echo "stack-biosdisk/$host: FAIL: the run did not end the machine properly"
		tail -20 "$out/console.txt" | sed 's/^/  | /'
		status=1
		continue
	fi
	con=$out/console.txt
	"$root/tests/lib/compared-lines.sh" biosdisk "$con" > "$out/compared"
	if ! diff -u "$root/testimages/biosdisk.expected" "$out/compared"; then
		echo "stack-biosdisk/$host: FAIL: guest output differs from testimages/biosdisk.expected"
		tail -20 "$con" | sed 's/^/  | /'
		status=1
		continue
	fi
	# The host's and the blob's memory (0x0F000000-0x0FFFFFFF: host/memmap.h)
	# is absent from every memory query: no usable E820 range reaches it, and
	# E801 (KiB 1-16 MiB, 64 KiB blocks above) adds up to no more than 240 MiB.
	bad=
	while read -r _ _ base len type; do
		if [ $((0x$type)) -eq 1 ] && [ $((0x$base + 0x$len)) -gt 251658240 ]; then
			bad="$bad $base+$len"
		fi
	done <<EOF2
$(grep '^biosdisk: e820: ' "$con")
EOF2
	if [ -n "$bad" ] || ! grep -q '^biosdisk: e820: ' "$con"; then
		echo "stack-biosdisk/$host: FAIL: usable E820 memory reaches the host/blob window: ${bad:-no e820 lines}"
		status=1
		continue
	fi
	e801=$(sed -n 's/^biosdisk: info: int15 e801: ax=\([0-9a-f]*\) bx=\([0-9a-f]*\).*/\1 \2/p' "$con")
	set -- $e801
	if [ $# -ne 2 ] || [ $((0x$1)) -gt $((0x3c00)) ] ||
	   [ $((16 * 1048576 + 0x$2 * 65536)) -gt 251658240 ]; then
		echo "stack-biosdisk/$host: FAIL: E801 reports memory in the host/blob window ($e801)"
		status=1
		continue
	fi
	# IRQs were reflected and HLT waited; transitions went through the blob
	if ! grep -q -E '^host: blob vcpu0 counters: handoffs=[1-9][0-9]* reentries=[1-9][0-9]* .*trap_irq=[1-9]' "$con"; then
		echo "stack-biosdisk/$host: FAIL: no handoffs, re-entries or IRQs in the counters"
		status=1
		continue
	fi
	if grep -q FATAL "$con"; then
		echo "stack-biosdisk/$host: FAIL: a FATAL line"; status=1; continue
	fi
	echo "stack-biosdisk/$host: ok (e820 and e801 end at or below 240 MiB; $(grep '^host: blob vcpu0 counters' "$con" | cut -d' ' -f5-6), $(grep -o 'trap_irq=[0-9]*' "$con"), $(grep -o 'halts=[0-9]*' "$con"))"
done
exit $status

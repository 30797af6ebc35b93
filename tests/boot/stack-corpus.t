#!/bin/sh
# stack-corpus.t — every boot-corpus entry (build/corpus/, `make corpus`)
# booted through the QEMU-SVM stack: QEMU TCG + SVM -> host -> loader ->
# blob -> SeaBIOS (build/images/seabios.img) -> the entry's boot loader and
# OS, the disk attached by tests/lib/run-disk.sh as native-corpus.t attaches
# it natively.  Markers and serial checks are native-corpus.t's (and
# testimages/corpus/build.sh's); the counter checks and the failure report
# are tests/lib/stack-corpus.sh's.  The Bochs VT-x stack:
# stack-corpus-bochs.t.
#
# Timeouts: the entries reach their markers natively in 1-10 s
# (native-corpus.t); through the stack each gets 120 s (90 s for iPXE), so
# that seven hung boots still end inside tests/check.sh's 900 s.
set -eu
. "$(cd "$(dirname "$0")/../lib" && pwd)/stack-corpus.sh"
corpus_start stack-corpus

linux_min=$(corpus_linux_min)
memtest_min=$(corpus_memtest_min)

corpus_boot qemu linux-isolinux.iso serial "$INIT" 120 "$linux_min" "+Linux version" "+Probing EDD"
corpus_boot qemu linux-grub.iso serial "$INIT" 120 "$linux_min" "+Linux version" "-Probing EDD" \
	"+rmtramp-corpus: grub.cfg reached (linux)"
corpus_boot qemu linux16-grub.iso serial "$INIT" 120 "$linux_min" "+Linux version" "+Probing EDD" \
	"+rmtramp-corpus: grub.cfg reached (linux16)"
corpus_boot qemu linux-syslinux.hdd serial "$INIT" 120 "$linux_min" "+Linux version" "+Probing EDD" \
	"+SYSLINUX 6.04"
corpus_boot qemu memtest86+-syslinux.flp serial "$MEMTEST" 120 "$memtest_min" \
	"+Loading /memtest.bin... ok"
corpus_boot qemu memtest86+.iso screen "$MEMTEST" 120 0
corpus_boot qemu ipxe.iso screen "$IPXE" 90 ${#IPXE}
corpus_end

#!/bin/sh
# stack-corpus-bochs.t — boot-corpus entries through the Bochs VT-x stack:
# Bochs 2.7 core2_penryn_t9600 (VT-x without unrestricted guest) -> host ->
# loader -> blob -> rombios (build/images/rombios.img, Bochs' own BIOS, as
# native-corpus.t boots natively under Bochs: rombios boots the El Torito
# ISOs and the hard disk) -> the entry.  Checks and the failure report:
# tests/lib/stack-corpus.sh; the QEMU stack: stack-corpus.t.
#
# Which runs: the ISOLINUX Linux entry (32-bit PM loader, hundreds of round
# trips) and GRUB `linux16` (the kernel's real-mode setup under the blob).
# Natively under Bochs each takes ~100 s to the marker, most of it the
# kernel's decompressor, which runs after the handoff at native speed; the
# timeout is 400 s each, so both hung still end inside tests/check.sh's
# 900 s.  RMT_CORPUS=full adds GRUB `linux`, the SYSLINUX hard disk and the
# memtest86+ floppy (measured through the stack: 79 s, 83 s and 300 s, the
# floppy loader being slow under Bochs — so 10 more minutes: raise
# RMT_TEST_TIMEOUT to 2400 under tests/check.sh; its timeout is 480 s); the
# screen-only entries are QEMU-only (no screen capture under Bochs).
set -eu
. "$(cd "$(dirname "$0")/../lib" && pwd)/stack-corpus.sh"
corpus_start stack-corpus-bochs

linux_min=$(corpus_linux_min)
memtest_min=$(corpus_memtest_min)

corpus_boot bochs linux-isolinux.iso serial "$INIT" 400 "$linux_min" "+Linux version" "+Probing EDD"
corpus_boot bochs linux16-grub.iso serial "$INIT" 400 "$linux_min" "+Linux version" "+Probing EDD" \
	"+rmtramp-corpus: grub.cfg reached (linux16)"
if [ "${RMT_CORPUS:-}" = full ]; then
	corpus_boot bochs linux-grub.iso serial "$INIT" 400 "$linux_min" "+Linux version" \
		"-Probing EDD" "+rmtramp-corpus: grub.cfg reached (linux)"
	corpus_boot bochs linux-syslinux.hdd serial "$INIT" 400 "$linux_min" "+Linux version" \
		"+Probing EDD" "+SYSLINUX 6.04"
	corpus_boot bochs memtest86+-syslinux.flp serial "$MEMTEST" 480 "$memtest_min" \
		"+Loading /memtest.bin... ok"
else
	say "stack-corpus-bochs: RMT_CORPUS=full also boots GRUB linux, SYSLINUX and memtest86+ under Bochs"
fi
corpus_end

# The boot corpus: real boot loaders and OS entries from Debian packages,
# built by testimages/corpus/build.sh (which documents each entry and its
# success marker) into $(BUILD)/corpus/.  tests/boot/native-corpus.t boots
# them natively, tests/boot/stack-corpus*.t through the stack.
#
#   vmlinuz                 Debian's kernel (linux-image-amd64, installed into
#                           /boot by scripts/install-deps.sh)
#   init, initrd.gz         the static /init (testimages/corpus/init.c) and
#                           its initramfs
#   linux-isolinux.iso      ISOLINUX 6.04 -> Linux
#   linux-grub.iso          GRUB 2 `linux` (32-bit boot protocol) -> Linux
#   linux16-grub.iso        GRUB 2 `linux16` (16-bit boot protocol) -> Linux
#   linux-syslinux.hdd      SYSLINUX 6.04 on a FAT16 hard disk (64x16x63) -> Linux
#   memtest86+-syslinux.flp SYSLINUX floppy -> memtest86+ (serial console)
#   memtest86+.iso          memtest86+'s own ISO (VGA only)
#   ipxe.iso                iPXE's ISO (VGA only)
#
# The kernel copy is refreshed every run (build.sh leaves it untouched when it
# has not changed, so nothing is rebuilt for nothing): which kernel is
# installed is not something make can see.

CORPUS_DIR    := $(BUILD)/corpus
CORPUS_SH     := testimages/corpus/build.sh
CORPUS_LINUX  := linux-isolinux.iso linux-grub.iso linux16-grub.iso linux-syslinux.hdd
CORPUS_OTHER  := memtest86+-syslinux.flp memtest86+.iso ipxe.iso
CORPUS_OUTS   := $(addprefix $(CORPUS_DIR)/,$(CORPUS_LINUX) $(CORPUS_OTHER))
CORPUS_PAYLOAD := $(CORPUS_DIR)/vmlinuz $(CORPUS_DIR)/initrd.gz

.PHONY: corpus-kernel
corpus-kernel:
	$(Q)$(CORPUS_SH) kernel $(CORPUS_DIR)/vmlinuz >/dev/null
$(CORPUS_DIR)/vmlinuz: corpus-kernel ;

$(CORPUS_DIR)/init: testimages/corpus/init.c $(CORPUS_SH)
	$(Q)$(CORPUS_SH) init $@
$(CORPUS_DIR)/initrd.gz: $(CORPUS_DIR)/init $(CORPUS_SH)
	$(Q)$(CORPUS_SH) initramfs $@

$(CORPUS_DIR)/linux-isolinux.iso: $(CORPUS_PAYLOAD) $(CORPUS_SH)
	$(Q)$(CORPUS_SH) isolinux $@
$(CORPUS_DIR)/linux-grub.iso: $(CORPUS_PAYLOAD) $(CORPUS_SH)
	$(Q)$(CORPUS_SH) grub-linux $@
$(CORPUS_DIR)/linux16-grub.iso: $(CORPUS_PAYLOAD) $(CORPUS_SH)
	$(Q)$(CORPUS_SH) grub-linux16 $@
$(CORPUS_DIR)/linux-syslinux.hdd: $(CORPUS_PAYLOAD) $(CORPUS_SH)
	$(Q)$(CORPUS_SH) syslinux-hdd $@
$(CORPUS_DIR)/memtest86+-syslinux.flp: $(CORPUS_SH)
	$(Q)$(CORPUS_SH) memtest-floppy $@
$(CORPUS_DIR)/memtest86+.iso: $(CORPUS_SH)
	$(Q)$(CORPUS_SH) memtest-iso $@
$(CORPUS_DIR)/ipxe.iso: $(CORPUS_SH)
	$(Q)$(CORPUS_SH) ipxe-iso $@

.PHONY: corpus
corpus: $(CORPUS_OUTS) ## build the boot corpus (ISOLINUX/GRUB/SYSLINUX Linux, memtest86+, iPXE) in build/corpus/

# `make` (all), and so `make check`, builds the corpus: tests/boot/
# native-corpus.t needs it, and it takes a few seconds (no compression of the
# kernel, only copies, xorriso and mtools).
all: corpus

# The stack runners read the blob's counters out of the machine at a boot's
# success marker (a corpus boot never ends through the host, which would
# print them): tests/lib/blob_counters.c names them from the ABI header.
BLOB_COUNTERS := $(BUILD)/tools/blob-counters
$(BLOB_COUNTERS): tests/lib/blob_counters.c include/rmtramp/abi.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTED_CFLAGS) $< -o $@
all: $(BLOB_COUNTERS)

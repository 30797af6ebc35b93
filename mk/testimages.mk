# Test guests: every testimages/*.asm is one scenario, assembled with nasm
# into two files under $(BUILD)/testimages/:
#   <name>.bin  the raw image, loaded at 0000:7C00 (what the stack's loader
#               copies into the guest)
#   <name>.flp  the same bytes padded to a 1.44 MB floppy, bootable natively
#               under plain QEMU and Bochs (testimages/lib/boot.inc)
# The raw image is already a whole number of sectors (IMAGE_END pads it).

TESTIMAGE_SRCS := $(sort $(wildcard testimages/*.asm))
TESTIMAGE_INCS := $(wildcard testimages/lib/*.inc)
TESTIMAGE_BINS := $(patsubst testimages/%.asm,$(BUILD)/testimages/%.bin,$(TESTIMAGE_SRCS))
TESTIMAGE_FLPS := $(TESTIMAGE_BINS:.bin=.flp)
FLOPPY_BYTES   := 1474560

# -I testimages/ so images say %include "lib/e9.inc".  -w+error: a warning in
# a test guest (e.g. a truncated immediate) is a bug in the test.
$(BUILD)/testimages/%.bin: testimages/%.asm $(TESTIMAGE_INCS)
	@mkdir -p $(dir $@)
	$(Q)$(NASM) -f bin -w+all -w+error -I testimages/ -l $(@:.bin=.lst) -o $@ $<

$(BUILD)/testimages/%.flp: $(BUILD)/testimages/%.bin
	$(Q)size=$$(stat -c %s $<) && [ "$$size" -le $(FLOPPY_BYTES) ] || \
		{ echo "testimages: $< is $$size bytes, more than a 1.44 MB floppy" >&2; exit 1; }
	$(Q)cp $< $@.tmp && truncate -s $(FLOPPY_BYTES) $@.tmp && mv $@.tmp $@

.PHONY: testimages
testimages: $(TESTIMAGE_BINS) $(TESTIMAGE_FLPS) ## assemble the nasm test guests (raw .bin and bootable .flp)

# `make` (all) builds the test guests too: they are small and nasm is fast.
all: testimages

# <name>.nobios.rom: machine firmware that starts <name>.bin with no BIOS,
# exactly as the stack's loader does (0000:7C00, DL = 0, IF = 0); see
# tests/boot/nobios-rom.asm.  Proves a guest never needs a BIOS service when
# its whole image is already in memory.
TESTIMAGE_ROMS := $(TESTIMAGE_BINS:.bin=.nobios.rom)

$(BUILD)/testimages/%.nobios.rom: $(BUILD)/testimages/%.bin tests/boot/nobios-rom.asm
	$(Q)$(NASM) -f bin -w+all -w+error -DIMAGE='"$<"' -o $@ tests/boot/nobios-rom.asm

testimages: $(TESTIMAGE_ROMS)

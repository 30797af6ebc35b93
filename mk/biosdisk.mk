# The BIOS test guest (testimages/biosdisk/biosdisk.asm): unlike
# testimages/*.asm it needs a real BIOS (INT 10h/13h/15h/16h/1Ah), so it is
# not a stack scenario (no build/images/ image, no .nobios.rom) and lives in
# its own directory, outside mk/testimages.mk's wildcard.  One source, three
# outputs under $(BUILD)/testimages/:
#   biosdisk.bin  the program alone (a whole number of sectors), with a listing
#   biosdisk.hdd  a bootable flat hard disk: 20 cylinders x 16 heads x 63
#                 sectors = 10321920 bytes (the geometry QEMU guesses for this
#                 size; tests/boot/run-native-bochs.sh tells Bochs the same)
#   biosdisk.flp  the same program on a bootable 1.44 MB floppy
# Both disks hold a marker sector at LBA 1500 that the guest reads back.

BIOSDISK_SRC      := testimages/biosdisk/biosdisk.asm
BIOSDISK_DEPS     := $(BIOSDISK_SRC) $(wildcard testimages/lib/*.inc)
BIOSDISK_HDD_BYTES := 10321920	# 20 * 16 * 63 * 512
BIOSDISK_FLP_BYTES := 1474560
BIOSDISK_NASM      = $(NASM) -f bin -w+all -w+error -I testimages/

$(BUILD)/testimages/biosdisk.bin: $(BIOSDISK_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(BIOSDISK_NASM) -l $(@:.bin=.lst) -o $@ $<

# nasm pads to the disk size itself (-DDISK_BYTES) and checks the result.
$(BUILD)/testimages/biosdisk.hdd: $(BIOSDISK_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(BIOSDISK_NASM) -DDISK_BYTES=$(BIOSDISK_HDD_BYTES) -o $@.tmp $< && \
		[ "$$(stat -c %s $@.tmp)" -eq $(BIOSDISK_HDD_BYTES) ] && mv $@.tmp $@

# An explicit rule: mk/testimages.mk's %.flp pattern (from %.bin) would not
# write the marker sector.
$(BUILD)/testimages/biosdisk.flp: $(BIOSDISK_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(BIOSDISK_NASM) -DDISK_BYTES=$(BIOSDISK_FLP_BYTES) -o $@.tmp $< && \
		[ "$$(stat -c %s $@.tmp)" -eq $(BIOSDISK_FLP_BYTES) ] && mv $@.tmp $@

BIOSDISK_OUTS := $(addprefix $(BUILD)/testimages/biosdisk.,bin hdd flp)

.PHONY: biosdisk
biosdisk: $(BIOSDISK_OUTS) ## build the BIOS test guest: biosdisk.bin, bootable .hdd and .flp

testimages: $(BIOSDISK_OUTS)

# Guest images, hvmloader style: loader + blob + payload in one file that the
# emulator places at 1 MiB (Bochs optramimage, QEMU -device loader) and the
# host launches.  One image per test guest: build/images/<name>.img, and
# <name>-bad-ss.img with the test-only blob for the negative test.
LOADER_C_SRCS := $(sort $(wildcard loader/*.c))
LOADER_OBJS   := $(patsubst %.c,$(BUILD)/loader/%.o,$(LOADER_C_SRCS)) $(BUILD)/loader/loader/head.o
LOADER_LIB_OBJS = $(filter $(BUILD)/target/lib/%,$(TARGET_LIB_OBJS))

$(BUILD)/loader/loader/%.o: loader/%.c $(wildcard loader/*.h) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TARGET_CFLAGS) -c $< -o $@
$(BUILD)/loader/loader/head.o: loader/head.S loader/image_header.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TARGET_ASFLAGS) -c $< -o $@

# $(call guest_image,NAME,BLOBDIR,PAYLOAD[,BOOT_FLAGS[,KIND]]); KIND 1 = a BIOS
define guest_image
$(BUILD)/images/$(1).payload.o: loader/payload.S $(BUILD)/$(2)/rmtramp.bin $(3)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(TARGET_ASFLAGS) -DBLOB_FILE='"$(BUILD)/$(2)/rmtramp.bin"' \
		-DPAYLOAD_FILE='"$(3)"' -DBOOT_FLAGS='$(or $(4),0)' -DPAYLOAD_KIND='$(or $(5),0)' -c $$< -o $$@
$(BUILD)/images/$(1).elf: $(BUILD)/images/$(1).payload.o $$(LOADER_OBJS) $$(LOADER_LIB_OBJS) loader/loader.ld
	$$(Q)$$(LD) $$(TARGET_LDFLAGS) -T loader/loader.ld -o $$@ $$(LOADER_OBJS) \
		$(BUILD)/images/$(1).payload.o $$(LOADER_LIB_OBJS)
$(BUILD)/images/$(1).img: $(BUILD)/images/$(1).elf
	$$(Q)$$(OBJCOPY) -O binary $$< $$@
IMAGES += $(BUILD)/images/$(1).img
endef

TESTIMAGE_NAMES := $(basename $(notdir $(wildcard testimages/*.asm)))
$(foreach t,$(TESTIMAGE_NAMES),$(eval $(call guest_image,$(t),blob,$(BUILD)/testimages/$(t).bin)))
$(eval $(call guest_image,roundtrip-bad-ss,blob-test-bad-ss,$(BUILD)/testimages/roundtrip.bin))
# the blob's console mirrored to COM1 (RMT_BOOT_CONSOLE_COM1)
$(eval $(call guest_image,roundtrip-com1,blob,$(BUILD)/testimages/roundtrip.bin,1))


# The guest BIOSes from Debian's packages: SeaBIOS (the 128 KiB build, which
# lives entirely below 1 MiB) for QEMU, Bochs' rombios for Bochs.  The disk
# to boot is the emulator's.
SEABIOS_BIN := /usr/share/seabios/bios.bin
ROMBIOS_BIN := /usr/share/bochs/BIOS-bochs-latest
$(eval $(call guest_image,seabios,blob,$(SEABIOS_BIN),0,1))
$(eval $(call guest_image,rombios,blob,$(ROMBIOS_BIN),0,1))
# the same with the blob's trace log on (RMT_BOOT_TRACE), for debugging
$(eval $(call guest_image,seabios-trace,blob,$(SEABIOS_BIN),2,1))
$(eval $(call guest_image,rombios-trace,blob,$(ROMBIOS_BIN),2,1))

# Negative guests (testimages/negative/): stack-only images that misbehave on
# purpose; tests/boot/negative.t checks the reports.
NEGATIVE_NAMES := $(basename $(notdir $(wildcard testimages/negative/*.asm)))
$(BUILD)/testimages/negative/%.bin: testimages/negative/%.asm testimages/negative/common.inc
	@mkdir -p $(dir $@)
	$(Q)$(NASM) -f bin -w+all -w+error -I testimages/ -o $@ $<
$(foreach t,$(NEGATIVE_NAMES),$(eval $(call guest_image,negative-$(t),blob,$(BUILD)/testimages/negative/$(t).bin)))

.PHONY: images
images: $(IMAGES) ## build the guest images (loader + blob + test guest) in build/images/

all: images

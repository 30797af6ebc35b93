# The blob: build/blob/rmtramp.elf (symbols) and rmtramp.bin (flat image),
# linked by linker.ld.  A second flavour, build/blob-test-bad-ss/, is the
# test-only build that hands off an SS whose RPL differs from CS's.
FW_C_SRCS  := $(sort $(wildcard firmware/*.c))
FW_S_SRCS  := $(sort $(wildcard firmware/*.S))
FW_HDRS    := $(wildcard firmware/*.h) $(LIB_HDRS)

define blob_flavour
# $(1) = output directory, $(2) = extra CFLAGS
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(FW_C_SRCS)) \
             $$(patsubst %.S,$(BUILD)/$(1)/%.o,$$(FW_S_SRCS))
$(BUILD)/$(1)/firmware/%.o: firmware/%.c $$(FW_HDRS)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(TARGET_CFLAGS) $(2) -c $$< -o $$@
$(BUILD)/$(1)/firmware/%.o: firmware/%.S firmware/layout.h
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(TARGET_ASFLAGS) $(2) -c $$< -o $$@
$(BUILD)/$(1)/rmtramp.elf: $$($(1)_OBJS) $$(TARGET_LIB_OBJS) linker.ld
	$$(Q)$$(LD) $$(TARGET_LDFLAGS) -T linker.ld -o $$@ $$($(1)_OBJS) $$(TARGET_LIB_OBJS)
$(BUILD)/$(1)/rmtramp.bin: $(BUILD)/$(1)/rmtramp.elf
	$$(Q)$$(OBJCOPY) -O binary $$< $$@
endef

$(eval $(call blob_flavour,blob,))
$(eval $(call blob_flavour,blob-test-bad-ss,-DRMT_TEST_BAD_SS_RPL))

.PHONY: blob
blob: $(BUILD)/blob/rmtramp.bin $(BUILD)/blob-test-bad-ss/rmtramp.bin ## build the blob (build/blob/rmtramp.bin, rmtramp.elf) and its test flavour

all: blob

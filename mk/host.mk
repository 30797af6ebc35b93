# The reference hypervisor: build/host/host.rom (128 KiB machine firmware)
# and build/host/host.elf (symbols for Bochs' debugger and gdb).
HOST_C_SRCS  := $(sort $(wildcard host/*.c))
HOST_S_SRCS  := $(sort $(wildcard host/*.S))
HOST_OBJS    := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_C_SRCS)) \
                $(patsubst %.S,$(BUILD)/host/%.o,$(HOST_S_SRCS))
# The host links the freestanding libraries: the validator (gdt/) names the
# rule a refused VM entry broke and gates the SVM backend's entries; the
# interpreter (vm86/, with segments/) decodes the CR accesses SVM intercepts.
HOST_LIB_OBJS = $(HOST64_LIB_OBJS)
HOST_HDRS    := $(wildcard host/*.h loader/*.h) $(LIB_HDRS)

$(BUILD)/host/host/%.o: host/%.c $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_CFLAGS) -c $< -o $@

$(BUILD)/host/host/%.o: host/%.S $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_ASFLAGS) -c $< -o $@

$(BUILD)/host/host.elf: $(HOST_OBJS) $(HOST_LIB_OBJS) host/host.ld
	$(Q)$(LD) $(HOST64_LDFLAGS) -T host/host.ld -o $@ $(HOST_OBJS) $(HOST_LIB_OBJS)

$(BUILD)/host/host.rom: $(BUILD)/host/host.elf
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)test $$(stat -c %s $@) -eq 131072 || { echo "host.rom is not 128 KiB"; exit 1; }

# The exit-log flavour: the same host, logging one line per VM exit
# (-DHOST_EXIT_LOG).  make run HOSTLOG=1, or RMT_HOST_ROM for the runners.
HOSTLOG_OBJS := $(patsubst $(BUILD)/host/host/%,$(BUILD)/host-log/host/%,$(HOST_OBJS))

$(BUILD)/host-log/host/%.o: host/%.c $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_CFLAGS) -DHOST_EXIT_LOG -c $< -o $@

$(BUILD)/host-log/host/%.o: host/%.S $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_ASFLAGS) -c $< -o $@

$(BUILD)/host-log/host.elf: $(HOSTLOG_OBJS) $(HOST_LIB_OBJS) host/host.ld
	$(Q)$(LD) $(HOST64_LDFLAGS) -T host/host.ld -o $@ $(HOSTLOG_OBJS) $(HOST_LIB_OBJS)

$(BUILD)/host-log/host.rom: $(BUILD)/host-log/host.elf
	$(Q)$(OBJCOPY) -O binary $< $@

.PHONY: host
host: $(BUILD)/host/host.rom $(BUILD)/host-log/host.rom ## build the reference hypervisor (build/host/host.rom, host.elf; host-log/: logs every VM exit)

all: host

# The validator against Bochs' own VM-entry checks (docs/validator-vs-bochs.md).
#
#   build/host-oracle/host.rom    the reference host built with -DHOST_ORACLE:
#                                 VM-enters a file of states, one line each
#   build/tests/diff/vvb-gen      seeded generator of random and edge-case states
#   build/tests/diff/vvb-compare  runs the same states through the validator and
#                                 compares with the oracle's verdicts
#
# `make diff-bochs` is the full run (DIFF_BOCHS_STATES, default 20000);
# tests/boot/validator-vs-bochs.t is the smaller run `make check` does.
DIFF_BOCHS_STATES ?= 20000
DIFF_BOCHS_SEED   ?= 20261122

# mk/*.mk are included in name order, before host.mk: spell out the host's
# sources here rather than use its (not yet defined) variables.
ORACLE_OBJS := $(patsubst %.c,$(BUILD)/host-oracle/%.o,$(sort $(wildcard host/*.c))) \
               $(patsubst %.S,$(BUILD)/host-oracle/%.o,$(sort $(wildcard host/*.S)))
ORACLE_HDRS := $(wildcard host/*.h loader/*.h) $(LIB_HDRS)
ORACLE_LIB_OBJS := $(HOST64_LIB_OBJS)

$(BUILD)/host-oracle/host/%.o: host/%.c $(ORACLE_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_CFLAGS) -DHOST_ORACLE -c $< -o $@

$(BUILD)/host-oracle/host/%.o: host/%.S $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_ASFLAGS) -DHOST_ORACLE -c $< -o $@

$(BUILD)/host-oracle/host.elf: $(ORACLE_OBJS) $(ORACLE_LIB_OBJS) host/host.ld
	$(Q)$(LD) $(HOST64_LDFLAGS) -T host/host.ld -o $@ $(ORACLE_OBJS) $(ORACLE_LIB_OBJS)

$(BUILD)/host-oracle/host.rom: $(BUILD)/host-oracle/host.elf
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)test $$(stat -c %s $@) -eq 131072 || { echo "host-oracle/host.rom is not 128 KiB"; exit 1; }

VVB_DIR  := tests/diff/validator_vs_bochs
VVB_HDRS := host/oracle.h $(wildcard $(VVB_DIR)/*.h) $(LIB_HDRS)

$(BUILD)/tests/diff/vvb-%: $(VVB_DIR)/%.c $(VVB_HDRS) $(HOSTED_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTED_CFLAGS) $< $(HOSTED_LIB) -o $@

VVB_TOOLS := $(BUILD)/host-oracle/host.rom $(BUILD)/tests/diff/vvb-gen $(BUILD)/tests/diff/vvb-compare

.PHONY: oracle diff-bochs
oracle: $(VVB_TOOLS) ## build the oracle host ROM and the validator-vs-Bochs generator/comparer

diff-bochs: $(VVB_TOOLS) ## validator vs Bochs 2.7's VM-entry checks on DIFF_BOCHS_STATES (20000) random/edge states
	$(Q)RMT_BUILD=$(BUILD) $(VVB_DIR)/run.sh $(DIFF_BOCHS_STATES) $(DIFF_BOCHS_SEED) \
		$(BUILD)/test-out/diff-bochs

all: $(VVB_TOOLS)

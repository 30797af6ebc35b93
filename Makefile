# rmtramp — top-level build.  `make help` lists the targets.
#
# Layout of the build tree:
#   build/blob/      the blob: rmtramp.elf (symbols), rmtramp.bin (flat image)
#   build/host/      the reference hypervisor: host.elf, host.rom (machine firmware)
#   build/hosted/    gdt/ segments/ vm86/ compiled for the build machine (tests, fuzzing)
#   build/images/    guest images: loader + blob + payload, one per scenario
#   build/testimages/ nasm test guests (raw binaries and bootable floppies)
#   build/tests/     unit-test binaries

.DEFAULT_GOAL := all
BUILD      ?= build
V          ?= 0
Q          := $(if $(filter 1,$(V)),,@)

CC         ?= gcc
NASM       ?= nasm
OBJCOPY    ?= objcopy
LD         := ld

WARN       := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
INCLUDES   := -Iinclude -I.

# Code that runs on the emulated machine: 32-bit, freestanding, no SSE (the
# blob must not touch the guest's FPU/SSE state), no stack protector or PIC.
TARGET_CFLAGS := -std=gnu11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
	-mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only -Os -g $(WARN) $(INCLUDES)
TARGET_ASFLAGS := -m32 -g $(INCLUDES)
TARGET_LDFLAGS := -m elf_i386 -nostdlib --no-dynamic-linker -z noexecstack --no-warn-rwx-segments

# The reference host runs in 64-bit mode: a VMX host must, to keep a 64-bit
# guest's RIP, RSP and bases (VMREAD/VMWRITE outside 64-bit mode reach only
# bits 31:0 of natural-width fields, SDM Vol. 3C 24.11.2), and to save the
# guest's R8-R15.  Same rules as the blob: freestanding, no SSE/x87 (the
# FPU state is the guest's); no red zone (exceptions land on the stack);
# linked below 2 GiB, so the small code model.
HOST64_CFLAGS := -std=gnu11 -m64 -mcmodel=small -mno-red-zone -ffreestanding -fno-pic \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
	-mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only -Os -g $(WARN) $(INCLUDES)
HOST64_ASFLAGS := -m64 -g $(INCLUDES)
HOST64_LDFLAGS := -m elf_x86_64 -nostdlib --no-dynamic-linker -z noexecstack \
	-z max-page-size=4096 --no-warn-rwx-segments

# The interpreter (vm86/) is the one hot path the blob has: every trapped or
# interpreted guest instruction runs through it.  It is built for speed
# (make bench measures it); everything else for size.
INTERP_OPT     = $(if $(filter vm86/%,$<),-O2)

# The same freestanding libraries, hosted, for unit/diff/fuzz tests.
HOSTED_CFLAGS := -std=gnu11 -O1 -g $(WARN) $(INCLUDES) -DRMT_HOSTED
CMOCKA_LIBS   := -lcmocka

# Freestanding libraries (no hardware access): DESIGN.md §2 layering.
LIB_DIRS   := lib gdt segments vm86
LIB_SRCS   := $(sort $(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
LIB_HDRS   := $(wildcard include/*/*.h $(addsuffix /*.h,$(LIB_DIRS)))

# ---------------------------------------------------------------- hosted ---
HOSTED_OBJS := $(patsubst %.c,$(BUILD)/hosted/%.o,$(LIB_SRCS))
HOSTED_LIB  := $(BUILD)/hosted/librmtramp.a

$(BUILD)/hosted/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTED_CFLAGS) -c $< -o $@

$(HOSTED_LIB): $(HOSTED_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

# ------------------------------------------- freestanding (target) build ---
# The same library sources built for the emulated machine; linked into the
# blob (all of them) and the host (gdt/ and lib/).
TARGET_LIB_OBJS := $(patsubst %.c,$(BUILD)/target/%.o,$(LIB_SRCS))

$(BUILD)/target/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TARGET_CFLAGS) $(INTERP_OPT) -c $< -o $@

# ... and for the 64-bit host.
HOST64_LIB_OBJS := $(patsubst %.c,$(BUILD)/target64/%.o,$(LIB_SRCS))

$(BUILD)/target64/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST64_CFLAGS) $(INTERP_OPT) -c $< -o $@

.PHONY: libs
libs: $(HOSTED_LIB) $(TARGET_LIB_OBJS) $(HOST64_LIB_OBJS) ## build the freestanding libraries, hosted and for the target

# ------------------------------------------------------------ unit tests ---
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))

$(BUILD)/tests/unit/%: tests/unit/%.c $(HOSTED_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTED_CFLAGS) $< $(HOSTED_LIB) $(CMOCKA_LIBS) -o $@

# The host's one pure piece with a unit test of its own (it #includes it).
$(BUILD)/tests/unit/test_host_cr_decode: host/cr_decode.c host/cr_decode.h

.PHONY: unit
unit: $(UNIT_BINS) ## run the hosted cmocka unit tests
	$(Q)tests/run-unit.sh $(UNIT_BINS)

-include mk/*.mk

.PHONY: all
all: libs $(UNIT_BINS)

.PHONY: clean
clean: ## remove the build tree
	rm -rf $(BUILD)

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | sort -u | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

# The interpreter's extra test targets (vm86/): differential testing against
# unicorn and libFuzzer.  Included by the top-level Makefile.

DIFF_N       ?= 1000000
DIFF_QUICK_N ?= 100000
DIFF_SEED    ?= 1
DIFF_BIN     := $(BUILD)/tests/diff/interp_vs_unicorn

DIFF_SRCS    := tests/diff/interp_vs_unicorn.c tests/diff/unicorn_gen.c

$(DIFF_BIN): $(DIFF_SRCS) tests/diff/unicorn_gen.h $(HOSTED_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOSTED_CFLAGS) $(DIFF_SRCS) $(HOSTED_LIB) -lunicorn -o $@

.PHONY: diff-unicorn diff-unicorn-quick
diff-unicorn: $(DIFF_BIN) ## interpreter vs unicorn, DIFF_N (1,000,000) random instructions
	$(Q)$(DIFF_BIN) $(DIFF_N) $(DIFF_SEED)

diff-unicorn-quick: $(DIFF_BIN) ## interpreter vs unicorn, a quick run (DIFF_QUICK_N) for make check
	$(Q)$(DIFF_BIN) $(DIFF_QUICK_N) $(DIFF_SEED)

# libFuzzer over arbitrary bytes + states (tests/fuzz/fuzz_interp.c).  The
# library sources are compiled into the fuzzer with coverage instrumentation.
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 600
FUZZ_QUICK   ?= 30
FUZZ_BIN     := $(BUILD)/tests/fuzz/fuzz_interp
FUZZ_CORPUS  := $(BUILD)/tests/fuzz/corpus
FUZZ_SRCS    := $(sort $(wildcard vm86/*.c segments/*.c gdt/*.c lib/*.c)) tests/fuzz/fuzz_interp.c
FUZZ_CFLAGS  := -std=gnu11 -O1 -g -Iinclude -I. -DRMT_HOSTED \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(FUZZ_BIN): $(FUZZ_SRCS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

.PHONY: fuzz fuzz-quick
fuzz: $(FUZZ_BIN) ## libFuzzer on the interpreter for FUZZ_TIME seconds (600), corpus kept in build/
	@mkdir -p $(FUZZ_CORPUS)
	$(Q)$(FUZZ_BIN) -max_total_time=$(FUZZ_TIME) -max_len=512 -print_final_stats=1 $(FUZZ_CORPUS)

fuzz-quick: $(FUZZ_BIN) ## a bounded libFuzzer run (FUZZ_QUICK seconds, 30) for make check
	@mkdir -p $(FUZZ_CORPUS)
	$(Q)$(FUZZ_BIN) -max_total_time=$(FUZZ_QUICK) -max_len=512 -seed=1 $(FUZZ_CORPUS) \
		> $(BUILD)/tests/fuzz/quick.log 2>&1 || { tail -40 $(BUILD)/tests/fuzz/quick.log; exit 1; }
	$(Q)echo "fuzz-interp: $$(grep -E '^Done [0-9]+ runs' $(BUILD)/tests/fuzz/quick.log) no crash"

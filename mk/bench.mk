# make bench: figures, not tests (tests/bench/run.sh writes BENCHMARKS.md).
# The interpreter trace harness is built from the freestanding sources with
# the blob's optimisation (-Os, the interpreter -O2: Makefile, INTERP_OPT), so
# callgrind counts what the blob executes.
BENCH_RUNS   ?= 3
ITRACE_BIN   := $(BUILD)/bench/interp_trace
ITRACE_SRCS  := $(sort $(wildcard lib/*.c gdt/*.c segments/*.c vm86/*.c))
ITRACE_OBJS  := $(patsubst %.c,$(BUILD)/bench/obj/%.o,$(ITRACE_SRCS))

$(BUILD)/bench/obj/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -Os $(INTERP_OPT) -g $(INCLUDES) -DRMT_HOSTED -c $< -o $@

$(ITRACE_BIN): tests/bench/interp_trace.c $(ITRACE_OBJS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -Os -g $(INCLUDES) -DRMT_HOSTED $< $(ITRACE_OBJS) -o $@

.PHONY: bench
bench: all $(ITRACE_BIN) ## measure: interpreter cost (callgrind), stack/native boot time of a disk and of every corpus entry, traps and exits -> BENCHMARKS.md
	$(Q)tests/bench/run.sh $(BUILD) $(ITRACE_BIN) $(BENCH_RUNS)

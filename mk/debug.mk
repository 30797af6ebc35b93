# `make debug`: boot through the stack and stop at a transition of the blob
# in a debugger, with the blob's and the host's symbols (scripts/debug.sh,
# docs/debugging.md).  The disk is chosen as for `make run` (ISO=, DISK=,
# SCENARIO=; default the ISOLINUX Linux entry).
#   HOST=bochs  Bochs' debugger; it stops at the magic breakpoint of the
#               N-th transition (exact: Bochs is deterministic here)
#   HOST=qemu   gdb on QEMU's gdbstub (default HOST, as for make run)
#   TRANSITION=N  stop at the N-th handoff/re-entry line; default: the last
#               one of a first, ordinary run (the failing transition)
#   BATCH=1     no prompt: print the state there and at the host's failure,
#               then quit (the recipe's self-check)
.PHONY: debug
debug: all ## stop a boot at its failing transition in Bochs' debugger (HOST=bochs) or gdb (HOST=qemu); ISO=/DISK=/SCENARIO= as make run, TRANSITION=N, BATCH=1
	$(Q)TRANSITION=$(TRANSITION) BATCH=$(BATCH) SCENARIO=$(SCENARIO) RMT_BUILD=$(BUILD) \
		RMT_DISK_KIND=$(RUN_KIND) scripts/debug.sh $(HOST) $(RUN_DISK)

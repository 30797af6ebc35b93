# `make run`: install what is missing, build, and boot a scenario through the
# whole stack with the console on the terminal.
#   HOST=qemu   (default) QEMU TCG + SVM, the host imitating VT-x without UG
#   HOST=bochs  Bochs 2.7, core2_penryn_t9600: real VT-x checks, slower
#   SCENARIO=roundtrip  which test guest (build/images/SCENARIO.img)
HOST     ?= qemu
SCENARIO ?= roundtrip

.PHONY: run
run: ## boot SCENARIO (default roundtrip) through the stack on HOST=qemu (default) or HOST=bochs
	$(Q)scripts/install-deps.sh --check 2>/dev/null || scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)RMT_BUILD=$(BUILD) RMT_LIVE=1 tests/lib/run-stack.sh $(HOST) \
		$(BUILD)/images/$(SCENARIO).img $(BUILD)/run/$(HOST)-$(SCENARIO) 300

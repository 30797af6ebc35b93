# `make run`: install what is missing, build, and boot a scenario through the
# whole stack with the console on the terminal.  For now the stack is the
# Bochs VT-x one and the scenario a test guest (SCENARIO=roundtrip).
SCENARIO ?= roundtrip

.PHONY: run
run: ## boot SCENARIO (default roundtrip) through the Bochs VT-x stack, console on the terminal
	$(Q)scripts/install-deps.sh --check 2>/dev/null || scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)RMT_BUILD=$(BUILD) RMT_LIVE=1 tests/boot/run-stack-bochs.sh \
		$(BUILD)/images/$(SCENARIO).img $(BUILD)/run/$(SCENARIO) 300

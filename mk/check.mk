# The test suite: `make check` is what CI runs (.ci/run).
#
# Order matters, so it is spelled out rather than left to prerequisites
# (which `make -j` would run in parallel):
#   1. the Debian packages (scripts/install-deps.sh --check is one dpkg-query;
#      apt-get only runs when something is missing);
#   2. build everything the tests use (`all`; mk/testimages.mk adds the
#      test guests to it);
#   3. tests/check.sh with the unit binaries; it finds tests/boot/*.t itself.

INSTALL_DEPS := scripts/install-deps.sh

.PHONY: deps
deps: ## install the Debian packages the build and the tests need (only if missing)
	$(Q)$(INSTALL_DEPS) --check 2>/dev/null || $(INSTALL_DEPS)

.PHONY: check
check: ## run the whole test suite (unit tests, native and stack boots)
	$(Q)$(INSTALL_DEPS) --check 2>/dev/null || $(INSTALL_DEPS)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)RMT_BUILD=$(BUILD) tests/check.sh $(UNIT_BINS)

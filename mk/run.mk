# `make run`: install what is missing, build, and boot through the whole
# stack with the console on the terminal.
#   HOST=qemu   (default) QEMU TCG + SVM, the host imitating VT-x without UG
#   HOST=bochs  Bochs 2.7, core2_penryn_t9600: real VT-x checks, slower
#   DISK=path   boot a raw BIOS-bootable disk (floppy or hard disk) through
#               the guest BIOS (SeaBIOS on QEMU, rombios on Bochs); the
#               guest's COM1 and port 0xE9 on the terminal.  Default: the
#               BIOS-services test disk, build/testimages/biosdisk.hdd.
#   SCENARIO=name  instead of a disk, a test guest started directly by the
#               blob without a BIOS (build/images/NAME.img)
#   HOSTLOG=1   the host logs every VM exit (build/host-log/host.rom); the
#               blob logs every transition always
HOSTLOG_ROM = $(if $(filter 1,$(HOSTLOG)),$(abspath $(BUILD)/host-log/host.rom))
HOST ?= qemu
DISK ?= $(BUILD)/testimages/biosdisk.hdd

.PHONY: run
run: ## boot DISK (default: the BIOS-services test disk) through the stack on HOST=qemu|bochs; SCENARIO=name for a BIOS-less test guest
	$(Q)scripts/install-deps.sh --check 2>/dev/null || scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
ifdef SCENARIO
	$(Q)RMT_HOST_ROM=$(HOSTLOG_ROM) RMT_BUILD=$(BUILD) RMT_LIVE=1 tests/lib/run-stack.sh $(HOST) \
		$(BUILD)/images/$(SCENARIO).img $(BUILD)/run/$(HOST)-$(SCENARIO) 300
else
	$(Q)RMT_HOST_ROM=$(HOSTLOG_ROM) RMT_BUILD=$(BUILD) RMT_LIVE=1 tests/lib/run-disk.sh $(HOST) $(DISK) \
		$(BUILD)/run/$(HOST)-disk 900
endif

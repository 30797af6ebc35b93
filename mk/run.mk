# `make run`: install what is missing, build (`all`, which includes `make
# corpus`), and boot through the whole stack with port 0xE9 and the guest's
# COM1 on the terminal.
#   HOST=qemu   (default) QEMU TCG + SVM, the host imitating VT-x without UG,
#               SeaBIOS as the guest BIOS
#   HOST=bochs  Bochs 2.7, core2_penryn_t9600: real VT-x checks, slower;
#               rombios as the guest BIOS
#   (default)   the boot corpus's ISOLINUX entry, build/corpus/
#               linux-isolinux.iso: ISOLINUX -> Debian's kernel -> an init
#               that prints "rmtramp-corpus: init reached" and powers off
#   ISO=path    boot any BIOS-bootable ISO image as a CD-ROM (El Torito)
#   DISK=path   boot a raw BIOS-bootable floppy (1474560 bytes) or hard-disk
#               image (a .iso name is a CD too), e.g. the BIOS-services test
#               disk, DISK=build/testimages/biosdisk.hdd
#   SCENARIO=name  instead of a disk, a test guest started directly by the
#               blob without a BIOS (build/images/NAME.img)
#   HOSTLOG=1   the host logs every VM exit (build/host-log/host.rom); the
#               blob logs every transition always
# A run ends when the guest powers off or the host stops it, or after
# RUN_TIMEOUT seconds (default 900).  On Bochs, MSRs its Penryn model lacks
# read as 0 (Linux reads IA32_MISC_ENABLE; run-stack-bochs.sh).
HOSTLOG_ROM = $(if $(filter 1,$(HOSTLOG)),$(abspath $(BUILD)/host-log/host.rom))
HOST ?= qemu
RUN_TIMEOUT ?= 900
ifdef ISO
RUN_DISK := $(ISO)
RUN_KIND := iso
else ifdef DISK
RUN_DISK := $(DISK)
RUN_KIND :=
else
RUN_DISK := $(BUILD)/corpus/linux-isolinux.iso
RUN_KIND := iso
endif

.PHONY: run
run: ## boot the ISOLINUX Linux entry through the stack on HOST=qemu|bochs; ISO=path.iso or DISK=path.img for another disk, SCENARIO=name for a BIOS-less test guest
	$(Q)scripts/install-deps.sh --check 2>/dev/null || scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
ifdef SCENARIO
	$(Q)RMT_HOST_ROM=$(HOSTLOG_ROM) RMT_BUILD=$(BUILD) RMT_LIVE=1 tests/lib/run-stack.sh $(HOST) \
		$(BUILD)/images/$(SCENARIO).img $(BUILD)/run/$(HOST)-$(SCENARIO) $(RUN_TIMEOUT)
else
	$(Q)RMT_HOST_ROM=$(HOSTLOG_ROM) RMT_BUILD=$(BUILD) RMT_LIVE=1 RMT_DISK_KIND=$(RUN_KIND) \
		RMT_BOCHS_IGNORE_BAD_MSRS=1 tests/lib/run-disk.sh $(HOST) $(RUN_DISK) \
		$(BUILD)/run/$(HOST)-disk $(RUN_TIMEOUT)
endif

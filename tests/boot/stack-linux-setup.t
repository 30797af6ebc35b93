#!/bin/sh
# Seed case 1 (DESIGN.md §6): the Linux setup -> startup_32 sequence
# (testimages/linux-setup.asm) with setup.S's bogus GDT limit 0x8000 and
# SS/DS/ES still holding the real-mode value 0x3000 when 32-bit code runs.
#
# Asserts: the guest's lines under the stack equal native QEMU's and native
# Bochs' and testimages/linux-setup.expected; the state right after LMSW is
# already enterable (real-mode caches with RPL 0 = DPL 0), so the blob hands
# off there, once, with no interpreted window and without ever reading a
# descriptor for 0x3000 (the decoy behind the GDT would show in the output);
# the run ends in protected mode (no re-entry); no FATAL.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start linux-setup
scenario_boot_three 120
scenario_counters 1 0
scenario_count_is 0 '^rmtramp: vcpu0 interpreting: ' "interpreted protected-mode windows"
# The handoff record carries SS/DS/ES exactly as real mode left them.
grep -q '^rmtramp: vcpu0 handoff to protected mode at .* es=3000/30000/ffff/93 cs=0000/0/ffff/9b ss=3000/30000/ffff/93 ds=3000/30000/ffff/93 ' "$con" ||
	scenario_fail "the handoff record does not carry the real-mode SS/DS/ES caches"
scenario_no_fatal
scenario_ok

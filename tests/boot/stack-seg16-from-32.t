#!/bin/sh
# Seed case 3 (DESIGN.md §6): 16-bit data and stack segments loaded in real
# mode, used from a 32-bit CS before they are reloaded
# (testimages/seg16-from-32.asm): PUSH/POP/CALL/RET through the cached 16-bit
# SS use SP, not ESP, and SP wraps at 64 KiB.
#
# Pass 1 (SS/DS/ES RPL 0) is enterable right after MOV CR0, so the processor
# runs the 32-bit probe; pass 2 (the same values with RPL 3) is not
# (SS.RPL != CS.RPL), so the blob must interpret the probe until MOV SS.
#
# Asserts: the guest's lines under the stack equal native QEMU's and native
# Bochs' and testimages/seg16-from-32.expected; two handoffs (the first at
# MOV CR0, the second after the reload of SS, from the 32-bit CS), one
# re-entry, exactly one interpreted window and for the SS.RPL reason; no
# FATAL.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start seg16-from-32
scenario_boot_three 120
scenario_counters 2 1
scenario_count_is 1 '^rmtramp: vcpu0 interpreting: state not enterable yet \(26\.3\.1\.2: SS\.RPL \(3\) != CS\.RPL \(0\)\)$' \
	"interpreted windows (SS.RPL != CS.RPL)"
scenario_count_is 1 '^rmtramp: vcpu0 handoff to protected mode at 0000:.* ss=2000/20000/ffff/93 ' \
	"handoffs at MOV CR0 with the real-mode SS 2000"
scenario_count_is 1 '^rmtramp: vcpu0 handoff to protected mode at 0008:.* ss=0010/0/ffffffff/c093 ' \
	"handoffs from the 32-bit CS after the reload of SS"
scenario_no_fatal
scenario_ok

#!/bin/sh
# The A20 gate (testimages/a20.asm): closed and opened through port 0x92 and
# through the keyboard controller, the 8086 wrap observed in plain real mode
# (vm86 under the stack: the blob's page tables make the wrap, VT-x ignores
# A20M#) and in big real mode (the blob's interpreter masks address bit 20).
# Identical to native QEMU and Bochs, on both stacks.  The protected-mode
# step that loads the big FS is never handed off (ES.RPL 3, see below).
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start a20
scenario_boot_three 120
scenario_also_qemu_stack 120
# ES still holds FFFF (RPL 3) while PE is set: never enterable, so the blob
# interprets the whole protected-mode window and hands nothing off.
scenario_count_is 1 '^rmtramp: vcpu0 interpreting: state not enterable yet \(26\.3\.1\.2: ES\.DPL \(0\) < ES\.RPL \(3\)' "interpreted windows (ES.RPL 3)"
grep -q '^host: blob vcpu0 counters: handoffs=0 reentries=0 ' "$con" ||
	scenario_fail "expected no handoff"
grep -q -E '^host: blob vcpu0 counters: .* a20_changes=[1-9]' "$con" ||
	scenario_fail "the blob counted no A20 gate changes"
scenario_no_fatal
scenario_ok

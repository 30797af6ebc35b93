#!/bin/sh
# Seed case 2 (DESIGN.md §6): FreeBSD BTX's start-up (testimages/btx.asm):
# DS and ES zeroed in real mode and used from 32-bit code (LIDT, LTR, data,
# REP STOSD, an INT3 handler) before BTX pops its own selectors into them.
#
# Asserts: the guest's lines under the stack equal native QEMU's and native
# Bochs' and testimages/btx.expected; the blob hands off right after MOV CR0
# (selector 0 loaded in real mode is usable, not null: nothing to wait for),
# with DS/ES carried as real mode left them (never nulled, never looked up);
# one handoff, no re-entry, no interpreted window, no FATAL.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start btx
scenario_boot_three 120
scenario_counters 1 0
scenario_count_is 0 '^rmtramp: vcpu0 interpreting: ' "interpreted protected-mode windows"
grep -q '^rmtramp: vcpu0 handoff to protected mode at .* es=0000/0/ffff/93 cs=0000/0/ffff/9b ss=0000/0/ffff/93 ds=0000/0/ffff/93 ' "$con" ||
	scenario_fail "the handoff record does not carry DS/ES = 0 with their real-mode caches"
scenario_no_fatal
scenario_ok

#!/bin/sh
# Real-mode exceptions and software interrupts through the guest's own IVT
# (testimages/rm-exceptions.asm): #DE (DIV by zero, IDIV overflow), #UD (UD2,
# ARPL, LAR), INT3, INT 3, INT n, INTO, BOUND, single-step with TF (also over
# INT n/INT3/INTO, MOV SS/POP SS, POPF, a fault) and an INT from inside a
# handler — in plain real mode (vm86 under the stack: faults trap to the blob
# and are reflected, INT n is redirected by VME on Bochs) and in big real
# mode (vm86 as well, segments/vm86_fit.h; the accesses above 1 MiB through
# FS — BOUND's operand among them — trap at the 64 KiB limit and are
# interpreted, so the blob delivers that #BR itself).  Each event's
# vector, pushed CS:IP and FLAGS (IOPL masked: VME pushes IOPL 3, see the
# guest) must be what native QEMU and native Bochs print.
#
# This test found two single-step bugs in the blob's interpreted path (an
# extra #DB after INT n/INT3/INTO, and none held back after MOV SS/POP SS):
# firmware/run.c single_step_trap_due() is the fix.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start rm-exceptions
scenario_boot_three 120
scenario_also_qemu_stack 120
# One protected-mode trip (load the 4 GiB FS): one handoff, one re-entry.
scenario_counters 1 1
# Faults and traps from vm86 reached the blob and were reflected: #UD (UD2,
# ARPL, LAR), #DB (single steps), #DE/#BR ("other").
# Both passes raise their #UD (UD2, ARPL, LAR: 2 x 3) and their #DE (DIV,
# IDIV, the one under TF: 2 x 3) in vm86, plain real mode its #BR too: 6 #UD
# and 7 other traps.
grep -q -E '^host: blob vcpu0 counters: .* trap_ud=6 trap_db=[1-9][0-9]* .*trap_other=7 .*reflected=[1-9][0-9]* ' "$con" ||
	scenario_fail "the blob's counters show no reflected #UD/#DB/#DE/#BR from vm86"
scenario_no_fatal
scenario_ok

#!/bin/sh
# Seed case 4 (DESIGN.md §6): every segment-load form inside the transition
# windows (testimages/transition-loads.asm).  Window A: PE set while SS holds
# the real-mode value 0x1003 (SS.RPL != CS.RPL: not enterable), so the blob
# interprets far JMP, LGS, POP ES, LFS, LES, LDS, a far CALL into 32-bit code
# and O16 RETF, IRET, until LSS.  Window B: PE cleared while every register
# holds a protected-mode base: a far JMP to a real-mode CS, far CALL/RETF and
# IRET through the SS at its protected-mode base, then POP ES, LFS, LDS,
# LSS, LGS with real-mode values.
#
# Asserts: the guest's lines under the stack equal native QEMU's and native
# Bochs' and testimages/transition-loads.expected; exactly one interpreted
# protected-mode window, for the SS.RPL reason; the one handoff comes right
# after LSS (CS 0018, SS 0048), not before; one re-entry, with the
# protected-mode bases intact; no FATAL.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start transition-loads
scenario_boot_three 120
scenario_counters 1 1
scenario_count_is 1 '^rmtramp: vcpu0 interpreting: state not enterable yet \(26\.3\.1\.2: SS\.RPL \(3\) != CS\.RPL \(0\)\)$' \
	"interpreted windows (SS.RPL != CS.RPL)"
scenario_count_is 1 '^rmtramp: vcpu0 handoff to protected mode at 0018:.* cs=0018/0/ffff/9b ss=0048/44000/ffff/93 ds=0038/42000/ffff/93 fs=0038/42000/ffff/93 gs=0028/40000/ffff/93' \
	"handoffs right after LSS with the loaded descriptors"
scenario_count_is 1 '^rmtramp: vcpu0 reentry, guest cleared PE at 0018:.* ss=0048/44000/ffff/93 ds=0030/41000/ffff/93 ' \
	"re-entries carrying the protected-mode bases"
scenario_no_fatal
scenario_ok

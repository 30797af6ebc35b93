#!/bin/sh
# Seed case 5 (DESIGN.md §6: "big real mode persists across mode changes"):
# testimages/big-real-mode.asm loads 4 GiB data segments in protected mode,
# returns to real mode, reloads them with real-mode values and uses 32-bit
# offsets above 1 MiB; saves and restores the x87 state with FXSAVE/FXRSTOR
# above 1 MiB (as iPXE's librm does), which the blob interprets and runs
# natively, and takes the #GP of a misaligned FXSAVE; then goes through
# protected mode again without touching them, comes back, and uses them
# again without reloading.
#
# Asserts: the guest's lines under the stack equal native QEMU's and native
# Bochs' and testimages/big-real-mode.expected; two handoffs, two re-entries,
# no interpreted protected-mode window (both PE sets are enterable at once);
# the second handoff and second re-entry carry DS/ES/FS/GS = selector 0 with
# the 4 GiB limit (AR 8093: G=1) — the limit crossed the host both ways;
# no FATAL; the same lines through the QEMU-SVM stack (FXSAVE natively
# under QEMU's TCG as well as Bochs').
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start big-real-mode
scenario_boot_three 120
scenario_also_qemu_stack 60
scenario_counters 2 2
scenario_count_is 0 '^rmtramp: vcpu0 interpreting: ' "interpreted protected-mode windows"
big='es=0000/0/ffffffff/8093 cs=0000/0/ffff/9b ss=0000/0/ffff/93 ds=0000/0/ffffffff/8093 fs=0000/0/ffffffff/8093 gs=0000/0/ffffffff/8093'
scenario_count_is 1 "^rmtramp: vcpu0 handoff to protected mode at .* $big\$" \
	"handoffs carrying the real-mode selectors with 4 GiB limits"
scenario_count_is 1 "^rmtramp: vcpu0 reentry, guest cleared PE at 0018:.* ds=0000/0/ffffffff/8093 fs=0000/0/ffffffff/8093 gs=0000/0/ffffffff/8093\$" \
	"re-entries carrying the 4 GiB limits back"
scenario_no_fatal
scenario_ok

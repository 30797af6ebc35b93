#!/bin/sh
# Seed case 6: protected-mode data and stack segments with non-zero bases and
# limits below 4 GiB — expand-up, expand-down (B=0 and B=1), page-granular —
# and the faults at their limits and on bad loads, taken through the guest's
# own IDT (testimages/pm-segments.asm): #GP(0), #SS(0), #GP(sel), #NP(sel),
# #SS(sel).  The probes run after the handoff, on the processor.
#
# Native reference: Bochs.  QEMU 7.2 TCG does not implement segment-limit
# and write-permission checks on data accesses (measured: a dword read at
# offset 0FFE of a segment with limit 0FFF returns data instead of #GP, a
# write through a read-only data segment succeeds), so its run is compared
# with testimages/pm-segments.qemu-tcg.expected, which pins that deviation
# line by line; its descriptor-load checks agree with Bochs.
#
# Asserts: the guest's lines under the stack equal native Bochs' and
# testimages/pm-segments.expected; one handoff right after MOV CR0, no
# re-entry, no interpreted window, no FATAL.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start pm-segments
SCENARIO_QEMU_DEVIATES=$root/testimages/pm-segments.qemu-tcg.expected
scenario_boot_three 120
scenario_counters 1 0
scenario_count_is 0 '^rmtramp: vcpu0 interpreting: ' "interpreted protected-mode windows"
scenario_no_fatal
scenario_ok

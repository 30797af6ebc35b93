#!/bin/sh
# The pm-segments probes inside an interpreted protected-mode window
# (testimages/pm-window-faults.asm): GS keeps the real-mode value 0x0003
# (RPL 3 > DPL 0, not enterable: SDM Vol. 3C 26.3.1.2) until the probes are
# done, so the blob interprets them and must deliver their #GP/#SS/#NP
# through the guest's IDT as the processor would (SDM Vol. 3A 6.12.1).
#
# Native reference: Bochs; QEMU TCG's known deviation (no segment-limit or
# write-permission checks on data accesses) is pinned in
# testimages/pm-window-faults.qemu-tcg.expected (see stack-pm-segments.t).
#
# Asserts: the guest's lines under the stack equal native Bochs' and
# testimages/pm-window-faults.expected; exactly one interpreted window, for
# the GS rule; one handoff, after GS is reloaded; no re-entry; no FATAL.
set -eu
. "$(dirname "$0")/../lib/stack-scenario.sh"
scenario_start pm-window-faults
SCENARIO_QEMU_DEVIATES=$root/testimages/pm-window-faults.qemu-tcg.expected
scenario_boot_three 120
scenario_no_fatal
scenario_counters 1 0
scenario_count_is 1 '^rmtramp: vcpu0 interpreting: state not enterable yet \(26\.3\.1\.2: GS\.DPL \(0\) < GS\.RPL \(3\), type 3\)$' \
	"interpreted windows (GS.RPL > GS.DPL)"
scenario_count_is 1 '^rmtramp: vcpu0 handoff to protected mode at 0008:.* gs=0010/0/ffffffff/c093$' \
	"handoffs after the reload of GS"
scenario_ok

/*
 * The handoff record: "is this state enterable, and if so, what exactly do we
 * give the host?" (DESIGN.md §1.3).
 *
 * The record is the guest-visible state (struct rmt_state, the ABI's
 * context.guest) with only the fix-ups docs/handoff-policy.md lists — hidden
 * fields the processor provably never consults after the load.  Anything else
 * that would fail a VM-entry check is not adjusted: the state is simply not
 * enterable yet, and the blob keeps interpreting until the guest reloads the
 * offending register.
 *
 * "Enterable" = the guest is in protected mode (or its own vm86 mode), its
 * CPL is the one VMX will derive from SS.DPL, and the record, transformed
 * into the VMCS view the host enters (vmcs_view_from_guest), passes every
 * VM-entry rule of gdt/vmentry.h.
 */
#ifndef SEGMENTS_HANDOFF_H
#define SEGMENTS_HANDOFF_H

#include "segments/guest_cpu.h"
#include "gdt/vmentry.h"

/* Fix-ups, as a mask: bit (1 << RMT_xx) set the cached accessed bit of that
 * register (policy F1). */
#define HANDOFF_FIX_ACCESSED(seg) (1u << (seg))

struct handoff {
	struct rmt_state record;        /* for context.guest (valid when enterable) */
	struct vmcs_view view;          /* what the host will enter */
	unsigned fixups;                /* HANDOFF_FIX_* applied to record */
	char refusal[VMENTRY_MSG_MAX];  /* a policy reason the validator cannot see; "" if none */
	struct vmentry_report report;   /* VM-entry rule failures of view */
};

/*
 * Build the record and decide.  identity_cr3 is the CR3 the host uses while
 * the guest's paging is off (it only matters to the CR3 width rule).
 * Returns 1 if enterable, 0 if not (refusal[] or report says why).
 */
int handoff_build(const struct guest_cpu *cpu, const struct vmentry_config *cfg,
		  uint32_t identity_cr3, struct handoff *out);

#endif /* SEGMENTS_HANDOFF_H */

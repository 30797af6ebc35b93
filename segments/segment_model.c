/*
 * The handoff record and the "enterable?" verdict.
 */
#include "lib/string.h"
#include "segments/segment_model.h"

/* Data-segment type bits (SDM Vol. 3A 3.4.5.1). */
#define TYPE_ACCESSED    0x1u

void seg_build_handoff(const struct guest_cpu *c, struct rmt_state *out)
{
	*out = c->s;
	/*
	 * Fix-up: the accessed bit of the cached code/data descriptors.  VM
	 * entry wants it set (rules 14-16); the processor sets it in the
	 * descriptor in memory when it loads a segment (SDM Vol. 3A 3.4.5.1,
	 * "accessed bit") and never consults the cached copy afterwards, so
	 * setting it in the cache changes nothing the guest can observe.
	 * docs/handoff-policy.md.
	 */
	for (unsigned r = RMT_ES; r <= RMT_GS; r++) {
		struct rmt_segment *s = &out->seg[r];
		if (!(s->ar & RMT_AR_UNUSABLE) && (s->ar & RMT_AR_S))
			s->ar |= TYPE_ACCESSED;
	}
	/* The guest is not halted or blocked at a handoff: the monitor only
	 * hands off between instructions it executed. */
	out->interruptibility = 0;
	out->activity = 0;
	out->eflags &= ~X86_FL_RF;
}

int seg_enterable(const struct guest_cpu *c, struct vmentry_report *rep)
{
	struct rmt_state record;
	struct vmcs_view view;

	seg_build_handoff(c, &record);
	/* The identity CR3 is the host's; any page-aligned value below
	 * MAXPHYADDR checks the same. */
	vmcs_view_from_guest(&record, 0, &view);
	return vmentry_validate(&vmentry_config_penryn, &view, rep) == 0;
}

/*
 * The handoff questions the monitor asks of the segment model: is the
 * guest's protected-mode state one the processor will VM-enter, and what
 * exactly does the handoff record hold?  (Whether vm86 can run the guest is
 * segments/vm86_fit.h; the model's transitions are segments/transitions.h.)
 */
#ifndef SEGMENTS_SEGMENT_MODEL_H
#define SEGMENTS_SEGMENT_MODEL_H

#include "segments/guest_cpu.h"
#include "gdt/vmentry.h"

/* Build the handoff record from the model, with only the fix-ups
 * docs/handoff-policy.md lists. */
void seg_build_handoff(const struct guest_cpu *c, struct rmt_state *out);

/* 1 if the handoff record passes every VM-entry check (Penryn, no UG);
 * otherwise 0 with every failing rule in *rep. */
int seg_enterable(const struct guest_cpu *c, struct vmentry_report *rep);

#endif

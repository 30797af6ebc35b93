/*
 * Taking the guest back from the host at re-entry (segments/transitions.h):
 * the record is what the host saved from the VMCS; the model trusts it as
 * the processor's own state and marks every register SEG_FROM_HOST.
 */
#include "segments/transitions.h"
#include "gdt/descriptor.h"

void guest_cpu_import_host(struct guest_cpu *cpu, const struct rmt_state *saved)
{
	cpu->s = *saved;
	for (int r = 0; r < RMT_NSEG; r++)
		cpu->origin[r] = SEG_FROM_HOST;
	if (!(saved->cr0 & X86_CR0_PE))
		cpu->cpl = 0;
	else if (saved->eflags & X86_FL_VM)
		cpu->cpl = 3;
	else
		cpu->cpl = (uint8_t)ar_dpl(saved->seg[RMT_SS].ar);
}

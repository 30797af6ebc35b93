/*
 * MOV to CR0 (segments/transitions.h).
 */
#include "segments/transitions.h"
#include "gdt/descriptor_table.h"

/* The CR0 bits a 32-bit processor defines; the rest of CR0[31:0] is reserved
 * and writes to it are ignored (SDM Vol. 3A 2.5). */
#define CR0_DEFINED (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | \
		     X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | \
		     X86_CR0_PG)

int guest_cpu_write_cr0(struct guest_cpu *cpu, uint32_t value, struct x86_fault *fault)
{
	/* "#GP(0) if an attempt is made to write invalid bit combinations in
	 * CR0 (such as setting the PG flag to 1 when the PE flag is set to 0, or
	 * setting the CD flag to 0 when the NW flag is set to 1)" (MOV CR). */
	if (((value & X86_CR0_PG) && !(value & X86_CR0_PE)) ||
	    ((value & X86_CR0_NW) && !(value & X86_CR0_CD))) {
		x86_fault_set(fault, X86_GP, 0);
		return -1;
	}
	cpu->s.cr0 = (value & CR0_DEFINED) | X86_CR0_ET;
	/*
	 * Nothing else.  In particular no segment register changes: the
	 * guest's CS still holds its real-mode (or protected-mode) cache and
	 * keeps executing from it; SS, DS, ... stay usable with the values
	 * they had (FreeBSD btx, Linux setup — DESIGN.md §6).  Real mode has
	 * CPL 0; entering protected mode does not change it.
	 */
	if (!(value & X86_CR0_PE))
		cpu->cpl = 0;
	return 0;
}

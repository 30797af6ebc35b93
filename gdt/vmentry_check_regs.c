/*
 * VM-entry checks on control registers and MSRs (SDM Vol. 3C 26.3.1.1),
 * GDTR/IDTR (26.3.1.3) and RIP/RFLAGS (26.3.1.4).
 *
 * Our record is 32-bit: CR3, DR7, the descriptor-table bases and RIP have no
 * bits 63:32 to get wrong, so the checks on those upper halves (CR3[63:52],
 * DR7[63:32], canonical bases, RIP[63:32]) cannot fail and are not rules here
 * (docs/vmentry-validator.md lists them).
 */
#include "gdt/vmentry_rules.h"

/* "The CR0 field must not set any bit to a value not supported in VMX
 * operation" (26.3.1.1, 23.8): bits set in IA32_VMX_CR0_FIXED0 must be 1 ... */
void vmentry_check_cr0_fixed0(struct vmentry_ctx *c)
{
	uint32_t missing = c->cfg->cr0_fixed0 & ~c->v->s.cr0;

	if (missing)
		vmentry_fail(c, "CR0 (0x%08x) lacks bits 0x%08x required by CR0_FIXED0 (0x%08x)",
			     c->v->s.cr0, missing, c->cfg->cr0_fixed0);
}

/* ... and bits clear in FIXED1 must be 0.  "Bit 29 (NW) and bit 30 (CD) are
 * never checked because the values of these bits are not changed by VM
 * entry." */
void vmentry_check_cr0_fixed1(struct vmentry_ctx *c)
{
	uint32_t extra = c->v->s.cr0 & ~c->cfg->cr0_fixed1 & ~(X86_CR0_NW | X86_CR0_CD);

	if (extra)
		vmentry_fail(c, "CR0 (0x%08x) sets bits 0x%08x that CR0_FIXED1 (0x%08x) forbids",
			     c->v->s.cr0, extra, c->cfg->cr0_fixed1);
}

/* "If bit 31 in the CR0 field (corresponding to PG) is 1, bit 0 (PE) must
 * also be 1." */
void vmentry_check_cr0_pg_needs_pe(struct vmentry_ctx *c)
{
	if ((c->v->s.cr0 & X86_CR0_PG) && !(c->v->s.cr0 & X86_CR0_PE))
		vmentry_fail(c, "CR0.PG=1 with CR0.PE=0 (CR0 0x%08x)", c->v->s.cr0);
}

/* "The CR4 field must not set any bit to a value not supported in VMX
 * operation": FIXED0 bits (VMXE) must be 1 ... */
void vmentry_check_cr4_fixed0(struct vmentry_ctx *c)
{
	uint32_t missing = c->cfg->cr4_fixed0 & ~c->v->s.cr4;

	if (missing)
		vmentry_fail(c, "CR4 (0x%08x) lacks bits 0x%08x required by CR4_FIXED0 (0x%08x)",
			     c->v->s.cr4, missing, c->cfg->cr4_fixed0);
}

/* ... and no bit outside FIXED1 may be 1. */
void vmentry_check_cr4_fixed1(struct vmentry_ctx *c)
{
	uint32_t extra = c->v->s.cr4 & ~c->cfg->cr4_fixed1;

	if (extra)
		vmentry_fail(c, "CR4 (0x%08x) sets bits 0x%08x that CR4_FIXED1 (0x%08x) forbids",
			     c->v->s.cr4, extra, c->cfg->cr4_fixed1);
}

/* "If the 'IA-32e mode guest' VM-entry control is 1, bit 31 in the CR0 field
 * (PG) and bit 5 in the CR4 field (PAE) must each be 1." */
void vmentry_check_ia32e_needs_pg_pae(struct vmentry_ctx *c)
{
	if (c->v->ia32e_mode_guest &&
	    (!(c->v->s.cr0 & X86_CR0_PG) || !(c->v->s.cr4 & X86_CR4_PAE)))
		vmentry_fail(c, "IA-32e mode guest with CR0.PG=%u CR4.PAE=%u",
			     !!(c->v->s.cr0 & X86_CR0_PG), !!(c->v->s.cr4 & X86_CR4_PAE));
}

/* "If the 'IA-32e mode guest' VM-entry control is 0, bit 17 in the CR4 field
 * (PCIDE) must be 0." */
void vmentry_check_pcide_needs_ia32e(struct vmentry_ctx *c)
{
	if (!c->v->ia32e_mode_guest && (c->v->s.cr4 & X86_CR4_PCIDE))
		vmentry_fail(c, "CR4.PCIDE=1 without IA-32e mode guest (CR4 0x%08x)", c->v->s.cr4);
}

/* "The CR3 field must be such that bits 63:52 and bits in the range 51:32
 * beyond the processor's physical-address width are 0."  Only a processor
 * with fewer than 32 address bits could object to a 32-bit CR3. */
void vmentry_check_cr3_width(struct vmentry_ctx *c)
{
	unsigned width = c->cfg->maxphyaddr;

	if (width < 32 && (c->v->s.cr3 >> width))
		vmentry_fail(c, "CR3 (0x%08x) has bits beyond MAXPHYADDR (%u)", c->v->s.cr3, width);
}

/* "If the 'load IA32_EFER' VM-entry control is 1 ... bits reserved in the
 * IA32_EFER MSR must be 0" */
void vmentry_check_efer_reserved(struct vmentry_ctx *c)
{
	if (!c->cfg->load_efer)
		return;
	if ((c->v->s.efer_lo & ~c->cfg->efer_supported) || c->v->s.efer_hi)
		vmentry_fail(c, "EFER (0x%08x:%08x) sets reserved bits (supported 0x%08x)",
			     c->v->s.efer_hi, c->v->s.efer_lo, c->cfg->efer_supported);
}

/* "... bit 10 (LMA) must equal the value of the 'IA-32e mode guest' control" */
void vmentry_check_efer_lma(struct vmentry_ctx *c)
{
	unsigned lma = !!(c->v->s.efer_lo & X86_EFER_LMA);

	if (c->cfg->load_efer && lma != c->v->ia32e_mode_guest)
		vmentry_fail(c, "EFER.LMA (%u) != IA-32e mode guest (%u)", lma,
			     c->v->ia32e_mode_guest);
}

/* "... It must also be identical to bit 8 (LME) if bit 31 in the CR0 field
 * (PG) is 1." */
void vmentry_check_efer_lme(struct vmentry_ctx *c)
{
	unsigned lma = !!(c->v->s.efer_lo & X86_EFER_LMA);
	unsigned lme = !!(c->v->s.efer_lo & X86_EFER_LME);

	if (c->cfg->load_efer && (c->v->s.cr0 & X86_CR0_PG) && lma != lme)
		vmentry_fail(c, "EFER.LME (%u) != EFER.LMA (%u) with CR0.PG=1", lme, lma);
}

/* 26.3.1.3: "Bits 31:16 of the GDTR limit and IDTR limit fields must be 0." */
void vmentry_check_gdtr_limit(struct vmentry_ctx *c)
{
	if (c->v->s.gdtr.limit > 0xffffu)
		vmentry_fail(c, "GDTR.limit (0x%08x) has bits 31:16 set", c->v->s.gdtr.limit);
}

void vmentry_check_idtr_limit(struct vmentry_ctx *c)
{
	if (c->v->s.idtr.limit > 0xffffu)
		vmentry_fail(c, "IDTR.limit (0x%08x) has bits 31:16 set", c->v->s.idtr.limit);
}

/* 26.3.1.4: "Bits reserved in the RFLAGS field must be 0": 63:22, 15, 5, 3. */
#define RFLAGS_RESERVED 0xffc08028u

void vmentry_check_rflags_reserved(struct vmentry_ctx *c)
{
	uint32_t bad = c->v->s.eflags & RFLAGS_RESERVED;

	if (bad)
		vmentry_fail(c, "RFLAGS (0x%08x) sets reserved bits 0x%08x", c->v->s.eflags, bad);
}

/* "Bit 1 (reserved) must be 1." */
void vmentry_check_rflags_bit1(struct vmentry_ctx *c)
{
	if (!(c->v->s.eflags & X86_FL_FIXED))
		vmentry_fail(c, "RFLAGS (0x%08x) bit 1 is 0", c->v->s.eflags);
}

/* "The VM flag (bit 17) must be 0 either for entry to IA-32e mode or if the
 * PE bit (bit 0) in the CR0 field is 0." */
void vmentry_check_rflags_vm(struct vmentry_ctx *c)
{
	if ((c->v->s.eflags & X86_FL_VM) &&
	    (c->v->ia32e_mode_guest || !(c->v->s.cr0 & X86_CR0_PE)))
		vmentry_fail(c, "RFLAGS.VM=1 with CR0.PE=%u, IA-32e mode guest=%u",
			     c->v->s.cr0 & X86_CR0_PE, c->v->ia32e_mode_guest);
}

/* "The IF flag (RFLAGS[bit 9]) must be 1 if the valid bit is 1 in the VM-entry
 * interruption-information field and the interruption type is external
 * interrupt." */
void vmentry_check_rflags_if_for_extint(struct vmentry_ctx *c)
{
	if (injecting(c, VMX_INTR_TYPE_EXT_INT) && !(c->v->s.eflags & X86_FL_IF))
		vmentry_fail(c, "external interrupt 0x%02x injected with RFLAGS.IF=0",
			     c->v->entry_intr_info & 0xffu);
}

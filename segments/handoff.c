/*
 * Building the handoff record (segments/handoff.h).  Each fix-up here has
 * its entry, with the SDM text that justifies it, in docs/handoff-policy.md;
 * a fix-up that is not listed there must not exist here.
 */
#include "segments/handoff.h"
#include "gdt/descriptor.h"
#include "lib/fmt.h"
#include "lib/string.h"

/*
 * F1: the accessed bit of a cached code/data descriptor.
 *
 * VM entry wants it set on CS, SS and every usable DS/ES/FS/GS (SDM Vol. 3C
 * 26.3.1.2).  It may be clear in our model only for a register whose hidden
 * part did not come from a descriptor load — the reset value, a boot record,
 * a real-mode load that kept older attributes — because every protected-mode
 * load sets it (SDM Vol. 3A 3.4.5.1).  The processor never consults the
 * cached copy: the bit exists for software that reads the descriptor *in
 * memory* (LAR, LSL and VERR/VERW read the table too), and no access check
 * depends on it.  Setting it in the record changes nothing the guest can
 * observe.  Registers in a vm86 record are untouched (they must be exactly
 * 0xF3, which has it).
 */
static unsigned fix_accessed_bits(struct rmt_state *rec)
{
	static const enum rmt_seg segs[] = { RMT_ES, RMT_CS, RMT_SS, RMT_DS, RMT_FS, RMT_GS };
	unsigned fixed = 0;

	if (rec->eflags & X86_FL_VM)
		return 0;
	for (unsigned i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		struct rmt_segment *s = &rec->seg[segs[i]];

		if (segs[i] != RMT_CS && !ar_usable(s->ar))
			continue;
		if (ar_is_code_or_data(s->ar) && !(s->ar & DESC_TYPE_ACCESSED)) {
			s->ar |= DESC_TYPE_ACCESSED;
			fixed |= HANDOFF_FIX_ACCESSED(segs[i]);
		}
	}
	return fixed;
}

/*
 * Policy checks the VM-entry rules cannot make, because the VMCS view forces
 * CR0.PE and derives CPL from SS: the guest must really be in protected mode,
 * and must be running at the privilege VMX will give it.
 */
static int refuse(const struct guest_cpu *cpu, char *why, unsigned size)
{
	unsigned ss_dpl = ar_dpl(cpu->s.seg[RMT_SS].ar);

	if (!(cpu->s.cr0 & X86_CR0_PE)) {
		rmt_snprintf(why, size, "CR0.PE=0: real mode needs unrestricted guest");
		return 1;
	}
	/* "SS.DPL ... is the CPL" after VM entry (SDM Vol. 3C 26.3.2.2); a vm86
	 * guest's SS.DPL is 3, which is its CPL. */
	if (cpu->cpl != ss_dpl) {
		rmt_snprintf(why, size, "CPL (%u) != SS.DPL (%u): VM entry would change CPL",
			     cpu->cpl, ss_dpl);
		return 1;
	}
	return 0;
}

int handoff_build(const struct guest_cpu *cpu, const struct vmentry_config *cfg,
		  uint32_t identity_cr3, struct handoff *out)
{
	memset(out, 0, sizeof(*out));
	out->record = cpu->s;
	out->fixups = fix_accessed_bits(&out->record);
	vmcs_view_from_guest(&out->record, identity_cr3, &out->view);
	vmentry_validate(cfg, &out->view, &out->report);
	if (refuse(cpu, out->refusal, sizeof(out->refusal)))
		return 0;
	return out->report.failures == 0;
}

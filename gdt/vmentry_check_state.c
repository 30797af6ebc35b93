/*
 * VM-entry checks on non-register state (SDM Vol. 3C 26.3.1.5): activity
 * state, interruptibility state and pending debug exceptions.
 *
 * These matter to the blob mainly through HLT and the STI/MOV-SS shadow: a
 * guest that executes STI; HLT or MOV SS, x right before the handoff carries
 * that state into the VMCS, and a vm86 guest (SS.DPL = 3) can never be
 * entered halted.
 *
 * Not rules here (docs/vmentry-validator.md): the VMCS link pointer (not part
 * of the guest record) and "NMI injection with STI blocking" (implementation
 * specific).
 */
#include "gdt/vmentry_rules.h"

static unsigned intr_type(const struct vmentry_ctx *c)
{
	return (c->v->entry_intr_info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT;
}

static unsigned intr_vector(const struct vmentry_ctx *c)
{
	return c->v->entry_intr_info & 0xffu;
}

/* "The activity-state field must contain a value in the range 0 – 3." */
void vmentry_check_activity_range(struct vmentry_ctx *c)
{
	if (c->v->s.activity > VMX_ACTIVITY_WAIT_SIPI)
		vmentry_fail(c, "activity state (%u) is not 0-3", c->v->s.activity);
}

/* "The activity-state field must not indicate the HLT state if the DPL (bits
 * 6:5) in the access-rights field for SS is not 0."  (The supported-states
 * rule below is separate.) */
void vmentry_check_hlt_needs_ss_dpl0(struct vmentry_ctx *c)
{
	unsigned dpl = ar_dpl(vseg(c, RMT_SS)->ar);

	if (c->v->s.activity == VMX_ACTIVITY_HLT && dpl != 0)
		vmentry_fail(c, "activity HLT with SS.DPL (%u) != 0", dpl);
}

/* "... must not indicate an activity state that the processor does not
 * support (IA32_VMX_MISC bits 8:6)." */
void vmentry_check_activity_supported(struct vmentry_ctx *c)
{
	unsigned a = c->v->s.activity;

	if (a >= VMX_ACTIVITY_HLT && a <= VMX_ACTIVITY_WAIT_SIPI &&
	    !(c->cfg->activity_states & (1u << (a - 1))))
		vmentry_fail(c, "activity state %u not supported (IA32_VMX_MISC[8:6] = 0x%x)",
			     a, c->cfg->activity_states);
}

/* "The activity-state field must indicate the active state if the
 * interruptibility-state field indicates blocking by either MOV-SS or by
 * STI." */
void vmentry_check_blocking_needs_active(struct vmentry_ctx *c)
{
	uint32_t block = c->v->s.interruptibility & (VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS);

	if (block && c->v->s.activity != VMX_ACTIVITY_ACTIVE)
		vmentry_fail(c, "activity state %u with STI/MOV-SS blocking 0x%x",
			     c->v->s.activity, block);
}

/*
 * "If the valid bit is 1 in the VM-entry interruption-information field, the
 * interruption to be delivered must not be one that would normally be blocked
 * while a logical processor is in the activity state": HLT admits external
 * interrupts, NMI, #DB and #MC (hardware exceptions 1 and 18) and a pending
 * MTF exit (type 7, vector 0); shutdown admits NMI and #MC; wait-for-SIPI
 * admits nothing.
 */
static int deliverable(unsigned activity, unsigned type, unsigned vector)
{
	int nmi = type == VMX_INTR_TYPE_NMI;
	int mc = type == VMX_INTR_TYPE_HW_EXCEPTION && vector == X86_MC;
	int db = type == VMX_INTR_TYPE_HW_EXCEPTION && vector == X86_DB;
	int mtf = type == VMX_INTR_TYPE_OTHER && vector == 0;

	switch (activity) {
	case VMX_ACTIVITY_HLT:
		return type == VMX_INTR_TYPE_EXT_INT || nmi || mc || db || mtf;
	case VMX_ACTIVITY_SHUTDOWN:
		return nmi || mc;
	case VMX_ACTIVITY_WAIT_SIPI:
		return 0;
	default:
		return 1;
	}
}

void vmentry_check_event_deliverable(struct vmentry_ctx *c)
{
	if (!(c->v->entry_intr_info & VMX_INTR_INFO_VALID))
		return;
	if (!deliverable(c->v->s.activity, intr_type(c), intr_vector(c)))
		vmentry_fail(c, "event type %u vector 0x%02x not deliverable in activity state %u",
			     intr_type(c), intr_vector(c), c->v->s.activity);
}

/* "Reserved bits, bits 31:5, must be 0." */
void vmentry_check_intr_reserved(struct vmentry_ctx *c)
{
	uint32_t bad = c->v->s.interruptibility & ~0x1fu;

	if (bad)
		vmentry_fail(c, "interruptibility (0x%08x) sets reserved bits 0x%08x",
			     c->v->s.interruptibility, bad);
}

/* "The field cannot indicate blocking by both STI and MOV SS (bits 0 and 1
 * cannot both be 1)." */
void vmentry_check_intr_sti_and_movss(struct vmentry_ctx *c)
{
	uint32_t both = VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS;

	if ((c->v->s.interruptibility & both) == both)
		vmentry_fail(c, "interruptibility (0x%x) blocks by both STI and MOV SS",
			     c->v->s.interruptibility);
}

/* "Bit 0 (blocking by STI) must be 0 if the IF flag (bit 9) is 0 in the
 * RFLAGS field." */
void vmentry_check_intr_sti_needs_if(struct vmentry_ctx *c)
{
	if ((c->v->s.interruptibility & VMX_INTR_BLOCK_STI) && !(c->v->s.eflags & X86_FL_IF))
		vmentry_fail(c, "STI blocking with RFLAGS.IF=0 (RFLAGS 0x%08x)", c->v->s.eflags);
}

/* "If the interruption type is external interrupt, bits 0 and 1 must both be
 * 0." */
void vmentry_check_intr_extint_unblocked(struct vmentry_ctx *c)
{
	uint32_t block = c->v->s.interruptibility & (VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS);

	if (injecting(c, VMX_INTR_TYPE_EXT_INT) && block)
		vmentry_fail(c, "external interrupt injected with STI/MOV-SS blocking 0x%x", block);
}

/* "If the interruption type is NMI, bit 1 (blocking by MOV SS) must be 0." */
void vmentry_check_intr_nmi_no_movss(struct vmentry_ctx *c)
{
	if (injecting(c, VMX_INTR_TYPE_NMI) && (c->v->s.interruptibility & VMX_INTR_BLOCK_MOV_SS))
		vmentry_fail(c, "NMI injected with MOV-SS blocking");
}

/* "Bit 2 (blocking by SMI) must be 0 if the processor is not in SMM." —
 * outside SMM, and without "entry to SMM". */
void vmentry_check_intr_smi_outside_smm(struct vmentry_ctx *c)
{
	if ((c->v->s.interruptibility & VMX_INTR_BLOCK_SMI) && !c->v->entry_to_smm)
		vmentry_fail(c, "SMI blocking (interruptibility 0x%x) outside SMM",
			     c->v->s.interruptibility);
}

/* "Bit 3 (blocking by NMI) must be 0 if the 'virtual NMIs' VM-execution
 * control is 1, the valid bit is 1 in the VM-entry interruption-information
 * field, and the interruption type is NMI." */
void vmentry_check_intr_vnmi_blocking(struct vmentry_ctx *c)
{
	if (c->cfg->virtual_nmis && injecting(c, VMX_INTR_TYPE_NMI) &&
	    (c->v->s.interruptibility & VMX_INTR_BLOCK_NMI))
		vmentry_fail(c, "virtual NMI injected with NMI blocking");
}

/* "If bit 4 (enclave interruption) is 1, bit 1 (blocking by MOV-SS) must be 0
 * and the processor must support for SGX by enumerating
 * CPUID.(EAX=07H,ECX=0):EBX.SGX[bit 2] as 1."  On a CPU without SGX (Penryn)
 * bit 4 is as good as reserved; Bochs 2.7 treats it so (its mask is 0xF). */
void vmentry_check_intr_enclave(struct vmentry_ctx *c)
{
	uint32_t intr = c->v->s.interruptibility;

	if (!(intr & VMX_INTR_BLOCK_ENCLAVE))
		return;
	if (!c->cfg->sgx)
		vmentry_fail(c, "enclave interruption (interruptibility 0x%x) without SGX", intr);
	else if (intr & VMX_INTR_BLOCK_MOV_SS)
		vmentry_fail(c, "enclave interruption with MOV-SS blocking (interruptibility 0x%x)",
			     intr);
}

/* "Bits 11:4, bit 13, bit 15, and bits 63:17 must be 0." */
#define PENDING_DBG_RESERVED 0xfffeaff0u

void vmentry_check_pending_dbg_reserved(struct vmentry_ctx *c)
{
	uint32_t bad = c->v->s.pending_dbg & PENDING_DBG_RESERVED;

	if (bad)
		vmentry_fail(c, "pending debug exceptions (0x%08x) set reserved bits 0x%08x",
			     c->v->s.pending_dbg, bad);
}

/*
 * "The following checks are performed if bit 0 or bit 1 in the
 * interruptibility-state field is 1 or the activity-state field indicates
 * HLT: Bit 14 (BS) must be 1 if the TF flag in the RFLAGS field is 1 and the
 * BTF flag (bit 1) in the IA32_DEBUGCTL field is 0.  Bit 14 (BS) must be 0 if
 * the TF flag is 0 or the BTF flag is 1."  Bochs 2.7 skips this one.
 */
int vmentry_pending_bs_inconsistent(const struct vmcs_view *v)
{
	uint32_t block = v->s.interruptibility & (VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS);
	unsigned tf = !!(v->s.eflags & X86_FL_TF), btf = !!(v->debugctl & 0x2u);
	unsigned bs = !!(v->s.pending_dbg & VMX_PENDING_DBG_BS);

	return (block || v->s.activity == VMX_ACTIVITY_HLT) && bs != (tf && !btf);
}

void vmentry_check_pending_dbg_bs(struct vmentry_ctx *c)
{
	unsigned tf = !!(c->v->s.eflags & X86_FL_TF), btf = !!(c->v->debugctl & 0x2u);
	unsigned bs = !!(c->v->s.pending_dbg & VMX_PENDING_DBG_BS);

	if (vmentry_pending_bs_inconsistent(c->v))
		vmentry_fail(c, "pending BS (%u) != TF && !BTF (TF %u, BTF %u) with blocking/HLT",
			     bs, tf, btf);
}

/*
 * Bit 16 (RTM), current SDM: "If bit 16 is 1, bits 11:0, bits 15:13, and bits
 * 63:17 must be 0; bit 12 must be 1; the processor must also support RTM by
 * enumerating CPUID.(EAX=07H,ECX=0):EBX[bit 11] as 1; and the
 * interruptibility-state field must not indicate blocking by MOV SS."  Older
 * editions list bit 16 among the reserved bits; either way a CPU without RTM
 * (Penryn; Bochs 2.7's mask 0xFFFFAFF0) refuses it.
 */
#define PENDING_DBG_RTM 0x10000u

void vmentry_check_pending_dbg_rtm(struct vmentry_ctx *c)
{
	uint32_t pd = c->v->s.pending_dbg;

	if (!(pd & PENDING_DBG_RTM))
		return;
	if (!c->cfg->rtm)
		vmentry_fail(c, "pending debug exceptions (0x%08x) set RTM (bit 16) without RTM", pd);
	else if ((pd & 0xefffu) || !(pd & 0x1000u) ||
		 (c->v->s.interruptibility & VMX_INTR_BLOCK_MOV_SS))
		vmentry_fail(c, "pending RTM (0x%08x) needs bits 15:13, 11:0 clear, bit 12 set, "
			     "no MOV-SS blocking", pd);
}

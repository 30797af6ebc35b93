/*
 * Private to the validator (gdt/vmentry*.c): the rule record, the failure
 * idiom, and the check functions the rule table in vmentry.c names.
 *
 * Every check has the same shape, after Bochs' VMenterLoadCheckGuestState:
 * a comment quoting the SDM bullet, an `if`, and a vmentry_fail() that names
 * the values.  A check may report several failures (one per segment
 * register); all carry the rule's id.
 */
#ifndef GDT_VMENTRY_RULES_H
#define GDT_VMENTRY_RULES_H

#include "gdt/vmentry.h"
#include "gdt/descriptor.h"
#include "x86/arch.h"

struct vmentry_ctx {
	const struct vmentry_config *cfg;
	const struct vmcs_view *v;
	struct vmentry_report *rep;
	const struct vmentry_rule *rule;    /* the rule being run */
};

typedef void (*vmentry_check_fn)(struct vmentry_ctx *c);

struct vmentry_rule {
	const char *id;             /* stable: tests and logs match on it */
	const char *sdm;            /* SDM Vol. 3C section */
	vmentry_check_fn check;
};

/* Record a failure of the current rule: "<sdm>: <formatted message>". */
void vmentry_fail(struct vmentry_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Shorthands the checks share. */
static inline const struct rmt_segment *vseg(const struct vmentry_ctx *c, enum rmt_seg r)
{
	return &c->v->s.seg[r];
}
static inline int v8086_guest(const struct vmentry_ctx *c)
{
	return (c->v->s.eflags & X86_FL_VM) != 0;
}
static inline int injecting(const struct vmentry_ctx *c, unsigned type)
{
	uint32_t info = c->v->entry_intr_info;

	return (info & VMX_INTR_INFO_VALID) &&
	       ((info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT) == type;
}
extern const char *const vmentry_seg_name[RMT_NSEG];

/* 26.3.1.1 control registers and MSRs; 26.3.1.3 GDTR/IDTR; 26.3.1.4 RIP/RFLAGS */
void vmentry_check_cr0_fixed0(struct vmentry_ctx *c);
void vmentry_check_cr0_fixed1(struct vmentry_ctx *c);
void vmentry_check_cr0_pg_needs_pe(struct vmentry_ctx *c);
void vmentry_check_cr4_fixed0(struct vmentry_ctx *c);
void vmentry_check_cr4_fixed1(struct vmentry_ctx *c);
void vmentry_check_ia32e_needs_pg_pae(struct vmentry_ctx *c);
void vmentry_check_pcide_needs_ia32e(struct vmentry_ctx *c);
void vmentry_check_cr3_width(struct vmentry_ctx *c);
void vmentry_check_efer_reserved(struct vmentry_ctx *c);
void vmentry_check_efer_lma(struct vmentry_ctx *c);
void vmentry_check_efer_lme(struct vmentry_ctx *c);
void vmentry_check_gdtr_limit(struct vmentry_ctx *c);
void vmentry_check_idtr_limit(struct vmentry_ctx *c);
void vmentry_check_rflags_reserved(struct vmentry_ctx *c);
void vmentry_check_rflags_bit1(struct vmentry_ctx *c);
void vmentry_check_rflags_vm(struct vmentry_ctx *c);
void vmentry_check_rflags_if_for_extint(struct vmentry_ctx *c);

/* 26.3.1.2 segment registers */
void vmentry_check_tr_ti(struct vmentry_ctx *c);
void vmentry_check_ldtr_ti(struct vmentry_ctx *c);
void vmentry_check_ss_rpl_eq_cs_rpl(struct vmentry_ctx *c);
void vmentry_check_v8086_base(struct vmentry_ctx *c);
void vmentry_check_v8086_limit(struct vmentry_ctx *c);
void vmentry_check_v8086_ar(struct vmentry_ctx *c);
void vmentry_check_cs_type(struct vmentry_ctx *c);
void vmentry_check_ss_type(struct vmentry_ctx *c);
void vmentry_check_data_accessed(struct vmentry_ctx *c);
void vmentry_check_data_code_readable(struct vmentry_ctx *c);
void vmentry_check_seg_s(struct vmentry_ctx *c);
void vmentry_check_seg_present(struct vmentry_ctx *c);
void vmentry_check_seg_ar_reserved(struct vmentry_ctx *c);
void vmentry_check_cs_dpl(struct vmentry_ctx *c);
void vmentry_check_ss_dpl_eq_rpl(struct vmentry_ctx *c);
void vmentry_check_data_dpl_ge_rpl(struct vmentry_ctx *c);
void vmentry_check_seg_granularity(struct vmentry_ctx *c);
void vmentry_check_cs_db_with_l(struct vmentry_ctx *c);
void vmentry_check_tr_usable(struct vmentry_ctx *c);
void vmentry_check_tr_type(struct vmentry_ctx *c);
void vmentry_check_tr_s(struct vmentry_ctx *c);
void vmentry_check_tr_present(struct vmentry_ctx *c);
void vmentry_check_tr_ar_reserved(struct vmentry_ctx *c);
void vmentry_check_tr_granularity(struct vmentry_ctx *c);
void vmentry_check_ldtr_type(struct vmentry_ctx *c);
void vmentry_check_ldtr_s(struct vmentry_ctx *c);
void vmentry_check_ldtr_present(struct vmentry_ctx *c);
void vmentry_check_ldtr_ar_reserved(struct vmentry_ctx *c);
void vmentry_check_ldtr_granularity(struct vmentry_ctx *c);

/* 26.3.1.5 non-register state */
void vmentry_check_activity_range(struct vmentry_ctx *c);
void vmentry_check_activity_supported(struct vmentry_ctx *c);
void vmentry_check_hlt_needs_ss_dpl0(struct vmentry_ctx *c);
void vmentry_check_blocking_needs_active(struct vmentry_ctx *c);
void vmentry_check_event_deliverable(struct vmentry_ctx *c);
void vmentry_check_intr_reserved(struct vmentry_ctx *c);
void vmentry_check_intr_sti_and_movss(struct vmentry_ctx *c);
void vmentry_check_intr_sti_needs_if(struct vmentry_ctx *c);
void vmentry_check_intr_extint_unblocked(struct vmentry_ctx *c);
void vmentry_check_intr_nmi_no_movss(struct vmentry_ctx *c);
void vmentry_check_intr_smi_outside_smm(struct vmentry_ctx *c);
void vmentry_check_intr_vnmi_blocking(struct vmentry_ctx *c);
void vmentry_check_intr_enclave(struct vmentry_ctx *c);
void vmentry_check_pending_dbg_reserved(struct vmentry_ctx *c);
void vmentry_check_pending_dbg_bs(struct vmentry_ctx *c);
void vmentry_check_pending_dbg_rtm(struct vmentry_ctx *c);
/* The condition dbg.pending_bs fails on (shared with the Bochs deviation query). */
int vmentry_pending_bs_inconsistent(const struct vmcs_view *v);

#endif /* GDT_VMENTRY_RULES_H */

/*
 * The VM-entry validator's driver: the rule table, in the SDM's order, and
 * the report.  The checks themselves live in vmentry_check_{regs,seg,state}.c.
 */
#include <stdarg.h>
#include "gdt/vmentry_rules.h"
#include "lib/fmt.h"
#include "lib/string.h"

/*
 * Bochs 2.7 core2_penryn_t9600.  CR0 FIXED0/FIXED1 and CR4 FIXED0 are the
 * values in the model's MSR dump.  CR4 FIXED1 is "every CR4 bit the CPU
 * supports": Bochs returns its cr4_suppmask, which for Penryn is VME, PVI,
 * TSD, DE, PSE, PAE, MCE, PGE, PCE, OSFXSR, OSXMMEXCPT (bits 0-10), VMXE
 * (13), SMXE (14, the model enables SMX) and OSXSAVE (18, it enables XSAVE)
 * = 0x467FF: the value the oracle host reads from IA32_VMX_CR4_FIXED1 under
 * Bochs (docs/validator-vs-bochs.md).  Penryn has neither SGX nor RTM.
 */
const struct vmentry_config vmentry_config_penryn = {
	.cr0_fixed0 = 0x80000021u,
	.cr0_fixed1 = 0xffffffffu,
	.cr4_fixed0 = 0x00002000u,
	.cr4_fixed1 = 0x000467ffu,
	.maxphyaddr = 36,
	.activity_states = VMENTRY_ACT_SUPPORTS_HLT | VMENTRY_ACT_SUPPORTS_SHUTDOWN |
			   VMENTRY_ACT_SUPPORTS_WAIT_SIPI,
	.load_efer = 0,
	.virtual_nmis = 1,
	.efer_supported = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE,
	.sgx = 0,
	.rtm = 0,
};

const char *const vmentry_seg_name[RMT_NSEG] = {
	[RMT_ES] = "ES", [RMT_CS] = "CS", [RMT_SS] = "SS", [RMT_DS] = "DS",
	[RMT_FS] = "FS", [RMT_GS] = "GS", [RMT_LDTR] = "LDTR", [RMT_TR] = "TR",
};

#define RULE(id, sdm, fn) { id, sdm, fn }

/*
 * Every rule, one row each.  The ids are stable: tests, logs and the Bochs
 * differential test match on them.  The numbers in the comments are those of
 * reference/vmentry-rules.md §1.
 */
static const struct vmentry_rule rules[] = {
	/* 26.3.1.1 control registers, debug registers, MSRs (rules 1-7) */
	RULE("cr.cr0_fixed0",            "26.3.1.1", vmentry_check_cr0_fixed0),
	RULE("cr.cr0_fixed1",            "26.3.1.1", vmentry_check_cr0_fixed1),
	RULE("cr.cr0_pg_needs_pe",       "26.3.1.1", vmentry_check_cr0_pg_needs_pe),
	RULE("cr.cr4_fixed0",            "26.3.1.1", vmentry_check_cr4_fixed0),
	RULE("cr.cr4_fixed1",            "26.3.1.1", vmentry_check_cr4_fixed1),
	RULE("cr.ia32e_needs_pg_pae",    "26.3.1.1", vmentry_check_ia32e_needs_pg_pae),
	RULE("cr.pcide_needs_ia32e",     "26.3.1.1", vmentry_check_pcide_needs_ia32e),
	RULE("cr.cr3_width",             "26.3.1.1", vmentry_check_cr3_width),
	RULE("msr.efer_reserved",        "26.3.1.1", vmentry_check_efer_reserved),
	RULE("msr.efer_lma",             "26.3.1.1", vmentry_check_efer_lma),
	RULE("msr.efer_lme",             "26.3.1.1", vmentry_check_efer_lme),
	/* 26.3.1.2 segment registers (rules 8-24) */
	RULE("seg.tr_ti",                "26.3.1.2", vmentry_check_tr_ti),
	RULE("seg.ldtr_ti",              "26.3.1.2", vmentry_check_ldtr_ti),
	RULE("seg.ss_rpl_eq_cs_rpl",     "26.3.1.2", vmentry_check_ss_rpl_eq_cs_rpl),
	RULE("seg.v8086_base",           "26.3.1.2", vmentry_check_v8086_base),
	RULE("seg.v8086_limit",          "26.3.1.2", vmentry_check_v8086_limit),
	RULE("seg.v8086_ar",             "26.3.1.2", vmentry_check_v8086_ar),
	RULE("seg.cs_type",              "26.3.1.2", vmentry_check_cs_type),
	RULE("seg.ss_type",              "26.3.1.2", vmentry_check_ss_type),
	RULE("seg.data_accessed",        "26.3.1.2", vmentry_check_data_accessed),
	RULE("seg.data_code_readable",   "26.3.1.2", vmentry_check_data_code_readable),
	RULE("seg.s",                    "26.3.1.2", vmentry_check_seg_s),
	RULE("seg.present",              "26.3.1.2", vmentry_check_seg_present),
	RULE("seg.ar_reserved",          "26.3.1.2", vmentry_check_seg_ar_reserved),
	RULE("seg.cs_dpl",               "26.3.1.2", vmentry_check_cs_dpl),
	RULE("seg.ss_dpl_eq_rpl",        "26.3.1.2", vmentry_check_ss_dpl_eq_rpl),
	RULE("seg.data_dpl_ge_rpl",      "26.3.1.2", vmentry_check_data_dpl_ge_rpl),
	RULE("seg.granularity",          "26.3.1.2", vmentry_check_seg_granularity),
	RULE("seg.cs_db_with_l",         "26.3.1.2", vmentry_check_cs_db_with_l),
	RULE("seg.tr_usable",            "26.3.1.2", vmentry_check_tr_usable),
	RULE("seg.tr_type",              "26.3.1.2", vmentry_check_tr_type),
	RULE("seg.tr_s",                 "26.3.1.2", vmentry_check_tr_s),
	RULE("seg.tr_present",           "26.3.1.2", vmentry_check_tr_present),
	RULE("seg.tr_ar_reserved",       "26.3.1.2", vmentry_check_tr_ar_reserved),
	RULE("seg.tr_granularity",       "26.3.1.2", vmentry_check_tr_granularity),
	RULE("seg.ldtr_type",            "26.3.1.2", vmentry_check_ldtr_type),
	RULE("seg.ldtr_s",               "26.3.1.2", vmentry_check_ldtr_s),
	RULE("seg.ldtr_present",         "26.3.1.2", vmentry_check_ldtr_present),
	RULE("seg.ldtr_ar_reserved",     "26.3.1.2", vmentry_check_ldtr_ar_reserved),
	RULE("seg.ldtr_granularity",     "26.3.1.2", vmentry_check_ldtr_granularity),
	/* 26.3.1.3 GDTR and IDTR (rule 25) */
	RULE("dtr.gdtr_limit",           "26.3.1.3", vmentry_check_gdtr_limit),
	RULE("dtr.idtr_limit",           "26.3.1.3", vmentry_check_idtr_limit),
	/* 26.3.1.4 RIP and RFLAGS (rules 26-29) */
	RULE("rflags.reserved",          "26.3.1.4", vmentry_check_rflags_reserved),
	RULE("rflags.bit1",              "26.3.1.4", vmentry_check_rflags_bit1),
	RULE("rflags.vm",                "26.3.1.4", vmentry_check_rflags_vm),
	RULE("rflags.if_for_extint",     "26.3.1.4", vmentry_check_rflags_if_for_extint),
	/* 26.3.1.5 non-register state (rules 30-34) */
	RULE("act.range",                "26.3.1.5", vmentry_check_activity_range),
	RULE("act.supported",            "26.3.1.5", vmentry_check_activity_supported),
	RULE("act.hlt_needs_ss_dpl0",    "26.3.1.5", vmentry_check_hlt_needs_ss_dpl0),
	RULE("act.blocking_needs_active", "26.3.1.5", vmentry_check_blocking_needs_active),
	RULE("act.event_deliverable",    "26.3.1.5", vmentry_check_event_deliverable),
	RULE("intr.reserved",            "26.3.1.5", vmentry_check_intr_reserved),
	RULE("intr.sti_and_movss",       "26.3.1.5", vmentry_check_intr_sti_and_movss),
	RULE("intr.sti_needs_if",        "26.3.1.5", vmentry_check_intr_sti_needs_if),
	RULE("intr.extint_unblocked",    "26.3.1.5", vmentry_check_intr_extint_unblocked),
	RULE("intr.nmi_no_movss",        "26.3.1.5", vmentry_check_intr_nmi_no_movss),
	RULE("intr.smi_outside_smm",     "26.3.1.5", vmentry_check_intr_smi_outside_smm),
	RULE("intr.vnmi_blocking",       "26.3.1.5", vmentry_check_intr_vnmi_blocking),
	RULE("intr.enclave",             "26.3.1.5", vmentry_check_intr_enclave),
	RULE("dbg.pending_reserved",     "26.3.1.5", vmentry_check_pending_dbg_reserved),
	RULE("dbg.pending_bs",           "26.3.1.5", vmentry_check_pending_dbg_bs),
	RULE("dbg.pending_rtm",          "26.3.1.5", vmentry_check_pending_dbg_rtm),
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

void vmentry_fail(struct vmentry_ctx *c, const char *fmt, ...)
{
	struct vmentry_report *rep = c->rep;
	struct vmentry_failure *f;
	va_list ap;
	int n;

	rep->failures++;
	if (rep->stored >= VMENTRY_MAX_FAILURES)
		return;
	f = &rep->fail[rep->stored++];
	f->rule = c->rule->id;
	n = rmt_snprintf(f->msg, sizeof(f->msg), "%s: ", c->rule->sdm);
	va_start(ap, fmt);
	rmt_vsnprintf(f->msg + n, sizeof(f->msg) - (unsigned)n, fmt, ap);
	va_end(ap);
}

unsigned vmentry_validate(const struct vmentry_config *cfg, const struct vmcs_view *v,
			  struct vmentry_report *rep)
{
	struct vmentry_ctx c = { cfg, v, rep, 0 };

	rep->failures = 0;
	rep->stored = 0;
	for (unsigned i = 0; i < NRULES; i++) {
		c.rule = &rules[i];
		rules[i].check(&c);
	}
	return rep->failures;
}

static int streq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && !memcmp(a, b, n);
}

int vmentry_report_has(const struct vmentry_report *rep, const char *id)
{
	for (unsigned i = 0; i < rep->stored; i++)
		if (streq(rep->fail[i].rule, id))
			return 1;
	return 0;
}

unsigned vmentry_rule_count(void)
{
	return NRULES;
}

const char *vmentry_rule_id(unsigned i)
{
	return i < NRULES ? rules[i].id : 0;
}

const char *vmentry_rule_sdm(unsigned i)
{
	return i < NRULES ? rules[i].sdm : 0;
}

/*
 * Where Bochs 2.7 and the SDM disagree (vmentry.h).  The first two sit in
 * checks that are skipped for a virtual-8086 guest; the BS check applies to
 * every guest.
 */
static int bochs27_cs_dpl_differs(const struct vmcs_view *v)
{
	uint32_t cs = v->s.seg[RMT_CS].ar;
	unsigned dpl = ar_dpl(cs), ss_dpl = ar_dpl(v->s.seg[RMT_SS].ar);
	unsigned rpl = X86_SEL_RPL(v->s.seg[RMT_CS].sel);
	int sdm_ok, bochs_ok;

	if (!(cs & DESC_TYPE_CODE))
		return 0;
	if (cs & DESC_TYPE_CONFORMING) {
		sdm_ok = dpl <= ss_dpl;
		bochs_ok = dpl <= rpl;
	} else {
		sdm_ok = dpl == ss_dpl;
		bochs_ok = dpl == rpl;
	}
	return sdm_ok != bochs_ok;
}

static int bochs27_type11_dpl_differs(const struct vmcs_view *v)
{
	static const enum rmt_seg data[] = { RMT_ES, RMT_DS, RMT_FS, RMT_GS };

	for (unsigned i = 0; i < 4; i++) {
		const struct rmt_segment *s = &v->s.seg[data[i]];

		if (ar_usable(s->ar) && ar_type(s->ar) == 11 && ar_dpl(s->ar) < X86_SEL_RPL(s->sel))
			return 1;
	}
	return 0;
}

/* Bochs 2.7 never checks BS, so it differs exactly when the SDM's check fails. */
static int bochs27_pending_bs_differs(const struct vmcs_view *v)
{
	return vmentry_pending_bs_inconsistent(v);
}

unsigned vmentry_bochs27_deviations(const struct vmcs_view *v)
{
	unsigned mask = 0;

	if (bochs27_pending_bs_differs(v))
		mask |= VMENTRY_BOCHS27_PENDING_DBG_BS;
	if (v->s.eflags & X86_FL_VM)
		return mask;
	if (bochs27_cs_dpl_differs(v))
		mask |= VMENTRY_BOCHS27_CS_DPL_VS_RPL;
	if (bochs27_type11_dpl_differs(v))
		mask |= VMENTRY_BOCHS27_DATA_TYPE11_DPL;
	return mask;
}

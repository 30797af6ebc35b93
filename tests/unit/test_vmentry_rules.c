/*
 * The VM-entry validator, rule by rule: each case starts from a state that
 * passes every rule (flat 32-bit protected mode, or a vm86 guest), changes
 * one thing, and asserts exactly which rule ids fail — no more, no fewer.
 * Passing cases sit next to the failing ones, on the other side of each
 * rule's boundary.  A last test proves every rule in the catalogue has a
 * failing case here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include "gdt/vmentry.h"
#include "x86/arch.h"

static void set_seg(struct vmcs_view *v, enum rmt_seg r, uint16_t sel, uint32_t base,
		    uint32_t limit, uint32_t ar)
{
	v->s.seg[r].sel = sel;
	v->s.seg[r].base = base;
	v->s.seg[r].limit = limit;
	v->s.seg[r].ar = ar;
}

/* Flat 32-bit protected mode, paging on, ring 0: enters on Penryn. */
static void good_pm(struct vmcs_view *v)
{
	memset(v, 0, sizeof(*v));
	v->s.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
	v->s.cr4 = X86_CR4_PSE | X86_CR4_VMXE;
	v->s.cr3 = 0x9000;
	v->s.eflags = X86_FL_FIXED;
	v->s.eip = 0x100000;
	set_seg(v, RMT_CS, 0x08, 0, 0xffffffff, 0xc09b);
	for (int r = RMT_ES; r <= RMT_GS; r++)
		if (r != RMT_CS)
			set_seg(v, r, 0x10, 0, 0xffffffff, 0xc093);
	set_seg(v, RMT_LDTR, 0, 0, 0, RMT_AR_UNUSABLE);
	set_seg(v, RMT_TR, 0x18, 0x1000, 0x67, 0x8b);
	v->s.gdtr.base = 0x800;
	v->s.gdtr.limit = 0x1f;
	v->s.idtr.limit = 0x7ff;
}

/* A virtual-8086 guest at 1000:0100 with a busy 32-bit TSS. */
static void good_v86(struct vmcs_view *v)
{
	static const uint16_t sels[RMT_NSEG] = { 0x2000, 0x1000, 0x3000, 0x4000, 0, 0xffff };

	good_pm(v);
	v->s.eflags = X86_FL_FIXED | X86_FL_VM | X86_FL_IF | (3u << X86_FL_IOPL_SHIFT);
	v->s.eip = 0x100;
	for (int r = RMT_ES; r <= RMT_GS; r++)
		set_seg(v, r, sels[r], (uint32_t)sels[r] << 4, 0xffff, 0xf3);
}

typedef void (*mutate_fn)(struct vmcs_view *v, struct vmentry_config *cfg);

struct rule_case {
	const char *name;
	void (*base)(struct vmcs_view *v);
	mutate_fn mutate;
	const char *expect[3];      /* failing rule ids; empty = must pass */
};

#define MUT(name) static void name(struct vmcs_view *v, struct vmentry_config *cfg)

/* 26.3.1.1 */
MUT(cr0_no_ne) { v->s.cr0 &= ~X86_CR0_NE; }
MUT(cr0_am_forbidden) { cfg->cr0_fixed1 = ~X86_CR0_AM; v->s.cr0 |= X86_CR0_AM; }
MUT(cr0_nw_cd_exempt) { cfg->cr0_fixed1 = ~(X86_CR0_NW | X86_CR0_CD); v->s.cr0 |= X86_CR0_NW | X86_CR0_CD; }
MUT(cr0_pg_no_pe) { cfg->cr0_fixed0 = X86_CR0_NE | X86_CR0_PG; v->s.cr0 &= ~X86_CR0_PE; }
MUT(cr4_no_vmxe) { v->s.cr4 &= ~X86_CR4_VMXE; }
/* Bochs 2.7's Penryn reports CR4_FIXED1 = 0x467FF: SMXE and OSXSAVE are
 * allowed, FSGSBASE (bit 16) and bit 12 are not (found by the Bochs
 * differential test, tests/diff/validator_vs_bochs). */
MUT(cr4_smxe_ok) { v->s.cr4 |= 0x4000; }
MUT(cr4_osxsave_ok) { v->s.cr4 |= 0x40000; }
MUT(cr4_fsgsbase) { v->s.cr4 |= 0x10000; }
MUT(cr4_bit12) { v->s.cr4 |= 0x1000; }
MUT(cr4_all_penryn_bits) { v->s.cr4 = 0x467ff; }
MUT(ia32e_no_pae) { v->ia32e_mode_guest = 1; v->s.seg[RMT_CS].ar = 0xa09b; }
MUT(ia32e_ok) { v->ia32e_mode_guest = 1; v->s.cr4 |= X86_CR4_PAE; v->s.seg[RMT_CS].ar = 0xa09b; }
MUT(pcide_32bit) { cfg->cr4_fixed1 |= X86_CR4_PCIDE; v->s.cr4 |= X86_CR4_PCIDE; }
MUT(cr3_wide) { cfg->maxphyaddr = 31; v->s.cr3 = 0x80000000; }
MUT(cr3_narrow_ok) { cfg->maxphyaddr = 31; v->s.cr3 = 0x7ffff000; }
MUT(efer_reserved) { cfg->load_efer = 1; v->s.efer_lo = 0x2; }
MUT(efer_ok) { cfg->load_efer = 1; v->s.efer_lo = X86_EFER_SCE | X86_EFER_NXE; }
MUT(efer_lma_no_ia32e) { cfg->load_efer = 1; v->s.efer_lo = X86_EFER_LMA | X86_EFER_LME; }
MUT(efer_lme_only) { cfg->load_efer = 1; v->s.efer_lo = X86_EFER_LME; }
MUT(efer_lme_only_pg_off_unloaded) { v->s.efer_lo = X86_EFER_LME | X86_EFER_LMA; }
/* 26.3.1.2 */
MUT(tr_ti) { v->s.seg[RMT_TR].sel = 0x1c; }
MUT(ldtr_ti) { set_seg(v, RMT_LDTR, 0x2c, 0x2000, 0xff, 0x82); }
MUT(ldtr_ti_unusable) { v->s.seg[RMT_LDTR].sel = 0x2c; }
MUT(ldtr_good) { set_seg(v, RMT_LDTR, 0x20, 0x2000, 0xff, 0x82); }
MUT(ss_rpl3_cs_rpl0) { v->s.seg[RMT_CS].ar = 0xc09f; set_seg(v, RMT_SS, 0x13, 0, 0xffffffff, 0xc0f3); }
MUT(v86_ss_rpl3_cs_rpl0_ok) { set_seg(v, RMT_SS, 0x3003, 0x30030, 0xffff, 0xf3); v->s.seg[RMT_CS].sel = 0x1000; }
MUT(v86_ds_base) { v->s.seg[RMT_DS].base += 1; }
MUT(v86_es_limit) { v->s.seg[RMT_ES].limit = 0xffffffff; }
MUT(v86_cs_code) { v->s.seg[RMT_CS].ar = 0xfb; }
MUT(v86_gs_unusable) { v->s.seg[RMT_GS].ar = 0xf3 | RMT_AR_UNUSABLE; }
MUT(cs_data) { v->s.seg[RMT_CS].ar = 0xc093; }
MUT(cs_not_accessed) { v->s.seg[RMT_CS].ar = 0xc09a; }
MUT(ss_readonly) { v->s.seg[RMT_SS].ar = 0xc091; }
MUT(ss_expand_down_ok) { v->s.seg[RMT_SS].ar = 0xc097; }
MUT(ss_unusable_ok) { v->s.seg[RMT_SS].ar = 0xc091 | RMT_AR_UNUSABLE; }
MUT(ds_not_accessed) { v->s.seg[RMT_DS].ar = 0xc092; }
MUT(ds_not_accessed_unusable_ok) { v->s.seg[RMT_DS].ar = 0xc092 | RMT_AR_UNUSABLE; }
MUT(es_exec_only) { v->s.seg[RMT_ES].ar = 0xc099; }
MUT(es_readable_code_ok) { v->s.seg[RMT_ES].ar = 0xc09b; }
MUT(fs_system) { v->s.seg[RMT_FS].ar = 0xc083; }
MUT(fs_system_unusable_ok) { v->s.seg[RMT_FS].ar = 0xc083 | RMT_AR_UNUSABLE; }
MUT(gs_not_present) { v->s.seg[RMT_GS].ar = 0xc013; }
MUT(cs_not_present) { v->s.seg[RMT_CS].ar = 0xc01b; }
MUT(ds_ar_reserved) { v->s.seg[RMT_DS].ar |= 0x100; }
MUT(cs_ar_reserved_high) { v->s.seg[RMT_CS].ar |= 0x20000; }
MUT(ds_ar_reserved_unusable_ok) { v->s.seg[RMT_DS].ar |= 0x100 | RMT_AR_UNUSABLE; }
MUT(cs_dpl1_ss_dpl0) { v->s.seg[RMT_CS].ar = 0xc0bb; }
MUT(cs_conforming_dpl3_ss_dpl0) { v->s.seg[RMT_CS].ar = 0xc0ff; }
MUT(cs_conforming_dpl0_ss_dpl3_ok)
{
	v->s.seg[RMT_CS].ar = 0xc09f;
	v->s.seg[RMT_CS].sel = 0x0b;
	set_seg(v, RMT_SS, 0x13, 0, 0xffffffff, 0xc0f3);
	for (int r = RMT_ES; r <= RMT_GS; r++)
		if (r != RMT_CS && r != RMT_SS)
			set_seg(v, r, 0x13, 0, 0xffffffff, 0xc0f3);
}
MUT(ring3_ok)
{
	v->s.seg[RMT_CS].ar = 0xc0fb;
	v->s.seg[RMT_CS].sel = 0x1b;
	for (int r = RMT_ES; r <= RMT_GS; r++)
		if (r != RMT_CS)
			set_seg(v, r, 0x23, 0, 0xffffffff, 0xc0f3);
}
MUT(ss_dpl1_rpl0) { v->s.seg[RMT_CS].ar = 0xc09f; v->s.seg[RMT_SS].ar = 0xc0b3; }
MUT(ds_rpl3_dpl0) { v->s.seg[RMT_DS].sel = 0x13; }
MUT(ds_type11_rpl3_dpl0) { v->s.seg[RMT_DS].sel = 0x0b; v->s.seg[RMT_DS].ar = 0xc09b; }
MUT(ds_conforming_rpl3_dpl0_ok) { v->s.seg[RMT_DS].sel = 0x0b; v->s.seg[RMT_DS].ar = 0xc09f; }
MUT(ds_unusable_rpl3_ok) { v->s.seg[RMT_DS].sel = 0x03; v->s.seg[RMT_DS].ar |= RMT_AR_UNUSABLE; }
MUT(ds_g_small_limit) { v->s.seg[RMT_DS].limit = 0xfff000; }
MUT(ss_big_limit_no_g) { v->s.seg[RMT_SS].limit = 0x100000; v->s.seg[RMT_SS].ar = 0x4093; }
MUT(ds_16bit_ok) { v->s.seg[RMT_DS].limit = 0xffff; v->s.seg[RMT_DS].ar = 0x93; }
MUT(cs_l_and_d) { v->ia32e_mode_guest = 1; v->s.cr4 |= X86_CR4_PAE; v->s.seg[RMT_CS].ar = 0xe09b; }
MUT(cs_l_and_d_32bit_ok) { v->s.seg[RMT_CS].ar = 0xe09b; }
MUT(tr_unusable) { v->s.seg[RMT_TR].ar |= RMT_AR_UNUSABLE; }
MUT(tr_available) { v->s.seg[RMT_TR].ar = 0x89; }
MUT(tr_busy16_ok) { v->s.seg[RMT_TR].ar = 0x83; }
MUT(tr_busy16_ia32e)
{
	v->ia32e_mode_guest = 1;
	v->s.cr4 |= X86_CR4_PAE;
	v->s.seg[RMT_CS].ar = 0xa09b;
	v->s.seg[RMT_TR].ar = 0x83;
}
MUT(tr_s1) { v->s.seg[RMT_TR].ar = 0x9b; }
MUT(tr_not_present) { v->s.seg[RMT_TR].ar = 0x0b; }
MUT(tr_ar_reserved) { v->s.seg[RMT_TR].ar |= 0x200; }
MUT(tr_g_small_limit) { v->s.seg[RMT_TR].ar |= RMT_AR_G; }
MUT(ldtr_type) { set_seg(v, RMT_LDTR, 0x20, 0x2000, 0xff, 0x83); }
MUT(ldtr_s1) { set_seg(v, RMT_LDTR, 0x20, 0x2000, 0xff, 0x92); }
MUT(ldtr_not_present) { set_seg(v, RMT_LDTR, 0x20, 0x2000, 0xff, 0x02); }
MUT(ldtr_ar_reserved) { set_seg(v, RMT_LDTR, 0x20, 0x2000, 0xff, 0x482); }
MUT(ldtr_g_small_limit) { set_seg(v, RMT_LDTR, 0x20, 0x2000, 0xff, 0x8082); }
/* 26.3.1.3 */
MUT(gdtr_limit_big) { v->s.gdtr.limit = 0x10000; }
MUT(gdtr_limit_ffff_ok) { v->s.gdtr.limit = 0xffff; }
MUT(idtr_limit_big) { v->s.idtr.limit = 0xffffffff; }
/* 26.3.1.4 */
MUT(rflags_bit3) { v->s.eflags |= 0x8; }
MUT(rflags_bit22) { v->s.eflags |= 0x400000; }
MUT(rflags_bit1_clear) { v->s.eflags = 0; }
MUT(vm_in_ia32e) { v->ia32e_mode_guest = 1; v->s.cr4 |= X86_CR4_PAE; }
MUT(extint_if0) { v->entry_intr_info = VMX_INTR_INFO_VALID | 0x20; }
MUT(extint_if1_ok) { v->entry_intr_info = VMX_INTR_INFO_VALID | 0x20; v->s.eflags |= X86_FL_IF; }
MUT(extint_not_valid_ok) { v->entry_intr_info = 0x20; }
/* 26.3.1.5 */
#define EXC(vec) (VMX_INTR_INFO_VALID | (VMX_INTR_TYPE_HW_EXCEPTION << VMX_INTR_INFO_TYPE_SHIFT) | (vec))
#define NMI_INFO (VMX_INTR_INFO_VALID | (VMX_INTR_TYPE_NMI << VMX_INTR_INFO_TYPE_SHIFT) | 2u)
MUT(activity_4) { v->s.activity = 4; }
MUT(shutdown_unsupported) { cfg->activity_states = 0; v->s.activity = VMX_ACTIVITY_SHUTDOWN; }
MUT(hlt_ok) { v->s.activity = VMX_ACTIVITY_HLT; }
MUT(hlt_in_v86) { v->s.activity = VMX_ACTIVITY_HLT; }
MUT(hlt_with_sti_blocking) { v->s.eflags |= X86_FL_IF; v->s.activity = VMX_ACTIVITY_HLT; v->s.interruptibility = VMX_INTR_BLOCK_STI; }
MUT(hlt_inject_gp) { v->s.activity = VMX_ACTIVITY_HLT; v->entry_intr_info = EXC(X86_GP) | 0x800; }
MUT(hlt_inject_db_ok) { v->s.activity = VMX_ACTIVITY_HLT; v->entry_intr_info = EXC(X86_DB); }
MUT(shutdown_inject_nmi_ok) { v->s.activity = VMX_ACTIVITY_SHUTDOWN; v->entry_intr_info = NMI_INFO; }
MUT(wait_sipi_inject_mc) { v->s.activity = VMX_ACTIVITY_WAIT_SIPI; v->entry_intr_info = EXC(X86_MC); }
MUT(intr_bit5) { v->s.interruptibility = 0x20; }
MUT(sti_and_movss) { v->s.eflags |= X86_FL_IF; v->s.interruptibility = 3; }
MUT(sti_if0) { v->s.interruptibility = VMX_INTR_BLOCK_STI; }
MUT(sti_if1_ok) { v->s.eflags |= X86_FL_IF; v->s.interruptibility = VMX_INTR_BLOCK_STI; }
MUT(extint_movss) { v->s.eflags |= X86_FL_IF; v->s.interruptibility = VMX_INTR_BLOCK_MOV_SS; v->entry_intr_info = VMX_INTR_INFO_VALID | 0x30; }
MUT(nmi_movss) { v->s.interruptibility = VMX_INTR_BLOCK_MOV_SS; v->entry_intr_info = NMI_INFO; }
MUT(smi_blocking) { v->s.interruptibility = VMX_INTR_BLOCK_SMI; }
MUT(smi_blocking_smm_ok) { v->s.interruptibility = VMX_INTR_BLOCK_SMI; v->entry_to_smm = 1; }
MUT(vnmi_blocked) { v->s.interruptibility = VMX_INTR_BLOCK_NMI; v->entry_intr_info = NMI_INFO; }
MUT(nmi_blocked_no_vnmi_ok) { cfg->virtual_nmis = 0; v->s.interruptibility = VMX_INTR_BLOCK_NMI; v->entry_intr_info = NMI_INFO; }
MUT(pending_dbg_bit4) { v->s.pending_dbg = 0x10; }
MUT(pending_dbg_bit13) { v->s.pending_dbg = 0x2000; }
MUT(pending_dbg_b0_ok) { v->s.pending_dbg = 0x1; }
MUT(tf_sti_no_bs) { v->s.eflags |= X86_FL_IF | X86_FL_TF; v->s.interruptibility = VMX_INTR_BLOCK_STI; }
MUT(tf_sti_bs_ok) { v->s.eflags |= X86_FL_IF | X86_FL_TF; v->s.interruptibility = VMX_INTR_BLOCK_STI; v->s.pending_dbg = VMX_PENDING_DBG_BS; }
MUT(btf_hlt_bs) { v->s.eflags |= X86_FL_TF; v->debugctl = 2; v->s.activity = VMX_ACTIVITY_HLT; v->s.pending_dbg = VMX_PENDING_DBG_BS; }
MUT(tf_no_blocking_no_bs_ok) { v->s.eflags |= X86_FL_TF; }
/* Interruptibility bit 4 (enclave interruption) needs SGX and no MOV-SS
 * blocking; pending-debug bit 16 (RTM) needs RTM, bit 12, bits 15:13 and
 * 11:0 clear and no MOV-SS blocking.  Penryn has neither (Bochs 2.7 treats
 * both bits as reserved; found by the Bochs differential test). */
MUT(intr_enclave) { v->s.interruptibility = VMX_INTR_BLOCK_ENCLAVE; }
MUT(intr_enclave_sgx_ok) { cfg->sgx = 1; v->s.interruptibility = VMX_INTR_BLOCK_ENCLAVE; }
MUT(intr_enclave_sgx_movss) { cfg->sgx = 1; v->s.interruptibility = VMX_INTR_BLOCK_ENCLAVE | VMX_INTR_BLOCK_MOV_SS; }
MUT(pending_rtm) { v->s.pending_dbg = 0x11000; }
MUT(pending_rtm_cpu_ok) { cfg->rtm = 1; v->s.pending_dbg = 0x11000; }
MUT(pending_rtm_no_bit12) { cfg->rtm = 1; v->s.pending_dbg = 0x10000; }
MUT(pending_rtm_with_b0) { cfg->rtm = 1; v->s.pending_dbg = 0x11001; }

#define F(base, mut, ...) { #mut, base, mut, { __VA_ARGS__ } }
#define PASS(base, mut) { #mut, base, mut, { 0 } }

static const struct rule_case cases[] = {
	F(good_pm, cr0_no_ne, "cr.cr0_fixed0"),
	F(good_pm, cr0_am_forbidden, "cr.cr0_fixed1"),
	PASS(good_pm, cr0_nw_cd_exempt),
	F(good_pm, cr0_pg_no_pe, "cr.cr0_pg_needs_pe"),
	F(good_pm, cr4_no_vmxe, "cr.cr4_fixed0"),
	PASS(good_pm, cr4_smxe_ok),
	PASS(good_pm, cr4_osxsave_ok),
	F(good_pm, cr4_fsgsbase, "cr.cr4_fixed1"),
	F(good_pm, cr4_bit12, "cr.cr4_fixed1"),
	PASS(good_pm, cr4_all_penryn_bits),
	F(good_pm, ia32e_no_pae, "cr.ia32e_needs_pg_pae"),
	PASS(good_pm, ia32e_ok),
	F(good_pm, pcide_32bit, "cr.pcide_needs_ia32e"),
	F(good_pm, cr3_wide, "cr.cr3_width"),
	PASS(good_pm, cr3_narrow_ok),
	F(good_pm, efer_reserved, "msr.efer_reserved"),
	PASS(good_pm, efer_ok),
	F(good_pm, efer_lma_no_ia32e, "msr.efer_lma"),
	F(good_pm, efer_lme_only, "msr.efer_lme"),
	PASS(good_pm, efer_lme_only_pg_off_unloaded),
	F(good_pm, tr_ti, "seg.tr_ti"),
	F(good_v86, tr_ti, "seg.tr_ti"),
	F(good_pm, ldtr_ti, "seg.ldtr_ti"),
	PASS(good_pm, ldtr_ti_unusable),
	PASS(good_pm, ldtr_good),
	F(good_pm, ss_rpl3_cs_rpl0, "seg.ss_rpl_eq_cs_rpl"),
	PASS(good_v86, v86_ss_rpl3_cs_rpl0_ok),
	F(good_v86, v86_ds_base, "seg.v8086_base"),
	PASS(good_pm, v86_ds_base),
	F(good_v86, v86_es_limit, "seg.v8086_limit"),
	F(good_v86, v86_cs_code, "seg.v8086_ar"),
	F(good_v86, v86_gs_unusable, "seg.v8086_ar"),
	F(good_pm, cs_data, "seg.cs_type"),
	F(good_pm, cs_not_accessed, "seg.cs_type"),
	F(good_pm, ss_readonly, "seg.ss_type"),
	PASS(good_pm, ss_expand_down_ok),
	PASS(good_pm, ss_unusable_ok),
	F(good_pm, ds_not_accessed, "seg.data_accessed"),
	PASS(good_pm, ds_not_accessed_unusable_ok),
	F(good_pm, es_exec_only, "seg.data_code_readable"),
	PASS(good_pm, es_readable_code_ok),
	F(good_pm, fs_system, "seg.s"),
	PASS(good_pm, fs_system_unusable_ok),
	F(good_pm, gs_not_present, "seg.present"),
	F(good_pm, cs_not_present, "seg.present"),
	F(good_pm, ds_ar_reserved, "seg.ar_reserved"),
	F(good_pm, cs_ar_reserved_high, "seg.ar_reserved"),
	PASS(good_pm, ds_ar_reserved_unusable_ok),
	F(good_pm, cs_dpl1_ss_dpl0, "seg.cs_dpl"),
	F(good_pm, cs_conforming_dpl3_ss_dpl0, "seg.cs_dpl"),
	PASS(good_pm, cs_conforming_dpl0_ss_dpl3_ok),
	PASS(good_pm, ring3_ok),
	F(good_pm, ss_dpl1_rpl0, "seg.ss_dpl_eq_rpl"),
	F(good_pm, ds_rpl3_dpl0, "seg.data_dpl_ge_rpl"),
	F(good_pm, ds_type11_rpl3_dpl0, "seg.data_dpl_ge_rpl"),
	PASS(good_pm, ds_conforming_rpl3_dpl0_ok),
	PASS(good_pm, ds_unusable_rpl3_ok),
	F(good_pm, ds_g_small_limit, "seg.granularity"),
	F(good_pm, ss_big_limit_no_g, "seg.granularity"),
	PASS(good_pm, ds_16bit_ok),
	F(good_pm, cs_l_and_d, "seg.cs_db_with_l"),
	PASS(good_pm, cs_l_and_d_32bit_ok),
	F(good_pm, tr_unusable, "seg.tr_usable"),
	F(good_v86, tr_unusable, "seg.tr_usable"),
	F(good_pm, tr_available, "seg.tr_type"),
	PASS(good_pm, tr_busy16_ok),
	F(good_pm, tr_busy16_ia32e, "seg.tr_type"),
	F(good_pm, tr_s1, "seg.tr_s"),
	F(good_pm, tr_not_present, "seg.tr_present"),
	F(good_pm, tr_ar_reserved, "seg.tr_ar_reserved"),
	F(good_pm, tr_g_small_limit, "seg.tr_granularity"),
	F(good_pm, ldtr_type, "seg.ldtr_type"),
	F(good_pm, ldtr_s1, "seg.ldtr_s"),
	F(good_pm, ldtr_not_present, "seg.ldtr_present"),
	F(good_pm, ldtr_ar_reserved, "seg.ldtr_ar_reserved"),
	F(good_pm, ldtr_g_small_limit, "seg.ldtr_granularity"),
	F(good_pm, gdtr_limit_big, "dtr.gdtr_limit"),
	PASS(good_pm, gdtr_limit_ffff_ok),
	F(good_pm, idtr_limit_big, "dtr.idtr_limit"),
	F(good_pm, rflags_bit3, "rflags.reserved"),
	F(good_pm, rflags_bit22, "rflags.reserved"),
	F(good_pm, rflags_bit1_clear, "rflags.bit1"),
	F(good_v86, vm_in_ia32e, "rflags.vm"),
	F(good_pm, extint_if0, "rflags.if_for_extint"),
	PASS(good_pm, extint_if1_ok),
	PASS(good_pm, extint_not_valid_ok),
	F(good_pm, activity_4, "act.range"),
	F(good_pm, shutdown_unsupported, "act.supported"),
	PASS(good_pm, hlt_ok),
	F(good_v86, hlt_in_v86, "act.hlt_needs_ss_dpl0"),
	F(good_pm, hlt_with_sti_blocking, "act.blocking_needs_active"),
	F(good_pm, hlt_inject_gp, "act.event_deliverable"),
	PASS(good_pm, hlt_inject_db_ok),
	PASS(good_pm, shutdown_inject_nmi_ok),
	F(good_pm, wait_sipi_inject_mc, "act.event_deliverable"),
	F(good_pm, intr_bit5, "intr.reserved"),
	F(good_pm, sti_and_movss, "intr.sti_and_movss"),
	F(good_pm, sti_if0, "intr.sti_needs_if"),
	PASS(good_pm, sti_if1_ok),
	F(good_pm, extint_movss, "intr.extint_unblocked"),
	F(good_pm, nmi_movss, "intr.nmi_no_movss"),
	F(good_pm, smi_blocking, "intr.smi_outside_smm"),
	PASS(good_pm, smi_blocking_smm_ok),
	F(good_pm, vnmi_blocked, "intr.vnmi_blocking"),
	PASS(good_pm, nmi_blocked_no_vnmi_ok),
	F(good_pm, pending_dbg_bit4, "dbg.pending_reserved"),
	F(good_pm, pending_dbg_bit13, "dbg.pending_reserved"),
	PASS(good_pm, pending_dbg_b0_ok),
	F(good_pm, tf_sti_no_bs, "dbg.pending_bs"),
	PASS(good_pm, tf_sti_bs_ok),
	F(good_pm, btf_hlt_bs, "dbg.pending_bs"),
	PASS(good_pm, tf_no_blocking_no_bs_ok),
	F(good_pm, intr_enclave, "intr.enclave"),
	F(good_v86, intr_enclave, "intr.enclave"),
	PASS(good_pm, intr_enclave_sgx_ok),
	F(good_pm, intr_enclave_sgx_movss, "intr.enclave"),
	F(good_pm, pending_rtm, "dbg.pending_rtm"),
	F(good_v86, pending_rtm, "dbg.pending_rtm"),
	PASS(good_pm, pending_rtm_cpu_ok),
	F(good_pm, pending_rtm_no_bit12, "dbg.pending_rtm"),
	F(good_pm, pending_rtm_with_b0, "dbg.pending_rtm"),
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static unsigned expected_count(const struct rule_case *rc)
{
	unsigned n = 0;

	while (n < 3 && rc->expect[n])
		n++;
	return n;
}

/* The report holds exactly the expected rule ids, each once. */
static void check_case(const struct rule_case *rc)
{
	struct vmentry_config cfg = vmentry_config_penryn;
	struct vmcs_view v;
	struct vmentry_report rep;
	unsigned n = expected_count(rc), got;

	rc->base(&v);
	rc->mutate(&v, &cfg);
	got = vmentry_validate(&cfg, &v, &rep);
	if (got != n) {
		for (unsigned i = 0; i < rep.stored; i++)
			print_error("%s: %s (%s)\n", rc->name, rep.fail[i].msg, rep.fail[i].rule);
		fail_msg("case %s: %u failures, expected %u", rc->name, got, n);
	}
	for (unsigned i = 0; i < n; i++)
		if (!vmentry_report_has(&rep, rc->expect[i]))
			fail_msg("case %s: rule %s did not fail (got %s)", rc->name, rc->expect[i],
				 rep.fail[0].rule);
}

static void every_case_fails_exactly_the_expected_rules(void **state)
{
	for (unsigned i = 0; i < NCASES; i++)
		check_case(&cases[i]);
}

static void good_states_pass_every_rule(void **state)
{
	struct vmcs_view v;
	struct vmentry_report rep;

	good_pm(&v);
	assert_int_equal(vmentry_validate(&vmentry_config_penryn, &v, &rep), 0);
	assert_int_equal(rep.stored, 0);
	good_v86(&v);
	assert_int_equal(vmentry_validate(&vmentry_config_penryn, &v, &rep), 0);
}

static void every_rule_has_a_failing_case(void **state)
{
	for (unsigned r = 0; r < vmentry_rule_count(); r++) {
		const char *id = vmentry_rule_id(r);
		int found = 0;

		for (unsigned i = 0; i < NCASES && !found; i++)
			for (unsigned k = 0; k < 3 && cases[i].expect[k]; k++)
				if (!strcmp(cases[i].expect[k], id))
					found = 1;
		if (!found)
			fail_msg("rule %s has no failing case", id);
	}
	assert_null(vmentry_rule_id(vmentry_rule_count()));
}

static void rule_ids_are_unique_and_name_their_section(void **state)
{
	for (unsigned i = 0; i < vmentry_rule_count(); i++) {
		assert_non_null(strstr(vmentry_rule_sdm(i), "26.3.1."));
		for (unsigned j = i + 1; j < vmentry_rule_count(); j++)
			assert_string_not_equal(vmentry_rule_id(i), vmentry_rule_id(j));
	}
}

static void messages_name_the_section_and_values(void **state)
{
	struct vmentry_config cfg = vmentry_config_penryn;
	struct vmcs_view v;
	struct vmentry_report rep;

	good_pm(&v);
	ss_rpl3_cs_rpl0(&v, &cfg);
	assert_int_equal(vmentry_validate(&cfg, &v, &rep), 1);
	assert_string_equal(rep.fail[0].rule, "seg.ss_rpl_eq_cs_rpl");
	assert_string_equal(rep.fail[0].msg, "26.3.1.2: SS.RPL (3) != CS.RPL (0)");

	good_v86(&v);
	v.s.seg[RMT_FS].limit = 0x1ffff;
	assert_int_equal(vmentry_validate(&cfg, &v, &rep), 1);
	assert_string_equal(rep.fail[0].msg, "26.3.1.2: v8086 FS.limit (0x0001ffff) != 0xFFFF");

	good_pm(&v);
	v.s.cr0 &= ~X86_CR0_NE;
	vmentry_validate(&cfg, &v, &rep);
	assert_string_equal(rep.fail[0].msg,
			    "26.3.1.1: CR0 (0x80000011) lacks bits 0x00000020 required by "
			    "CR0_FIXED0 (0x80000021)");
}

/* Not only the first failure: every rule runs and every register is named. */
static void all_failures_are_reported(void **state)
{
	struct vmcs_view v;
	struct vmentry_report rep;

	good_v86(&v);
	v.s.seg[RMT_ES].base = 0;
	v.s.seg[RMT_DS].base = 0;
	v.s.seg[RMT_SS].ar = 0x93;
	v.s.gdtr.limit = 0x10000;
	assert_int_equal(vmentry_validate(&vmentry_config_penryn, &v, &rep), 4);
	assert_string_equal(rep.fail[0].msg, "26.3.1.2: v8086 ES.base (0x00000000) != sel<<4 (0x20000)");
	assert_string_equal(rep.fail[1].msg, "26.3.1.2: v8086 DS.base (0x00000000) != sel<<4 (0x40000)");
	assert_string_equal(rep.fail[2].rule, "seg.v8086_ar");
	assert_string_equal(rep.fail[3].rule, "dtr.gdtr_limit");
}

/* A hopeless state: more failures than the report stores; all are counted. */
static void report_overflow_counts_everything(void **state)
{
	struct vmcs_view v;
	struct vmentry_report rep;
	unsigned n;

	memset(&v, 0xff, sizeof(v));
	n = vmentry_validate(&vmentry_config_penryn, &v, &rep);
	assert_true(n > VMENTRY_MAX_FAILURES);
	assert_int_equal(rep.failures, n);
	assert_int_equal(rep.stored, VMENTRY_MAX_FAILURES);
}

/* ------------------------------------------------- Bochs 2.7 deviations --- */

static void bochs27_deviations(void **state)
{
	struct vmcs_view v;

	good_pm(&v);
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);

	/* CS.DPL == CS.RPL (Bochs: fine) but != SS.DPL (SDM: fails) */
	set_seg(&v, RMT_SS, 0x13, 0, 0xffffffff, 0xc0f3);
	assert_int_equal(vmentry_bochs27_deviations(&v), VMENTRY_BOCHS27_CS_DPL_VS_RPL);

	/* both readings fail: no deviation */
	good_pm(&v);
	v.s.seg[RMT_CS].ar = 0xc0bb;
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);

	/* conforming CS.DPL 2 > SS.DPL 0 but <= CS.RPL 3 */
	good_pm(&v);
	v.s.seg[RMT_CS].sel = 0x0b;
	v.s.seg[RMT_CS].ar = 0xc0df;
	assert_int_equal(vmentry_bochs27_deviations(&v), VMENTRY_BOCHS27_CS_DPL_VS_RPL);

	/* type 11 data register with DPL < RPL: only the SDM objects */
	good_pm(&v);
	v.s.seg[RMT_GS].sel = 0x0b;
	v.s.seg[RMT_GS].ar = 0xc09b;
	assert_int_equal(vmentry_bochs27_deviations(&v), VMENTRY_BOCHS27_DATA_TYPE11_DPL);
	/* type 10: both object */
	v.s.seg[RMT_GS].ar = 0xc09a;
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);
	/* unusable: nobody checks */
	v.s.seg[RMT_GS].ar = 0xc09b | RMT_AR_UNUSABLE;
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);

	/* a vm86 guest skips both checks */
	good_v86(&v);
	v.s.seg[RMT_DS].ar = 0xc09b;
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);

	/* Bochs 2.7 never checks BS against TF/BTF: a deviation exactly when
	 * dbg.pending_bs fails, vm86 or not */
	good_pm(&v);
	v.s.eflags |= X86_FL_IF | X86_FL_TF;
	v.s.interruptibility = VMX_INTR_BLOCK_STI;
	assert_int_equal(vmentry_bochs27_deviations(&v), VMENTRY_BOCHS27_PENDING_DBG_BS);
	v.s.pending_dbg = VMX_PENDING_DBG_BS;
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);
	good_v86(&v);
	v.s.activity = VMX_ACTIVITY_HLT;
	v.s.pending_dbg = VMX_PENDING_DBG_BS;      /* TF = 0 */
	assert_int_equal(vmentry_bochs27_deviations(&v), VMENTRY_BOCHS27_PENDING_DBG_BS);
	v.s.activity = VMX_ACTIVITY_ACTIVE;        /* no blocking, no HLT: unchecked */
	assert_int_equal(vmentry_bochs27_deviations(&v), 0);
	/* combined with the type-11 case */
	good_pm(&v);
	v.s.activity = VMX_ACTIVITY_HLT;
	v.s.pending_dbg = VMX_PENDING_DBG_BS;
	v.s.seg[RMT_GS].sel = 0x0b;
	v.s.seg[RMT_GS].ar = 0xc09b;
	assert_int_equal(vmentry_bochs27_deviations(&v),
			 VMENTRY_BOCHS27_PENDING_DBG_BS | VMENTRY_BOCHS27_DATA_TYPE11_DPL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_states_pass_every_rule),
		cmocka_unit_test(every_case_fails_exactly_the_expected_rules),
		cmocka_unit_test(every_rule_has_a_failing_case),
		cmocka_unit_test(rule_ids_are_unique_and_name_their_section),
		cmocka_unit_test(messages_name_the_section_and_values),
		cmocka_unit_test(all_failures_are_reported),
		cmocka_unit_test(report_overflow_counts_everything),
		cmocka_unit_test(bochs27_deviations),
	};

	return cmocka_run_group_tests_name("vmentry_rules", tests, NULL, NULL);
}

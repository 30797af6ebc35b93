/*
 * "Can it run in vm86?", "is it enterable?", the handoff record and its
 * fix-ups, and the VMCS view the host enters — including the seed scenarios
 * (Linux setup's PE switch with SS still 0x3000, FreeBSD btx's DS=0).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "segments/handoff.h"
#include "segments/vm86_fit.h"
#include "segments/transitions.h"
#include "segments/segment_load.h"
#include "gdt/descriptor.h"

#define IDENTITY_CR3 0xfffbc000u
#define GDT_BASE 0x800u

static uint8_t mem[0x10000];
static unsigned mem_reads;

static int mem_read(void *ctx, uint32_t linear, void *buf, unsigned len, struct x86_fault *f)
{
	if (linear + len > sizeof(mem)) {
		f->vector = X86_PF;
		return -1;
	}
	mem_reads++;
	memcpy(buf, mem + linear, len);
	return 0;
}

static int mem_write(void *ctx, uint32_t linear, const void *buf, unsigned len,
		     struct x86_fault *f)
{
	if (linear + len > sizeof(mem)) {
		f->vector = X86_PF;
		return -1;
	}
	memcpy(mem + linear, buf, len);
	return 0;
}

static const struct seg_mem_ops ops = { 0, mem_read, mem_write };

static void put_desc(unsigned index, uint32_t base, uint32_t limit, uint32_t ar)
{
	struct seg_desc d = { base, limit, ar };

	assert_int_equal(desc_encode(&d, mem + GDT_BASE + index * 8), 0);
}

/* A boot-loader-like real-mode CPU with a GDT: 0x10 flat code, 0x18 flat
 * data, 0x20 a 16-bit code segment.  GDTR limit as Linux once declared it. */
static struct guest_cpu real_cpu(void)
{
	struct guest_cpu cpu;

	memset(mem, 0, sizeof(mem));
	mem_reads = 0;
	put_desc(2, 0, 0xffffffff, 0xc09a);
	put_desc(3, 0, 0xffffffff, 0xc092);
	put_desc(4, 0x90000, 0xffff, 0x9a);
	guest_cpu_power_on(&cpu);
	cpu.s.gdtr.base = GDT_BASE;
	cpu.s.gdtr.limit = 0x8000;
	return cpu;
}

static void load_ok(struct guest_cpu *cpu, enum rmt_seg r, uint16_t sel, enum seg_load_kind k)
{
	struct x86_fault f;

	assert_int_equal(seg_load(cpu, &ops, r, sel, k, &f), SEG_LOAD_OK);
}

static void set_pe(struct guest_cpu *cpu)
{
	struct x86_fault f;

	assert_int_equal(guest_cpu_write_cr0(cpu, cpu->s.cr0 | X86_CR0_PE, &f), 0);
}

/* ------------------------------------------------------------ vm86 fit --- */

static void reset_state_cs_blocks_vm86(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct vm86_fit fit;

	assert_int_equal(seg_vm86_fit(&cpu, &fit), 0);
	assert_int_equal(fit.blockers, 1u << RMT_CS);
	assert_int_equal(fit.misfit[RMT_CS], VM86_MISFIT_BASE);
	assert_string_equal(vm86_misfit_name(fit.misfit[RMT_CS]), "base != sel<<4");
	/* the BIOS's first far jump makes it fit */
	load_ok(&cpu, RMT_CS, 0xf000, SEG_LOAD_CS_JMP);
	assert_int_equal(seg_vm86_fit(&cpu, &fit), 1);
	assert_int_equal(fit.blockers, 0);
}

static void vm86_misfits_one_by_one(void **state)
{
	static const struct {
		enum rmt_seg r;
		uint32_t limit, ar;
		enum vm86_misfit m;
	} cases[] = {
		{ RMT_ES, 0x0fff, 0x93, VM86_MISFIT_LIMIT_SMALL },
		{ RMT_FS, 0xffff, 0x93 | RMT_AR_UNUSABLE, VM86_MISFIT_UNUSABLE },
		{ RMT_GS, 0xffff, 0x13, VM86_MISFIT_NOT_PRESENT },
		{ RMT_DS, 0xffff, 0x83, VM86_MISFIT_SYSTEM },
		{ RMT_SS, 0xffff, 0x97, VM86_MISFIT_EXPAND_DOWN },
		{ RMT_ES, 0xffff, 0x91, VM86_MISFIT_NOT_RW },
		{ RMT_CS, 0xffff, 0x99, VM86_MISFIT_NOT_RW },
		{ RMT_SS, 0xffff, 0x4093, VM86_MISFIT_32BIT },
		{ RMT_CS, 0xffff, 0x409b, VM86_MISFIT_32BIT },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guest_cpu cpu = real_cpu();
		struct vm86_fit fit;

		load_ok(&cpu, RMT_CS, 0xf000, SEG_LOAD_CS_JMP);
		cpu.s.seg[cases[i].r].limit = cases[i].limit;
		cpu.s.seg[cases[i].r].ar = cases[i].ar;
		assert_int_equal(seg_vm86_fit(&cpu, &fit), 0);
		assert_int_equal(fit.blockers, 1u << cases[i].r);
		assert_int_equal(fit.misfit[cases[i].r], cases[i].m);
	}
}

static void vm86_ignores_what_real_mode_ignores(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct vm86_fit fit;

	load_ok(&cpu, RMT_CS, 0x1000, SEG_LOAD_CS_JMP);
	cpu.s.seg[RMT_DS].ar = 0xc0f2;          /* DPL 3, not accessed, B=1 expand-up */
	cpu.s.seg[RMT_CS].ar = 0x9a;            /* readable code, not accessed */
	cpu.s.seg[RMT_ES].ar = 0x1093;          /* AVL */
	assert_int_equal(seg_vm86_fit(&cpu, &fit), 1);
}

/* ------------------------------------------------------- VMCS transform --- */

static void vmcs_view_forces_vmx_bits_and_identity_paging(void **state)
{
	struct rmt_state g;
	struct vmcs_view v;

	memset(&g, 0, sizeof(g));
	g.cr0 = X86_CR0_PE | X86_CR0_ET;
	g.cr3 = 0x1234000;
	g.cr4 = X86_CR4_PAE | X86_CR4_VME;
	vmcs_view_from_guest(&g, IDENTITY_CR3, &v);
	assert_int_equal(v.s.cr0, 0x80000031);
	assert_int_equal(v.s.cr3, IDENTITY_CR3);
	assert_int_equal(v.s.cr4, X86_CR4_VMXE | X86_CR4_PSE | X86_CR4_VME);
	assert_int_equal(v.ia32e_mode_guest, 0);
	assert_int_equal(v.entry_intr_info, 0);

	g.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_ET | X86_CR0_NE;
	g.efer_lo = X86_EFER_LME | X86_EFER_LMA;
	vmcs_view_from_guest(&g, IDENTITY_CR3, &v);
	assert_int_equal(v.s.cr3, 0x1234000);
	assert_int_equal(v.s.cr4, X86_CR4_VMXE | X86_CR4_PAE | X86_CR4_VME);
	assert_int_equal(v.ia32e_mode_guest, 1);
}

/* -------------------------------------------------------------- handoff --- */

static void real_mode_is_never_enterable(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	load_ok(&cpu, RMT_CS, 0xf000, SEG_LOAD_CS_JMP);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 0);
	assert_string_equal(h.refusal, "CR0.PE=0: real mode needs unrestricted guest");
}

/*
 * Linux x86_64 setup: PE is set with CS 0x9020 (real), SS 0x3000 and a GDT
 * limit of 0x8000.  The exact state is a valid 16-bit protected-mode state,
 * so it is enterable at once — with SS 0x3000/0x30000 as it is, and without a
 * single descriptor read.  After `ljmp $0x10` it stays enterable.
 */
static void seed_linux_setup(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	load_ok(&cpu, RMT_CS, 0x9020, SEG_LOAD_CS_JMP);
	load_ok(&cpu, RMT_SS, 0x3000, SEG_LOAD_STACK);
	load_ok(&cpu, RMT_DS, 0x9000, SEG_LOAD_DATA);
	set_pe(&cpu);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
	assert_int_equal(mem_reads, 0);
	assert_int_equal(h.fixups, 0);
	assert_int_equal(h.record.seg[RMT_SS].sel, 0x3000);
	assert_int_equal(h.record.seg[RMT_SS].base, 0x30000);
	assert_int_equal(h.record.seg[RMT_SS].limit, 0xffff);
	assert_int_equal(h.record.seg[RMT_SS].ar, 0x93);
	assert_int_equal(h.view.s.gdtr.limit, 0x8000);
	load_ok(&cpu, RMT_CS, 0x10, SEG_LOAD_CS_JMP);
	assert_int_equal(mem_reads, 1);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
	assert_int_equal(h.record.seg[RMT_CS].ar, 0xc09b);
	assert_int_equal(h.record.seg[RMT_SS].sel, 0x3000);
}

/* FreeBSD btx: DS=0 from real mode, used by 32-bit code.  Enterable, with DS
 * usable (selector 0, base 0, AR 0x93) — not turned into a null segment. */
static void seed_freebsd_btx_ds0(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	load_ok(&cpu, RMT_CS, 0x0000, SEG_LOAD_CS_JMP);
	load_ok(&cpu, RMT_DS, 0x0000, SEG_LOAD_DATA);
	set_pe(&cpu);
	load_ok(&cpu, RMT_CS, 0x10, SEG_LOAD_CS_JMP);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
	assert_int_equal(h.record.seg[RMT_DS].sel, 0);
	assert_int_equal(h.record.seg[RMT_DS].ar, 0x93);
	assert_true(ar_usable(h.view.s.seg[RMT_DS].ar));
}

/* A real-mode data selector whose RPL exceeds the cached DPL: not fixed up,
 * not enterable until the guest reloads it. */
static void real_mode_selector_with_rpl_above_dpl_waits_for_reload(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	load_ok(&cpu, RMT_CS, 0x0000, SEG_LOAD_CS_JMP);
	load_ok(&cpu, RMT_ES, 0x1003, SEG_LOAD_DATA);
	set_pe(&cpu);
	load_ok(&cpu, RMT_CS, 0x10, SEG_LOAD_CS_JMP);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 0);
	assert_int_equal(h.report.failures, 1);
	assert_string_equal(h.report.fail[0].rule, "seg.data_dpl_ge_rpl");
	assert_string_equal(h.report.fail[0].msg, "26.3.1.2: ES.DPL (0) < ES.RPL (3), type 3");
	assert_int_equal(h.record.seg[RMT_ES].sel, 0x1003);
	assert_int_equal(h.record.seg[RMT_ES].ar, 0x93);
	load_ok(&cpu, RMT_ES, 0x18, SEG_LOAD_DATA);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
}

/* SS.RPL != CS.RPL is not fixed up either. */
static void ss_rpl_differing_from_cs_rpl_waits(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	load_ok(&cpu, RMT_CS, 0x0000, SEG_LOAD_CS_JMP);
	load_ok(&cpu, RMT_SS, 0x3001, SEG_LOAD_STACK);
	set_pe(&cpu);
	load_ok(&cpu, RMT_CS, 0x10, SEG_LOAD_CS_JMP);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 0);
	assert_true(vmentry_report_has(&h.report, "seg.ss_rpl_eq_cs_rpl"));
	assert_true(vmentry_report_has(&h.report, "seg.ss_dpl_eq_rpl"));
	assert_int_equal(h.report.failures, 2);
	assert_int_equal(h.record.seg[RMT_SS].sel, 0x3001);
}

/* Policy F1: a clear accessed bit in a cached descriptor is set in the record
 * (never in the model), on CS/SS and usable data registers only. */
static void accessed_bit_fixup(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	set_pe(&cpu);
	load_ok(&cpu, RMT_CS, 0x10, SEG_LOAD_CS_JMP);
	cpu.s.seg[RMT_DS].ar = 0x92;                            /* e.g. from a boot record */
	cpu.s.seg[RMT_SS].ar = 0x92;
	cpu.s.seg[RMT_FS].ar = 0x92 | RMT_AR_UNUSABLE;
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
	assert_int_equal(h.fixups, HANDOFF_FIX_ACCESSED(RMT_DS) | HANDOFF_FIX_ACCESSED(RMT_SS));
	assert_int_equal(h.record.seg[RMT_DS].ar, 0x93);
	assert_int_equal(h.record.seg[RMT_SS].ar, 0x93);
	assert_int_equal(h.record.seg[RMT_FS].ar, 0x92 | RMT_AR_UNUSABLE);
	assert_int_equal(cpu.s.seg[RMT_DS].ar, 0x92);
	/* CS: a code segment loaded without the bit (cached reset-like CS) */
	cpu.s.seg[RMT_CS].ar = 0xc09a;
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
	assert_true(h.fixups & HANDOFF_FIX_ACCESSED(RMT_CS));
	assert_int_equal(h.record.seg[RMT_CS].ar, 0xc09b);
}

/* Real-mode CS still holding a data type after PE: not a fix-up. */
static void cs_with_data_type_waits_for_far_jump(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	cpu.s.seg[RMT_CS].ar = 0x93;
	load_ok(&cpu, RMT_CS, 0x1000, SEG_LOAD_CS_JMP);
	set_pe(&cpu);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 0);
	assert_int_equal(h.report.failures, 1);
	assert_string_equal(h.report.fail[0].rule, "seg.cs_type");
}

static void cpl_must_be_ss_dpl(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	set_pe(&cpu);
	load_ok(&cpu, RMT_CS, 0x10, SEG_LOAD_CS_JMP);
	cpu.cpl = 3;
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 0);
	assert_string_equal(h.refusal, "CPL (3) != SS.DPL (0): VM entry would change CPL");
	assert_int_equal(h.report.failures, 0);
}

/* The guest's own virtual-8086 mode (EMM386-style) enters as it is. */
static void guest_vm86_is_enterable(void **state)
{
	struct guest_cpu cpu = real_cpu();
	struct handoff h;

	set_pe(&cpu);
	cpu.s.eflags |= X86_FL_VM;
	for (int r = RMT_ES; r <= RMT_GS; r++)
		load_ok(&cpu, r, (uint16_t)(0x1000 * (r + 1)),
			r == RMT_CS ? SEG_LOAD_CS_IRET : r == RMT_SS ? SEG_LOAD_STACK : SEG_LOAD_DATA);
	assert_int_equal(cpu.cpl, 3);
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 1);
	assert_int_equal(h.fixups, 0);
	/* …but not halted: HLT needs SS.DPL 0 */
	cpu.s.activity = VMX_ACTIVITY_HLT;
	assert_int_equal(handoff_build(&cpu, &vmentry_config_penryn, IDENTITY_CR3, &h), 0);
	assert_string_equal(h.report.fail[0].rule, "act.hlt_needs_ss_dpl0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reset_state_cs_blocks_vm86),
		cmocka_unit_test(vm86_misfits_one_by_one),
		cmocka_unit_test(vm86_ignores_what_real_mode_ignores),
		cmocka_unit_test(vmcs_view_forces_vmx_bits_and_identity_paging),
		cmocka_unit_test(real_mode_is_never_enterable),
		cmocka_unit_test(seed_linux_setup),
		cmocka_unit_test(seed_freebsd_btx_ds0),
		cmocka_unit_test(real_mode_selector_with_rpl_above_dpl_waits_for_reload),
		cmocka_unit_test(ss_rpl_differing_from_cs_rpl_waits),
		cmocka_unit_test(accessed_bit_fixup),
		cmocka_unit_test(cs_with_data_type_waits_for_far_jump),
		cmocka_unit_test(cpl_must_be_ss_dpl),
		cmocka_unit_test(guest_vm86_is_enterable),
	};

	return cmocka_run_group_tests_name("seg_handoff", tests, NULL, NULL);
}

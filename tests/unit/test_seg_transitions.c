/*
 * Power-on/INIT/SIPI state, MOV to CR0, and taking the guest back from the
 * host: no transition touches a segment register.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "segments/transitions.h"

static void assert_seg(const struct rmt_segment *s, uint16_t sel, uint32_t base,
		       uint32_t limit, uint32_t ar)
{
	assert_int_equal(s->sel, sel);
	assert_int_equal(s->base, base);
	assert_int_equal(s->limit, limit);
	assert_int_equal(s->ar, ar);
}

static void power_on_state_is_table_9_1(void **state)
{
	struct guest_cpu cpu;

	memset(&cpu, 0x5a, sizeof(cpu));
	guest_cpu_power_on(&cpu);
	assert_int_equal(cpu.s.eip, 0xfff0);
	assert_int_equal(cpu.s.eflags, 0x2);
	assert_int_equal(cpu.s.cr0, 0x60000010);
	assert_int_equal(cpu.s.cr3, 0);
	assert_int_equal(cpu.s.cr4, 0);
	assert_int_equal(cpu.s.dr7, 0x400);
	assert_int_equal(cpu.s.efer_lo, 0);
	assert_int_equal(cpu.s.gpr[RMT_EDX], 0);
	assert_seg(&cpu.s.seg[RMT_CS], 0xf000, 0xffff0000, 0xffff, 0x9b);
	for (int r = RMT_ES; r <= RMT_GS; r++)
		if (r != RMT_CS)
			assert_seg(&cpu.s.seg[r], 0, 0, 0xffff, 0x93);
	assert_seg(&cpu.s.seg[RMT_LDTR], 0, 0, 0xffff, 0x82);
	assert_seg(&cpu.s.seg[RMT_TR], 0, 0, 0xffff, 0x8b);
	assert_int_equal(cpu.s.gdtr.base, 0);
	assert_int_equal(cpu.s.gdtr.limit, 0xffff);
	assert_int_equal(cpu.s.idtr.base, 0);
	assert_int_equal(cpu.s.idtr.limit, 0xffff);
	assert_int_equal(cpu.s.activity, 0);
	assert_int_equal(cpu.s.interruptibility, 0);
	for (int r = 0; r < RMT_NSEG; r++)
		assert_int_equal(cpu.origin[r], SEG_FROM_RESET);
	assert_int_equal(cpu.cpl, 0);
	assert_int_equal(cpu.a20, 1);
}

static void init_keeps_cd_and_nw(void **state)
{
	struct guest_cpu cpu;

	guest_cpu_power_on(&cpu);
	cpu.s.cr0 = 0x80000031;         /* caches on, paging, PM */
	cpu.s.seg[RMT_DS].limit = 0xffffffff;
	guest_cpu_init(&cpu);
	assert_int_equal(cpu.s.cr0, 0x00000010);
	assert_int_equal(cpu.s.seg[RMT_DS].limit, 0xffff);
	cpu.s.cr0 = 0x60000011;
	guest_cpu_init(&cpu);
	assert_int_equal(cpu.s.cr0, 0x60000010);
}

static void sipi_starts_at_vector_page(void **state)
{
	struct guest_cpu cpu;

	guest_cpu_power_on(&cpu);
	guest_cpu_init(&cpu);
	guest_cpu_sipi(&cpu, 0x9f);
	assert_seg(&cpu.s.seg[RMT_CS], 0x9f00, 0x9f000, 0xffff, 0x9b);
	assert_int_equal(cpu.s.eip, 0);
}

static void setting_pe_changes_no_segment_register(void **state)
{
	struct guest_cpu cpu, before;
	struct x86_fault f;

	guest_cpu_power_on(&cpu);
	cpu.s.seg[RMT_SS].sel = 0x3000;
	cpu.s.seg[RMT_SS].base = 0x30000;
	cpu.s.seg[RMT_DS].limit = 0xffffffff;
	cpu.origin[RMT_SS] = SEG_FROM_REAL;
	before = cpu;
	assert_int_equal(guest_cpu_write_cr0(&cpu, 0x60000011, &f), 0);
	assert_int_equal(cpu.s.cr0, 0x60000011);
	assert_memory_equal(cpu.s.seg, before.s.seg, sizeof(cpu.s.seg));
	assert_memory_equal(cpu.origin, before.origin, sizeof(cpu.origin));
	assert_int_equal(cpu.cpl, 0);
}

static void clearing_pe_keeps_big_real_mode_and_sets_cpl_0(void **state)
{
	struct guest_cpu cpu, before;
	struct x86_fault f;

	guest_cpu_power_on(&cpu);
	cpu.s.cr0 = 0x11;
	cpu.s.seg[RMT_FS].sel = 0x10;
	cpu.s.seg[RMT_FS].limit = 0xffffffff;
	cpu.s.seg[RMT_FS].ar = 0xc093;
	before = cpu;
	assert_int_equal(guest_cpu_write_cr0(&cpu, 0x10, &f), 0);
	assert_memory_equal(cpu.s.seg, before.s.seg, sizeof(cpu.s.seg));
	assert_int_equal(cpu.cpl, 0);
}

static void invalid_cr0_combinations_are_gp0(void **state)
{
	struct guest_cpu cpu, before;
	struct x86_fault f;

	guest_cpu_power_on(&cpu);
	before = cpu;
	assert_int_equal(guest_cpu_write_cr0(&cpu, 0x80000010, &f), -1);   /* PG without PE */
	assert_int_equal(f.vector, X86_GP);
	assert_int_equal(f.error_code, 0);
	assert_int_equal(f.has_error, 1);
	assert_int_equal(guest_cpu_write_cr0(&cpu, 0x20000011, &f), -1);   /* NW without CD */
	assert_int_equal(f.vector, X86_GP);
	assert_memory_equal(&cpu, &before, sizeof(cpu));
}

static void reserved_cr0_bits_are_ignored_and_et_is_one(void **state)
{
	struct guest_cpu cpu;
	struct x86_fault f;

	guest_cpu_power_on(&cpu);
	assert_int_equal(guest_cpu_write_cr0(&cpu, 0x1ffaffc1, &f), 0);
	assert_int_equal(cpu.s.cr0, 0x00000011);
	assert_int_equal(guest_cpu_write_cr0(&cpu, 0x80050033, &f), 0);
	assert_int_equal(cpu.s.cr0, 0x80050033);
}

static void import_from_host(void **state)
{
	struct guest_cpu cpu;
	struct rmt_state saved;

	guest_cpu_power_on(&cpu);
	saved = cpu.s;
	saved.cr0 = 0x10;                       /* the guest just cleared PE */
	saved.seg[RMT_SS].sel = 0x18;
	saved.seg[RMT_SS].ar = 0xc093;
	saved.seg[RMT_DS].limit = 0xffffffff;
	cpu.a20 = 0;
	cpu.cpl = 3;
	guest_cpu_import_host(&cpu, &saved);
	assert_memory_equal(&cpu.s, &saved, sizeof(saved));
	for (int r = 0; r < RMT_NSEG; r++)
		assert_int_equal(cpu.origin[r], SEG_FROM_HOST);
	assert_int_equal(cpu.cpl, 0);
	assert_int_equal(cpu.a20, 0);

	saved.cr0 = 0x80000011;                 /* protected mode: CPL = SS.DPL */
	saved.seg[RMT_SS].sel = 0x2b;
	saved.seg[RMT_SS].ar = 0xc0f3;
	guest_cpu_import_host(&cpu, &saved);
	assert_int_equal(cpu.cpl, 3);
	saved.seg[RMT_SS].ar = 0xc0b3;
	guest_cpu_import_host(&cpu, &saved);
	assert_int_equal(cpu.cpl, 1);
	saved.eflags |= X86_FL_VM;              /* the guest's own vm86 */
	saved.seg[RMT_SS].ar = 0xf3;
	guest_cpu_import_host(&cpu, &saved);
	assert_int_equal(cpu.cpl, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(power_on_state_is_table_9_1),
		cmocka_unit_test(init_keeps_cd_and_nw),
		cmocka_unit_test(sipi_starts_at_vector_page),
		cmocka_unit_test(setting_pe_changes_no_segment_register),
		cmocka_unit_test(clearing_pe_keeps_big_real_mode_and_sets_cpl_0),
		cmocka_unit_test(invalid_cr0_combinations_are_gp0),
		cmocka_unit_test(reserved_cr0_bits_are_ignored_and_et_is_one),
		cmocka_unit_test(import_from_host),
	};

	return cmocka_run_group_tests_name("seg_transitions", tests, NULL, NULL);
}

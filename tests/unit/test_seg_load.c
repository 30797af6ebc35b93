/*
 * seg_load(): every mode, every kind of load, every fault with its error
 * code, against a small array standing in for guest memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "segments/segment_load.h"
#include "gdt/descriptor.h"

#define MEM_SIZE  0x20000u
#define GDT_BASE  0x1000u
#define LDT_BASE  0x3000u

/* Guest memory: reads and writes are counted, and an address past the end
 * raises #PF, so a test can prove that no descriptor was read. */
struct test_mem {
	uint8_t bytes[MEM_SIZE];
	unsigned reads, writes;
	uint32_t read_addr[8];
	uint32_t readonly_from;       /* writes at or above fault (ROM) */
};

static int mem_read(void *ctx, uint32_t linear, void *buf, unsigned len, struct x86_fault *f)
{
	struct test_mem *m = ctx;

	if (linear >= MEM_SIZE || len > MEM_SIZE - linear) {
		f->vector = X86_PF;
		f->has_error = 1;
		f->error_code = 0;
		f->cr2 = linear;
		return -1;
	}
	if (m->reads < 8)
		m->read_addr[m->reads] = linear;
	m->reads++;
	memcpy(buf, m->bytes + linear, len);
	return 0;
}

static int mem_write(void *ctx, uint32_t linear, const void *buf, unsigned len,
		     struct x86_fault *f)
{
	struct test_mem *m = ctx;

	if (linear >= m->readonly_from || linear >= MEM_SIZE || len > MEM_SIZE - linear) {
		f->vector = X86_PF;
		f->has_error = 1;
		f->error_code = 3;
		f->cr2 = linear;
		return -1;
	}
	m->writes++;
	memcpy(m->bytes + linear, buf, len);
	return 0;
}

struct fixture {
	struct test_mem mem;
	struct seg_mem_ops ops;
	struct guest_cpu cpu;
	struct x86_fault fault;
};

static struct fixture fx;

/* Put a descriptor at `index` of the table at `table`. */
static void put_desc(uint32_t table, unsigned index, uint32_t base, uint32_t limit, uint32_t ar)
{
	struct seg_desc d = { base, limit, ar };

	assert_int_equal(desc_encode(&d, fx.mem.bytes + table + index * 8), 0);
}

static uint8_t desc_ar_byte(uint32_t table, unsigned index)
{
	return fx.mem.bytes[table + index * 8 + 5];
}

static void set_seg(enum rmt_seg r, uint16_t sel, uint32_t base, uint32_t limit, uint32_t ar)
{
	fx.cpu.s.seg[r].sel = sel;
	fx.cpu.s.seg[r].base = base;
	fx.cpu.s.seg[r].limit = limit;
	fx.cpu.s.seg[r].ar = ar;
}

/* A real-mode CPU (reset-like segments) with a GDT of 8 entries. */
static int setup_real(void **state)
{
	memset(&fx, 0, sizeof(fx));
	fx.mem.readonly_from = MEM_SIZE;
	fx.ops.ctx = &fx.mem;
	fx.ops.read_linear = mem_read;
	fx.ops.write_linear = mem_write;
	fx.cpu.s.cr0 = X86_CR0_ET;
	fx.cpu.s.eflags = X86_FL_FIXED;
	for (int r = RMT_ES; r <= RMT_GS; r++)
		set_seg(r, 0, 0, 0xffff, 0x93);
	set_seg(RMT_CS, 0xf000, 0xffff0000, 0xffff, 0x9b);
	set_seg(RMT_LDTR, 0, 0, 0xffff, 0x82);
	set_seg(RMT_TR, 0, 0, 0xffff, 0x8b);
	fx.cpu.s.gdtr.base = GDT_BASE;
	fx.cpu.s.gdtr.limit = 8 * 8 - 1;
	fx.cpu.cpl = 0;
	/* index 1: flat 32-bit code DPL0, not accessed; 2: flat data DPL0 */
	put_desc(GDT_BASE, 1, 0, 0xffffffff, 0xc09a);
	put_desc(GDT_BASE, 2, 0, 0xffffffff, 0xc092);
	return 0;
}

static int setup_prot(void **state)
{
	setup_real(state);
	fx.cpu.s.cr0 |= X86_CR0_PE;
	return 0;
}

static enum seg_load_result load(enum rmt_seg r, uint16_t sel, enum seg_load_kind kind)
{
	memset(&fx.fault, 0xee, sizeof(fx.fault));
	return seg_load(&fx.cpu, &fx.ops, r, sel, kind, &fx.fault);
}

static void assert_fault(enum seg_load_result res, unsigned vector, uint32_t ec)
{
	assert_int_equal(res, SEG_LOAD_FAULT);
	assert_int_equal(fx.fault.vector, vector);
	assert_int_equal(fx.fault.has_error, 1);
	assert_int_equal(fx.fault.error_code, ec);
}

/* A fault or an unsupported form leaves every register as it was. */
static void assert_cpu_unchanged(const struct guest_cpu *before)
{
	assert_memory_equal(before, &fx.cpu, sizeof(*before));
}

/* ------------------------------------------------------------ real mode --- */

static void real_load_keeps_limit_and_ar_big_real_mode(void **state)
{
	set_seg(RMT_DS, 0x10, 0, 0xffffffff, 0xc093);   /* left over from PM */
	assert_int_equal(load(RMT_DS, 0x1234, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].sel, 0x1234);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].base, 0x12340);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].limit, 0xffffffff);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].ar, 0xc093);
	assert_int_equal(fx.cpu.origin[RMT_DS], SEG_FROM_REAL);
	assert_int_equal(fx.mem.reads, 0);
	assert_int_equal(fx.mem.writes, 0);
}

static void real_load_never_reads_a_descriptor_even_with_a_tiny_gdt(void **state)
{
	fx.cpu.s.gdtr.limit = 0;
	fx.cpu.s.gdtr.base = 0xfffffff0;
	assert_int_equal(load(RMT_SS, 0xfffc, SEG_LOAD_STACK), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_SS].base, 0xfffc0);
	assert_int_equal(load(RMT_CS, 0x0007, SEG_LOAD_CS_JMP), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].sel, 0x0007);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].base, 0x70);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].ar, 0x9b);
	assert_int_equal(fx.mem.reads, 0);
}

static void real_load_makes_a_null_loaded_register_usable(void **state)
{
	set_seg(RMT_ES, 0, 0, 0xffff, 0x93 | RMT_AR_UNUSABLE);
	assert_int_equal(load(RMT_ES, 0xb800, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_ES].ar, 0x93);
	assert_int_equal(fx.cpu.s.seg[RMT_ES].base, 0xb8000);
}

static void real_cs_load_sets_cpl_0(void **state)
{
	fx.cpu.cpl = 3;
	assert_int_equal(load(RMT_CS, 0x0800, SEG_LOAD_CS_RET), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.cpl, 0);
	assert_int_equal(fx.cpu.origin[RMT_CS], SEG_FROM_REAL);
}

/* ----------------------------------------------------------------- vm86 --- */

static void vm86_load_gives_the_fixed_descriptor_and_cpl_3(void **state)
{
	fx.cpu.s.cr0 |= X86_CR0_PE;
	fx.cpu.s.eflags |= X86_FL_VM;
	set_seg(RMT_FS, 0x10, 0, 0xffffffff, 0xc093);
	assert_int_equal(load(RMT_FS, 0x2000, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_FS].base, 0x20000);
	assert_int_equal(fx.cpu.s.seg[RMT_FS].limit, 0xffff);
	assert_int_equal(fx.cpu.s.seg[RMT_FS].ar, 0xf3);
	assert_int_equal(fx.cpu.origin[RMT_FS], SEG_FROM_VM86);
	assert_int_equal(load(RMT_CS, 0x1000, SEG_LOAD_CS_IRET), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].ar, 0xf3);
	assert_int_equal(fx.cpu.cpl, 3);
	assert_int_equal(fx.mem.reads, 0);
}

/* ------------------------------------------------------- protected mode --- */

static void pe_set_changes_no_segment_register(void **state)
{
	struct guest_cpu before;

	set_seg(RMT_SS, 0x3000, 0x30000, 0xffff, 0x93);
	before = fx.cpu;
	fx.cpu.s.cr0 |= X86_CR0_PE;
	before.s.cr0 |= X86_CR0_PE;
	assert_cpu_unchanged(&before);
}

static void pm_data_load_reads_descriptor_and_sets_accessed_bit(void **state)
{
	assert_int_equal(load(RMT_DS, 0x10, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].sel, 0x10);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].base, 0);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].limit, 0xffffffff);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].ar, 0xc093);
	assert_int_equal(fx.cpu.origin[RMT_DS], SEG_FROM_DESCRIPTOR);
	assert_int_equal(desc_ar_byte(GDT_BASE, 2), 0x93);
	assert_int_equal(fx.mem.writes, 1);
}

static void pm_load_with_accessed_bit_set_writes_nothing(void **state)
{
	put_desc(GDT_BASE, 3, 0x12345678, 0xfff, 0x4093);
	assert_int_equal(load(RMT_GS, 0x18, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_GS].base, 0x12345678);
	assert_int_equal(fx.cpu.s.seg[RMT_GS].limit, 0xfff);
	assert_int_equal(fx.mem.writes, 0);
}

static void pm_accessed_bit_write_fault_leaves_cpu_unchanged(void **state)
{
	struct guest_cpu before = fx.cpu;

	fx.mem.readonly_from = GDT_BASE;  /* GDT in "ROM" that faults on writes */
	assert_int_equal(load(RMT_DS, 0x10, SEG_LOAD_DATA), SEG_LOAD_FAULT);
	assert_int_equal(fx.fault.vector, X86_PF);
	assert_int_equal(fx.fault.cr2, GDT_BASE + 2 * 8 + 5);
	assert_cpu_unchanged(&before);
}

static void pm_descriptor_read_fault_propagates(void **state)
{
	fx.cpu.s.gdtr.base = MEM_SIZE - 8;
	assert_int_equal(load(RMT_DS, 0x10, SEG_LOAD_DATA), SEG_LOAD_FAULT);
	assert_int_equal(fx.fault.vector, X86_PF);
	assert_int_equal(fx.fault.cr2, MEM_SIZE + 8);
}

static void pm_null_data_selector_makes_register_unusable(void **state)
{
	set_seg(RMT_ES, 0x10, 0x1000, 0xffff, 0x93);
	assert_int_equal(load(RMT_ES, 0x0003, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_ES].sel, 0x0003);
	assert_true(fx.cpu.s.seg[RMT_ES].ar & RMT_AR_UNUSABLE);
	assert_int_equal(fx.cpu.origin[RMT_ES], SEG_FROM_DESCRIPTOR);
	assert_int_equal(fx.mem.reads, 0);
}

static void pm_null_selector_into_ss_or_cs_is_gp0(void **state)
{
	struct guest_cpu before = fx.cpu;

	assert_fault(load(RMT_SS, 0x0000, SEG_LOAD_STACK), X86_GP, 0);
	assert_fault(load(RMT_CS, 0x0003, SEG_LOAD_CS_JMP), X86_GP, 0);
	assert_fault(load(RMT_CS, 0x0000, SEG_LOAD_CS_CALL), X86_GP, 0);
	assert_fault(load(RMT_CS, 0x0000, SEG_LOAD_CS_RET), X86_GP, 0);
	assert_fault(load(RMT_CS, 0x0000, SEG_LOAD_CS_IRET), X86_GP, 0);
	assert_cpu_unchanged(&before);
}

static void pm_gdt_limit_is_respected(void **state)
{
	put_desc(GDT_BASE, 7, 0, 0xffff, 0x93);
	fx.cpu.s.gdtr.limit = 7 * 8 + 6;          /* one byte short of index 7 */
	assert_fault(load(RMT_DS, 0x3b, SEG_LOAD_DATA), X86_GP, 0x38);
	fx.cpu.s.gdtr.limit = 7 * 8 + 7;          /* exactly covers it */
	assert_int_equal(load(RMT_DS, 0x38, SEG_LOAD_DATA), SEG_LOAD_OK);
}

static void pm_ldt_selector_uses_ldtr(void **state)
{
	put_desc(LDT_BASE, 1, 0xabc000, 0xffff, 0x93);
	set_seg(RMT_LDTR, 0x28, LDT_BASE, 0xf, 0x82);
	assert_int_equal(load(RMT_FS, 0x0c, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_FS].base, 0xabc000);
	assert_int_equal(fx.mem.read_addr[0], LDT_BASE + 8);
	/* LDT index 0 is not a null selector */
	put_desc(LDT_BASE, 0, 0x5000, 0xffff, 0x93);
	assert_int_equal(load(RMT_FS, 0x04, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_FS].base, 0x5000);
	assert_false(fx.cpu.s.seg[RMT_FS].ar & RMT_AR_UNUSABLE);
}

static void pm_ldt_limit_and_unusable_ldtr_fault(void **state)
{
	set_seg(RMT_LDTR, 0x28, LDT_BASE, 0xf, 0x82);
	assert_fault(load(RMT_DS, 0x17, SEG_LOAD_DATA), X86_GP, 0x14);
	set_seg(RMT_LDTR, 0, 0, 0xffff, 0x82 | RMT_AR_UNUSABLE);
	assert_fault(load(RMT_DS, 0x0c, SEG_LOAD_DATA), X86_GP, 0x0c);
}

static void pm_data_load_type_checks(void **state)
{
	put_desc(GDT_BASE, 3, 0x1000, 0x67, 0x89);      /* 32-bit TSS */
	put_desc(GDT_BASE, 4, 0, 0xffff, 0x98);         /* execute-only code */
	put_desc(GDT_BASE, 5, 0x7000, 0xffff, 0x9a);    /* readable code */
	put_desc(GDT_BASE, 6, 0x8000, 0xffff, 0x9e);    /* conforming readable, DPL0 */
	assert_fault(load(RMT_DS, 0x18, SEG_LOAD_DATA), X86_GP, 0x18);
	assert_fault(load(RMT_DS, 0x20, SEG_LOAD_DATA), X86_GP, 0x20);
	assert_int_equal(load(RMT_DS, 0x28, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].ar, 0x9b);
	/* conforming code is exempt from the privilege check */
	fx.cpu.cpl = 3;
	assert_int_equal(load(RMT_ES, 0x33, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_ES].base, 0x8000);
}

static void pm_data_load_privilege_checks(void **state)
{
	put_desc(GDT_BASE, 3, 0, 0xffff, 0xb3);         /* data DPL 1 */
	assert_fault(load(RMT_DS, 0x1a, SEG_LOAD_DATA), X86_GP, 0x18);   /* RPL 2 > DPL 1 */
	fx.cpu.cpl = 2;
	assert_fault(load(RMT_DS, 0x19, SEG_LOAD_DATA), X86_GP, 0x18);   /* CPL 2 > DPL 1 */
	fx.cpu.cpl = 1;
	assert_int_equal(load(RMT_DS, 0x19, SEG_LOAD_DATA), SEG_LOAD_OK);
	fx.cpu.cpl = 0;
	assert_int_equal(load(RMT_DS, 0x18, SEG_LOAD_DATA), SEG_LOAD_OK);
}

static void pm_not_present_is_np_for_data_and_ss_for_stack(void **state)
{
	put_desc(GDT_BASE, 3, 0, 0xffff, 0x13);         /* data, P=0 */
	assert_fault(load(RMT_DS, 0x18, SEG_LOAD_DATA), X86_NP, 0x18);
	assert_fault(load(RMT_SS, 0x18, SEG_LOAD_STACK), X86_SS, 0x18);
	/* a privilege violation is reported before the presence */
	put_desc(GDT_BASE, 4, 0, 0xffff, 0x13);
	assert_fault(load(RMT_DS, 0x23, SEG_LOAD_DATA), X86_GP, 0x20);
}

static void pm_stack_load_checks(void **state)
{
	put_desc(GDT_BASE, 3, 0, 0xffff, 0x91);         /* read-only data */
	put_desc(GDT_BASE, 4, 0, 0xffff, 0xd3);         /* data DPL 2 */
	put_desc(GDT_BASE, 5, 0, 0xffff, 0x9b);         /* code */
	assert_fault(load(RMT_SS, 0x13, SEG_LOAD_STACK), X86_GP, 0x10);  /* RPL != CPL */
	assert_fault(load(RMT_SS, 0x18, SEG_LOAD_STACK), X86_GP, 0x18);  /* not writable */
	assert_fault(load(RMT_SS, 0x20, SEG_LOAD_STACK), X86_GP, 0x20);  /* DPL != CPL */
	assert_fault(load(RMT_SS, 0x28, SEG_LOAD_STACK), X86_GP, 0x28);  /* code */
	assert_int_equal(load(RMT_SS, 0x10, SEG_LOAD_STACK), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_SS].ar, 0xc093);
	assert_int_equal(fx.cpu.origin[RMT_SS], SEG_FROM_DESCRIPTOR);
	fx.cpu.cpl = 2;
	assert_int_equal(load(RMT_SS, 0x22, SEG_LOAD_STACK), SEG_LOAD_OK);
}

static void pm_far_jmp_nonconforming(void **state)
{
	put_desc(GDT_BASE, 3, 0, 0xffff, 0xfa);         /* code DPL 3 */
	put_desc(GDT_BASE, 4, 0, 0xffff, 0x1a);         /* code DPL 0, P=0 */
	assert_fault(load(RMT_CS, 0x09, SEG_LOAD_CS_JMP), X86_GP, 0x08); /* RPL 1 > CPL 0 */
	assert_fault(load(RMT_CS, 0x18, SEG_LOAD_CS_JMP), X86_GP, 0x18); /* DPL 3 != CPL 0 */
	assert_fault(load(RMT_CS, 0x20, SEG_LOAD_CS_CALL), X86_NP, 0x20);
	assert_int_equal(load(RMT_CS, 0x08, SEG_LOAD_CS_JMP), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].sel, 0x08);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].ar, 0xc09b);
	assert_int_equal(fx.cpu.cpl, 0);
	assert_int_equal(desc_ar_byte(GDT_BASE, 1), 0x9b);
	/* at CPL 3 an RPL 0 selector is fine and the loaded RPL becomes 3 */
	fx.cpu.cpl = 3;
	assert_int_equal(load(RMT_CS, 0x18, SEG_LOAD_CS_CALL), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].sel, 0x1b);
	assert_int_equal(fx.cpu.cpl, 3);
}

static void pm_far_jmp_conforming(void **state)
{
	put_desc(GDT_BASE, 3, 0, 0xffff, 0xde);         /* conforming DPL 2 */
	fx.cpu.cpl = 1;
	assert_fault(load(RMT_CS, 0x18, SEG_LOAD_CS_JMP), X86_GP, 0x18); /* DPL 2 > CPL 1 */
	fx.cpu.cpl = 3;
	assert_int_equal(load(RMT_CS, 0x18, SEG_LOAD_CS_JMP), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].sel, 0x1b);
	assert_int_equal(ar_dpl(fx.cpu.s.seg[RMT_CS].ar), 2);
	assert_int_equal(fx.cpu.cpl, 3);
}

static void pm_far_jmp_to_gates_and_tss_is_unsupported_other_system_types_gp(void **state)
{
	struct guest_cpu before;

	put_desc(GDT_BASE, 3, 0, 0, 0x8c);      /* 32-bit call gate (raw layout irrelevant) */
	put_desc(GDT_BASE, 4, 0, 0, 0x85);      /* task gate */
	put_desc(GDT_BASE, 5, 0x2000, 0x67, 0x89); /* available 32-bit TSS */
	put_desc(GDT_BASE, 6, 0x2000, 0x67, 0x8b); /* busy 32-bit TSS */
	put_desc(GDT_BASE, 7, 0x2000, 0x67, 0x82); /* LDT */
	before = fx.cpu;
	assert_int_equal(load(RMT_CS, 0x18, SEG_LOAD_CS_CALL), SEG_LOAD_UNSUPPORTED);
	assert_int_equal(load(RMT_CS, 0x20, SEG_LOAD_CS_JMP), SEG_LOAD_UNSUPPORTED);
	assert_int_equal(load(RMT_CS, 0x28, SEG_LOAD_CS_JMP), SEG_LOAD_UNSUPPORTED);
	assert_cpu_unchanged(&before);
	assert_fault(load(RMT_CS, 0x30, SEG_LOAD_CS_JMP), X86_GP, 0x30);
	assert_fault(load(RMT_CS, 0x38, SEG_LOAD_CS_JMP), X86_GP, 0x38);
	assert_fault(load(RMT_CS, 0x10, SEG_LOAD_CS_JMP), X86_GP, 0x10);   /* data */
}

static void pm_far_ret_and_iret_checks(void **state)
{
	put_desc(GDT_BASE, 3, 0, 0xffff, 0xba);         /* code DPL 1 */
	put_desc(GDT_BASE, 4, 0, 0xffff, 0xde);         /* conforming DPL 2 */
	put_desc(GDT_BASE, 5, 0, 0xffff, 0x3a);         /* code DPL 1, P=0 */
	fx.cpu.cpl = 1;
	assert_fault(load(RMT_CS, 0x18, SEG_LOAD_CS_RET), X86_GP, 0x18);  /* RPL 0 < CPL 1 */
	assert_fault(load(RMT_CS, 0x1a, SEG_LOAD_CS_RET), X86_GP, 0x18);  /* DPL 1 != RPL 2 */
	assert_fault(load(RMT_CS, 0x21, SEG_LOAD_CS_IRET), X86_GP, 0x20); /* conf. DPL 2 > RPL 1 */
	assert_fault(load(RMT_CS, 0x29, SEG_LOAD_CS_IRET), X86_NP, 0x28);
	assert_fault(load(RMT_CS, 0x11, SEG_LOAD_CS_RET), X86_GP, 0x10);  /* data */
	assert_int_equal(load(RMT_CS, 0x23, SEG_LOAD_CS_RET), SEG_LOAD_UNSUPPORTED); /* outer */
	assert_int_equal(load(RMT_CS, 0x19, SEG_LOAD_CS_IRET), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].sel, 0x19);
	assert_int_equal(fx.cpu.cpl, 1);
	fx.cpu.cpl = 2;
	assert_int_equal(load(RMT_CS, 0x22, SEG_LOAD_CS_RET), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_CS].sel, 0x22);
}

static void load_kind_must_fit_the_register(void **state)
{
	struct guest_cpu before = fx.cpu;

	assert_int_equal(load(RMT_CS, 0x10, SEG_LOAD_DATA), SEG_LOAD_UNSUPPORTED);
	assert_int_equal(load(RMT_DS, 0x10, SEG_LOAD_STACK), SEG_LOAD_UNSUPPORTED);
	assert_int_equal(load(RMT_SS, 0x08, SEG_LOAD_CS_JMP), SEG_LOAD_UNSUPPORTED);
	assert_int_equal(load(RMT_TR, 0x08, SEG_LOAD_DATA), SEG_LOAD_UNSUPPORTED);
	assert_cpu_unchanged(&before);
}

/* ------------------------------------------------------- seed scenarios --- */

/*
 * Linux x86_64 setup (arch/x86/boot/pmjump.S, older versions): sets PE with
 * SS still 0x3000 and a GDT whose limit was declared 0x8000, far-jumps to
 * __BOOT_CS and reloads DS/ES/FS/GS/SS afterwards.  Between the two, SS holds
 * a real-mode value that must never be looked up — index 0x600 "is" inside
 * the bogus limit and would read garbage.
 */
static void seed_linux_setup_pe_with_ss_3000_and_gdt_limit_8000(void **state)
{
	set_seg(RMT_SS, 0x3000, 0x30000, 0xffff, 0x93);
	set_seg(RMT_DS, 0x3000, 0x30000, 0xffff, 0x93);
	fx.cpu.s.gdtr.limit = 0x8000;
	memset(fx.mem.bytes + GDT_BASE + 0x3000, 0xa5, 8);   /* garbage at "index 0x600" */
	fx.cpu.s.cr0 |= X86_CR0_PE;
	assert_int_equal(load(RMT_CS, 0x08, SEG_LOAD_CS_JMP), SEG_LOAD_OK);
	assert_int_equal(fx.mem.reads, 1);
	assert_int_equal(fx.mem.read_addr[0], GDT_BASE + 8);
	/* SS and DS are untouched: selector, base, limit, AR and origin */
	assert_int_equal(fx.cpu.s.seg[RMT_SS].sel, 0x3000);
	assert_int_equal(fx.cpu.s.seg[RMT_SS].base, 0x30000);
	assert_int_equal(fx.cpu.s.seg[RMT_SS].ar, 0x93);
	assert_int_equal(fx.cpu.origin[RMT_SS], SEG_FROM_RESET);
	assert_int_equal(load(RMT_SS, 0x10, SEG_LOAD_STACK), SEG_LOAD_OK);
	assert_int_equal(fx.mem.read_addr[1], GDT_BASE + 0x10);
	assert_int_equal(fx.cpu.s.seg[RMT_SS].base, 0);
}

/*
 * FreeBSD btx: DS=0 from real mode is used by 32-bit code after PE is set and
 * before DS is reloaded.  Selector 0 must stay a usable real-mode segment —
 * it is not a protected-mode null selector until something loads it in PM.
 */
static void seed_freebsd_btx_ds0_stays_usable_after_pe(void **state)
{
	assert_int_equal(load(RMT_DS, 0x0000, SEG_LOAD_DATA), SEG_LOAD_OK);
	fx.cpu.s.cr0 |= X86_CR0_PE;
	assert_int_equal(load(RMT_CS, 0x08, SEG_LOAD_CS_JMP), SEG_LOAD_OK);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].sel, 0);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].base, 0);
	assert_int_equal(fx.cpu.s.seg[RMT_DS].ar, 0x93);
	assert_int_equal(fx.cpu.origin[RMT_DS], SEG_FROM_REAL);
	/* reloading 0 in protected mode is what makes it null */
	assert_int_equal(load(RMT_DS, 0x0000, SEG_LOAD_DATA), SEG_LOAD_OK);
	assert_true(fx.cpu.s.seg[RMT_DS].ar & RMT_AR_UNUSABLE);
}

#define REAL(fn) cmocka_unit_test_setup(fn, setup_real)
#define PROT(fn) cmocka_unit_test_setup(fn, setup_prot)

int main(void)
{
	const struct CMUnitTest tests[] = {
		REAL(real_load_keeps_limit_and_ar_big_real_mode),
		REAL(real_load_never_reads_a_descriptor_even_with_a_tiny_gdt),
		REAL(real_load_makes_a_null_loaded_register_usable),
		REAL(real_cs_load_sets_cpl_0),
		REAL(vm86_load_gives_the_fixed_descriptor_and_cpl_3),
		REAL(pe_set_changes_no_segment_register),
		PROT(pm_data_load_reads_descriptor_and_sets_accessed_bit),
		PROT(pm_load_with_accessed_bit_set_writes_nothing),
		PROT(pm_accessed_bit_write_fault_leaves_cpu_unchanged),
		PROT(pm_descriptor_read_fault_propagates),
		PROT(pm_null_data_selector_makes_register_unusable),
		PROT(pm_null_selector_into_ss_or_cs_is_gp0),
		PROT(pm_gdt_limit_is_respected),
		PROT(pm_ldt_selector_uses_ldtr),
		PROT(pm_ldt_limit_and_unusable_ldtr_fault),
		PROT(pm_data_load_type_checks),
		PROT(pm_data_load_privilege_checks),
		PROT(pm_not_present_is_np_for_data_and_ss_for_stack),
		PROT(pm_stack_load_checks),
		PROT(pm_far_jmp_nonconforming),
		PROT(pm_far_jmp_conforming),
		PROT(pm_far_jmp_to_gates_and_tss_is_unsupported_other_system_types_gp),
		PROT(pm_far_ret_and_iret_checks),
		PROT(load_kind_must_fit_the_register),
		REAL(seed_linux_setup_pe_with_ss_3000_and_gdt_limit_8000),
		REAL(seed_freebsd_btx_ds0_stays_usable_after_pe),
	};

	return cmocka_run_group_tests_name("seg_load", tests, NULL, NULL);
}

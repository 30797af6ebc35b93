/*
 * Interpreter system behaviour: the real -> protected -> real round trip the
 * blob exists for, big real mode across it, string instructions and REP
 * progress on a fault, I/O permission, paging (#PF error codes, A/D bits,
 * PSE, PAE, NX), transactional multi-write instructions, control and
 * descriptor-table registers, MSRs, CPUID, RDTSC, and a protected-mode
 * interrupt gate.
 */
#include "test_interp_harness.h"

#define GDT  0x7e10u

/* GDT: 08 flat code32, 10 flat data32, 18 code16 (64 KiB), 20 data16 (64 KiB). */
static void build_gdt(void)
{
	wr16(0x7e00, 0x27);
	wr32(0x7e02, GDT);
	put_desc(GDT + 0x08, 0, 0xfffff, 0x9a, 0xc);
	put_desc(GDT + 0x10, 0, 0xfffff, 0x92, 0xc);
	put_desc(GDT + 0x18, 0, 0x0ffff, 0x9a, 0x0);
	put_desc(GDT + 0x20, 0, 0x0ffff, 0x92, 0x0);
}

/*
 * The whole round trip: LGDT; MOV CR0 (PE=1); the real-mode DS still works;
 * far JMP to a 32-bit CS; reload DS and SS (MOV SS shadow); far JMP to a
 * 16-bit CS; clear PE; far JMP to real mode — and the 4 GiB DS limit loaded
 * in protected mode survives as big real mode.
 */
static void test_mode_round_trip(void **state)
{
	build_gdt();
	PUT(CODE,
	    0x0f, 0x01, 0x16, 0x00, 0x7e,               /* lgdt [0x7e00] */
	    0x0f, 0x20, 0xc0,                           /* mov eax, cr0 */
	    0x66, 0x83, 0xc8, 0x01,                     /* or eax, 1 */
	    0x0f, 0x22, 0xc0,                           /* mov cr0, eax */
	    0xa0, 0x00, 0x05,                           /* mov al, [0x500] (real-mode DS) */
	    0x66, 0xea, 0x00, 0x7d, 0x00, 0x00, 0x08, 0x00); /* jmp dword 0x08:0x7d00 */
	PUT(0x7d00,
	    0xb8, 0x10, 0x00, 0x00, 0x00,               /* mov eax, 0x10 */
	    0x8e, 0xd8,                                 /* mov ds, ax */
	    0x8e, 0xd0,                                 /* mov ss, ax */
	    0xea, 0x00, 0x7f, 0x00, 0x00, 0x18, 0x00);  /* jmp 0x18:0x7f00 */
	PUT(0x7f00,
	    0x0f, 0x20, 0xc0,                           /* mov eax, cr0 */
	    0x66, 0x83, 0xe0, 0xfe,                     /* and eax, ~1 */
	    0x0f, 0x22, 0xc0,                           /* mov cr0, eax */
	    0xea, 0x00, 0x80, 0x00, 0x00);              /* jmp 0000:8000 */
	PUT(0x8000,
	    0x66, 0x67, 0x8b, 0x06,                     /* mov eax, [esi] (big real) */
	    0x8e, 0xdb);                                /* mov ds, bx */
	H.mem[0x500] = 0x5a;
	C.s.gpr[RMT_ESI] = 0x300000;
	C.s.gpr[RMT_EBX] = 0x0100;
	wr32(0x300000, 0xfeedf00d);

	step_ok(&C);
	assert_int_equal(C.s.gdtr.base, GDT);
	assert_int_equal(C.s.gdtr.limit, 0x27);
	step_ok(&C);
	step_ok(&C);
	step_ok(&C);
	assert_int_equal(C.s.cr0, X86_CR0_PE | X86_CR0_ET);
	assert_int_equal(C.s.eip, CODE + 15);
	step_ok(&C);                                    /* real-mode DS, now in PM */
	assert_int_equal(C.s.gpr[RMT_EAX] & 0xff, 0x5a);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0x08);
	assert_int_equal(C.s.seg[RMT_CS].base, 0);
	assert_int_equal(C.s.seg[RMT_CS].limit, 0xffffffff);
	assert_int_equal(C.s.seg[RMT_CS].ar, 0xc09b);
	assert_int_equal(C.origin[RMT_CS], SEG_FROM_DESCRIPTOR);
	assert_int_equal(C.origin[RMT_DS], SEG_FROM_REAL);
	assert_int_equal(C.s.eip, 0x7d00);
	assert_int_equal(H.mem[GDT + 0x08 + 5], 0x9b);  /* accessed bit written */

	step_ok(&C);                                    /* 32-bit decode now */
	assert_int_equal(C.s.eip, 0x7d05);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_DS].sel, 0x10);
	assert_int_equal(C.s.seg[RMT_DS].limit, 0xffffffff);
	assert_int_equal(C.s.seg[RMT_DS].ar, 0xc093);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_SS].sel, 0x10);
	assert_int_equal(C.s.interruptibility, 2);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0x18);
	assert_int_equal(C.s.seg[RMT_CS].ar, 0x9b);
	assert_int_equal(C.s.eip, 0x7f00);
	assert_int_equal(C.s.interruptibility, 0);

	step_ok(&C);
	step_ok(&C);
	step_ok(&C);
	assert_int_equal(C.s.cr0, X86_CR0_ET);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0);
	assert_int_equal(C.s.seg[RMT_CS].base, 0);
	assert_int_equal(C.s.eip, 0x8000);
	assert_int_equal(C.origin[RMT_CS], SEG_FROM_REAL);

	step_ok(&C);                                    /* big real mode */
	assert_int_equal(C.s.gpr[RMT_EAX], 0xfeedf00d);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_DS].sel, 0x100);
	assert_int_equal(C.s.seg[RMT_DS].base, 0x1000);
	assert_int_equal(C.s.seg[RMT_DS].limit, 0xffffffff); /* kept across the reload */
}

/* A real-mode selector value is never looked up in the GDT: far JMP in PM with a bad selector faults. */
static void test_pm_bad_selector(void **state)
{
	build_gdt();
	C.s.gdtr.base = GDT;
	C.s.gdtr.limit = 0x27;
	C.s.cr0 |= X86_CR0_PE;
	PUT(CODE, 0xea, 0x00, 0x00, 0x00, 0xf0);        /* jmp f000:0000 */
	step_fault(&C, X86_GP, 1, 0xf000);
	PUT(CODE, 0x8e, 0xd8);                          /* mov ds, ax = 0x28: beyond the limit */
	C.s.gpr[RMT_EAX] = 0x28;
	step_fault(&C, X86_GP, 1, 0x28);
	put_desc(GDT + 0x18, 0, 0xffff, 0x98, 0);       /* execute-only code */
	C.s.gpr[RMT_EAX] = 0x18;
	step_fault(&C, X86_GP, 1, 0x18);
	C.s.gpr[RMT_EAX] = 0x08;                        /* readable code is a valid DS */
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_DS].ar, 0xc09b);
}

/* Protected mode: writes to a read-only segment and use of an unusable one fault. */
static void test_pm_segment_checks(void **state)
{
	pm32(&C);
	C.s.eip = CODE;
	PUT(CODE, 0x89, 0x03);                          /* mov [ebx], eax */
	C.s.seg[RMT_DS].ar = 0xc091;                    /* read-only data */
	step_fault(&C, X86_GP, 1, 0);
	C.s.seg[RMT_DS].ar = RMT_AR_UNUSABLE;
	step_fault(&C, X86_GP, 1, 0);
	PUT(CODE, 0x89, 0x04, 0x24);                    /* mov [esp], eax */
	C.s.seg[RMT_SS].ar = RMT_AR_UNUSABLE;
	step_fault(&C, X86_SS, 1, 0);
	/* expand-down: offsets above the limit only */
	C.s.seg[RMT_SS].ar = 0xc097;
	C.s.seg[RMT_SS].limit = 0x0fff;
	C.s.gpr[RMT_ESP] = 0x0800;
	step_fault(&C, X86_SS, 1, 0);
	C.s.gpr[RMT_ESP] = 0x1000;
	C.s.gpr[RMT_EAX] = 0x44332211;
	step_ok(&C);
	assert_int_equal(rd32(0x1000), 0x44332211);
}

/* REP MOVSB forward, REP MOVSW backward, REP STOSD, REPE CMPSB, REPNE SCASB. */
static void test_strings(void **state)
{
	PUT(0x1000, 'h', 'e', 'l', 'l', 'o');
	PUT(CODE, 0xf3, 0xa4);
	C.s.gpr[RMT_ESI] = 0x1000;
	C.s.gpr[RMT_EDI] = 0x2000;
	C.s.gpr[RMT_ECX] = 0xffff0005;
	step_ok(&C);
	assert_memory_equal(&H.mem[0x2000], "hello", 5);
	assert_int_equal(C.s.gpr[RMT_ESI], 0x1005);
	assert_int_equal(C.s.gpr[RMT_EDI], 0x2005);
	assert_int_equal(C.s.gpr[RMT_ECX], 0xffff0000);
	assert_int_equal(C.s.eip, CODE + 2);

	C.s.eip = CODE;
	PUT(CODE, 0xfd, 0xf3, 0xa5);                    /* std; rep movsw */
	wr16(0x1100, 0xaaaa);
	wr16(0x1102, 0xbbbb);
	C.s.gpr[RMT_ESI] = 0x1102;
	C.s.gpr[RMT_EDI] = 0x2102;
	C.s.gpr[RMT_ECX] = 2;
	step_ok(&C);
	step_ok(&C);
	assert_int_equal(rd32(0x2100), 0xbbbbaaaa);
	assert_int_equal(C.s.gpr[RMT_ESI], 0x10fe);
	assert_int_equal(C.s.gpr[RMT_EDI], 0x20fe);

	C.s.eip = CODE;
	C.s.eflags = FL(0);
	PUT(CODE, 0x66, 0xf3, 0xab);                    /* rep stosd */
	C.s.gpr[RMT_EAX] = 0x11223344;
	C.s.gpr[RMT_EDI] = 0x3000;
	C.s.gpr[RMT_ECX] = 3;
	step_ok(&C);
	assert_int_equal(rd32(0x3000), 0x11223344);
	assert_int_equal(rd32(0x3008), 0x11223344);
	assert_int_equal(rd32(0x300c), 0);
	assert_int_equal(C.s.gpr[RMT_EDI], 0x300c);

	C.s.eip = CODE;
	PUT(0x4000, 'a', 'b', 'c', 'X');
	PUT(0x5000, 'a', 'b', 'c', 'Y');
	PUT(CODE, 0xf3, 0xa6);                          /* repe cmpsb */
	C.s.gpr[RMT_ESI] = 0x4000;
	C.s.gpr[RMT_EDI] = 0x5000;
	C.s.gpr[RMT_ECX] = 10;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 6);
	assert_int_equal(C.s.gpr[RMT_ESI], 0x4004);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF | X86_FL_SF | X86_FL_AF | X86_FL_PF));

	C.s.eip = CODE;
	PUT(0x6000, 'h', 'i', 0);
	PUT(CODE, 0xf2, 0xae);                          /* repne scasb */
	C.s.gpr[RMT_EAX] = 0;
	C.s.gpr[RMT_EDI] = 0x6000;
	C.s.gpr[RMT_ECX] = 0xffff;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 0xfffc);
	assert_int_equal(C.s.gpr[RMT_EDI], 0x6003);
	assert_true(C.s.eflags & X86_FL_ZF);

	/* CX = 0: nothing happens, not even a fault on a bad pointer */
	C.s.eip = CODE;
	PUT(CODE, 0xf3, 0xa4);
	C.s.gpr[RMT_ECX] = 0;
	C.s.gpr[RMT_ESI] = 0xffff;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ESI], 0xffff);
}

/* A fault in iteration 3 of REP MOVSB: two bytes copied, registers at iteration 3, EIP at the insn. */
static void test_rep_fault_progress(void **state)
{
	struct interp_status st;

	PUT(0x1000, 1, 2, 3, 4);
	PUT(CODE, 0xf3, 0xa4);
	C.s.seg[RMT_ES].limit = 0x2001;
	C.s.gpr[RMT_ESI] = 0x1000;
	C.s.gpr[RMT_EDI] = 0x2000;
	C.s.gpr[RMT_ECX] = 4;
	assert_int_equal(step(&C, &st), INTERP_FAULT);
	assert_int_equal(st.fault.vector, X86_GP);
	assert_int_equal(rd16(0x2000), 0x0201);
	assert_int_equal(H.mem[0x2002], 0);
	assert_int_equal(C.s.gpr[RMT_ECX], 2);
	assert_int_equal(C.s.gpr[RMT_ESI], 0x1002);
	assert_int_equal(C.s.gpr[RMT_EDI], 0x2002);
	assert_int_equal(C.s.eip, CODE);
}

/* Set up a 32-bit TSS at 0x5000 with the I/O bitmap at offset 0x68. */
static void tss_with_bitmap(uint32_t limit)
{
	seg_set(&C, RMT_TR, 0x28, 0x5000, limit, 0x8b);
	wr16(0x5000 + 102, 0x68);
	H.mem[0x5068 + 0x81 / 8] |= 1u << (0x81 & 7);  /* port 0x81 denied */
}

static void test_io_permission(void **state)
{
	PUT(CODE, 0xe6, 0x80);                          /* out 0x80, al */
	C.s.gpr[RMT_EAX] = 0x1234;
	step_ok(&C);                                    /* real mode: always */
	assert_int_equal(H.last_out_port, 0x80);
	assert_int_equal(H.last_out_value, 0x34);
	assert_int_equal(H.last_out_size, 1);

	pm32(&C);
	C.cpl = 3;
	C.s.eip = CODE;
	tss_with_bitmap(0x2100);
	PUT(CODE, 0xe6, 0x80, 0xe7, 0x80);              /* out 0x80, al; out 0x80, eax */
	step_ok(&C);
	step_fault(&C, X86_GP, 1, 0);                   /* 0x81 is in the dword's range */
	C.s.eflags |= 3u << X86_FL_IOPL_SHIFT;          /* CPL <= IOPL: no bitmap */
	step_ok(&C);
	assert_int_equal(H.last_out_size, 4);
	assert_int_equal(H.outs, 3);

	/* vm86 consults the bitmap even with IOPL 3 */
	C.s.eflags = FL(X86_FL_VM | (3u << X86_FL_IOPL_SHIFT));
	seg_set(&C, RMT_CS, 0, 0, 0xffff, 0xf3);
	C.s.eip = CODE;
	PUT(CODE, 0xe4, 0x81);                          /* in al, 0x81 */
	step_fault(&C, X86_GP, 1, 0);
	PUT(CODE, 0xe4, 0x80);
	H.in_value = 0x99;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX] & 0xff, 0x99);

	/* the bitmap byte lies beyond the TSS limit: #GP */
	C.s.eip = CODE;
	C.s.seg[RMT_TR].limit = 0x68 + 0x10;
	step_fault(&C, X86_GP, 1, 0);
	/* no usable 32-bit TSS */
	C.s.seg[RMT_TR].ar = RMT_AR_UNUSABLE;
	step_fault(&C, X86_GP, 1, 0);
}

/* 2-level paging: tables at 0x100000; PD[0] -> identity PT at 0x102000 for 0-4 MiB. */
static void paging_2level(void)
{
	paging_2level_pm32(&C);
	C.s.gpr[RMT_ESP] = 0x9000;
	wr32(0x101000, 0x5000 | 3);                     /* 0x800000 -> 0x5000 */
	wr32(0x101004, 0x6000 | 5);                     /* 0x801000 -> 0x6000, user, read-only */
}

static void test_paging_2level(void **state)
{
	paging_2level();
	PUT(CODE, 0xa1, 0x10, 0x00, 0x80, 0x00,         /* mov eax, [0x800010] */
	    0xa3, 0x14, 0x00, 0x80, 0x00);              /* mov [0x800014], eax */
	wr32(0x5010, 0x87654321);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x87654321);
	assert_int_equal(rd32(0x100008), 0x101000 | 7 | 0x20);   /* PDE accessed */
	assert_int_equal(rd32(0x101000), 0x5000 | 3 | 0x20);    /* PTE accessed, clean */
	step_ok(&C);
	assert_int_equal(rd32(0x5014), 0x87654321);
	assert_int_equal(rd32(0x101000), 0x5000 | 3 | 0x60);    /* dirty */

	C.s.eip = CODE;
	PUT(CODE, 0xa1, 0x00, 0x00, 0xc0, 0x00);        /* not present */
	{
		struct interp_status st;
		assert_int_equal(step(&C, &st), INTERP_FAULT);
		assert_int_equal(st.fault.vector, X86_PF);
		assert_int_equal(st.fault.error_code, 0);
		assert_int_equal(st.fault.cr2, 0xc00000);
		assert_int_equal(C.s.eip, CODE);
	}
	/* user write to a read-only user page: P|W|U */
	PUT(CODE, 0xa3, 0x00, 0x10, 0x80, 0x00);
	wr32(0x100000, 0x102000 | 7);
	{
		unsigned i;
		for (i = 0; i < 16; i++)
			wr32(0x102000 + i * 4, i << 12 | 7);    /* code/stack pages user */
	}
	C.cpl = 3;
	{
		struct interp_status st;
		assert_int_equal(step(&C, &st), INTERP_FAULT);
		assert_int_equal(st.fault.error_code, 7);
		assert_int_equal(st.fault.cr2, 0x801000);
	}
	/* supervisor: allowed without CR0.WP, P|W with it */
	C.cpl = 0;
	step_ok(&C);
	C.s.eip = CODE;
	C.s.cr0 |= X86_CR0_WP;
	step_fault(&C, X86_PF, 1, 3);
}

static void test_paging_pse_pae_nx(void **state)
{
	paging_2level();
	C.s.cr4 = X86_CR4_PSE;
	wr32(0x100000 + 4 * 4, 0x00000000 | 0x83);     /* 0x1000000: 4 MiB page at 0 */
	PUT(CODE, 0xa0, 0x23, 0x01, 0x00, 0x01);        /* mov al, [0x1000123] */
	H.mem[0x123] = 0x77;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX] & 0xff, 0x77);

	/* PAE: PDPT 0x103000, PD 0x104000; PD[0] -> PT 0x105000 (identity 0-2 MiB), PD[1] 2 MiB page */
	{
		unsigned i;
		pm32(&C);
		C.s.eip = CODE;
		C.s.cr3 = 0x103000;
		C.s.cr4 = X86_CR4_PAE;
		C.s.cr0 |= X86_CR0_PG;
		wr32(0x103000, 0x104000 | 1);
		wr32(0x104000, 0x105000 | 3);
		wr32(0x104008, 0x200000 | 0x83);
		for (i = 0; i < 512; i++)
			wr32(0x105000 + i * 8, i << 12 | 3);
	}
	PUT(CODE, 0xa0, 0x10, 0x00, 0x30, 0x00);        /* mov al, [0x300010] -> 0x300010 */
	H.mem[0x300010] = 0x42;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX] & 0xff, 0x42);
	assert_int_equal(rd32(0x104008), 0x200000 | 0xa3);
	/* NX on the code page: fetch faults with P|I when EFER.NXE; RSVD without it */
	wr32(0x105000 + 7 * 8 + 4, 0x80000000u);
	C.s.eip = CODE;
	C.s.efer_lo = X86_EFER_NXE;
	step_fault(&C, X86_PF, 1, 0x11);
	C.s.efer_lo = 0;
	step_fault(&C, X86_PF, 1, 0x09);
}

/* PUSHAD whose third push hits a non-present page: no memory or register changes. */
static void test_pusha_transactional(void **state)
{
	paging_2level();
	wr32(0x102000 + 8 * 4, 0);                      /* 0x8000-0x8fff not present */
	C.s.gpr[RMT_ESP] = 0x9008;
	wr32(0x9000, 0x55555555);
	wr32(0x9004, 0x55555555);
	PUT(CODE, 0x60);
	{
		struct interp_status st;
		struct guest_cpu before = C;
		assert_int_equal(step(&C, &st), INTERP_FAULT);
		assert_int_equal(st.fault.vector, X86_PF);
		assert_int_equal(st.fault.error_code, 2);
		assert_int_equal(st.fault.cr2, 0x8ffc);
		assert_memory_equal(&before, &C, sizeof(C));
	}
	assert_int_equal(rd32(0x9000), 0x55555555);
	assert_int_equal(rd32(0x9004), 0x55555555);
}

/* LMSW sets PE but never clears it; SMSW; CLTS; LGDT/SGDT with a 16-bit operand use 24-bit bases. */
static void test_msw_and_dtables(void **state)
{
	PUT(CODE, 0x0f, 0x01, 0xf0,                     /* lmsw ax */
	    0x0f, 0x01, 0xf0,                           /* lmsw ax */
	    0x0f, 0x01, 0xe3,                           /* smsw bx */
	    0x0f, 0x06,                                 /* clts */
	    0x0f, 0x01, 0x16, 0x00, 0x06,               /* lgdt [0x600] */
	    0x66, 0x0f, 0x01, 0x1e, 0x00, 0x06,         /* lidt [0x600] (32-bit) */
	    0x0f, 0x01, 0x06, 0x10, 0x06);              /* sgdt [0x610] */
	C.s.gpr[RMT_EAX] = 0x0009;                      /* PE | TS */
	step_ok(&C);
	assert_int_equal(C.s.cr0, X86_CR0_ET | X86_CR0_PE | X86_CR0_TS);
	C.s.gpr[RMT_EAX] = 0;                           /* clears TS, cannot clear PE */
	step_ok(&C);
	assert_int_equal(C.s.cr0, X86_CR0_ET | X86_CR0_PE);
	C.s.cr0 |= X86_CR0_TS;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EBX], X86_CR0_ET | X86_CR0_PE | X86_CR0_TS);
	step_ok(&C);
	assert_int_equal(C.s.cr0, X86_CR0_ET | X86_CR0_PE);
	/* we are in (16-bit) protected mode now, CPL 0 */
	wr16(0x600, 0x1234);
	wr32(0x602, 0xaabbccdd);
	step_ok(&C);
	assert_int_equal(C.s.gdtr.base, 0xbbccdd);
	assert_int_equal(C.s.gdtr.limit, 0x1234);
	step_ok(&C);
	assert_int_equal(C.s.idtr.base, 0xaabbccdd);
	wr32(0x612, 0xffffffff);
	step_ok(&C);
	assert_int_equal(rd16(0x610), 0x1234);
	assert_int_equal(rd32(0x612), 0x00bbccdd);
}

/* MOV CRn checks: PG without PE, CR4 reserved bits, CR1 is #UD; CPL 3 is #GP. */
static void test_mov_cr_checks(void **state)
{
	PUT(CODE, 0x0f, 0x22, 0xc0);                    /* mov cr0, eax */
	C.s.gpr[RMT_EAX] = X86_CR0_PG;
	step_fault(&C, X86_GP, 0, 0);
	PUT(CODE, 0x0f, 0x22, 0xe0);                    /* mov cr4, eax */
	C.s.gpr[RMT_EAX] = 0x80000000u;
	step_fault(&C, X86_GP, 0, 0);
	C.s.gpr[RMT_EAX] = X86_CR4_PSE;
	step_ok(&C);
	assert_int_equal(C.s.cr4, X86_CR4_PSE);
	C.s.eip = CODE;
	PUT(CODE, 0x0f, 0x22, 0xc8);                    /* mov cr1, eax */
	step_fault(&C, X86_UD, 0, 0);
	pm32(&C);
	C.s.eip = CODE;
	C.cpl = 3;
	PUT(CODE, 0x0f, 0x20, 0xd8);                    /* mov eax, cr3 */
	step_fault(&C, X86_GP, 1, 0);
	C.cpl = 0;
	C.s.cr3 = 0x1234000;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x1234000);
}

/* RDMSR/WRMSR (EFER in the state record, others through ops), CPUID, RDTSC, HLT. */
static void test_msr_cpuid_tsc_hlt(void **state)
{
	struct interp_status st;

	PUT(CODE, 0x0f, 0x30,                           /* wrmsr */
	    0x0f, 0x32,                                 /* rdmsr */
	    0x0f, 0xa2,                                 /* cpuid */
	    0x0f, 0x31,                                 /* rdtsc */
	    0xf4);                                      /* hlt */
	C.s.gpr[RMT_ECX] = 0xc0000080;
	C.s.gpr[RMT_EAX] = X86_EFER_NXE;
	C.s.gpr[RMT_EDX] = 0;
	step_ok(&C);
	assert_int_equal(C.s.efer_lo, X86_EFER_NXE);
	C.s.gpr[RMT_ECX] = 0x10;
	H.msr10 = 0x1122334455667788ull;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x55667788);
	assert_int_equal(C.s.gpr[RMT_EDX], 0x11223344);
	C.s.gpr[RMT_EAX] = 7;
	C.s.gpr[RMT_ECX] = 1;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x107);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x201);
	H.tsc = 0x0000000500000006ull;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 6);
	assert_int_equal(C.s.gpr[RMT_EDX], 5);
	assert_int_equal(step(&C, &st), INTERP_HALT);
	assert_int_equal(C.s.eip, CODE + 9);
	/* an MSR ops refuses is #GP(0) */
	C.s.eip = CODE + 2;
	C.s.gpr[RMT_ECX] = 0x11;
	step_fault(&C, X86_GP, 0, 0);
}

/* Protected mode INT n through a 32-bit interrupt gate at CPL 0, and IRETD. */
static void test_pm_int_gate(void **state)
{
	build_gdt();
	pm32(&C);
	C.s.eip = CODE;
	C.s.gpr[RMT_ESP] = 0x8000;
	C.s.gdtr.base = GDT;
	C.s.gdtr.limit = 0x27;
	C.s.idtr.base = 0x6000;
	C.s.idtr.limit = 0x21 * 8 - 1;
	C.s.eflags = FL(X86_FL_IF | X86_FL_CF);
	/* gate 0x20: offset 0x9000, selector 0x08, P DPL0 32-bit interrupt gate */
	wr16(0x6000 + 0x20 * 8, 0x9000);
	wr16(0x6000 + 0x20 * 8 + 2, 0x08);
	H.mem[0x6000 + 0x20 * 8 + 5] = 0x8e;
	PUT(CODE, 0xcd, 0x20);
	PUT(0x9000, 0xcf);
	step_ok(&C);
	assert_int_equal(C.s.eip, 0x9000);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x7ff4);
	assert_int_equal(rd32(0x7ff4), CODE + 2);
	assert_int_equal(rd32(0x7ff8), 0x08);
	assert_int_equal(rd32(0x7ffc), FL(X86_FL_IF | X86_FL_CF));
	assert_int_equal(C.s.eflags, FL(X86_FL_CF));
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 2);
	assert_int_equal(C.s.eflags, FL(X86_FL_IF | X86_FL_CF));
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8000);
	/* vector beyond the IDT limit: #GP(vector*8+2) */
	C.s.eip = CODE;
	PUT(CODE, 0xcd, 0x21);
	step_fault(&C, X86_GP, 1, 0x21 * 8 + 2);
	/* a gate with DPL 0 from CPL 3 software INT: #GP(vector*8+2) */
	PUT(CODE, 0xcd, 0x20);
	C.cpl = 3;
	step_fault(&C, X86_GP, 1, 0x20 * 8 + 2);
}

#define T(f) cmocka_unit_test_setup(f, setup_real)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mode_round_trip), T(test_pm_bad_selector), T(test_pm_segment_checks),
		T(test_strings), T(test_rep_fault_progress), T(test_io_permission),
		T(test_paging_2level), T(test_paging_pse_pae_nx), T(test_pusha_transactional),
		T(test_msw_and_dtables), T(test_mov_cr_checks), T(test_msr_cpuid_tsc_hlt),
		T(test_pm_int_gate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Interpreter breadth: the less common integer instructions (ENTER/LEAVE,
 * BOUND, XLAT, the BCD adjustments, SALC, CMPXCHG8B, REP OUTSB, PUSH Sreg),
 * the protected-mode descriptor instructions (LAR, LSL, VERR, VERW, LTR,
 * LLDT, STR, SLDT, ARPL), MOV DR7, and the decode rules that decide which
 * fault wins (an invalid encoding is #UD before any operand is touched; a
 * far pointer is one operand for the limit check).
 */
#include "test_interp_harness.h"

#define GDT  0x7e10u

/* enter 8, 2 (nesting level 2) then leave. */
static void test_enter_leave(void **state)
{
	PUT(CODE, 0xc8, 0x08, 0x00, 0x02, 0xc9);
	C.s.gpr[RMT_EBP] = 0x9000;
	wr16(0x8ffe, 0x4444);                   /* the enclosing frame's saved pointer */
	step_ok(&C);
	assert_int_equal(rd16(0x7ffe), 0x9000); /* old BP */
	assert_int_equal(rd16(0x7ffc), 0x4444); /* copied from [BP-2] */
	assert_int_equal(rd16(0x7ffa), 0x7ffe); /* FrameTemp */
	assert_int_equal(C.s.gpr[RMT_EBP], 0x7ffe);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x7ffa - 8);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EBP], 0x9000);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8000);
}

/* bound ax, [0x500]: inside is fine, outside is #BR with EIP at the instruction. */
static void test_bound(void **state)
{
	PUT(CODE, 0x62, 0x06, 0x00, 0x05);
	wr16(0x500, 0xfff0);                    /* -16 */
	wr16(0x502, 0x0010);                    /* 16 */
	C.s.gpr[RMT_EAX] = 0xfff5;
	step_ok(&C);
	C.s.eip = CODE;
	C.s.gpr[RMT_EAX] = 0x11;
	step_fault(&C, X86_BR, 0, 0);
}

/* xlat; aam 10; aad 10; aaa; das; salc. */
static void test_bcd_xlat_salc(void **state)
{
	PUT(CODE, 0xd7, 0xd4, 0x0a, 0xd5, 0x0a, 0x37, 0x2f, 0xd6, 0xd4, 0x00);
	C.s.gpr[RMT_EBX] = 0x600;
	C.s.gpr[RMT_EAX] = 0x05;
	H.mem[0x605] = 0x4f;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x4f);
	step_ok(&C);                            /* 79 = 7*10 + 9 */
	assert_int_equal(C.s.gpr[RMT_EAX], 0x0709);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x004f);
	C.s.gpr[RMT_EAX] = 0x010b;              /* AAA: 0b > 9 -> AX += 0x106, AL &= 0f */
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x0201);
	assert_int_equal(C.s.eflags & (X86_FL_CF | X86_FL_AF), X86_FL_CF | X86_FL_AF);
	C.s.gpr[RMT_EAX] = 0x2b;                /* DAS: 0x2b -> 0x25 */
	C.s.eflags = FL(0);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x25);
	assert_int_equal(C.s.eflags, FL(X86_FL_AF));
	C.s.eflags = FL(X86_FL_CF);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xff);
	step_fault(&C, X86_DE, 0, 0);           /* aam 0 */
}

/* cmpxchg8b [0x700], equal then different. */
static void test_cmpxchg8b(void **state)
{
	PUT(CODE, 0x0f, 0xc7, 0x0e, 0x00, 0x07);
	wr32(0x700, 0x11111111);
	wr32(0x704, 0x22222222);
	C.s.gpr[RMT_EAX] = 0x11111111;
	C.s.gpr[RMT_EDX] = 0x22222222;
	C.s.gpr[RMT_EBX] = 0x33333333;
	C.s.gpr[RMT_ECX] = 0x44444444;
	step_ok(&C);
	assert_int_equal(rd32(0x700), 0x33333333);
	assert_int_equal(rd32(0x704), 0x44444444);
	assert_true(C.s.eflags & X86_FL_ZF);
	C.s.eip = CODE;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x33333333);
	assert_int_equal(C.s.gpr[RMT_EDX], 0x44444444);
	assert_false(C.s.eflags & X86_FL_ZF);
}

/* rep outsb: three bytes to port DX. */
static void test_rep_outsb(void **state)
{
	PUT(CODE, 0xf3, 0x6e);
	PUT(0x900, 'a', 'b', 'c');
	C.s.gpr[RMT_ESI] = 0x900;
	C.s.gpr[RMT_ECX] = 3;
	C.s.gpr[RMT_EDX] = 0xe9;
	step_ok(&C);
	assert_int_equal(H.outs, 3);
	assert_int_equal(H.last_out_value, 'c');
	assert_int_equal(H.last_out_port, 0xe9);
	assert_int_equal(C.s.gpr[RMT_ESI], 0x903);
}

/* push es with a 32-bit operand: ESP -= 4, only the selector's two bytes written. */
static void test_push_sreg32(void **state)
{
	PUT(CODE, 0x66, 0x06);
	C.s.seg[RMT_ES].sel = 0x1234;
	wr32(0x7ffc, 0xaaaaaaaa);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x7ffc);
	assert_int_equal(rd32(0x7ffc), 0xaaaa1234);
}

/* An invalid encoding is #UD even when its memory operand would fault. */
static void test_ud_before_operand(void **state)
{
	PUT(CODE, 0x8e, 0x36, 0xff, 0xff);      /* mov (sreg 6), [0xffff] */
	step_fault(&C, X86_UD, 0, 0);
	PUT(CODE, 0xfe, 0x16, 0xff, 0xff);      /* fe /2 */
	step_fault(&C, X86_UD, 0, 0);
	PUT(CODE, 0x8b, 0x06, 0xff, 0xff);      /* a valid one faults on the limit */
	step_fault(&C, X86_GP, 0, 0);
}

/* A far pointer at offset 0xfffe is one 4-byte operand: #GP, not a wrap to offset 0. */
static void test_far_pointer_limit(void **state)
{
	PUT(CODE, 0xc5, 0x36, 0xfe, 0xff);      /* lds si, [0xfffe] */
	step_fault(&C, X86_GP, 0, 0);
	PUT(CODE, 0xc5, 0x36, 0xfc, 0xff);      /* [0xfffc]: fits */
	wr16(0xfffc, 0x1234);
	wr16(0xfffe, 0x0040);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ESI], 0x1234);
	assert_int_equal(C.s.seg[RMT_DS].sel, 0x40);
	assert_int_equal(C.s.seg[RMT_DS].base, 0x400);
}

/* PM at CPL 0 with a GDT: 08 code, 10 data DPL0, 18 data DPL3, 20 TSS, 28 LDT. */
static void pm_with_gdt(void)
{
	pm32(&C);
	C.s.eip = CODE;
	C.s.gpr[RMT_ESP] = 0x8000;
	C.s.gdtr.base = GDT;
	C.s.gdtr.limit = 0x2f;
	put_desc(GDT + 0x08, 0, 0xfffff, 0x9a, 0xc);
	put_desc(GDT + 0x10, 0, 0xfffff, 0x92, 0xc);
	put_desc(GDT + 0x18, 0x1000, 0x0ffff, 0xf2, 0x0);
	put_desc(GDT + 0x20, 0x5000, 0x00067, 0x89, 0x0);
	put_desc(GDT + 0x28, 0x6000, 0x000ff, 0x82, 0x0);
}

static void test_lar_lsl_verr(void **state)
{
	pm_with_gdt();
	PUT(CODE, 0x0f, 0x02, 0xc3,             /* lar eax, ebx */
	    0x0f, 0x03, 0xcb,                   /* lsl ecx, ebx */
	    0x0f, 0x00, 0xe3,                   /* verr bx */
	    0x0f, 0x00, 0xeb);                  /* verw bx */
	C.s.gpr[RMT_EBX] = 0x18;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x0000f200);
	assert_true(C.s.eflags & X86_FL_ZF);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 0xffff);
	step_ok(&C);
	assert_true(C.s.eflags & X86_FL_ZF);
	step_ok(&C);
	assert_true(C.s.eflags & X86_FL_ZF);
	/* beyond the GDT limit: ZF=0, destination unchanged */
	C.s.eip = CODE;
	C.s.gpr[RMT_EBX] = 0x40;
	C.s.gpr[RMT_EAX] = 0x5555;
	step_ok(&C);
	assert_false(C.s.eflags & X86_FL_ZF);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x5555);
	/* #UD in real mode */
	setup_real(state);
	PUT(CODE, 0x0f, 0x02, 0xc3);
	step_fault(&C, X86_UD, 0, 0);
}

/* A #PF while reading the descriptor is a fault, not "invalid selector" (ZF=0). */
static void test_lar_page_fault(void **state)
{
	unsigned i;

	pm_with_gdt();
	C.s.gdtr.base = 0x9000;
	C.s.cr3 = 0x100000;
	C.s.cr0 |= X86_CR0_PG;
	wr32(0x100000, 0x101000 | 3);
	for (i = 0; i < 1024; i++)
		wr32(0x101000 + i * 4, i == 9 ? 0 : (i << 12 | 3));
	PUT(CODE, 0x0f, 0x02, 0xc3);            /* lar eax, ebx */
	C.s.gpr[RMT_EBX] = 0x18;
	{
		struct interp_status st;
		assert_int_equal(step(&C, &st), INTERP_FAULT);
		assert_int_equal(st.fault.vector, X86_PF);
		assert_int_equal(st.fault.error_code, 0);
		assert_int_equal(st.fault.cr2, 0x9018);
	}
}

static void test_ltr_lldt_str_sldt(void **state)
{
	pm_with_gdt();
	PUT(CODE, 0x0f, 0x00, 0xd8,             /* ltr ax */
	    0x0f, 0x00, 0xd3,                   /* lldt bx */
	    0x0f, 0x00, 0xc9,                   /* str cx */
	    0x0f, 0x00, 0xc2,                   /* sldt dx */
	    0x63, 0xf0);                        /* arpl ax, si */
	C.s.gpr[RMT_EAX] = 0x20;
	C.s.gpr[RMT_EBX] = 0x28;
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_TR].sel, 0x20);
	assert_int_equal(C.s.seg[RMT_TR].base, 0x5000);
	assert_int_equal(C.s.seg[RMT_TR].limit, 0x67);
	assert_int_equal(C.s.seg[RMT_TR].ar, 0x8b);
	assert_int_equal(H.mem[GDT + 0x20 + 5], 0x8b);   /* marked busy */
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_LDTR].base, 0x6000);
	assert_int_equal(C.s.seg[RMT_LDTR].ar, 0x82);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 0x20);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EDX], 0x28);
	C.s.gpr[RMT_ESI] = 3;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x23);
	assert_true(C.s.eflags & X86_FL_ZF);
	/* LTR of a busy TSS is #GP(selector) */
	C.s.eip = CODE;
	C.s.gpr[RMT_EAX] = 0x20;
	step_fault(&C, X86_GP, 1, 0x20);
}

static void test_mov_dr7(void **state)
{
	struct interp_status st;

	PUT(CODE, 0x0f, 0x23, 0xf8,             /* mov dr7, eax */
	    0x0f, 0x21, 0xfb,                   /* mov ebx, dr7 */
	    0x0f, 0x21, 0xc0);                  /* mov eax, dr0 */
	C.s.gpr[RMT_EAX] = 0x000f0003;
	step_ok(&C);
	assert_int_equal(C.s.dr7, 0x000f0403);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x000f0403);
	assert_int_equal(step(&C, &st), INTERP_UNSUPPORTED);
	assert_string_equal(st.why, "MOV from DR0 (only DR7 is modelled)");
}

/* IRET in vm86 with IOPL 3 keeps IOPL and VM. */
static void test_iret_vm86(void **state)
{
	unsigned i;

	C.s.cr0 = X86_CR0_PE | X86_CR0_ET;
	C.s.eflags = FL(X86_FL_VM | (3u << X86_FL_IOPL_SHIFT));
	for (i = 0; i < 6; i++)
		seg_set(&C, i, 0, 0, 0xffff, 0xf3);
	C.cpl = 3;
	PUT(CODE, 0xcf);
	wr16(0x8000, 0x1234);
	wr16(0x8002, 0x2000);
	wr16(0x8004, 0x0ed7);                   /* IOPL 0 requested, IF, flags */
	step_ok(&C);
	assert_int_equal(C.s.eip, 0x1234);
	assert_int_equal(C.s.seg[RMT_CS].base, 0x20000);
	assert_int_equal(C.s.eflags, X86_FL_VM | (3u << X86_FL_IOPL_SHIFT) | 0x0ed7);
}

#define T(f) cmocka_unit_test_setup(f, setup_real)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_enter_leave), T(test_bound), T(test_bcd_xlat_salc), T(test_cmpxchg8b),
		T(test_rep_outsb), T(test_push_sreg32), T(test_ud_before_operand),
		T(test_far_pointer_limit), T(test_lar_lsl_verr), T(test_lar_page_fault), T(test_ltr_lldt_str_sldt),
		T(test_mov_dr7), T(test_iret_vm86),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

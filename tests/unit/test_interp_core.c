/*
 * Interpreter core: decode, addressing, ALU, stack, control transfer in real
 * mode and flat 32-bit protected mode.  Every case gives bytes, the input
 * state and the exact resulting registers, flags and memory.
 */
#include "test_interp_harness.h"

/* Internal tables, checked for completeness below. */
struct emu;
struct opcode_desc { uint16_t flags; int (*fn)(struct emu *); };
extern const struct opcode_desc emu_opcode_table[256], emu_twobyte_table[256];


/* add ax, bx: 0x7fff + 1 overflows into the sign bit; upper EAX kept. */
static void test_add_flags(void **state)
{
	PUT(CODE, 0x01, 0xd8);
	C.s.gpr[RMT_EAX] = 0xabcd7fff;
	C.s.gpr[RMT_EBX] = 1;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xabcd8000);
	assert_int_equal(C.s.eflags, FL(X86_FL_OF | X86_FL_SF | X86_FL_AF | X86_FL_PF));
	assert_int_equal(C.s.eip, CODE + 2);
}

/* sub ah, cl: byte register AH (reg 4), borrow. */
static void test_sub_byte_high(void **state)
{
	PUT(CODE, 0x2a, 0xe1);
	C.s.gpr[RMT_EAX] = 0x1055;
	C.s.gpr[RMT_ECX] = 0x20;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xf055);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF | X86_FL_PF | X86_FL_SF));
}

/* cmp [bp+si+4], al uses SS; with a DS: override it uses DS. */
static void test_bp_defaults_to_ss(void **state)
{
	PUT(CODE, 0x38, 0x42, 0x04, 0x3e, 0x38, 0x42, 0x04);
	C.s.seg[RMT_SS].sel = 0x2000;
	C.s.seg[RMT_SS].base = 0x20000;
	C.s.gpr[RMT_EBP] = 0x100;
	C.s.gpr[RMT_ESI] = 0x10;
	C.s.gpr[RMT_EAX] = 0x05;
	H.mem[0x20114] = 0x05;
	H.mem[0x114] = 0x06;
	step_ok(&C);
	assert_int_equal(C.s.eflags, FL(X86_FL_ZF | X86_FL_PF));
	step_ok(&C);
	/* CMP r/m8, r8 computes [DS:0x114] - AL = 6 - 5 = 1: every flag clear */
	assert_int_equal(C.s.eflags, FL(0));
	assert_int_equal(C.s.eip, CODE + 7);
	assert_int_equal(H.mem[0x20114], 0x05);      /* CMP writes nothing */
}

/* mov ax, [moffs]; mov word [0x10], imm16; mov ds, ax; mov ax, es; mov [bx], ds */
static void test_mov_forms(void **state)
{
	PUT(CODE, 0xa1, 0x34, 0x12,              /* mov ax, [0x1234] */
	    0xc7, 0x06, 0x10, 0x00, 0x34, 0x12,  /* mov word [0x10], 0x1234 */
	    0x8e, 0xd8,                          /* mov ds, ax */
	    0x66, 0x8c, 0xc0,                    /* mov eax, es */
	    0x8c, 0x1f);                         /* mov [bx], ds */
	C.s.seg[RMT_DS].sel = 0x300;
	C.s.seg[RMT_DS].base = 0x3000;
	C.s.seg[RMT_ES].sel = 0x4567;
	wr16(0x4234, 0xbeef);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xbeef);
	step_ok(&C);
	assert_int_equal(rd16(0x3010), 0x1234);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_DS].sel, 0xbeef);
	assert_int_equal(C.s.seg[RMT_DS].base, 0xbeef0);
	assert_int_equal(C.s.seg[RMT_DS].limit, 0xffff);
	assert_int_equal(C.s.seg[RMT_DS].ar, 0x93);
	C.s.gpr[RMT_EAX] = 0xffffffff;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x4567);  /* zero-extended */
	C.s.gpr[RMT_EBX] = 0x20;
	wr32(0xbeef0 + 0x20, 0xaaaaaaaa);
	step_ok(&C);
	assert_int_equal(rd32(0xbeef0 + 0x20), 0xaaaabeef);  /* 16-bit store */
	assert_int_equal(C.s.eip, CODE + 16);
}

/* mov cs, ax is #UD; real mode pushes no error code. */
static void test_mov_cs_ud(void **state)
{
	PUT(CODE, 0x8e, 0xc8);
	step_fault(&C, X86_UD, 0, 0);
}

/* Real-mode limit: a word at offset 0xffff is #GP; SS-relative is #SS. */
static void test_real_limit(void **state)
{
	PUT(CODE, 0xa1, 0xff, 0xff);
	step_fault(&C, X86_GP, 0, 0);
	PUT(CODE, 0x8b, 0x46, 0xff);            /* mov ax, [bp-1] with BP = 0 -> 0xffff */
	step_fault(&C, X86_SS, 0, 0);
}

/* Big real mode: a 4 GiB DS limit lets a 32-bit offset through. */
static void test_big_real(void **state)
{
	PUT(CODE, 0x66, 0x67, 0x8b, 0x06);      /* mov eax, [esi] */
	C.s.gpr[RMT_ESI] = 0x200000;
	wr32(0x200000, 0x12345678);
	step_fault(&C, X86_GP, 0, 0);
	C.s.seg[RMT_DS].limit = 0xffffffff;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x12345678);
	assert_int_equal(C.s.eip, CODE + 4);
}

/* A20 closed: FFFF:0010 wraps to physical 0. */
static void test_a20(void **state)
{
	PUT(CODE, 0xa0, 0x10, 0x00);            /* mov al, [0x10] */
	C.s.seg[RMT_DS].sel = 0xffff;
	C.s.seg[RMT_DS].base = 0xffff0;
	H.mem[0] = 0x11;
	H.mem[0x100000] = 0x22;
	C.a20 = 0;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX] & 0xff, 0x11);
	C.s.eip = CODE;
	C.a20 = 1;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX] & 0xff, 0x22);
}

/* 32-bit ModRM/SIB: [esp+ecx*4+8] uses SS, [disp32] and [ecx*4+disp32] use DS. */
static void test_sib(void **state)
{
	pm32(&C);
	C.s.eip = CODE;
	C.s.seg[RMT_SS].base = 0x10000;
	C.s.gpr[RMT_ESP] = 0x8000;
	C.s.gpr[RMT_ECX] = 2;
	PUT(CODE, 0x8b, 0x44, 0x8c, 0x08,               /* mov eax, [esp+ecx*4+8] */
	    0x8b, 0x1d, 0x00, 0x20, 0x00, 0x00,         /* mov ebx, [0x2000] */
	    0x8b, 0x14, 0x8d, 0x00, 0x10, 0x00, 0x00);  /* mov edx, [ecx*4+0x1000] */
	wr32(0x18010, 0xcafebabe);
	wr32(0x2000, 0x11112222);
	wr32(0x1008, 0x33334444);
	step_ok(&C);
	step_ok(&C);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xcafebabe);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x11112222);
	assert_int_equal(C.s.gpr[RMT_EDX], 0x33334444);
	assert_int_equal(C.s.eip, CODE + 17);
}

/* push ax / pop bx on a 16-bit stack keep ESP[31:16]; pusha layout. */
static void test_push_pop_pusha(void **state)
{
	PUT(CODE, 0x50, 0x5b, 0x60, 0x61);
	C.s.gpr[RMT_EAX] = 0x1234;
	C.s.gpr[RMT_ESP] = 0xabcd8000;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ESP], 0xabcd7ffe);
	assert_int_equal(rd16(0x7ffe), 0x1234);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x1234);
	assert_int_equal(C.s.gpr[RMT_ESP], 0xabcd8000);
	C.s.gpr[RMT_EAX] = 1; C.s.gpr[RMT_ECX] = 2; C.s.gpr[RMT_EDX] = 3; C.s.gpr[RMT_EBX] = 4;
	C.s.gpr[RMT_ESP] = 0x8000; C.s.gpr[RMT_EBP] = 6; C.s.gpr[RMT_ESI] = 7; C.s.gpr[RMT_EDI] = 8;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x7ff0);
	assert_int_equal(rd16(0x7ff0), 8);
	assert_int_equal(rd16(0x7ff6), 0x8000);
	assert_int_equal(rd16(0x7ffe), 1);
	C.s.gpr[RMT_EAX] = C.s.gpr[RMT_EDI] = 0;
	C.s.gpr[RMT_EBP] = 0x99;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 1);
	assert_int_equal(C.s.gpr[RMT_EDI], 8);
	assert_int_equal(C.s.gpr[RMT_EBP], 6);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8000);
}

/*
 * PUSHA/POPA as one block (stack.c) and as eight pushes/pops give the same
 * result: SP wrapping at 64 KiB inside the block, a block straddling a
 * page, and the limit check made before anything is written.
 */
static void test_pusha_popa_edges(void **state)
{
	static const uint16_t want[8] = { 8, 7, 6, 0x0008, 4, 3, 2, 1 };    /* DI..AX */
	unsigned i;

	/* SP = 8: AX..BX at 6..0, then SP wraps: the old SP at 0xFFFE, DI at 0xFFF8 */
	PUT(CODE, 0x60, 0x61, 0x60, 0x61, 0x60);
	C.s.gpr[RMT_EAX] = 1; C.s.gpr[RMT_ECX] = 2; C.s.gpr[RMT_EDX] = 3; C.s.gpr[RMT_EBX] = 4;
	C.s.gpr[RMT_ESP] = 8; C.s.gpr[RMT_EBP] = 6; C.s.gpr[RMT_ESI] = 7; C.s.gpr[RMT_EDI] = 8;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ESP], 0xfff8);
	for (i = 0; i < 8; i++)
		assert_int_equal(rd16((0xfff8 + 2 * i) & 0xffff), want[i]);
	/* POPA from 0xFFF8 reads across the wrap back to SP = 8 */
	C.s.gpr[RMT_EAX] = C.s.gpr[RMT_EBX] = C.s.gpr[RMT_EDI] = 0;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 1);
	assert_int_equal(C.s.gpr[RMT_EBX], 4);
	assert_int_equal(C.s.gpr[RMT_EDI], 8);
	assert_int_equal(C.s.gpr[RMT_ESP], 8);
	/* A block straddling a page: SS base 0x1FF8, SP 0x10 -> bytes 0x1FF8..0x2007 */
	C.s.seg[RMT_SS].base = 0x1ff8;
	C.s.gpr[RMT_ESP] = 0x10;
	step_ok(&C);
	for (i = 0; i < 8; i++)
		assert_int_equal(rd16(0x1ff8 + 2 * i), i == 3 ? 0x10 : want[i]);
	C.s.gpr[RMT_ECX] = C.s.gpr[RMT_ESI] = 0;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 2);
	assert_int_equal(C.s.gpr[RMT_ESI], 7);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x10);
	/* The top of the block past a lowered limit: #SS, nothing written */
	C.s.seg[RMT_SS].base = 0;
	C.s.seg[RMT_SS].limit = 0x7ffd;
	C.s.gpr[RMT_ESP] = 0x8000;
	wr16(0x7ff0, 0x5555);
	{
		struct guest_cpu before = C;

		step_fault(&C, X86_SS, 0, 0);
		assert_memory_equal(&before, &C, sizeof(C));
	}
	assert_int_equal(rd16(0x7ff0), 0x5555);
}

/*
 * The decode cache (vm86/dcache.h) answers only for the fetch it recorded:
 * the same linear address and bytes under a lower CS limit, another CS.D, or
 * the A20 gate moved (other physical bytes) decode and check afresh.
 */
static void test_dcache_context(void **state)
{
	PUT(CODE, 0xb8, 0x34, 0x12, 0x00, 0x00);       /* mov ax, 0x1234 (mov eax, 0x1234 if D) */
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 3);
	/* the same bytes again, now with the limit inside the instruction */
	C.s.eip = CODE;
	C.s.seg[RMT_CS].limit = CODE + 1;
	step_fault(&C, X86_GP, 0, 0);
	C.s.seg[RMT_CS].limit = 0xffff;
	/* ... and with a 32-bit CS: five bytes, EAX */
	C.s.eip = CODE;
	C.s.gpr[RMT_EAX] = 0xffffffff;
	C.s.seg[RMT_CS].ar |= RMT_AR_DB;
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 5);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x1234);
	C.s.seg[RMT_CS].ar &= ~RMT_AR_DB;
	/* FFFF:7C10 is linear 0x107C00: above 1 MiB with A20 open, 0x7C00 with it closed */
	PUT(0x107c00, 0xb8, 0x11, 0x11);               /* mov ax, 0x1111 */
	PUT(CODE, 0xb8, 0x22, 0x22);                   /* mov ax, 0x2222 */
	C.s.seg[RMT_CS].sel = 0xffff;
	C.s.seg[RMT_CS].base = 0xffff0;
	for (unsigned i = 0; i < 4; i++) {
		C.a20 = !(i & 1);
		C.s.eip = 0x7c10;
		step_ok(&C);
		assert_int_equal(C.s.gpr[RMT_EAX] & 0xffff, C.a20 ? 0x1111 : 0x2222);
	}
}

/* POPF in real mode changes IOPL and IF; POPFD never sets VM or RF. */
static void test_popf_real(void **state)
{
	PUT(CODE, 0x9d, 0x66, 0x9d);
	wr16(0x8000, 0x3202);
	wr32(0x8002, 0x00273fd7);
	step_ok(&C);
	assert_int_equal(C.s.eflags, 0x3202);
	step_ok(&C);
	assert_int_equal(C.s.eflags, 0x00243fd7);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8006);
}

/* POPF at CPL 3 with IOPL 0 leaves IF and IOPL alone. */
static void test_popf_cpl3(void **state)
{
	pm32(&C);
	C.cpl = 3;
	C.s.eip = CODE;
	C.s.gpr[RMT_ESP] = 0x8000;
	C.s.eflags = FL(X86_FL_IF);
	PUT(CODE, 0x9d);
	wr32(0x8000, 0x3003);
	step_ok(&C);
	assert_int_equal(C.s.eflags, FL(X86_FL_IF | X86_FL_CF));
}

/* A vm86 state with IOPL 0. */
static void vm86_state(struct guest_cpu *c)
{
	unsigned i;

	real_mode(c);
	c->s.cr0 = X86_CR0_PE | X86_CR0_ET;
	c->s.eflags = FL(X86_FL_VM);
	for (i = 0; i < 6; i++)
		seg_set(c, i, 0, 0, 0xffff, 0xf3);
	c->cpl = 3;
	c->s.eip = CODE;
	c->s.gpr[RMT_ESP] = 0x8000;
}

/* vm86, IOPL 0: POPF, PUSHF, CLI, INT n, HLT, MOV CR0 are #GP(0) with an error code. */
static void test_vm86_sensitive(void **state)
{
	static const uint8_t insns[][3] = {
		{ 0x9d }, { 0x9c }, { 0xfa }, { 0xcd, 0x10 }, { 0xf4 }, { 0x0f, 0x22, 0xc0 },
	};
	unsigned i;

	for (i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		vm86_state(&C);
		put(CODE, insns[i], 3);
		step_fault(&C, X86_GP, 1, 0);
	}
	/* with CR4.VME a 16-bit PUSHF pushes VIF as IF and IOPL as 3 */
	vm86_state(&C);
	C.s.cr4 = X86_CR4_VME;
	C.s.eflags |= X86_FL_VIF;
	PUT(CODE, 0x9c);
	step_ok(&C);
	assert_int_equal(rd16(0x7ffe), 0x3202);
}

/* call rel16 / ret; call far / retf; jmp far. */
static void test_call_ret(void **state)
{
	PUT(CODE, 0xe8, 0x10, 0x00);
	PUT(CODE + 0x13, 0xc3);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 0x13);
	assert_int_equal(rd16(0x7ffe), CODE + 3);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 3);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8000);

	C.s.eip = CODE;
	PUT(CODE, 0x9a, 0x00, 0x01, 0x00, 0x20);        /* call 2000:0100 */
	PUT(0x20100, 0xca, 0x02, 0x00);                 /* retf 2 */
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0x2000);
	assert_int_equal(C.s.seg[RMT_CS].base, 0x20000);
	assert_int_equal(C.s.eip, 0x100);
	assert_int_equal(rd16(0x7ffe), 0);
	assert_int_equal(rd16(0x7ffc), CODE + 5);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0);
	assert_int_equal(C.s.eip, CODE + 5);
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8002);

	C.s.eip = CODE;
	PUT(CODE, 0xea, 0x00, 0x00, 0xff, 0xff);        /* jmp ffff:0000 */
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].base, 0xffff0);
	assert_int_equal(C.s.eip, 0);
}

/* A near jump beyond the CS limit faults at the jump. */
static void test_jump_limit(void **state)
{
	C.s.seg[RMT_CS].limit = 0x7c10;
	PUT(CODE, 0xeb, 0x20);
	step_fault(&C, X86_GP, 0, 0);
	PUT(CODE, 0xeb, 0x0e);                          /* to 0x7c10: the last valid byte */
	step_ok(&C);
	assert_int_equal(C.s.eip, 0x7c10);
}

/* int 10h through the IVT and iret back. */
static void test_int_iret_real(void **state)
{
	PUT(CODE, 0xcd, 0x10);
	PUT(0xf1234, 0xcf);
	wr16(0x40, 0x1234);
	wr16(0x42, 0xf000);
	C.s.eflags = FL(X86_FL_IF | X86_FL_TF | X86_FL_CF);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0xf000);
	assert_int_equal(C.s.seg[RMT_CS].base, 0xf0000);
	assert_int_equal(C.s.eip, 0x1234);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF));
	assert_int_equal(C.s.gpr[RMT_ESP], 0x7ffa);
	assert_int_equal(rd16(0x7ffe), FL(X86_FL_IF | X86_FL_TF | X86_FL_CF));
	assert_int_equal(rd16(0x7ffc), 0);
	assert_int_equal(rd16(0x7ffa), CODE + 2);
	step_ok(&C);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0);
	assert_int_equal(C.s.eip, CODE + 2);
	assert_int_equal(C.s.eflags, FL(X86_FL_IF | X86_FL_TF | X86_FL_CF));
	assert_int_equal(C.s.gpr[RMT_ESP], 0x8000);
}

/* interp_deliver: an exception through the IVT, return address = EIP. */
static void test_deliver_real(void **state)
{
	struct interp_status st;

	wr16(13 * 4, 0x0500);
	wr16(13 * 4 + 2, 0x0070);
	C.s.eflags = FL(X86_FL_IF);
	assert_int_equal(interp_deliver(&C, &OPS, X86_GP, 0, &st), INTERP_OK);
	assert_int_equal(C.s.seg[RMT_CS].sel, 0x70);
	assert_int_equal(C.s.eip, 0x500);
	assert_int_equal(rd16(0x7ffa), CODE);
	assert_int_equal(C.s.eflags, FL(0));
	/* an IVT entry beyond IDTR.limit is #GP */
	setup_real(state);
	C.s.idtr.limit = 13 * 4 + 2;
	assert_int_equal(interp_deliver(&C, &OPS, X86_GP, 0, &st), INTERP_FAULT);
	assert_int_equal(st.fault.vector, X86_GP);
}

/* STI opens the one-instruction interrupt shadow; CLI/CLD/STD/CMC. */
static void test_sti_shadow(void **state)
{
	PUT(CODE, 0xfb, 0x90, 0xfa, 0xfd, 0xf5, 0xfc);
	step_ok(&C);
	assert_int_equal(C.s.eflags, FL(X86_FL_IF));
	assert_int_equal(C.s.interruptibility, 1);
	step_ok(&C);
	assert_int_equal(C.s.interruptibility, 0);
	step_ok(&C);
	step_ok(&C);
	step_ok(&C);
	assert_int_equal(C.s.eflags, FL(X86_FL_DF | X86_FL_CF));
	step_ok(&C);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF));
}

/* MUL, DIV, IDIV and their #DE. */
static void test_mul_div(void **state)
{
	PUT(CODE, 0xf6, 0xe3);                  /* mul bl */
	C.s.gpr[RMT_EAX] = 0x80;
	C.s.gpr[RMT_EBX] = 2;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x100);
	assert_true(C.s.eflags & X86_FL_CF);
	assert_true(C.s.eflags & X86_FL_OF);

	C.s.eip = CODE;
	PUT(CODE, 0xf6, 0xf3);                  /* div bl */
	C.s.gpr[RMT_EAX] = 0x0101;
	C.s.gpr[RMT_EBX] = 0x10;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x0110);
	C.s.eip = CODE;
	C.s.gpr[RMT_EBX] = 0;
	step_fault(&C, X86_DE, 0, 0);

	PUT(CODE, 0x66, 0xf7, 0xf3);            /* div ebx */
	C.s.gpr[RMT_EDX] = 1;
	C.s.gpr[RMT_EAX] = 0;
	C.s.gpr[RMT_EBX] = 0x10;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x10000000);
	assert_int_equal(C.s.gpr[RMT_EDX], 0);
	C.s.eip = CODE;
	C.s.gpr[RMT_EDX] = 0x20;
	step_fault(&C, X86_DE, 0, 0);

	PUT(CODE, 0x66, 0xf7, 0xfb);            /* idiv ebx: -7 / 2 = -3 rem -1 */
	C.s.gpr[RMT_EDX] = 0xffffffff;
	C.s.gpr[RMT_EAX] = 0xfffffff9;
	C.s.gpr[RMT_EBX] = 2;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xfffffffd);
	assert_int_equal(C.s.gpr[RMT_EDX], 0xffffffff);

	C.s.eip = CODE;
	PUT(CODE, 0xf6, 0xfb);                  /* idiv bl */
	C.s.gpr[RMT_EAX] = 0x8000;              /* -32768 / -1 does not fit */
	C.s.gpr[RMT_EBX] = 0xff;
	step_fault(&C, X86_DE, 0, 0);
	C.s.gpr[RMT_EAX] = 0xff80;              /* -128 / 1 = -128 fits */
	C.s.gpr[RMT_EBX] = 1;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x0080);
}

/* LOCK: #UD on a register destination or a non-lockable instruction. */
static void test_lock(void **state)
{
	PUT(CODE, 0xf0, 0x01, 0xd8);            /* lock add ax, bx */
	step_fault(&C, X86_UD, 0, 0);
	PUT(CODE, 0xf0, 0x8b, 0x07);            /* lock mov ax, [bx] */
	step_fault(&C, X86_UD, 0, 0);
	PUT(CODE, 0xf0, 0x83, 0x3f, 0x01);      /* lock cmp word [bx], 1 */
	step_fault(&C, X86_UD, 0, 0);
	PUT(CODE, 0xf0, 0x01, 0x07);            /* lock add [bx], ax */
	C.s.gpr[RMT_EBX] = 0x500;
	C.s.gpr[RMT_EAX] = 0x0102;
	wr16(0x500, 0x1000);
	step_ok(&C);
	assert_int_equal(rd16(0x500), 0x1102);
	C.s.eip = CODE;
	PUT(CODE, 0xf0, 0xf6, 0x17);            /* lock not byte [bx] */
	step_ok(&C);
	assert_int_equal(rd16(0x500), 0x11fd);
}

/* Shifts and rotates with their defined flags. */
static void test_shifts(void **state)
{
	PUT(CODE, 0xd0, 0xe0,                   /* shl al, 1 */
	    0xd0, 0xdb,                         /* rcr bl, 1 */
	    0xd3, 0xc0,                         /* rol ax, cl */
	    0xc0, 0xf8, 0x02);                  /* sar al, 2 */
	C.s.gpr[RMT_EAX] = 0x81;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x02);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF | X86_FL_OF));
	C.s.gpr[RMT_EBX] = 0x01;
	C.s.eflags = FL(X86_FL_CF);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x80);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF | X86_FL_OF));
	C.s.gpr[RMT_EAX] = 0x8001;
	C.s.gpr[RMT_ECX] = 4;
	C.s.eflags = FL(0);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x0018);
	assert_int_equal(C.s.eflags, FL(0));
	C.s.gpr[RMT_EAX] = 0x84;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xe1);
	assert_int_equal(C.s.eflags, FL(X86_FL_SF | X86_FL_PF));
}

/* Jcc, LOOP, JCXZ. */
static void test_branches(void **state)
{
	PUT(CODE, 0x75, 0xfe);                  /* jnz $ */
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE);
	C.s.eflags = FL(X86_FL_ZF);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 2);
	C.s.eip = CODE;
	PUT(CODE, 0xe2, 0xfe, 0xe3, 0x10);      /* loop $; jcxz +0x10 */
	C.s.gpr[RMT_ECX] = 0x10002;
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE);
	assert_int_equal(C.s.gpr[RMT_ECX], 0x10001);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 2);
	assert_int_equal(C.s.gpr[RMT_ECX], 0x10000);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 4 + 0x10);
}

/* xchg, lea (16- and 32-bit), movzx/movsx, cbw/cwde/cwd/cdq. */
static void test_misc_moves(void **state)
{
	PUT(CODE, 0x93,                         /* xchg ax, bx */
	    0x8d, 0x40, 0xff,                   /* lea ax, [bx+si-1] */
	    0x66, 0x67, 0x8d, 0x44, 0x48, 0x02, /* lea eax, [eax+ecx*2+2] */
	    0x66, 0x0f, 0xbe, 0xc3,             /* movsx eax, bl */
	    0x0f, 0xb6, 0xcb,                   /* movzx cx, bl */
	    0x98, 0x66, 0x99);                  /* cbw; cdq */
	C.s.gpr[RMT_EAX] = 0x11110001;
	C.s.gpr[RMT_EBX] = 0x22220002;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x11110002);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x22220001);
	C.s.gpr[RMT_ESI] = 0;
	C.s.gpr[RMT_EBX] = 0;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x1111ffff);  /* wraps at 64 KiB */
	C.s.gpr[RMT_EAX] = 0x1000;
	C.s.gpr[RMT_ECX] = 0x10;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x1022);
	C.s.gpr[RMT_EBX] = 0x80;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0xffffff80);
	C.s.gpr[RMT_ECX] = 0xdead0000;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 0xdead0080);
	C.s.gpr[RMT_EAX] = 0x12345680;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x1234ff80);
	C.s.gpr[RMT_EAX] = 0x80000000;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EDX], 0xffffffff);
	assert_int_equal(C.s.eip, CODE + 20);
}

/* Bit instructions: bts with a register offset addressing beyond the operand, bsf, bswap. */
static void test_bits(void **state)
{
	PUT(CODE, 0x0f, 0xab, 0x07,             /* bts [bx], ax */
	    0x0f, 0xbc, 0xd1,                   /* bsf dx, cx */
	    0x66, 0x0f, 0xcb,                   /* bswap ebx */
	    0x0f, 0x94, 0xc1);                  /* setz cl */
	C.s.gpr[RMT_EBX] = 0x500;
	C.s.gpr[RMT_EAX] = 17;                  /* word 1, bit 1 */
	wr16(0x502, 0x0002);
	step_ok(&C);
	assert_int_equal(rd16(0x502), 0x0002);
	assert_int_equal(C.s.eflags, FL(X86_FL_CF));
	C.s.gpr[RMT_EAX] = 16 + 2;
	C.s.eip = CODE;
	step_ok(&C);
	assert_int_equal(rd16(0x502), 0x0006);
	assert_int_equal(C.s.eflags, FL(0));
	C.s.gpr[RMT_ECX] = 0x0100;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EDX], 8);
	assert_int_equal(C.s.eflags, FL(0));
	C.s.gpr[RMT_EBX] = 0x11223344;
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EBX], 0x44332211);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_ECX], 0x0100);     /* ZF clear -> 0 */
}

/* cmpxchg, xadd, daa. */
static void test_cmpxchg_xadd_daa(void **state)
{
	PUT(CODE, 0x0f, 0xb1, 0x0f,             /* cmpxchg [bx], cx */
	    0x0f, 0xc1, 0x07,                   /* xadd [bx], ax */
	    0x27);                              /* daa */
	C.s.gpr[RMT_EBX] = 0x600;
	C.s.gpr[RMT_EAX] = 0x1234;
	C.s.gpr[RMT_ECX] = 0x5678;
	wr16(0x600, 0x1234);
	step_ok(&C);
	assert_int_equal(rd16(0x600), 0x5678);
	assert_true(C.s.eflags & X86_FL_ZF);
	C.s.gpr[RMT_EAX] = 0x0002;
	step_ok(&C);
	assert_int_equal(rd16(0x600), 0x567a);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x5678);
	C.s.gpr[RMT_EAX] = 0x0f;                /* 0x0f -> 0x15, AF */
	C.s.eflags = FL(0);
	step_ok(&C);
	assert_int_equal(C.s.gpr[RMT_EAX], 0x15);
	assert_int_equal(C.s.eflags, FL(X86_FL_AF));
}

/* x87/SSE are refused by name, state untouched; undefined opcodes are #UD. */
static void test_unsupported(void **state)
{
	struct interp_status st;
	struct guest_cpu before;

	PUT(CODE, 0xd9, 0xe8);
	before = C;
	assert_int_equal(step(&C, &st), INTERP_UNSUPPORTED);
	assert_string_equal(st.why, "x87 instruction d9 e8 not interpreted");
	assert_memory_equal(&before, &C, sizeof(C));
	PUT(CODE, 0x0f, 0x10, 0xc0);
	assert_int_equal(step(&C, &st), INTERP_UNSUPPORTED);
	assert_string_equal(st.why, "MMX/SSE opcode 0f 10 not interpreted");
	PUT(CODE, 0x0f, 0x0b);
	step_fault(&C, X86_UD, 0, 0);
	PUT(CODE, 0x0f, 0x04);
	step_fault(&C, X86_UD, 0, 0);
}

/* Memory the ops refuse is INTERP_MEMERR, not a guest fault. */
static void test_memerr(void **state)
{
	struct interp_status st;
	struct guest_cpu before;

	pm32(&C);
	C.s.eip = CODE;
	PUT(CODE, 0xa0, 0x00, 0x00, 0x3f, 0x00);
	before = C;
	assert_int_equal(step(&C, &st), INTERP_MEMERR);
	assert_string_equal(st.why, "read refused at physical 0x3f0000");
	assert_memory_equal(&before, &C, sizeof(C));
}

/* 15-byte limit: 14 prefixes + opcode is fine, 15 + opcode is #GP. */
static void test_length_limit(void **state)
{
	unsigned i;

	for (i = 0; i < 14; i++)
		H.mem[CODE + i] = 0x3e;
	H.mem[CODE + 14] = 0x90;
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 15);
	C.s.eip = CODE;
	H.mem[CODE + 14] = 0x3e;
	H.mem[CODE + 15] = 0x90;
	step_fault(&C, X86_GP, 0, 0);
}

/* Multi-byte NOPs consume their ModRM/SIB/displacement (lengths as in the SDM's NOP table). */
static void test_long_nops(void **state)
{
	pm32(&C);
	C.s.eip = CODE;
	PUT(CODE, 0x0f, 0x1f, 0x00,                             /* nop [eax] */
	    0x0f, 0x1f, 0x44, 0x00, 0x00,                       /* nop [eax+eax*1+0] */
	    0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, /* nop word [eax+eax*1+0x0] */
	    0x0f, 0x18, 0x05, 0x00, 0x10, 0x00, 0x00);          /* prefetchnta [0x1000] */
	C.s.gpr[RMT_EAX] = 0x500;
	wr32(0x500, 0xdeadbeef);
	wr32(0x1000, 0xcafef00d);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 3);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 8);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 17);
	step_ok(&C);
	assert_int_equal(C.s.eip, CODE + 24);
	assert_int_equal(rd32(0x500), 0xdeadbeef);     /* never written */
	assert_int_equal(rd32(0x1000), 0xcafef00d);
}

/* Every one-byte opcode has a row; the two-byte table ends where it should. */
static void test_tables(void **state)
{
	static const uint8_t prefixes[] = { 0x0f, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67,
					    0xf0, 0xf2, 0xf3 };
	unsigned i, j, prefix;

	for (i = 0; i < 256; i++) {
		for (prefix = 0, j = 0; j < sizeof(prefixes); j++)
			prefix |= prefixes[j] == i;
		if (prefix)
			assert_null(emu_opcode_table[i].fn);
		else if (!emu_opcode_table[i].fn)
			fail_msg("one-byte opcode %02x has no handler", i);
	}
	assert_non_null(emu_twobyte_table[0xc8].fn);
	assert_non_null(emu_twobyte_table[0xcf].fn);
	assert_non_null(emu_twobyte_table[0xff].fn);
	assert_ptr_equal(emu_twobyte_table[0xa2].fn, emu_twobyte_table[0xa2].fn);
	assert_ptr_not_equal(emu_twobyte_table[0xa2].fn, emu_twobyte_table[0xa3].fn);
	assert_ptr_equal(emu_twobyte_table[0x80].fn, emu_opcode_table[0x70].fn);   /* Jcc */
	assert_ptr_equal(emu_twobyte_table[0xb6].fn, emu_twobyte_table[0xbf].fn);  /* MOVZX/SX */
	assert_ptr_equal(emu_twobyte_table[0xb9].fn, emu_twobyte_table[0x0b].fn);  /* UD1/UD2 */
}

#define T(f) cmocka_unit_test_setup(f, setup_real)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_flags), T(test_sub_byte_high), T(test_bp_defaults_to_ss),
		T(test_mov_forms), T(test_mov_cs_ud), T(test_real_limit), T(test_big_real),
		T(test_a20), T(test_sib), T(test_push_pop_pusha), T(test_pusha_popa_edges), T(test_dcache_context), T(test_popf_real),
		T(test_popf_cpl3), T(test_vm86_sensitive), T(test_call_ret), T(test_jump_limit),
		T(test_int_iret_real), T(test_deliver_real), T(test_sti_shadow), T(test_mul_div),
		T(test_lock), T(test_shifts), T(test_branches), T(test_misc_moves), T(test_bits),
		T(test_cmpxchg_xadd_daa), T(test_unsupported), T(test_memerr),
		T(test_length_limit), T(test_long_nops), T(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Interpreter x87/SSE instructions (vm86/fpu.c): FXSAVE, FXRSTOR, LDMXCSR,
 * STMXCSR, the x87 control instructions and WAIT, group 15's other forms.
 * The FPU is a model behind ops->fpu that records every call: the tests
 * check the faults (and that a faulting instruction calls nothing and
 * writes nothing), and that the image travels between the callback and the
 * right physical bytes — through segmentation and through paging onto two
 * discontiguous frames.
 */
#include "test_interp_harness.h"

/* The FPU model: an FXSAVE image, with the layout of SDM Vol. 1 Table 10-2. */
static struct {
	uint8_t img[512];
	unsigned calls[8];              /* per enum interp_fpu_op */
	uint32_t last_cr4;
	int refuse;                     /* make every call fail */
	uint8_t restored[512];          /* what the last FXRSTOR loaded */
} F;

static int m_fpu(void *ctx, enum interp_fpu_op op, void *buf, uint32_t cr4)
{
	uint8_t *b = buf;

	assert_int_equal((uintptr_t)buf & 15, 0);       /* interp.h promises alignment */
	F.calls[op]++;
	F.last_cr4 = cr4;
	if (F.refuse)
		return -1;
	switch (op) {
	case INTERP_FPU_FXSAVE:
		/* Bytes 464-511 are never written; MXCSR, its mask and the XMM
		 * registers only with CR4.OSFXSR (QEMU's and AMD's choice). */
		memcpy(b, F.img, 24);
		memcpy(b + 32, F.img + 32, 128);
		if (cr4 & X86_CR4_OSFXSR) {
			memcpy(b + 24, F.img + 24, 8);
			memcpy(b + 160, F.img + 160, 128);
		}
		return 0;
	case INTERP_FPU_FXRSTOR:
		memcpy(F.restored, b, 512);
		memcpy(F.img, b, 24);
		memcpy(F.img + 32, b + 32, 128);
		if (cr4 & X86_CR4_OSFXSR) {
			memcpy(F.img + 24, b + 24, 4);          /* not the mask */
			memcpy(F.img + 160, b + 160, 128);
		}
		return 0;
	case INTERP_FPU_FNSTSW:
		memcpy(b, F.img + 2, 2);
		return 0;
	case INTERP_FPU_FNSTCW:
		memcpy(b, F.img, 2);
		return 0;
	case INTERP_FPU_FLDCW:
		memcpy(F.img, b, 2);
		return 0;
	case INTERP_FPU_FNINIT:
		F.img[0] = 0x7f, F.img[1] = 0x03;               /* FCW 0x037F */
		F.img[2] = F.img[3] = 0;                        /* FSW */
		F.img[4] = 0;                                   /* abridged FTW: all empty */
		return 0;
	case INTERP_FPU_FNCLEX:
		F.img[2] &= 0x40;                               /* flags, ES; keeps SF */
		F.img[3] &= 0x7f;                               /* B */
		return 0;
	}
	return -1;
}

static const struct interp_ops FOPS = { HARNESS_OPS_FIELDS, .fpu = m_fpu };

static enum interp_result fstep(struct interp_status *st)
{
	return interp_step(&C, &FOPS, st);
}

static void fstep_ok(void)
{
	struct interp_status st;
	enum interp_result r = fstep(&st);

	if (r != INTERP_OK)
		print_error("result %d why '%s' vector %u\n", r, st.why, st.fault.vector);
	assert_int_equal(r, INTERP_OK);
}

/* A fault: this vector, nothing changed in the CPU, in memory or in the FPU. */
static void fstep_fault(unsigned vector, int has_error)
{
	static uint8_t mem_before[0x40000];
	uint8_t img_before[512];
	unsigned calls_before[8];
	struct guest_cpu before = C;
	struct interp_status st;
	enum interp_result r;

	memcpy(mem_before, H.mem, sizeof(mem_before));
	memcpy(img_before, F.img, 512);
	memcpy(calls_before, F.calls, sizeof(calls_before));
	r = fstep(&st);
	if (r != INTERP_FAULT)
		print_error("result %d why '%s'\n", r, st.why);
	assert_int_equal(r, INTERP_FAULT);
	assert_int_equal(st.fault.vector, vector);
	assert_int_equal(st.fault.has_error, has_error);
	assert_int_equal(st.fault.error_code, 0);
	assert_memory_equal(&before, &C, sizeof(C));
	assert_memory_equal(mem_before, H.mem, sizeof(mem_before));
	assert_memory_equal(img_before, F.img, 512);
	/* nothing that changes the FPU's state was called */
	assert_int_equal(F.calls[INTERP_FPU_FXRSTOR], calls_before[INTERP_FPU_FXRSTOR]);
	assert_int_equal(F.calls[INTERP_FPU_FLDCW], calls_before[INTERP_FPU_FLDCW]);
	assert_int_equal(F.calls[INTERP_FPU_FNINIT], calls_before[INTERP_FPU_FNINIT]);
	assert_int_equal(F.calls[INTERP_FPU_FNCLEX], calls_before[INTERP_FPU_FNCLEX]);
}

static int setup(void **state)
{
	unsigned i;

	reset_harness();
	memset(&F, 0, sizeof(F));
	for (i = 0; i < 512; i++)
		F.img[i] = (uint8_t)(0x40 + i * 7);
	F.img[24] = 0x80, F.img[25] = 0x1f, F.img[26] = F.img[27] = 0;   /* MXCSR 0x1F80 */
	F.img[28] = 0xff, F.img[29] = 0xff, F.img[30] = F.img[31] = 0;   /* mask 0xFFFF */
	F.img[2] = 0, F.img[3] = 0;                                      /* FSW: nothing pending */
	real_mode(&C);
	C.s.eip = CODE;
	C.s.gpr[RMT_ESP] = 0x8000;
	/* DS = 0x1000: FXSAVE [0x200] is physical 0x10200. */
	C.s.seg[RMT_DS].sel = 0x1000;
	C.s.seg[RMT_DS].base = 0x10000;
	return 0;
}

static void fill(uint32_t pa, unsigned n, uint8_t v)
{
	memset(&H.mem[pa], v, n);
}

/* FXSAVE in real mode: the image lands at DS:0x200; bytes the processor
 * does not write keep their contents; one call, with the guest's CR4. */
static void test_fxsave_real_mode(void **state)
{
	PUT(CODE, 0x0f, 0xae, 0x06, 0x00, 0x02);        /* fxsave [0x200] */
	fill(0x10200, 512, 0xcc);
	C.s.cr4 = 0;
	fstep_ok();
	assert_int_equal(C.s.eip, CODE + 5);
	assert_int_equal(F.calls[INTERP_FPU_FXSAVE], 1);
	assert_int_equal(F.last_cr4, 0);
	assert_memory_equal(&H.mem[0x10200], F.img, 24);
	assert_memory_equal(&H.mem[0x10200 + 32], F.img + 32, 128);
	assert_int_equal(H.mem[0x10200 + 24], 0xcc);    /* MXCSR: not with OSFXSR=0 */
	assert_int_equal(H.mem[0x10200 + 160], 0xcc);
	assert_int_equal(H.mem[0x10200 + 511], 0xcc);

	C.s.eip = CODE;
	C.s.cr4 = X86_CR4_OSFXSR;
	fstep_ok();
	assert_int_equal(F.last_cr4, X86_CR4_OSFXSR);
	assert_memory_equal(&H.mem[0x10200], F.img, 288);
	assert_int_equal(H.mem[0x10200 + 464], 0xcc);
	assert_int_equal(H.mem[0x10200 + 511], 0xcc);
	assert_int_equal(H.mem[0x10200 + 512], 0);      /* nothing beyond */
	assert_int_equal(H.mem[0x101ff], 0);
}

/* Big real mode (a 4 GiB DS limit), 32-bit addressing: FXSAVE then FXRSTOR
 * of a modified image; the restored image is the bytes in memory. */
static void test_fxrstor_big_real(void **state)
{
	C.s.seg[RMT_DS].limit = 0xffffffffu;
	C.s.gpr[RMT_EBX] = 0x30000;
	PUT(CODE, 0x67, 0x0f, 0xae, 0x03,               /* fxsave [ebx] */
	    0x67, 0x0f, 0xae, 0x0b);                    /* fxrstor [ebx] */
	fstep_ok();
	assert_memory_equal(&H.mem[0x40000], F.img, 24);
	H.mem[0x40000] = 0x7f;                          /* FCW */
	H.mem[0x40001] = 0x02;
	H.mem[0x40000 + 32] = 0x99;                     /* ST0 */
	fstep_ok();
	assert_int_equal(C.s.eip, CODE + 8);
	assert_int_equal(F.calls[INTERP_FPU_FXRSTOR], 1);
	assert_memory_equal(F.restored, &H.mem[0x40000], 512);
	assert_int_equal(F.img[0], 0x7f);
	assert_int_equal(F.img[1], 0x02);
	assert_int_equal(F.img[32], 0x99);
}

/* Paging: the 512-byte operand at linear 0x800e00 spans a page whose frames
 * are 0x5000 and 0x3000 — the image is split at the page boundary. */
static void paging(void)
{
	paging_2level_pm32(&C);
	wr32(0x101000, 0x5000 | 3);                     /* 0x800000 -> 0x5000 */
	wr32(0x101004, 0x3000 | 3);                     /* 0x801000 -> 0x3000 */
}

static void test_fx_paging_split(void **state)
{
	uint8_t expect[512];

	paging();
	C.s.cr4 = X86_CR4_OSFXSR;
	PUT(CODE, 0x0f, 0xae, 0x05, 0x00, 0x0f, 0x80, 0x00);   /* fxsave [0x800f00] */
	fill(0x5f00, 0x100, 0xcc);
	fill(0x3000, 0x100, 0xcc);
	memset(expect, 0xcc, sizeof(expect));
	memcpy(expect, F.img, 288);             /* x87, MXCSR, XMM0-7: not 288-511 */
	fstep_ok();
	assert_memory_equal(&H.mem[0x5f00], expect, 256);
	assert_memory_equal(&H.mem[0x3000], expect + 256, 256);
	assert_int_equal(rd32(0x101004), 0x3000 | 3 | 0x60);   /* accessed, dirty */

	/* FXRSTOR from the same place, after changing a byte in each frame */
	H.mem[0x5f00 + 40] = 0x11;
	H.mem[0x3000 + 10] = 0x22;                      /* image byte 266: XMM6 */
	C.s.eip = CODE;
	PUT(CODE, 0x0f, 0xae, 0x0d, 0x00, 0x0f, 0x80, 0x00);   /* fxrstor [0x800f00] */
	fstep_ok();
	assert_int_equal(F.restored[40], 0x11);
	assert_int_equal(F.restored[266], 0x22);
	assert_memory_equal(F.restored + 256, &H.mem[0x3000], 256);

	/* the second page not present: #PF at its first byte, nothing written */
	wr32(0x101004, 0x3000 | 2);
	C.s.eip = CODE;
	PUT(CODE, 0x0f, 0xae, 0x05, 0x00, 0x0f, 0x80, 0x00);
	F.calls[INTERP_FPU_FXRSTOR] = 0;
	{
		struct guest_cpu before = C;
		struct interp_status st;
		uint8_t low[256];
		memcpy(low, &H.mem[0x5f00], 256);
		assert_int_equal(fstep(&st), INTERP_FAULT);
		assert_int_equal(st.fault.vector, X86_PF);
		assert_int_equal(st.fault.error_code, 2);      /* not present, write */
		assert_int_equal(st.fault.cr2, 0x801000);
		assert_memory_equal(&before, &C, sizeof(C));
		assert_memory_equal(low, &H.mem[0x5f00], 256);
	}
}

/* Every fault of FXSAVE/FXRSTOR, and that none of them reaches the FPU's state. */
static void test_fx_faults(void **state)
{
	/* 16-byte alignment of the linear address, real mode included: #GP(0) */
	PUT(CODE, 0x0f, 0xae, 0x06, 0x08, 0x02);        /* fxsave [0x208] */
	fstep_fault(X86_GP, 0);
	PUT(CODE, 0x0f, 0xae, 0x0e, 0x08, 0x02);        /* fxrstor [0x208] */
	fstep_fault(X86_GP, 0);
	/* a segment base that is not 16-byte aligned misaligns an aligned offset */
	C.s.seg[RMT_DS].base = 0x10008;
	PUT(CODE, 0x0f, 0xae, 0x06, 0x08, 0x02);        /* fxsave [0x208]: linear 0x10210 */
	fstep_ok();
	C.s.eip = CODE;
	C.s.seg[RMT_DS].base = 0x10000;
	/* the 64 KiB limit, the operand as one access: #GP(0), #SS(0) for SS */
	PUT(CODE, 0x0f, 0xae, 0x06, 0x00, 0xfe);        /* fxsave [0xfe00]: ends at 0xffff */
	fstep_ok();
	C.s.eip = CODE;
	PUT(CODE, 0x0f, 0xae, 0x06, 0x10, 0xfe);        /* fxsave [0xfe10]: ends at 0x1000f */
	fstep_fault(X86_GP, 0);
	PUT(CODE, 0x36, 0x0f, 0xae, 0x0e, 0x10, 0xfe);  /* fxrstor ss:[0xfe10] */
	fstep_fault(X86_SS, 0);
	PUT(CODE, 0x0f, 0xae, 0x06, 0x10, 0xfe);
	C.s.seg[RMT_DS].limit = 0x1000f;                /* exactly enough */
	fstep_ok();
	C.s.eip = CODE;
	C.s.seg[RMT_DS].limit = 0xffff;
	/* misalignment is #GP even where the limit would be #SS (Bochs' priority) */
	PUT(CODE, 0x36, 0x0f, 0xae, 0x0e, 0x18, 0xfe);  /* fxrstor ss:[0xfe18] */
	fstep_fault(X86_GP, 0);
	/* CR0.EM and CR0.TS: #NM (not #UD: FXSAVE is not an SSE instruction) */
	PUT(CODE, 0x0f, 0xae, 0x06, 0x00, 0x02);
	C.s.cr0 |= X86_CR0_EM;
	fstep_fault(X86_NM, 0);
	C.s.cr0 ^= X86_CR0_EM | X86_CR0_TS;
	fstep_fault(X86_NM, 0);
	C.s.cr0 &= ~X86_CR0_TS;
	/* LOCK and the register form: #UD */
	PUT(CODE, 0xf0, 0x0f, 0xae, 0x06, 0x00, 0x02);
	fstep_fault(X86_UD, 0);
	PUT(CODE, 0x0f, 0xae, 0xc0);                    /* 0f ae /0, mod=3 */
	fstep_fault(X86_UD, 0);
	PUT(CODE, 0x0f, 0xae, 0xc8);                    /* 0f ae /1, mod=3 */
	fstep_fault(X86_UD, 0);
	assert_int_equal(F.calls[INTERP_FPU_FXSAVE], 3);        /* only the three that retired */

	/* protected mode: a read-only data segment for FXSAVE: #GP(0) with an error code */
	pm32(&C);
	C.s.eip = CODE;
	C.s.seg[RMT_DS].ar = 0xc091;
	PUT(CODE, 0x0f, 0xae, 0x05, 0x00, 0x02, 0x01, 0x00);   /* fxsave [0x10200] */
	fstep_fault(X86_GP, 1);
	/* ... which FXRSTOR may read */
	PUT(CODE, 0x0f, 0xae, 0x0d, 0x00, 0x02, 0x01, 0x00);   /* fxrstor [0x10200] */
	wr32(0x10200 + 24, 0x1f80);
	fstep_ok();
}

/* FXRSTOR of an image with reserved MXCSR bits: #GP(0) before any state
 * changes.  The reserved bits are those outside MXCSR_MASK, which the
 * interpreter takes from an FXSAVE (0 there means the default 0xFFBF). */
static void test_fxrstor_mxcsr(void **state)
{
	PUT(CODE, 0x0f, 0xae, 0x0e, 0x00, 0x02);        /* fxrstor [0x200] */
	C.s.cr4 = X86_CR4_OSFXSR;
	wr32(0x10200 + 24, 0x10000);                    /* bit 16: reserved everywhere */
	fstep_fault(X86_GP, 0);
	/* DAZ (bit 6): allowed by the model's mask 0xFFFF ... */
	wr32(0x10200 + 24, 0x1fc0);
	fstep_ok();
	assert_int_equal(F.calls[INTERP_FPU_FXRSTOR], 1);
	assert_int_equal(F.img[24], 0xc0);
	/* ... not by a processor whose FXSAVE stores the mask as 0 (0xFFBF) */
	C.s.eip = CODE;
	F.img[28] = F.img[29] = 0;
	fstep_fault(X86_GP, 0);
	/* nor with CR4.OSFXSR=0, where the model's FXSAVE stores no mask */
	F.img[28] = F.img[29] = 0xff;
	C.s.cr4 = 0;
	fstep_fault(X86_GP, 0);
	wr32(0x10200 + 24, 0x1f80);
	fstep_ok();
	assert_int_equal(F.calls[INTERP_FPU_FXRSTOR], 2);
}

/* Without ops->fpu, or when the callback refuses: unsupported, nothing done;
 * the checks that need no FPU still fault exactly. */
static void test_fx_no_fpu(void **state)
{
	struct interp_status st;
	struct guest_cpu before;

	PUT(CODE, 0x0f, 0xae, 0x06, 0x00, 0x02);
	fill(0x10200, 512, 0xcc);
	before = C;
	assert_int_equal(step(&C, &st), INTERP_UNSUPPORTED);    /* the harness OPS: no fpu */
	assert_string_equal(st.why, "FXSAVE not interpreted (no FPU access: ops->fpu is NULL)");
	assert_memory_equal(&before, &C, sizeof(C));
	assert_int_equal(H.mem[0x10200], 0xcc);
	C.s.cr0 |= X86_CR0_TS;
	step_fault(&C, X86_NM, 0, 0);
	C.s.cr0 &= ~X86_CR0_TS;

	F.refuse = 1;
	assert_int_equal(fstep(&st), INTERP_UNSUPPORTED);
	assert_memory_equal(&before, &C, sizeof(C));
	assert_int_equal(H.mem[0x10200], 0xcc);
	assert_int_equal(F.calls[INTERP_FPU_FXSAVE], 1);
}

/* LDMXCSR/STMXCSR: #UD with EM or without OSFXSR, then #NM with TS; the
 * value goes through an FXSAVE image. */
static void test_mxcsr(void **state)
{
	PUT(CODE, 0x0f, 0xae, 0x1e, 0x00, 0x02,         /* stmxcsr [0x200] */
	    0x0f, 0xae, 0x16, 0x04, 0x02);              /* ldmxcsr [0x204] */
	fstep_fault(X86_UD, 0);                         /* CR4.OSFXSR = 0 */
	C.s.cr4 = X86_CR4_OSFXSR;
	C.s.cr0 |= X86_CR0_EM | X86_CR0_TS;
	fstep_fault(X86_UD, 0);                         /* EM before TS */
	C.s.cr0 &= ~X86_CR0_EM;
	fstep_fault(X86_NM, 0);
	C.s.cr0 &= ~X86_CR0_TS;
	fstep_ok();
	assert_int_equal(rd32(0x10200), 0x1f80);
	wr32(0x10204, 0x9fc0);
	fstep_ok();
	assert_int_equal(F.img[24], 0xc0);
	assert_int_equal(F.img[25], 0x9f);
	assert_int_equal(C.s.eip, CODE + 10);
	C.s.eip = CODE + 5;
	wr32(0x10204, 0x20000);                         /* reserved */
	fstep_fault(X86_GP, 0);
	/* with 32-bit addressing beyond the 64 KiB limit: #GP before anything */
	C.s.eip = CODE + 5;
	PUT(CODE + 5, 0x67, 0x0f, 0xae, 0x15, 0xfe, 0xff, 0x00, 0x00);   /* ldmxcsr [0xfffe] */
	fstep_fault(X86_GP, 0);
}

/* The x87 control instructions and WAIT. */
static void test_x87_control(void **state)
{
	struct interp_status st;

	PUT(CODE, 0xdb, 0xe3,                           /* fninit */
	    0xdf, 0xe0,                                 /* fnstsw ax */
	    0xd9, 0x3e, 0x00, 0x02,                     /* fnstcw [0x200] */
	    0xc7, 0x06, 0x02, 0x02, 0x7e, 0x03,         /* mov word [0x202], 0x037e */
	    0xd9, 0x2e, 0x02, 0x02,                     /* fldcw [0x202] */
	    0xdd, 0x3e, 0x04, 0x02,                     /* fnstsw [0x204] */
	    0x9b,                                       /* wait */
	    0xdb, 0xe2);                                /* fnclex */
	C.s.gpr[RMT_EAX] = 0x12345678;
	fstep_ok();
	assert_int_equal(F.calls[INTERP_FPU_FNINIT], 1);
	assert_int_equal(F.img[0] | F.img[1] << 8, 0x037f);
	fstep_ok();
	assert_int_equal(C.s.gpr[RMT_EAX], 0x12340000);
	fstep_ok();
	assert_int_equal(rd16(0x10200), 0x037f);
	fstep_ok();
	fstep_ok();
	assert_int_equal(F.img[0] | F.img[1] << 8, 0x037e);
	F.img[2] = 0x81;                                /* IE with ES: pending */
	fstep_ok();
	assert_int_equal(rd16(0x10204), 0x0081);        /* FNSTSW does not wait */
	/* WAIT with an exception pending: #MF with CR0.NE, reported without */
	C.s.cr0 |= X86_CR0_NE;
	fstep_fault(X86_MF, 0);
	C.s.cr0 &= ~X86_CR0_NE;
	assert_int_equal(fstep(&st), INTERP_UNSUPPORTED);
	/* FLDCW waits too; FNCLEX does not */
	{
		uint32_t wait_eip = C.s.eip;
		C.s.eip = CODE + 14;
		C.s.cr0 |= X86_CR0_NE;
		fstep_fault(X86_MF, 0);
		C.s.eip = wait_eip + 1;
	}
	fstep_ok();
	assert_int_equal(F.img[2], 0);
	C.s.eip = CODE + 22;
	fstep_ok();                                     /* WAIT: nothing pending now */

	/* #NM: EM or TS for x87 instructions; WAIT only with MP and TS */
	C.s.eip = CODE;
	C.s.cr0 |= X86_CR0_EM;
	fstep_fault(X86_NM, 0);
	C.s.eip = CODE + 22;
	fstep_ok();                                     /* WAIT ignores EM */
	C.s.eip = CODE + 22;
	C.s.cr0 = (C.s.cr0 & ~X86_CR0_EM) | X86_CR0_TS;
	fstep_ok();                                     /* TS alone: no #NM for WAIT */
	C.s.eip = CODE + 22;
	C.s.cr0 |= X86_CR0_MP;
	fstep_fault(X86_NM, 0);
	C.s.eip = CODE + 8;                             /* the MOV is not x87 */
	fstep_ok();
	fstep_fault(X86_NM, 0);                         /* FLDCW */
	C.s.cr0 &= ~(X86_CR0_TS | X86_CR0_MP);

	/* other x87 instructions: #NM when unavailable, else reported; LOCK #UD */
	C.s.eip = CODE;
	PUT(CODE, 0xd9, 0xe8);                          /* fld1 */
	assert_int_equal(fstep(&st), INTERP_UNSUPPORTED);
	assert_string_equal(st.why, "x87 instruction d9 e8 not interpreted");
	C.s.cr0 |= X86_CR0_TS;
	fstep_fault(X86_NM, 0);
	PUT(CODE, 0xf0, 0xdb, 0xe3);
	fstep_fault(X86_UD, 0);
}

/* Group 15's other forms: fences, #UD encodings, XSAVE without OSXSAVE. */
static void test_grp15_other(void **state)
{
	struct interp_status st;

	PUT(CODE, 0x0f, 0xae, 0xe8, 0x0f, 0xae, 0xf0, 0x0f, 0xae, 0xf8);   /* lfence mfence sfence */
	fstep_ok();
	fstep_ok();
	fstep_ok();
	assert_int_equal(C.s.eip, CODE + 9);
	C.s.eip = CODE;
	PUT(CODE, 0x0f, 0xae, 0xe0);                    /* 0f ae /4 mod=3 */
	fstep_fault(X86_UD, 0);
	PUT(CODE, 0x0f, 0xae, 0x26, 0x00, 0x02);        /* xsave [0x200] */
	fstep_fault(X86_UD, 0);
	C.s.cr4 = X86_CR4_OSXSAVE;
	assert_int_equal(fstep(&st), INTERP_UNSUPPORTED);
	PUT(CODE, 0x66, 0x0f, 0xae, 0x06, 0x00, 0x02);  /* 66 prefix: another instruction */
	assert_int_equal(fstep(&st), INTERP_UNSUPPORTED);
	PUT(CODE, 0x0f, 0xae, 0x3e, 0x00, 0x02);        /* clflush */
	assert_int_equal(fstep(&st), INTERP_UNSUPPORTED);
	assert_int_equal(F.calls[INTERP_FPU_FXSAVE], 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fxsave_real_mode), T(test_fxrstor_big_real), T(test_fx_paging_split),
		T(test_fx_faults), T(test_fxrstor_mxcsr), T(test_fx_no_fpu), T(test_mxcsr),
		T(test_x87_control), T(test_grp15_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

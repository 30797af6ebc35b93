/*
 * The x87/SSE instructions the interpreter runs: FXSAVE and FXRSTOR (iPXE's
 * librm saves the real-mode FPU state around every call into protected mode,
 * from big real mode when built with TIVOLI_VMM_WORKAROUND, as Debian's is),
 * LDMXCSR/STMXCSR, the x87 control instructions FNINIT, FNCLEX, FNSTSW,
 * FNSTCW, FLDCW and WAIT (the classic FPU probe), and the SSE fences — and
 * the exceptions every other x87 or group-15 form raises before it would need
 * the FPU (#NM with CR0.EM/TS, #UD when CR4 disables the instruction).
 *
 * The interpreter has no FPU: the x87/SSE state is the guest's and lives in
 * the processor, so ops->fpu runs the instruction natively.  Everything that
 * can fault is checked here first, in the processor's order, so the native
 * instruction cannot fault and a faulting instruction changes nothing.
 */
#include "lib/string.h"
#include "vm86/interp_priv.h"

#define FX_SIZE         512
#define FX_MXCSR        24          /* offsets in the FXSAVE image (SDM Vol. 1 Table 10-2) */
#define FX_MXCSR_MASK   28
#define MXCSR_DEFAULT_MASK 0x0000ffbfu   /* when the image says 0 (SDM Vol. 1 11.6.6) */
#define FSW_ES          0x0080u     /* error summary: an unmasked exception is pending */

static const char *const fpu_op_name[] = {
	[INTERP_FPU_FXSAVE] = "FXSAVE", [INTERP_FPU_FXRSTOR] = "FXRSTOR",
	[INTERP_FPU_FNSTSW] = "FNSTSW", [INTERP_FPU_FNSTCW] = "FNSTCW",
	[INTERP_FPU_FLDCW] = "FLDCW", [INTERP_FPU_FNINIT] = "FNINIT", [INTERP_FPU_FNCLEX] = "FNCLEX",
};

/*
 * A 16-byte-aligned buffer of n bytes on the stack.  Computed, not declared
 * aligned: the blob's stacks promise no 16-byte alignment at function entry
 * (the compiler would assume the i386 ABI's), and a misaligned FXSAVE
 * operand would fault inside the monitor.
 */
#define ALIGNED_BUF(name, n) \
	uint8_t name##_raw_[(n) + 15]; \
	uint8_t *name = (uint8_t *)(((uintptr_t)name##_raw_ + 15) & ~(uintptr_t)15)

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Run op on the guest's FPU state through ops->fpu (see interp.h). */
static int fpu_op(struct emu *e, enum interp_fpu_op op, void *buf)
{
	if (!e->ops->fpu)
		return emu_unsupported(e, "%s not interpreted (no FPU access: ops->fpu is NULL)",
				       fpu_op_name[op]);
	if (e->ops->fpu(e->ops->ctx, op, buf, e->c->s.cr4))
		return emu_unsupported(e, "%s: the caller cannot run it as the guest's processor "
				       "would (guest CR4=0x%x)", fpu_op_name[op], (unsigned)e->c->s.cr4);
	return 0;
}

/*
 * x87 instructions, FXSAVE and FXRSTOR raise #NM when CR0.EM or CR0.TS is set
 * (SDM Vol. 3A Table 2-2; FXSAVE/FXRSTOR list EM under #NM too, and Bochs and
 * QEMU agree — unlike SSE instructions, which #UD with EM).  This is how a
 * real-mode FPU emulator (EM=1, an INT 7 handler) gets control.
 */
static int x87_available(struct emu *e)
{
	if (e->c->s.cr0 & (X86_CR0_EM | X86_CR0_TS))
		return emu_fault(e, X86_NM, 0);
	return 0;
}

/*
 * A waiting x87 instruction (WAIT, FLDCW) first takes a pending unmasked
 * exception, which FSW.ES shows (SDM Vol. 1 8.6, 8.7): #MF when CR0.NE=1.
 * With NE=0 the processor asserts FERR# and the chipset raises IRQ 13 (the
 * PC/AT scheme), a pin the monitor cannot model: reported.
 */
static int x87_pending(struct emu *e)
{
	ALIGNED_BUF(fsw, 2);

	TRY(fpu_op(e, INTERP_FPU_FNSTSW, fsw));
	if (!(fsw[0] & FSW_ES))
		return 0;
	if (e->c->s.cr0 & X86_CR0_NE)
		return emu_fault(e, X86_MF, 0);
	return emu_unsupported(e, "pending x87 exception with CR0.NE=0 (FERR#, IRQ 13) "
			       "not modelled");
}

/* D8-DF: the x87 escapes.  Only the control instructions that keep no
 * instruction pointer run; the rest need an FPU of our own. */
int emu_op_x87(struct emu *e)
{
	ALIGNED_BUF(buf, 2);
	unsigned esc = e->opc & 7;
	uint32_t v;

	TRY(x87_available(e));
	/* Control instructions leave the FPU's last-instruction pointers alone
	 * (SDM Vol. 1 8.1.8), so running them natively in the monitor leaves no
	 * trace of the monitor in the guest's state.  FSTENV/FSAVE store a
	 * mode-dependent format (the real-mode layout differs) and are not. */
	if (e->mod == 3) {
		if (esc == 3 && e->modrm == 0xe3)               /* DB E3 FNINIT */
			return fpu_op(e, INTERP_FPU_FNINIT, buf);
		if (esc == 3 && e->modrm == 0xe2)               /* DB E2 FNCLEX */
			return fpu_op(e, INTERP_FPU_FNCLEX, buf);
		if (esc == 7 && e->modrm == 0xe0) {             /* DF E0 FNSTSW AX */
			TRY(fpu_op(e, INTERP_FPU_FNSTSW, buf));
			emu_reg_write(e, RMT_EAX, 2, buf[0] | (uint32_t)buf[1] << 8);
			return 0;
		}
	} else if (esc == 1 && e->reg == 5) {                   /* D9 /5 FLDCW m16 */
		TRY(x87_pending(e));
		TRY(emu_mem_read(e, e->dst.seg, e->dst.off, 2, &v));
		buf[0] = (uint8_t)v;
		buf[1] = (uint8_t)(v >> 8);
		return fpu_op(e, INTERP_FPU_FLDCW, buf);
	} else if ((esc == 1 || esc == 5) && e->reg == 7) {    /* D9 /7 FNSTCW, DD /7 FNSTSW m16 */
		TRY(emu_mem_check_write(e, e->dst.seg, e->dst.off, 2));
		TRY(fpu_op(e, esc == 1 ? INTERP_FPU_FNSTCW : INTERP_FPU_FNSTSW, buf));
		return emu_mem_write(e, e->dst.seg, e->dst.off, 2, buf[0] | (uint32_t)buf[1] << 8);
	}
	return emu_unsupported(e, "x87 instruction %02x %02x not interpreted", e->opc, e->modrm);
}

/* 9B: WAIT/FWAIT — #NM only with both CR0.MP and CR0.TS (SDM Vol. 3A Table
 * 2-2), then a pending exception; otherwise nothing to wait for. */
int emu_op_wait(struct emu *e)
{
	if ((e->c->s.cr0 & (X86_CR0_MP | X86_CR0_TS)) == (X86_CR0_MP | X86_CR0_TS))
		return emu_fault(e, X86_NM, 0);
	return x87_pending(e);
}

/*
 * The 512-byte operand of FXSAVE/FXRSTOR (SDM Vol. 2A FXSAVE, exceptions):
 * #GP(0) if its linear address is not 16-byte aligned, in every mode
 * ("regardless of segment", real mode included), checked before the segment
 * limit as Bochs does ("#GP on misaligned access is higher priority than other
 * segment related faults"); then limit and type as one 512-byte access
 * (#GP(0), or #SS(0) for SS); paging comes with the access itself.
 */
static int fx_operand(struct emu *e, unsigned acc, uint32_t *lin)
{
	if ((e->c->s.seg[e->dst.seg].base + e->dst.off) & 15)
		return fault_gp0(e);
	return emu_seg_linear(e, e->dst.seg, e->dst.off, FX_SIZE, acc, lin);
}

/* The MXCSR bits this processor accepts: MXCSR_MASK from an FXSAVE image. */
static int mxcsr_mask(struct emu *e, uint32_t *mask)
{
	ALIGNED_BUF(img, FX_SIZE);

	memset(img, 0, FX_SIZE);
	TRY(fpu_op(e, INTERP_FPU_FXSAVE, img));
	*mask = le32(img + FX_MXCSR_MASK);
	if (!*mask)
		*mask = MXCSR_DEFAULT_MASK;
	return 0;
}

/* 0F AE /0 FXSAVE m512. */
static int fxsave(struct emu *e)
{
	ALIGNED_BUF(img, FX_SIZE);
	uint32_t lin;

	TRY(x87_available(e));
	TRY(fx_operand(e, ACC_WRITE, &lin));
	/* The processor leaves some bytes alone (464-511, XMM8-15 outside 64-bit
	 * mode, and — implementation-dependent — MXCSR and XMM with CR4.OSFXSR=0),
	 * so the native FXSAVE stores over what the destination holds.  Reading
	 * it translates every page for writing: all #PF happen here. */
	TRY(emu_lin_read(e, lin, img, FX_SIZE, ACC_WRITE));
	TRY(fpu_op(e, INTERP_FPU_FXSAVE, img));
	return emu_lin_write(e, lin, img, FX_SIZE, ACC_WRITE);
}

/* 0F AE /1 FXRSTOR m512: a reserved MXCSR bit set in the image is #GP(0),
 * whatever CR4.OSFXSR (SDM Vol. 2A FXRSTOR; Bochs checks it unconditionally
 * too), before any state changes. */
static int fxrstor(struct emu *e)
{
	ALIGNED_BUF(img, FX_SIZE);
	uint32_t lin, mask;

	TRY(x87_available(e));
	TRY(fx_operand(e, ACC_READ, &lin));
	TRY(emu_lin_read(e, lin, img, FX_SIZE, ACC_READ));
	TRY(mxcsr_mask(e, &mask));
	if (le32(img + FX_MXCSR) & ~mask)
		return fault_gp0(e);
	return fpu_op(e, INTERP_FPU_FXRSTOR, img);
}

/*
 * 0F AE /2 LDMXCSR m32, /3 STMXCSR m32: SSE instructions, so #UD with CR0.EM
 * or without CR4.OSFXSR, then #NM with CR0.TS (Bochs' order).  MXCSR is
 * reached through an FXSAVE image; FXRSTOR of an image FXSAVE just stored
 * changes nothing else (the pair is how every OS switches FPU contexts).
 */
static int ldst_mxcsr(struct emu *e)
{
	ALIGNED_BUF(img, FX_SIZE);
	uint32_t v, mask;

	if ((e->c->s.cr0 & X86_CR0_EM) || !(e->c->s.cr4 & X86_CR4_OSFXSR))
		return emu_fault(e, X86_UD, 0);
	if (e->c->s.cr0 & X86_CR0_TS)
		return emu_fault(e, X86_NM, 0);
	if (e->reg == 3) {                                      /* STMXCSR */
		TRY(emu_mem_check_write(e, e->dst.seg, e->dst.off, 4));
		memset(img, 0, FX_SIZE);
		TRY(fpu_op(e, INTERP_FPU_FXSAVE, img));
		return emu_mem_write(e, e->dst.seg, e->dst.off, 4, le32(img + FX_MXCSR));
	}
	TRY(emu_mem_read(e, e->dst.seg, e->dst.off, 4, &v));   /* LDMXCSR */
	memset(img, 0, FX_SIZE);
	TRY(fpu_op(e, INTERP_FPU_FXSAVE, img));
	mask = le32(img + FX_MXCSR_MASK);
	if (v & ~(mask ? mask : MXCSR_DEFAULT_MASK))
		return fault_gp0(e);
	img[FX_MXCSR] = (uint8_t)v;
	img[FX_MXCSR + 1] = (uint8_t)(v >> 8);
	img[FX_MXCSR + 2] = (uint8_t)(v >> 16);
	img[FX_MXCSR + 3] = (uint8_t)(v >> 24);
	return fpu_op(e, INTERP_FPU_FXRSTOR, img);
}

/* Was the instruction given a 66 prefix?  (It flips the default operand size.) */
static int has_opsize_prefix(const struct emu *e)
{
	return (e->opsz == 4) != !!(e->c->s.seg[RMT_CS].ar & RMT_AR_DB);
}

/* 0F AE: group 15 (SDM Vol. 2D Table A-6). */
int emu_op_grp15(struct emu *e)
{
	e->wb = 0;
	/* With 66/F2/F3 these are other instructions (CLWB, CLFLUSHOPT, PTWRITE,
	 * TPAUSE, UMWAIT, the 64-bit FS/GS base forms, ...). */
	if (e->rep || has_opsize_prefix(e))
		return emu_unsupported(e, "0f ae %02x with a 66/f2/f3 prefix not interpreted",
				       e->modrm);
	if (e->mod == 3) {
		if (e->reg < 5)
			return emu_fault(e, X86_UD, 0);
		/* LFENCE, MFENCE, SFENCE.  The interpreter performs an instruction's
		 * accesses in order and commits them before the next one; a full
		 * fence over the monitor's own accesses then gives other
		 * processors at least the ordering each of these promises. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return 0;
	}
	switch (e->reg) {
	case 0:
		return fxsave(e);
	case 1:
		return fxrstor(e);
	case 2:
	case 3:
		return ldst_mxcsr(e);
	case 4:
	case 5:
	case 6:
		/* XSAVE, XRSTOR, XSAVEOPT: #UD unless CR4.OSXSAVE (SDM Vol. 2D XSAVE). */
		if (!(e->c->s.cr4 & X86_CR4_OSXSAVE))
			return emu_fault(e, X86_UD, 0);
		return emu_unsupported(e, "XSAVE/XRSTOR/XSAVEOPT not interpreted");
	default:
		return emu_unsupported(e, "CLFLUSH not interpreted");
	}
}

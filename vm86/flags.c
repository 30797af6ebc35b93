/*
 * Arithmetic flags (SDM Vol. 1 3.4.3.1, Appendix A "EFLAGS Cross-Reference")
 * and condition codes (SDM Vol. 1 Appendix B).  Flags are computed eagerly:
 * the interpreter runs one instruction at a time, so lazy evaluation would
 * buy nothing.
 */
#include "vm86/interp_priv.h"


/*
 * The eight group-1 operations, numbered as in the opcode map and ModRM.reg
 * of 80-83: ADD OR ADC SBB AND SUB XOR CMP.  Sets all six arithmetic flags;
 * for the logical ones CF=OF=0 and AF, which the SDM leaves undefined, is 0
 * (what current processors produce).
 *
 * The operation runs on the processor the interpreter runs on — always an
 * x86, in the blob and hosted — and its flags are taken from there, as Xen's
 * x86_emulate and KVM's emulator ("fastop") do: exact by construction, and a
 * few instructions where computing six flags in C takes dozens.  CF goes in
 * for ADC and SBB (BT copies bit 0 of the guest's CF into the host's).
 * Nothing else of the host's EFLAGS is read or written: PUSHF only stores
 * them.  make diff-unicorn checks every form against an independent CPU.
 */
/* PUSHF must not land in the x86-64 red zone, where a leaf function may
 * keep locals (the hosted builds have one; the blob is 32-bit, the host
 * builds without): step over it first.  LEA leaves the flags alone. */
#ifdef __x86_64__
#define ALU_SAVE_FLAGS "lea -128(%%rsp), %%rsp\n\tpushf\n\tpop %[f]\n\tlea 128(%%rsp), %%rsp"
#else
#define ALU_SAVE_FLAGS "pushf\n\tpop %[f]"
#endif
#define ALU_ASM(insn, A, B, CF, FL, acons, bcons)                                   \
	__asm__("bt $0, %k[c]\n\t" insn " %[b], %[a]\n\t" ALU_SAVE_FLAGS             \
		: [a] acons(A), [f] "=r"(FL) : [b] bcons(B), [c] "r"(CF) : "cc")

#define ALU_SIZED(insn, A, B, CF, FL, size)                                         \
	do {                                                                         \
		if ((size) == 1) {                                                    \
			uint8_t a8_ = (uint8_t)(A), b8_ = (uint8_t)(B);               \
			ALU_ASM(insn "b", a8_, b8_, CF, FL, "+q", "q");               \
			(A) = a8_;                                                    \
		} else if ((size) == 2) {                                             \
			uint16_t a16_ = (uint16_t)(A), b16_ = (uint16_t)(B);          \
			ALU_ASM(insn "w", a16_, b16_, CF, FL, "+r", "r");             \
			(A) = a16_;                                                   \
		} else {                                                              \
			ALU_ASM(insn "l", A, B, CF, FL, "+r", "r");                   \
		}                                                                     \
	} while (0)

uint32_t emu_alu_op(struct emu *e, unsigned op, uint32_t a, uint32_t b, unsigned size)
{
	uint32_t cf = e->c->s.eflags & X86_FL_CF;
	unsigned long fl;

	switch (op) {
	case 0: ALU_SIZED("add", a, b, cf, fl, size); break;
	case 1: ALU_SIZED("or", a, b, cf, fl, size); fl &= ~(unsigned long)X86_FL_AF; break;
	case 2: ALU_SIZED("adc", a, b, cf, fl, size); break;
	case 3: ALU_SIZED("sbb", a, b, cf, fl, size); break;
	case 4: ALU_SIZED("and", a, b, cf, fl, size); fl &= ~(unsigned long)X86_FL_AF; break;
	case 5: ALU_SIZED("sub", a, b, cf, fl, size); break;
	case 6: ALU_SIZED("xor", a, b, cf, fl, size); fl &= ~(unsigned long)X86_FL_AF; break;
	default: ALU_SIZED("cmp", a, b, cf, fl, size); break;   /* a unchanged */
	}
	e->c->s.eflags = (e->c->s.eflags & ~FL_ARITH) | ((uint32_t)fl & FL_ARITH);
	return a & size_mask(size);
}

/* Condition codes 0-15 as in Jcc/SETcc/CMOVcc (the low opcode nibble). */
int emu_cond_true(const struct emu *e, unsigned cc)
{
	uint32_t f = e->c->s.eflags;
	int r;

	switch (cc >> 1) {
	case 0: r = !!(f & X86_FL_OF); break;                          /* O */
	case 1: r = !!(f & X86_FL_CF); break;                          /* B */
	case 2: r = !!(f & X86_FL_ZF); break;                          /* Z */
	case 3: r = !!(f & (X86_FL_CF | X86_FL_ZF)); break;            /* BE */
	case 4: r = !!(f & X86_FL_SF); break;                          /* S */
	case 5: r = !!(f & X86_FL_PF); break;                          /* P */
	case 6: r = !(f & X86_FL_SF) != !(f & X86_FL_OF); break;       /* L */
	default: r = (f & X86_FL_ZF) || (!(f & X86_FL_SF) != !(f & X86_FL_OF)); break; /* LE */
	}
	return (cc & 1) ? !r : r;
}

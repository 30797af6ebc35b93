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
 */
uint32_t emu_alu_op(struct emu *e, unsigned op, uint32_t a, uint32_t b, unsigned size)
{
	uint32_t m = size_mask(size), sb = sign_bit(size), cf_in, res, f;
	uint64_t wide;

	a &= m;
	b &= m;
	cf_in = e->c->s.eflags & X86_FL_CF;
	switch (op) {
	case 0: /* ADD */
	case 2: /* ADC */
		wide = (uint64_t)a + b + (op == 2 ? cf_in : 0);
		res = (uint32_t)wide & m;
		f = emu_flags_szp(res, size);
		if (wide > m)
			f |= X86_FL_CF;
		if ((a ^ res) & (b ^ res) & sb)
			f |= X86_FL_OF;
		f |= (a ^ b ^ res) & X86_FL_AF;
		break;
	case 3: /* SBB */
	case 5: /* SUB */
	case 7: /* CMP */
		wide = (uint64_t)a - b - (op == 3 ? cf_in : 0);
		res = (uint32_t)wide & m;
		f = emu_flags_szp(res, size);
		if (wide >> 63)
			f |= X86_FL_CF;                 /* borrow */
		if ((a ^ b) & (a ^ res) & sb)
			f |= X86_FL_OF;
		f |= (a ^ b ^ res) & X86_FL_AF;
		break;
	case 1: res = a | b; f = emu_flags_szp(res, size); break;
	case 4: res = a & b; f = emu_flags_szp(res, size); break;
	default: res = a ^ b; f = emu_flags_szp(res, size); break;
	}
	emu_set_flags(e, FL_ARITH, f);
	return res;
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

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
 * CF, AF and OF come from the carry vector: bit i of it is the carry (for
 * subtraction, the borrow) out of bit i.  Given the operands and the sum,
 * the carry out of each bit is the majority of a_i, b_i and the carry in,
 * and the carry in is a_i ^ b_i ^ res_i — hence the two formulas below,
 * which hold for ADC/SBB's incoming CF as well.  Then CF is the carry out of
 * the top bit, AF the carry out of bit 3, and OF the carry into the top bit
 * differing from the carry out of it (as Bochs' lazy flags compute them).
 */
uint32_t emu_alu_op(struct emu *e, unsigned op, uint32_t a, uint32_t b, unsigned size)
{
	uint32_t m = size_mask(size), top = size * 8 - 1, res, cv, f;

	a &= m;
	b &= m;
	switch (op) {
	case 0: /* ADD */
	case 2: /* ADC */
		res = a + b + (op == 2 ? (e->c->s.eflags & X86_FL_CF) : 0);
		cv = (a & b) | ((a | b) & ~res);
		break;
	case 3: /* SBB */
	case 5: /* SUB */
	case 7: /* CMP */
		res = a - b - (op == 3 ? (e->c->s.eflags & X86_FL_CF) : 0);
		cv = (~a & b) | (~(a ^ b) & res);
		break;
	case 1: res = a | b; cv = 0; break;
	case 4: res = a & b; cv = 0; break;
	default: res = a ^ b; cv = 0; break;
	}
	res &= m;
	f = emu_flags_szp(res, size) | ((cv >> top) & 1) |                  /* CF */
	    ((cv << 1) & X86_FL_AF) |                                       /* AF: bit 3 -> 4 */
	    ((((cv >> top) ^ (cv >> (top - 1))) & 1) << 11);                /* OF */
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

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
/* PF for every byte value: set when the number of 1 bits is even. */
#define P2(n) n, n ^ 1, n ^ 1, n
#define P4(n) P2(n), P2(n ^ 1), P2(n ^ 1), P2(n)
#define P6(n) P4(n), P4(n ^ 1), P4(n ^ 1), P4(n)
static const uint8_t parity_odd[256] = { P6(0), P6(1), P6(1), P6(0) };

/*
 * One operation at a width known when inlined (bits = 8, 16 or 32), so that
 * every mask and shift below is a constant.
 */
static inline __attribute__((always_inline)) uint32_t alu_op_bits(struct emu *e, unsigned op,
								   uint32_t a, uint32_t b,
								   const unsigned bits)
{
	const uint32_t m = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
	uint32_t res, cv = 0, f;

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
	case 1: res = a | b; break;
	case 4: res = a & b; break;
	default: res = a ^ b; break;
	}
	res &= m;
	f = (res ? 0 : X86_FL_ZF) |
	    ((res >> (bits - 8)) & X86_FL_SF) |                         /* bit 7 of the top byte */
	    (parity_odd[res & 0xff] ? 0 : X86_FL_PF) |
	    ((cv >> (bits - 1)) & 1) |                                  /* CF */
	    ((cv << 1) & X86_FL_AF) |                                   /* AF: bit 3 -> 4 */
	    ((((cv >> (bits - 1)) ^ (cv >> (bits - 2))) & 1) << 11);    /* OF */
	e->c->s.eflags = (e->c->s.eflags & ~FL_ARITH) | f;
	return res;
}

uint32_t emu_alu_op(struct emu *e, unsigned op, uint32_t a, uint32_t b, unsigned size)
{
	if (size == 1)
		return alu_op_bits(e, op, a, b, 8);
	if (size == 2)
		return alu_op_bits(e, op, a, b, 16);
	return alu_op_bits(e, op, a, b, 32);
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

/*
 * Integer arithmetic: the group-1 ALU operations, INC/DEC, group 3
 * (TEST/NOT/NEG/MUL/IMUL/DIV/IDIV), the IMUL forms, sign extensions, the
 * flag instructions and the BCD adjustments.
 *
 * The blob links without libgcc, so nothing here may divide 64-bit values
 * with C's / or %: udiv64() does DIV's 64/32 division by shift-and-subtract.
 */
#include "vm86/interp_priv.h"

/* 00-3D: ADD OR ADC SBB AND SUB XOR CMP, the operation in opcode bits 5:3. */
int emu_op_alu(struct emu *e)
{
	unsigned op = (e->opc >> 3) & 7;

	e->dst.val = emu_alu_op(e, op, e->dst.val, e->src.val, e->dst.size);
	if (op == 7)
		e->wb = 0;
	return 0;
}

/* 80-83: the same operations on r/m with an immediate, the operation in ModRM.reg. */
int emu_op_grp1(struct emu *e)
{
	e->dst.val = emu_alu_op(e, e->reg, e->dst.val, e->src.val, e->dst.size);
	if (e->reg == 7)
		e->wb = 0;
	return 0;
}

/* INC/DEC (40-4F, FE /0 /1, FF /0 /1): like ADD/SUB 1, but CF is left alone. */
static int inc_dec(struct emu *e, int dec)
{
	uint32_t cf = e->c->s.eflags & X86_FL_CF;

	e->dst.val = emu_alu_op(e, dec ? 5 : 0, e->dst.val, 1, e->dst.size);
	emu_set_flags(e, X86_FL_CF, cf);
	return 0;
}

int emu_op_inc_dec(struct emu *e)
{
	if (e->opc == 0xfe || e->opc == 0xff) {
		if (e->reg > 1)
			return emu_fault(e, X86_UD, 0);
		return inc_dec(e, e->reg);
	}
	return inc_dec(e, e->opc >= 0x48);
}

/* 84/85, A8/A9: AND without writing the result. */
int emu_op_test(struct emu *e)
{
	emu_alu_op(e, 4, e->dst.val, e->src.val, e->dst.size);
	e->wb = 0;
	return 0;
}

/*
 * 64/32 unsigned division by shift-and-subtract.  Returns nonzero when the
 * quotient does not fit in 32 bits (DIV's #DE condition, which also covers
 * d == 0).
 */
static int udiv64(uint64_t n, uint32_t d, uint32_t *q, uint32_t *r)
{
	uint64_t rem = 0, quo = 0;
	int i;

	if (!d || (uint32_t)(n >> 32) >= d)
		return -1;
	for (i = 63; i >= 0; i--) {
		rem = (rem << 1) | ((n >> i) & 1);
		quo <<= 1;
		if (rem >= d) {
			rem -= d;
			quo |= 1;
		}
	}
	*q = (uint32_t)quo;
	*r = (uint32_t)rem;
	return 0;
}

/* Dividend of DIV/IDIV: AX, DX:AX or EDX:EAX. */
static uint64_t dividend(const struct emu *e, unsigned size)
{
	const uint32_t *g = e->c->s.gpr;

	if (size == 1)
		return g[RMT_EAX] & 0xffff;
	if (size == 2)
		return (g[RMT_EDX] & 0xffff) << 16 | (g[RMT_EAX] & 0xffff);
	return (uint64_t)g[RMT_EDX] << 32 | g[RMT_EAX];
}

/* Store a quotient/remainder or a double-width product into the accumulator pair. */
static void store_pair(struct emu *e, unsigned size, uint32_t lo, uint32_t hi)
{
	if (size == 1) {
		emu_reg_write(e, RMT_EAX, 2, (lo & 0xff) | (hi & 0xff) << 8);
	} else {
		emu_reg_write(e, RMT_EAX, size, lo);
		emu_reg_write(e, RMT_EDX, size, hi);
	}
}

/*
 * DIV/IDIV: #DE on a zero divisor or a quotient that does not fit (SDM Vol.
 * 2A DIV, IDIV).  IDIV divides magnitudes and fixes the signs: the quotient
 * truncates towards zero, the remainder takes the dividend's sign.  The flags
 * are undefined; we leave them unchanged.
 */
static int do_div(struct emu *e, unsigned size, uint32_t src, int is_signed)
{
	uint64_t n = dividend(e, size);
	uint32_t d = src & size_mask(size), q, r, bits = size * 8;
	int nneg = 0, dneg = 0;

	if (is_signed) {
		/* sign-extend the 2*size-bit dividend to 64 bits */
		if (bits * 2 < 64 && (n >> (bits * 2 - 1)) & 1)
			n |= ~0ull << (bits * 2);
		nneg = (int)(n >> 63);
		if (nneg)
			n = -n;
		dneg = !!(d & sign_bit(size));
		if (dneg)
			d = -sext(d, size);     /* magnitude; 0x80.. stays 0x80.. */
	}
	if (udiv64(n, d, &q, &r))
		return emu_fault(e, X86_DE, 0);
	if (!is_signed) {
		if (q > size_mask(size))
			return emu_fault(e, X86_DE, 0);
	} else {
		/* |q| must fit: up to 2^(bits-1) when negative, 2^(bits-1)-1 otherwise */
		uint32_t lim = sign_bit(size);
		if (nneg != dneg ? q > lim : q >= lim)
			return emu_fault(e, X86_DE, 0);
		if (nneg != dneg)
			q = -q;
		if (nneg)
			r = -r;
	}
	store_pair(e, size, q, r);
	return 0;
}

/*
 * MUL/IMUL with one operand: accumulator times r/m into the accumulator pair.
 * CF=OF=1 when the high half is significant; SF/ZF/PF/AF are undefined and
 * we set them from the low half (AF=0).
 */
static void do_mul(struct emu *e, unsigned size, uint32_t src, int is_signed)
{
	uint32_t a = emu_reg_read(e, RMT_EAX, size), m = size_mask(size), lo, hi;
	int big;

	if (is_signed) {
		int64_t p = (int64_t)(int32_t)sext(a, size) * (int32_t)sext(src & m, size);
		lo = (uint32_t)p & m;
		hi = (uint32_t)((uint64_t)p >> (size * 8)) & m;
		big = (int64_t)(int32_t)sext(lo, size) != p;
	} else {
		uint64_t p = (uint64_t)a * (src & m);
		lo = (uint32_t)p & m;
		hi = (uint32_t)(p >> (size * 8)) & m;
		big = hi != 0;
	}
	store_pair(e, size, lo, hi);
	emu_set_flags(e, FL_ARITH, emu_flags_szp(lo, size) | (big ? X86_FL_CF | X86_FL_OF : 0));
}

/* F6/F7: group 3. */
int emu_op_grp3(struct emu *e)
{
	unsigned size = e->dst.size;
	uint32_t imm;

	switch (e->reg) {
	case 0: case 1:         /* TEST r/m, imm (reg 1 is an undocumented alias) */
		TRY(emu_fetch(e, size, &imm));
		emu_alu_op(e, 4, e->dst.val, imm, size);
		e->wb = 0;
		return 0;
	case 2:                 /* NOT: no flags */
		e->dst.val = ~e->dst.val;
		return 0;
	case 3:                 /* NEG: 0 - x, CF = (x != 0) */
		e->dst.val = emu_alu_op(e, 5, 0, e->dst.val, size);
		return 0;
	case 4: case 5:
		do_mul(e, size, e->dst.val, e->reg == 5);
		e->wb = 0;
		return 0;
	default:
		e->wb = 0;
		return do_div(e, size, e->dst.val, e->reg == 7);
	}
}

/* IMUL into a register, truncated: CF=OF=1 when the full product does not fit. */
static void imul_trunc(struct emu *e, uint32_t a, uint32_t b)
{
	unsigned size = e->dst.size;
	int64_t p = (int64_t)(int32_t)sext(a & size_mask(size), size) *
		    (int32_t)sext(b & size_mask(size), size);
	uint32_t lo = (uint32_t)p & size_mask(size);
	int big = (int64_t)(int32_t)sext(lo, size) != p;

	e->dst.val = lo;
	emu_set_flags(e, FL_ARITH, emu_flags_szp(lo, size) | (big ? X86_FL_CF | X86_FL_OF : 0));
}

/* 69 / 6B: IMUL r, r/m, imm16/32 or imm8. */
int emu_op_imul3(struct emu *e)
{
	uint32_t imm;

	if (e->opc == 0x6b) {
		TRY(emu_fetch(e, 1, &imm));
		imm = sext(imm, 1);
	} else {
		TRY(emu_fetch(e, e->opsz, &imm));
	}
	imul_trunc(e, e->src.val, imm);
	return 0;
}

/* 0F AF: IMUL r, r/m. */
int emu_op_imul2(struct emu *e)
{
	imul_trunc(e, e->dst.val, e->src.val);
	return 0;
}

/* 98: CBW / CWDE. */
int emu_op_cbw(struct emu *e)
{
	unsigned half = e->opsz / 2;

	emu_reg_write(e, RMT_EAX, e->opsz, sext(emu_reg_read(e, RMT_EAX, half), half));
	return 0;
}

/* 99: CWD / CDQ. */
int emu_op_cwd(struct emu *e)
{
	uint32_t a = emu_reg_read(e, RMT_EAX, e->opsz);

	emu_reg_write(e, RMT_EDX, e->opsz, (a & sign_bit(e->opsz)) ? 0xffffffffu : 0);
	return 0;
}

/* F5 CMC, F8 CLC, F9 STC, FC CLD, FD STD. */
int emu_op_flagop(struct emu *e)
{
	uint32_t *f = &e->c->s.eflags;

	switch (e->opc) {
	case 0xf5: *f ^= X86_FL_CF; break;
	case 0xf8: *f &= ~X86_FL_CF; break;
	case 0xf9: *f |= X86_FL_CF; break;
	case 0xfc: *f &= ~X86_FL_DF; break;
	default: *f |= X86_FL_DF; break;
	}
	return 0;
}

#define FL_LAHF (X86_FL_SF | X86_FL_ZF | X86_FL_AF | X86_FL_PF | X86_FL_CF)

/* 9F: AH = SF:ZF:0:AF:0:PF:1:CF. */
int emu_op_lahf(struct emu *e)
{
	emu_reg_write(e, 4, 1, (e->c->s.eflags & FL_LAHF) | X86_FL_FIXED);
	return 0;
}

/* 9E: the same five flags from AH. */
int emu_op_sahf(struct emu *e)
{
	emu_set_flags(e, FL_LAHF, emu_reg_read(e, 4, 1));
	return 0;
}

/* D6: SALC, AL = CF ? FF : 00 (undocumented, present on every IA-32 processor). */
int emu_op_salc(struct emu *e)
{
	emu_reg_write(e, RMT_EAX, 1, (e->c->s.eflags & X86_FL_CF) ? 0xff : 0);
	return 0;
}

/*
 * 27 DAA, 2F DAS, 37 AAA, 3F AAS: SDM Vol. 2A pseudo-code, literally.  DAA
 * and DAS set SF/ZF/PF from AL (OF undefined, left 0); AAA and AAS define
 * only AF and CF (the rest undefined, set from AL like DAA).
 */
int emu_op_bcd(struct emu *e)
{
	uint32_t f = e->c->s.eflags, al = emu_reg_read(e, RMT_EAX, 1), ax, old_al = al;
	int cf = !!(f & X86_FL_CF), af = !!(f & X86_FL_AF), low = (al & 0x0f) > 9 || af;
	int old_cf = cf;

	switch (e->opc) {
	case 0x27:      /* DAA */
		cf = 0;
		if (low) {
			cf = old_cf || al + 6 > 0xff;
			al = (al + 6) & 0xff;
			af = 1;
		} else {
			af = 0;
		}
		if (old_al > 0x99 || old_cf) {
			al = (al + 0x60) & 0xff;
			cf = 1;
		} else {
			cf = 0;
		}
		emu_reg_write(e, RMT_EAX, 1, al);
		break;
	case 0x2f:      /* DAS */
		cf = 0;
		if (low) {
			cf = old_cf || al < 6;
			al = (al - 6) & 0xff;
			af = 1;
		} else {
			af = 0;
		}
		if (old_al > 0x99 || old_cf) {
			al = (al - 0x60) & 0xff;
			cf = 1;
		}
		emu_reg_write(e, RMT_EAX, 1, al);
		break;
	case 0x37:      /* AAA */
	case 0x3f:      /* AAS */
		ax = emu_reg_read(e, RMT_EAX, 2);
		if (low) {
			if (e->opc == 0x37)
				ax += 0x106;
			else
				ax = ((ax - 6) & 0xffff) - 0x100;
			af = cf = 1;
		} else {
			af = cf = 0;
		}
		ax &= 0xff0f;
		emu_reg_write(e, RMT_EAX, 2, ax);
		al = ax & 0xff;
		break;
	}
	emu_set_flags(e, FL_ARITH, emu_flags_szp(al, 1) | (cf ? X86_FL_CF : 0) | (af ? X86_FL_AF : 0));
	return 0;
}

/* D4 ib: AAM, AH = AL / imm, AL = AL mod imm; #DE when imm = 0. */
int emu_op_aam(struct emu *e)
{
	uint32_t al = emu_reg_read(e, RMT_EAX, 1), base = e->src.val & 0xff;

	if (!base)
		return emu_fault(e, X86_DE, 0);
	emu_reg_write(e, RMT_EAX, 2, (al / base) << 8 | (al % base));
	emu_set_flags(e, FL_ARITH, emu_flags_szp(al % base, 1));
	return 0;
}

/* D5 ib: AAD, AL = AL + AH * imm, AH = 0. */
int emu_op_aad(struct emu *e)
{
	uint32_t ax = emu_reg_read(e, RMT_EAX, 2);
	uint32_t al = ((ax & 0xff) + (ax >> 8) * (e->src.val & 0xff)) & 0xff;

	emu_reg_write(e, RMT_EAX, 2, al);
	emu_set_flags(e, FL_ARITH, emu_flags_szp(al, 1));
	return 0;
}

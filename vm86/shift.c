/*
 * Shifts, rotates and bit instructions: group 2, SHLD/SHRD, BT/BTS/BTR/BTC,
 * BSF/BSR, BSWAP, SETcc, CMOVcc, CMPXCHG, CMPXCHG8B, XADD.
 *
 * Undefined flags: where the SDM says "undefined" we leave a deterministic
 * value (documented per instruction); the differential test masks exactly
 * those bits, so nothing here depends on a particular processor's choice.
 */
#include "vm86/interp_priv.h"

#define FL_SZP (X86_FL_SF | X86_FL_ZF | X86_FL_PF)
#define FL_CO  (X86_FL_CF | X86_FL_OF)

static uint32_t msb(uint32_t v, unsigned size)
{
	return (v >> (size * 8 - 1)) & 1;
}

/*
 * C0/C1 (imm8), D0/D1 (1), D2/D3 (CL): ROL ROR RCL RCR SHL SHR SAL SAR.
 * The count is masked to 5 bits (SDM Vol. 2B "SAL/SAR/SHL/SHR", "RCL/RCR/
 * ROL/ROR"); a masked count of 0 changes nothing, flags included.  RCL/RCR
 * rotate size+1 bits (CF included), so 8- and 16-bit counts reduce mod 9 and
 * 17.  OF is defined only for a count of 1; we compute the count-1 formula
 * for every count.  AF after a shift is undefined: 0.
 */
int emu_op_grp2(struct emu *e)
{
	unsigned size = e->dst.size, bits = size * 8, count, cnt;
	uint32_t v = e->dst.val & size_mask(size), m = size_mask(size), res, cf, of;
	uint32_t cf_in = e->c->s.eflags & X86_FL_CF;
	uint64_t x;

	switch (e->flags & SrcMask) {
	case SrcOne:   count = 1; break;
	case SrcImmU8: count = e->src.val; break;
	default:       count = emu_reg_read(e, RMT_ECX, 1); break;
	}
	count &= 0x1f;
	if (!count) {
		e->wb = 0;
		return 0;
	}
	switch (e->reg) {
	case 0: /* ROL */
		cnt = count % bits;
		res = cnt ? ((v << cnt) | (v >> (bits - cnt))) & m : v;
		cf = res & 1;
		of = msb(res, size) ^ cf;
		emu_set_flags(e, FL_CO, (cf ? X86_FL_CF : 0) | (of ? X86_FL_OF : 0));
		break;
	case 1: /* ROR */
		cnt = count % bits;
		res = cnt ? ((v >> cnt) | (v << (bits - cnt))) & m : v;
		cf = msb(res, size);
		of = cf ^ ((res >> (bits - 2)) & 1);
		emu_set_flags(e, FL_CO, (cf ? X86_FL_CF : 0) | (of ? X86_FL_OF : 0));
		break;
	case 2: /* RCL */
	case 3: /* RCR */
		cnt = size == 4 ? count : count % (bits + 1);
		x = (uint64_t)v | (uint64_t)(cf_in ? 1 : 0) << bits;
		if (e->reg == 2) {
			x = ((x << cnt) | (x >> (bits + 1 - cnt))) & ((2ull << bits) - 1);
			res = (uint32_t)x & m;
			cf = (uint32_t)(x >> bits) & 1;
			of = msb(res, size) ^ cf;
		} else {
			of = msb(v, size) ^ !!cf_in;    /* computed before the rotation */
			x = ((x >> cnt) | (x << (bits + 1 - cnt))) & ((2ull << bits) - 1);
			res = (uint32_t)x & m;
			cf = (uint32_t)(x >> bits) & 1;
		}
		emu_set_flags(e, FL_CO, (cf ? X86_FL_CF : 0) | (of ? X86_FL_OF : 0));
		break;
	case 4: /* SHL */
	case 6: /* SAL */
		x = (uint64_t)v << count;
		res = (uint32_t)x & m;
		cf = (uint32_t)(x >> bits) & 1;
		of = msb(res, size) ^ cf;
		emu_set_flags(e, FL_ARITH, emu_flags_szp(res, size) | (cf ? X86_FL_CF : 0) |
			  (of ? X86_FL_OF : 0));
		break;
	case 5: /* SHR */
		res = count >= 32 ? 0 : v >> count;
		cf = (v >> (count - 1)) & 1;
		of = msb(v, size);
		emu_set_flags(e, FL_ARITH, emu_flags_szp(res, size) | (cf ? X86_FL_CF : 0) |
			  (of ? X86_FL_OF : 0));
		break;
	default: /* SAR */
		res = (uint32_t)((int32_t)sext(v, size) >> count) & m;
		cf = (uint32_t)((int32_t)sext(v, size) >> (count - 1)) & 1;
		emu_set_flags(e, FL_ARITH, emu_flags_szp(res, size) | (cf ? X86_FL_CF : 0));
		break;
	}
	e->dst.val = res;
	return 0;
}

/*
 * 0F A4/A5 SHLD, 0F AC/AD SHRD: shift dst, filling from src.  Count masked to
 * 5 bits; 0 changes nothing.  For a 16-bit operand and a count above 16 the
 * result and flags are undefined (SDM Vol. 2B SHLD): we shift the 32-bit
 * concatenation, as the P6 family does.  OF (defined for count 1): the sign
 * changed.  AF undefined: 0.
 */
int emu_op_shld_shrd(struct emu *e)
{
	unsigned size = e->dst.size, bits = size * 8, count;
	uint32_t m = size_mask(size), d = e->dst.val & m, s = e->src.val & m, res, cf, imm;
	uint64_t x;
	int left = e->opc < 0xa8;

	if (e->opc == 0xa4 || e->opc == 0xac) {
		TRY(emu_fetch(e, 1, &imm));
		count = imm & 0x1f;
	} else {
		count = emu_reg_read(e, RMT_ECX, 1) & 0x1f;
	}
	if (!count) {
		e->wb = 0;
		return 0;
	}
	if (left) {
		/* bits 63:32 of (d:s) << count; CF is the last bit shifted out of d */
		x = ((uint64_t)d << bits | s) << count;
		res = (uint32_t)(x >> bits) & m;
		cf = count <= bits ? (d >> (bits - count)) & 1 : (s >> (2 * bits - count)) & 1;
	} else {
		x = (uint64_t)s << bits | d;
		res = (uint32_t)(x >> count) & m;
		cf = (uint32_t)(x >> (count - 1)) & 1;
	}
	emu_set_flags(e, FL_ARITH, emu_flags_szp(res, size) | (cf ? X86_FL_CF : 0) |
		  ((msb(res, size) ^ msb(d, size)) ? X86_FL_OF : 0));
	e->dst.val = res;
	return 0;
}

/*
 * BT/BTS/BTR/BTC with a register bit offset may address memory outside the
 * operand: the offset is signed and selects the operand-sized word at
 * EA + (offset >> log2(bits)) * size (SDM Vol. 2A "BT", table 3-2).  With an
 * immediate offset, or a register destination, the offset is taken modulo
 * the operand size.  Only CF is defined; the other flags are left unchanged.
 */
static int bit_op(struct emu *e, unsigned op, uint32_t offset, int reg_offset)
{
	unsigned size = e->dst.size, bits = size * 8;
	uint32_t bit, v, mask;

	if (e->dst.type == OP_MEM && reg_offset) {
		int32_t so = (int32_t)sext(offset & size_mask(size), size);
		e->dst.off += (uint32_t)((so >> (size == 4 ? 5 : 4)) * (int32_t)size);
		if (e->adsz == 2)
			e->dst.off &= 0xffff;
	}
	bit = offset & (bits - 1);
	if (op != 0 && e->dst.type == OP_MEM)
		TRY(emu_mem_check_write(e, e->dst.seg, e->dst.off, size));
	TRY(emu_op_read(e, &e->dst));
	v = e->dst.val;
	mask = 1u << bit;
	emu_set_flags(e, X86_FL_CF, (v & mask) ? X86_FL_CF : 0);
	switch (op) {
	case 0: e->wb = 0; return 0;            /* BT */
	case 1: v |= mask; break;               /* BTS */
	case 2: v &= ~mask; break;              /* BTR */
	default: v ^= mask; break;              /* BTC */
	}
	e->dst.val = v;
	return 0;
}

/* 0F A3 BT, AB BTS, B3 BTR, BB BTC: the operation in opcode bits 4:3. */
int emu_op_bt(struct emu *e)
{
	TRY(emu_op_read(e, &e->src));
	return bit_op(e, (e->opc >> 3) & 3, e->src.val, 1);
}

/* 0F BA: group 8, BT/BTS/BTR/BTC r/m, imm8 (ModRM.reg 4-7; 0-3 are #UD). */
int emu_op_grp8(struct emu *e)
{
	if (e->reg < 4)
		return emu_fault(e, X86_UD, 0);
	return bit_op(e, e->reg - 4, e->src.val, 0);
}

/*
 * 0F BC BSF, 0F BD BSR.  A zero source sets ZF and leaves the destination
 * alone (what every Intel and AMD processor does; the SDM says "undefined").
 * CF, OF, SF, AF, PF are undefined: left unchanged.
 */
int emu_op_bsf_bsr(struct emu *e)
{
	uint32_t v = e->src.val & size_mask(e->src.size);
	unsigned i;

	if (!v) {
		emu_set_flags(e, X86_FL_ZF, X86_FL_ZF);
		e->wb = 0;
		return 0;
	}
	if (e->opc == 0xbc)
		for (i = 0; !(v & (1u << i)); i++)
			;
	else
		for (i = 31; !(v & (1u << i)); i--)
			;
	emu_set_flags(e, X86_FL_ZF, 0);
	e->dst.val = i;
	return 0;
}

/*
 * 0F C8+r BSWAP.  With a 16-bit operand the result is undefined (SDM Vol. 2A
 * BSWAP); processors produce 0 in the low word, and so do we.
 */
int emu_op_bswap(struct emu *e)
{
	uint32_t v = e->c->s.gpr[e->opc & 7];

	if (e->opsz == 2) {
		e->dst.val = 0;
		return 0;
	}
	e->dst.val = v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
	return 0;
}

/* 0F 90-9F: SETcc r/m8 (ModRM.reg is ignored). */
int emu_op_setcc(struct emu *e)
{
	e->dst.val = emu_cond_true(e, e->opc & 15);
	return 0;
}

/*
 * 0F 40-4F: CMOVcc.  The source is read whatever the condition (so a bad
 * memory operand faults even when no move happens; SDM Vol. 2A CMOVcc).
 */
int emu_op_cmovcc(struct emu *e)
{
	if (emu_cond_true(e, e->opc & 15))
		e->dst.val = e->src.val;
	else
		e->wb = 0;
	return 0;
}

/*
 * 0F B0/B1: CMPXCHG r/m, r.  Flags as CMP accumulator, destination.  The
 * destination is written in both cases (with its own value on a mismatch),
 * as the processor's locked read-modify-write does.
 */
int emu_op_cmpxchg(struct emu *e)
{
	unsigned size = e->dst.size;
	uint32_t acc = emu_reg_read(e, RMT_EAX, size);

	emu_alu_op(e, 7, acc, e->dst.val, size);
	if (e->c->s.eflags & X86_FL_ZF)
		e->dst.val = e->src.val;
	else
		emu_reg_write(e, RMT_EAX, size, e->dst.val);
	return 0;
}

/* 0F C0/C1: XADD r/m, r: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP. */
int emu_op_xadd(struct emu *e)
{
	uint32_t sum = emu_alu_op(e, 0, e->dst.val, e->src.val, e->dst.size);

	emu_reg_write(e, e->src.reg, e->src.size, e->dst.val);
	e->dst.val = sum;
	return 0;
}

/* 0F C7 /1: CMPXCHG8B m64; only ZF changes. */
int emu_op_cmpxchg8b(struct emu *e)
{
	uint32_t lo, hi, *g = e->c->s.gpr;
	unsigned seg;
	uint32_t off;

	if (e->reg != 1)
		return emu_fault(e, X86_UD, 0);
	seg = e->dst.seg;
	off = e->dst.off;
	TRY(emu_mem_check_write(e, seg, off, 4));
	TRY(emu_mem_check_write(e, seg, off + 4, 4));
	TRY(emu_mem_read(e, seg, off, 4, &lo));
	TRY(emu_mem_read(e, seg, off + 4, 4, &hi));
	if (lo == g[RMT_EAX] && hi == g[RMT_EDX]) {
		emu_set_flags(e, X86_FL_ZF, X86_FL_ZF);
		lo = g[RMT_EBX];
		hi = g[RMT_ECX];
	} else {
		emu_set_flags(e, X86_FL_ZF, 0);
		g[RMT_EAX] = lo;
		g[RMT_EDX] = hi;
	}
	TRY(emu_mem_write(e, seg, off, 4, lo));
	e->wb = 0;
	return emu_mem_write(e, seg, off + 4, 4, hi);
}

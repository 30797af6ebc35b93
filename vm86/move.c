/*
 * Data movement: MOV in all its forms (segment registers included), LEA,
 * XCHG, MOVZX/MOVSX, LDS/LES/LSS/LFS/LGS, XLAT, BOUND and the NOPs.
 */
#include "vm86/interp_priv.h"

/* 88-8B, B0-BF, C6/C7 (group 11: only /0 is MOV; the rest is #UD). */
int emu_op_mov(struct emu *e)
{
	if ((e->opc == 0xc6 || e->opc == 0xc7) && e->reg != 0)
		return emu_fault(e, X86_UD, 0);
	e->dst.val = e->src.val;
	return 0;
}

/*
 * 8C: MOV r/m, Sreg.  A memory destination is always 16 bits; a 32-bit
 * register receives the selector zero-extended (P6 and later; SDM Vol. 2B
 * MOV).  Sreg 6 and 7 do not exist: #UD.
 */
int emu_op_mov_from_sreg(struct emu *e)
{
	if (e->reg > RMT_GS)
		return emu_fault(e, X86_UD, 0);
	if (e->dst.type == OP_MEM)
		e->dst.size = 2;
	e->dst.val = e->c->s.seg[e->reg].sel;
	return 0;
}

/*
 * 8E: MOV Sreg, r/m16.  CS cannot be loaded this way (#UD).  MOV SS blocks
 * interrupts and debug traps until the next instruction retires (SDM Vol. 3A
 * 6.8.3), so that MOV SS; MOV ESP is atomic; we report it in
 * interruptibility bit 1 (VMCS "blocking by MOV SS").
 */
int emu_op_mov_to_sreg(struct emu *e)
{
	if (e->reg > RMT_GS || e->reg == RMT_CS)
		return emu_fault(e, X86_UD, 0);
	TRY(emu_load_seg(e, e->reg, (uint16_t)e->src.val,
		     e->reg == RMT_SS ? SEG_LOAD_STACK : SEG_LOAD_DATA));
	if (e->reg == RMT_SS)
		e->c->s.interruptibility |= 2;
	return 0;
}

/* A0-A3: MOV between the accumulator and moffs (an address-size offset, no ModRM). */
int emu_op_mov_moffs(struct emu *e)
{
	unsigned size = (e->flags & ByteOp) ? 1 : e->opsz, seg = emu_default_seg(e, RMT_DS);
	uint32_t off, v;

	TRY(emu_fetch(e, e->adsz, &off));
	if (e->opc <= 0xa1) {
		TRY(emu_mem_read(e, seg, off, size, &v));
		e->dst.val = v;
		return 0;
	}
	return emu_mem_write(e, seg, off, size, emu_reg_read(e, RMT_EAX, size));
}

/* 8D: LEA; the address-size offset truncated or zero-extended to the operand size. */
int emu_op_lea(struct emu *e)
{
	e->dst.val = e->src.off;
	return 0;
}

/* 86/87 XCHG r/m, r; 91-97 XCHG eAX, r. */
int emu_op_xchg(struct emu *e)
{
	uint32_t old = e->dst.val;

	if (e->opc >= 0x91) {
		e->dst.val = emu_reg_read(e, RMT_EAX, e->opsz);
		emu_reg_write(e, RMT_EAX, e->opsz, old);
		return 0;
	}
	e->dst.val = e->src.val;
	emu_reg_write(e, e->src.reg, e->src.size, old);
	return 0;
}

/* 0F B6/B7 MOVZX, 0F BE/BF MOVSX. */
int emu_op_movx(struct emu *e)
{
	e->dst.val = e->opc >= 0xbe ? sext(e->src.val, e->src.size) : e->src.val;
	return 0;
}

/*
 * C4 LES, C5 LDS, 0F B2 LSS, 0F B4 LFS, 0F B5 LGS: load a far pointer
 * (offset, then the selector at offset + operand size).  The segment is
 * loaded first; if that faults the register is untouched (a fault undoes
 * the instruction anyway, so the order is invisible).
 */
int emu_op_lxs(struct emu *e)
{
	unsigned seg;
	uint32_t off, sel;

	if (!e->twobyte)
		seg = e->opc == 0xc4 ? RMT_ES : RMT_DS;
	else
		seg = e->opc == 0xb2 ? RMT_SS : e->opc == 0xb4 ? RMT_FS : RMT_GS;
	TRY(emu_mem_check_read(e, e->src.seg, e->src.off, e->opsz + 2u));
	TRY(emu_mem_read(e, e->src.seg, e->src.off, e->opsz, &off));
	TRY(emu_mem_read(e, e->src.seg, e->src.off + e->opsz, 2, &sel));
	TRY(emu_load_seg(e, seg, (uint16_t)sel, seg == RMT_SS ? SEG_LOAD_STACK : SEG_LOAD_DATA));
	e->dst.val = off;
	return 0;
}

/* D7: XLAT, AL = [seg:(E)BX + AL] with the address size. */
int emu_op_xlat(struct emu *e)
{
	uint32_t off = (e->c->s.gpr[RMT_EBX] + emu_reg_read(e, RMT_EAX, 1)) & size_mask(e->adsz), v;

	TRY(emu_mem_read(e, emu_default_seg(e, RMT_DS), off, 1, &v));
	emu_reg_write(e, RMT_EAX, 1, v);
	return 0;
}

/* 90 NOP (and F3 90 PAUSE), 0F 0D, 0F 18-1F hint NOPs: operands decoded, never accessed. */
int emu_op_nop(struct emu *e)
{
	e->wb = 0;
	return 0;
}

/*
 * 62: BOUND r, m: the signed index must lie within [lower, upper] read from
 * memory, else #BR (a fault: EIP stays at the instruction).
 */
int emu_op_bound(struct emu *e)
{
	unsigned size = e->opsz;
	uint32_t lo, hi;
	int32_t idx = (int32_t)sext(emu_reg_read(e, e->reg, size), size);

	TRY(emu_mem_check_read(e, e->src.seg, e->src.off, 2 * size));
	TRY(emu_mem_read(e, e->src.seg, e->src.off, size, &lo));
	TRY(emu_mem_read(e, e->src.seg, e->src.off + size, size, &hi));
	if (idx < (int32_t)sext(lo, size) || idx > (int32_t)sext(hi, size))
		return emu_fault(e, X86_BR, 0);
	e->wb = 0;
	return 0;
}

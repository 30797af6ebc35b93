/*
 * Port I/O: IN/OUT and the permission rule INS/OUTS share (SDM Vol. 1 19.5,
 * "Protected-Mode I/O"): in real mode every port is allowed; in protected
 * mode when CPL <= IOPL; otherwise — and always in vm86, whatever IOPL — the
 * TSS I/O permission bitmap decides: every bit for the bytes accessed must be
 * clear.  The bitmap's bytes must lie within the TSS limit, and the 16-bit
 * word holding the port's bits is read whole (the processor reads two bytes,
 * which is why the bitmap needs its trailing 0xFF byte).
 */
#include "vm86/interp_priv.h"

int emu_io_permitted(struct emu *e, uint16_t port, unsigned size)
{
	const struct rmt_segment *tr = &e->c->s.seg[RMT_TR];
	uint8_t b[2];
	uint32_t base, bits, type = tr->ar & RMT_AR_TYPE_MASK;

	if (mode_real(e))
		return 0;
	if (mode_pm(e) && cur_cpl(e) <= cur_iopl(e))
		return 0;
	/* Only a 32-bit TSS has a bitmap (types 9 available, 11 busy). */
	if ((tr->ar & RMT_AR_UNUSABLE) || (tr->ar & RMT_AR_S) || (type != 9 && type != 11) ||
	    tr->limit < 103)
		return fault_gp0(e);
	TRY(emu_lin_read(e, tr->base + 102, b, 2, ACC_READ | ACC_SYS));
	base = (uint32_t)(b[0] | b[1] << 8) + port / 8;
	if (base + 1 > tr->limit)
		return fault_gp0(e);
	TRY(emu_lin_read(e, tr->base + base, b, 2, ACC_READ | ACC_SYS));
	bits = (uint32_t)(b[0] | b[1] << 8) >> (port & 7);
	if (bits & ((1u << size) - 1))
		return fault_gp0(e);
	return 0;
}

/* E4/E5 IN imm8, E6/E7 OUT imm8, EC/ED IN DX, EE/EF OUT DX. */
int emu_op_io(struct emu *e)
{
	unsigned size = (e->flags & ByteOp) ? 1 : e->opsz;
	uint16_t port = e->opc < 0xec ? (uint16_t)e->src.val : (uint16_t)e->c->s.gpr[RMT_EDX];

	TRY(emu_io_permitted(e, port, size));
	if ((e->opc & 2) == 0)
		emu_reg_write(e, RMT_EAX, size, e->ops->io_in(e->ops->ctx, port, size));
	else
		e->ops->io_out(e->ops->ctx, port, size, emu_reg_read(e, RMT_EAX, size));
	return 0;
}

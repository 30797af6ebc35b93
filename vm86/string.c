/*
 * String instructions: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS, with the
 * REP/REPE/REPNE prefixes (SDM Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * The source is seg:(E)SI with DS by default (overridable); the destination
 * is always ES:(E)DI.  The address size picks SI/DI/CX or ESI/EDI/ECX; DF
 * picks the direction.  A repeated instruction runs to completion here; after
 * each iteration its effects are committed (commit_progress), so a fault in
 * iteration k leaves the first k-1 done and the registers pointing at the
 * k-th, with EIP at the instruction, exactly as the processor would.
 * string_bulk.c does chunks of those iterations at once where it can prove
 * the result the same.
 */
#include "vm86/interp_priv.h"

/* One iteration; returns 0 or an interp_result.  A write is the
 * iteration's last fallible act (only register updates follow it, and a
 * REP commits each iteration): it may go to memory at once. */
static int string_once(struct emu *e, unsigned size, unsigned srcseg, int32_t delta)
{
	uint32_t si = emu_reg_read(e, RMT_ESI, e->adsz), di = emu_reg_read(e, RMT_EDI, e->adsz);
	uint32_t a, b;
	uint16_t port = (uint16_t)e->c->s.gpr[RMT_EDX];

	switch (e->opc & ~1u) {
	case 0xa4:      /* MOVS */
		TRY(emu_mem_read(e, srcseg, si, size, &a));
		TRY(emu_mem_write_last(e, RMT_ES, di, size, a));
		emu_adv_reg(e, RMT_ESI, e->adsz, delta);
		emu_adv_reg(e, RMT_EDI, e->adsz, delta);
		return 0;
	case 0xa6:      /* CMPS: flags of [src] - [dst] */
		TRY(emu_mem_read(e, srcseg, si, size, &a));
		TRY(emu_mem_read(e, RMT_ES, di, size, &b));
		emu_alu_op(e, 7, a, b, size);
		emu_adv_reg(e, RMT_ESI, e->adsz, delta);
		emu_adv_reg(e, RMT_EDI, e->adsz, delta);
		return 0;
	case 0xaa:      /* STOS */
		TRY(emu_mem_write_last(e, RMT_ES, di, size, emu_reg_read(e, RMT_EAX, size)));
		emu_adv_reg(e, RMT_EDI, e->adsz, delta);
		return 0;
	case 0xac:      /* LODS */
		TRY(emu_mem_read(e, srcseg, si, size, &a));
		emu_reg_write(e, RMT_EAX, size, a);
		emu_adv_reg(e, RMT_ESI, e->adsz, delta);
		return 0;
	case 0xae:      /* SCAS: flags of accumulator - [dst] */
		TRY(emu_mem_read(e, RMT_ES, di, size, &b));
		emu_alu_op(e, 7, emu_reg_read(e, RMT_EAX, size), b, size);
		emu_adv_reg(e, RMT_EDI, e->adsz, delta);
		return 0;
	case 0x6c:      /* INS: the destination is checked before the port is read */
		TRY(emu_mem_check_write(e, RMT_ES, di, size));
		a = e->ops->io_in(e->ops->ctx, port, size);
		TRY(emu_mem_write_last(e, RMT_ES, di, size, a));
		emu_adv_reg(e, RMT_EDI, e->adsz, delta);
		return 0;
	default:        /* 0x6e OUTS */
		TRY(emu_mem_read(e, srcseg, si, size, &a));
		e->ops->io_out(e->ops->ctx, port, size, a);
		emu_adv_reg(e, RMT_ESI, e->adsz, delta);
		return 0;
	}
}

/* The REP forms: iterations (or bulk chunks) until the count or the
 * REPE/REPNE condition ends them, each committed as it completes.  Out of
 * line, so that a single iteration (LODSB in a print loop) pays for none of
 * this loop's registers. */
static __attribute__((noinline)) int string_rep(struct emu *e, unsigned size, unsigned srcseg,
						int32_t delta)
{
	int cmp = (e->opc & ~1u) == 0xa6 || (e->opc & ~1u) == 0xae;

	for (;;) {
		uint32_t cnt = emu_reg_read(e, RMT_ECX, e->adsz), n;

		if (!cnt)
			return 0;
		/* A chunk of iterations at once where that is exact
		 * (string_bulk.c), else this one iteration. */
		n = emu_string_bulk(e, size, srcseg, delta, cnt);
		if (!n) {
			TRY(string_once(e, size, srcseg, delta));
			n = 1;
		}
		emu_reg_write(e, RMT_ECX, e->adsz, cnt - n);
		/* REPE stops on ZF=0, REPNE on ZF=1; only CMPS and SCAS test ZF
		 * (F2 on the others acts as a plain REP). */
		if (cmp && !!(e->c->s.eflags & X86_FL_ZF) != (e->rep == REP_E))
			return 0;
		if (cnt - n == 0)
			return 0;
		TRY(emu_commit_progress(e));
	}
}

int emu_op_string(struct emu *e)
{
	unsigned size = (e->flags & ByteOp) ? 1 : e->opsz, srcseg = emu_default_seg(e, RMT_DS);
	int32_t delta = (e->c->s.eflags & X86_FL_DF) ? -(int32_t)size : (int32_t)size;

	if (e->opc < 0x70)      /* INS/OUTS: I/O permission, once for the whole string */
		TRY(emu_io_permitted(e, (uint16_t)e->c->s.gpr[RMT_EDX], size));
	if (!e->rep)
		return string_once(e, size, srcseg, delta);
	return string_rep(e, size, srcseg, delta);
}

/*
 * Instruction decode: prefixes, opcode, ModRM/SIB/displacement, and the
 * operands the table row asks for.  SDM Vol. 2A chapter 2 ("Instruction
 * Format") and tables 2-1 (16-bit ModRM), 2-2 (32-bit ModRM), 2-3 (SIB).
 */
#include "lib/string.h"
#include "vm86/dcache.h"

/* ------------------------------------------------------------- operands --- */

int emu_op_read(struct emu *e, struct operand *op)
{
	switch (op->type) {
	case OP_REG:
		op->val = emu_reg_read(e, op->reg, op->size);
		return 0;
	case OP_MEM:
		return emu_mem_read(e, op->seg, op->off, op->size, &op->val);
	default:
		return 0;
	}
}

/*
 * The fetch window: at the start of an instruction, the bytes at CS:EIP up to
 * the first place where fetching byte by byte could behave differently — 15
 * bytes, the CS limit, the 64 KiB IP wrap of a 16-bit CS, the end of the page
 * — checked, translated and read at once.  Past the window emu_fetch goes
 * byte by byte, and that path raises every fetch fault (#GP, #PF, the
 * 15-byte #GP) exactly where it was raised before.
 */
static int prefetch(struct emu *e)
{
	const struct rmt_segment *cs = &e->c->s.seg[RMT_CS];
	uint32_t ar = cs->ar, off = e->next, lim = cs->limit, n, lin, pa;

	e->iwin = 0;
	/* An expand-down data segment as CS, or an unusable one: byte by byte. */
	if ((ar & (RMT_AR_S | 8 | 4)) == (RMT_AR_S | 4) ||
	    ((ar & RMT_AR_UNUSABLE) && mode_pm(e)))
		return 0;
	if (!(ar & RMT_AR_DB) && lim > 0xffff)
		lim = 0xffff;           /* the 16-bit IP wraps there */
	if (off > lim)
		return 0;
	lin = cs->base + off;
	n = 0x1000 - (lin & 0xfff);
	if (n > 15)
		n = 15;
	if (lim - off < n - 1)
		n = lim - off + 1;
	/* The first byte is fetched whatever the instruction: a failing
	 * translation is the fault that fetch would raise. */
	TRY(emu_translate(e, lin, ACC_EXEC, &pa));
	if (e->ops->map_page) {
		const uint8_t *p = e->ops->map_page(e->ops->ctx, pa & ~0xfffu);

		if (p) {
			p += pa & 0xfff;
			e->dc_host = p;
			if ((pa & 0xfff) <= 0x1000 - 16)
				memcpy(e->ibuf, p, 16);         /* a 16th byte is harmless */
			else
				for (unsigned i = 0; i < n; i++)
					e->ibuf[i] = p[i];
			e->iwin = (uint8_t)n;
			return 0;
		}
	}
	if (e->ops->read_phys(e->ops->ctx, pa, e->ibuf, n))
		return 0;               /* let the byte path name the refused byte */
	e->iwin = (uint8_t)n;
	return 0;
}

/*
 * Fetch `size` bytes of instruction stream at CS:next.  The 15-byte limit is
 * architectural: a longer instruction (only possible with redundant
 * prefixes) raises #GP(0) (SDM Vol. 2A 2.3.11).
 */
int emu_fetch(struct emu *e, unsigned size, uint32_t *val)
{
	uint8_t b[4] = { 0, 0, 0, 0 };
	uint32_t lin;
	unsigned i;

	if (e->len + size > 15)
		return fault_gp0(e);
	if (e->len + size <= e->iwin) {
		for (i = 0; i < size; i++)
			b[i] = e->ibuf[e->len + i];
	} else {
		for (i = 0; i < size; i++) {
			uint32_t off;

			if (e->len + i < e->iwin) {
				b[i] = e->ibuf[e->len + i];
				continue;
			}
			/* Each byte is limit-checked on its own; the offset wraps at
			 * 64 KiB in a 16-bit code segment (IP arithmetic is 16-bit). */
			off = e->next + i;
			if (!(e->c->s.seg[RMT_CS].ar & RMT_AR_DB))
				off &= 0xffff;
			TRY(emu_seg_linear(e, RMT_CS, off, 1, ACC_EXEC, &lin));
			TRY(emu_lin_read(e, lin, &b[i], 1, ACC_EXEC));
		}
	}
	e->next += size;
	e->len += size;
	*val = b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

/* One byte (prefixes, opcode, ModRM, SIB): from the window when it has it. */
static inline __attribute__((always_inline)) int fetch8(struct emu *e, uint32_t *b)
{
	if (e->len < e->iwin) {
		*b = e->ibuf[e->len++];
		e->next++;
		return 0;
	}
	return emu_fetch(e, 1, b);
}

static int fetch_imm(struct emu *e, unsigned size, uint32_t *val)
{
	TRY(emu_fetch(e, size, val));
	*val = sext(*val, size);
	return 0;
}

/* ----------------------------------------------------- ModRM addressing --- */

/*
 * 16-bit addressing (SDM Vol. 2A table 2-1): base/index pairs BX+SI, BX+DI,
 * BP+SI, BP+DI, SI, DI, BP (disp16 when mod=0), BX.  BP-based forms use SS
 * unless overridden; the sum wraps at 64 KiB.
 */
static int modrm_ea16(struct emu *e, struct operand *op)
{
	static const uint8_t base[8] = { RMT_EBX, RMT_EBX, RMT_EBP, RMT_EBP, 8, 8, RMT_EBP, RMT_EBX };
	static const uint8_t index[8] = { RMT_ESI, RMT_EDI, RMT_ESI, RMT_EDI, RMT_ESI, RMT_EDI, 8, 8 };
	uint32_t ea = 0, disp = 0;
	unsigned seg = RMT_DS;

	e->ea_base = base[e->rm];
	e->ea_index = index[e->rm];
	e->ea_scale = 0;
	e->ea_mask = 0xffff;
	if (e->mod == 0 && e->rm == 6) {
		TRY(emu_fetch(e, 2, &disp));
		e->ea_base = 8;
	} else {
		if (base[e->rm] != 8)
			ea += e->c->s.gpr[base[e->rm]];
		if (index[e->rm] != 8)
			ea += e->c->s.gpr[index[e->rm]];
		if (base[e->rm] == RMT_EBP)
			seg = RMT_SS;
		if (e->mod == 1)
			TRY(fetch_imm(e, 1, &disp));
		else if (e->mod == 2)
			TRY(emu_fetch(e, 2, &disp));
	}
	e->ea_disp = disp;
	op->off = (ea + disp) & 0xffff;
	op->seg = emu_default_seg(e, seg);
	return 0;
}

/*
 * 32-bit addressing (SDM Vol. 2A tables 2-2, 2-3): rm=4 means a SIB byte;
 * mod=0 rm=5 (and SIB base=5 with mod=0) is a bare disp32; index 4 is "none".
 * EBP- and ESP-based forms use SS.
 */
static int modrm_ea32(struct emu *e, struct operand *op)
{
	uint32_t ea = 0, disp = 0, sib;
	unsigned seg = RMT_DS, b = e->rm;

	e->ea_index = 8;
	e->ea_scale = 0;
	e->ea_mask = 0xffffffffu;
	if (e->rm == 4) {
		unsigned idx, scale;
		TRY(fetch8(e, &sib));
		b = sib & 7;
		idx = (sib >> 3) & 7;
		scale = sib >> 6;
		if (idx != 4) {
			ea += e->c->s.gpr[idx] << scale;
			e->ea_index = (uint8_t)idx;
			e->ea_scale = (uint8_t)scale;
		}
		if (b == 5 && e->mod == 0) {
			TRY(emu_fetch(e, 4, &disp));
			b = 8;
		}
	} else if (e->rm == 5 && e->mod == 0) {
		TRY(emu_fetch(e, 4, &disp));
		b = 8;
	}
	if (b != 8) {
		ea += e->c->s.gpr[b];
		if (b == RMT_ESP || b == RMT_EBP)
			seg = RMT_SS;
		e->esp_base = b == RMT_ESP;
	}
	e->ea_base = (uint8_t)b;
	if (e->mod == 1)
		TRY(fetch_imm(e, 1, &disp));
	else if (e->mod == 2)
		TRY(emu_fetch(e, 4, &disp));
	e->ea_disp = disp;
	op->off = ea + disp;
	op->seg = emu_default_seg(e, seg);
	return 0;
}

/* The ModRM.rm operand: a register when mod=3, else memory. */
static int decode_rm(struct emu *e, struct operand *op, unsigned size)
{
	op->size = size;
	if (e->mod == 3) {
		op->type = OP_REG;
		op->reg = e->rm;
		return 0;
	}
	op->type = OP_MEM;
	return e->adsz == 2 ? modrm_ea16(e, op) : modrm_ea32(e, op);
}

static int decode_imm(struct emu *e, struct operand *op, unsigned kind, unsigned size)
{
	op->type = OP_IMM;
	switch (kind) {
	case SrcImm:
		/* There is no imm32 beyond the 32-bit operand size; imm8 for byte ops. */
		op->size = size;
		return emu_fetch(e, size, &op->val);
	case SrcImmByte:
		op->size = size;
		TRY(fetch_imm(e, 1, &op->val));
		op->val &= size_mask(size);
		return 0;
	case SrcImmU8:
		op->size = 1;
		return emu_fetch(e, 1, &op->val);
	case SrcImm16:
		op->size = 2;
		return emu_fetch(e, 2, &op->val);
	default:        /* SrcOne */
		op->size = size;
		op->val = 1;
		return 0;
	}
}

/*
 * Does a group opcode (80-83, F6/F7, FE/FF, 0F BA, 0F C7) write its r/m
 * operand?  That depends on ModRM.reg: CMP, TEST, MUL/DIV and BT only read.
 */
int emu_group_writes_rm(const struct emu *e)
{
	if (!e->twobyte) {
		switch (e->opc) {
		case 0x80: case 0x81: case 0x82: case 0x83:
			return e->reg != 7;                     /* not CMP */
		case 0xf6: case 0xf7:
			return e->reg == 2 || e->reg == 3;      /* NOT, NEG */
		case 0xfe: case 0xff:
			return e->reg <= 1;                     /* INC, DEC */
		}
		return 0;
	}
	if (e->opc == 0xba)
		return e->reg >= 5;                             /* BTS, BTR, BTC */
	return e->opc == 0xc7 && e->reg == 1;                   /* CMPXCHG8B */
}

/*
 * LOCK is legal only on the read-modify-write instructions listed under
 * "LOCK" in SDM Vol. 2A, and only with a memory destination; anything else
 * raises #UD.  For group opcodes the ModRM.reg field decides.
 */
static int lock_ok(const struct emu *e)
{
	if (!e->has_modrm || e->mod == 3)
		return 0;
	if (e->flags & GroupLock)
		return emu_group_writes_rm(e);
	return !!(e->flags & Lock);
}

/*
 * Encodings that are #UD because of ModRM.reg (or mod): raised at decode
 * time, before any operand is read, as the processor does (an invalid
 * encoding never causes a memory fault).
 */
static int modrm_invalid(const struct emu *e)
{
	if (!e->twobyte) {
		switch (e->opc) {
		case 0x8c: return e->reg > 5;                           /* no Sreg 6, 7 */
		case 0x8e: return e->reg > 5 || e->reg == 1;            /* nor MOV CS */
		case 0x8f: case 0xc6: case 0xc7: return e->reg != 0;    /* groups 1A, 11 */
		case 0xfe: return e->reg > 1;                           /* group 4 */
		case 0xff: return e->reg == 7 || (e->mod == 3 && (e->reg == 3 || e->reg == 5));
		}
		return 0;
	}
	switch (e->opc) {
	case 0x00: return e->reg > 5;                                   /* group 6 */
	case 0xba: return e->reg < 4;                                   /* group 8 */
	case 0xc7: return e->reg != 1;                                  /* group 9 */
	}
	return 0;
}

/* ---------------------------------------------------------------- decode --- */

/* The prefix bytes, one bit each: 26 2E 36 3E 64 65 66 67 F0 F2 F3. */
static const uint32_t prefix_map[8] = {
	[0x26 >> 5] = 1u << (0x26 & 31) | 1u << (0x2e & 31) | 1u << (0x36 & 31) | 1u << (0x3e & 31),
	[0x64 >> 5] = 1u << (0x64 & 31) | 1u << (0x65 & 31) | 1u << (0x66 & 31) | 1u << (0x67 & 31),
	[0xf0 >> 5] = 1u << (0xf0 & 31) | 1u << (0xf2 & 31) | 1u << (0xf3 & 31),
};

/*
 * Decode the instruction at CS:EIP from its bytes (a decode-cache miss, or no
 * cache) and read its operands.  ent: the cache entry this decode refills
 * (for lin, under key), or NULL.
 */
int emu_decode(struct emu *e, struct emu_dc_ent *ent, uint32_t lin, uint32_t key)
{
	unsigned def32 = !!(key & RMT_AR_DB);
	const struct opcode_desc *d;
	uint32_t b;
	unsigned size, src, dst;

	emu_zero(e);
	e->dc_slot = ent;
	e->dc_key = key;
	e->dc_host = NULL;
	e->dc_cs_base = e->c->s.seg[RMT_CS].base;
	e->dc_cs_limit = e->c->s.seg[RMT_CS].limit;
	if (ent) {
		/* Refilled by this decode, valid once the instruction retires. */
		ent->key = 0;
		ent->lin = lin;
	}
	e->opsz = e->adsz = def32 ? 4 : 2;
	e->seg_ovr = -1;
	TRY(prefetch(e));

	/* Prefixes, any order, any number (up to the 15-byte limit). */
	for (;;) {
		TRY(fetch8(e, &b));
		if (!((prefix_map[b >> 5] >> (b & 31)) & 1))
			break;
		switch (b) {
		case 0x26: e->seg_ovr = RMT_ES; break;
		case 0x2e: e->seg_ovr = RMT_CS; break;
		case 0x36: e->seg_ovr = RMT_SS; break;
		case 0x3e: e->seg_ovr = RMT_DS; break;
		case 0x64: e->seg_ovr = RMT_FS; break;
		case 0x65: e->seg_ovr = RMT_GS; break;
		case 0x66: e->opsz = def32 ? 2 : 4; break;
		case 0x67: e->adsz = def32 ? 2 : 4; break;
		case 0xf0: e->lock = 1; break;
		case 0xf2: e->rep = REP_NE; break;
		default: e->rep = REP_E; break;        /* 0xf3 */
		}
	}
	if (b == 0x0f) {
		e->twobyte = 1;
		TRY(fetch8(e, &b));
		d = &emu_twobyte_table[b];
	} else {
		d = &emu_opcode_table[b];
	}
	e->opc = (uint8_t)b;
	e->flags = d->flags;
	e->fn = d->fn;

	if (e->flags & ModRM) {
		TRY(fetch8(e, &b));
		e->has_modrm = 1;
		e->modrm = (uint8_t)b;
		e->mod = b >> 6;
		e->reg = (b >> 3) & 7;
		e->rm = b & 7;
	}
	if (e->lock && !lock_ok(e))
		return emu_fault(e, X86_UD, 0);
	if (!d->fn || (e->has_modrm && modrm_invalid(e)))
		return emu_fault(e, X86_UD, 0);
	if ((e->flags & MemOnly) && e->mod == 3)
		return emu_fault(e, X86_UD, 0);

	size = (e->flags & ByteOp) ? 1 : e->opsz;
	src = e->flags & SrcMask;
	dst = e->flags & DstMask;

	/* The r/m operand first: its displacement precedes any immediate. */
	switch (dst) {
	case DstReg:
		e->dst.type = OP_REG;
		e->dst.reg = e->reg;
		e->dst.size = size;
		break;
	case DstMem:
		TRY(decode_rm(e, &e->dst, size));
		break;
	case DstAcc:
		e->dst.type = OP_REG;
		e->dst.reg = RMT_EAX;
		e->dst.size = size;
		break;
	case DstOpReg:
		e->dst.type = OP_REG;
		e->dst.reg = e->opc & 7;
		e->dst.size = size;
		break;
	}
	switch (src) {
	case SrcReg:
		e->src.type = OP_REG;
		e->src.reg = e->reg;
		e->src.size = size;
		break;
	case SrcMem:
		TRY(decode_rm(e, &e->src, (e->flags & SrcMem16) ? 2 :
				(e->flags & SrcByteOp) ? 1 : size));
		break;
	case SrcNone:
		break;
	default:
		TRY(decode_imm(e, &e->src, src, size));
		break;
	}
	e->wb0 = e->dst.type != OP_NONE && !(e->flags & NoWB);
	if (e->dc_slot)
		memcpy(e->dc_slot->decoded, &e->len, sizeof(e->dc_slot->decoded));
	return emu_read_operands(e);
}

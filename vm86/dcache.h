/*
 * The decode cache (interp.h, struct interp_dcache): decoded instructions
 * kept between steps, so that an instruction met again is not parsed again.
 * Inline: a hit is the common path of every step (interp.c).
 */
#ifndef VM86_DCACHE_H
#define VM86_DCACHE_H

#include "lib/string.h"
#include "vm86/interp_priv.h"

/*
 * A decode-cache entry (struct interp_dcache): the decoded instruction as
 * emu_decode left it before reading operands, and the instruction bytes
 * (len: the whole instruction, handler fetches included) it was decoded
 * from — at linear address lin, fetched through CS as cs_base, cs_limit and
 * the access rights in key describe it; with paging off, where map_page put
 * those bytes (host; NULL: a page map_page refused).
 */
struct emu_dc_ent {
	uint64_t decoded[EMU_DECODED_WORDS];
	uint64_t bytes[2], mask[2];     /* the bytes (little-endian, masked) and their mask */
	uint32_t lin;                   /* linear address of the instruction */
	uint32_t key;                   /* 0: empty; else dc_key() */
	uint32_t cs_base, cs_limit;
	const uint8_t *host;
	uint8_t len;
};

/*
 * The key: CS's whole access-rights word (bits 16:0), whether paging and the
 * A20 gate are on, and a valid bit.  Equal rights mean the same CS.D, and
 * prefetch's checks on the rights (an expand-down data segment fetches byte
 * by byte, an unusable one is never cached) need not be made again; with
 * paging off the same A20 gate means the same physical address.
 */
#define DC_VALID  0x80000000u
#define DC_A20    0x40000000u
#define DC_PG     0x20000000u
static inline uint32_t dc_key(const struct guest_cpu *c)
{
	return c->s.seg[RMT_CS].ar | DC_VALID | (c->a20 ? DC_A20 : 0) |
	       ((c->s.cr0 & X86_CR0_PG) ? DC_PG : 0);
}
struct emu_dcache {
	struct emu_dc_ent ent[INTERP_DCACHE_ENTRIES];
};
_Static_assert(sizeof(struct emu_dcache) <= sizeof(struct interp_dcache), "decode cache size");

/* The entry an instruction at linear address lin uses. */
static inline struct emu_dc_ent *emu_dc_slot(struct interp_dcache *dc, uint32_t lin)
{
	return &((struct emu_dcache *)(void *)dc)->ent[lin % INTERP_DCACHE_ENTRIES];
}

/*
 * What emu_decode computes before reading operands depends only on the
 * instruction's bytes and CS.D — and on the registers, for a memory
 * operand's address, which is kept as a recipe (dc_ea) and recomputed.  An
 * entry is used when the instruction's bytes are fetchable exactly as
 * prefetch found them when the entry was made (the same linear address, CS
 * base, limit and rights: inside the CS limit and the 16-bit IP wrap; the
 * same translation; a page ops->map_page gives) and equal to the entry's:
 * then the parse would produce the entry again.  Otherwise nothing has been
 * read or changed, and the full decode runs.
 */
static inline __attribute__((always_inline)) uint32_t dc_ea(const struct emu *e)
{
	uint32_t ea = e->ea_disp;

	if (e->ea_base != 8)
		ea += e->c->s.gpr[e->ea_base];
	if (e->ea_index != 8)
		ea += e->c->s.gpr[e->ea_index] << e->ea_scale;
	return ea & e->ea_mask;
}

static inline __attribute__((always_inline)) int emu_dc_hit(struct emu *e, struct emu_dc_ent *ent,
							     uint32_t lin, uint32_t key)
{
	const struct rmt_segment *cs = &e->c->s.seg[RMT_CS];
	uint32_t pa, len = ent->len;
	const uint8_t *p;
	uint64_t b0, b1;

	if (ent->key != key || ent->lin != lin || ent->cs_base != cs->base ||
	    ent->cs_limit != cs->limit)
		return 0;
	if (!(key & DC_PG)) {
		/* The same linear address and A20 gate: the same physical
		 * address, which map_page put where it did (interp.h). */
		p = ent->host;
		if (!p)
			return 0;
		pa = lin;       /* as far as the offset in the page goes */
	} else {
		if (!e->ops->map_page || emu_walk(e, lin, ACC_EXEC, &pa))
			return 0;       /* the fault is prefetch's to raise */
		p = e->ops->map_page(e->ops->ctx, pa & ~0xfffu);
		if (!p)
			return 0;
		p += pa & 0xfff;
	}
	/* The entry's bytes never cross its page (it came from a window). */
	if ((pa & 0xfff) <= 0x1000 - 16) {
		memcpy(&b0, p, 8);
		memcpy(&b1, p + 8, 8);
	} else {
		uint8_t t[16] = { 0 };

		for (unsigned i = 0; i < len; i++)
			t[i] = p[i];
		memcpy(&b0, t, 8);
		memcpy(&b1, t + 8, 8);
	}
	if (((b0 & ent->mask[0]) ^ ent->bytes[0]) | ((b1 & ent->mask[1]) ^ ent->bytes[1]))
		return 0;
	memcpy(e->ibuf, &b0, 8);
	memcpy(e->ibuf + 8, &b1, 8);
	{
		emu_word *t = (emu_word *)(void *)&e->len;
		const uint64_t *d = ent->decoded;

		/* Unrolled: a loop here costs more than the copy. */
		t[0] = d[0], t[1] = d[1], t[2] = d[2], t[3] = d[3];
		t[4] = d[4], t[5] = d[5], t[6] = d[6], t[7] = d[7];
		t[8] = 0;       /* the execution state */
	}
	e->iwin = (uint8_t)len;
	e->next += e->len;
	if (e->ea_mask) {
		uint32_t ea = dc_ea(e);

		if (e->dst.type == OP_MEM)
			e->dst.off = ea;
		else
			e->src.off = ea;
	}
	return 1;
}

/* Called by interp_step when the instruction retired: the entry is valid if
 * the whole instruction came from the fetch window. */
static inline void emu_dc_commit(struct emu *e)
{
	struct emu_dc_ent *ent = e->dc_slot;
	unsigned n = e->len;
	uint64_t m0, m1;

	if (n > e->iwin || (e->dc_key & RMT_AR_UNUSABLE))
		return;
	m0 = n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
	m1 = n <= 8 ? 0 : (1ull << (8 * (n - 8))) - 1;
	memcpy(&ent->bytes[0], e->ibuf, 8);
	memcpy(&ent->bytes[1], e->ibuf + 8, 8);
	ent->bytes[0] &= m0;
	ent->bytes[1] &= m1;
	ent->mask[0] = m0;
	ent->mask[1] = m1;
	ent->len = (uint8_t)n;
	ent->key = e->dc_key;
	ent->cs_base = e->dc_cs_base;
	ent->cs_limit = e->dc_cs_limit;
	ent->host = e->dc_host;
}

/* Read the operands the row asks for (faults in operand order, as hardware does). */
static inline __attribute__((always_inline)) int emu_read_operands(struct emu *e)
{
	unsigned dst = e->flags & DstMask;

	if (e->flags & NoRead)
		return 0;
	if (e->src.type == OP_REG)
		e->src.val = emu_reg_read(e, e->src.reg, e->src.size);
	else if (e->src.type == OP_MEM)
		TRY(emu_mem_read(e, e->src.seg, e->src.off, e->src.size, &e->src.val));
	if (dst != DstNone && !(e->flags & Mov)) {
		/* A read-modify-write destination is checked for writing before it is
		 * read: a read-only segment or page faults without a partial effect. */
		if (e->dst.type == OP_MEM && !(e->flags & NoWB) &&
		    (!(e->flags & GroupLock) || emu_group_writes_rm(e)))
			TRY(emu_mem_check_write(e, e->dst.seg, e->dst.off, e->dst.size));
		if (e->dst.type == OP_REG)
			e->dst.val = emu_reg_read(e, e->dst.reg, e->dst.size);
		else
			TRY(emu_op_read(e, &e->dst));
	}
	return 0;
}

#endif /* VM86_DCACHE_H */

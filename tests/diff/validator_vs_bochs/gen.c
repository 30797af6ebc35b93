/*
 * vvb-gen: the states for the validator-vs-Bochs differential test
 * (docs/validator-vs-bochs.md).
 *
 *   vvb-gen SEED COUNT FILE [FIRST N]
 *
 * writes records FIRST .. FIRST+N-1 (default: all COUNT) of the sequence
 * SEED and COUNT define into FILE, in the oracle's state-file format
 * (host/oracle.h).  The sequence depends only on SEED and the index, so a
 * run may be split into batches and the comparer regenerates nothing: it
 * reads the same files.
 *
 * Every fourth record is a systematic edge case (a seeded shuffle of the
 * catalogue in edge()); the others are a random *valid* state — 32-bit
 * protected mode (60%) or vm86 (40%) — with 0-3 random mutations (about 40%
 * get none), so a good share passes and every reachable rule fails
 * somewhere.  Three guards keep every state observable and in scope:
 *   - CS.base+EIP always lands in the oracle's landing page (CPUID there;
 *     HLT around it), whatever CS.base is;
 *   - a state with its own paging on has CR3 = the zero page (valid PAE
 *     PDPTEs; the validator does not read guest memory, so PDPTEs are out of
 *     its scope);
 *   - a state in wait-for-SIPI, or in HLT/shutdown with virtual-NMI blocking,
 *     could never come back if entered, so such states always also carry
 *     MOV-SS blocking (which SDM and Bochs both refuse outside the active
 *     state).
 * EFER.LMA stays 0: the host does not set "IA-32e mode guest" from it
 * (backend_load_state), while vmcs_view_from_guest does — a long-mode guest
 * is outside what the host path can enter today.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "x86/arch.h"
#include "gdt/descriptor.h"
#include "vvb.h"

/* --------------------------------------------------------------- PRNG --- */

static uint64_t rng_state;

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(void) { return (uint32_t)(splitmix(&rng_state) >> 32); }
static uint32_t rr(uint32_t n) { return n ? (uint32_t)(((uint64_t)rnd() * n) >> 32) : 0; }
static int chance(unsigned pct) { return rr(100) < pct; }

/* ------------------------------------------------------------ helpers --- */

#define VMX_PENDING_DBG_BS_ 0x4000u   /* pending debug exceptions: BS */

#define AR(type, s, dpl, p) ((type) | ((s) ? RMT_AR_S : 0) | ((dpl) << RMT_AR_DPL_SHIFT) | ((p) ? RMT_AR_P : 0))

/* RFLAGS bits a state may set freely (not reserved, not VM). */
#define FL_FREE (X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | X86_FL_SF | X86_FL_TF | \
		 X86_FL_IF | X86_FL_DF | X86_FL_OF | X86_FL_IOPL | X86_FL_NT | X86_FL_RF | \
		 X86_FL_AC | 0x80000u | 0x100000u | 0x200000u)

static const enum rmt_seg data_segs[] = { RMT_ES, RMT_DS, RMT_FS, RMT_GS };

static void seg_set(struct rmt_segment *s, uint16_t sel, uint32_t base, uint32_t limit, uint32_t ar)
{
	s->sel = sel;
	s->reserved = 0;
	s->base = base;
	s->limit = limit;
	s->ar = ar;
}

static uint32_t rand_base(void)
{
	switch (rr(5)) {
	case 0: return 0;
	case 1: return rnd() & ~0xfffu;
	case 2: return rr(0x100000);
	default: return rnd();
	}
}

/* A limit consistent with G, G chosen here: returns the G bit. */
static uint32_t consistent_limit(uint32_t *limit)
{
	static const uint32_t small[] = { 0, 0xffff, 0xfffff, 0x67, 0xfff };

	if (chance(50)) {
		*limit = chance(50) ? 0xffffffffu : (rnd() << 12) | 0xfffu;
		return RMT_AR_G;
	}
	*limit = chance(40) ? small[rr(5)] : rr(0x100000);
	return 0;
}

static uint16_t rand_sel(unsigned rpl)
{
	return (uint16_t)((rr(0x2000) << 3) | rpl);
}

static void set_flat_cr(struct rmt_state *st)
{
	/* CR0: the guest's own view; the host adds PE, NE, PG. */
	uint32_t cr0 = X86_CR0_ET;

	if (chance(92))
		cr0 |= X86_CR0_PE;
	if (chance(30))
		cr0 |= X86_CR0_PG | X86_CR0_PE;
	if (chance(30))
		cr0 |= X86_CR0_NE;
	if (chance(20))
		cr0 |= X86_CR0_MP;
	if (chance(10))
		cr0 |= X86_CR0_TS;
	if (chance(5))
		cr0 |= X86_CR0_EM;
	if (chance(20))
		cr0 |= X86_CR0_WP;
	if (chance(10))
		cr0 |= X86_CR0_AM;
	if (chance(5))
		cr0 |= X86_CR0_CD | (chance(50) ? X86_CR0_NW : 0);
	st->cr0 = cr0;
	st->cr4 = rnd() & 0x7ffu & ~(chance(70) ? X86_CR4_PAE : 0);
	st->cr3 = (cr0 & X86_CR0_PG) ? ORACLE_ZERO_PAGE | (rnd() & 0x18u) : rnd();
	st->efer_lo = rnd() & (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE);
	st->efer_hi = 0;
	st->cr2 = rnd();
}

static void common_tail(struct rmt_state *st)
{
	for (unsigned r = 0; r < RMT_NGPR; r++)
		st->gpr[r] = rnd();
	st->gdtr.base = rnd();
	st->gdtr.limit = chance(20) ? 0xffff : rr(0x10000);
	st->idtr.base = rnd();
	st->idtr.limit = chance(20) ? 0x7ff : rr(0x10000);
	st->dr7 = 0x400 | (rnd() & 0xff);
	/* TR: a busy TSS, mostly 32-bit */
	{
		uint32_t limit, g = consistent_limit(&limit);

		if (chance(50)) {
			limit = 0x67 + rr(0x2000);
			g = 0;
		}
		seg_set(&st->seg[RMT_TR], (uint16_t)(rr(0x2000) << 3), rand_base(), limit,
			AR(chance(80) ? DESC_SYS_TSS32_BUSY : DESC_SYS_TSS16_BUSY, 0, rr(4), 1) | g);
	}
	/* LDTR: unusable (with garbage) or an LDT */
	if (chance(50)) {
		seg_set(&st->seg[RMT_LDTR], chance(50) ? 0 : (uint16_t)rnd(), rnd(), rnd(),
			RMT_AR_UNUSABLE | (chance(50) ? rnd() & 0xf0ffu : 0));
	} else {
		uint32_t limit, g = consistent_limit(&limit);

		seg_set(&st->seg[RMT_LDTR], (uint16_t)(rr(0x2000) << 3 | rr(4)), rand_base(), limit,
			AR(DESC_SYS_LDT, 0, rr(4), 1) | g);
	}
	/* non-register state: mostly benign */
	st->interruptibility = 0;
	if (chance(15)) {
		static const uint32_t v[] = { 1, 2, 8, 9, 10 };
		st->interruptibility = v[rr(5)];
		if (st->interruptibility & 1)
			st->eflags |= chance(90) ? X86_FL_IF : 0;
	}
	st->activity = 0;
	if (chance(12))
		st->activity = 1 + rr(2);     /* HLT or shutdown; wait-for-SIPI via mutations */
	st->pending_dbg = 0;
	if (chance(10))
		st->pending_dbg = (rnd() & 0xf) | (chance(30) ? 0x1000 : 0) |
				  (chance(30) ? VMX_PENDING_DBG_BS_ : 0);
}

/* A valid 32-bit protected-mode state (the SDM's and Bochs' rules hold). */
static void gen_pm(struct rmt_state *st)
{
	unsigned cpl = chance(50) ? 0 : chance(60) ? 3 : rr(4);
	unsigned cs_type = chance(70) ? (chance(50) ? 11 : 9) : (chance(50) ? 15 : 13);
	unsigned cs_dpl = (cs_type & DESC_TYPE_CONFORMING) ? rr(cpl + 1) : cpl;
	uint32_t limit, g;

	memset(st, 0, sizeof(*st));
	st->eflags = X86_FL_FIXED | (rnd() & FL_FREE & ~X86_FL_TF);
	if (chance(8))
		st->eflags |= X86_FL_TF;
	set_flat_cr(st);

	g = consistent_limit(&limit);
	seg_set(&st->seg[RMT_CS], rand_sel(cpl) | (chance(10) ? X86_SEL_TI : 0), rand_base(), limit,
		AR(cs_type, 1, cs_dpl, 1) | g | (chance(80) ? RMT_AR_DB : 0) |
		(chance(20) ? RMT_AR_AVL : 0) | (chance(5) ? RMT_AR_L : 0));
	if (chance(95)) {
		g = consistent_limit(&limit);
		seg_set(&st->seg[RMT_SS], rand_sel(cpl), rand_base(), limit,
			AR(chance(70) ? 3 : 7, 1, cpl, 1) | g | (chance(70) ? RMT_AR_DB : 0) |
			(chance(10) ? RMT_AR_AVL : 0));
	} else {
		/* unusable SS: its DPL is still the CPL and must equal SS.RPL */
		seg_set(&st->seg[RMT_SS], (uint16_t)(cpl | (chance(50) ? 0 : rr(0x2000) << 3)), rnd(),
			rnd(), RMT_AR_UNUSABLE | (cpl << RMT_AR_DPL_SHIFT) | (rnd() & 0xf09fu));
	}
	for (unsigned i = 0; i < 4; i++) {
		struct rmt_segment *s = &st->seg[data_segs[i]];

		if (chance(80)) {
			static const unsigned types[] = { 1, 3, 5, 7, 11, 15, 3, 3 };
			unsigned type = types[rr(8)], rpl = rr(4);
			unsigned dpl = type <= 11 ? rpl + rr(4 - rpl) : rr(4);

			g = consistent_limit(&limit);
			seg_set(s, rand_sel(rpl) | (chance(10) ? X86_SEL_TI : 0), rand_base(), limit,
				AR(type, 1, dpl, 1) | g | (chance(60) ? RMT_AR_DB : 0) |
				(chance(10) ? RMT_AR_AVL : 0));
		} else {
			seg_set(s, chance(60) ? (uint16_t)rr(4) : (uint16_t)rnd(), rnd(), rnd(),
				RMT_AR_UNUSABLE | (chance(50) ? rnd() & 0xf0ffu : 0));
		}
	}
	common_tail(st);
}

/* A valid vm86 state: every register sel / sel<<4 / 0xFFFF / 0xF3. */
static void gen_v86(struct rmt_state *st)
{
	memset(st, 0, sizeof(*st));
	st->eflags = X86_FL_FIXED | X86_FL_VM | (rnd() & FL_FREE & ~X86_FL_TF);
	if (chance(8))
		st->eflags |= X86_FL_TF;
	set_flat_cr(st);
	st->cr0 |= X86_CR0_PE;
	for (unsigned r = RMT_ES; r <= RMT_GS; r++) {
		/* CS must reach the landing page (below 1 MiB) */
		uint16_t sel = r == RMT_CS ? (uint16_t)rr(ORACLE_LANDING >> 4) : (uint16_t)rnd();

		seg_set(&st->seg[r], sel, (uint32_t)sel << 4, 0xffff, 0xf3);
	}
	common_tail(st);
}

/* ---------------------------------------------------------- mutations --- */

static struct rmt_segment *any_seg(struct rmt_state *st)
{
	return &st->seg[rr(RMT_NSEG)];
}

static void mutate(struct rmt_state *st)
{
	struct rmt_segment *s = any_seg(st);
	static const uint32_t limits[] = { 0, 0xfff, 0xffe, 0x1000, 0xffff, 0xfffe, 0x10000,
					   0xfffff, 0x100000, 0xfffffffe, 0xffffffff, 0x1fff };

	switch (rr(30)) {
	case 0: s->sel ^= (uint16_t)(1 + rr(3)); break;                     /* RPL */
	case 1: s->sel ^= X86_SEL_TI; break;
	case 2: s->ar = (s->ar & ~0xfu) | rr(16); break;                     /* type */
	case 3: s->ar ^= RMT_AR_S; break;
	case 4: s->ar = (s->ar & ~RMT_AR_DPL_MASK) | (rr(4) << RMT_AR_DPL_SHIFT); break;
	case 5: s->ar &= ~RMT_AR_P; break;
	case 6: s->ar ^= chance(50) ? RMT_AR_DB : chance(50) ? RMT_AR_L : RMT_AR_AVL; break;
	case 7: s->ar ^= RMT_AR_G; break;
	case 8: s->limit = limits[rr(12)]; break;
	case 9: s->ar ^= RMT_AR_UNUSABLE; break;
	case 10: s->ar |= chance(50) ? 1u << (8 + rr(4)) : 1u << (17 + rr(15)); break;
	case 11: s->base = chance(50) ? rnd() : s->base + (chance(50) ? 1 : 0x10); break;
	case 12:
		if (chance(50))
			st->gdtr.limit |= 1u << (16 + rr(16));
		else
			st->idtr.limit |= 1u << (16 + rr(16));
		break;
	case 13: {
		static const unsigned bits[] = { 3, 5, 15, 22, 23, 24, 27, 31 };
		st->eflags |= 1u << bits[rr(8)];
		break;
	}
	case 14: st->eflags &= ~X86_FL_FIXED; break;
	case 15: st->eflags ^= X86_FL_VM; break;
	case 16: {
		static const uint32_t bits[] = { 0x4000, 0x40000, 0x20000, 0x10000, 0x800, 0x1000,
						 0x8000, 0x80000, 0x100000, 0x200000, 0x400000,
						 0x80000000u };
		st->cr4 |= bits[rr(12)];
		break;
	}
	case 17: st->interruptibility = chance(70) ? rr(16) : chance(50) ? 0x10 : 1u << rr(32); break;
	case 18: st->activity = chance(80) ? rr(4) : 4 + rr(3); break;
	case 19: st->pending_dbg ^= 1u << rr(32); break;
	case 20: s->ar = 0xf3u ^ (1u << rr(17)); break;                    /* near-vm86 AR */
	case 21: {                                                          /* deviation 2 */
		struct rmt_segment *d = &st->seg[data_segs[rr(4)]];
		unsigned rpl = 1 + rr(3);
		d->sel = (uint16_t)((d->sel & ~3u) | rpl);
		d->ar = (d->ar & ~(RMT_AR_UNUSABLE | 0xffu)) | AR(11, 1, rr(rpl), 1);
		break;
	}
	case 22: {                                                          /* deviation 1 */
		struct rmt_segment *cs = &st->seg[RMT_CS];
		cs->ar = (cs->ar & ~0x7fu) | AR(9 + 2 * rr(4), 1, rr(4), 0);
		break;
	}
	case 23: st->eflags ^= X86_FL_TF; st->pending_dbg ^= chance(50) ? VMX_PENDING_DBG_BS_ : 0; break;
	case 24: st->interruptibility = 1 + rr(2); st->eflags ^= chance(30) ? X86_FL_IF : 0; break;
	case 25: st->activity = 1; st->seg[RMT_SS].ar &= ~RMT_AR_DPL_MASK;
		st->seg[RMT_SS].sel &= ~3u; st->seg[RMT_CS].sel &= ~3u; break;     /* HLT at CPL 0 */
	case 26: st->cr0 ^= 1u << rr(32); break;
	case 27: s->ar = rnd() & 0x1ffffu; break;
	case 28: {                                                          /* SS.RPL/DPL */
		unsigned r = rr(4);
		st->seg[RMT_SS].sel = (uint16_t)((st->seg[RMT_SS].sel & ~3u) | r);
		if (chance(50))
			st->seg[RMT_SS].ar = (st->seg[RMT_SS].ar & ~RMT_AR_DPL_MASK) | (r << RMT_AR_DPL_SHIFT);
		break;
	}
	default: s->limit = rnd(); break;
	}
}

/* ---------------------------------------------------------- edge cases --- */

static void base_pm(struct rmt_state *st)
{
	memset(st, 0, sizeof(*st));
	st->eflags = X86_FL_FIXED;
	st->cr0 = X86_CR0_PE | X86_CR0_ET;
	st->cr3 = 0x12345000;
	seg_set(&st->seg[RMT_CS], 0x08, 0, 0xffffffff, 0xc09b);
	for (unsigned i = 0; i < 4; i++)
		seg_set(&st->seg[data_segs[i]], 0x10, 0, 0xffffffff, 0xc093);
	seg_set(&st->seg[RMT_SS], 0x10, 0, 0xffffffff, 0xc093);
	seg_set(&st->seg[RMT_LDTR], 0, 0, 0, RMT_AR_UNUSABLE);
	seg_set(&st->seg[RMT_TR], 0x18, 0x1000, 0x67, 0x8b);
	st->gdtr.base = 0x800;
	st->gdtr.limit = 0x1f;
	st->idtr.limit = 0x7ff;
	st->dr7 = 0x400;
}

static void base_v86(struct rmt_state *st)
{
	static const uint16_t sels[6] = { 0x2000, 0x0600, 0x3000, 0x4000, 0, 0xffff };

	base_pm(st);
	st->eflags = X86_FL_FIXED | X86_FL_VM | X86_FL_IF | (3u << X86_FL_IOPL_SHIFT);
	for (unsigned r = RMT_ES; r <= RMT_GS; r++)
		seg_set(&st->seg[r], sels[r], (uint32_t)sels[r] << 4, 0xffff, 0xf3);
}

/* Sizes of the edge categories, in catalogue order. */
static const unsigned edge_size[EDGE_NCATEGORIES] = {
	[EDGE_DATA_TYPE_DPL_RPL] = 4 * 16 * 4 * 4,
	[EDGE_CS_TYPE_DPL_RPL] = 16 * 4 * 4 * 4,
	[EDGE_SS_TYPE_DPL_RPL] = 16 * 4 * 4,
	[EDGE_V86_AR_BIT] = 6 * 17,
	[EDGE_V86_BASE_LIMIT] = 6 * 4,
	[EDGE_LIMIT_G] = 5 * 12 * 2,
	[EDGE_TR_LDTR_TYPE] = 2 * 16 * 2 * 2,
	[EDGE_RFLAGS_BIT] = 2 * 32,
	[EDGE_INTR_ACTIVITY] = 10 * 5 * 2,
	[EDGE_PENDING_DBG] = 32 * 2,
	[EDGE_CR4_BIT] = 32 * 2,
	[EDGE_CR0_BIT] = 32,
	[EDGE_DTR_LIMIT] = 2 * 4,
	[EDGE_BS_TF] = 2 * 2 * 2 * 2 * 2,
};

static unsigned edge_total(void)
{
	unsigned n = 0;

	for (unsigned c = 1; c < EDGE_NCATEGORIES; c++)
		n += edge_size[c];
	return n;
}

/* Edge case number k (0 .. edge_total()-1); returns its kind. */
static uint32_t edge(unsigned k, struct rmt_state *st)
{
	unsigned c = 1;
	static const uint32_t limits[12] = { 0, 0xfff, 0xffe, 0x1000, 0xffff, 0x10000, 0xfffff,
					     0x100000, 0x7ffff, 0xfffffffe, 0xffffffff, 0x1fff };

	while (k >= edge_size[c])
		k -= edge_size[c++];
	base_pm(st);
	switch (c) {
	case EDGE_DATA_TYPE_DPL_RPL: {
		unsigned reg = data_segs[k / 256], type = k / 16 % 16, dpl = k / 4 % 4, rpl = k % 4;
		seg_set(&st->seg[reg], (uint16_t)(0x20 | rpl), 0, 0xfffff, AR(type, 1, dpl, 1));
		break;
	}
	case EDGE_CS_TYPE_DPL_RPL: {
		unsigned type = k / 64, dpl = k / 16 % 4, rpl = k / 4 % 4, ss_dpl = k % 4;
		seg_set(&st->seg[RMT_CS], (uint16_t)(0x08 | rpl), 0, 0xffffffff, 0xc000 | AR(type, 1, dpl, 1));
		st->seg[RMT_SS].sel = (uint16_t)(0x10 | rpl);
		st->seg[RMT_SS].ar = 0xc000 | AR(3, 1, ss_dpl, 1);
		for (unsigned i = 0; i < 4; i++)
			st->seg[data_segs[i]].sel = (uint16_t)(0x10 | rpl);
		break;
	}
	case EDGE_SS_TYPE_DPL_RPL: {
		unsigned type = k / 16, dpl = k / 4 % 4, rpl = k % 4;
		seg_set(&st->seg[RMT_SS], (uint16_t)(0x10 | rpl), 0, 0xffff, AR(type, 1, dpl, 1));
		break;
	}
	case EDGE_V86_AR_BIT:
		base_v86(st);
		st->seg[k / 17].ar ^= 1u << (k % 17);
		break;
	case EDGE_V86_BASE_LIMIT: {
		struct rmt_segment *s;
		base_v86(st);
		s = &st->seg[k / 4];
		switch (k % 4) {
		case 0: s->base += 1; break;
		case 1: s->base += 0x100000; break;
		case 2: s->limit = 0xfffe; break;
		default: s->limit = 0x1ffff; break;
		}
		break;
	}
	case EDGE_LIMIT_G: {
		static const enum rmt_seg regs[5] = { RMT_CS, RMT_SS, RMT_DS, RMT_TR, RMT_LDTR };
		struct rmt_segment *s = &st->seg[regs[k / 24]];
		if (regs[k / 24] == RMT_LDTR)
			seg_set(s, 0x28, 0x2000, 0, AR(DESC_SYS_LDT, 0, 0, 1));
		s->limit = limits[k / 2 % 12];
		s->ar = (s->ar & ~RMT_AR_G) | (k % 2 ? RMT_AR_G : 0);
		break;
	}
	case EDGE_TR_LDTR_TYPE: {
		struct rmt_segment *s = &st->seg[k / 64 ? RMT_LDTR : RMT_TR];
		unsigned type = k / 4 % 16;
		seg_set(s, k / 64 ? 0x28 : 0x18, 0x3000, 0xfff,
			AR(type, k / 2 % 2, 0, 1) | (k % 2 ? RMT_AR_UNUSABLE : 0));
		break;
	}
	case EDGE_RFLAGS_BIT:
		if (k / 32)
			base_v86(st);
		st->eflags |= 1u << (k % 32);
		break;
	case EDGE_INTR_ACTIVITY: {
		static const uint32_t intr[10] = { 0, 1, 2, 3, 4, 8, 0x10, 0x20, 0x100, 0x80000000u };
		st->interruptibility = intr[k / 10];
		st->activity = k / 2 % 5;
		if (k % 2)
			st->eflags |= X86_FL_IF;
		break;
	}
	case EDGE_PENDING_DBG:
		st->pending_dbg = 1u << (k / 2);
		if (k % 2) {
			st->interruptibility = 2;       /* MOV-SS blocking */
			st->eflags |= X86_FL_TF;
		}
		break;
	case EDGE_CR4_BIT:
		st->cr4 = 1u << (k / 2);
		if (k % 2) {
			st->cr0 |= X86_CR0_PG;
			st->cr3 = ORACLE_ZERO_PAGE;
		}
		break;
	case EDGE_CR0_BIT:
		st->cr0 ^= 1u << k;
		if (st->cr0 & X86_CR0_PG)
			st->cr3 = ORACLE_ZERO_PAGE;
		break;
	case EDGE_DTR_LIMIT: {
		static const uint32_t l[4] = { 0xffff, 0x10000, 0xffffffff, 0x1ffff };
		if (k / 4)
			st->idtr.limit = l[k % 4];
		else
			st->gdtr.limit = l[k % 4];
		break;
	}
	case EDGE_BS_TF:
		/* blocking kind (STI/MOV-SS) x HLT-instead x TF x BS x vm86 */
		if (k / 16)
			base_v86(st);
		st->eflags |= X86_FL_IF | (k / 4 % 2 ? X86_FL_TF : 0);
		st->pending_dbg = k / 2 % 2 ? VMX_PENDING_DBG_BS_ : 0;
		if (k / 8 % 2)
			st->activity = 1;
		else
			st->interruptibility = k % 2 ? 1 : 2;
		break;
	}
	return (uint32_t)VVB_EDGE << 24 | c << 16 | (k & 0xffff);
}

/* ----------------------------------------------------------- guards --- */

static void guard(struct rmt_state *st)
{
	/* a state that could never come back if entered also carries MOV-SS
	 * blocking, which both the SDM and Bochs refuse outside "active" */
	if (st->activity == 3 || ((st->activity == 1 || st->activity == 2) &&
				  (st->interruptibility & 8)))
		if (!(st->interruptibility & 3))
			st->interruptibility |= 2;
	/* with its own paging on, a state runs on the zero page: no present
	 * PDE, and with PAE four valid (not present) PDPTEs — the PDPTE check
	 * (qualification 2) is outside the validator (docs/vmentry-validator.md) */
	if (st->cr0 & X86_CR0_PG)
		st->cr3 = ORACLE_ZERO_PAGE | (st->cr3 & 0x18u);
	/* CS.base+EIP in the landing page, both bytes of CPUID */
	st->eip = ORACLE_LANDING + rr(ORACLE_LANDING_END - ORACLE_LANDING - 16) - st->seg[RMT_CS].base;
}

/* ------------------------------------------------------------- main --- */

static uint32_t generate(uint64_t seed, uint32_t index, const unsigned *perm, unsigned nedge,
			 struct rmt_state *st)
{
	uint32_t kind;

	rng_state = seed * 0x100000001b3ull ^ ((uint64_t)index << 20) ^ 0x5bd1e995u;
	(void)rnd();
	if (index % 4 == 0) {
		kind = edge(perm[(index / 4) % nedge], st);
	} else {
		unsigned n;
		int v86 = chance(40);

		if (v86)
			gen_v86(st);
		else
			gen_pm(st);
		n = chance(40) ? 0 : chance(55) ? 1 : chance(60) ? 2 : 3;
		for (unsigned i = 0; i < n; i++)
			mutate(st);
		kind = (uint32_t)(v86 ? VVB_V86 : VVB_PM) << 24 | n << 16;
	}
	guard(st);
	return kind;
}

int main(int argc, char **argv)
{
	uint64_t seed;
	uint32_t count, first, n;
	unsigned nedge = edge_total(), *perm;
	struct oracle_file_header h;
	FILE *f;

	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: vvb-gen SEED COUNT FILE [FIRST N]\n");
		return 2;
	}
	seed = strtoull(argv[1], 0, 0);
	count = (uint32_t)strtoul(argv[2], 0, 0);
	first = argc == 6 ? (uint32_t)strtoul(argv[4], 0, 0) : 0;
	n = argc == 6 ? (uint32_t)strtoul(argv[5], 0, 0) : count;
	if (first > count || n > count - first ||
	    (uint64_t)n * sizeof(struct oracle_record) + sizeof(h) > ORACLE_FILE_MAX) {
		fprintf(stderr, "vvb-gen: bad range %u+%u of %u (at most %zu records per file)\n",
			first, n, count,
			(size_t)((ORACLE_FILE_MAX - sizeof(h)) / sizeof(struct oracle_record)));
		return 2;
	}
	/* the edge catalogue in a seeded order */
	perm = malloc(nedge * sizeof(*perm));
	if (!perm)
		return 1;
	rng_state = seed ^ 0xed6e;
	for (unsigned i = 0; i < nedge; i++)
		perm[i] = i;
	for (unsigned i = nedge - 1; i > 0; i--) {
		unsigned j = rr(i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}

	f = fopen(argv[3], "wb");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	memset(&h, 0, sizeof(h));
	h.magic = ORACLE_MAGIC;
	h.version = ORACLE_VERSION;
	h.header_size = sizeof(h);
	h.record_size = sizeof(struct oracle_record);
	h.count = n;
	h.first_index = first;
	h.seed = (uint32_t)seed;
	fwrite(&h, sizeof(h), 1, f);
	for (uint32_t i = first; i < first + n; i++) {
		struct oracle_record r;

		memset(&r, 0, sizeof(r));
		r.index = i;
		r.kind = generate(seed, i, perm, nedge, &r.st);
		fwrite(&r, sizeof(r), 1, f);
	}
	if (fclose(f)) {
		perror(argv[3]);
		return 1;
	}
	free(perm);
	return 0;
}

/*
 * The bulk path of the REP string instructions: many iterations of REP MOVS,
 * STOS, LODS, SCAS or CMPS at once, straight in host memory.
 *
 * string.c runs a REP instruction one iteration at a time: segment checks,
 * translation, a buffered write, a commit — several hundred host
 * instructions for every byte a REP STOSB stores.  Real-mode code zeroes and
 * copies whole buffers that way (btx clears its IDT and TSS with REP STOSW),
 * so most of the time went there.
 *
 * The bulk path does a *chunk* of iterations in a plain loop, and only where
 * the chunk is provably the same as running those iterations one by one:
 *
 *  - nothing in it can fault: every element lies within its segment's
 *    limits (the rules of emu_seg_linear, taken from emu_seg_bounds), within
 *    the address size (a 16-bit SI/DI wraps at 64 KiB: the chunk stops
 *    before), and within one 4 KiB page on each side, a page ops->map_page
 *    maps (RAM: reads and writes there are plain copies);
 *  - paging is off, so that the page is the linear page with A20 applied:
 *    one translation holds for the whole chunk (bit 20 is above the page
 *    offset), and no store can change it.  With paging on, an iteration
 *    could rewrite the page tables mapping the next one, and each walk sets
 *    A/D bits: we leave that to the per-iteration path;
 *  - nothing is pending in the write buffer, so memory is what the next
 *    iteration would see;
 *  - the elements are done in the order the processor does them, each
 *    read before it is written, so an overlapping copy (ES:DI = DS:SI + 1)
 *    replicates bytes exactly as the byte-by-byte loop does.
 *
 * A chunk of which nothing can fault also cannot stop half-way, so writing
 * memory directly (rather than through the write buffer) is safe: the caller
 * then commits the progress as after any iteration (emu_commit_progress), and
 * a fault in a later iteration leaves this chunk done, as on hardware.
 *
 * Everything else — an element straddling a page or the limit, a page
 * map_page refuses, paging on, INS/OUTS, an ops without map_page — returns
 * 0, and string.c does that one iteration the slow way and asks again.
 *
 * The instruction's own bytes may be among those a chunk overwrites: it was
 * decoded before it ran, and runs to the end as decoded, as in the
 * per-iteration path; the decode cache compares bytes, so the next fetch
 * sees the new ones.
 */
#include "lib/string.h"
#include "vm86/interp_priv.h"

/* One side of a string instruction: where its elements are. */
struct bulk_side {
	uint8_t *host;          /* the first element in host memory */
	uint32_t n;             /* how many elements the chunk may cover */
};

/*
 * Where the elements of `size` bytes starting at seg:off and stepping by
 * -size (df) or +size are in host memory, and how many of them in a row can
 * be accessed (acc) with no fault within the page of the first: *sd, or 0
 * if not even the first can (or the page is not mapped).  In offset space,
 * allowed bytes are the segment's range, cut to the address size and to the
 * page's offsets (64-bit arithmetic: the page may begin below offset 0 or
 * end above the segment).
 */
static int side_span(struct emu *e, unsigned seg, uint32_t off, unsigned size, int df,
		     unsigned acc, struct bulk_side *sd)
{
	uint32_t lo, hi, lin, pa;
	int64_t page0, first, last;
	uint8_t *m;

	if (!emu_seg_bounds(e, seg, acc, &lo, &hi))
		return 0;
	if (e->adsz == 2 && hi > 0xffff)
		hi = 0xffff;                    /* no element past SI/DI's 64 KiB wrap */
	lin = e->c->s.seg[seg].base + off;
	page0 = (int64_t)off - (lin & 0xfff);   /* the offset of the page's first byte */
	first = page0 > lo ? page0 : lo;
	last = page0 + 0xfff < hi ? page0 + 0xfff : hi;
	if ((int64_t)off < first || (int64_t)off + size - 1 > last)
		return 0;
	/* Paging is off (emu_string_bulk): lin with A20 applied, no fault. */
	if (emu_translate(e, lin, acc, &pa))
		return 0;
	m = e->ops->map_page(e->ops->ctx, pa & ~0xfffu);
	if (!m)
		return 0;
	sd->host = m + (pa & 0xfff);
	/* Both spans are within the page (at most 4096 bytes): 32-bit division. */
	sd->n = df ? (uint32_t)((int64_t)off - first) / size + 1
		   : (uint32_t)(last - (int64_t)off + 1) / size;
	return 1;
}

/* An element at p (unaligned; the host is x86, little-endian like the guest). */
static inline uint32_t elem_get(const uint8_t *p, unsigned size)
{
	uint16_t w;
	uint32_t d;

	if (size == 1)
		return *p;
	if (size == 2) {
		__builtin_memcpy(&w, p, 2);
		return w;
	}
	__builtin_memcpy(&d, p, 4);
	return d;
}

static inline void elem_put(uint8_t *p, unsigned size, uint32_t v)
{
	uint16_t w = (uint16_t)v;

	if (size == 1)
		*p = (uint8_t)v;
	else if (size == 2)
		__builtin_memcpy(p, &w, 2);
	else
		__builtin_memcpy(p, &v, 4);
}

/* The lowest host byte of n elements whose first is at p (DF: they go down). */
static inline uint8_t *span_low(uint8_t *p, uint32_t n, unsigned size, int df)
{
	return df ? p - (n - 1) * size : p;
}

/*
 * MOVS: element by element, each read before it is written, in the
 * processor's order.  When the two host ranges are disjoint no element
 * reads another's result, and one memcpy is the same thing.
 */
static void bulk_movs(uint8_t *d, const uint8_t *s, uint32_t n, unsigned size, int df)
{
	uint8_t *dl = span_low(d, n, size, df);
	const uint8_t *sl = span_low((uint8_t *)s, n, size, df);
	uint32_t bytes = n * size;
	int32_t step = df ? -(int32_t)size : (int32_t)size;

	if ((uintptr_t)dl + bytes <= (uintptr_t)sl || (uintptr_t)sl + bytes <= (uintptr_t)dl) {
		memcpy(dl, sl, bytes);
		return;
	}
	for (; n; n--, d += step, s += step)
		elem_put(d, size, elem_get(s, size));
}

/* STOS: no element is read, and they do not overlap: any order will do,
 * and a value of equal bytes (zeroing, mostly) is a memset. */
static void bulk_stos(uint8_t *d, uint32_t v, uint32_t n, unsigned size, int df)
{
	d = span_low(d, n, size, df);
	if (v == ((v & 0xff) * 0x01010101u & size_mask(size))) {
		memset(d, (int)(v & 0xff), n * size);
		return;
	}
	for (; n; n--, d += size)
		elem_put(d, size, v);
}

/*
 * SCAS and CMPS: compare until the REPE/REPNE condition ends the string or
 * the chunk ends; the flags are those of the last comparison (the CMP of
 * src and dst, or of the accumulator and dst).  s is NULL for SCAS.
 * Returns the iterations done.
 */
static uint32_t bulk_cmp(struct emu *e, const uint8_t *s, const uint8_t *d, uint32_t n,
			 unsigned size, int32_t step)
{
	uint32_t i, a = emu_reg_read(e, RMT_EAX, size), b;
	int want_equal = e->rep == REP_E;       /* REPE goes on while equal */

	for (i = 1;; i++, d += step) {
		if (s) {
			a = elem_get(s, size);
			s += step;
		}
		b = elem_get(d, size);
		if ((a == b) != want_equal || i == n)
			break;
	}
	emu_alu_op(e, 7, a, b, size);
	return i;
}

/*
 * Do up to cnt iterations of the REP string instruction at once, if it and
 * its next iteration qualify (see the top of the file); update SI, DI and
 * the flags for the iterations done (ECX is the caller's) and return how
 * many: 0 means none, and the caller does this iteration itself.
 */
uint32_t emu_string_bulk(struct emu *e, unsigned size, unsigned srcseg, int32_t delta,
			 uint32_t cnt)
{
	unsigned op = e->opc & ~1u;
	int df = delta < 0, has_src = op != 0xaa && op != 0xae, has_dst = op != 0xac;
	unsigned dst_acc = op == 0xa4 || op == 0xaa ? ACC_WRITE : ACC_READ;
	struct bulk_side src = { 0, 0xffffffffu }, dst = { 0, 0xffffffffu };
	uint32_t n = cnt;

	if (!e->ops->map_page || e->opc < 0xa4 || e->nw || (e->c->s.cr0 & X86_CR0_PG))
		return 0;
	if (has_src && !side_span(e, srcseg, emu_reg_read(e, RMT_ESI, e->adsz), size, df,
				  ACC_READ, &src))
		return 0;
	if (has_dst && !side_span(e, RMT_ES, emu_reg_read(e, RMT_EDI, e->adsz), size, df,
				  dst_acc, &dst))
		return 0;
	if (n > src.n)
		n = src.n;
	if (n > dst.n)
		n = dst.n;
	switch (op) {
	case 0xa4:      /* MOVS */
		bulk_movs(dst.host, src.host, n, size, df);
		break;
	case 0xaa:      /* STOS */
		bulk_stos(dst.host, emu_reg_read(e, RMT_EAX, size), n, size, df);
		break;
	case 0xac:      /* LODS: only the last load is seen */
		emu_reg_write(e, RMT_EAX, size,
			      elem_get(src.host + (int32_t)(n - 1) * delta, size));
		break;
	default:        /* 0xa6 CMPS, 0xae SCAS */
		n = bulk_cmp(e, has_src ? src.host : NULL, dst.host, n, size, delta);
		break;
	}
	if (has_src)
		emu_adv_reg(e, RMT_ESI, e->adsz, (int32_t)n * delta);
	if (has_dst)
		emu_adv_reg(e, RMT_EDI, e->adsz, (int32_t)n * delta);
	return n;
}

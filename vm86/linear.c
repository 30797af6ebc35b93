/*
 * From segment:offset to guest-physical bytes: segmentation (limit and type
 * checks, the unusable-segment rule), paging (2-level with 4 MiB PSE pages,
 * and PAE), A20 masking, and the write buffer.
 *
 * Why a write buffer: an instruction may write several places (CALL FAR
 * pushes CS then IP, PUSHA eight registers, ENTER a whole frame) and fault on
 * a later one.  Hardware checks before it commits, so a faulting instruction
 * leaves memory as it was; we get the same by translating every write when
 * the instruction makes it (which is where #GP/#SS/#PF are raised) but
 * holding the bytes in e->w until the instruction retires.  Reads look
 * through the buffer, so an instruction sees its own earlier writes.
 */
#include <stdarg.h>
#include "lib/fmt.h"
#include "lib/string.h"
#include "vm86/interp_priv.h"

/* Where ops->map_page has physical pa (at pa's byte), or NULL. */
static inline __attribute__((always_inline)) uint8_t *emu_map(struct emu *e, uint32_t pa)
{
	uint8_t *m = e->ops->map_page ? e->ops->map_page(e->ops->ctx, pa & ~0xfffu) : NULL;

	return m ? m + (pa & 0xfff) : NULL;
}

/* -------------------------------------------------------------- faults --- */

/*
 * Record an exception.  Only protected mode (vm86 included) pushes error
 * codes; a real-mode #GP is delivered through the IVT without one (SDM Vol.
 * 3A 20.1.4).
 */
int emu_fault(struct emu *e, unsigned vector, uint32_t error_code)
{
	e->fault.vector = (uint8_t)vector;
	e->fault.reserved = 0;
	e->fault.has_error = x86_vector_has_error_code(vector) && !mode_real(e);
	e->fault.error_code = e->fault.has_error ? error_code : 0;
	e->fault.cr2 = 0;
	return INTERP_FAULT;
}

int fault_gp0(struct emu *e)
{
	return emu_fault(e, X86_GP, 0);
}

int emu_unsupported(struct emu *e, const char *fmt, ...)
{
	va_list ap;

	if (e->st) {
		va_start(ap, fmt);
		rmt_vsnprintf(e->st->why, sizeof(e->st->why), fmt, ap);
		va_end(ap);
	}
	return INTERP_UNSUPPORTED;
}

static int memerr(struct emu *e, const char *what, uint32_t paddr)
{
	if (e->st)
		rmt_snprintf(e->st->why, sizeof(e->st->why), "%s refused at physical 0x%x",
			     what, (unsigned)paddr);
	return INTERP_MEMERR;
}

/* -------------------------------------------------------- segmentation --- */

/*
 * The offsets seg admits for an access of kind acc, as the closed byte range
 * [*lo, *hi]; 0 if it admits none whatever the offset.  SDM Vol. 3A 5.3
 * (limit checking: expand-down segments accept offsets above the limit, up to
 * 0xFFFF or 0xFFFFFFFF by the B flag) and 5.5 (type checks).
 *
 * The limit is enforced in every mode, real mode included: it is the hidden
 * limit, so big real mode (a 4 GiB limit left over from protected mode) is
 * honoured and plain real mode faults at 64 KiB.  Type checks and the
 * unusable-segment rule apply only in protected mode: in real mode the
 * processor does not consult the access rights for permission (SDM Vol. 3A
 * 20.1.1), and vm86 segments are always read/write data.
 *
 * One range, not a per-offset test, so that a REP string chunk
 * (string_bulk.c) can ask once which of its iterations the segment allows.
 */
static inline __attribute__((always_inline)) int seg_bounds(const struct emu *e, unsigned seg,
							    unsigned acc, uint32_t *lo, uint32_t *hi)
{
	const struct rmt_segment *s = &e->c->s.seg[seg];
	uint32_t ar = s->ar;

	if (mode_pm(e)) {
		int code = (ar & (RMT_AR_S | 8)) == (RMT_AR_S | 8);

		if (ar & RMT_AR_UNUSABLE)
			return 0;
		if ((acc & 3) == ACC_WRITE && (code || !(ar & 2)))
			return 0;                               /* code or read-only data */
		if ((acc & 3) == ACC_READ && code && !(ar & 2))
			return 0;                               /* execute-only code */
	}
	if ((ar & (RMT_AR_S | 8 | 4)) == (RMT_AR_S | 4)) {
		/* expand-down data segment: above the limit, up to the B flag's top */
		*hi = (ar & RMT_AR_DB) ? 0xffffffffu : 0xffffu;
		if (s->limit >= *hi)
			return 0;
		*lo = s->limit + 1;
	} else {
		*lo = 0;
		*hi = s->limit;
	}
	return 1;
}

int emu_seg_bounds(const struct emu *e, unsigned seg, unsigned acc, uint32_t *lo, uint32_t *hi)
{
	return seg_bounds(e, seg, acc, lo, hi);
}

/*
 * Check an access of `size` bytes at seg:off and return its linear address:
 * every byte within seg_bounds' range (and none past 4 GiB).  Failures are
 * #SS(0) for SS and #GP(0) for the rest.
 */
int emu_seg_linear_full(struct emu *e, unsigned seg, uint32_t off, unsigned size, unsigned acc,
			uint32_t *lin)
{
	uint32_t lo, hi, last = off + size - 1;

	if (!seg_bounds(e, seg, acc, &lo, &hi) || last < off || off < lo || last > hi)
		return emu_fault(e, seg == RMT_SS ? X86_SS : X86_GP, 0);
	*lin = e->c->s.seg[seg].base + off;
	return 0;
}

/* -------------------------------------------------------------- paging --- */

#define PTE_P   0x001u
#define PTE_RW  0x002u
#define PTE_US  0x004u
#define PTE_A   0x020u
#define PTE_D   0x040u
#define PTE_PS  0x080u

#define PFEC_P    0x01u
#define PFEC_W    0x02u
#define PFEC_U    0x04u
#define PFEC_RSVD 0x08u
#define PFEC_I    0x10u

static uint32_t a20(const struct emu *e, uint32_t paddr)
{
	/* With the A20 gate closed, address line 20 is forced to zero on every
	 * access, page-table walks included (the 8086 wrap-around). */
	return e->c->a20 ? paddr : paddr & ~(1u << 20);
}

static int read_pte(struct emu *e, uint32_t paddr, unsigned size, uint64_t *v)
{
	uint8_t b[8];
	unsigned i;

	paddr = a20(e, paddr);
	if (e->ops->read_phys(e->ops->ctx, paddr, b, size))
		return memerr(e, "page-table read", paddr);
	*v = 0;
	for (i = 0; i < size; i++)
		*v |= (uint64_t)b[i] << (8 * i);
	return 0;
}

/* Set accessed (and dirty) bits as the processor does during the walk. */
static int update_pte(struct emu *e, uint32_t paddr, uint64_t old, uint32_t set)
{
	uint32_t lo = (uint32_t)old | set;
	uint8_t b[4] = { (uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(lo >> 16), (uint8_t)(lo >> 24) };

	if (((uint32_t)old & set) == set)
		return 0;
	paddr = a20(e, paddr);
	if (e->ops->write_phys(e->ops->ctx, paddr, b, 4))
		return memerr(e, "page-table write", paddr);
	return 0;
}

static int page_fault(struct emu *e, uint32_t lin, uint32_t ec)
{
	emu_fault(e, X86_PF, ec);
	e->fault.cr2 = lin;
	return INTERP_FAULT;
}

/*
 * Translate a linear address with paging on (SDM Vol. 3A 4.3 32-bit paging,
 * 4.4 PAE); emu_translate (interp_priv.h) handles paging off inline.
 * User accesses are those at CPL 3 that are not implicit supervisor accesses
 * (descriptor tables, TSS); supervisor writes to read-only pages fault only
 * with CR0.WP.  PAE PDPTEs are read from memory at every walk rather than
 * cached at MOV CR3 (a guest that edits live PDPTEs without reloading CR3 is
 * outside what we model).
 */
int emu_walk(struct emu *e, uint32_t lin, unsigned acc, uint32_t *paddr)
{
	const struct rmt_state *s = &e->c->s;
	int user = cur_cpl(e) == 3 && !(acc & ACC_SYS);
	int write = (acc & 3) == ACC_WRITE, exec = (acc & 3) == ACC_EXEC;
	int nxe = (s->cr4 & X86_CR4_PAE) && (s->efer_lo & X86_EFER_NXE);
	uint32_t ec = (write ? PFEC_W : 0) | (user ? PFEC_U : 0) | (exec && nxe ? PFEC_I : 0);
	uint64_t e1, e2, leaf;
	uint32_t a1, a2, rw, us, frame;
	int nx = 0;

	if (!(s->cr4 & X86_CR4_PAE)) {
		a1 = (s->cr3 & 0xfffff000u) | ((lin >> 22) << 2);
		TRY(read_pte(e, a1, 4, &e1));
		if (!(e1 & PTE_P))
			return page_fault(e, lin, ec);
		if ((e1 & PTE_PS) && (s->cr4 & X86_CR4_PSE)) {
			if (e1 & 0x001fe000u)   /* PSE-36 address bits 39:32 */
				return emu_unsupported(e, "4 MiB page above 4 GiB at 0x%x", (unsigned)lin);
			rw = e1 & PTE_RW;
			us = e1 & PTE_US;
			frame = ((uint32_t)e1 & 0xffc00000u) | (lin & 0x003fffffu);
			leaf = e1;
			a2 = a1;
			a1 = 0;
		} else {
			a2 = ((uint32_t)e1 & 0xfffff000u) | (((lin >> 12) & 0x3ff) << 2);
			TRY(read_pte(e, a2, 4, &e2));
			if (!(e2 & PTE_P))
				return page_fault(e, lin, ec);
			rw = e1 & e2 & PTE_RW;
			us = e1 & e2 & PTE_US;
			frame = ((uint32_t)e2 & 0xfffff000u) | (lin & 0xfff);
			leaf = e2;
		}
	} else {
		uint64_t pdpte, pde;
		uint32_t ap = (s->cr3 & 0xffffffe0u) + ((lin >> 30) << 3), ad;
		uint64_t rsvd_nx = nxe ? 0 : (1ull << 63);

		TRY(read_pte(e, ap, 8, &pdpte));
		if (!(pdpte & PTE_P))
			return page_fault(e, lin, ec);
		if (pdpte & 0x1e6u)     /* PDPTE reserved bits 2:1, 8:5 */
			return page_fault(e, lin, ec | PFEC_P | PFEC_RSVD);
		if (pdpte >> 32)
			return emu_unsupported(e, "PAE page directory above 4 GiB");
		ad = ((uint32_t)pdpte & 0xfffff000u) + (((lin >> 21) & 0x1ff) << 3);
		TRY(read_pte(e, ad, 8, &pde));
		if (!(pde & PTE_P))
			return page_fault(e, lin, ec);
		if (pde & rsvd_nx)
			return page_fault(e, lin, ec | PFEC_P | PFEC_RSVD);
		nx = (int)(pde >> 63);
		rw = (uint32_t)pde & PTE_RW;
		us = (uint32_t)pde & PTE_US;
		a1 = ad;
		e1 = pde;
		if (pde & PTE_PS) {
			if ((pde >> 32) & 0x7fffffffu)
				return emu_unsupported(e, "PAE page above 4 GiB at 0x%x", (unsigned)lin);
			frame = ((uint32_t)pde & 0xffe00000u) | (lin & 0x001fffffu);
			leaf = pde;
			a2 = ad;
			a1 = 0;
		} else {
			a2 = ((uint32_t)pde & 0xfffff000u) + (((lin >> 12) & 0x1ff) << 3);
			if ((pde >> 32) & 0x7fffffffu)
				return emu_unsupported(e, "PAE page table above 4 GiB");
			TRY(read_pte(e, a2, 8, &e2));
			if (!(e2 & PTE_P))
				return page_fault(e, lin, ec);
			if (e2 & rsvd_nx)
				return page_fault(e, lin, ec | PFEC_P | PFEC_RSVD);
			if ((e2 >> 32) & 0x7fffffffu)
				return emu_unsupported(e, "PAE page above 4 GiB at 0x%x", (unsigned)lin);
			nx |= (int)(e2 >> 63);
			rw &= (uint32_t)e2;
			us &= (uint32_t)e2;
			frame = ((uint32_t)e2 & 0xfffff000u) | (lin & 0xfff);
			leaf = e2;
		}
	}
	if (user && !us)
		return page_fault(e, lin, ec | PFEC_P);
	if (write && !rw && (user || (s->cr0 & X86_CR0_WP)))
		return page_fault(e, lin, ec | PFEC_P);
	if (exec && nx && nxe)
		return page_fault(e, lin, ec | PFEC_P);
	if (a1)
		TRY(update_pte(e, a1, e1, PTE_A));
	TRY(update_pte(e, a2, leaf, PTE_A | (write ? PTE_D : 0)));
	*paddr = a20(e, frame);
	return 0;
}

/* ------------------------------------------------------- linear access --- */

/* Copy the bytes this instruction has written but not yet committed over
 * buf, which holds [pa, pa + len) as memory has it (within one page). */
static void overlay_writes(const struct emu *e, uint32_t pa, uint8_t *buf, unsigned len)
{
	unsigned i, lo, hi, wlo, whi;

	for (i = 0; i < e->nw; i++) {
		const struct wbuf_ent *w = &e->w[i];

		/* Both runs lie within one page: work with page offsets. */
		if ((w->paddr ^ pa) & ~0xfffu)
			continue;
		wlo = w->paddr & 0xfff;
		whi = wlo + w->len;
		lo = pa & 0xfff;
		hi = lo + len;
		if (wlo > lo)
			lo = wlo;
		if (whi < hi)
			hi = whi;
		if (lo < hi)
			memcpy(buf + (lo - (pa & 0xfff)), e->wdata + w->off + (lo - wlo), hi - lo);
	}
}

/* Bytes within one page: directly where ops->map_page allows, else through
 * read_phys / write_phys.  Return 1, or 0 if the callback refused. */
static inline __attribute__((always_inline)) int phys_read(struct emu *e, uint32_t pa, uint8_t *p, unsigned len)
{
	const uint8_t *m = emu_map(e, pa);

	if (!m)
		return !e->ops->read_phys(e->ops->ctx, pa, p, len);
	for (unsigned i = 0; i < len; i++)
		p[i] = m[i];
	return 1;
}

int emu_lin_read(struct emu *e, uint32_t lin, void *buf, unsigned len, unsigned acc)
{
	uint8_t *p = buf;

	while (len) {
		unsigned chunk = 0x1000 - (lin & 0xfff);
		uint32_t pa;

		if (chunk > len)
			chunk = len;
		TRY(emu_translate(e, lin, acc, &pa));
		if (!phys_read(e, pa, p, chunk))
			return memerr(e, "read", pa);
		if (e->nw)
			overlay_writes(e, pa, p, chunk);
		lin += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

/* Buffer `chunk` bytes (within one page) for physical pa. */
static inline __attribute__((always_inline)) int wbuf_add(struct emu *e, uint32_t pa,
							  const uint8_t *p, unsigned chunk)
{
	struct wbuf_ent *w;

	if (e->nwdata + chunk > WBUF_BYTES)
		return emu_unsupported(e, "more than %d bytes of pending writes", WBUF_BYTES);
	w = e->nw ? &e->w[e->nw - 1] : NULL;
	/* A run may grow only within its page (overlay_writes relies on it). */
	if (w && w->paddr + w->len == pa && (pa & 0xfff) && w->off + w->len == e->nwdata) {
		w->len = (uint16_t)(w->len + chunk);    /* continues the last run */
	} else {
		if (e->nw == WBUF_MAX)
			return emu_unsupported(e, "more than %d pending writes", WBUF_MAX);
		w = &e->w[e->nw++];
		w->paddr = pa;
		w->host = emu_map(e, pa);
		w->off = (uint16_t)e->nwdata;
		w->len = (uint16_t)chunk;
	}
	emu_copy(e->wdata + e->nwdata, p, chunk);
	e->nwdata += chunk;
	return 0;
}

int emu_lin_write(struct emu *e, uint32_t lin, const void *buf, unsigned len, unsigned acc)
{
	const uint8_t *p = buf;

	while (len) {
		unsigned chunk = 0x1000 - (lin & 0xfff);
		uint32_t pa;

		if (chunk > len)
			chunk = len;
		TRY(emu_translate(e, lin, acc | ACC_WRITE, &pa));
		TRY(wbuf_add(e, pa, p, chunk));
		lin += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int emu_flush_writes(struct emu *e)
{
	unsigned i;

	for (i = 0; i < e->nw; i++) {
		const struct wbuf_ent *w = &e->w[i];

		if (w->host)
			emu_copy(w->host, e->wdata + w->off, w->len);
		else if (e->ops->write_phys(e->ops->ctx, w->paddr, e->wdata + w->off, w->len)) {
			e->nw = e->nwdata = 0;
			return memerr(e, "write", w->paddr);
		}
	}
	e->nw = e->nwdata = 0;
	return 0;
}

/*
 * Commit the work of the completed iterations of a REP string instruction:
 * memory, and every register but EIP, which stays at the instruction until
 * the last iteration (SDM Vol. 2B "REP": a fault or interrupt leaves the
 * registers so that the instruction can be restarted).  String instructions
 * change only general registers and flags: those become what a fault
 * restores.
 */
int emu_commit_progress(struct emu *e)
{
	TRY(emu_flush_writes(e));
	__builtin_memcpy(e->undo.gpr, e->c->s.gpr, sizeof(e->undo.gpr));
	e->undo.eflags = e->c->s.eflags;
	e->undo.interruptibility = e->c->s.interruptibility;
	return 0;
}

/* --------------------------------------------------- segmented access --- */

int emu_mem_read(struct emu *e, unsigned seg, uint32_t off, unsigned size, uint32_t *val)
{
	uint8_t b[4] = { 0, 0, 0, 0 };
	uint32_t lin, pa;

	TRY(emu_seg_linear(e, seg, off, size, ACC_READ, &lin));
	if (!e->nw && (lin & 0xfff) <= 0x1000 - size) {
		/* Within a page, nothing buffered to overlay: emu_lin_read's one
		 * chunk, without its loop — and from the page itself if mapped. */
		const uint8_t *m;

		TRY(emu_translate(e, lin, ACC_READ, &pa));
		m = emu_map(e, pa);
		if (m) {
			*val = emu_load(m, size);
			return 0;
		}
		if (e->ops->read_phys(e->ops->ctx, pa, b, size))
			return memerr(e, "read", pa);
	} else {
		TRY(emu_lin_read(e, lin, b, size, ACC_READ));
	}
	*val = b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

int emu_mem_write(struct emu *e, unsigned seg, uint32_t off, unsigned size, uint32_t val)
{
	uint8_t b[4] = { (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)(val >> 16), (uint8_t)(val >> 24) };
	uint32_t lin;

	TRY(emu_seg_linear(e, seg, off, size, ACC_WRITE, &lin));
	if ((lin & 0xfff) <= 0x1000 - size) {
		/* within a page: emu_lin_write's one chunk, without its loop */
		uint32_t pa;

		TRY(emu_translate(e, lin, ACC_WRITE, &pa));
		return wbuf_add(e, pa, b, size);
	}
	return emu_lin_write(e, lin, b, size, ACC_WRITE);
}

/*
 * The last write of an instruction, when nothing is buffered (the
 * destination operand's write-back in interp.c, a push that only a register
 * update follows): after it only the commit remains, which cannot fault, so
 * a write within one mapped page can go to memory at once — all-or-nothing
 * still holds.  Otherwise it is buffered like any write.  lin: checked by
 * the caller (emu_seg_linear).
 */
int emu_mem_write_block_last(struct emu *e, uint32_t lin, const uint8_t *buf, unsigned len)
{
	uint32_t pa;
	uint8_t *m;

	if (e->nw || (lin & 0xfff) > 0x1000 - len)
		return emu_lin_write(e, lin, buf, len, ACC_WRITE);
	TRY(emu_translate(e, lin, ACC_WRITE, &pa));
	m = emu_map(e, pa);
	if (!m)
		return wbuf_add(e, pa, buf, len);
	emu_copy(m, buf, len);
	return 0;
}

int emu_mem_write_last(struct emu *e, unsigned seg, uint32_t off, unsigned size, uint32_t val)
{
	uint32_t lin, pa;
	uint8_t *m;

	TRY(emu_seg_linear(e, seg, off, size, ACC_WRITE, &lin));
	if (e->nw || (lin & 0xfff) > 0x1000 - size)
		return emu_mem_write(e, seg, off, size, val);
	TRY(emu_translate(e, lin, ACC_WRITE, &pa));
	m = emu_map(e, pa);
	if (!m)
		return emu_mem_write(e, seg, off, size, val);
	emu_store(m, size, val);
	return 0;
}

/*
 * A multi-part memory operand (m16:16/32 far pointer, BOUND's pair, the
 * 6-byte pseudo-descriptor) is one access for the limit check: it faults if
 * any byte lies beyond the limit, rather than wrapping at 64 KiB.
 */
int emu_mem_check_read(struct emu *e, unsigned seg, uint32_t off, unsigned size)
{
	uint32_t lin;

	return emu_seg_linear(e, seg, off, size, ACC_READ, &lin);
}

int emu_mem_check_write(struct emu *e, unsigned seg, uint32_t off, unsigned size)
{
	uint32_t lin, pa;

	TRY(emu_seg_linear(e, seg, off, size, ACC_WRITE, &lin));
	TRY(emu_translate(e, lin, ACC_WRITE, &pa));
	if ((lin & 0xfff) + size > 0x1000)
		TRY(emu_translate(e, (lin | 0xfff) + 1, ACC_WRITE, &pa));
	return 0;
}

/*
 * Differential test: the interpreter (vm86/) against unicorn 2.0.1 (QEMU's
 * x86 TCG as a library), one random instruction at a time.
 *
 * Each case draws a mode (16-bit real mode with random segment selectors, or
 * flat 32-bit protected mode at CPL 0), random general registers and
 * arithmetic flags, and one instruction: optional prefixes, an opcode from
 * the table below, then random bytes (ModRM, SIB, displacement, immediate).
 * Memory is sparse and lazily created with the same deterministic contents on
 * both sides, so every address is valid.  Both run the instruction; we then
 * compare the eight GPRs, EIP, the segment selectors, EFLAGS minus the flags
 * the SDM leaves undefined for that instruction, port output, and every byte
 * either side wrote.  An exception must be the same vector on both sides.
 *
 * Where QEMU is known to deviate from the SDM the case is not counted as a
 * mismatch but tallied under its deviation id (see docs/interpreter.md §8):
 *   D1  QEMU checks no segment limits or types (real-mode accesses and branch
 *       targets beyond 64 KiB, 32-bit accesses wrapping 4 GiB, writes through
 *       CS:): we raise #GP/#SS, it proceeds.
 *   D2  PUSH Sreg with a 32-bit operand: QEMU writes 4 bytes (zero-extended),
 *       recent Intel processors (and we) write 2; the upper two bytes are not
 *       compared.  The SDM allows both.
 *   D3  unicorn reports INT n/INT3/INTO/ICEBP to a hook instead of vectoring
 *       through the IVT: not generated (the unit tests cover them).
 *   D4  LOCK with a register operand (or on a non-lockable group member)
 *       aborts unicorn 2.0.1 ("tcg fatal error"): LOCK is generated only on
 *       the legal memory forms; the #UD cases are unit-tested.
 *   D6-D14: see docs/interpreter.md §8; each is tallied where it is
 *       detected below, with a comment naming it.
 *
 * Usage: interp_vs_unicorn [N [SEED]]; prints one summary line:
 *   interp-vs-unicorn: instructions=N mismatches=M opcodes=K
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "vm86/interp.h"
#include "tests/diff/unicorn_gen.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* -------------------------------------------------------------- memory --- */

/* Our side's memory: 4 KiB pages created on first touch with contents that
 * depend only on (page number, epoch), which unicorn's lazy mapping repeats. */
#define NBUCKET 4096
struct page {
	uint32_t pn;
	struct page *next;
	uint8_t data[4096];
};
static struct page *buckets[NBUCKET];
static unsigned npages;
static uint32_t epoch;
static uc_engine *uc;

static void page_fill(uint32_t pn, uint8_t *d)
{
	uint64_t s = (uint64_t)pn * 0x9e3779b97f4a7c15ull ^ ((uint64_t)epoch << 32) ^ 0x1234567;
	unsigned i;

	for (i = 0; i < 4096; i += 8) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		/* a third of the bytes are zero: small values make plausible pointers */
		memcpy(d + i, &s, 8);
		if ((s >> 60) < 5)
			memset(d + i, 0, 4);
	}
}

static struct page *page_get(uint32_t pn)
{
	struct page *p;

	for (p = buckets[pn % NBUCKET]; p; p = p->next)
		if (p->pn == pn)
			return p;
	p = malloc(sizeof(*p));
	p->pn = pn;
	page_fill(pn, p->data);
	p->next = buckets[pn % NBUCKET];
	buckets[pn % NBUCKET] = p;
	npages++;
	return p;
}

static uint8_t *byte_at(uint32_t a)
{
	return &page_get(a >> 12)->data[a & 0xfff];
}

/* The harness's lists never drop an entry silently: a list that overflows
 * ends the run with an error, since a dropped write or page could hide a
 * mismatch or change what unicorn sees. */
static void list_full(const char *what)
{
	fprintf(stderr, "interp-vs-unicorn: harness list '%s' overflowed\n", what);
	exit(2);
}

/* Write ranges, both sides. */
#define MAXW 512
struct wrange { uint32_t a; unsigned n; };
static struct wrange our_w[MAXW], uc_w[MAXW];
static unsigned n_our_w, n_uc_w;

/* Pages our side touched in this case, each once: mapped in unicorn before
 * it runs, so that it never takes its lazy-mapping path for them (D8). */
#define MAXTOUCH 256
static uint32_t touched[MAXTOUCH];
static unsigned n_touched;

/* Exact byte ranges our side read or wrote as data, and the bytes of the
 * instruction itself: the bytes after the instruction that are in none of
 * them become HLTs for unicorn (see run_case). */
#define MAXACC 1024
static struct wrange accessed[MAXACC];
static unsigned n_accessed;

/* The instruction fetch: the first read of a step at the instruction's
 * address.  The interpreter reads a window of up to 15 bytes there, more
 * than the instruction may use; only the bytes it used count as accessed
 * (run_case adds them once the length is known). */
static int fetch_pending;
static uint32_t fetch_at;

static int was_accessed(uint32_t a)
{
	unsigned i;

	for (i = 0; i < n_accessed; i++)
		if (a - accessed[i].a < accessed[i].n)
			return 1;
	return 0;
}

static void note_access(uint32_t pa, unsigned len)
{
	if (n_accessed == MAXACC)
		list_full("accessed");
	accessed[n_accessed++] = (struct wrange){ pa, len };
}

static void note_pages(uint32_t pa, unsigned len)
{
	uint32_t pn = pa >> 12, last = (pa + len - 1) >> 12;
	unsigned i;

	for (;; pn++) {
		for (i = 0; i < n_touched && touched[i] != pn; i++)
			;
		if (i == n_touched) {
			if (n_touched == MAXTOUCH)
				list_full("touched");
			touched[n_touched++] = pn;
		}
		if (pn == last)
			break;
	}
}

static int h_read(void *ctx, uint32_t pa, void *buf, unsigned len)
{
	unsigned i;

	if (ctx) {
		note_pages(pa, len);
		if (fetch_pending && pa == fetch_at)
			fetch_pending = 0;
		else
			note_access(pa, len);
	}
	for (i = 0; i < len; i++)
		((uint8_t *)buf)[i] = *byte_at(pa + i);
	return 0;
}

/* The warm-up run's direct access, for the instruction fetch only (its first
 * map_page call, the fetch window's): it fills the decode-cache entry — and
 * the entry's pointer to the instruction — that the compared run then hits.
 * The compared run has no map_page, so every data access it makes goes
 * through h_read/h_write, which record it; the cache's remembered pointer
 * stays valid until uc_reset frees the pages (and empties the cache). */
static void *h_map(void *ctx, uint32_t page)
{
	if (!fetch_pending || page != (fetch_at & ~0xfffu))
		return NULL;
	fetch_pending = 0;
	return byte_at(page);
}

static int h_write(void *ctx, uint32_t pa, const void *buf, unsigned len)
{
	unsigned i;

	note_pages(pa, len);
	note_access(pa, len);
	for (i = 0; i < len; i++)
		*byte_at(pa + i) = ((const uint8_t *)buf)[i];
	if (n_our_w == MAXW)
		list_full("our writes");
	our_w[n_our_w++] = (struct wrange){ pa, len };
	return 0;
}

/* Port I/O: IN returns a value derived from the port; OUTs are logged. */
struct outrec { uint16_t port; unsigned size; uint32_t v; };
static struct outrec our_out[64], uc_out[64];
static unsigned n_our_out, n_uc_out;

static uint32_t in_value(uint32_t port, unsigned size)
{
	uint32_t v = 0x5a000000u | port * 0x01010101u;
	return size == 1 ? v & 0xff : size == 2 ? v & 0xffff : v;
}

static uint32_t h_in(void *ctx, uint16_t port, unsigned size)
{
	return in_value(port, size);
}

static void h_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	if (n_our_out == 64)
		list_full("our port output");
	our_out[n_our_out++] = (struct outrec){ port, size, v };
}

static int h_rdmsr(void *ctx, uint32_t msr, uint64_t *v) { return -1; }
static int h_wrmsr(void *ctx, uint32_t msr, uint64_t v) { return -1; }
static void h_cpuid(void *ctx, uint32_t l, uint32_t s, uint32_t o[4]) { memset(o, 0, 16); }
static uint64_t h_rdtsc(void *ctx) { return 0; }

/* Kept across cases (each case's bytes land where earlier cases' did), until
 * uc_reset frees the pages. */
static struct interp_dcache dcache;

static const struct interp_ops OPS = {
	.ctx = touched,
	.dcache = &dcache,
	.read_phys = h_read, .write_phys = h_write, .io_in = h_in, .io_out = h_out,
	.rdmsr = h_rdmsr, .wrmsr = h_wrmsr, .cpuid = h_cpuid, .rdtsc = h_rdtsc,
};

/* Every other case first runs its instruction on a copy of the state with
 * these ops — memory writes and port output dropped, nothing recorded — so
 * that the compared run takes the decode cache's hit path.  A write through
 * the pointer h_map gives (a data access to the instruction's page, when the
 * warm-up itself hits an entry and never asks for the fetch) is undone by
 * restoring that page afterwards. */
static int w_write(void *ctx, uint32_t pa, const void *buf, unsigned len) { return 0; }
static void w_out(void *ctx, uint16_t port, unsigned size, uint32_t v) { }

static const struct interp_ops WARM_OPS = {
	.ctx = NULL,
	.dcache = &dcache,
	.map_page = h_map,
	.read_phys = h_read, .write_phys = w_write, .io_in = h_in, .io_out = w_out,
	.rdmsr = h_rdmsr, .wrmsr = h_wrmsr, .cpuid = h_cpuid, .rdtsc = h_rdtsc,
};

/* ------------------------------------------------------------- unicorn --- */

static int uc_vector = -1;

static bool uc_unmapped(uc_engine *u, uc_mem_type type, uint64_t addr, int size, int64_t v,
			void *ud)
{
	uint64_t a = addr & ~0xfffull, end = (addr + (uint64_t)size + 0xfff) & ~0xfffull;

	for (; a < end && a < 0x100000000ull; a += 0x1000) {
		uint8_t d[4096];
		page_fill((uint32_t)(a >> 12), d);
		if (uc_mem_map(u, a, 0x1000, UC_PROT_ALL) == UC_ERR_OK)
			uc_mem_write(u, a, d, 0x1000);
	}
	return true;
}

static void uc_memw(uc_engine *u, uc_mem_type type, uint64_t addr, int size, int64_t v, void *ud)
{
	if (n_uc_w == MAXW)
		list_full("unicorn writes");
	uc_w[n_uc_w++] = (struct wrange){ (uint32_t)addr, (unsigned)size };
}

static void uc_intr(uc_engine *u, uint32_t intno, void *ud)
{
	uc_vector = (int)intno;
	uc_emu_stop(u);
}

static uint32_t uc_in(uc_engine *u, uint32_t port, int size, void *ud)
{
	return in_value(port, (unsigned)size);
}

static void uc_outp(uc_engine *u, uint32_t port, int size, uint32_t v, void *ud)
{
	if (n_uc_out == 64)
		list_full("unicorn port output");
	uc_out[n_uc_out++] = (struct outrec){ (uint16_t)port, (unsigned)size, v };
}

/* Make sure unicorn's copy of [a, a+n) exists (mapped with the original contents). */
static void uc_touch(uint32_t a, unsigned n)
{
	uc_unmapped(uc, UC_MEM_READ_UNMAPPED, a, (int)n, 0, NULL);
}

static int cur_mode;    /* 16 or 32 */

static void uc_reset(int mode)
{
	uc_hook h;
	unsigned i;
	struct page *p, *q;

	if (uc)
		uc_close(uc);
	for (i = 0; i < NBUCKET; i++) {
		for (p = buckets[i]; p; p = q) {
			q = p->next;
			free(p);
		}
		buckets[i] = NULL;
	}
	npages = 0;
	epoch++;
	/* The pages h_map handed out are gone: the decode cache may hold
	 * pointers into them (interp.h, map_page). */
	memset(&dcache, 0, sizeof(dcache));
	cur_mode = mode;
	if (uc_open(UC_ARCH_X86, mode == 16 ? UC_MODE_16 : UC_MODE_32, &uc)) {
		fprintf(stderr, "uc_open failed\n");
		exit(2);
	}
	uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED, (void *)uc_unmapped, NULL, 1, 0);
	uc_hook_add(uc, &h, UC_HOOK_MEM_WRITE, (void *)uc_memw, NULL, 1, 0);
	uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)uc_intr, NULL, 1, 0);
	uc_hook_add(uc, &h, UC_HOOK_INSN, (void *)uc_in, NULL, 1, 0, UC_X86_INS_IN);
	uc_hook_add(uc, &h, UC_HOOK_INSN, (void *)uc_outp, NULL, 1, 0, UC_X86_INS_OUT);
}

/* ------------------------------------------------------------- a case --- */

static int trace;
static unsigned long n_run, n_cmp, n_mismatch, n_fault_match, n_dev[16], n_skip;
static unsigned long opcode_hits[0x200];

static void set_uc_state(const struct guest_cpu *c)
{
	static const int gpr_ids[8] = { UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX,
		UC_X86_REG_EBX, UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI };
	static const int seg_ids[6] = { UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS,
		UC_X86_REG_DS, UC_X86_REG_FS, UC_X86_REG_GS };
	uc_x86_mmr m = { 0 };
	unsigned i;
	uint32_t v;

	for (i = 0; i < 8; i++)
		uc_reg_write(uc, gpr_ids[i], &c->s.gpr[i]);
	if (cur_mode == 16)
		for (i = 0; i < 6; i++) {
			v = c->s.seg[i].sel;
			uc_reg_write(uc, seg_ids[i], &v);
		}
	uc_reg_write(uc, UC_X86_REG_EFLAGS, &c->s.eflags);
	{
		uint64_t cr0 = c->s.cr0;
		uc_reg_write(uc, UC_X86_REG_CR0, &cr0);
	}
	m.base = c->s.gdtr.base;
	m.limit = c->s.gdtr.limit;
	uc_reg_write(uc, UC_X86_REG_GDTR, &m);
	m.base = c->s.idtr.base;
	m.limit = c->s.idtr.limit;
	uc_reg_write(uc, UC_X86_REG_IDTR, &m);
}

static void random_state(struct guest_cpu *c, const struct insn *in)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->a20 = 1;
	c->s.cr0 = X86_CR0_ET | (cur_mode == 32 ? X86_CR0_PE : 0);
	for (i = 0; i < 8; i++) {
		c->s.gpr[i] = rnd();
		if (rnd_n(3) == 0)
			c->s.gpr[i] &= 0xffff;
		if (rnd_n(4) == 0)
			c->s.gpr[i] &= 0x1f;
	}
	if (in->rep)            /* keep REP counts short */
		c->s.gpr[RMT_ECX] = rnd_n(12);
	c->s.eflags = X86_FL_FIXED | (rnd() & (CF | PF | AF | ZF | SF | OF | X86_FL_DF | X86_FL_IF));
	c->s.gdtr.base = rnd();
	c->s.gdtr.limit = rnd() & 0xffff;
	c->s.idtr.base = rnd();
	c->s.idtr.limit = rnd() & 0xffff;
	if (cur_mode == 16) {
		for (i = 0; i < 6; i++) {
			uint16_t sel = (uint16_t)rnd();
			c->s.seg[i] = (struct rmt_segment){ sel, 0, (uint32_t)sel << 4, 0xffff,
							    i == RMT_CS ? 0x9bu : 0x93u };
		}
		c->s.eip = rnd() & 0xffef;
		c->s.seg[RMT_LDTR].ar = 0x82;
		c->s.seg[RMT_TR].ar = 0x8b;
		c->s.seg[RMT_TR].limit = 0xffff;
	} else {
		/* selectors 0, as unicorn's UC_MODE_32 has them; the hidden parts are flat */
		for (i = 0; i < 6; i++)
			c->s.seg[i] = (struct rmt_segment){ 0, 0, 0, 0xffffffffu, 0xc093u };
		c->s.seg[RMT_CS] = (struct rmt_segment){ 0, 0, 0, 0xffffffffu, 0xc09bu };
		c->s.eip = rnd() & ~0xfffu;
		c->s.eip |= rnd() & 0xfff;
		if (c->s.eip > 0xffffff00u)
			c->s.eip = 0x1000;
		c->s.seg[RMT_TR] = (struct rmt_segment){ 0, 0, 0, 0xffff, 0x8b };
	}
}

static void report(const char *what, const struct insn *in, unsigned len,
		   const struct guest_cpu *c0, uint32_t a, uint32_t b)
{
	unsigned i;

	static unsigned printed;

	if (++printed > 2000)
		return;
	printf("MISMATCH mode=%d %s: ours=%08x unicorn=%08x insn:", cur_mode, what, a, b);
	for (i = 0; i < (len ? len : 15); i++)
		printf(" %02x", in->b[i]);
	printf(" | eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x fl=%08x"
	       " cs=%04x ds=%04x ss=%04x es=%04x eip=%08x\n",
	       c0->s.gpr[0], c0->s.gpr[1], c0->s.gpr[2], c0->s.gpr[3], c0->s.gpr[4], c0->s.gpr[5],
	       c0->s.gpr[6], c0->s.gpr[7], c0->s.eflags, c0->s.seg[RMT_CS].sel,
	       c0->s.seg[RMT_DS].sel, c0->s.seg[RMT_SS].sel, c0->s.seg[RMT_ES].sel, c0->s.eip);
}

/* Compare one memory range; resynchronise unicorn from ours either way. */
/* Bytes not compared (D2, D7): offsets [ign_off, ign_off+ign_n) of the stack
 * segment, wrapping with the stack size. */
static uint32_t ign_base, ign_off, ign_mask;

static int ignored(uint32_t a, unsigned ign_n)
{
	return ((a - ign_base - ign_off) & ign_mask) < ign_n;
}

static int compare_range(uint32_t a, unsigned n, unsigned ign_n)
{
	uint8_t theirs[64], ours[64];
	unsigned i;
	int bad = 0;

	if (n > 64)             /* in pieces: a write run may be longer */
		return compare_range(a, 64, ign_n) | compare_range(a + 64, n - 64, ign_n);
	uc_touch(a, n);
	uc_mem_read(uc, a, theirs, n);
	h_read(NULL, a, ours, n);
	for (i = 0; i < n; i++)
		if (ours[i] != theirs[i] && !ignored(a + i, ign_n))
			bad = 1;
	if (bad && trace) {
		printf("  at %08x ours", a);
		for (i = 0; i < n; i++)
			printf(" %02x", ours[i]);
		printf(" unicorn");
		for (i = 0; i < n; i++)
			printf(" %02x", theirs[i]);
		printf("\n");
	}
	uc_mem_write(uc, a, ours, n);
	return bad;
}

static void run_case(void)
{
	static const int gpr_ids[8] = { UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX,
		UC_X86_REG_EBX, UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI };
	static const int seg_ids[6] = { UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS,
		UC_X86_REG_DS, UC_X86_REG_FS, UC_X86_REG_GS };
	struct guest_cpu c0, c;
	struct interp_status st;
	struct insn in;
	enum interp_result r;
	uint32_t lin, ucv, start_pc, mask, undef;
	unsigned i, len, osize, ign_n = 0, guard;

	ign_base = ign_off = ign_mask = 0;
	int skip = 0, bad = 0;
	uc_err ue;

	gen_insn(&in, cur_mode);
	random_state(&c0, &in);
	lin = c0.s.seg[RMT_CS].base + c0.s.eip;
	for (i = 0; i < 16; i++)
		*byte_at(lin + i) = in.b[i];
	uc_touch(lin, 16);
	uc_mem_write(uc, lin, in.b, 16);
	/* unicorn caches translated blocks: drop any stale translation of these bytes */
	uc_ctl_remove_cache(uc, (uint64_t)lin, (uint64_t)lin + 16);
	n_our_w = n_uc_w = n_our_out = n_uc_out = n_touched = n_accessed = 0;

	if (n_run & 1) {
		static uint8_t saved[4096];
		uint8_t *page = byte_at(lin & ~0xfffu);

		memcpy(saved, page, sizeof(saved));
		c = c0;
		fetch_pending = 1;
		fetch_at = lin;
		interp_step(&c, &WARM_OPS, &st);
		memcpy(page, saved, sizeof(saved));
	}
	c = c0;
	fetch_pending = 1;
	fetch_at = lin;         /* paging off, A20 on: physical = linear */
	r = interp_step(&c, &OPS, &st);
	fetch_pending = 0;
	len = st.length;
	if (len)
		note_access(lin, len);
	n_run++;
	if (r == INTERP_UNSUPPORTED || r == INTERP_MEMERR || r == INTERP_HALT) {
		n_skip++;
		goto resync;
	}

	/* D14: an instruction that writes its own bytes makes unicorn restart the
	 * translation block, and with count=1 it stops before re-executing it */
	for (i = 0; i < n_our_w; i++)
		if (our_w[i].a - lin < len || lin - our_w[i].a < our_w[i].n) {
			n_dev[14]++;
			goto resync;
		}
	/* D1 for a branch: our #GP is the CS limit; QEMU would jump to random bytes
	 * (and may abort translating them), so it is not run */
	if (r == INTERP_FAULT && (st.fault.vector == X86_GP || st.fault.vector == X86_SS) &&
	    is_branch(&in)) {
		n_dev[1]++;
		goto resync;
	}
	/* TCG translates a block ahead of what count=1 executes, and random bytes
	 * after the instruction can abort it (D4): end the block with HLTs. */
	if ((r == INTERP_OK || r == INTERP_FAULT) && len && len < 16) {
		/* bytes the instruction used keep the contents it saw (unicorn has not run
		 * yet); ours keep what the instruction made of them */
		for (i = len; i < 16; i++)
			if (!was_accessed(lin + i)) {
				in.b[i] = 0xf4;
				*byte_at(lin + i) = 0xf4;
			}
		uc_mem_write(uc, lin, in.b, 16);
	}
	/* ... and so can the bytes at a branch target: HLTs there too (both sides) */
	if (r == INTERP_OK && c.s.eip != c0.s.eip + len) {
		uint32_t t = c.s.seg[RMT_CS].base + c.s.eip;
		uint8_t hlt = 0xf4;
		uc_touch(t, 16);
		for (i = 0; i < 16; i++)
			/* never over the instruction itself or data it used */
			if (t + i - lin >= len && !was_accessed(t + i)) {
				*byte_at(t + i) = hlt;
				uc_mem_write(uc, t + i, &hlt, 1);
			}
	}
	/* map the page the instruction continues at before unicorn fetches it */
	uc_touch(c.s.seg[RMT_CS].base + c.s.eip, 16);
	for (i = 0; i < n_touched; i++)
		uc_touch(touched[i] << 12, 1);
	set_uc_state(&c0);
	uc_vector = -1;
	if (trace) {
		printf("case %lu mode %d:", n_run, cur_mode);
		for (i = 0; i < 16; i++)
			printf(" %02x", in.b[i]);
		printf("\n");
		fflush(stdout);
	}
	start_pc = cur_mode == 16 ? lin : c0.s.eip;
	guard = 0;
	do {
		ue = uc_emu_start(uc, start_pc, 0xffffffffffffull, 0, 1);
		if (ue || uc_vector >= 0 || !in.rep)
			break;
		uc_reg_read(uc, UC_X86_REG_EIP, &ucv);
		/* in 16-bit mode unicorn's EIP reads as the linear address */
	} while (ucv == start_pc && ++guard < 100);
	if (ue == UC_ERR_INSN_INVALID)
		uc_vector = X86_UD;

	if (r == INTERP_FAULT && st.fault.vector == X86_UD && uc_vector < 0 &&
	    (ue == UC_ERR_READ_UNMAPPED || ue == UC_ERR_WRITE_UNMAPPED || ue == UC_ERR_MAP)) {
		n_dev[11]++;    /* D11: an operand wrapping 4 GiB, read by unicorn before its #UD */
		goto resync;
	}
	if (r == INTERP_FAULT) {
		if (uc_vector == st.fault.vector) {
			n_fault_match++;
		} else if (uc_vector != X86_UD &&
			   (st.fault.vector == X86_GP || st.fault.vector == X86_SS)) {
			n_dev[1]++;     /* D1: no limit/type checks in QEMU */
		} else if (uc_vector < 0 && st.fault.vector == X86_UD &&
			   (in.op == 0x8f || in.op == 0xc6 || in.op == 0xc7)) {
			n_dev[10]++;    /* D10: QEMU ignores ModRM.reg of 8F */
		} else {
			report("fault vector", &in, len, &c0, st.fault.vector,
			       (uint32_t)(uc_vector >= 0 ? uc_vector : 1000 + (int)ue));
			n_mismatch++;
		}
		goto resync;
	}
	if ((ue == UC_ERR_MAP || ue == UC_ERR_FETCH_UNMAPPED) && branch_wrapped(&in, len, &c0)) {
		n_dev[11]++;    /* D11: unicorn does not wrap EIP at 4 GiB */
		goto resync;
	}
	if (uc_vector == X86_UD && in.op == 0x0f18 && (in.modrm >> 6) == 3) {
		n_dev[15]++;    /* D15: QEMU #UD on 0F 18 with a register operand */
		goto resync;
	}
	if (uc_vector >= 0 || ue) {
		report("unicorn faulted", &in, len, &c0, 0, (uint32_t)(uc_vector >= 0 ? uc_vector : 1000 + (int)ue));
		n_mismatch++;
		goto resync;
	}

	/* operand size for the flag masks */
	osize = (cur_mode == 32) != !!in.op16 ? 4 : 2;
	if ((in.op < 0x100 && (in.op & 1) == 0 && ((in.op >= 0xc0 && in.op <= 0xd3) ||
						 in.op == 0xf6)) || in.op == 0x80 || in.op == 0x82)
		osize = 1;
	undef = undefined_flags(&in, len, &c0, osize, &skip);
	/* D8: in memory-operand shifts by CL and SHLD/SHRD, unicorn 2.0.1 computes CF
	 * from a TCG temporary it has overwritten with the instruction's address */
	if ((in.modrm >> 6) != 3 &&
	    (((in.op == 0xd2 || in.op == 0xd3) && (in.modrm >> 3 & 7) >= 4) ||
	     in.op == 0x0fa4 || in.op == 0x0fa5 || in.op == 0x0fac || in.op == 0x0fad)) {
		undef |= CF | OF;
		n_dev[8]++;
	}
	/* D13: QEMU computes the flags of LOCK NEG from the operand, not the result */
	if (in.lock && (in.op == 0xf6 || in.op == 0xf7) && (in.modrm >> 3 & 7) == 3) {
		undef |= CF | PF | AF | ZF | SF | OF;
		n_dev[13]++;
	}
	/* D12: ENTER with operand size != stack size: QEMU writes (E)BP and the
	 * FrameTemp slot with the stack size, the SDM with the operand size */
	if (in.op == 0xc8 && ((c0.s.seg[RMT_SS].ar & RMT_AR_DB) ? 4u : 2u) !=
	    ((cur_mode == 32) != !!in.op16 ? 4u : 2u)) {
		n_dev[12]++;
		goto resync;
	}
	if (skip) {
		n_skip++;
		goto resync;
	}
	/* D6: QEMU sign-extends the imm16 of RET/RETF imm16 (the SDM adds it unsigned) */
	if ((in.op == 0xc2 || in.op == 0xca) && in.b[len - 1] >= 0x80) {
		n_dev[6]++;
		goto resync;
	}
	/* D7: ENTER with nesting > 1: unicorn stores its PC instead of the copied frame
	 * pointers; the copies are not compared */
	if (in.op == 0xc8 && (in.b[len - 1] & 31) > 1) {
		unsigned lvl = in.b[len - 1] & 31, ssz = (c0.s.seg[RMT_SS].ar & RMT_AR_DB) ? 4 : 2;
		unsigned esz = (cur_mode == 32) != !!in.op16 ? 4 : 2;
		uint32_t frame = (c0.s.gpr[RMT_ESP] - esz) & (ssz == 4 ? ~0u : 0xffffu);
		ign_base = c0.s.seg[RMT_SS].base;
		ign_off = frame - (lvl - 1) * esz;
		ign_mask = ssz == 4 ? ~0u : 0xffffu;
		ign_n = (lvl - 1) * esz;
		n_dev[7]++;
	}
	/* SMSW r32: bits 31:16 of the destination are undefined (SDM Vol. 2B SMSW) */
	if (in.op == 0x0f01 && (in.modrm >> 6) == 3 && (in.modrm >> 3 & 7) == 4 &&
	    ((cur_mode == 32) != !!in.op16)) {
		uint32_t v;
		static const int ids[8] = { UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX,
			UC_X86_REG_EBX, UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI };
		uc_reg_read(uc, ids[in.modrm & 7], &v);
		c.s.gpr[in.modrm & 7] = (c.s.gpr[in.modrm & 7] & 0xffff) | (v & 0xffff0000u);
	}
	/* D2: PUSH Sreg with a 32-bit operand, upper two bytes of the slot */
	if (osize == 4 && (in.op == 0x06 || in.op == 0x0e || in.op == 0x16 || in.op == 0x1e ||
			   in.op == 0x0fa0 || in.op == 0x0fa8)) {
		ign_base = c.s.seg[RMT_SS].base;
		ign_off = c.s.gpr[RMT_ESP] + 2;
		ign_mask = (c.s.seg[RMT_SS].ar & RMT_AR_DB) ? ~0u : 0xffffu;
		ign_n = 2;
		n_dev[2]++;
	}

	for (i = 0; i < 8; i++) {
		uc_reg_read(uc, gpr_ids[i], &ucv);
		if (ucv != c.s.gpr[i]) {
			static const char *names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
			report(names[i], &in, len, &c0, c.s.gpr[i], ucv);
			bad = 1;
		}
	}
	if (cur_mode == 16) {
		/* unicorn's EIP reads as CS.base + EIP in 16-bit mode */
		uint32_t cs;
		uc_reg_read(uc, UC_X86_REG_CS, &cs);
		uc_reg_read(uc, UC_X86_REG_EIP, &ucv);
		ucv -= (cs & 0xffff) << 4;
		for (i = 0; i < 6; i++) {
			uint32_t sel;
			uc_reg_read(uc, seg_ids[i], &sel);
			if ((sel & 0xffff) != c.s.seg[i].sel) {
				report("selector", &in, len, &c0, c.s.seg[i].sel, sel);
				bad = 1;
			}
		}
	} else {
		uc_reg_read(uc, UC_X86_REG_EIP, &ucv);
	}
	if (ucv != c.s.eip) {
		report("eip", &in, len, &c0, c.s.eip, ucv);
		bad = 1;
	}
	uc_reg_read(uc, UC_X86_REG_EFLAGS, &ucv);
	mask = 0x003f7fd5u & ~undef;
	if ((ucv & mask) != (c.s.eflags & mask)) {
		report("eflags", &in, len, &c0, c.s.eflags & mask, ucv & mask);
		bad = 1;
		if (trace)
			for (i = 0; i < n_our_w; i++) {
				uint8_t t[4] = { 0 }, o[4] = { 0 }, orig[4096];
				uc_mem_read(uc, our_w[i].a, t, our_w[i].n > 4 ? 4 : our_w[i].n);
				h_read(NULL, our_w[i].a, o, our_w[i].n > 4 ? 4 : our_w[i].n);
				page_fill(our_w[i].a >> 12, orig);
				printf("  write %08x/%u ours %02x%02x%02x%02x unicorn %02x%02x%02x%02x original %02x%02x%02x%02x\n",
				       our_w[i].a, our_w[i].n, o[3], o[2], o[1], o[0], t[3], t[2], t[1], t[0],
				       orig[(our_w[i].a & 0xfff) + 3], orig[(our_w[i].a & 0xfff) + 2],
				       orig[(our_w[i].a & 0xfff) + 1], orig[our_w[i].a & 0xfff]);
			}
	}
	if (n_our_out != n_uc_out) {
		report("out count", &in, len, &c0, n_our_out, n_uc_out);
		bad = 1;
	} else {
		for (i = 0; i < n_our_out; i++)
			if (our_out[i].port != uc_out[i].port || our_out[i].size != uc_out[i].size ||
			    our_out[i].v != uc_out[i].v) {
				report("out", &in, len, &c0, our_out[i].v, uc_out[i].v);
				bad = 1;
			}
	}
	for (i = 0; i < n_our_w; i++)
		if (compare_range(our_w[i].a, our_w[i].n, ign_n)) {
			report("memory (our write)", &in, len, &c0, our_w[i].a, our_w[i].n);
			bad = 1;
		}
	for (i = 0; i < n_uc_w; i++)
		if (compare_range(uc_w[i].a, uc_w[i].n, ign_n)) {
			report("memory (unicorn write)", &in, len, &c0, uc_w[i].a, uc_w[i].n);
			bad = 1;
		}
	n_cmp++;
	if (bad)
		n_mismatch++;
	else
		opcode_hits[in.op > 0xff ? 0x100 | (in.op & 0xff) : in.op]++;
	return;

resync:
	for (i = 0; i < n_our_w; i++)
		compare_range(our_w[i].a, our_w[i].n, 0);
	for (i = 0; i < n_uc_w; i++)
		compare_range(uc_w[i].a, uc_w[i].n, 0);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000, i;
	unsigned k = 0;
	unsigned long reset_every = getenv("DIFF_RESET") ? strtoul(getenv("DIFF_RESET"), NULL, 0) : 1;

	trace = getenv("DIFF_TRACE") != NULL;
	if (argc > 2)
		rng_state ^= strtoull(argv[2], NULL, 0) * 0x9e3779b97f4a7c15ull;
	for (i = 0; i < n; i++) {
		if (i % reset_every == 0)
			uc_reset(rnd_n(2) ? 16 : 32);
		run_case();
	}
	for (i = 0; i < 0x200; i++)
		k += opcode_hits[i] != 0;
	{
		/* generated opcodes that never produced a clean comparison */
		unsigned j, shown = 0;
		for (j = 0; j < NGENS; j++) {
			uint16_t op = gens[j].op;
			if (!opcode_hits[op > 0xff ? 0x100 | (op & 0xff) : op]) {
				printf("%s %s%02x", shown++ ? "" : "never compared:", op > 0xff ? "0f " : "",
				       op & 0xff);
			}
		}
		if (shown)
			printf("\n");
		printf("generated opcodes=%u\n", (unsigned)NGENS);
	}
	printf("compared=%lu faults-matched=%lu skipped=%lu deviations: D1=%lu D2=%lu D6=%lu D7=%lu "
	       "D8=%lu D10=%lu D11=%lu D12=%lu D13=%lu D14=%lu D15=%lu\n", n_cmp, n_fault_match,
	       n_skip, n_dev[1], n_dev[2], n_dev[6], n_dev[7], n_dev[8], n_dev[10], n_dev[11],
	       n_dev[12], n_dev[13], n_dev[14], n_dev[15]);
	printf("interp-vs-unicorn: instructions=%lu mismatches=%lu opcodes=%u\n", n_run, n_mismatch, k);
	uc_close(uc);
	return n_mismatch != 0;
}

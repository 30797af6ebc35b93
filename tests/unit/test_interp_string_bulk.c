/*
 * The bulk path of the REP string instructions (vm86/string_bulk.c) against
 * the per-iteration path it must be indistinguishable from.
 *
 * Each case runs one REP string instruction twice from the same CPU and
 * memory: once with ops.map_page NULL — no page can be mapped, so every
 * iteration goes the per-iteration way (the reference) — and once with a
 * map_page, where chunks go the bulk way.  Result, fault, the whole CPU and
 * the whole memory must come out the same.  The targeted tests then check a
 * few of those results against what the SDM says, and that the bulk path
 * was actually taken (map_page called about once a chunk, not once an
 * iteration).
 */
#include "test_interp_harness.h"

/* 1 MiB + 64 KiB + a page: room for the A20 wrap (FFFF:FFFF), and a last
 * page beyond that read_phys/write_phys refuse. */
#define BMEM  0x111000u
#define REFUSED_START 0x110000u

static uint8_t bmem[BMEM], ref_mem[BMEM], init_mem[BMEM];
static unsigned map_calls;
static int refuse_some;                 /* map_page refuses every 5th page */

static uint32_t rd32_b(uint32_t pa)
{
	return bmem[pa] | bmem[pa + 1] << 8 | bmem[pa + 2] << 16 | (uint32_t)bmem[pa + 3] << 24;
}

static uint16_t rd16_b(uint32_t pa)
{
	return (uint16_t)(bmem[pa] | bmem[pa + 1] << 8);
}

static int b_read(void *ctx, uint32_t pa, void *buf, unsigned len)
{
	if (pa >= REFUSED_START || len > REFUSED_START - pa)
		return -1;
	memcpy(buf, &bmem[pa], len);
	return 0;
}

static int b_write(void *ctx, uint32_t pa, const void *buf, unsigned len)
{
	if (pa >= REFUSED_START || len > REFUSED_START - pa)
		return -1;
	memcpy(&bmem[pa], buf, len);
	return 0;
}

static void *b_map(void *ctx, uint32_t page)
{
	map_calls++;
	if (page >= REFUSED_START || (refuse_some && (page >> 12) % 5 == 3))
		return NULL;
	return &bmem[page];
}

static struct interp_ops ref_ops = {
	.read_phys = b_read, .write_phys = b_write,
	.io_in = h_in, .io_out = h_out, .rdmsr = h_rdmsr, .wrmsr = h_wrmsr,
	.cpuid = h_cpuid, .rdtsc = h_rdtsc,
};
static struct interp_ops bulk_ops;
/* The bulk runs keep a decode cache across cases, as the blob does: an
 * instruction that overwrote itself must not be replayed from it. */
static struct interp_dcache bulk_dc;

/* ------------------------------------------------------------- a case --- */

struct run {
	enum interp_result r;
	struct interp_status st;
	struct guest_cpu c;
};

/* Run c's instruction both ways from bmem as it is; leave the bulk run's
 * memory in bmem and its CPU in *c.  Returns map_page's calls in the bulk run. */
static unsigned run_both(struct guest_cpu *c, enum interp_result *result)
{
	struct run ref, bulk;

	bulk_ops = ref_ops;
	bulk_ops.map_page = b_map;
	bulk_ops.dcache = &bulk_dc;
	memcpy(init_mem, bmem, BMEM);
	ref.c = *c;
	ref.r = interp_step(&ref.c, &ref_ops, &ref.st);
	memcpy(ref_mem, bmem, BMEM);
	memcpy(bmem, init_mem, BMEM);
	bulk.c = *c;
	map_calls = 0;
	bulk.r = interp_step(&bulk.c, &bulk_ops, &bulk.st);

	if (ref.r != bulk.r)
		fail_msg("result %d by iteration, %d in bulk (why '%s' / '%s')", ref.r, bulk.r,
			 ref.st.why, bulk.st.why);
	if (ref.r == INTERP_FAULT)
		assert_memory_equal(&ref.st.fault, &bulk.st.fault, sizeof(ref.st.fault));
	if (memcmp(&ref.c, &bulk.c, sizeof(ref.c)))
		fail_msg("CPU differs: ESI %#x/%#x EDI %#x/%#x ECX %#x/%#x EAX %#x/%#x "
			 "EFLAGS %#x/%#x EIP %#x/%#x", ref.c.s.gpr[RMT_ESI], bulk.c.s.gpr[RMT_ESI],
			 ref.c.s.gpr[RMT_EDI], bulk.c.s.gpr[RMT_EDI], ref.c.s.gpr[RMT_ECX],
			 bulk.c.s.gpr[RMT_ECX], ref.c.s.gpr[RMT_EAX], bulk.c.s.gpr[RMT_EAX],
			 ref.c.s.eflags, bulk.c.s.eflags, ref.c.s.eip, bulk.c.s.eip);
	if (memcmp(ref_mem, bmem, BMEM)) {
		unsigned i;

		for (i = 0; i < BMEM && ref_mem[i] == bmem[i]; i++)
			;
		fail_msg("memory differs first at %#x: %02x by iteration, %02x in bulk", i,
			 ref_mem[i], bmem[i]);
	}
	*c = bulk.c;
	*result = bulk.r;
	return map_calls;
}

/* ----------------------------------------------------- random cases --- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* An offset near somewhere interesting: a page boundary, the 64 KiB wrap,
 * the segment's limit, or anywhere. */
static uint32_t pick_off(uint32_t limit, int a32)
{
	uint32_t near[] = { 0x1000, 0x2000, 0x10000, limit + 1, 0, 0x8000 };
	uint32_t o = near[rnd() % 6] + (rnd() % 64) - 32;

	if (rnd() % 4 == 0)
		o = rnd() % 0x10000;
	return a32 ? o & 0x3ffff : o & 0xffff;
}

/* Fill bmem with few distinct values, so that REPE/REPNE stop at varied places. */
static void fill_mem(void)
{
	unsigned i, mod = 1 + rnd() % 3;

	for (i = 0; i < BMEM; i++)
		bmem[i] = (uint8_t)((i / 8) % mod);
	for (i = 0; i < BMEM / 64; i++)
		bmem[rnd() % BMEM] = (uint8_t)rnd();
}

static unsigned stat_result[5], stat_bulk;

/* Page tables at 0x80000 for mode 4: linear page i is physical page i ^ 5
 * (the code's page 0 is page 5; the table 0x81000 is page 0x84), up to
 * 1 MiB; not present above. */
static void map_swapped(void)
{
	uint32_t i, pte;

	memset(&bmem[0x80000], 0, 0x2000);
	pte = 0x81000 | 7;                      /* PDE 0: the table */
	memcpy(&bmem[0x80000], &pte, 4);
	for (i = 0; i < 0x100; i++) {
		pte = (i ^ 5) << 12 | 7;
		memcpy(&bmem[0x81000 + 4 * i], &pte, 4);
	}
}

static void random_case(void)
{
	static const uint8_t ops[] = { 0xa4, 0xa5, 0xaa, 0xab, 0xac, 0xad, 0xa6, 0xa7, 0xae, 0xaf };
	struct guest_cpu c;
	enum interp_result r;
	unsigned mode = rnd() % 5, a32 = rnd() % 2, o32 = rnd() % 2, i;
	uint8_t code[8];
	unsigned len = 0;
	uint32_t ip, cnt, calls;

	real_mode(&c);
	if (mode == 1) {                        /* big real mode */
		seg_set(&c, RMT_DS, 0, 0, 0xffffffffu, 0x93);
		seg_set(&c, RMT_ES, 0, 0, 0xffffffffu, 0x93);
	} else if (mode == 4) {                 /* paging on: the bulk path stands aside */
		pm32(&c);
		c.s.cr0 |= X86_CR0_PG;
		c.s.cr3 = 0x80000;
	} else if (mode >= 2) {                 /* protected mode, odd segments */
		static const uint32_t ars[] = { 0x93, 0xc093, 0x97, 0xc097, 0x91, 0x93 };
		pm32(&c);
		if (mode == 3)                  /* a 16-bit code segment */
			seg_set(&c, RMT_CS, 0x08, 0, 0xffff, 0x9b);
		for (i = RMT_ES; i <= RMT_DS; i++) {
			uint32_t ar = ars[rnd() % 6];
			uint32_t lim = rnd() % 2 ? 0xffff - rnd() % 0x3000 : 0x10000 + rnd() % 0x8000;
			if (i == RMT_CS)
				continue;
			if (rnd() % 4 == 0)
				lim = (ar & 4) ? 0x1000 + rnd() % 0x800 : 0xffffffffu;
			seg_set(&c, i, 0x10, (rnd() % 0x100) << 12 | (rnd() % 2 ? rnd() % 0x1000 : 0),
				lim, ar);
		}
	}
	if (mode <= 1) {
		uint16_t ds = (uint16_t)rnd(), es = (uint16_t)rnd();
		if (rnd() % 3 == 0)
			ds = 0xffff - rnd() % 0x20;     /* over the 1 MiB wrap */
		c.s.seg[RMT_DS].sel = ds;
		c.s.seg[RMT_DS].base = (uint32_t)ds << 4;
		c.s.seg[RMT_ES].sel = es;
		c.s.seg[RMT_ES].base = (uint32_t)es << 4;
		c.a20 = rnd() % 2;
	}
	c.s.gpr[RMT_ESI] = pick_off(c.s.seg[RMT_DS].limit, a32) | (a32 ? 0 : rnd() << 16);
	c.s.gpr[RMT_EDI] = pick_off(c.s.seg[RMT_ES].limit, a32) | (a32 ? 0 : rnd() << 16);
	if (rnd() % 4 == 0)     /* overlapping: DI just above or below SI */
		c.s.gpr[RMT_EDI] = c.s.gpr[RMT_ESI] + rnd() % 9 - 4,
		c.s.seg[RMT_ES] = c.s.seg[RMT_DS];
	if (mode == 4 && rnd() % 3 == 0) {
		/* ES:DI on the page table (linear page 0x84), over its own PTE */
		c.s.seg[RMT_ES].base = 0x80000;
		c.s.gpr[RMT_EDI] = 0x4000 + rnd() % 0x400;
	}
	cnt = rnd() % 4 == 0 ? rnd() % 4 : rnd() % 0x3000;
	c.s.gpr[RMT_ECX] = a32 ? cnt : (rnd() << 16) | cnt;
	c.s.gpr[RMT_EAX] = rnd() % 2 ? rnd() : 0x01010101u * (rnd() % 3);
	if (rnd() % 2)
		c.s.eflags |= X86_FL_DF;
	/* The code (in the 16-bit or 32-bit CS): sometimes where DI will write. */
	if (o32 != !!(c.s.seg[RMT_CS].ar & RMT_AR_DB))
		code[len++] = 0x66;
	if (a32 != !!(c.s.seg[RMT_CS].ar & RMT_AR_DB))
		code[len++] = 0x67;
	if (rnd() % 4 == 0)
		code[len++] = rnd() % 2 ? 0x26 : 0x2e;  /* ES: or CS: for the source */
	code[len++] = rnd() % 3 ? 0xf3 : 0xf2;
	code[len++] = ops[rnd() % sizeof(ops)];
	ip = 0x100 + rnd() % 0x100;
	if (rnd() % 8 == 0 && c.s.seg[RMT_ES].base + (c.s.gpr[RMT_EDI] & 0xffff) < 0x100000u)
		ip = c.s.seg[RMT_ES].base + (c.s.gpr[RMT_EDI] & 0xffff) + rnd() % 8 - 4;
	ip &= 0xffff;
	if (mode == 4)
		ip = (ip & 0xfff) | 0x5000;     /* linear page 5: physical page 0 */
	c.s.eip = ip;
	fill_mem();
	if (mode == 4)
		map_swapped();
	memcpy(&bmem[(c.s.seg[RMT_CS].base + ip) ^ (mode == 4 ? 0x5000 : 0)], code, len);
	refuse_some = rnd() % 4 == 0;
	calls = run_both(&c, &r);
	stat_result[r]++;
	if (r == INTERP_OK && cnt > 16 && calls < cnt / 4)
		stat_bulk++;
}

static void test_random_cases(void **state)
{
	unsigned n;

	for (n = 0; n < 1500; n++)
		random_case();
	refuse_some = 0;
	print_message("%u ok (%u of them mostly in bulk), %u faults, %u memory errors\n",
		      stat_result[INTERP_OK], stat_bulk, stat_result[INTERP_FAULT],
		      stat_result[INTERP_MEMERR]);
	assert_true(stat_bulk > 100);
}

/* ---------------------------------------------------- targeted cases --- */

static void at(struct guest_cpu *c, uint32_t ip, const uint8_t *code, unsigned len)
{
	c->s.eip = ip;
	memcpy(&bmem[c->s.seg[RMT_CS].base + ip], code, len);
}
#define AT(c, ip, ...) do { static const uint8_t b_[] = { __VA_ARGS__ }; at(c, ip, b_, sizeof(b_)); } while (0)

static int bmem_setup(void **state)
{
	memset(bmem, 0, BMEM);
	refuse_some = 0;
	return 0;
}

/* ES:DI = DS:SI + 1: REP MOVSB replicates the first byte, as the byte loop
 * does (a memmove would shift the string instead). */
static void test_overlap_replicates(void **state)
{
	struct guest_cpu c;
	enum interp_result r;
	unsigned i, calls;

	real_mode(&c);
	for (i = 0; i < 0x200; i++)
		bmem[0x3000 + i] = (uint8_t)(i + 1);
	c.s.gpr[RMT_ESI] = 0x3000;
	c.s.gpr[RMT_EDI] = 0x3001;
	c.s.gpr[RMT_ECX] = 0x100;
	AT(&c, 0x100, 0xf3, 0xa4);              /* rep movsb */
	calls = run_both(&c, &r);
	assert_int_equal(r, INTERP_OK);
	for (i = 0; i <= 0x100; i++)
		assert_int_equal(bmem[0x3000 + i], 1);
	assert_int_equal(bmem[0x3101], 0x02);
	assert_int_equal(c.s.gpr[RMT_ESI], 0x3100);
	assert_int_equal(c.s.gpr[RMT_EDI], 0x3101);
	assert_int_equal(c.s.gpr[RMT_ECX], 0);
	assert_true(calls < 8);                 /* one chunk, not 256 iterations */

	/* Backwards with words, DI = SI - 2: each word is the one above it. */
	real_mode(&c);
	c.s.eflags |= X86_FL_DF;
	c.s.gpr[RMT_ESI] = 0x4010;
	c.s.gpr[RMT_EDI] = 0x400e;
	c.s.gpr[RMT_ECX] = 8;
	bmem[0x4010] = 0x34;
	bmem[0x4011] = 0x12;
	AT(&c, 0x100, 0xf3, 0xa5);              /* rep movsw */
	run_both(&c, &r);
	for (i = 0; i < 8; i++)
		assert_int_equal(bmem[0x4000 + 2 * i] | bmem[0x4001 + 2 * i] << 8, 0x1234);
	assert_int_equal(c.s.gpr[RMT_EDI], 0x3ffe);
}

/* A 32-bit-address REP STOSD in real mode runs off the 64 KiB limit: the
 * iterations before are done and committed, ECX and EDI point at the one
 * that faults, EIP at the instruction. */
static void test_fault_mid_run(void **state)
{
	struct guest_cpu c;
	enum interp_result r;
	unsigned i;

	real_mode(&c);
	seg_set(&c, RMT_ES, 0x1000, 0x10000, 0xffff, 0x93);
	c.s.gpr[RMT_EDI] = 0xe002;              /* crosses pages at 0xf000 (0x1f000) */
	c.s.gpr[RMT_ECX] = 0x1000;
	c.s.gpr[RMT_EAX] = 0xdeadbeef;
	AT(&c, 0x100, 0x67, 0x66, 0xf3, 0xab);  /* rep stosd, a32 o32 */
	run_both(&c, &r);
	assert_int_equal(r, INTERP_FAULT);
	/* 0xe002 + 4k for k < 0x7ff fits under 0xffff; k = 0x7ff covers 0xfffe..0x10001 */
	assert_int_equal(c.s.gpr[RMT_EDI], 0xe002 + 0x7ff * 4);
	assert_int_equal(c.s.gpr[RMT_ECX], 0x1000 - 0x7ff);
	assert_int_equal(c.s.eip, 0x100);
	for (i = 0; i < 0x7ff; i++)
		assert_int_equal(rd32_b(0x1e002 + 4 * i), 0xdeadbeef);
	assert_int_equal(bmem[0x1fffe], 0);
}

/* 16-bit addressing: DI wraps from 0xFFFF to 0 within the segment. */
static void test_di_wrap(void **state)
{
	struct guest_cpu c;
	enum interp_result r;

	real_mode(&c);
	seg_set(&c, RMT_ES, 0x2000, 0x20000, 0xffff, 0x93);
	c.s.gpr[RMT_EDI] = 0x1234fff0;          /* the upper half is not DI */
	c.s.gpr[RMT_ECX] = 0xabcd0020;
	c.s.gpr[RMT_EAX] = 0x77;
	AT(&c, 0x100, 0xf3, 0xaa);              /* rep stosb */
	run_both(&c, &r);
	assert_int_equal(r, INTERP_OK);
	assert_int_equal(c.s.gpr[RMT_EDI], 0x12340010);
	assert_int_equal(c.s.gpr[RMT_ECX], 0xabcd0000);
	assert_int_equal(bmem[0x2fff0], 0x77);
	assert_int_equal(bmem[0x2ffff], 0x77);
	assert_int_equal(bmem[0x20000], 0x77);
	assert_int_equal(bmem[0x2000f], 0x77);
	assert_int_equal(bmem[0x20010], 0);
	assert_int_equal(bmem[0x30000], 0);
}

/* A20 closed: FFFF:0010 and up is physical 0 and up. */
static void test_a20_closed(void **state)
{
	struct guest_cpu c;
	enum interp_result r;
	unsigned calls;

	real_mode(&c);
	c.a20 = 0;
	seg_set(&c, RMT_ES, 0xffff, 0xffff0, 0xffff, 0x93);
	c.s.gpr[RMT_EDI] = 0;
	c.s.gpr[RMT_ECX] = 0x1000;
	c.s.gpr[RMT_EAX] = 0x5a5a;
	AT(&c, 0x100, 0xf3, 0xab);              /* rep stosw: 0xffff0 .. 0x101fef */
	calls = run_both(&c, &r);
	assert_int_equal(r, INTERP_OK);
	assert_int_equal(rd16_b(0xffff0), 0x5a5a);
	assert_int_equal(rd16_b(0x0), 0x5a5a);
	assert_int_equal(rd16_b(0xffe), 0x5a5a);
	assert_int_equal(bmem[0x100000], 0);
	assert_true(calls < 16);
}

/* REPNE SCASB finds a byte; REPE CMPSD stops at the first difference. */
static void test_scan_compare(void **state)
{
	struct guest_cpu c;
	enum interp_result r;

	real_mode(&c);
	bmem[0x5000 + 0x345] = 0xaa;
	c.s.gpr[RMT_EDI] = 0x5000;
	c.s.gpr[RMT_ECX] = 0x800;
	c.s.gpr[RMT_EAX] = 0xaa;
	AT(&c, 0x100, 0xf2, 0xae);              /* repne scasb */
	run_both(&c, &r);
	assert_int_equal(c.s.gpr[RMT_EDI], 0x5346);
	assert_int_equal(c.s.gpr[RMT_ECX], 0x800 - 0x346);
	assert_true(c.s.eflags & X86_FL_ZF);

	real_mode(&c);
	memset(&bmem[0x6000], 0x11, 0x2000);
	memset(&bmem[0x9000], 0x11, 0x2000);
	bmem[0x9000 + 0x1802] = 0x10;
	c.s.gpr[RMT_ESI] = 0x6000;
	c.s.gpr[RMT_EDI] = 0x9000;
	c.s.gpr[RMT_ECX] = 0x800;
	AT(&c, 0x100, 0x66, 0xf3, 0xa7);        /* repe cmpsd */
	run_both(&c, &r);
	assert_int_equal(c.s.gpr[RMT_EDI], 0x9000 + 0x1804);
	assert_int_equal(c.s.gpr[RMT_ECX], 0x800 - 0x601);
	assert_false(c.s.eflags & X86_FL_ZF);
	assert_false(c.s.eflags & X86_FL_CF);   /* 0x11111111 - 0x11101111 */
}

/* Overwriting its own bytes: the instruction runs to the end as decoded. */
static void test_overwrites_itself(void **state)
{
	struct guest_cpu c;
	enum interp_result r;

	real_mode(&c);
	c.s.gpr[RMT_EDI] = 0xf0;
	c.s.gpr[RMT_ECX] = 0x40;
	c.s.gpr[RMT_EAX] = 0x90;
	AT(&c, 0x100, 0xf3, 0xaa);              /* rep stosb over 0xf0..0x12f */
	run_both(&c, &r);
	assert_int_equal(r, INTERP_OK);
	assert_int_equal(c.s.eip, 0x102);
	assert_int_equal(c.s.gpr[RMT_ECX], 0);
	assert_int_equal(bmem[0x100], 0x90);
	assert_int_equal(bmem[0x12f], 0x90);
	/* Run again from there: the NOP now, not the cached REP STOSB. */
	c.s.eip = 0x100;
	c.s.gpr[RMT_ECX] = 5;
	assert_int_equal(interp_step(&c, &bulk_ops, NULL), INTERP_OK);
	assert_int_equal(c.s.eip, 0x101);
	assert_int_equal(c.s.gpr[RMT_ECX], 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_overlap_replicates, bmem_setup),
		cmocka_unit_test_setup(test_fault_mid_run, bmem_setup),
		cmocka_unit_test_setup(test_di_wrap, bmem_setup),
		cmocka_unit_test_setup(test_a20_closed, bmem_setup),
		cmocka_unit_test_setup(test_scan_compare, bmem_setup),
		cmocka_unit_test_setup(test_overwrites_itself, bmem_setup),
		cmocka_unit_test_setup(test_random_cases, bmem_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

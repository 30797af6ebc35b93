/*
 * Shared fixture for the interpreter's unit tests (test_interp_*.c): a flat
 * 4 MiB guest memory with a refused window (the "blob pages"), recorded port
 * I/O, a few MSRs, a fixed CPUID and TSC, and constructors for the CPU states
 * the tests start from.  Style after Xen's test_x86_emulator.c: hand-assembled
 * bytes, exact expected registers, flags and memory.
 */
#ifndef TEST_INTERP_HARNESS_H
#define TEST_INTERP_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vm86/interp.h"

#define MEM_SIZE   (4u << 20)
#define BLOB_START 0x3f0000u          /* read_phys/write_phys refuse [BLOB_START, MEM_SIZE) */

struct harness {
	uint8_t mem[MEM_SIZE];
	/* I/O */
	uint16_t last_out_port;
	unsigned last_out_size;
	uint32_t last_out_value;
	unsigned outs;
	uint32_t in_value;               /* what every IN returns */
	unsigned ins;
	/* MSRs: one writable MSR 0x10 (TSC-like), anything else #GP */
	uint64_t msr10;
	uint64_t tsc;
};

static struct harness H;

static inline int h_read(void *ctx, uint32_t pa, void *buf, unsigned len)
{
	struct harness *h = ctx;
	if (pa >= BLOB_START || len > BLOB_START - pa)
		return -1;
	memcpy(buf, &h->mem[pa], len);
	return 0;
}

static inline int h_write(void *ctx, uint32_t pa, const void *buf, unsigned len)
{
	struct harness *h = ctx;
	if (pa >= BLOB_START || len > BLOB_START - pa)
		return -1;
	memcpy(&h->mem[pa], buf, len);
	return 0;
}

static inline void *h_map(void *ctx, uint32_t page)
{
	struct harness *h = ctx;
	return page < BLOB_START ? &h->mem[page] : NULL;
}

static inline uint32_t h_in(void *ctx, uint16_t port, unsigned size)
{
	struct harness *h = ctx;
	h->ins++;
	return h->in_value & (size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu);
}

static inline void h_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct harness *h = ctx;
	h->last_out_port = port;
	h->last_out_size = size;
	h->last_out_value = v;
	h->outs++;
}

static inline int h_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
	struct harness *h = ctx;
	if (msr != 0x10)
		return -1;
	*v = h->msr10;
	return 0;
}

static inline int h_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
	struct harness *h = ctx;
	if (msr != 0x10)
		return -1;
	h->msr10 = v;
	return 0;
}

static inline void h_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	out[0] = leaf + 0x100;
	out[1] = sub + 0x200;
	out[2] = 0x6c65746e;
	out[3] = 0x49656e69;
}

static inline uint64_t h_rdtsc(void *ctx)
{
	struct harness *h = ctx;
	return h->tsc;
}

/* A decode cache shared by every test of a file: later tests run other bytes
 * at addresses earlier ones used, which the cache must notice. */
static struct interp_dcache DC;

/* The harness's callbacks, as designated initializers: a file that adds a
 * callback of its own (test_interp_fpu.c's .fpu) starts from these, so its
 * ops differ from OPS only in what it adds. */
#define HARNESS_OPS_FIELDS \
	.ctx = &H, \
	.dcache = &DC, \
	.map_page = h_map, \
	.read_phys = h_read, .write_phys = h_write, \
	.io_in = h_in, .io_out = h_out, \
	.rdmsr = h_rdmsr, .wrmsr = h_wrmsr, \
	.cpuid = h_cpuid, .rdtsc = h_rdtsc

static const struct interp_ops OPS = { HARNESS_OPS_FIELDS };

/* The CPU under test, and where the tests put the instruction bytes it runs
 * (the boot-sector address, below the 0x8000 stack of setup_real). */
#define CODE 0x7c00u

static struct guest_cpu C;

static inline void seg_set(struct guest_cpu *c, unsigned seg, uint16_t sel, uint32_t base,
		    uint32_t limit, uint32_t ar)
{
	c->s.seg[seg].sel = sel;
	c->s.seg[seg].base = base;
	c->s.seg[seg].limit = limit;
	c->s.seg[seg].ar = ar;
}

/* Power-on-like real mode: all selectors 0, 64 KiB limits, IVT at 0. */
static inline void real_mode(struct guest_cpu *c)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->s.cr0 = X86_CR0_ET;
	c->s.eflags = X86_FL_FIXED;
	for (i = 0; i < 6; i++)
		seg_set(c, i, 0, 0, 0xffff, 0x93);
	seg_set(c, RMT_CS, 0, 0, 0xffff, 0x9b);
	seg_set(c, RMT_LDTR, 0, 0, 0xffff, 0x82);
	seg_set(c, RMT_TR, 0, 0, 0xffff, 0x8b);
	c->s.idtr.limit = 0x3ff;
	c->s.gdtr.limit = 0xffff;
	c->a20 = 1;
	for (i = 0; i < RMT_NSEG; i++)
		c->origin[i] = SEG_FROM_REAL;
}

/* Flat 32-bit protected mode at CPL 0 (selectors 0x08 code, 0x10 data). */
static inline void pm32(struct guest_cpu *c)
{
	unsigned i;

	real_mode(c);
	c->s.cr0 = X86_CR0_PE | X86_CR0_ET;
	for (i = 0; i < 6; i++)
		seg_set(c, i, 0x10, 0, 0xffffffffu, 0xc093);
	seg_set(c, RMT_CS, 0x08, 0, 0xffffffffu, 0xc09b);
	for (i = 0; i < RMT_NSEG; i++)
		c->origin[i] = SEG_FROM_DESCRIPTOR;
}

static inline void reset_harness(void)
{
	memset(&H, 0, sizeof(H));
}

/* cmocka setup: a clean harness and real mode at 0000:CODE, SP = 0x8000. */
static inline int setup_real(void **state)
{
	reset_harness();
	real_mode(&C);
	C.s.eip = CODE;
	C.s.gpr[RMT_ESP] = 0x8000;
	return 0;
}

static inline void put(uint32_t pa, const void *bytes, unsigned n)
{
	memcpy(&H.mem[pa], bytes, n);
}

#define PUT(pa, ...) do { static const uint8_t b_[] = { __VA_ARGS__ }; put(pa, b_, sizeof(b_)); } while (0)

static inline uint32_t rd32(uint32_t pa)
{
	return H.mem[pa] | H.mem[pa + 1] << 8 | H.mem[pa + 2] << 16 | (uint32_t)H.mem[pa + 3] << 24;
}

static inline uint16_t rd16(uint32_t pa)
{
	return (uint16_t)(H.mem[pa] | H.mem[pa + 1] << 8);
}

static inline void wr32(uint32_t pa, uint32_t v)
{
	H.mem[pa] = (uint8_t)v;
	H.mem[pa + 1] = (uint8_t)(v >> 8);
	H.mem[pa + 2] = (uint8_t)(v >> 16);
	H.mem[pa + 3] = (uint8_t)(v >> 24);
}

static inline void wr16(uint32_t pa, uint16_t v)
{
	H.mem[pa] = (uint8_t)v;
	H.mem[pa + 1] = (uint8_t)(v >> 8);
}

/* Write an 8-byte GDT/LDT descriptor. */
static inline void put_desc(uint32_t pa, uint32_t base, uint32_t limit_raw, uint8_t access, uint8_t flags4)
{
	H.mem[pa + 0] = (uint8_t)limit_raw;
	H.mem[pa + 1] = (uint8_t)(limit_raw >> 8);
	H.mem[pa + 2] = (uint8_t)base;
	H.mem[pa + 3] = (uint8_t)(base >> 8);
	H.mem[pa + 4] = (uint8_t)(base >> 16);
	H.mem[pa + 5] = access;
	H.mem[pa + 6] = (uint8_t)((flags4 << 4) | ((limit_raw >> 16) & 0xf));
	H.mem[pa + 7] = (uint8_t)(base >> 24);
}

/* Flat 32-bit protected mode at 0008:CODE with 2-level paging on (CR3 =
 * 0x100000): PD[0] -> an identity page table at 0x102000 for 0-4 MiB, and
 * PD[2] -> the page table at 0x101000 for linear 0x800000-0xBFFFFF, whose
 * entries the caller writes (none are present yet).  Every PDE is user and
 * writable; the identity PTEs supervisor and writable. */
static inline void paging_2level_pm32(struct guest_cpu *c)
{
	unsigned i;

	pm32(c);
	c->s.eip = CODE;
	c->s.cr3 = 0x100000;
	c->s.cr0 |= X86_CR0_PG;
	wr32(0x100000, 0x102000 | 7);
	for (i = 0; i < 1024; i++)
		wr32(0x102000 + i * 4, i << 12 | 3);
	wr32(0x100000 + 2 * 4, 0x101000 | 7);           /* 0x800000.. -> PT at 0x101000 */
}

static inline enum interp_result step(struct guest_cpu *c, struct interp_status *st)
{
	return interp_step(c, &OPS, st);
}

/* Step and require INTERP_OK. */
static inline void step_ok(struct guest_cpu *c)
{
	struct interp_status st;
	enum interp_result r = interp_step(c, &OPS, &st);
	if (r != INTERP_OK)
		print_error("interp_step: result %d, why '%s', fault vector %u ec %#x\n", r,
			    st.why, st.fault.vector, st.fault.error_code);
	assert_int_equal(r, INTERP_OK);
}

/* Step and require a fault with this vector (and error code when has_error). */
static inline void step_fault(struct guest_cpu *c, unsigned vector, int has_error, uint32_t ec)
{
	struct interp_status st;
	struct guest_cpu before = *c;
	enum interp_result r = interp_step(c, &OPS, &st);

	assert_int_equal(r, INTERP_FAULT);
	assert_int_equal(st.fault.vector, vector);
	assert_int_equal(st.fault.has_error, has_error);
	assert_int_equal(st.fault.error_code, ec);
	/* transactional: nothing changed */
	assert_memory_equal(&before, c, sizeof(before));
}

#define FL(x) (X86_FL_FIXED | (x))

#endif /* TEST_INTERP_HARNESS_H */

/*
 * libFuzzer target for the interpreter: arbitrary bytes become a CPU state
 * (mode, registers, flags, segment caches, control registers, paging) and the
 * code and data the interpreter runs on; up to 16 instructions are stepped,
 * with an event delivered now and then.  Built with
 * -fsanitize=fuzzer,address,undefined, so any out-of-bounds access, overflow
 * or undefined shift in vm86/ (or in the segment model it calls) is a crash.
 *
 * ops->fpu is a small model of the x87/SSE state (FXSAVE image).  Beyond
 * the sanitizers, every step checks the interpreter's contract
 * (vm86/interp.h):
 *   - the result is one of enum interp_result;
 *   - INTERP_FAULT: the whole CPU is as before the step — only the
 *     completed iterations of a REP string instruction may have changed
 *     general registers, flags and the interrupt shadow — and the vector is
 *     an exception vector;
 *   - INTERP_UNSUPPORTED / INTERP_MEMERR: why[] is a non-empty string, the
 *     CPU is as before (same REP proviso);
 *   - the reported length never exceeds 15 bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm86/interp.h"

#define MEM_SIZE (1u << 21)     /* 2 MiB: real mode plus the HMA, with room for page tables */

static uint8_t mem[MEM_SIZE];
static const uint8_t *in_data;
static size_t in_size, in_pos;

static uint32_t take(unsigned n)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint32_t)(in_pos < in_size ? in_data[in_pos++] : 0) << (8 * i);
	return v;
}

/*
 * Memory is the input's tail repeated (so code, descriptor tables, page
 * tables and the IVT all come from the fuzzer), plus the pages written in
 * this run.  Nothing survives from one input to the next, as libFuzzer needs.
 */
static const uint8_t *pattern;
static size_t pattern_len;
static uint8_t dirty[MEM_SIZE >> 12];
static uint16_t dirty_list[MEM_SIZE >> 12];
static unsigned n_dirty;

static uint8_t mem_byte(uint32_t pa)
{
	if (dirty[pa >> 12])
		return mem[pa];
	return pattern_len ? pattern[pa % pattern_len] : 0x90;
}

static int f_read(void *ctx, uint32_t pa, void *buf, unsigned len)
{
	unsigned i;

	if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
		return -1;
	for (i = 0; i < len; i++)
		((uint8_t *)buf)[i] = mem_byte(pa + i);
	return 0;
}

static int f_write(void *ctx, uint32_t pa, const void *buf, unsigned len)
{
	unsigned i;

	if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
		return -1;
	for (i = 0; i < len; i++) {
		uint32_t a = pa + i, pn = a >> 12;
		if (!dirty[pn]) {
			uint32_t b;
			for (b = 0; b < 4096; b++)
				mem[(pn << 12) + b] = mem_byte((pn << 12) + b);
			dirty[pn] = 1;
			dirty_list[n_dirty++] = (uint16_t)pn;
		}
		mem[a] = ((const uint8_t *)buf)[i];
	}
	return 0;
}

/* Pages already written (materialized) are mapped; the others go through
 * f_read/f_write, so both paths run, in one instruction too. */
static void *f_map(void *ctx, uint32_t page)
{
	return page < MEM_SIZE && dirty[page >> 12] ? &mem[page] : NULL;
}

static uint32_t f_in(void *ctx, uint16_t port, unsigned size)
{
	return (port * 0x9e3779b1u) & (size == 4 ? ~0u : (1u << (8 * size)) - 1);
}

static void f_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	if (size != 1 && size != 2 && size != 4)
		abort();
}

static int f_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
	*v = (uint64_t)msr << 32 | msr;
	return (msr & 1) ? -1 : 0;
}

static int f_wrmsr(void *ctx, uint32_t msr, uint64_t v)
{
	return (msr & 1) ? -1 : 0;
}

static void f_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	out[0] = leaf;
	out[1] = sub;
	out[2] = out[3] = 0;
}

static uint64_t f_rdtsc(void *ctx)
{
	return 12345;
}

/* The x87/SSE state: an FXSAVE image, reset for every input.  Like the blob,
 * the model refuses guests with CR4.OSFXSR (a different image layout). */
static uint8_t fpu_image[512];

static int f_fpu(void *ctx, enum interp_fpu_op op, void *buf, uint32_t cr4)
{
	if ((uintptr_t)buf & 15)
		abort();                /* interp.h promises 16-byte alignment */
	switch (op) {
	case INTERP_FPU_FXSAVE:
		if (cr4 & X86_CR4_OSFXSR)
			return -1;
		memcpy(buf, fpu_image, 160);
		return 0;
	case INTERP_FPU_FXRSTOR:
		if (cr4 & X86_CR4_OSFXSR)
			return -1;
		memcpy(fpu_image, buf, 160);
		return 0;
	case INTERP_FPU_FNSTSW:
		memcpy(buf, fpu_image + 2, 2);
		return 0;
	case INTERP_FPU_FNSTCW:
		memcpy(buf, fpu_image, 2);
		return 0;
	case INTERP_FPU_FLDCW:
		memcpy(fpu_image, buf, 2);
		return 0;
	case INTERP_FPU_FNINIT:
		memset(fpu_image, 0, 8);
		fpu_image[0] = 0x7f;
		fpu_image[1] = 0x03;
		return 0;
	case INTERP_FPU_FNCLEX:
		fpu_image[2] &= 0x40;
		fpu_image[3] &= 0x7f;
		return 0;
	}
	abort();
}

/* Emptied at each input (f_map's answers change then), kept across the
 * steps of one. */
static struct interp_dcache dcache;

static const struct interp_ops OPS = {
	.dcache = &dcache,
	.map_page = f_map,
	.read_phys = f_read, .write_phys = f_write, .io_in = f_in, .io_out = f_out,
	.rdmsr = f_rdmsr, .wrmsr = f_wrmsr, .cpuid = f_cpuid, .rdtsc = f_rdtsc,
	.fpu = f_fpu,
};

/* Access rights a fuzzed segment may have: the common ones, and raw bytes. */
static uint32_t pick_ar(uint8_t sel, int code)
{
	static const uint32_t common[] = { 0x93, 0x9b, 0xc093, 0xc09b, 0xf3, 0x4093, 0x97, 0x91,
					   0x99, 0x9f, RMT_AR_UNUSABLE, 0x8b };
	if (sel < 0xc0)
		return code ? (sel & 1 ? 0xc09b : 0x9b) : common[sel % 12];
	return ((uint32_t)sel << 8 | sel) & 0x1f0ff;
}

static void build_state(struct guest_cpu *c)
{
	unsigned i, mode = take(1) & 7;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < RMT_NGPR; i++)
		c->s.gpr[i] = take(4);
	c->s.eflags = (take(4) & 0x003f7fd5u) | X86_FL_FIXED;
	c->s.eflags &= ~X86_FL_VM;
	c->s.cr0 = X86_CR0_ET;
	c->a20 = take(1) & 1;
	c->s.idtr.base = take(2) << 4;
	c->s.idtr.limit = take(2);
	c->s.gdtr.base = take(3);
	c->s.gdtr.limit = take(2);
	for (i = 0; i < 6; i++) {
		uint8_t b = (uint8_t)take(1);
		c->s.seg[i].sel = (uint16_t)take(2);
		c->s.seg[i].base = (b & 0x80) ? take(3) : (uint32_t)c->s.seg[i].sel << 4;
		c->s.seg[i].limit = (b & 0x40) ? 0xffffffffu : (b & 0x20) ? take(2) : 0xffff;
		c->s.seg[i].ar = pick_ar(b, i == RMT_CS);
	}
	c->s.seg[RMT_TR] = (struct rmt_segment){ 0x28, 0, take(3), take(2), 0x8b };
	c->s.seg[RMT_LDTR] = (struct rmt_segment){ 0, 0, 0, 0, RMT_AR_UNUSABLE };
	c->s.eip = take(2);
	switch (mode) {
	case 0: case 1: case 2:         /* real mode */
		break;
	case 3: case 4:                 /* protected mode, CPL 0 or 3 */
		c->s.cr0 |= X86_CR0_PE;
		c->cpl = mode == 4 ? 3 : 0;
		break;
	case 5:                         /* vm86 */
		c->s.cr0 |= X86_CR0_PE;
		c->s.eflags |= X86_FL_VM;
		c->s.cr4 = take(1) & X86_CR4_VME;
		c->cpl = 3;
		for (i = 0; i < 6; i++) {
			c->s.seg[i].base = (uint32_t)c->s.seg[i].sel << 4;
			c->s.seg[i].limit = 0xffff;
			c->s.seg[i].ar = 0xf3;
		}
		break;
	default:                        /* protected mode with paging (2-level, PSE or PAE) */
		c->s.cr0 |= X86_CR0_PE | X86_CR0_PG | (take(1) & 1 ? X86_CR0_WP : 0);
		c->s.cr3 = take(3) & 0x1ff000u;
		c->s.cr4 = take(1) & (X86_CR4_PSE | X86_CR4_PAE);
		c->s.efer_lo = take(1) & X86_EFER_NXE;
		c->cpl = take(1) & 1 ? 3 : 0;
		break;
	}
	/* The x87/SSE controls (fpu.c): MP, EM, TS, NE; OSFXSR, OSXSAVE. */
	i = take(1);
	c->s.cr0 |= i & (X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_NE);
	c->s.cr4 |= (i & 0x40 ? X86_CR4_OSFXSR : 0) | (i & 0x80 ? X86_CR4_OSXSAVE : 0);
	memset(fpu_image, 0, sizeof(fpu_image));
	fpu_image[2] = (uint8_t)(take(1) & 0x81);       /* FSW: maybe a pending exception */
}

/* The CPU after a step that did not retire equals the one before, but for
 * what completed REP iterations of a string instruction may change. */
static int unchanged(const struct guest_cpu *after, const struct guest_cpu *before,
		     const struct interp_status *st, int stepped)
{
	static const uint8_t strings[] = { 0x6c, 0x6d, 0x6e, 0x6f, 0xa4, 0xa5, 0xa6, 0xa7,
					   0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };
	struct guest_cpu x = *before;

	if (stepped && memchr(strings, st->opcode[0], sizeof(strings))) {
		memcpy(x.s.gpr, after->s.gpr, sizeof(x.s.gpr));
		x.s.eflags = after->s.eflags;
		x.s.interruptibility = after->s.interruptibility;
	}
	return !memcmp(&x, after, sizeof(x));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_cpu c, before;
	struct interp_status st;
	unsigned n, steps;
	size_t rest;

	in_data = data;
	in_size = size;
	in_pos = 0;
	build_state(&c);
	steps = 1 + (take(1) & 15);
	/* The remaining bytes are memory, repeated: code at CS:IP, tables everywhere. */
	rest = in_pos < size ? size - in_pos : 0;
	while (n_dirty)
		dirty[dirty_list[--n_dirty]] = 0;
	/* f_map's answers change with dirty[]: forget the pointers the decode
	 * cache keeps (interp.h, map_page).  Hits still happen within an input. */
	memset(&dcache, 0, sizeof(dcache));
	pattern = data + in_pos;
	pattern_len = rest;

	for (n = 0; n < steps; n++) {
		enum interp_result r;
		int stepped = 0;

		before = c;
		if (n == 3 && (c.s.eflags & X86_FL_IF)) {
			r = interp_deliver(&c, &OPS, 0x20 + (c.s.gpr[0] & 15), 0, &st);
		} else {
			r = interp_step(&c, &OPS, &st);
			stepped = 1;
			if (st.length > 15)
				abort();
		}
		switch (r) {
		case INTERP_OK:
		case INTERP_HALT:
			continue;
		case INTERP_FAULT:
			if (st.fault.vector >= 32 || !unchanged(&c, &before, &st, stepped))
				abort();
			return 0;
		case INTERP_UNSUPPORTED:
		case INTERP_MEMERR:
			if (!st.why[0] || !memchr(st.why, 0, sizeof(st.why)) ||
			    !unchanged(&c, &before, &st, stepped))
				abort();
			return 0;
		default:
			abort();
		}
	}
	return 0;
}

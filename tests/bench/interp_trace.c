/*
 * interp_trace IMAGE [MAX_STEPS]: run a BIOS-less test guest (a raw image
 * loaded at 0000:7C00, as the stack's loader starts it) entirely through the
 * hosted interpreter — real mode, the mode switches, protected mode, big
 * real mode — on a 64 MiB array machine, until the guest ends the run
 * (writes port 0xF4) or MAX_STEPS instructions.  Prints the number of guest
 * instructions executed.  `make bench` runs it under callgrind: total host
 * instructions / guest instructions = the interpreter's cost per emulated
 * instruction, over the mode-switch sequences, string moves and big-real-mode
 * accesses the test guests are made of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm86/interp.h"

#define MEM_SIZE (64u << 20)

static uint8_t *mem;
static int ended;

static int rd(void *c, uint32_t pa, void *b, unsigned l)
{
	if (pa >= MEM_SIZE || l > MEM_SIZE - pa) {
		memset(b, 0xff, l);     /* open bus, like a machine without that RAM */
		return 0;
	}
	memcpy(b, mem + pa, l);
	return 0;
}

/* As the blob's guest_access.c: RAM pages direct, the rest (here: beyond
 * the array, open bus) through rd/wr. */
static void *map_(void *c, uint32_t page)
{
	return page < MEM_SIZE ? mem + page : NULL;
}

static int wr(void *c, uint32_t pa, const void *b, unsigned l)
{
	if (pa < MEM_SIZE && l <= MEM_SIZE - pa)
		memcpy(mem + pa, b, l);
	return 0;
}

static uint32_t in(void *c, uint16_t port, unsigned size)
{
	return port == 0x92 ? 2 : 0;
}

static void out(void *c, uint16_t port, unsigned size, uint32_t v)
{
	if (port == 0xf4)
		ended = 1;
}

static int rdmsr_(void *c, uint32_t msr, uint64_t *v) { *v = 0; return 0; }
static int wrmsr_(void *c, uint32_t msr, uint64_t v) { return 0; }
static void cpuid_(void *c, uint32_t leaf, uint32_t sub, uint32_t o[4]) { memset(o, 0, 16); }
static uint64_t rdtsc_(void *c) { static uint64_t t; return t += 1000; }

/* The x87 state as an FXSAVE image (big-real-mode.asm saves and restores it):
 * enough for the guests to run on; the FPU itself is not what is measured. */
static uint8_t fx[512];

static int fpu_(void *c, enum interp_fpu_op op, void *buf, uint32_t cr4)
{
	switch (op) {
	case INTERP_FPU_FXSAVE: memcpy(buf, fx, 160); return 0;
	case INTERP_FPU_FXRSTOR: memcpy(fx, buf, 160); return 0;
	case INTERP_FPU_FNSTSW: memcpy(buf, fx + 2, 2); return 0;
	case INTERP_FPU_FNSTCW: memcpy(buf, fx, 2); return 0;
	case INTERP_FPU_FLDCW: memcpy(fx, buf, 2); return 0;
	case INTERP_FPU_FNINIT: memset(fx, 0, 8); fx[0] = 0x7f; fx[1] = 0x03; return 0;
	case INTERP_FPU_FNCLEX: fx[2] &= 0x40; fx[3] &= 0x7f; return 0;
	}
	return -1;
}

static struct interp_dcache dcache;    /* the blob keeps one per vCPU */

int main(int argc, char **argv)
{
	struct interp_ops ops = { 0, rd, wr, in, out, rdmsr_, wrmsr_, cpuid_, rdtsc_, fpu_, map_, &dcache };
	struct guest_cpu c;
	unsigned long max = argc > 2 ? strtoul(argv[2], 0, 0) : 50000000ul, n = 0;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: %s IMAGE [MAX_STEPS]\n", argv[0]);
		return 2;
	}
	mem = calloc(1, MEM_SIZE);
	f = fopen(argv[1], "rb");
	if (!mem || !f) {
		perror(argv[1]);
		return 2;
	}
	if (fread(mem + 0x7c00, 1, 0x90000, f) == 0) {
		fprintf(stderr, "%s: empty\n", argv[1]);
		return 2;
	}
	fclose(f);
	/* The state the stack's loader starts a boot sector in (loader/main.c). */
	memset(&c, 0, sizeof(c));
	for (int r = RMT_ES; r <= RMT_GS; r++) {
		c.s.seg[r].limit = 0xffff;
		c.s.seg[r].ar = 0x93;
	}
	c.s.seg[RMT_CS].ar = 0x9b;
	c.s.seg[RMT_LDTR].limit = 0xffff;
	c.s.seg[RMT_LDTR].ar = 0x82;
	c.s.seg[RMT_TR].limit = 0xffff;
	c.s.seg[RMT_TR].ar = 0x8b;
	c.s.gdtr.limit = 0xffff;
	c.s.idtr.limit = 0x3ff;
	c.s.eip = 0x7c00;
	c.s.gpr[RMT_ESP] = 0x7c00;
	c.s.eflags = 2;
	c.s.cr0 = 0x10;
	c.a20 = 1;
	while (!ended && n < max) {
		struct interp_status st;        /* interp_step sets what it reports */
		enum interp_result r;

		r = interp_step(&c, &ops, &st);
		n++;
		if (r == INTERP_FAULT) {
			struct x86_fault fault = st.fault;

			memset(&st, 0, sizeof(st));
			if (interp_deliver_fault(&c, &ops, &fault, &st) != INTERP_OK)
				break;
		} else if (r == INTERP_HALT) {
			break;
		} else if (r != INTERP_OK) {
			fprintf(stderr, "%s: stopped at %04x:%08x: %s\n", argv[1],
				c.s.seg[RMT_CS].sel, c.s.eip, st.why);
			break;
		}
	}
	printf("guest_instructions=%lu ended=%d\n", n, ended);
	return ended ? 0 : 1;
}

/*
 * The instruction generator and the per-instruction knowledge of the
 * differential test (tests/diff/interp_vs_unicorn.c): which opcodes are
 * generated, how, which flags the SDM leaves undefined after each, and which
 * instructions are branches.
 */
#ifndef TESTS_DIFF_UNICORN_GEN_H
#define TESTS_DIFF_UNICORN_GEN_H

#include <stdint.h>
#include "vm86/interp.h"

extern uint64_t rng_state;
uint32_t rnd(void);
uint32_t rnd_n(uint32_t n);

/* Generator flags: R = real mode only (segment loads, far transfers),
 * S = string (may take REP), L = LOCK candidate. */
#define R 1
#define S 2
#define L 4
struct gen { uint16_t op; uint8_t flags; };
extern const struct gen gens[];
extern const unsigned ngens;
#define NGENS ngens

struct insn {
	uint8_t b[16];
	unsigned n;             /* bytes before the random tail */
	unsigned pfx;           /* prefix count */
	int op16;               /* 0x66 present */
	int rep, lock;
	uint16_t op;
	uint8_t modrm;
};

void gen_insn(struct insn *in, int mode);
uint32_t undefined_flags(const struct insn *in, unsigned len, const struct guest_cpu *c,
			 unsigned osize, int *skip);
int is_branch(const struct insn *in);
int branch_wrapped(const struct insn *in, unsigned len, const struct guest_cpu *c0);

#define CF X86_FL_CF
#define PF X86_FL_PF
#define AF X86_FL_AF
#define ZF X86_FL_ZF
#define SF X86_FL_SF
#define OF X86_FL_OF

#endif

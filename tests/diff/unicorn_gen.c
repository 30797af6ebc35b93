/*
 * The differential test's generator and per-instruction tables: see
 * unicorn_gen.h.  Kept apart from the harness so that each reads on its own.
 */
#include <string.h>
#include "tests/diff/unicorn_gen.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ------------------------------------------------------------- random --- */

uint64_t rng_state = 88172645463325252ull;

uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

uint32_t rnd_n(uint32_t n)
{
	return rnd() % n;
}

/* ----------------------------------------------------------- generator --- */

/*
 * The opcodes we generate: every one-byte and two-byte integer opcode whose
 * result unicorn can show us.  Flags: R = real mode only (segment loads,
 * far transfers), S = string (may take REP), L = lock candidate.
 */
const struct gen gens[] = {
	/* ALU */
	{0x00,L},{0x01,L},{0x02},{0x03},{0x04},{0x05},{0x08,L},{0x09,L},{0x0a},{0x0b},{0x0c},{0x0d},
	{0x10,L},{0x11,L},{0x12},{0x13},{0x14},{0x15},{0x18,L},{0x19,L},{0x1a},{0x1b},{0x1c},{0x1d},
	{0x20,L},{0x21,L},{0x22},{0x23},{0x24},{0x25},{0x28,L},{0x29,L},{0x2a},{0x2b},{0x2c},{0x2d},
	{0x30,L},{0x31,L},{0x32},{0x33},{0x34},{0x35},{0x38},{0x39},{0x3a},{0x3b},{0x3c},{0x3d},
	/* segment push/pop, BCD */
	{0x06},{0x07,R},{0x0e},{0x16},{0x17,R},{0x1e},{0x1f,R},{0x27},{0x2f},{0x37},{0x3f},
	/* INC/DEC/PUSH/POP r */
	{0x40},{0x41},{0x42},{0x43},{0x44},{0x45},{0x46},{0x47},{0x48},{0x49},{0x4a},{0x4b},{0x4c},{0x4d},{0x4e},{0x4f},
	{0x50},{0x51},{0x52},{0x53},{0x54},{0x55},{0x56},{0x57},{0x58},{0x59},{0x5a},{0x5b},{0x5c},{0x5d},{0x5e},{0x5f},
	{0x60},{0x61},{0x62},{0x68},{0x69},{0x6a},{0x6b},{0x6c,S},{0x6d,S},{0x6e,S},{0x6f,S},
	{0x70},{0x71},{0x72},{0x73},{0x74},{0x75},{0x76},{0x77},{0x78},{0x79},{0x7a},{0x7b},{0x7c},{0x7d},{0x7e},{0x7f},
	{0x80,L},{0x81,L},{0x82,L},{0x83,L},{0x84},{0x85},{0x86,L},{0x87,L},{0x88},{0x89},{0x8a},{0x8b},
	{0x8c},{0x8d},{0x8e,R},{0x8f},
	{0x90},{0x91},{0x92},{0x93},{0x94},{0x95},{0x96},{0x97},{0x98},{0x99},{0x9a,R},{0x9c},{0x9d},{0x9e},{0x9f},
	{0xa0},{0xa1},{0xa2},{0xa3},{0xa4,S},{0xa5,S},{0xa6,S},{0xa7,S},{0xa8},{0xa9},{0xaa,S},{0xab,S},
	{0xac,S},{0xad,S},{0xae,S},{0xaf,S},
	{0xb0},{0xb1},{0xb2},{0xb3},{0xb4},{0xb5},{0xb6},{0xb7},{0xb8},{0xb9},{0xba},{0xbb},{0xbc},{0xbd},{0xbe},{0xbf},
	{0xc0},{0xc1},{0xc2},{0xc3},{0xc4,R},{0xc5,R},{0xc6},{0xc7},{0xc8},{0xc9},{0xca,R},{0xcb,R},{0xcf,R},
	{0xd0},{0xd1},{0xd2},{0xd3},{0xd4},{0xd5},{0xd6},{0xd7},{0xe0},{0xe1},{0xe2},{0xe3},
	{0xe4},{0xe5},{0xe6},{0xe7},{0xe8},{0xe9},{0xea,R},{0xeb},{0xec},{0xed},{0xee},{0xef},
	{0xf5},{0xf6,L},{0xf7,L},{0xf8},{0xf9},{0xfa},{0xfb},{0xfc},{0xfd},{0xfe,L},{0xff,L},
	/* two-byte */
	{0x0f40},{0x0f41},{0x0f42},{0x0f43},{0x0f44},{0x0f45},{0x0f46},{0x0f47},
	{0x0f48},{0x0f49},{0x0f4a},{0x0f4b},{0x0f4c},{0x0f4d},{0x0f4e},{0x0f4f},
	{0x0f80},{0x0f81},{0x0f82},{0x0f83},{0x0f84},{0x0f85},{0x0f86},{0x0f87},
	{0x0f88},{0x0f89},{0x0f8a},{0x0f8b},{0x0f8c},{0x0f8d},{0x0f8e},{0x0f8f},
	{0x0f90},{0x0f91},{0x0f92},{0x0f93},{0x0f94},{0x0f95},{0x0f96},{0x0f97},
	{0x0f98},{0x0f99},{0x0f9a},{0x0f9b},{0x0f9c},{0x0f9d},{0x0f9e},{0x0f9f},
	{0x0fa0},{0x0fa1,R},{0x0fa3},{0x0fa4},{0x0fa5},{0x0fa8},{0x0fa9,R},{0x0fab,L},{0x0fac},{0x0fad},
	{0x0faf},{0x0fb0,L},{0x0fb1,L},{0x0fb2,R},{0x0fb3,L},{0x0fb4,R},{0x0fb5,R},{0x0fb6},{0x0fb7},
	{0x0fba,L},{0x0fbb,L},{0x0fbc},{0x0fbd},{0x0fbe},{0x0fbf},{0x0fc0,L},{0x0fc1,L},
	{0x0fc8},{0x0fc9},{0x0fca},{0x0fcb},{0x0fcc},{0x0fcd},{0x0fce},{0x0fcf},
	{0x0f01},       /* SGDT/SIDT/SMSW only: see gen_insn */
	{0x0f18},{0x0f19},{0x0f1a},{0x0f1b},{0x0f1c},{0x0f1d},{0x0f1e},{0x0f1f},   /* hint NOPs */
};
const unsigned ngens = sizeof(gens) / sizeof(gens[0]);


void gen_insn(struct insn *in, int cur_mode)
{
	const struct gen *g;
	unsigned i;

	memset(in, 0, sizeof(*in));
	do
		g = &gens[rnd_n(NGENS)];
	while ((g->flags & R) && cur_mode != 16);
	in->op = g->op;
	/* prefixes */
	if (rnd_n(4) == 0) { in->b[in->n++] = 0x66; in->op16 = 1; }
	if (rnd_n(6) == 0) in->b[in->n++] = 0x67;
	if (rnd_n(5) == 0) {
		static const uint8_t seg[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };
		in->b[in->n++] = seg[rnd_n(6)];
	}
	if ((g->flags & S) && rnd_n(2)) {
		in->b[in->n++] = rnd_n(2) ? 0xf3 : 0xf2;
		in->rep = 1;
	}
	if ((g->flags & L) && rnd_n(16) == 0) {
		in->b[in->n++] = 0xf0;
		in->lock = 1;
	}
	in->pfx = in->n;
	if (g->op > 0xff)
		in->b[in->n++] = 0x0f;
	in->b[in->n++] = (uint8_t)g->op;
	for (i = in->n; i < 16; i++)
		in->b[i] = (uint8_t)rnd();
	in->modrm = in->b[in->n];
	if (g->op == 0x0f01) {
		/* group 7: only the forms that do not change system state */
		static const uint8_t regs[] = { 0, 1, 4 };
		in->modrm = (uint8_t)((in->modrm & 0xc7) | regs[rnd_n(3)] << 3);
		if ((in->modrm >> 3 & 7) != 4 && (in->modrm >> 6) == 3)
			in->modrm &= 0x3f;
		in->b[in->n] = in->modrm;
	}
	/* D4: LOCK on a register operand or a non-lockable group member crashes
	 * unicorn 2.0.1 ("tcg fatal error"): LOCK only on the legal memory forms. */
	if (in->lock) {
		unsigned reg;
		in->modrm &= 0x3f;
		reg = in->modrm >> 3 & 7;
		if ((g->op >= 0x80 && g->op <= 0x83) && reg == 7)
			reg = 0;
		if ((g->op == 0xf6 || g->op == 0xf7) && reg != 2 && reg != 3)
			reg = 2 + (reg & 1);
		if ((g->op == 0xfe || g->op == 0xff) && reg > 1)
			reg &= 1;
		if (g->op == 0x0fba && reg < 5)
			reg = 5 + reg % 3;
		in->modrm = (uint8_t)((in->modrm & 0xc7) | reg << 3);
		in->b[in->n] = in->modrm;
	}
	/* protected-mode far transfers are not part of this test (the GDT is random
	 * and unicorn's EIP reads as CS.base + EIP): FF /3, /5 only in real mode */
	if (g->op == 0xff && cur_mode == 32 && ((in->modrm >> 3 & 7) == 3 || (in->modrm >> 3 & 7) == 5))
		in->b[in->n] = in->modrm = (uint8_t)(in->modrm - 0x08);
	/* D4 too: CALL/JMP FAR (FF /3, /5) with a register operand abort unicorn */
	if (g->op == 0xff && ((in->modrm >> 3 & 7) == 3 || (in->modrm >> 3 & 7) == 5))
		in->b[in->n] = in->modrm = in->modrm & 0x3f;
	/* D9: F6/F7 /1, the undocumented alias of TEST, makes unicorn read the wrong place */
	if ((g->op == 0xf6 || g->op == 0xf7) && (in->modrm >> 3 & 7) == 1)
		in->b[in->n] = in->modrm = in->modrm & 0xc7;
	/* FF /7 and 8F /1-7 are #UD: keep them rare */
	if ((g->op == 0x8f || g->op == 0xc6 || g->op == 0xc7) && rnd_n(8))
		in->b[in->n] = in->modrm = in->modrm & 0xc7;
}

/* --------------------------------------------------------- flag masks --- */


/*
 * The flags the SDM leaves undefined after this instruction (Vol. 1
 * Appendix A and each instruction's "Flags Affected").  `count` is the
 * masked shift count where one applies; `osize` the operand size in bytes.
 */
uint32_t undefined_flags(const struct insn *in, unsigned len, const struct guest_cpu *c,
				unsigned osize, int *skip)
{
	uint16_t op = in->op;
	unsigned reg = (in->modrm >> 3) & 7, count, bits;
	uint8_t last = in->b[len - 1];

	switch (op) {
	case 0x08: case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d:
	case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25:
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
	case 0x84: case 0x85: case 0xa8: case 0xa9:
		return AF;
	case 0x80: case 0x81: case 0x82: case 0x83:
		return (reg == 1 || reg == 4 || reg == 6) ? AF : 0;
	case 0xf6: case 0xf7:
		if (reg <= 1)
			return AF;
		if (reg == 4 || reg == 5)
			return SF | ZF | AF | PF;
		if (reg >= 6)
			return CF | PF | AF | ZF | SF | OF;
		return 0;
	case 0x69: case 0x6b: case 0x0faf:
		return SF | ZF | AF | PF;
	case 0x27: case 0x2f:
		return OF;
	case 0x37: case 0x3f:
		return OF | SF | ZF | PF;
	case 0xd4: case 0xd5:
		return OF | AF | CF;
	case 0x0fa3: case 0x0fab: case 0x0fb3: case 0x0fbb: case 0x0fba:
		return OF | SF | AF | PF;
	case 0x0fbc: case 0x0fbd:
		return CF | OF | SF | AF | PF;
	case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3:
		bits = osize * 8;
		count = (op == 0xd0 || op == 0xd1) ? 1 : (op == 0xd2 || op == 0xd3) ?
			c->s.gpr[RMT_ECX] & 0x1f : last & 0x1f;
		if (!count)
			return 0;
		if (reg <= 3)           /* rotates: OF only for count 1 */
			return count == 1 ? 0 : OF;
		return AF | (count == 1 ? 0 : OF) | (count > bits ? CF : 0);
	case 0x0fa4: case 0x0fa5: case 0x0fac: case 0x0fad:
		count = (op == 0x0fa4 || op == 0x0fac) ? last & 0x1f : c->s.gpr[RMT_ECX] & 0x1f;
		if (count > osize * 8)
			*skip = 1;      /* result undefined */
		return count == 1 ? AF : AF | OF;
	case 0x0fc8: case 0x0fc9: case 0x0fca: case 0x0fcb:
	case 0x0fcc: case 0x0fcd: case 0x0fce: case 0x0fcf:
		if (osize == 2)
			*skip = 1;      /* BSWAP r16 is undefined */
		return 0;
	}
	return 0;
}

int is_branch(const struct insn *in)
{
	uint16_t op = in->op;
	unsigned reg = in->modrm >> 3 & 7;

	return (op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3) || (op >= 0xe8 && op <= 0xeb) ||
	       op == 0x9a || op == 0xc2 || op == 0xc3 || op == 0xca || op == 0xcb || op == 0xcf ||
	       (op == 0xff && reg >= 2 && reg <= 5) || (op >= 0x0f80 && op <= 0x0f8f);
}

/* Did a relative branch of a 32-bit operand size wrap past 4 GiB? */
int branch_wrapped(const struct insn *in, unsigned len, const struct guest_cpu *c0)
{
	int64_t rel;
	uint16_t op = in->op;

	if ((op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3) || op == 0xeb)
		rel = (int8_t)in->b[len - 1];
	else if ((op >= 0x0f80 && op <= 0x0f8f) || op == 0xe8 || op == 0xe9)
		rel = (int32_t)(in->b[len - 4] | in->b[len - 3] << 8 | in->b[len - 2] << 16 |
				(uint32_t)in->b[len - 1] << 24);
	else
		return 0;
	rel += (int64_t)c0->s.eip + len;
	return rel < 0 || rel > 0xffffffffll;
}

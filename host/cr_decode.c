/*
 * The control-register instructions of a guest in IA-32e mode, for the SVM
 * backend.  QEMU's TCG gives SVM no decode assists (no GPR number in
 * EXITINFO1) and no next-RIP, so an intercepted CR access must be decoded.
 * Outside IA-32e mode rmtramp's interpreter does that (host/interpret.c);
 * it has no 64-bit mode and no 4-level paging, and a 64-bit kernel touches
 * CR0/CR4 only through a handful of forms, so they are decoded here:
 *
 *   0F 22 /r  MOV CRn, r64 (r32 in compatibility mode)   0F 20 /r  MOV r, CRn
 *   0F 06     CLTS                                        0F 01 /6  LMSW r16
 *   0F 01 /4  SMSW r16/r32/r64
 *
 * with legacy prefixes, and REX in 64-bit mode (REX.R extends the CR
 * number, REX.B the register; SDM Vol. 2A 2.2.1).  MOV CR ignores the mod
 * field: the operand is always a register (SDM Vol. 2B MOV—Move to/from
 * Control Registers).  Memory forms of LMSW/SMSW are refused by name.
 */
#include <stdint.h>
#include "host/cr_decode.h"

int cr_decode(const uint8_t *b, unsigned n, int mode64, struct cr_insn *out, const char **why)
{
	unsigned i = 0, rex = 0, opsize = 4;

	/* Legacy prefixes, any order (the processor allows up to 15 bytes). */
	for (; i < n && i < 14; i++) {
		uint8_t p = b[i];
		if (p == 0x66)
			opsize = 2;
		else if (!(p == 0x67 || p == 0xf2 || p == 0xf3 || p == 0x26 || p == 0x2e ||
			   p == 0x36 || p == 0x3e || p == 0x64 || p == 0x65))
			break;
	}
	/* REX must come last, right before the opcode (64-bit mode only: in
	 * compatibility mode 40-4F are INC/DEC). */
	if (mode64 && i < n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (rex & 8)
		opsize = 8;
	if (i + 2 > n || b[i] != 0x0f) {
		*why = "not a control-register instruction (no 0F opcode)";
		return -1;
	}
	uint8_t op = b[i + 1];
	if (op == 0x06) {
		out->kind = CR_CLTS;
		out->len = i + 2;
		return 0;
	}
	if (i + 3 > n) {
		*why = "instruction bytes unreadable";
		return -1;
	}
	uint8_t modrm = b[i + 2];
	unsigned reg = (modrm >> 3) & 7, rm = modrm & 7;
	out->len = i + 3;
	if (op == 0x20 || op == 0x22) {
		out->kind = op == 0x22 ? CR_MOV_TO : CR_MOV_FROM;
		out->cr = reg | ((rex & 4) ? 8 : 0);
		out->gpr = rm | ((rex & 1) ? 8 : 0);
		return 0;
	}
	if (op == 0x01 && (reg == 4 || reg == 6)) {
		if ((modrm >> 6) != 3) {
			*why = reg == 6 ? "LMSW with a memory operand in IA-32e mode is not emulated"
					: "SMSW to memory in IA-32e mode is not emulated";
			return -1;
		}
		out->kind = reg == 6 ? CR_LMSW : CR_SMSW;
		out->gpr = rm | ((rex & 1) ? 8 : 0);
		out->opsize = mode64 ? opsize : (opsize == 2 ? 2 : 4);
		return 0;
	}
	*why = "not a control-register instruction";
	return -1;
}

/*
 * 4-level paging (SDM Vol. 3A 4.5): PML4E bits 47:39, PDPTE 38:30 (PS: a
 * 1 GiB page), PDE 29:21 (PS: 2 MiB), PTE 20:12.  The guest is executing
 * this code, so only presence matters.  No nested paging: guest-physical is
 * host-physical, and the host's identity map covers the low 4 GiB.
 */
#define PTE_P      1ull
#define PTE_PS     0x80ull
#define ADDR_MASK  0x000ffffffffff000ull

static int translate(uint64_t cr3, uint64_t la, uint64_t *pa)
{
	uint64_t table = cr3 & ADDR_MASK;

	for (int level = 3; level >= 0; level--) {
		unsigned idx = (la >> (12 + 9 * level)) & 511;
		uint64_t e;

		if (table >= 0x100000000ull)
			return -1;
		e = ((const volatile uint64_t *)(uintptr_t)table)[idx];
		if (!(e & PTE_P))
			return -1;
		if (level > 0 && level < 3 && (e & PTE_PS)) {
			uint64_t size = 1ull << (12 + 9 * level);
			*pa = (e & ADDR_MASK & ~(size - 1)) | (la & (size - 1));
			return *pa < 0x100000000ull ? 0 : -1;
		}
		table = e & ADDR_MASK;
	}
	*pa = table | (la & 0xfff);
	return *pa < 0x100000000ull ? 0 : -1;
}

unsigned guest_fetch_ia32e(uint64_t cr3, uint64_t la, uint8_t *buf, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t pa;

		if (translate(cr3, la + i, &pa))
			return i;
		buf[i] = *(const volatile uint8_t *)(uintptr_t)pa;
	}
	return n;
}

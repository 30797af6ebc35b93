/* Decoding the control-register instructions SVM intercepts, for a guest in
 * IA-32e mode (cr_decode.c). */
#ifndef HOST_CR_DECODE_H
#define HOST_CR_DECODE_H
#include <stdint.h>

enum cr_insn_kind { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW, CR_SMSW };

struct cr_insn {
	enum cr_insn_kind kind;
	unsigned cr;        /* MOV: the control register */
	unsigned gpr;       /* MOV, LMSW, SMSW: the general register, 0-15 */
	unsigned opsize;    /* SMSW: 2, 4 or 8 bytes written */
	unsigned len;       /* instruction length */
};

/* Decode bytes[0..n) as code of a 64-bit (mode64) or compatibility-mode
 * code segment.  Returns 0, or -1 with *why set. */
int cr_decode(const uint8_t *bytes, unsigned n, int mode64, struct cr_insn *out,
	      const char **why);

/* Read up to n bytes of guest code at linear address `la` through the
 * guest's 4-level page tables at cr3.  Returns the count read (stops at a
 * non-present page). */
unsigned guest_fetch_ia32e(uint64_t cr3, uint64_t la, uint8_t *buf, unsigned n);

#endif

/*
 * Architectural constants of IA-32 that every layer names: control-register
 * and EFLAGS bits, exception vectors, and the record of a fault.  No code, no
 * hardware access: included by the freestanding libraries, the blob and the
 * host alike.
 */
#ifndef X86_ARCH_H
#define X86_ARCH_H

#include <stdint.h>

/* CR0 (SDM Vol. 3A 2.5) */
#define X86_CR0_PE  0x00000001u
#define X86_CR0_MP  0x00000002u
#define X86_CR0_EM  0x00000004u
#define X86_CR0_TS  0x00000008u
#define X86_CR0_ET  0x00000010u
#define X86_CR0_NE  0x00000020u
#define X86_CR0_WP  0x00010000u
#define X86_CR0_AM  0x00040000u
#define X86_CR0_NW  0x20000000u
#define X86_CR0_CD  0x40000000u
#define X86_CR0_PG  0x80000000u

/* CR4 */
#define X86_CR4_VME  0x00000001u
#define X86_CR4_PVI  0x00000002u
#define X86_CR4_TSD  0x00000004u
#define X86_CR4_DE   0x00000008u
#define X86_CR4_PSE  0x00000010u
#define X86_CR4_PAE  0x00000020u
#define X86_CR4_MCE  0x00000040u
#define X86_CR4_PGE  0x00000080u
#define X86_CR4_PCE  0x00000100u
#define X86_CR4_OSFXSR 0x00000200u
#define X86_CR4_OSXMMEXCPT 0x00000400u
#define X86_CR4_UMIP 0x00000800u
#define X86_CR4_VMXE 0x00002000u
#define X86_CR4_PCIDE 0x00020000u
#define X86_CR4_OSXSAVE 0x00040000u

/* EFLAGS (SDM Vol. 1 3.4.3) */
#define X86_FL_CF   0x00000001u
#define X86_FL_FIXED 0x00000002u   /* bit 1 always reads 1 */
#define X86_FL_PF   0x00000004u
#define X86_FL_AF   0x00000010u
#define X86_FL_ZF   0x00000040u
#define X86_FL_SF   0x00000080u
#define X86_FL_TF   0x00000100u
#define X86_FL_IF   0x00000200u
#define X86_FL_DF   0x00000400u
#define X86_FL_OF   0x00000800u
#define X86_FL_IOPL 0x00003000u
#define X86_FL_IOPL_SHIFT 12
#define X86_FL_NT   0x00004000u
#define X86_FL_RF   0x00010000u
#define X86_FL_VM   0x00020000u
#define X86_FL_AC   0x00040000u
#define X86_FL_VIF  0x00080000u
#define X86_FL_VIP  0x00100000u
#define X86_FL_ID   0x00200000u

/* EFER */
#define X86_EFER_SCE 0x001u
#define X86_EFER_LME 0x100u
#define X86_EFER_LMA 0x400u
#define X86_EFER_NXE 0x800u

/* Exception vectors (SDM Vol. 3A 6.3.1) */
enum x86_vector {
	X86_DE = 0, X86_DB = 1, X86_NMI = 2, X86_BP = 3, X86_OF = 4, X86_BR = 5,
	X86_UD = 6, X86_NM = 7, X86_DF = 8, X86_TS = 10, X86_NP = 11, X86_SS = 12,
	X86_GP = 13, X86_PF = 14, X86_MF = 16, X86_AC = 17, X86_MC = 18, X86_XM = 19,
};

/*
 * "Intel decided that some exceptions push an error code" — #DF, #TS, #NP,
 * #SS, #GP, #PF, #AC.  In real mode none of them does.
 */
static inline int x86_vector_has_error_code(unsigned vector)
{
	return vector == X86_DF || (vector >= X86_TS && vector <= X86_PF) ||
	       vector == X86_AC;
}

/* A fault raised by an emulated operation, to be delivered to the guest. */
struct x86_fault {
	uint8_t  vector;        /* enum x86_vector */
	uint8_t  has_error;     /* push error_code (protected mode only) */
	uint16_t reserved;
	uint32_t error_code;
	uint32_t cr2;           /* faulting linear address for #PF */
};

/* Selector fields */
#define X86_SEL_RPL(sel)   ((unsigned)(sel) & 3u)
#define X86_SEL_TI         0x0004u
#define X86_SEL_INDEX(sel) ((unsigned)(sel) >> 3)

#endif /* X86_ARCH_H */

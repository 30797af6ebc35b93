/*
 * Finding a selector's descriptor in the GDT or LDT, with the processor's
 * table-limit checks.
 *
 * A selector is an index into a table (SDM Vol. 3A 3.4.2):
 *
 *   15                      3   2   1 0
 *   +-----------------------+----+-----+
 *   | index                 | TI | RPL |
 *   +-----------------------+----+-----+
 *
 * TI=0 picks the GDT (GDTR.base/limit), TI=1 the LDT the LDTR register
 * currently caches.  The descriptor occupies bytes index*8 .. index*8+7 of
 * the table, and every one of them must lie within the table's limit, or the
 * load raises #GP with the selector as error code (SDM Vol. 3A 5.3: "the
 * processor ... checks that the selector's index is within the limit of the
 * GDT or LDT").  The error code is the selector with RPL cleared: bits 15:3
 * index, bit 2 TI, bit 1 IDT=0, bit 0 EXT=0 (SDM Vol. 3A 6.13).
 *
 * This file knows nothing about how memory is reached: the caller passes a
 * read function with the same shape as struct seg_mem_ops.read_linear.
 */
#ifndef GDT_DESCRIPTOR_TABLE_H
#define GDT_DESCRIPTOR_TABLE_H

#include <stdint.h>
#include "rmtramp/abi.h"
#include "x86/arch.h"
#include "gdt/descriptor.h"

/* Return 0, or -1 with *fault filled (a #PF while walking the guest's tables). */
typedef int (*desc_read_fn)(void *ctx, uint32_t linear, void *buf, unsigned len,
			    struct x86_fault *fault);

/* The error code a selector-related fault pushes: the selector without RPL. */
static inline uint32_t sel_error_code(uint16_t sel)
{
	return (uint32_t)sel & 0xfffcu;
}

/* Fill *fault with `vector` and an error code. */
static inline void x86_fault_set(struct x86_fault *fault, unsigned vector, uint32_t error_code)
{
	fault->vector = (uint8_t)vector;
	fault->has_error = (uint8_t)x86_vector_has_error_code(vector);
	fault->reserved = 0;
	fault->error_code = error_code;
	fault->cr2 = 0;
}

/* A null selector: index 0 in the GDT (any RPL).  An LDT selector with
 * index 0 is *not* null: it names the LDT's first descriptor. */
static inline int sel_is_null(uint16_t sel)
{
	return (sel & 0xfffcu) == 0;
}

/*
 * Where the descriptor for `sel` lives: the linear address of its first
 * byte.  Checks TI (an LDT selector while LDTR is unusable faults, SDM Vol.
 * 3A 3.5.1: the LDT "null selector" case) and the table limit.  Does not
 * treat the null selector specially — that is the caller's policy.
 * Returns 0, or -1 with *fault = #GP(sel & 0xFFFC).
 */
int desc_table_locate(const struct rmt_dtable *gdtr, const struct rmt_segment *ldtr,
		      uint16_t sel, uint32_t *linear, struct x86_fault *fault);

/*
 * desc_table_locate, then read the 8 bytes.  Returns 0 with raw[] and
 * *linear filled, or -1 with *fault (#GP from the limit check, or whatever
 * the read function raised).
 */
int desc_table_read(const struct rmt_dtable *gdtr, const struct rmt_segment *ldtr,
		    uint16_t sel, desc_read_fn read, void *ctx,
		    uint8_t raw[DESC_SIZE], uint32_t *linear, struct x86_fault *fault);

#endif /* GDT_DESCRIPTOR_TABLE_H */

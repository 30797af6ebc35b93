/*
 * Segment-register loads as the processor performs them, mode by mode.
 *
 * This is the contract between the interpreter (vm86/), which decodes MOV
 * Sreg, POP Sreg, LDS/LES/LSS/LFS/LGS, far JMP/CALL/RET and IRET, and the
 * segment model (segments/), which knows what a load does to the visible
 * selector and the hidden descriptor cache:
 *
 *   real mode     base = sel << 4; limit and attributes are kept (that is how
 *                 big real mode survives); no descriptor is ever read.
 *   vm86          base = sel << 4, limit 0xFFFF, AR 0xF3 (CS: code), CPL 3.
 *   protected     the descriptor is read from the GDT or LDT with the
 *                 processor's checks, faulting #GP/#SS/#NP with the selector
 *                 error code, and its accessed bit is set in memory.
 */
#ifndef SEGMENTS_SEGMENT_LOAD_H
#define SEGMENTS_SEGMENT_LOAD_H

#include <stdint.h>
#include "segments/guest_cpu.h"

/* Linear-address access for descriptor-table reads and accessed-bit writes.
 * The caller (the interpreter) applies paging and A20.  Return 0, or -1 with
 * *fault filled (e.g. #PF). */
struct seg_mem_ops {
	void *ctx;
	int (*read_linear)(void *ctx, uint32_t linear, void *buf, unsigned len,
			   struct x86_fault *fault);
	int (*write_linear)(void *ctx, uint32_t linear, const void *buf, unsigned len,
			    struct x86_fault *fault);
};

/* Which instruction class performs the load: the checks differ. */
enum seg_load_kind {
	SEG_LOAD_DATA,      /* MOV/POP/LDS/LES/LFS/LGS into DS, ES, FS, GS */
	SEG_LOAD_STACK,     /* MOV/POP/LSS into SS */
	SEG_LOAD_CS_JMP,    /* far JMP */
	SEG_LOAD_CS_CALL,   /* far CALL */
	SEG_LOAD_CS_RET,    /* far RET (same privilege; outer-ring returns are reported) */
	SEG_LOAD_CS_IRET,   /* IRET (same privilege; outer-ring returns are reported) */
};

enum seg_load_result {
	SEG_LOAD_OK = 0,
	SEG_LOAD_FAULT = -1,        /* *fault says which exception, cpu unchanged */
	SEG_LOAD_UNSUPPORTED = -2,  /* a form not implemented yet (call/task gates,
	                             * privilege changes); cpu unchanged */
};

/*
 * Load segment register `seg` (RMT_ES..RMT_GS) with `sel` as `kind` does, in
 * the mode cpu->s.cr0 / cpu->s.eflags describe.  On success update
 * cpu->s.seg[seg], cpu->origin[seg] and, for CS, cpu->cpl.
 */
enum seg_load_result seg_load(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
			      enum rmt_seg seg, uint16_t sel, enum seg_load_kind kind,
			      struct x86_fault *fault);

#endif /* SEGMENTS_SEGMENT_LOAD_H */

/*
 * The x86 interpreter: executes one guest instruction against a struct
 * guest_cpu, in whatever mode the model says (real, vm86, 16/32-bit
 * protected).  It is freestanding: memory, ports, MSRs and CPUID are reached
 * only through struct interp_ops, which the blob implements with real
 * accesses and the tests implement with arrays.
 *
 * Like Xen's x86_emulate, state is transactional: an instruction that faults
 * leaves every register as it was (memory writes already done by a string
 * iteration stay done, as on hardware).  The CPU is changed in place during
 * a call and restored on a fault: ops callbacks must not read or write it.
 */
#ifndef VM86_INTERP_H
#define VM86_INTERP_H

#include <stdint.h>
#include "segments/guest_cpu.h"

/*
 * x87/SSE state operations.  The interpreter has no FPU of its own: the
 * guest's x87/SSE state lives in the processor, so the caller runs these
 * natively.  The interpreter has done every check that can fault (CR0.EM/TS,
 * segment, alignment, paging, a pending x87 exception, MXCSR reserved bits)
 * before it calls; buf is 16-byte aligned.
 */
enum interp_fpu_op {
	INTERP_FPU_FXSAVE,      /* buf[512] holds the destination's bytes: store the image over
	                         * them (bytes the processor does not write stay as they were) */
	INTERP_FPU_FXRSTOR,     /* buf[512]: load this image */
	INTERP_FPU_FNSTSW,      /* buf[2] <- the status word */
	INTERP_FPU_FNSTCW,      /* buf[2] <- the control word */
	INTERP_FPU_FLDCW,       /* the control word <- buf[2] */
	INTERP_FPU_FNINIT,
	INTERP_FPU_FNCLEX,
};

/*
 * Optional decode cache (interp_ops.dcache): storage the caller owns and the
 * interpreter keeps decoded instructions in between steps, so that an
 * instruction met again is not parsed again.  An entry is used only when the
 * bytes at CS:EIP, read as every step reads them, are the bytes it was
 * decoded from (and CS is the same): nothing is assumed about code that
 * changed, moved or was remapped.  With paging off an entry remembers where
 * map_page put its bytes (see map_page).  Zero it before first use; one per
 * CPU.
 */
#define INTERP_DCACHE_ENTRIES 1024
struct interp_dcache {
	uint64_t space[INTERP_DCACHE_ENTRIES * 16];
};

struct interp_ops {
	void *ctx;
	/* Physical memory.  Return 0, or -1 if the range is not guest memory
	 * (the blob's own pages, beyond RAM): the interpreter reports that as an
	 * error, not a guest fault. */
	int (*read_phys)(void *ctx, uint32_t paddr, void *buf, unsigned len);
	int (*write_phys)(void *ctx, uint32_t paddr, const void *buf, unsigned len);
	/* Port I/O of 1, 2 or 4 bytes, after the interpreter's permission checks. */
	uint32_t (*io_in)(void *ctx, uint16_t port, unsigned size);
	void (*io_out)(void *ctx, uint16_t port, unsigned size, uint32_t value);
	/* MSRs: return 0, or -1 for an MSR that #GPs. */
	int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *value);
	int (*wrmsr)(void *ctx, uint32_t msr, uint64_t value);
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
	uint64_t (*rdtsc)(void *ctx);
	/* Optional (NULL: FXSAVE, FXRSTOR and the x87 control instructions are
	 * reported unsupported).  Run `op` on the guest's x87/SSE state as the
	 * guest's processor would with the guest's CR4 (cr4).  Return 0, or -1
	 * if it cannot (the interpreter reports the instruction unsupported). */
	int (*fpu)(void *ctx, enum interp_fpu_op op, void *buf, uint32_t cr4);
	/* Optional (NULL: every access goes through read_phys/write_phys).
	 * Where the interpreter may read and write the 4 KiB page of guest-
	 * physical memory at page (a multiple of 4096, A20 already applied)
	 * directly, instead of through read_phys/write_phys: a host pointer to
	 * its first byte, or NULL for a page that must go through them (refused
	 * memory, MMIO).  Return a pointer only for a page on which
	 * read_phys/write_phys would be plain copies from and to that memory.
	 * With a dcache, a pointer once returned must stay so — valid, and the
	 * memory read_phys/write_phys copy from and to — until the caller zeroes
	 * the dcache: the cache reads instruction bytes through it without
	 * asking again (a NULL answer is never remembered). */
	void *(*map_page)(void *ctx, uint32_t page);
	/* Optional (NULL: no cache): see struct interp_dcache. */
	struct interp_dcache *dcache;
};

enum interp_result {
	INTERP_OK = 0,        /* one instruction retired; cpu->s.eip advanced */
	INTERP_FAULT,         /* the instruction raised *fault; cpu unchanged (EIP at the instruction) */
	INTERP_HALT,          /* HLT retired: EIP past it; the caller waits for an interrupt */
	INTERP_UNSUPPORTED,   /* cannot be interpreted (most x87/SSE, unknown opcode, a form not
	                       * implemented); cpu unchanged; why[] says what */
	INTERP_MEMERR,        /* an access hit memory ops refused (blob pages); cpu unchanged */
};

/* interp_step and interp_deliver* set why[0], opcode[] and length on every
 * call, the rest where the result makes it valid. */
struct interp_status {
	struct x86_fault fault;     /* valid for INTERP_FAULT */
	char why[96];               /* valid for INTERP_UNSUPPORTED / INTERP_MEMERR */
	uint8_t opcode[4];          /* first opcode bytes (after prefixes), for messages */
	uint8_t length;             /* instruction length, when decoded */
};

/*
 * Execute the instruction at CS:EIP.  Interrupt delivery, single-step traps
 * and the REP-iteration interrupt window are the caller's business: a REP
 * string instruction runs to completion (or to a fault) in one call.
 */
enum interp_result interp_step(struct guest_cpu *cpu, const struct interp_ops *ops,
			       struct interp_status *st);

/*
 * Deliver an exception or interrupt as the current mode requires.  In real
 * mode: push FLAGS, CS, IP and load CS:IP from the IVT at IDTR.base (the
 * guest's vector table), clearing IF, TF, AC (and RF).  Returns INTERP_OK, or
 * INTERP_FAULT with the nested fault (the caller escalates towards #DF and
 * triple fault), or INTERP_UNSUPPORTED for a mode it cannot deliver in.
 */
enum interp_result interp_deliver(struct guest_cpu *cpu, const struct interp_ops *ops,
				  unsigned vector, int is_software, struct interp_status *st);

/*
 * interp_deliver for an exception that carries an error code (protected mode
 * pushes it after EIP; real mode ignores it).  EIP must be where the
 * exception returns to.  Same results as interp_deliver.
 */
enum interp_result interp_deliver_fault(struct guest_cpu *cpu, const struct interp_ops *ops,
					const struct x86_fault *fault, struct interp_status *st);

#endif /* VM86_INTERP_H */

/*
 * The blob's per-vCPU state and the functions firmware/ files share.
 *
 * Nothing here is global per machine except the descriptor tables and page
 * tables (which describe the machine, not a processor): each vCPU has its
 * own context, model of the guest CPU, TSS, stacks and trap frame.
 */
#ifndef FIRMWARE_BLOB_H
#define FIRMWARE_BLOB_H

#include <stdint.h>
#include "rmtramp/abi.h"
#include "segments/guest_cpu.h"
#include "segments/handoff.h"
#include "vm86/interp.h"
#include "firmware/layout.h"

/* 32-bit TSS (104 bytes), the interrupt-redirection bitmap (32 bytes, used
 * with CR4.VME) right below the I/O permission bitmap (8 KiB, one bit per
 * port), and the 0xFF byte the processor may read past the bitmap's end
 * (SDM Vol. 1 19.5.2). */
#define TSS_BASE_SIZE   104
#define TSS_IRB_SIZE    32
#define TSS_IOPB_SIZE   8192
#define TSS_SIZE        (TSS_BASE_SIZE + TSS_IRB_SIZE + TSS_IOPB_SIZE + 1)

/* What the processor and the trap stubs leave on the trap stack (entry.S). */
struct vm86_frame {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;  /* pushad */
	uint32_t vector, error;
	uint32_t eip, cs, eflags, esp, ss, es, ds, fs, gs;       /* from vm86 */
};
_Static_assert(sizeof(struct vm86_frame) == VM86_FRAME_SIZE, "vm86 frame layout");

struct blob_vcpu {
	struct guest_cpu cpu;                /* the guest, as hardware would hold it */
	struct rmt_vcpu_context *ctx;        /* shared with the host */
	unsigned index;
	/* Hardware interrupts that arrived (VME: the processor's IF is 1) while
	 * the guest's virtual IF was 0: delivered, oldest first, once it is 1. */
	uint8_t pending_irq[16];
	unsigned pending_count;
	/* The guest's A20 gate (a20.c).  The authority: the interpreter owns
	 * cpu during a step (and puts it back if the step faults), so an OUT
	 * that moves the gate only records it here and run.c copies it into
	 * cpu.a20 after the step. */
	uint8_t a20_open;
	unsigned pm_window_reported;         /* logged why the PM state is not enterable */
	uint8_t leak_reported;               /* main.c: bit 0 GDTR, bit 1 IDTR, said once */
	struct handoff handoff;              /* the last enterability verdict (3 KiB) */
	struct interp_ops ops;               /* blob_interp_ops with ctx = this vCPU */
	struct interp_dcache dcache;         /* ops.dcache: the interpreter's decode cache */
	uint8_t tss[TSS_SIZE] __attribute__((aligned(128)));
	uint8_t stack[BLOB_STACK_SIZE] __attribute__((aligned(16)));
	uint8_t trap_stack[BLOB_TRAP_STACK_SIZE] __attribute__((aligned(4096)));
};

extern struct blob_vcpu blob_vcpus[BLOB_MAX_VCPUS];
extern struct rmt_vcpu_context blob_contexts[BLOB_MAX_VCPUS];
extern const struct rmt_header blob_header;
extern uint32_t blob_boot_flags;          /* RMT_BOOT_* from the loader */

/* entry.S */
struct vm86_frame *vm86_enter(struct vm86_frame *frame);
unsigned monitor_wait_for_interrupt(uint32_t *esp0_slot);
uint32_t hypercall(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3);
void load_monitor_segments(void);

/* console.c */
void console_enable_com1(void);
void blob_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void blob_log_state(const struct blob_vcpu *b, const char *event);

/* tables.c */
extern uint32_t monitor_cr4;
void tables_set_a20(int open);

/* a20.c */
int a20_io_out(struct blob_vcpu *b, uint16_t port, unsigned size, uint32_t value);
int a20_io_in(struct blob_vcpu *b, uint16_t port, unsigned size, uint32_t *value);
void a20_before_handoff(struct blob_vcpu *b);
void a20_after_reentry(struct blob_vcpu *b);
extern const uint16_t a20_ports[];
void tables_init(void);
void tables_load(unsigned vcpu);
void monitor_state(unsigned vcpu, struct rmt_state *st);
struct vm86_frame *vm86_frame_of(struct blob_vcpu *b);
uint32_t *esp0_slot_of(struct blob_vcpu *b);

/*
 * Bochs' magic breakpoint: with "magic_break: enabled=1" Bochs stops in its
 * debugger right after this instruction; everywhere else XCHG %BX,%BX is a
 * no-op.  The blob executes one at every handoff (after its log line, before
 * the hypercall) and every re-entry (after its log line), so the N-th stop is
 * the N-th transition line of the console (docs/debugging.md, scripts/debug.sh).
 */
static inline void blob_magic_break(void)
{
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
}

/* run.c */
void run_guest(struct blob_vcpu *b) __attribute__((noreturn));
void blob_fatal(struct blob_vcpu *b, unsigned reason, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

/* guest_access.c */
extern const struct interp_ops blob_interp_ops;

#endif

/*
 * The host's view of one virtual processor, and the interface between the
 * shared exit handling (exits.c, blob.c) and a virtualization backend
 * (vmx.c now; svm.c imitates a no-UG VT-x host on QEMU later).
 *
 * A backend decodes its exits into the events below and implements state
 * transfer in the ABI's record format; everything about *policy* (what a CR0
 * write means, hypercalls, CPUID, end of run) lives in the shared code.
 */
#ifndef HOST_VCPU_H
#define HOST_VCPU_H

#include <stdint.h>
#include "rmtramp/abi.h"
#include "x86/arch.h"

/* General registers in ModRM order, RAX..RDI then R8..R15 (a 64-bit guest
 * has them all); rsp is kept in the VM state, not here.  The ABI's state
 * record holds the low 32 bits of the first eight. */
#define HOST_NGPR 16
struct host_gprs {
	uint64_t r[HOST_NGPR];
};

struct vcpu {
	struct host_gprs regs;
	unsigned index;
	int launched;
	/* Guest-visible values the hardware does not hold while the guest's
	 * paging is off (the host's identity page tables are loaded then). */
	uint32_t guest_cr3;
	/* Guest-visible CR0/CR4 for a backend without read shadows (SVM),
	 * which intercepts reads and answers from here. */
	uint32_t shadow_cr0, shadow_cr4;
	/* The guest-visible IA32_EFER (SCE, LME, LMA, NXE).  Neither Penryn
	 * (no "load IA32_EFER" controls) nor the host's own needs let the
	 * processor's EFER be the guest's, so RDMSR/WRMSR of it always exit
	 * and LMA is derived here: LMA = LME && CR0.PG (SDM Vol. 3A 9.8.5). */
	uint64_t efer;
	int check_entry;             /* validate the loaded state before the next entry */
	uint64_t hlt_rip;            /* SVM: where the guest's HLT is, to re-run it natively */
	uint32_t exits[256];         /* host exits by the backend's reason code (low 8 bits) */
	uint32_t transitions;        /* PE-clear re-entries + handoffs seen */
};

/* ---- a virtualization backend (vmx.c, svm.c) ---- */
struct backend {
	const char *name;
	/* 1 if this processor has the extension (CPUID) */
	int (*probe)(void);
	void (*init)(void);
	/* Make `st` the vCPU's whole guest state (the ABI's record format; the
	 * backend applies the forced CR bits and identity paging). */
	void (*load_state)(struct vcpu *v, const struct rmt_state *st);
	/* Read the vCPU's guest-visible state. */
	void (*save_state)(struct vcpu *v, struct rmt_state *st);
	/* The guest changed CR0/CR3/CR4 (guest-visible values) or v->efer:
	 * make the processor's registers, IA-32e mode and LMA follow. */
	void (*set_control_registers)(struct vcpu *v, uint32_t cr0, uint32_t cr3, uint32_t cr4);
	/* Only what reads of CR0/CR4 return for the host-owned bits. */
	void (*set_read_shadows)(struct vcpu *v, uint32_t cr0, uint32_t cr4);
	/* SGDT/SIDT exit (on) and come back to the guest as #GP(0), or run.
	 * Returns 0 if the processor cannot intercept them. */
	int (*trap_descriptor_reads)(struct vcpu *v, int on);
	/* Make guest accesses to `port` exit (on) or go to the device. */
	void (*set_io_intercept)(uint16_t port, int on);
	void (*set_rip)(struct vcpu *v, uint64_t rip);
	uint64_t (*get_rip)(struct vcpu *v);
	/* Resume in the HLT state: the processor waits for an interrupt. */
	void (*set_activity_hlt)(struct vcpu *v);
	/* Inject a hardware exception at the next entry. */
	void (*inject_exception)(struct vcpu *v, unsigned vector, int has_error, uint32_t error);
	/* Enter the guest and handle exits until the machine stops. */
	void (*run)(struct vcpu *v) __attribute__((noreturn));
	unsigned hypercall_flavour;     /* RMT_HCI_VMCALL or RMT_HCI_VMMCALL */
	/* A short name for exit reason `code` (low 8 bits), or 0. */
	const char *(*exit_name)(unsigned code);
};

extern const struct backend *backend;
extern const struct backend vmx_backend, svm_backend;

static inline void backend_load_state(struct vcpu *v, const struct rmt_state *st) { backend->load_state(v, st); }
static inline void backend_save_state(struct vcpu *v, struct rmt_state *st) { backend->save_state(v, st); }
/*
 * The guest wrote CR0, CR3, CR4 or EFER.  IA-32e mode follows: active iff
 * EFER.LME and CR0.PG (SDM Vol. 3A 9.8.5) — enabling paging with LME set
 * activates it, clearing PG deactivates it.  (A whole state loaded with
 * backend_load_state keeps the LMA its record has.)
 */
static inline void backend_set_control_registers(struct vcpu *v, uint32_t cr0, uint32_t cr3, uint32_t cr4)
{
	if ((cr0 & X86_CR0_PG) && (v->efer & X86_EFER_LME))
		v->efer |= X86_EFER_LMA;
	else
		v->efer &= ~(uint64_t)X86_EFER_LMA;
	backend->set_control_registers(v, cr0, cr3, cr4);
}
static inline void backend_set_read_shadows(struct vcpu *v, uint32_t cr0, uint32_t cr4) { backend->set_read_shadows(v, cr0, cr4); }
static inline void backend_set_rip(struct vcpu *v, uint64_t rip) { backend->set_rip(v, rip); }
static inline uint64_t backend_get_rip(struct vcpu *v) { return backend->get_rip(v); }
static inline void backend_set_activity_hlt(struct vcpu *v) { backend->set_activity_hlt(v); }
static inline void backend_inject_exception(struct vcpu *v, unsigned vector, int has_error, uint32_t error) { backend->inject_exception(v, vector, has_error, error); }

/* EDX:EAX, the operand of WRMSR and XSETBV (bits 63:32 of each ignored). */
static inline uint64_t vcpu_edx_eax(const struct vcpu *v)
{
	return ((v->regs.r[RMT_EDX] & 0xffffffffu) << 32) | (v->regs.r[RMT_EAX] & 0xffffffffu);
}

/* The CR0 value LMSW writes: CR0[3:0] from its source, except that it can
 * set PE but never clear it (SDM Vol. 2A LMSW). */
static inline uint32_t lmsw_result(uint32_t old_cr0, uint32_t src)
{
	return (old_cr0 & ~0xeu) | (src & 0xe) | ((old_cr0 | src) & 1);
}

/* ---- shared exit handling (exits.c), called by the backend ---- */
/* CPUID: registers in v->regs; the handler fills them. */
void exit_cpuid(struct vcpu *v);
/* The guest wrote CR0 (MOV or LMSW; already merged for LMSW).  `len` is the
 * instruction's length.  Returns 1 if the guest simply continues. */
void exit_cr0_write(struct vcpu *v, uint32_t value, unsigned len);
void exit_cr4_write(struct vcpu *v, uint32_t value, unsigned len);
void exit_cr3_write(struct vcpu *v, uint32_t value, unsigned len);
uint32_t exit_cr3_read(struct vcpu *v);
void exit_hypercall(struct vcpu *v, unsigned len);
/* A port access the host intercepts (only the end-of-run ports). */
void exit_io(struct vcpu *v, uint16_t port, unsigned size, int is_in, unsigned len);
/* INS/OUTS on an intercepted port (interpret.c). */
void exit_string_io(struct vcpu *v);
/* Execute the guest's current instruction with the interpreter against its
 * visible state (interpret.c); *c is the state after it. */
struct guest_cpu;
struct interp_status;
int host_interpret_step(struct vcpu *v, struct guest_cpu *c, struct interp_status *st);
void exit_hlt(struct vcpu *v, unsigned len);
void exit_msr(struct vcpu *v, int is_write, unsigned len);
void exit_triple_fault(struct vcpu *v);
/* XSETBV (VT-x exits on it always; SVM lets it through). */
void exit_xsetbv(struct vcpu *v, unsigned len);
/* The processor refused the state (VM-entry failure or VMfail). */
void exit_entry_failure(struct vcpu *v, const char *what, uint32_t code);
void exit_unexpected(struct vcpu *v, const char *what, uint32_t reason, uint32_t qual);

/* One line per VM exit (reason, qualification, CS:EIP) in the exit-log
 * flavour of the host (build/host-log/host.rom, -DHOST_EXIT_LOG; make run
 * HOSTLOG=1); nothing in the normal host. */
void exit_log(struct vcpu *v, uint32_t reason, uint32_t qualification);

/* ---- the machine ---- */
void host_stop(int failed) __attribute__((noreturn));
void host_print_state(const char *title, const struct rmt_state *st);
extern uint32_t guest_identity_cr3;  /* page tables for a guest with paging off */

#endif

/*
 * Exit handling shared by every backend: what a guest action *means* to a
 * host that has no unrestricted guest.  The backend decoded the exit; here
 * is the policy (DESIGN.md §3, "what the host must do").
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/fmt.h"
#include "gdt/vmentry.h"
#include "host/blob_link.h"
#include "host/chipset.h"
#include "host/memmap.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/vcpu.h"

static int end_of_run_seen;

/* The hypervisor signature (CPUID 0x40000000): "rmtrampHost!" */
#define SIG_EBX 0x61746d72u   /* "rmta" */
#define SIG_ECX 0x6f48706du   /* "mpHo" */
#define SIG_EDX 0x21747374u   /* "st!" + '!' */

static void current_state(struct vcpu *v, struct rmt_state *st);

void exit_log(struct vcpu *v, uint32_t reason, uint32_t qualification)
{
#ifdef HOST_EXIT_LOG
	struct rmt_state st;
	const char *name = backend->exit_name(reason & 0xff);

	current_state(v, &st);
	host_printf("exit %s (%u) qual 0x%08x at %04x:%08llx eax=%08x\n", name ? name : "?",
		    reason & 0xffff, qualification, st.seg[RMT_CS].sel,
		    (unsigned long long)backend_get_rip(v), st.gpr[RMT_EAX]);
#endif
}

void exit_cpuid(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->regs.r[RMT_EAX], sub = (uint32_t)v->regs.r[RMT_ECX];
	uint32_t r[4];

	if (leaf == RMT_CPUID_SIGNATURE) {
		r[0] = RMT_CPUID_REGISTER;
		r[1] = SIG_EBX;
		r[2] = SIG_ECX;
		r[3] = SIG_EDX;
	} else if (leaf == RMT_CPUID_REGISTER) {
		int rc = blob_register(v, (uint32_t)v->regs.r[RMT_EBX], backend->hypercall_flavour);
		r[0] = (uint32_t)rc;
		r[1] = rc ? 0 : backend->hypercall_flavour;
		r[2] = r[3] = 0;
	} else {
		cpuid(leaf, sub, r);
		/*
		 * The guest sees a hypervisor, no VMX or SVM of its own, and no
		 * machine-check architecture (MCE, MCA: EDX bits 7 and 14, which
		 * AMD repeats in leaf 80000001h): the host gives guests none of
		 * the MCG_ and MCi_ MSRs (msr.c), and a kernel that sees MCA
		 * reads them unguarded — Linux panics ("MCA architectural
		 * violation") when MCG_STATUS faults.
		 */
		/*
		 * Nor thermal and power management (EIST, TM2; ACPI thermal
		 * and TM; leaf 6 — APERF/MPERF, DTS), nor the architectural
		 * performance counters (leaf 0Ah): their MSRs are not given
		 * either, and Linux reads some of them unguarded.
		 */
		if (leaf == 1) {
			r[2] &= ~((1u << 5) | (1u << 7) | (1u << 8));
			r[2] |= 1u << 31;
			r[3] &= ~((1u << 7) | (1u << 14) | (1u << 22) | (1u << 29));
		} else if (leaf == 6 || leaf == 0xa) {
			r[0] = r[1] = r[2] = r[3] = 0;
		} else if (leaf == 0x80000001u) {
			r[2] &= ~(1u << 2);
			r[3] &= ~((1u << 7) | (1u << 14));
		}
	}
	/* CPUID writes EAX..EDX and, in 64-bit mode, clears bits 63:32. */
	for (unsigned i = 0; i < 4; i++)
		v->regs.r[(unsigned[]){ RMT_EAX, RMT_EBX, RMT_ECX, RMT_EDX }[i]] = r[i];
}

static void current_state(struct vcpu *v, struct rmt_state *st)
{
	backend_save_state(v, st);
}

/*
 * A CR0 write under one of the host's mask bits (PE, NE, PG).  Clearing PE is
 * the event the whole design turns on: without unrestricted guest the
 * processor cannot run the result, so the blob takes the guest back.
 * Setting PG with EFER.LME activates IA-32e mode, clearing it leaves it:
 * the backend derives that from v->efer; the faults are checked here.
 */
void exit_cr0_write(struct vcpu *v, uint32_t value, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	/* MOV to CR0 with PG=1 and PE=0 raises #GP(0) (SDM Vol. 2A MOV CRn). */
	if ((value & X86_CR0_PG) && !(value & X86_CR0_PE))
		goto gp;
	/* Activating IA-32e mode needs CR4.PAE (SDM Vol. 3A 9.8.5); leaving it
	 * is only allowed from compatibility mode (CS.L = 0). */
	if (!(st.cr0 & X86_CR0_PG) && (value & X86_CR0_PG) && (v->efer & X86_EFER_LME) &&
	    !(st.cr4 & X86_CR4_PAE))
		goto gp;
	if ((st.cr0 & X86_CR0_PG) && !(value & X86_CR0_PG) && (v->efer & X86_EFER_LMA) &&
	    (st.seg[RMT_CS].ar & RMT_AR_L))
		goto gp;
	if ((st.cr0 & X86_CR0_PE) && !(value & X86_CR0_PE)) {
		blob_enter_after_pe_clear(v, value, len);
		return;
	}
	backend_set_control_registers(v, value, st.cr3, st.cr4);
	backend_set_rip(v, backend_get_rip(v) + len);
	return;
gp:
	backend_inject_exception(v, X86_GP, 1, 0);
}

void exit_cr4_write(struct vcpu *v, uint32_t value, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	/* In IA-32e mode CR4.PAE cannot be cleared (SDM Vol. 2A MOV CRn). */
	if ((v->efer & X86_EFER_LMA) && !(value & X86_CR4_PAE)) {
		backend_inject_exception(v, X86_GP, 1, 0);
		return;
	}
	backend_set_control_registers(v, st.cr0, st.cr3, value);
	backend_set_rip(v, backend_get_rip(v) + len);
}

/* A CR3 load the host intercepted: always while the guest's paging is off
 * (the identity tables stay loaded), and on SVM always. */
void exit_cr3_write(struct vcpu *v, uint32_t value, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	backend_set_control_registers(v, st.cr0, value, st.cr4);
	backend_set_rip(v, backend_get_rip(v) + len);
}

uint32_t exit_cr3_read(struct vcpu *v)
{
	return v->guest_cr3;
}

void exit_hypercall(struct vcpu *v, unsigned len)
{
	blob_hypercall(v, len);
}

static void print_exit_counters(struct vcpu *v)
{
	char line[240];
	unsigned n = 0;

	for (unsigned r = 0; r < 256 && n < sizeof(line); r++) {
		const char *name = backend->exit_name(r);

		if (!v->exits[r])
			continue;
		if (name)
			n += (unsigned)rmt_snprintf(line + n, sizeof(line) - n, " %s=%u", name,
						    v->exits[r]);
		else
			n += (unsigned)rmt_snprintf(line + n, sizeof(line) - n, " reason%u=%u", r,
						    v->exits[r]);
	}
	host_printf("exits (%s):%s\n", backend->name, n ? line : " none");
}

static struct vcpu *the_vcpu;

static void end_of_run(struct vcpu *v)
{
	if (end_of_run_seen)
		return;
	end_of_run_seen = 1;
	print_exit_counters(v);
	blob_print_counters();
}

/*
 * An intercepted port: the PCI configuration ports (chipset.c), the CMOS
 * and firmware-configuration ports (memmap.c), or the
 * guest ending the run (QEMU's isa-debug-exit at 0xF4, Bochs' shutdown port
 * 0x8900: print the counters first, then let the write through).
 */
void exit_io(struct vcpu *v, uint16_t port, unsigned size, int is_in, unsigned len)
{
	uint32_t eax = (uint32_t)v->regs.r[RMT_EAX];

	if (!is_in && port && port == chipset_pm1a_control_port() && (eax & (1u << 13))) {
		/* SLP_EN: the guest puts the machine to sleep — S5, power off,
		 * for every OS in the corpus.  The run ends here, counters
		 * first (host_stop), as it would on the emulator's own exit. */
		host_printf("guest set SLP_EN (SLP_TYP %u) in PM1a_CNT at port 0x%x: machine "
			    "powered off\n", (eax >> 10) & 7, port);
		host_stop(0);
	}
	if (chipset_io(port, size, is_in, &eax) || memmap_io(port, size, is_in, &eax)) {
		/* the handlers merged an IN into eax's low bytes */
	} else {
		if (!is_in && (port == 0xf4 || port == 0x8900))
			end_of_run(v);
		if (is_in)
			eax = io_merge(eax, io_read(port, size), size);
		else
			io_write(port, size, eax);
	}
	/* IN AL/AX leaves the rest of RAX; IN EAX clears bits 63:32 in 64-bit
	 * mode (and leaves them undefined elsewhere). */
	if (is_in)
		v->regs.r[RMT_EAX] = size == 4 ? eax :
			(v->regs.r[RMT_EAX] & ~0xffffffffull) | eax;
	backend_set_rip(v, backend_get_rip(v) + len);
}

void exit_hlt(struct vcpu *v, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	if (st.eflags & X86_FL_IF) {
		backend_set_rip(v, backend_get_rip(v) + len);
		backend_set_activity_hlt(v);
		return;
	}
	host_printf("guest halted with interrupts disabled at %04x:%08x: nothing can wake it\n",
		    st.seg[RMT_CS].sel, st.eip);
	host_stop(!end_of_run_seen);
}

/*
 * XSETBV (SDM Vol. 2C): XCR0 is one register the processor shares between
 * host and guest (neither VMX nor SVM switches it; the host uses no XSAVE
 * state).  #GP(0) unless CPL 0, ECX = 0, bit 0 (x87) set, AVX only with
 * SSE, and only bits CPUID.(EAX=0DH,ECX=0) reports; then it is executed.
 */
int host_xsetbv_safe(uint32_t xcr, uint64_t value);

void exit_xsetbv(struct vcpu *v, unsigned len)
{
	struct rmt_state st;
	uint32_t r[4];
	uint64_t value = vcpu_edx_eax(v);
	unsigned cpl;

	current_state(v, &st);
	cpl = (st.seg[RMT_SS].ar & RMT_AR_DPL_MASK) >> RMT_AR_DPL_SHIFT;
	cpuid(0xd, 0, r);
	if (cpl != 0 || (uint32_t)v->regs.r[RMT_ECX] != 0 || !(value & 1) ||
	    ((value & 4) && !(value & 2)) || (value & ~(((uint64_t)r[3] << 32) | r[0])) ||
	    host_xsetbv_safe(0, value)) {
		backend_inject_exception(v, X86_GP, 1, 0);
		return;
	}
	backend_set_rip(v, backend_get_rip(v) + len);
}

/* The ABI record is 32-bit; for a guest in IA-32e mode add what it cuts. */
static void print_ia32e_state(struct vcpu *v)
{
	if (!(v->efer & X86_EFER_LMA))
		return;
	host_printf("  IA-32e mode: efer=%llx rip=%016llx r8=%llx r9=%llx r10=%llx r11=%llx\n",
		    (unsigned long long)v->efer, (unsigned long long)backend_get_rip(v),
		    (unsigned long long)v->regs.r[8], (unsigned long long)v->regs.r[9],
		    (unsigned long long)v->regs.r[10], (unsigned long long)v->regs.r[11]);
}

void exit_triple_fault(struct vcpu *v)
{
	struct rmt_state st;

	current_state(v, &st);
	host_printf("FATAL: guest triple fault at %04x:%08llx\n", st.seg[RMT_CS].sel,
		    (unsigned long long)backend_get_rip(v));
	host_print_state("guest state at the triple fault", &st);
	print_ia32e_state(v);
	host_stop(1);
}

/*
 * The processor says only "invalid guest state".  Our validator (gdt/) names
 * the SDM rules the state breaks, so the report says which field was wrong.
 */
static void explain_entry_failure(const struct rmt_state *st)
{
	static struct vmcs_view view;
	static struct vmentry_report rep;

	vmcs_view_from_guest(st, guest_identity_cr3, &view);
	if (!vmentry_validate(&vmentry_config_penryn, &view, &rep)) {
		host_printf("validator: no SDM rule fails for this state (a host bug?)\n");
		return;
	}
	for (unsigned i = 0; i < rep.stored; i++)
		host_printf("validator: %s: %s\n", rep.fail[i].rule, rep.fail[i].msg);
}

void exit_entry_failure(struct vcpu *v, const char *what, uint32_t code)
{
	struct rmt_state st;

	current_state(v, &st);
	host_printf("FATAL: %s, code 0x%x, at %04x:%08llx\n", what, code,
		    st.seg[RMT_CS].sel, (unsigned long long)backend_get_rip(v));
	host_print_state("guest state the processor refused", &st);
	print_ia32e_state(v);
	explain_entry_failure(&st);
	host_stop(1);
}

void exit_unexpected(struct vcpu *v, const char *what, uint32_t reason, uint32_t qual)
{
	struct rmt_state st;

	current_state(v, &st);
	host_printf("FATAL: %s: reason %u qualification 0x%08x at %04x:%08llx\n", what, reason,
		    qual, st.seg[RMT_CS].sel, (unsigned long long)backend_get_rip(v));
	host_print_state("guest state", &st);
	print_ia32e_state(v);
	host_stop(1);
}

void host_print_state(const char *title, const struct rmt_state *st)
{
	static const char *const segname[RMT_NSEG] = { "es", "cs", "ss", "ds", "fs", "gs",
						      "ldtr", "tr" };

	host_printf("%s:\n", title);
	host_printf("  eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x\n",
		    st->gpr[RMT_EAX], st->gpr[RMT_EBX], st->gpr[RMT_ECX], st->gpr[RMT_EDX],
		    st->gpr[RMT_ESI], st->gpr[RMT_EDI]);
	host_printf("  esp=%08x ebp=%08x eip=%08x eflags=%08x\n", st->gpr[RMT_ESP],
		    st->gpr[RMT_EBP], st->eip, st->eflags);
	host_printf("  cr0=%08x cr3=%08x cr4=%08x gdtr=%08x/%x idtr=%08x/%x\n", st->cr0,
		    st->cr3, st->cr4, st->gdtr.base, st->gdtr.limit, st->idtr.base,
		    st->idtr.limit);
	for (unsigned s = 0; s < RMT_NSEG; s++)
		host_printf("  %-4s sel=%04x base=%08x limit=%08x ar=%05x\n", segname[s],
			    st->seg[s].sel, st->seg[s].base, st->seg[s].limit, st->seg[s].ar);
	host_printf("  interruptibility=%x activity=%x pending_dbg=%x dr7=%08x\n",
		    st->interruptibility, st->activity, st->pending_dbg, st->dr7);
}

/*
 * Stop the machine: QEMU's isa-debug-exit (status (v << 1) | 1) and Bochs'
 * shutdown port.  A test reads the printed verdict, not the exit status.
 */
void host_stop(int failed)
{
	if (the_vcpu)
		end_of_run(the_vcpu);
	host_printf("stop: %s\n", failed ? "FAILURE" : "guest finished");
	outb(0xf4, failed ? 1 : 0);
	for (const char *p = "Shutdown"; *p; p++)
		outb(0x8900, (uint8_t)*p);
	halt_forever();
}

void host_track_vcpu(struct vcpu *v);
void host_track_vcpu(struct vcpu *v)
{
	the_vcpu = v;
}

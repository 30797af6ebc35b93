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
	host_printf("exit %s (%u) qual 0x%08x at %04x:%08x eax=%08x\n", name ? name : "?",
		    reason & 0xffff, qualification, st.seg[RMT_CS].sel, st.eip, st.gpr[RMT_EAX]);
#endif
}

void exit_cpuid(struct vcpu *v)
{
	uint32_t leaf = v->regs.r[RMT_EAX], sub = v->regs.r[RMT_ECX];
	uint32_t r[4];

	if (leaf == RMT_CPUID_SIGNATURE) {
		r[0] = RMT_CPUID_REGISTER;
		r[1] = SIG_EBX;
		r[2] = SIG_ECX;
		r[3] = SIG_EDX;
	} else if (leaf == RMT_CPUID_REGISTER) {
		int rc = blob_register(v, v->regs.r[RMT_EBX], backend->hypercall_flavour);
		r[0] = (uint32_t)rc;
		r[1] = rc ? 0 : backend->hypercall_flavour;
		r[2] = r[3] = 0;
	} else {
		cpuid(leaf, sub, r);
		if (leaf == 1) {
			/* The guest sees a hypervisor, and no VMX of its own. */
			r[2] &= ~(1u << 5);
			r[2] |= 1u << 31;
		}
	}
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
 */
void exit_cr0_write(struct vcpu *v, uint32_t value, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	/* MOV to CR0 with PG=1 and PE=0 raises #GP(0) (SDM Vol. 2A MOV CRn). */
	if ((value & X86_CR0_PG) && !(value & X86_CR0_PE)) {
		backend_inject_exception(v, X86_GP, 1, 0);
		return;
	}
	if ((st.cr0 & X86_CR0_PE) && !(value & X86_CR0_PE)) {
		blob_enter_after_pe_clear(v, value, len);
		return;
	}
	backend_set_control_registers(v, value, st.cr3, st.cr4);
	backend_set_rip(v, st.eip + len);
}

void exit_cr4_write(struct vcpu *v, uint32_t value, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	backend_set_control_registers(v, st.cr0, st.cr3, value);
	backend_set_rip(v, st.eip + len);
}

/* A CR3 load the host intercepted: always while the guest's paging is off
 * (the identity tables stay loaded), and on SVM always. */
void exit_cr3_write(struct vcpu *v, uint32_t value, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	backend_set_control_registers(v, st.cr0, value, st.cr4);
	backend_set_rip(v, st.eip + len);
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
	uint32_t *eax = &v->regs.r[RMT_EAX];

	if (chipset_io(port, size, is_in, eax) || memmap_io(port, size, is_in, eax)) {
		backend_set_rip(v, backend_get_rip(v) + len);
		return;
	}
	if (!is_in && (port == 0xf4 || port == 0x8900))
		end_of_run(v);
	if (is_in) {
		uint32_t val = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
		uint32_t mask = size == 4 ? ~0u : (1u << (8 * size)) - 1;
		*eax = (*eax & ~mask) | (val & mask);
	} else if (size == 1) {
		outb(port, (uint8_t)*eax);
	} else if (size == 2) {
		outw(port, (uint16_t)*eax);
	} else {
		outl(port, *eax);
	}
	backend_set_rip(v, backend_get_rip(v) + len);
}

void exit_hlt(struct vcpu *v, unsigned len)
{
	struct rmt_state st;

	current_state(v, &st);
	if (st.eflags & X86_FL_IF) {
		backend_set_rip(v, st.eip + len);
		backend_set_activity_hlt(v);
		return;
	}
	host_printf("guest halted with interrupts disabled at %04x:%08x: nothing can wake it\n",
		    st.seg[RMT_CS].sel, st.eip);
	host_stop(!end_of_run_seen);
}

/*
 * MSRs the guest may touch directly: the TSC, platform id, APIC base,
 * microcode revision, MISC_ENABLE, PAT and the MTRRs (capabilities, variable
 * and fixed ranges, default type) — what a BIOS programs.  Anything else
 * gets #GP, as on a CPU without the MSR — never a blind pass-through of VMX
 * or feature-control MSRs, which belong to the host.
 */
static int msr_passthrough(uint32_t msr)
{
	return msr == 0x10 || msr == 0x17 || msr == 0x1b || msr == 0x8b || msr == 0xfe ||
	       msr == 0x1a0 || msr == 0x277 || msr == 0x2ff ||
	       (msr >= 0x200 && msr <= 0x20f) || msr == 0x250 || msr == 0x258 ||
	       msr == 0x259 || (msr >= 0x268 && msr <= 0x26f);
}

void exit_msr(struct vcpu *v, int is_write, unsigned len)
{
	uint32_t msr = v->regs.r[RMT_ECX];

	if (!msr_passthrough(msr)) {
		struct rmt_state st;

		current_state(v, &st);
		host_printf("guest %s of MSR 0x%08x at %04x:%08x refused with #GP\n",
			    is_write ? "WRMSR" : "RDMSR", msr, st.seg[RMT_CS].sel, st.eip);
		backend_inject_exception(v, X86_GP, 1, 0);
		return;
	}
	if (is_write) {
		wrmsr(msr, ((uint64_t)v->regs.r[RMT_EDX] << 32) | v->regs.r[RMT_EAX]);
	} else {
		uint64_t val = rdmsr(msr);
		v->regs.r[RMT_EAX] = (uint32_t)val;
		v->regs.r[RMT_EDX] = (uint32_t)(val >> 32);
	}
	backend_set_rip(v, backend_get_rip(v) + len);
}

void exit_triple_fault(struct vcpu *v)
{
	struct rmt_state st;

	current_state(v, &st);
	host_printf("FATAL: guest triple fault at %04x:%08x\n", st.seg[RMT_CS].sel, st.eip);
	host_print_state("guest state at the triple fault", &st);
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
	host_printf("FATAL: %s, code 0x%x, at %04x:%08x\n", what, code,
		    st.seg[RMT_CS].sel, st.eip);
	host_print_state("guest state the processor refused", &st);
	explain_entry_failure(&st);
	host_stop(1);
}

void exit_unexpected(struct vcpu *v, const char *what, uint32_t reason, uint32_t qual)
{
	struct rmt_state st;

	current_state(v, &st);
	host_printf("FATAL: %s: reason %u qualification 0x%08x at %04x:%08x\n", what, reason,
		    qual, st.seg[RMT_CS].sel, st.eip);
	host_print_state("guest state", &st);
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

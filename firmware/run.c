/*
 * The monitor's main loop: decide, instruction window by instruction
 * window, how the guest runs.
 *
 *   CR0.PE = 1  the guest is between setting PE and a state the processor
 *               can enter.  Interpret until the state passes every VM-entry
 *               check, then hand it to the host (DESIGN.md §1: as soon as,
 *               and only when, the exact state can be entered).
 *   CR0.PE = 0  real mode.  If every segment register behaves as vm86
 *               would make it (base = selector*16, 16-bit, a limit of at
 *               least 64 KiB: segments/vm86_fit.h), run natively in vm86
 *               until something traps — an access past 64 KiB in big real
 *               mode traps and is interpreted; otherwise interpret (a CS or
 *               data segment still holding a protected-mode base after the
 *               guest cleared PE).
 *
 * vm86 runs with IOPL = 0.  Without VME (QEMU TCG) CLI/STI/PUSHF/POPF/
 * INT n/IRET, privileged instructions and faults all trap, and the
 * interpreter executes the trapping instruction with real-mode semantics
 * against the model — so the guest sees its own IF and IOPL, exactly.  With
 * VME (Bochs) the processor runs INT n through the guest's vector table and
 * keeps the guest's IF as VIF, so those no longer trap; the price is that
 * PUSHF/INT push FLAGS with IOPL = 3 (SDM Vol. 3A 20.3), which the guest can
 * see.  The real IF is then 1, so an interrupt can arrive while VIF = 0: it
 * waits in pending_irq[] with VIP set, and the processor traps the guest's
 * STI/POPF/IRET that sets VIF again.
 */
#include <stdarg.h>
#include <stdint.h>
#include "x86/arch.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "gdt/vmentry.h"
#include "segments/vm86_fit.h"
#include "vm86/interp.h"
#include "firmware/blob.h"

/* EFLAGS bits vm86 code changes natively; everything else (IF, IOPL, TF,
 * NT, AC, ...) only changes through instructions that trap.  With VME,
 * the 16-bit PUSHF/POPF/INT/IRET run natively too and change TF, NT and
 * (as VIF) IF. */
#define NATIVE_FLAGS (X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | X86_FL_SF | \
		      X86_FL_DF | X86_FL_OF)
#define VME_NATIVE_FLAGS (NATIVE_FLAGS | X86_FL_TF | X86_FL_NT)

static int vme(void)
{
	return (monitor_cr4 & X86_CR4_VME) != 0;
}

static void count(struct blob_vcpu *b, enum rmt_counter c)
{
	b->ctx->counters[c]++;
}

void blob_fatal(struct blob_vcpu *b, unsigned reason, const char *fmt, ...)
{
	static char msg[BLOB_MAX_VCPUS][RMT_MSG_MAX];
	char *m = msg[b->index];
	va_list ap;

	va_start(ap, fmt);
	rmt_vsnprintf(m, RMT_MSG_MAX, fmt, ap);
	va_end(ap);
	blob_printf("vcpu%u FATAL: %s\n", b->index, m);
	blob_log_state(b, "state at the failure");
	b->ctx->guest = b->cpu.s;
	hypercall(RMT_HC_FATAL, reason, (uint32_t)m, 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Deliver an exception or interrupt to a real-mode guest through its IVT. */
static void deliver(struct blob_vcpu *b, unsigned vector, int software)
{
	struct interp_status st;

	memset(&st, 0, sizeof(st));
	if (interp_deliver(&b->cpu, &b->ops, vector, software, &st) != INTERP_OK)
		blob_fatal(b, RMT_FATAL_TRIPLE_FAULT,
			   "cannot deliver vector %u at %04x:%08x: %s", vector,
			   b->cpu.s.seg[RMT_CS].sel, b->cpu.s.eip,
			   st.why[0] ? st.why : "nested fault");
	count(b, RMT_CTR_REFLECTED);
}

/*
 * Exception classes for double faults (SDM Vol. 3A 6.15, Table 6-5):
 * contributory exceptions and page faults combine into #DF; a benign
 * exception is simply delivered after the first.
 */
static int contributory(unsigned v)
{
	return v == X86_DE || (v >= X86_TS && v <= X86_GP);
}

static int makes_double_fault(unsigned first, unsigned second)
{
	if (contributory(first))
		return contributory(second);
	if (first == X86_PF)
		return contributory(second) || second == X86_PF;
	return 0;
}

/*
 * Deliver a fault the guest's own instruction raised, in the guest's mode:
 * through its IVT in real mode, through its IDT in protected mode (an
 * interpreted window).  A fault during delivery escalates as on hardware,
 * to #DF and then to shutdown, which is reported: the guest is dead.
 */
static void deliver_fault(struct blob_vcpu *b, const struct x86_fault *fault)
{
	struct x86_fault current = *fault;
	unsigned first = fault->vector;
	int in_double_fault = 0;

	for (unsigned round = 0; round < 4; round++) {
		struct interp_status st;

		memset(&st, 0, sizeof(st));
		switch (interp_deliver_fault(&b->cpu, &b->ops, &current, &st)) {
		case INTERP_OK:
			count(b, RMT_CTR_REFLECTED);
			return;
		case INTERP_FAULT:
			if (in_double_fault)
				blob_fatal(b, RMT_FATAL_TRIPLE_FAULT,
					   "triple fault: exception %u while delivering #DF at "
					   "%04x:%08x", st.fault.vector, b->cpu.s.seg[RMT_CS].sel,
					   b->cpu.s.eip);
			if (makes_double_fault(first, st.fault.vector)) {
				current.vector = X86_DF;
				current.has_error = 1;
				current.error_code = 0;
				in_double_fault = 1;
			} else {
				current = st.fault;
			}
			first = current.vector;
			continue;
		default:
			blob_fatal(b, RMT_FATAL_UNHANDLED_TRAP,
				   "cannot deliver exception %u at %04x:%08x: %s", current.vector,
				   b->cpu.s.seg[RMT_CS].sel, b->cpu.s.eip,
				   st.why[0] ? st.why : "unsupported delivery");
		}
	}
	blob_fatal(b, RMT_FATAL_TRIPLE_FAULT, "exception %u cannot be delivered at %04x:%08x",
		   current.vector, b->cpu.s.seg[RMT_CS].sel, b->cpu.s.eip);
}

/*
 * A hardware interrupt for the guest.  The PIC delivers the vector the
 * guest programmed into it (the monitor never reprograms the PIC), so it is
 * reflected through the guest's vector table unchanged; it only ever
 * arrives while the guest's IF is 1 (vm86 runs with the guest's IF, the
 * monitor otherwise with IF = 0), so nothing is held or lost.
 */
static void hardware_interrupt(struct blob_vcpu *b, unsigned vector)
{
	count(b, RMT_CTR_TRAP_IRQ);
	if (!(b->cpu.s.eflags & X86_FL_IF)) {
		/* Only with VME (the processor's IF is 1 under VIF = 0).  The PIC
		 * sends nothing of equal or lower priority before the guest's
		 * EOI, so 16 slots hold everything it can have in flight. */
		if (b->pending_count == sizeof(b->pending_irq))
			blob_fatal(b, RMT_FATAL_BLOB_BUG, "more than %u interrupts pending",
				   b->pending_count);
		b->pending_irq[b->pending_count++] = (uint8_t)vector;
		return;
	}
	deliver(b, vector, 0);
}

/* Deliver the oldest held interrupt, if the guest takes interrupts now. */
static int deliver_pending_interrupt(struct blob_vcpu *b)
{
	unsigned vector;

	if (!b->pending_count || !(b->cpu.s.eflags & X86_FL_IF) || (b->cpu.s.cr0 & X86_CR0_PE))
		return 0;
	vector = b->pending_irq[0];
	b->pending_count--;
	for (unsigned i = 0; i < b->pending_count; i++)
		b->pending_irq[i] = b->pending_irq[i + 1];
	deliver(b, vector, 0);
	return 1;
}

/*
 * HLT at cs:eip retired.  vm86 cannot be entered halted (SDM 26.3.1.5: HLT
 * needs SS.DPL = 0), so the monitor halts the processor itself until an
 * interrupt arrives, and delivers that to the guest.
 */
static void guest_halted(struct blob_vcpu *b, uint16_t cs, uint32_t eip)
{
	unsigned vector;

	if (!(b->cpu.s.eflags & X86_FL_IF))
		blob_fatal(b, RMT_FATAL_UNHANDLED_TRAP,
			   "the guest executed HLT with interrupts disabled at %04x:%08x; "
			   "nothing can wake it", cs, eip);
	if (deliver_pending_interrupt(b))
		return;         /* one was already waiting: HLT ends at once */
	count(b, RMT_CTR_HALTS);
	vector = monitor_wait_for_interrupt(esp0_slot_of(b));
	hardware_interrupt(b, vector);
}

/*
 * Is the single-step trap due after this instruction, which began with
 * TF = 1?  Not after INT n, INT3 or INTO that delivered their interrupt:
 * the delivery clears TF and no trap follows the INT itself (SDM Vol. 3B
 * 17.3.1.4); not yet after MOV SS or POP SS: the trap waits until after the
 * next instruction (SDM Vol. 3A 6.8.3), which the interpreter reports as
 * blocking by MOV SS (interruptibility bit 1).  A POPF or IRET that clears
 * TF still traps after itself.  (rm-exceptions.asm, against native runs.)
 */
static int single_step_trap_due(const struct guest_cpu *c, const struct interp_status *st)
{
	uint8_t op = st->opcode[0];

	if (c->s.interruptibility & 2)
		return 0;
	if ((op == 0xcc || op == 0xcd || op == 0xce) && !(c->s.eflags & X86_FL_TF))
		return 0;
	return 1;
}

/* Execute one instruction of the guest in the interpreter. */
static void interpret_one(struct blob_vcpu *b)
{
	struct guest_cpu *c = &b->cpu;
	struct interp_status st;
	enum interp_result rc;
	int single_step = (c->s.eflags & X86_FL_TF) != 0;
	uint16_t cs = c->s.seg[RMT_CS].sel;
	uint32_t eip = c->s.eip;

	/* st: interp_step sets every field its result makes valid (interp.h) */
	if (blob_boot_flags & RMT_BOOT_TRACE) {
		uint8_t op[4] = { 0 };
		uint32_t lin = c->s.seg[RMT_CS].base + eip;
		if (lin < 0x0f000000)
			for (unsigned i = 0; i < 4; i++)
				op[i] = ((const uint8_t *)lin)[i];
		blob_printf("vcpu%u interp %04x:%08x %02x %02x %02x %02x eax=%08x esp=%08x fl=%08x\n",
			    b->index, cs, eip, op[0], op[1], op[2], op[3], c->s.gpr[RMT_EAX],
			    c->s.gpr[RMT_ESP], c->s.eflags);
	}
	rc = interp_step(c, &b->ops, &st);
	c->a20 = b->a20_open;       /* an OUT may have moved the gate (blob.h) */
	switch (rc) {
	case INTERP_OK:
		count(b, RMT_CTR_INTERPRETED);
		/* A single-step trap after the instruction (real mode: INT 1;
		 * in a protected-mode window through the guest's IDT). */
		if (single_step && single_step_trap_due(c, &st)) {
			struct x86_fault db = { .vector = X86_DB };
			deliver_fault(b, &db);
		}
		return;
	case INTERP_FAULT:
		deliver_fault(b, &st.fault);
		return;
	case INTERP_HALT:
		count(b, RMT_CTR_INTERPRETED);
		guest_halted(b, cs, eip);
		return;
	case INTERP_UNSUPPORTED:
		blob_fatal(b, RMT_FATAL_UNKNOWN_OPCODE,
			   "cannot interpret the instruction at %04x:%08x (%02x %02x %02x): %s",
			   cs, eip, st.opcode[0], st.opcode[1], st.opcode[2], st.why);
	case INTERP_MEMERR:
		blob_fatal(b, RMT_FATAL_BAD_STATE, "guest access refused at %04x:%08x: %s", cs,
			   eip, st.why);
	}
	blob_fatal(b, RMT_FATAL_BLOB_BUG, "interp_step returned an unknown result");
}

/* ---------------------------------------------------- virtual-8086 --- */

static void frame_from_model(struct vm86_frame *f, const struct guest_cpu *c, int b_pending)
{
	const struct rmt_state *s = &c->s;

	f->eax = s->gpr[RMT_EAX];
	f->ecx = s->gpr[RMT_ECX];
	f->edx = s->gpr[RMT_EDX];
	f->ebx = s->gpr[RMT_EBX];
	f->ebp = s->gpr[RMT_EBP];
	f->esi = s->gpr[RMT_ESI];
	f->edi = s->gpr[RMT_EDI];
	f->esp = s->gpr[RMT_ESP];
	f->eip = s->eip;
	f->cs = s->seg[RMT_CS].sel;
	f->ss = s->seg[RMT_SS].sel;
	f->ds = s->seg[RMT_DS].sel;
	f->es = s->seg[RMT_ES].sel;
	f->fs = s->seg[RMT_FS].sel;
	f->gs = s->seg[RMT_GS].sel;
	if (vme()) {
		/* IOPL 0 with VME: VIF is the guest's IF, the real IF is 1 so the
		 * monitor always gets interrupts, VIP says one is waiting. */
		f->eflags = (s->eflags & VME_NATIVE_FLAGS) | X86_FL_FIXED | X86_FL_VM | X86_FL_IF |
			    ((s->eflags & X86_FL_IF) ? X86_FL_VIF : 0) |
			    (b_pending ? X86_FL_VIP : 0);
		return;
	}
	/* IOPL 0 so every IF/IOPL-sensitive instruction traps; the real IF
	 * follows the guest's so interrupts arrive exactly when the guest
	 * accepts them; the guest's TF single-steps natively. */
	f->eflags = (s->eflags & (NATIVE_FLAGS | X86_FL_TF | X86_FL_IF)) | X86_FL_FIXED | X86_FL_VM;
}

static void model_from_frame(struct guest_cpu *c, const struct vm86_frame *f)
{
	struct rmt_state *s = &c->s;

	s->gpr[RMT_EAX] = f->eax;
	s->gpr[RMT_ECX] = f->ecx;
	s->gpr[RMT_EDX] = f->edx;
	s->gpr[RMT_EBX] = f->ebx;
	s->gpr[RMT_EBP] = f->ebp;
	s->gpr[RMT_ESI] = f->esi;
	s->gpr[RMT_EDI] = f->edi;
	s->gpr[RMT_ESP] = f->esp;
	s->eip = f->eip;
	if (vme())
		s->eflags = (s->eflags & ~(VME_NATIVE_FLAGS | X86_FL_IF)) |
			    (f->eflags & VME_NATIVE_FLAGS) | ((f->eflags & X86_FL_VIF) ? X86_FL_IF : 0);
	else
		s->eflags = (s->eflags & ~NATIVE_FLAGS) | (f->eflags & NATIVE_FLAGS);
	/* MOV Sreg, POP Sreg and LDS/LES/LSS run natively in vm86.  A
	 * real-mode load sets selector and base and keeps limit and attributes
	 * (big real mode survives it: the model keeps the limit while vm86
	 * enforces 0xFFFF), so selector and base are all that can change. */
	for (unsigned r = RMT_ES; r <= RMT_GS; r++) {
		uint16_t sel = (uint16_t)(r == RMT_ES ? f->es : r == RMT_CS ? f->cs :
					  r == RMT_SS ? f->ss : r == RMT_DS ? f->ds :
					  r == RMT_FS ? f->fs : f->gs);
		if (sel != s->seg[r].sel) {
			s->seg[r].sel = sel;
			s->seg[r].base = (uint32_t)sel << 4;
			c->origin[r] = SEG_FROM_REAL;
		}
	}
}

static void run_vm86(struct blob_vcpu *b)
{
	struct vm86_frame *f = vm86_frame_of(b);
	unsigned vector;

	frame_from_model(f, &b->cpu, b->pending_count != 0);
	count(b, RMT_CTR_VM86_ENTRIES);
	f = vm86_enter(f);
	model_from_frame(&b->cpu, f);
	vector = f->vector;
	if (blob_boot_flags & RMT_BOOT_TRACE)
		blob_printf("vcpu%u trap %u error %x at %04x:%04x\n", b->index, vector, f->error,
			    f->cs, f->eip);

	/* A hardware interrupt on an exception vector (layout.h), or on a
	 * vector no exception can come from vm86 with: 9 (coprocessor segment
	 * overrun, never raised by 486 and later), 15 and 20-31 (reserved). */
	if (vector >= 32 || f->error == TRAP_IRQ_MARK || vector == 9 || vector == 15 ||
	    (vector >= 20 && vector < 32)) {
		hardware_interrupt(b, vector);
		return;
	}
	switch (vector) {
	case X86_NMI:
		deliver(b, X86_NMI, 0);
		return;
	case X86_GP:
	case X86_UD:
	case X86_SS:
		/* A sensitive or privileged instruction, an offset past 64 KiB,
		 * an opcode vm86 refuses: the interpreter executes it as real
		 * mode would — or raises what real mode would raise. */
		count(b, vector == X86_GP ? RMT_CTR_TRAP_GP :
			 vector == X86_UD ? RMT_CTR_TRAP_UD : RMT_CTR_TRAP_OTHER);
		interpret_one(b);
		return;
	case X86_PF:
		/* vm86 reaches only the user-accessible low 4 MiB (tables.c)
		 * through segments with 0xFFFF limits, so a page fault means an
		 * access past 64 KiB that the processor did not stop at the
		 * limit: QEMU's TCG checks no segment limits.  Big real mode
		 * (vm86_fit.h) is the case: interpret the instruction against the
		 * guest's real limit, as for the #GP a processor raises. */
		count(b, RMT_CTR_TRAP_PF);
		interpret_one(b);
		return;
	case X86_DB:
		/* The guest's own TF: a trap after the instruction. */
		count(b, RMT_CTR_TRAP_DB);
		deliver_fault(b, &(struct x86_fault){ .vector = X86_DB });
		return;
	case X86_DE:
	case X86_BR:
	case X86_NM:
	case X86_MF:
	case X86_AC:
		/* Through the same path as the interpreter's faults, so a
		 * fault while delivering escalates to #DF as on hardware. */
		count(b, RMT_CTR_TRAP_OTHER);
		deliver_fault(b, &(struct x86_fault){ .vector = (uint8_t)vector });
		return;
	default:
		break;
	}
	blob_fatal(b, RMT_FATAL_UNHANDLED_TRAP,
		   "unexpected exception %u (error 0x%x) from vm86 at %04x:%08x", vector,
		   f->error, f->cs, f->eip);
}

/* ------------------------------------------------------------ handoff --- */

/* b->handoff holds an enterable record (try_handoff). */
static void handoff(struct blob_vcpu *b)
{
	struct rmt_vcpu_context *ctx = b->ctx;

	ctx->guest = b->handoff.record;
#ifdef RMT_TEST_BAD_SS_RPL
	/* Test build (RMT_FEAT_TEST_BAD_SS_RPL): break VM-entry rule
	 * 26.3.1.2 "SS.RPL = CS.RPL" on purpose, after our own check, to show
	 * the host's and the processor's safety net. */
	ctx->guest.seg[RMT_SS].sel ^= 3;
#endif
	count(b, RMT_CTR_HANDOFFS);
	a20_before_handoff(b);
	blob_log_state(b, "handoff to protected mode");
	blob_magic_break();
	b->pm_window_reported = 0;
	hypercall(RMT_HC_HANDOFF, 0, 0, 0);
	blob_fatal(b, RMT_FATAL_BAD_STATE, "the host refused the handoff");
}

/* In a protected-mode window: hand off if the state is enterable now. */
static int try_handoff(struct blob_vcpu *b)
{
	struct handoff *h = &b->handoff;

	/* The identity CR3 is the host's; any page-aligned value below
	 * MAXPHYADDR passes the same checks. */
	if (handoff_build(&b->cpu, &vmentry_config_penryn, 0, h)) {
		handoff(b);
		return 1;
	}
	if (!b->pm_window_reported) {
		/* One line per window: why the blob keeps interpreting. */
		b->pm_window_reported = 1;
		blob_printf("vcpu%u interpreting: state not enterable yet (%s)\n", b->index,
			    h->refusal[0] ? h->refusal :
			    h->report.stored ? h->report.fail[0].msg : "?");
	}
	return 0;
}

void run_guest(struct blob_vcpu *b)
{
	struct guest_cpu *c = &b->cpu;
	struct vm86_fit fit;

	for (;;) {
		if (deliver_pending_interrupt(b))
			continue;
		if (c->s.cr0 & X86_CR0_PE) {
			if (!try_handoff(b))
				interpret_one(b);
		} else if (seg_vm86_fit(c, &fit)) {
			run_vm86(b);
		} else {
			interpret_one(b);
		}
	}
}

/* An exception or interrupt while the monitor itself ran (entry.S). */
void blob_monitor_trap(struct vm86_frame *f);
void blob_monitor_trap(struct vm86_frame *f)
{
	uint32_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	blob_printf("FATAL: exception %u (error 0x%x) inside the monitor at %04x:%08x "
		    "cr2=%08x eax=%08x ebx=%08x ecx=%08x edx=%08x\n", f->vector, f->error,
		    f->cs, f->eip, cr2, f->eax, f->ebx, f->ecx, f->edx);
	hypercall(RMT_HC_FATAL, RMT_FATAL_BLOB_BUG, (uint32_t)"exception inside the monitor", 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * The SVM backend: QEMU TCG has no VMX, but it has SVM, and with SVM the
 * blob can be exercised fast.  This backend behaves towards the guest
 * exactly like the VT-x backend of a host WITHOUT unrestricted guest:
 *
 *   - every state it enters has CR0.PE/NE/PG set, and before entering a
 *     state the shared code handed it (launch, handoff, blob re-entry) it
 *     runs the VM-entry validator with the Penryn configuration; a state VMX
 *     would refuse is refused here too, reported like exit reason
 *     0x80000021 — so the blob cannot lean on SVM's leniency;
 *   - SVM has no CR0/CR4 read shadows, so reads of CR0/CR3/CR4 (MOV from CR,
 *     SMSW) are intercepted as well as writes, and answered from the
 *     guest-visible values kept in struct vcpu;
 *   - TCG gives no decode assists and no next-RIP: the intercepted
 *     instruction is decoded and executed by rmtramp's own interpreter
 *     (vm86/) against the guest-visible state, which yields both the value
 *     written and the instruction length;
 *   - the hypercall is VMMCALL.
 *
 * VMCB layout: AMD64 APM Vol. 2, Appendix B.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "gdt/vmentry.h"
#include "vm86/interp.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/vcpu.h"
#include "host/chipset.h"
#include "host/memmap.h"
#include "host/msr.h"
#include "host/cr_decode.h"

#define EFER_SVME       (1u << 12)
#define MSR_VM_CR       0xc0010114u
#define VM_CR_SVMDIS    (1u << 4)
#define MSR_VM_HSAVE_PA 0xc0010117u

/* VMCB control area */
#define VMCB_CR_INTERCEPTS     0x000   /* reads bits 0-15, writes bits 16-31 */
#define VMCB_EXC_INTERCEPTS    0x008
#define VMCB_MISC1_INTERCEPTS  0x00c
#define VMCB_MISC2_INTERCEPTS  0x010
#define VMCB_IOPM_BASE         0x040
#define VMCB_MSRPM_BASE        0x048
#define VMCB_ASID              0x058
#define VMCB_TLB_CONTROL       0x05c
#define VMCB_INT_SHADOW        0x068
#define VMCB_EXITCODE          0x070
#define VMCB_EXITINFO1         0x078
#define VMCB_EXITINFO2         0x080
#define VMCB_EVENTINJ          0x0a8
/* VMCB state save area: segments are 16 bytes (selector, attrib, limit,
 * base) in this order */
#define VMCB_ES                0x400
#define VMCB_CS                0x410
#define VMCB_SS                0x420
#define VMCB_DS                0x430
#define VMCB_FS                0x440
#define VMCB_GS                0x450
#define VMCB_GDTR              0x460
#define VMCB_LDTR              0x470
#define VMCB_IDTR              0x480
#define VMCB_TR                0x490
#define VMCB_CPL               0x4cb
#define VMCB_EFER              0x4d0
#define VMCB_CR4               0x548
#define VMCB_CR3               0x550
#define VMCB_CR0               0x558
#define VMCB_DR7               0x560
#define VMCB_DR6               0x568
#define VMCB_RFLAGS            0x570
#define VMCB_RIP               0x578
#define VMCB_RSP               0x5d8
#define VMCB_RAX               0x5f8
#define VMCB_CR2               0x640
#define VMCB_G_PAT             0x668

#define MISC1_IDTR_READ (1u << 6)
#define MISC1_GDTR_READ (1u << 7)
#define MISC1_CPUID     (1u << 18)
#define MISC1_HLT       (1u << 24)
#define MISC1_IOIO      (1u << 27)
#define MISC1_MSR       (1u << 28)
#define MISC1_SHUTDOWN  (1u << 31)
#define MISC2_ALL_SVM   0x7fu   /* VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT */

#define EXIT_CR_READ(n)   (0x00u + (n))
#define EXIT_CR_WRITE(n)  (0x10u + (n))
#define EXIT_IDTR_READ    0x66u
#define EXIT_GDTR_READ    0x67u
#define EXIT_CPUID_SVM    0x72u
#define EXIT_HLT_SVM      0x78u
#define EXIT_IOIO         0x7bu
#define EXIT_MSR          0x7cu
#define EXIT_SHUTDOWN     0x7fu
#define EXIT_VMRUN        0x80u
#define EXIT_VMMCALL      0x81u
#define EXIT_SKINIT       0x86u
#define EXIT_INVALID      0xffffffffu

static uint8_t vmcb[4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t hsave[4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t iopm[3 * 4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t msrpm[2 * 4096] __attribute__((aligned(4096), section(".bss.pages")));

extern void svm_run_guest(struct host_gprs *regs, uint64_t vmcb_pa);

#define V8(off)  (*(volatile uint8_t *)(vmcb + (off)))
#define V16(off) (*(volatile uint16_t *)(vmcb + (off)))
#define V32(off) (*(volatile uint32_t *)(vmcb + (off)))
#define V64(off) (*(volatile uint64_t *)(vmcb + (off)))

/* The CR0/CR4 bits the host owns, as in the VT-x backend. */
#define CR0_OWNED (X86_CR0_PE | X86_CR0_NE | X86_CR0_PG)

static int svm_probe(void)
{
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000001)
		return 0;
	cpuid(0x80000001, 0, r);
	return (r[2] >> 2) & 1;        /* CPUID.80000001:ECX.SVM */
}

static void svm_init(void)
{
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		host_printf("FATAL: SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		host_stop(1);
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)hsave);

	/* Intercept writes of CR0, CR3 and CR4, and reads where the guest must
	 * see something else than the processor has (update_cr_intercepts);
	 * CPUID, HLT, the emulated ports, MSRs as the VT-x backend's bitmap
	 * does, shutdown (triple fault), and every SVM instruction (a guest
	 * gets #UD, as it would without SVM). */
	V32(VMCB_CR_INTERCEPTS) = 0x19u | (0x19u << 16);
	V32(VMCB_EXC_INTERCEPTS) = 0;
	V32(VMCB_MISC1_INTERCEPTS) = MISC1_CPUID | MISC1_HLT | MISC1_IOIO | MISC1_MSR |
				     MISC1_SHUTDOWN;
	V32(VMCB_MISC2_INTERCEPTS) = MISC2_ALL_SVM;
	/* MSR permission map (APM Vol. 2 15.11): two bits (read, write) per
	 * MSR; 0-1FFFh at byte 0, C0000000h-C0001FFFh at byte 800h. */
	memset(msrpm, 0xff, sizeof(msrpm));
	for (unsigned i = 0; i < msr_direct_count; i++) {
		uint32_t m = msr_direct[i];
		unsigned bit = 2 * (m & 0x1fff) + (m >= 0xc0000000u ? 0x800 * 8 : 0);
		msrpm[bit / 8] &= (uint8_t)~(3u << (bit % 8));
	}
	V64(VMCB_IOPM_BASE) = (uintptr_t)iopm;
	V64(VMCB_MSRPM_BASE) = (uintptr_t)msrpm;
	V32(VMCB_ASID) = 1;                         /* 0 is the host's */
	V64(VMCB_G_PAT) = 0x0007040600070406ull;   /* the power-on PAT */
	host_printf("svm: EFER.SVME on, VMCB at 0x%08x, 64-bit host\n", (uint32_t)(uintptr_t)vmcb);
}

/* ------------------------------------------------------ state moves --- */

/* VMX access rights <-> VMCB attributes (descriptor bytes 5 and 6[7:4]). */
static uint16_t attrib_of(const struct rmt_segment *s)
{
	if (s->ar & RMT_AR_UNUSABLE)
		return 0;               /* not present */
	return (uint16_t)((s->ar & 0xff) | ((s->ar >> 4) & 0xf00));
}

static void put_segment(unsigned off, const struct rmt_segment *s)
{
	V16(off) = s->sel;
	V16(off + 2) = attrib_of(s);
	V32(off + 4) = s->limit;
	V64(off + 8) = s->base;
}

static void get_segment(unsigned off, struct rmt_segment *s, int data)
{
	uint32_t attrib = V16(off + 2);

	s->sel = V16(off);
	s->base = (uint32_t)V64(off + 8);
	s->limit = V32(off + 4);
	s->ar = (attrib & 0xff) | ((attrib & 0xf00) << 4);
	/* A null data-segment load leaves it not present: VMX calls that
	 * "unusable". */
	if (data && !(attrib & RMT_AR_P))
		s->ar = RMT_AR_UNUSABLE;
}

static const unsigned seg_offset[RMT_NSEG] = {
	[RMT_ES] = VMCB_ES, [RMT_CS] = VMCB_CS, [RMT_SS] = VMCB_SS, [RMT_DS] = VMCB_DS,
	[RMT_FS] = VMCB_FS, [RMT_GS] = VMCB_GS, [RMT_LDTR] = VMCB_LDTR, [RMT_TR] = VMCB_TR,
};

/*
 * Reads of CR0 and CR4 are intercepted only while the processor's value
 * differs from the guest-visible one (forced PE/NE/PG, the identity map's
 * PSE/PAE, or the blob's monitor running for a real-mode guest); CR3 only
 * while the guest's paging is off.  A 64-bit kernel, which has all of PE,
 * NE, PG and PAE set, reads them without exits.
 */
#define CR_READ(n)  (1u << (n))
#define CR_WRITE(n) (1u << (16 + (n)))

static void update_cr_intercepts(struct vcpu *v)
{
	uint32_t icpt = CR_WRITE(0) | CR_WRITE(4);

	if ((uint32_t)V64(VMCB_CR0) != v->shadow_cr0)
		icpt |= CR_READ(0);
	if ((uint32_t)V64(VMCB_CR4) != v->shadow_cr4)
		icpt |= CR_READ(4);
	if (!(v->shadow_cr0 & X86_CR0_PG))
		icpt |= CR_READ(3) | CR_WRITE(3);
	V32(VMCB_CR_INTERCEPTS) = icpt;
}

/*
 * IA-32e mode is EFER.LMA in the VMCB: v->efer's LMA, as recorded for a
 * whole state, derived as LME && PG for a guest's write (vcpu.h).  The
 * VMCB's LME, too, is set only then: with the guest's paging off the processor
 * still pages (forced PG, 32-bit identity tables, PAE=0), and LME=1 with
 * PG=1 and PAE=0 is a state VMRUN refuses (APM Vol. 2 15.5.1) — the
 * guest's LME waits in v->efer, as on VT-x, where VM entry sets LME from
 * the "IA-32e mode guest" control.
 */
static void load_control_registers(struct vcpu *v, uint32_t cr0, uint32_t cr3, uint32_t cr4)
{
	int paging = (cr0 & X86_CR0_PG) != 0;
	int ia32e = (v->efer & X86_EFER_LMA) != 0;
	uint64_t lm = X86_EFER_LME | X86_EFER_LMA;

	V64(VMCB_EFER) = (v->efer & ~lm) | (ia32e ? lm : 0) | EFER_SVME;
	v->shadow_cr0 = cr0;
	v->shadow_cr4 = cr4;
	v->guest_cr3 = cr3;
	V64(VMCB_CR0) = cr0 | CR0_OWNED;
	V64(VMCB_CR4) = paging ? cr4 : (cr4 & ~X86_CR4_PAE) | X86_CR4_PSE;
	V64(VMCB_CR3) = paging ? cr3 : guest_identity_cr3;
	update_cr_intercepts(v);
}

static void svm_set_control_registers(struct vcpu *v, uint32_t cr0, uint32_t cr3, uint32_t cr4)
{
	load_control_registers(v, cr0, cr3, cr4);
}

/*
 * QEMU's TCG keeps a TR cache of type 9 (available) after LTR — it marks the
 * descriptor busy in memory only — and aborts ("invalid tss type") when a
 * task-stack lookup finds type 11 in the cache.  VMX wants 11.  So TR
 * crosses the VMCB with the busy bit (type bit 1) cleared, and gets it back
 * on the way out.
 */
#define TSS_BUSY_BIT 0x2u

static void svm_load_state(struct vcpu *v, const struct rmt_state *st)
{
	struct rmt_segment tr = st->seg[RMT_TR];

	for (unsigned s = 0; s < RMT_NSEG; s++)
		put_segment(seg_offset[s], &st->seg[s]);
	tr.ar &= ~TSS_BUSY_BIT;
	put_segment(VMCB_TR, &tr);
	V32(VMCB_GDTR + 4) = st->gdtr.limit;
	V64(VMCB_GDTR + 8) = st->gdtr.base;
	V32(VMCB_IDTR + 4) = st->idtr.limit;
	V64(VMCB_IDTR + 8) = st->idtr.base;
	/* CPL: 3 in vm86, else SS.DPL (what VMX derives it from) */
	V8(VMCB_CPL) = (st->eflags & X86_FL_VM) ? 3 :
		       (st->seg[RMT_SS].ar & RMT_AR_DPL_MASK) >> RMT_AR_DPL_SHIFT;
	for (unsigned r = 0; r < RMT_NGPR; r++)
		v->regs.r[r] = st->gpr[r];
	V64(VMCB_RSP) = st->gpr[RMT_ESP];
	V64(VMCB_RIP) = st->eip;
	V64(VMCB_RFLAGS) = st->eflags;
	v->efer = st->efer_lo;
	load_control_registers(v, st->cr0, st->cr3, st->cr4);
	V64(VMCB_DR7) = st->dr7;
	V64(VMCB_DR6) = 0xffff0ff0;
	V64(VMCB_INT_SHADOW) = st->interruptibility & 3 ? 1 : 0;
	V64(VMCB_EVENTINJ) = 0;
	/* VT-x without unrestricted guest cannot enter a halted vm86 guest, and
	 * the shared code never asks for one; a PM guest's HLT is re-run. */
	v->check_entry = 1;
}

static void svm_save_state(struct vcpu *v, struct rmt_state *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned s = 0; s < RMT_NSEG; s++)
		get_segment(seg_offset[s], &st->seg[s],
			    s != RMT_CS && s != RMT_SS && s != RMT_TR);
	st->seg[RMT_TR].ar |= TSS_BUSY_BIT;
	st->gdtr.limit = V32(VMCB_GDTR + 4);
	st->gdtr.base = (uint32_t)V64(VMCB_GDTR + 8);
	st->idtr.limit = V32(VMCB_IDTR + 4);
	st->idtr.base = (uint32_t)V64(VMCB_IDTR + 8);
	for (unsigned r = 0; r < RMT_NGPR; r++)
		st->gpr[r] = (uint32_t)v->regs.r[r];
	st->gpr[RMT_ESP] = (uint32_t)V64(VMCB_RSP);
	st->eip = (uint32_t)V64(VMCB_RIP);
	st->eflags = (uint32_t)V64(VMCB_RFLAGS);
	st->cr0 = v->shadow_cr0;
	st->cr4 = v->shadow_cr4;
	st->cr3 = (st->cr0 & X86_CR0_PG) ? (uint32_t)V64(VMCB_CR3) : v->guest_cr3;
	st->cr2 = (uint32_t)V64(VMCB_CR2);
	st->efer_lo = (uint32_t)v->efer;
	st->dr7 = (uint32_t)V64(VMCB_DR7);
	st->interruptibility = V64(VMCB_INT_SHADOW) & 1 ? 1 : 0;
}

static void svm_set_read_shadows(struct vcpu *v, uint32_t cr0, uint32_t cr4)
{
	v->shadow_cr0 = cr0;
	v->shadow_cr4 = cr4;
	update_cr_intercepts(v);
}

/* SGDT/SIDT intercepts (APM Vol. 2 15.7): any guest CPL, vm86 included. */
static int svm_trap_descriptor_reads(struct vcpu *v, int on)
{
	if (on)
		V32(VMCB_MISC1_INTERCEPTS) |= MISC1_IDTR_READ | MISC1_GDTR_READ;
	else
		V32(VMCB_MISC1_INTERCEPTS) &= ~(MISC1_IDTR_READ | MISC1_GDTR_READ);
	return 1;
}

/* The I/O permission map: one bit per port (APM Vol. 2 15.10.1). */
static void svm_set_io_intercept(uint16_t port, int on)
{
	if (on)
		iopm[port / 8] |= (uint8_t)(1u << (port % 8));
	else
		iopm[port / 8] &= (uint8_t)~(1u << (port % 8));
}

static void svm_set_rip(struct vcpu *v, uint64_t rip) { V64(VMCB_RIP) = rip; }
static uint64_t svm_get_rip(struct vcpu *v) { return V64(VMCB_RIP); }

/*
 * SVM has no activity state.  The guest's HLT is re-executed natively with
 * the HLT intercept off for one run: the processor then waits for the
 * interrupt inside the guest, as VMX's HLT activity state does.
 */
static void svm_set_activity_hlt(struct vcpu *v)
{
	V64(VMCB_RIP) = v->hlt_rip;
	V32(VMCB_MISC1_INTERCEPTS) &= ~MISC1_HLT;
}

static void svm_inject_exception(struct vcpu *v, unsigned vector, int has_error, uint32_t error)
{
	/* EVENTINJ: vector, type 3 (exception), EV, V; error code in 63:32 */
	V64(VMCB_EVENTINJ) = vector | (3u << 8) | (has_error ? 1u << 11 : 0) | (1u << 31) |
			     ((uint64_t)error << 32);
}

/* ----------------------------------------------- CR access emulation --- */

/*
 * An intercepted MOV to/from CR0/CR3/CR4, SMSW, LMSW or CLTS.  The
 * interpreter executes it against the guest-visible state; the result is
 * either just new register values (reads) or a new control-register value
 * for the shared policy in exits.c (writes).
 */
static uint64_t gpr_read(struct vcpu *v, unsigned r)
{
	return r == RMT_ESP ? V64(VMCB_RSP) : v->regs.r[r];
}

static void gpr_write(struct vcpu *v, unsigned r, uint64_t value)
{
	if (r == RMT_ESP)
		V64(VMCB_RSP) = value;
	else
		v->regs.r[r] = value;
}

/*
 * The same for a guest in IA-32e mode, 64-bit or compatibility code: the
 * instruction is fetched through the guest's 4-level tables and decoded by
 * cr_decode.c; reads are answered from the guest-visible values, writes go
 * to the shared policy as on the other path.
 */
static void emulate_cr_access_ia32e(struct vcpu *v, unsigned exitcode)
{
	int mode64 = (V16(VMCB_CS + 2) & 0x200) != 0;   /* attrib bit 9: CS.L */
	uint64_t la = V64(VMCB_RIP) + (mode64 ? 0 : V64(VMCB_CS + 8));
	uint8_t bytes[15];
	unsigned n = guest_fetch_ia32e(V64(VMCB_CR3), la, bytes, sizeof(bytes));
	struct cr_insn in;
	const char *why = "";
	uint64_t value;

	if (cr_decode(bytes, n, mode64, &in, &why)) {
		exit_unexpected(v, why, exitcode, n ? bytes[0] : 0);
		return;
	}
	switch (in.kind) {
	case CR_MOV_TO:
		value = gpr_read(v, in.gpr);
		if (in.cr == 0)
			exit_cr0_write(v, (uint32_t)value, in.len);
		else if (in.cr == 4)
			exit_cr4_write(v, (uint32_t)value, in.len);
		else if (in.cr == 3)
			exit_cr3_write(v, (uint32_t)value, in.len);
		else
			exit_unexpected(v, "intercepted MOV to a CR other than 0/3/4", exitcode, in.cr);
		return;
	case CR_CLTS:
		exit_cr0_write(v, v->shadow_cr0 & ~X86_CR0_TS, in.len);
		return;
	case CR_LMSW:
		exit_cr0_write(v, lmsw_result(v->shadow_cr0, (uint32_t)gpr_read(v, in.gpr)), in.len);
		return;
	case CR_MOV_FROM:
		value = in.cr == 0 ? v->shadow_cr0 : in.cr == 4 ? v->shadow_cr4 :
			in.cr == 3 ? (v->shadow_cr0 & X86_CR0_PG ? V64(VMCB_CR3) : v->guest_cr3) : 0;
		if (in.cr != 0 && in.cr != 3 && in.cr != 4) {
			exit_unexpected(v, "intercepted MOV from a CR other than 0/3/4", exitcode, in.cr);
			return;
		}
		gpr_write(v, in.gpr, value);
		break;
	case CR_SMSW:
		/* SMSW r16 leaves bits 63:16; r32 zero-extends; r64 is all of CR0. */
		value = v->shadow_cr0;
		if (in.opsize == 2)
			value = (gpr_read(v, in.gpr) & ~0xffffull) | (value & 0xffff);
		gpr_write(v, in.gpr, value);
		break;
	}
	V64(VMCB_RIP) += in.len;
}

static void emulate_cr_access(struct vcpu *v, unsigned exitcode)
{
	struct guest_cpu c;
	struct interp_status st;
	enum interp_result rc;

	if (v->efer & X86_EFER_LMA) {
		emulate_cr_access_ia32e(v, exitcode);
		return;
	}
	rc = host_interpret_step(v, &c, &st);
	if (rc == INTERP_FAULT) {
		svm_inject_exception(v, st.fault.vector, st.fault.has_error, st.fault.error_code);
		return;
	}
	if (rc != INTERP_OK) {
		exit_unexpected(v, st.why[0] ? st.why : "cannot decode the intercepted CR access",
				exitcode, 0);
		return;
	}
	if (exitcode >= EXIT_CR_WRITE(0)) {
		/* The write goes through the shared policy, which moves RIP. */
		if (exitcode == EXIT_CR_WRITE(0))
			exit_cr0_write(v, c.s.cr0, st.length);
		else if (exitcode == EXIT_CR_WRITE(3))
			exit_cr3_write(v, c.s.cr3, st.length);
		else
			exit_cr4_write(v, c.s.cr4, st.length);
		return;
	}
	/* A read: the destination register (or memory, for SMSW m16) and RIP. */
	for (unsigned r = 0; r < RMT_NGPR; r++)
		v->regs.r[r] = c.s.gpr[r];
	V64(VMCB_RSP) = c.s.gpr[RMT_ESP];
	V64(VMCB_RIP) = c.s.eip;
}

/* ----------------------------------------------------------- the loop --- */

/* Refuse what VT-x without unrestricted guest would refuse (see top). */
static void check_entry_like_vmx(struct vcpu *v)
{
	static struct vmcs_view view;
	static struct vmentry_report rep;
	struct rmt_state st;

	v->check_entry = 0;
	svm_save_state(v, &st);
	vmcs_view_from_guest(&st, guest_identity_cr3, &view);
	if (vmentry_validate(&vmentry_config_penryn, &view, &rep))
		exit_entry_failure(v, "VM entry refused: invalid guest state for VT-x without "
				   "unrestricted guest (as exit reason 0x80000021)", rep.failures);
}

static void handle_exit(struct vcpu *v, uint32_t code)
{
	uint32_t info1 = (uint32_t)V64(VMCB_EXITINFO1);
	uint64_t info2 = V64(VMCB_EXITINFO2);
	uint64_t rip = V64(VMCB_RIP);

	v->exits[code & 0xff]++;
	exit_log(v, code, info1);
	if (code <= EXIT_CR_WRITE(15)) {
		unsigned cr = code & 15;
		if (cr == 0 || cr == 3 || cr == 4) {
			emulate_cr_access(v, code);
			return;
		}
	}
	switch (code) {
	case EXIT_CPUID_SVM:
		exit_cpuid(v);
		V64(VMCB_RIP) = rip + 2;
		return;
	case EXIT_VMMCALL:
		exit_hypercall(v, 3);
		return;
	case EXIT_IOIO:
		/* EXITINFO1: bit 0 IN, bit 2 string, bits 6:4 size, 31:16 port;
		 * EXITINFO2: the next RIP (APM Vol. 2 15.10.2). */
		if (info1 & 4)
			exit_string_io(v);
		else
			exit_io(v, (uint16_t)(info1 >> 16), (info1 >> 4) & 7, info1 & 1,
				(unsigned)(info2 - rip));
		return;
	case EXIT_HLT_SVM:
		v->hlt_rip = rip;
		exit_hlt(v, 1);
		return;
	case EXIT_MSR:
		exit_msr(v, info1 & 1, 2);
		return;
	case EXIT_SHUTDOWN:
		exit_triple_fault(v);
		return;
	case EXIT_IDTR_READ:
	case EXIT_GDTR_READ:
		/* SIDT/SGDT while the blob runs (blob_link.c): #GP(0) to the
		 * blob, which answers from the guest's tables. */
		svm_inject_exception(v, X86_GP, 1, 0);
		return;
	default:
		if (code >= EXIT_VMRUN && code <= EXIT_SKINIT) {
			/* SVM instructions: the guest has no SVM. */
			svm_inject_exception(v, X86_UD, 0, 0);
			return;
		}
		exit_unexpected(v, "unhandled #VMEXIT", code, info1);
	}
}

static void __attribute__((noreturn)) svm_run(struct vcpu *v)
{
	for (;;) {
		uint32_t code;

		if (v->check_entry)
			check_entry_like_vmx(v);
		V64(VMCB_RAX) = v->regs.r[RMT_EAX];
		V8(VMCB_TLB_CONTROL) = 1;      /* CR3 may have been switched under the guest */
		svm_run_guest(&v->regs, (uintptr_t)vmcb);
		v->regs.r[RMT_EAX] = V64(VMCB_RAX);
		V32(VMCB_MISC1_INTERCEPTS) |= MISC1_HLT;
		code = (uint32_t)V64(VMCB_EXITCODE);
		if (code == EXIT_INVALID)
			exit_entry_failure(v, "VMRUN refused the state (VMEXIT_INVALID)", code);
		handle_exit(v, code);
	}
}

static const char *svm_exit_name(unsigned code)
{
	static const char *const cr_read[16] = { [0] = "cr0_read", [3] = "cr3_read", [4] = "cr4_read" };
	static const char *const cr_write[16] = { [0] = "cr0_write", [3] = "cr3_write", [4] = "cr4_write" };

	if (code < 0x10)
		return cr_read[code];
	if (code < 0x20)
		return cr_write[code - 0x10];
	switch (code) {
	case EXIT_CPUID_SVM: return "cpuid";
	case EXIT_HLT_SVM: return "hlt";
	case EXIT_IOIO: return "io";
	case EXIT_MSR: return "msr";
	case EXIT_SHUTDOWN: return "shutdown";
	case EXIT_IDTR_READ: return "sidt";
	case EXIT_GDTR_READ: return "sgdt";
	case EXIT_VMMCALL: return "vmmcall";
	}
	return 0;
}

const struct backend svm_backend = {
	.name = "svm",
	.probe = svm_probe,
	.init = svm_init,
	.load_state = svm_load_state,
	.save_state = svm_save_state,
	.set_control_registers = svm_set_control_registers,
	.set_read_shadows = svm_set_read_shadows,
	.set_io_intercept = svm_set_io_intercept,
	.trap_descriptor_reads = svm_trap_descriptor_reads,
	.set_rip = svm_set_rip,
	.get_rip = svm_get_rip,
	.set_activity_hlt = svm_set_activity_hlt,
	.inject_exception = svm_inject_exception,
	.run = svm_run,
	.hypercall_flavour = RMT_HCI_VMMCALL,
	.exit_name = svm_exit_name,
};

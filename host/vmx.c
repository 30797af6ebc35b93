/*
 * The VT-x backend of the reference host, written for the hardware class
 * rmtramp exists for: VMX without EPT and without unrestricted guest (Bochs'
 * core2_penryn_t9600).  Every guest state — the loader, the blob's monitor,
 * the guest's protected mode — is entered through backend_load_state(), so
 * Bochs' VM-entry checks see every handoff.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/desc.h"
#include "host/vcpu.h"
#include "host/chipset.h"
#include "host/memmap.h"
#include "host/vmcs_fields.h"
#include "host/msr.h"
#ifdef HOST_ORACLE
#include "host/oracle.h"
#endif

static uint8_t vmxon_region[4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t vmcs_region[4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t io_bitmap_a[4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t io_bitmap_b[4096] __attribute__((aligned(4096), section(".bss.pages")));
static uint8_t msr_bitmap[4096] __attribute__((aligned(4096), section(".bss.pages")));

/*
 * CR0 and CR4 bits the host owns.  The guest reads them from the read
 * shadow; writing a value that differs from the shadow in one of them
 * exits (SDM Vol. 3C 25.1.3).  PE, NE and PG are forced to 1 (CR0_FIXED0);
 * PSE and PAE are the host's while the guest's paging is off (the identity
 * tables are 32-bit with 4 MiB pages); VMXE must stay 1 (CR4_FIXED0).
 */
#define CR0_OWNED (X86_CR0_PE | X86_CR0_NE | X86_CR0_PG)
#define CR4_OWNED (X86_CR4_VMXE | X86_CR4_PSE | X86_CR4_PAE)

extern int vmx_run_guest(struct host_gprs *regs, int launched);

/* The host's own IA32_EFER (LME, LMA; SCE/NXE become the guest's). */
static uint64_t host_orig_efer;
extern char vmx_exit_entry[];


/* ------------------------------------------------------ VMCS access --- */

/*
 * In 64-bit mode VMREAD/VMWRITE move 64 bits: a natural-width field whole
 * (a 64-bit guest's RIP), a 64-bit field in one access (SDM Vol. 3C
 * 24.11.2).  A 32-bit field's upper bits are ignored/zero.
 */
static void vmwrite(uint64_t field, uint64_t value)
{
	uint8_t fail;

	__asm__ volatile("vmwrite %2, %1; setbe %0" : "=q"(fail) : "r"(field), "rm"(value) : "cc");
	if (fail) {
		host_printf("FATAL: VMWRITE field 0x%04llx value 0x%016llx failed\n",
			    (unsigned long long)field, (unsigned long long)value);
		host_stop(1);
	}
}

static uint64_t vmread(uint64_t field)
{
	uint64_t value;
	uint8_t fail;

	__asm__ volatile("vmread %2, %1; setbe %0" : "=q"(fail), "=rm"(value) : "r"(field) : "cc");
	if (fail) {
		host_printf("FATAL: VMREAD field 0x%04llx failed\n", (unsigned long long)field);
		host_stop(1);
	}
	return value;
}

/*
 * A control value the processor accepts: the allowed-0 settings (low half of
 * the capability MSR) must be 1, the allowed-1 settings (high half) bound
 * what may be 1 (SDM Vol. 3D A.3).  A wanted bit the CPU lacks is fatal:
 * better a clear stop than a host that silently misses exits.
 */
static uint32_t adjust_controls(const char *name, uint32_t msr, uint32_t want)
{
	uint64_t cap = rdmsr(msr);
	uint32_t must = (uint32_t)cap, may = (uint32_t)(cap >> 32);

	if (want & ~may) {
		host_printf("FATAL: %s controls 0x%08x not supported (allowed-1 0x%08x)\n",
			    name, want & ~may, may);
		host_stop(1);
	}
	return (want | must) & may;
}

/* ---------------------------------------------------------- bring-up --- */

static void vmx_init(void)
{
	uint64_t basic, fc;
	int true_ctls;
	uint64_t vmxon_pa = (uintptr_t)vmxon_region, vmcs_pa = (uintptr_t)vmcs_region;
	uint8_t fail;

	/* IA32_FEATURE_CONTROL: lock with "VMXON outside SMX" if firmware
	 * (that is us) has not locked it yet. */
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if (!(fc & 1))
		wrmsr(MSR_FEATURE_CONTROL, fc | 5);
	else if (!(fc & 4)) {
		host_printf("FATAL: IA32_FEATURE_CONTROL locked with VMX disabled\n");
		host_stop(1);
	}
	basic = rdmsr(MSR_VMX_BASIC);
	true_ctls = (uint32_t)(basic >> 32) & VMX_BASIC_TRUE_CTLS;
	*(uint32_t *)vmxon_region = (uint32_t)basic & 0x7fffffff;
	*(uint32_t *)vmcs_region = (uint32_t)basic & 0x7fffffff;

	/* CR0/CR4 must satisfy the VMX fixed bits in root operation too. */
	write_cr0((read_cr0() | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1));
	write_cr4((read_cr4() | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1));

	uint64_t pa64 = vmxon_pa;
	__asm__ volatile("vmxon %1; setbe %0" : "=q"(fail) : "m"(pa64) : "cc", "memory");
	if (fail) {
		host_printf("FATAL: VMXON failed\n");
		host_stop(1);
	}
	pa64 = vmcs_pa;
	__asm__ volatile("vmclear %1; setbe %0" : "=q"(fail) : "m"(pa64) : "cc", "memory");
	if (!fail)
		__asm__ volatile("vmptrld %1; setbe %0" : "=q"(fail) : "m"(pa64) : "cc", "memory");
	if (fail) {
		host_printf("FATAL: VMCLEAR/VMPTRLD failed\n");
		host_stop(1);
	}

	/* Controls.  External interrupts are not intercepted: devices are the
	 * guest's and interrupt it directly.  HLT exits (a vm86 guest can never
	 * be entered in HLT, and a halted PM guest is entered with the HLT
	 * activity state instead).  CR3 accesses exit while the guest's paging
	 * is off (the host's identity tables are loaded then).  The I/O bitmaps
	 * intercept only the ports the host emulates; the MSR bitmap lets
	 * through only what VMX switches or the host never uses (host/msr.c). */
	vmwrite(VMCS_PIN_CONTROLS,
		adjust_controls("pin-based", true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED, 0));
	vmwrite(VMCS_PROC_CONTROLS,
		adjust_controls("processor-based",
				true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
				PROC_HLT_EXITING | PROC_CR3_LOAD_EXITING |
				PROC_CR3_STORE_EXITING | PROC_USE_IO_BITMAPS |
				PROC_USE_MSR_BITMAPS));
	/* Exit controls: host address-space size 1 (a 64-bit host); the
	 * "IA-32e mode guest" entry control follows the guest's EFER.LMA
	 * (load_control_registers). */
	vmwrite(VMCS_EXIT_CONTROLS,
		adjust_controls("exit", true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
				EXIT_HOST_ADDRESS_SPACE_SIZE));
	vmwrite(VMCS_ENTRY_CONTROLS,
		adjust_controls("entry", true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY, 0));
	vmwrite(VMCS_EXCEPTION_BITMAP, 0);
	vmwrite(VMCS_PF_ERROR_MASK, 0);
	vmwrite(VMCS_PF_ERROR_MATCH, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_CR0_MASK, CR0_OWNED);
	vmwrite(VMCS_CR4_MASK, CR4_OWNED);
	vmwrite(VMCS_LINK_POINTER, ~0ull);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);

	/* Which ports exit: host_intercept_ports() (main.c) through
	 * vmx_set_io_intercept(). */
	vmwrite(VMCS_IO_BITMAP_A, (uintptr_t)io_bitmap_a);
	vmwrite(VMCS_IO_BITMAP_B, (uintptr_t)io_bitmap_b);
	/* MSR bitmap (SDM Vol. 3C 24.6.9): read-low, read-high, write-low,
	 * write-high, 1 KiB each; a set bit exits. */
	memset(msr_bitmap, 0xff, sizeof(msr_bitmap));
	for (unsigned i = 0; i < msr_direct_count; i++) {
		uint32_t m = msr_direct[i];
		unsigned base = m >= 0xc0000000u ? 1024 : 0, bit = m & 0x1fff;
		msr_bitmap[base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
		msr_bitmap[2048 + base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	}
	vmwrite(VMCS_MSR_BITMAP, (uintptr_t)msr_bitmap);

	/* Host state: what a VM exit loads. */
	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SELECTOR, HOST_CS);
	vmwrite(VMCS_HOST_SS_SELECTOR, HOST_DS);
	vmwrite(VMCS_HOST_DS_SELECTOR, HOST_DS);
	vmwrite(VMCS_HOST_ES_SELECTOR, HOST_DS);
	vmwrite(VMCS_HOST_FS_SELECTOR, HOST_DS);
	vmwrite(VMCS_HOST_GS_SELECTOR, HOST_DS);
	vmwrite(VMCS_HOST_TR_SELECTOR, HOST_TR);
	vmwrite(VMCS_HOST_FS_BASE, 0);
	vmwrite(VMCS_HOST_GS_BASE, 0);
	vmwrite(VMCS_HOST_TR_BASE, host_tss_base());
	vmwrite(VMCS_HOST_GDTR_BASE, host_gdt_base());
	vmwrite(VMCS_HOST_IDTR_BASE, host_idt_base());
	vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	vmwrite(VMCS_HOST_RIP, (uintptr_t)vmx_exit_entry);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	host_orig_efer = rdmsr(MSR_EFER);
	host_printf("vmx: VMXON ok, revision 0x%x, %s controls, 64-bit host\n",
		    (uint32_t)basic & 0x7fffffff, true_ctls ? "TRUE" : "legacy");
}

/* ------------------------------------------------------ state moves --- */

static void set_cr3_exiting(int on)
{
	uint32_t proc = (uint32_t)vmread(VMCS_PROC_CONTROLS);

	if (on)
		proc |= PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING;
	else
		proc &= ~(PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING);
	vmwrite(VMCS_PROC_CONTROLS, proc);
}

/*
 * The guest's IA-32e mode.  Without the "load IA32_EFER" entry control
 * (Penryn has none), VM entry sets EFER.LMA — and, since the guest always
 * runs with CR0.PG=1 here, EFER.LME — from the "IA-32e mode guest" control
 * (SDM Vol. 3C 26.3.2.1); the other EFER bits are simply the processor's.
 * So the control follows the guest-visible LMA, and the processor's SCE and
 * NXE are set to the guest's (the 64-bit host uses neither system calls nor
 * NX pages, and VM exit gives it back LME and LMA, 27.5.1).
 */
static void load_efer(struct vcpu *v, int ia32e)
{
	uint32_t entry = (uint32_t)vmread(VMCS_ENTRY_CONTROLS);
	uint64_t live = (host_orig_efer & ~(uint64_t)(X86_EFER_SCE | X86_EFER_NXE)) |
			(v->efer & (X86_EFER_SCE | X86_EFER_NXE));

	if (ia32e)
		entry |= ENTRY_IA32E_MODE_GUEST;
	else
		entry &= ~ENTRY_IA32E_MODE_GUEST;
	vmwrite(VMCS_ENTRY_CONTROLS, entry);
	if (rdmsr(MSR_EFER) != live)
		wrmsr(MSR_EFER, live);
}

/*
 * Write the guest-visible CR0/CR3/CR4 into the VMCS: the shadows get the
 * guest's values, the real registers what VMX without UG requires.  While the
 * guest's paging is off the host's identity tables (4 MiB pages) run it and
 * the guest's CR3 is kept aside; CR3 accesses exit so the guest still sees
 * its own value.  IA-32e mode is v->efer's LMA: as recorded for a whole
 * state (backend_load_state), derived for a guest's CR0/EFER write (vcpu.h).
 */
static void load_control_registers(struct vcpu *v, uint32_t cr0, uint32_t cr3, uint32_t cr4)
{
	int paging = (cr0 & X86_CR0_PG) != 0;

	load_efer(v, (v->efer & X86_EFER_LMA) != 0);
	vmwrite(VMCS_CR0_SHADOW, cr0);
	vmwrite(VMCS_GUEST_CR0, cr0 | CR0_OWNED);
	vmwrite(VMCS_CR4_SHADOW, cr4);
	if (paging)
		vmwrite(VMCS_GUEST_CR4, cr4 | X86_CR4_VMXE);
	else
		vmwrite(VMCS_GUEST_CR4, (cr4 & ~X86_CR4_PAE) | X86_CR4_PSE | X86_CR4_VMXE);
	v->guest_cr3 = cr3;
	vmwrite(VMCS_GUEST_CR3, paging ? cr3 : guest_identity_cr3);
	set_cr3_exiting(!paging);
}

static void vmx_load_state(struct vcpu *v, const struct rmt_state *st)
{
	for (unsigned s = 0; s < RMT_NSEG; s++) {
		vmwrite(VMCS_GUEST_ES_SELECTOR + 2 * s, st->seg[s].sel);
		vmwrite(VMCS_GUEST_ES_BASE + 2 * s, st->seg[s].base);
		vmwrite(VMCS_GUEST_ES_LIMIT + 2 * s, st->seg[s].limit);
		vmwrite(VMCS_GUEST_ES_AR + 2 * s, st->seg[s].ar);
	}
	vmwrite(VMCS_GUEST_GDTR_BASE, st->gdtr.base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, st->gdtr.limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, st->idtr.base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, st->idtr.limit);
	for (unsigned r = 0; r < RMT_NGPR; r++)
		v->regs.r[r] = st->gpr[r];      /* zero-extended; R8-R15 kept */
	vmwrite(VMCS_GUEST_RSP, st->gpr[RMT_ESP]);
	vmwrite(VMCS_GUEST_RIP, st->eip);
	vmwrite(VMCS_GUEST_RFLAGS, st->eflags);
	v->efer = st->efer_lo;
	load_control_registers(v, st->cr0, st->cr3, st->cr4);
	vmwrite(VMCS_GUEST_DR7, st->dr7);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, st->interruptibility);
	vmwrite(VMCS_GUEST_ACTIVITY, st->activity);
	vmwrite(VMCS_GUEST_PENDING_DBG, st->pending_dbg);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
}

static uint32_t guest_visible(uint32_t real, uint32_t shadow, uint32_t owned)
{
	return (real & ~owned) | (shadow & owned);
}

static void vmx_save_state(struct vcpu *v, struct rmt_state *st)
{
	memset(st, 0, sizeof(*st));
	/* The ABI record is 32-bit: a 64-bit guest's RIP, RSP and bases
	 * appear truncated here (vmx_get_rip has the whole RIP). */
	for (unsigned s = 0; s < RMT_NSEG; s++) {
		st->seg[s].sel = (uint16_t)vmread(VMCS_GUEST_ES_SELECTOR + 2 * s);
		st->seg[s].base = (uint32_t)vmread(VMCS_GUEST_ES_BASE + 2 * s);
		st->seg[s].limit = (uint32_t)vmread(VMCS_GUEST_ES_LIMIT + 2 * s);
		st->seg[s].ar = (uint32_t)vmread(VMCS_GUEST_ES_AR + 2 * s);
	}
	st->gdtr.base = (uint32_t)vmread(VMCS_GUEST_GDTR_BASE);
	st->gdtr.limit = (uint32_t)vmread(VMCS_GUEST_GDTR_LIMIT);
	st->idtr.base = (uint32_t)vmread(VMCS_GUEST_IDTR_BASE);
	st->idtr.limit = (uint32_t)vmread(VMCS_GUEST_IDTR_LIMIT);
	for (unsigned r = 0; r < RMT_NGPR; r++)
		st->gpr[r] = (uint32_t)v->regs.r[r];
	st->gpr[RMT_ESP] = (uint32_t)vmread(VMCS_GUEST_RSP);
	st->eip = (uint32_t)vmread(VMCS_GUEST_RIP);
	st->eflags = (uint32_t)vmread(VMCS_GUEST_RFLAGS);
	st->cr0 = guest_visible((uint32_t)vmread(VMCS_GUEST_CR0), (uint32_t)vmread(VMCS_CR0_SHADOW),
				CR0_OWNED);
	st->cr4 = guest_visible((uint32_t)vmread(VMCS_GUEST_CR4), (uint32_t)vmread(VMCS_CR4_SHADOW),
				CR4_OWNED);
	st->cr3 = (st->cr0 & X86_CR0_PG) ? (uint32_t)vmread(VMCS_GUEST_CR3) : v->guest_cr3;
	st->cr2 = (uint32_t)read_cr2();
	st->efer_lo = (uint32_t)v->efer;
	st->dr7 = (uint32_t)vmread(VMCS_GUEST_DR7);
	st->interruptibility = (uint32_t)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	st->activity = (uint32_t)vmread(VMCS_GUEST_ACTIVITY);
	st->pending_dbg = (uint32_t)vmread(VMCS_GUEST_PENDING_DBG);
}

static void vmx_set_read_shadows(struct vcpu *v, uint32_t cr0, uint32_t cr4)
{
	vmwrite(VMCS_CR0_SHADOW, cr0);
	vmwrite(VMCS_CR4_SHADOW, cr4);
}

/*
 * VT-x traps SGDT/SIDT only with "descriptor-table exiting", a secondary
 * control Penryn lacks — and which traps LGDT/LIDT as well, so the blob's
 * own table loads would need emulating.  Not done: on this hardware class
 * the blob relies on UMIP where the processor has it (firmware/tables.c).
 */
static int vmx_trap_descriptor_reads(struct vcpu *v, int on)
{
	return 0;
}

/* I/O bitmap A covers ports 0-7FFFh, B 8000h-FFFFh (SDM Vol. 3C 24.6.4);
 * the processor consults them at every IN/OUT, so a change applies at once. */
static void vmx_set_io_intercept(uint16_t port, int on)
{
	uint8_t *bm = port < 0x8000 ? io_bitmap_a : io_bitmap_b;
	unsigned bit = port & 0x7fff;

	if (on)
		bm[bit / 8] |= (uint8_t)(1u << (bit % 8));
	else
		bm[bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

static void vmx_set_rip(struct vcpu *v, uint64_t rip) { vmwrite(VMCS_GUEST_RIP, rip); }
static uint64_t vmx_get_rip(struct vcpu *v) { return vmread(VMCS_GUEST_RIP); }

static void vmx_inject_exception(struct vcpu *v, unsigned vector, int has_error, uint32_t error)
{
	/* Interruption type 3 = hardware exception (SDM Vol. 3C 24.8.3). */
	vmwrite(VMCS_ENTRY_INTR_INFO, vector | (3u << 8) | (has_error ? 1u << 11 : 0) | (1u << 31));
	vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, error);
}

/* The guest wrote CR0/CR4 under a mask bit, or EFER: only the shadow and
 * the real register change, the way load_control_registers derives them. */
static void vmx_set_control_registers(struct vcpu *v, uint32_t cr0, uint32_t cr3, uint32_t cr4)
{
	load_control_registers(v, cr0, cr3, cr4);
}

/* ------------------------------------------------------------- exits --- */

/*
 * Control-register accesses (exit reason 28): qualification bits 3:0 = CR,
 * 5:4 = access type (0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW), 11:8 =
 * general register, 31:16 = LMSW source (SDM Vol. 3C Table 27-3).
 */
static void handle_cr_access(struct vcpu *v, uint32_t qual, unsigned len)
{
	unsigned cr = qual & 15, type = (qual >> 4) & 3, reg = (qual >> 8) & 15;
	uint32_t value;

	if (reg == RMT_ESP)
		v->regs.r[RMT_ESP] = vmread(VMCS_GUEST_RSP);
	/* CR0/CR4 bits 63:32 are reserved, and the host's CR3 values (the
	 * guest's page tables) lie below 4 GiB on this machine. */
	value = (uint32_t)v->regs.r[reg];
	if (type == 0 && cr == 0) {
		exit_cr0_write(v, value, len);
	} else if (type == 3) {
		uint32_t old = guest_visible((uint32_t)vmread(VMCS_GUEST_CR0),
					     (uint32_t)vmread(VMCS_CR0_SHADOW), CR0_OWNED);
		exit_cr0_write(v, lmsw_result(old, qual >> 16), len);
	} else if (type == 0 && cr == 3) {
		exit_cr3_write(v, value, len);
	} else if (type == 1 && cr == 3) {
		v->regs.r[reg] = exit_cr3_read(v);
		if (reg == RMT_ESP)
			vmwrite(VMCS_GUEST_RSP, v->regs.r[reg]);
		vmwrite(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) + len);
	} else if (type == 0 && cr == 4) {
		exit_cr4_write(v, value, len);
	} else {
		exit_unexpected(v, "control-register access", EXIT_CR_ACCESS, qual);
	}
}

static void handle_exit(struct vcpu *v, uint32_t reason)
{
	uint32_t qual = (uint32_t)vmread(VMCS_EXIT_QUALIFICATION);
	unsigned len = (unsigned)vmread(VMCS_EXIT_INSTR_LENGTH);

	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		exit_entry_failure(v, "VM entry failed: invalid guest state (exit reason 0x80000021)",
				   reason);
		return;
	}
	v->exits[reason & 0xff]++;
	exit_log(v, reason, qual);
	switch (reason & 0xffff) {
	case EXIT_CPUID:
		exit_cpuid(v);
		vmwrite(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) + len);
		break;
	case EXIT_CR_ACCESS:
		handle_cr_access(v, qual, len);
		break;
	case EXIT_VMCALL:
		exit_hypercall(v, len);
		break;
	case EXIT_IO:
		/* qualification: bits 2:0 size-1, bit 3 IN, bit 4 string, 31:16 port */
		if (qual & (1u << 4))
			exit_string_io(v);
		else
			exit_io(v, (uint16_t)(qual >> 16), (qual & 7) + 1, (qual >> 3) & 1, len);
		break;
	case EXIT_HLT:
		exit_hlt(v, len);
		break;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		exit_msr(v, reason == EXIT_WRMSR, len);
		break;
	case EXIT_TRIPLE_FAULT:
		exit_triple_fault(v);
		break;
	case EXIT_XSETBV:
		/* XSETBV exits unconditionally (SDM Vol. 3C 25.1.2) */
		exit_xsetbv(v, len);
		break;
	default:
		exit_unexpected(v, "unhandled VM exit", reason, qual);
	}
}

/* Resume the vCPU in the HLT activity state: the processor waits for an
 * interrupt in VMX non-root operation instead of the host spinning. */
static void vmx_set_activity_hlt(struct vcpu *v)
{
	/* The HLT retired, so a blocking by STI or MOV SS (STI; HLT is the
	 * idiom) has ended — and VM entry refuses HLT with blocking (SDM
	 * 26.3.1.5). */
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 1);
}

static void __attribute__((noreturn)) vmx_run(struct vcpu *v)
{
	for (;;) {
		if (vmx_run_guest(&v->regs, v->launched)) {
			exit_entry_failure(v, v->launched ? "VMRESUME failed (VMfailValid)"
							  : "VMLAUNCH failed (VMfailValid)",
					   (uint32_t)vmread(VMCS_INSTRUCTION_ERROR));
		}
		v->launched = 1;
		handle_exit(v, (uint32_t)vmread(VMCS_EXIT_REASON));
	}
}

static int vmx_probe(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return (r[2] >> 5) & 1;        /* CPUID.1:ECX.VMX */
}

static const char *vmx_exit_name(unsigned reason)
{
	switch (reason) {
	case EXIT_EXCEPTION_NMI: return "exception";
	case EXIT_EXTERNAL_INTERRUPT: return "extint";
	case EXIT_TRIPLE_FAULT: return "triple_fault";
	case EXIT_CPUID: return "cpuid";
	case EXIT_HLT: return "hlt";
	case EXIT_VMCALL: return "vmcall";
	case EXIT_CR_ACCESS: return "cr_access";
	case EXIT_IO: return "io";
	case EXIT_RDMSR: return "rdmsr";
	case EXIT_WRMSR: return "wrmsr";
	case EXIT_XSETBV: return "xsetbv";
	}
	return 0;
}

const struct backend vmx_backend = {
	.name = "vmx",
	.probe = vmx_probe,
	.init = vmx_init,
	.load_state = vmx_load_state,
	.save_state = vmx_save_state,
	.set_control_registers = vmx_set_control_registers,
	.set_read_shadows = vmx_set_read_shadows,
	.set_io_intercept = vmx_set_io_intercept,
	.trap_descriptor_reads = vmx_trap_descriptor_reads,
	.set_rip = vmx_set_rip,
	.get_rip = vmx_get_rip,
	.set_activity_hlt = vmx_set_activity_hlt,
	.inject_exception = vmx_inject_exception,
	.run = vmx_run,
	.hypercall_flavour = RMT_HCI_VMCALL,
	.exit_name = vmx_exit_name,
};

#ifdef HOST_ORACLE
/* -------------------------------------------- oracle flavour only --- */

/*
 * The oracle (host/oracle.c) enters many unrelated states, each once.  Its
 * controls differ from the normal host's only in ways that make every entered
 * state come straight back and none of which the guest-state checks depend on:
 *   - exception bitmap all ones: any fault of the first instruction exits;
 *   - external-interrupt exiting: a stray interrupt exits instead of running
 *     the guest's (random) IDT;
 *   - NMI exiting + virtual NMIs + NMI-window exiting: without virtual-NMI
 *     blocking (interruptibility bit 3) the entry is followed at once by an
 *     NMI-window exit, which also wakes a guest entered in HLT or shutdown.
 * Guest-state checks that depend on these: only those on an injected NMI,
 * and the oracle injects nothing (backend_load_state() clears the field).
 */
#define PIN_EXTINT_EXITING   (1u << 0)
#define PIN_NMI_EXITING      (1u << 3)
#define PIN_VIRTUAL_NMIS     (1u << 5)
#define PROC_NMI_WINDOW      (1u << 22)
#define MSR_VMX_MISC         0x485

static int oracle_true_ctls;

static void oracle_controls(void)
{
	uint32_t proc = PROC_HLT_EXITING | PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING |
			PROC_USE_IO_BITMAPS | PROC_NMI_WINDOW;

	vmwrite(VMCS_PIN_CONTROLS,
		adjust_controls("pin-based",
				oracle_true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
				PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS));
	vmwrite(VMCS_PROC_CONTROLS,
		adjust_controls("processor-based",
				oracle_true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED, proc));
	vmwrite(VMCS_EXCEPTION_BITMAP, 0xffffffffu);
}

void backend_oracle_init(void)
{
	oracle_true_ctls = (uint32_t)(rdmsr(MSR_VMX_BASIC) >> 32) & VMX_BASIC_TRUE_CTLS;
	oracle_controls();
	/* The capability values the validator's vmentry_config_penryn models. */
	host_printf("oracle: IA32_VMX_CR0_FIXED0=0x%08x CR0_FIXED1=0x%08x CR4_FIXED0=0x%08x "
		    "CR4_FIXED1=0x%08x MISC=0x%08x\n",
		    (uint32_t)rdmsr(MSR_VMX_CR0_FIXED0), (uint32_t)rdmsr(MSR_VMX_CR0_FIXED1),
		    (uint32_t)rdmsr(MSR_VMX_CR4_FIXED0), (uint32_t)rdmsr(MSR_VMX_CR4_FIXED1),
		    (uint32_t)rdmsr(MSR_VMX_MISC));
}

/*
 * A fresh launch state for every state: VMCLEAR + VMPTRLD keep the VMCS's
 * contents (SDM Vol. 3C 24.11.3) but make the next VMLAUNCH independent of
 * whether the previous entry succeeded.  Everything backend_load_state()
 * does not write is a constant control set here or in backend_init().
 */
static void oracle_fresh_vmcs(void)
{
	uint64_t pa64 = (uintptr_t)vmcs_region;
	uint8_t fail;

	__asm__ volatile("vmclear %1; setbe %0" : "=q"(fail) : "m"(pa64) : "cc", "memory");
	if (!fail)
		__asm__ volatile("vmptrld %1; setbe %0" : "=q"(fail) : "m"(pa64) : "cc", "memory");
	if (fail) {
		host_printf("FATAL: oracle: VMCLEAR/VMPTRLD failed\n");
		host_stop(1);
	}
}

void backend_oracle_fresh(void)
{
	oracle_fresh_vmcs();
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
}

int backend_oracle_enter(struct vcpu *v, uint32_t *reason, uint32_t *qual)
{
	v->launched = 0;
	if (vmx_run_guest(&v->regs, 0)) {
		*reason = (uint32_t)vmread(VMCS_INSTRUCTION_ERROR);
		*qual = 0;
		return 1;
	}
	*reason = (uint32_t)vmread(VMCS_EXIT_REASON);
	*qual = (uint32_t)vmread(VMCS_EXIT_QUALIFICATION);
	return 0;
}
#endif /* HOST_ORACLE */

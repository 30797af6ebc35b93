/*
 * The host's MSR policy.  Three kinds of MSR, by who owns the state:
 *
 *  - switched with the guest: FS/GS base, KernelGSBase, the SYSCALL and
 *    SYSENTER MSRs.  A 64-bit kernel writes these on every CPU bring-up.
 *    VMX keeps FS/GS base and SYSENTER_* in the VMCS guest-state area;
 *    SVM's VMLOAD/VMSAVE switch all of them with the VMCB; the 64-bit host
 *    uses none of KernelGSBase/STAR/LSTAR/CSTAR/SFMASK (no SYSCALL, no
 *    SWAPGS).  So the guest reaches them directly: the backends clear their
 *    bits in the MSR bitmaps and never see an exit for them.
 *  - platform state a BIOS programs: TSC, platform id, APIC base, microcode
 *    revision, MISC_ENABLE, PAT, the MTRRs.  The host executes the access
 *    on the processor for the guest (the host itself has no use for them).
 *  - IA32_EFER: emulated.  The processor's EFER is the host's (LME/LMA: a
 *    64-bit host) and, on Penryn, cannot be switched by VM entry; the guest
 *    sees v->efer, and the backends derive IA-32e mode from it.
 *
 * Anything else gets #GP, as on a CPU without the MSR — never a blind
 * pass-through of VMX, SVM or feature-control MSRs, which belong to the
 * host.  A 64-bit Linux probes such MSRs with the _safe accessors.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/msr.h"
#include "host/vcpu.h"

/* traps.S: the access, with a #GP turned into -1 */
int host_rdmsr_safe(uint32_t msr, uint64_t *value);
int host_wrmsr_safe(uint32_t msr, uint64_t value);

const uint32_t msr_direct[] = {
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
};
const unsigned msr_direct_count = sizeof(msr_direct) / sizeof(msr_direct[0]);

static int msr_on_processor(uint32_t msr)
{
	return msr == 0x10 || msr == 0x17 || msr == 0x1b || msr == 0x8b || msr == 0xfe ||
	       msr == 0x1a0 || msr == 0x277 || msr == 0x2ff ||
	       (msr >= 0x200 && msr <= 0x20f) || msr == 0x250 || msr == 0x258 ||
	       msr == 0x259 || (msr >= 0x268 && msr <= 0x26f);
}

/* Does the processor have NX (CPUID.80000001H:EDX[20])?  Then EFER.NXE is
 * writable; otherwise setting it is #GP like any reserved bit. */
static uint64_t efer_writable(void)
{
	uint32_t r[4];
	uint64_t bits = X86_EFER_SCE | X86_EFER_LME;

	cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000001u) {
		cpuid(0x80000001u, 0, r);
		if (r[3] & (1u << 20))
			bits |= X86_EFER_NXE;
	}
	return bits;
}

/*
 * WRMSR to IA32_EFER (SDM Vol. 4 Table 2-2, Vol. 2B WRMSR; AMD APM Vol. 2
 * 3.1.7): reserved bits #GP; LMA is read-only (the write's bit is ignored);
 * changing LME while paging is on #GP.  Then the backend makes the
 * processor follow (IA-32e mode is LME && CR0.PG, taken at the next
 * CR0.PG change).
 */
static int efer_write(struct vcpu *v, uint64_t value)
{
	struct rmt_state st;
	uint64_t writable = efer_writable();

	backend_save_state(v, &st);
	if (value & ~(writable | X86_EFER_LMA))
		return -1;
	if ((st.cr0 & X86_CR0_PG) && ((value ^ v->efer) & X86_EFER_LME))
		return -1;
	v->efer = (v->efer & X86_EFER_LMA) | (value & writable);
	backend_set_control_registers(v, st.cr0, st.cr3, st.cr4);
	return 0;
}

static void refuse(struct vcpu *v, uint32_t msr, int is_write, const char *why)
{
	struct rmt_state st;

	backend_save_state(v, &st);
	host_printf("guest %s of MSR 0x%08x at %04x:%016llx refused with #GP (%s)\n",
		    is_write ? "WRMSR" : "RDMSR", msr, st.seg[RMT_CS].sel,
		    (unsigned long long)backend_get_rip(v), why);
	backend_inject_exception(v, X86_GP, 1, 0);
}

void exit_msr(struct vcpu *v, int is_write, unsigned len)
{
	uint32_t msr = (uint32_t)v->regs.r[RMT_ECX];
	uint64_t value = vcpu_edx_eax(v);

	if (msr == MSR_EFER) {
		if (is_write && efer_write(v, value)) {
			refuse(v, msr, is_write, "reserved bit, or LME changed with paging on");
			return;
		}
		if (!is_write)
			value = v->efer;
	} else if (msr_on_processor(msr)) {
		if (is_write ? host_wrmsr_safe(msr, value) : host_rdmsr_safe(msr, &value)) {
			refuse(v, msr, is_write, "the processor has no such MSR");
			return;
		}
	} else {
		refuse(v, msr, is_write, "not an MSR this host gives guests");
		return;
	}
	if (!is_write) {
		/* RDMSR writes EDX:EAX and clears bits 63:32 of RAX and RDX. */
		v->regs.r[RMT_EAX] = (uint32_t)value;
		v->regs.r[RMT_EDX] = (uint32_t)(value >> 32);
	}
	backend_set_rip(v, backend_get_rip(v) + len);
}

/*
 * The interpreter's window on the machine (struct interp_ops), implemented
 * with real accesses.  The monitor runs identity-mapped, so guest-physical
 * memory is read and written directly (the first 4 MiB through a private
 * alias, layout.h) — except the reserved window of the host and the blob: a
 * guest access that reaches it is refused (INTERP_MEMERR) and reported,
 * where hardware would have hit whatever a hypervisor maps there.
 *
 * Ports, MSRs and CPUID are executed for real: the host decides what they
 * do (pass-through, or a VM exit it handles), exactly as it would had the
 * guest executed them in protected mode.  So are the x87/SSE state
 * operations (fpu_op), on the processor's FPU, which holds the guest's state.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "vm86/interp.h"
#include "firmware/blob.h"

/* Guest memory, not the reserved window (the host and the blob). */
static int guest_range(uint32_t paddr, unsigned len)
{
	if (paddr + len < paddr)
		return 0;                      /* wraps past 4 GiB */
	return paddr + len <= RESERVED_WINDOW_BASE || paddr >= RESERVED_WINDOW_END;
}

/* Where the monitor reaches guest-physical paddr (layout.h): the first
 * 4 MiB through the private alias, never through the vm86 view. */
static void *monitor_view(uint32_t paddr)
{
	return (void *)(paddr < 0x400000 ? MONITOR_LOW_ALIAS + paddr : paddr);
}

static int read_phys(void *ctx, uint32_t paddr, void *buf, unsigned len)
{
	if (!guest_range(paddr, len))
		return -1;
	if (paddr < 0x400000 && paddr + len > 0x400000) {      /* straddles the alias */
		unsigned low = 0x400000 - paddr;
		memcpy(buf, monitor_view(paddr), low);
		memcpy((uint8_t *)buf + low, (const void *)0x400000, len - low);
		return 0;
	}
	memcpy(buf, monitor_view(paddr), len);
	return 0;
}

static int write_phys(void *ctx, uint32_t paddr, const void *buf, unsigned len)
{
	if (!guest_range(paddr, len))
		return -1;
	if (paddr < 0x400000 && paddr + len > 0x400000) {
		unsigned low = 0x400000 - paddr;
		memcpy(monitor_view(paddr), buf, low);
		memcpy((void *)0x400000, (const uint8_t *)buf + low, len - low);
		return 0;
	}
	memcpy(monitor_view(paddr), buf, len);
	return 0;
}

/*
 * The page at page (4 KiB-aligned, A20 already applied by the interpreter),
 * for direct access: exactly where read_phys/write_phys would copy from and
 * to — so only a page wholly outside the reserved window (guest_range), and
 * the first 4 MiB through the alias (a page never straddles its end).  The
 * last page of the address space is left to read_phys/write_phys
 * (guest_range sees page + 4 KiB wrap).
 */
static void *map_page(void *ctx, uint32_t page)
{
	return guest_range(page, 0x1000) ? monitor_view(page) : 0;
}

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = 0;

	if (ctx && a20_io_in(ctx, port, size, &v))
		return v;
	if (size == 1)
		__asm__ volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port));
	else if (size == 2)
		__asm__ volatile("inw %w1, %w0" : "=a"(v) : "Nd"(port));
	else
		__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return size == 1 ? (v & 0xff) : size == 2 ? (v & 0xffff) : v;
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
	if (ctx && a20_io_out(ctx, port, size, value))
		return;
	if (size == 1)
		__asm__ volatile("outb %b0, %w1" :: "a"(value), "Nd"(port));
	else if (size == 2)
		__asm__ volatile("outw %w0, %w1" :: "a"(value), "Nd"(port));
	else
		__asm__ volatile("outl %0, %w1" :: "a"(value), "Nd"(port));
}

/* RDMSR/WRMSR exit to the host, which injects #GP for MSRs it refuses; the
 * monitor has no #GP recovery of its own, so only pass what the host
 * handles.  The host's refusal then reaches the guest as a #GP the
 * interpreter raises. */
static int rdmsr_op(void *ctx, uint32_t msr, uint64_t *value)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	*value = ((uint64_t)hi << 32) | lo;
	return 0;
}

static int wrmsr_op(void *ctx, uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
	return 0;
}

static void cpuid_op(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	__asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(leaf), "c"(subleaf));
}

static uint64_t rdtsc_op(void *ctx)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * FXSAVE, FXRSTOR and the x87 control instructions the interpreter runs
 * (vm86/fpu.c), executed natively: the x87/SSE state in the processor is the
 * guest's — the monitor and the host never use the FPU or SSE (both are
 * built -mgeneral-regs-only), so it stays the guest's across the monitor and
 * across VM exits.  The interpreter has raised every fault from the
 * guest-visible CR0/CR4 already; what matters here is that the native
 * instruction, under the monitor's real control registers, neither faults
 * nor behaves differently from the guest's:
 *  - CR0.EM and CR0.TS are 0 in the monitor (MONITOR_CR0 at re-entry,
 *    cleared by tables_load at cold boot), whatever the guest's model says,
 *    so no #NM/#UD here; CR0.MP matters only with TS.
 *  - CR0.NE is 1 (VT-x requires it): it only decides how a pending x87
 *    exception is reported at a waiting instruction.  FXSAVE, FXRSTOR and
 *    the FN* forms do not wait; before FLDCW the interpreter has taken a
 *    pending exception itself (FSW.ES).
 *  - CR4.OSFXSR decides — implementation-dependently — whether FXSAVE and
 *    FXRSTOR include MXCSR and the XMM registers (QEMU and AMD leave them
 *    out without it).  The monitor runs with monitor_cr4, OSFXSR clear, and
 *    cannot switch it around one instruction: the reference host handles an
 *    intercepted CR0/CR4 write (SVM intercepts every one) by recomputing the
 *    paging mode from the guest-visible CR0, which would replace the
 *    monitor's page tables with the host's identity map.  So FXSAVE and
 *    FXRSTOR run only when the guest's OSFXSR is the monitor's (clear: the
 *    reset value, and what iPXE's real-mode code runs with); otherwise the
 *    instruction is refused, never run with another layout.
 */
static int fpu_op(void *ctx, enum interp_fpu_op op, void *buf, uint32_t guest_cr4)
{
	uint8_t (*image)[512] = buf;
	uint16_t *word = buf;

	if ((uint32_t)buf & 15)
		return -1;              /* interp.h promises alignment; FXSAVE would #GP */
	switch (op) {
	case INTERP_FPU_FXSAVE:
		if ((guest_cr4 ^ monitor_cr4) & X86_CR4_OSFXSR)
			return -1;
		/* "+m": the bytes FXSAVE does not write keep the guest's contents */
		__asm__ volatile("fxsave %0" : "+m"(*image));
		return 0;
	case INTERP_FPU_FXRSTOR:
		if ((guest_cr4 ^ monitor_cr4) & X86_CR4_OSFXSR)
			return -1;
		__asm__ volatile("fxrstor %0" :: "m"(*image));
		return 0;
	case INTERP_FPU_FNSTSW:
		__asm__ volatile("fnstsw %0" : "=m"(*word));
		return 0;
	case INTERP_FPU_FNSTCW:
		__asm__ volatile("fnstcw %0" : "=m"(*word));
		return 0;
	case INTERP_FPU_FLDCW:
		__asm__ volatile("fldcw %0" :: "m"(*word));
		return 0;
	case INTERP_FPU_FNINIT:
		__asm__ volatile("fninit");
		return 0;
	case INTERP_FPU_FNCLEX:
		__asm__ volatile("fnclex");
		return 0;
	}
	return -1;
}

const struct interp_ops blob_interp_ops = {
	.ctx = 0,
	.read_phys = read_phys,
	.write_phys = write_phys,
	.io_in = io_in,
	.io_out = io_out,
	.rdmsr = rdmsr_op,
	.wrmsr = wrmsr_op,
	.cpuid = cpuid_op,
	.rdtsc = rdtsc_op,
	.fpu = fpu_op,
	.map_page = map_page,
};

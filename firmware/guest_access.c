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
 * guest executed them in protected mode.
 */
#include <stdint.h>
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
};

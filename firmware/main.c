/*
 * The blob's C entry points: cold boot (from the loader), re-entry (from
 * the host, after the guest cleared CR0.PE) and AP start.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "segments/transitions.h"
#include "firmware/blob.h"

void blob_cold_main(const struct rmt_boot_info *bi) __attribute__((noreturn));

uint32_t blob_boot_flags;
void blob_reentry_main(unsigned vcpu) __attribute__((noreturn));
void blob_ap_main(unsigned vcpu) __attribute__((noreturn));

/* Until the host has filled the hypercall stub, a failure can only be
 * printed; the HLT with IF=0 makes the host stop the machine. */
static void __attribute__((noreturn)) early_failure(const char *why)
{
	blob_printf("FATAL: %s\n", why);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* CPUID 0x40000001 with EBX = our header: the host checks it and writes
 * VMCALL or VMMCALL into the hypercall stub. */
static int register_with_host(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(RMT_CPUID_SIGNATURE), "c"(0));
	if (a < RMT_CPUID_REGISTER)
		return -1;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(RMT_CPUID_REGISTER), "b"((uint32_t)&blob_header), "c"(0));
	return a == 0 ? 0 : -1;
}

static void context_init(unsigned n)
{
	struct rmt_vcpu_context *ctx = &blob_contexts[n];

	memset(ctx, 0, sizeof(*ctx));
	ctx->magic = RMT_CONTEXT_MAGIC;
	ctx->vcpu = n;
	monitor_state(n, &ctx->monitor);
	ctx->ready = 1;
}

void blob_cold_main(const struct rmt_boot_info *bi)
{
	struct blob_vcpu *b = &blob_vcpus[0];

	if (bi && bi->magic == RMT_BOOT_MAGIC && (bi->flags & RMT_BOOT_CONSOLE_COM1))
		console_enable_com1();
	blob_printf("rmtramp ABI %u, blob at 0x%08x, %u vCPU slots%s\n", RMT_ABI_VERSION,
		    blob_header.load_addr, BLOB_MAX_VCPUS,
		    BLOB_FEATURES ? " (TEST BUILD: hands off a bad SS.RPL)" : "");
	if (!bi || bi->magic != RMT_BOOT_MAGIC || bi->size < sizeof(*bi) ||
	    (bi->flags & ~RMT_BOOT_FLAGS_KNOWN))
		early_failure("bad boot record from the loader");
	tables_init();
	tables_load(0);
	for (unsigned n = 0; n < BLOB_MAX_VCPUS; n++)
		context_init(n);
	/* Register last: the host then sets the read shadows from
	 * context.guest, the state the guest starts in (docs/abi.md §3). */
	blob_contexts[0].guest = bi->guest;
	if (register_with_host())
		early_failure("the host did not accept the blob (CPUID 0x40000001)");

	blob_boot_flags = bi->flags;
	b->cpu.s = bi->guest;
	for (unsigned r = 0; r < RMT_NSEG; r++)
		b->cpu.origin[r] = SEG_FROM_BOOT;
	b->cpu.cpl = 0;
	b->cpu.a20 = 1;
	b->a20_open = 1;
	blob_log_state(b, "cold boot, guest starts");
	if (blob_boot_flags & RMT_BOOT_TRACE) {
		const uint8_t *p = (const uint8_t *)(b->cpu.s.seg[RMT_CS].base + b->cpu.s.eip);
		blob_printf("vcpu0 first bytes at the guest's CS:EIP: %02x %02x %02x %02x %02x\n",
			    p[0], p[1], p[2], p[3], p[4]);
	}
	run_guest(b);
}

/*
 * Without UMIP, SGDT and SIDT in vm86 store the monitor's GDTR/IDTR
 * (docs/monitor.md).  A guest that saved one so in real mode and reloads it
 * in protected mode comes back with the monitor's table as its own — iPXE's
 * virt_call does exactly that with the IDTR — and its next real-mode INT
 * reads the monitor's IDT as its IVT.  Nothing can be corrected exactly
 * here, but the console says what happened (once per table and vCPU).
 */
static void report_leaked_table(struct blob_vcpu *b, const char *name, unsigned bit,
				const struct rmt_dtable *guest, const struct rmt_dtable *monitor)
{
	if ((monitor_cr4 & X86_CR4_UMIP) || (b->leak_reported & bit))
		return;
	if (guest->limit != monitor->limit ||
	    (guest->base != monitor->base && guest->base != (monitor->base & 0x00ffffffu)))
		return;
	blob_printf("vcpu%u warning: the guest's %s %08x/%x is the monitor's, as %s stores it "
		    "in vm86 without UMIP: the guest saved it in real mode and reloaded it\n",
		    b->index, name, guest->base, guest->limit, name[0] == 'G' ? "SGDT" : "SIDT");
	b->leak_reported |= bit;
}

void blob_reentry_main(unsigned vcpu)
{
	struct blob_vcpu *b;

	if (vcpu >= BLOB_MAX_VCPUS)
		early_failure("re-entered with a bad vCPU index");
	b = &blob_vcpus[vcpu];
	b->ctx->counters[RMT_CTR_REENTRIES]++;
	if (b->ctx->entry_reason != RMT_ENTRY_PE_CLEARED)
		blob_fatal(b, RMT_FATAL_BAD_STATE, "re-entered for unknown reason %u",
			   b->ctx->entry_reason);
	guest_cpu_import_host(&b->cpu, &b->ctx->guest);
	report_leaked_table(b, "GDTR", 1, &b->cpu.s.gdtr, &b->ctx->monitor.gdtr);
	report_leaked_table(b, "IDTR", 2, &b->cpu.s.idtr, &b->ctx->monitor.idtr);
	a20_after_reentry(b);
	blob_log_state(b, "reentry, guest cleared PE");
	blob_magic_break();
	run_guest(b);
}

void blob_ap_main(unsigned vcpu)
{
	early_failure("AP start is not implemented yet");
}

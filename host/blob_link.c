/*
 * The blob-specific part of the reference host: registration, the three
 * hypercalls, and entering the blob when the guest clears CR0.PE.  Everything
 * here uses only include/rmtramp/abi.h; docs/integrating.md walks through it
 * as the template for adopting the blob in another hypervisor.
 *
 * The host runs with an identity map, so guest-physical addresses the blob
 * hands over are dereferenced directly — after a range check, since the
 * blob is guest code and its numbers are input.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "lib/fmt.h"
#include "host/blob_link.h"
#include "host/console.h"
#include "host/vcpu.h"

static const struct rmt_header *header;

/* VMCALL (0F 01 C1) or VMMCALL (0F 01 D9), then RET. */
static const uint8_t stub_vmcall[] = { 0x0f, 0x01, 0xc1, 0xc3 };
static const uint8_t stub_vmmcall[] = { 0x0f, 0x01, 0xd9, 0xc3 };

/* Is [addr, addr+len) inside the blob's reserved memory? */
static int in_blob(uint32_t addr, uint32_t len)
{
	return header && addr >= header->load_addr && len <= header->mem_size &&
	       addr - header->load_addr <= header->mem_size - len;
}

/*
 * While the blob runs the guest in vm86, SMSW — which vm86 does not trap —
 * reads the CR0 read shadow for the bits the host owns (PE, NE, PG).  So
 * whenever the blob is entered for a guest, the shadows show the guest's
 * CR0/CR4, not the monitor's: a real-mode guest reads PE = 0.
 */
static void shadow_guest_control_registers(struct vcpu *v, const struct rmt_vcpu_context *ctx)
{
	backend_set_read_shadows(v, ctx->guest.cr0, ctx->guest.cr4);
}

/*
 * While the blob runs the guest's real-mode code in vm86, SGDT and SIDT —
 * which vm86 does not trap without UMIP — would store the monitor's tables
 * (iPXE saves its IDTR that way in real mode and reloads it later).  Where
 * the processor lets the host intercept them (SVM), they come back to the
 * blob as #GP(0) and it answers from the guest's tables; off again once
 * the guest runs on its own.
 */
static void blob_runs_guest(struct vcpu *v, int yes)
{
	backend->trap_descriptor_reads(v, yes);
}

int blob_register(struct vcpu *v, uint32_t addr, unsigned flavour)
{
	const struct rmt_header *h = (const struct rmt_header *)(uintptr_t)addr;
	const struct rmt_header *old = header;
	uint8_t *stub;

	/*
	 * Once: the blob registers at its cold entry, before any guest code
	 * runs; after that the leaf is only ever a guest's — an OS probing
	 * hypervisor leaves, or a guest trying to pass its own memory off as
	 * the blob and so make hypercalls.  Neither may change what the host
	 * trusts.
	 */
	if (header) {
		host_printf("blob registration at 0x%08x refused: a blob is registered already\n",
			    addr);
		return RMT_E_BADSTATE;
	}
	if (addr < 0x100000 || addr > 0xfff00000 || (addr & 0xfff) ||
	    h->magic != RMT_HEADER_MAGIC || h->abi_version != RMT_ABI_VERSION ||
	    h->header_size < sizeof(*h) || h->load_addr != addr ||
	    h->image_size > h->mem_size || h->max_vcpus == 0) {
		host_printf("blob registration at 0x%08x refused: bad header\n", addr);
		return RMT_E_BADARG;
	}
	header = h;
	if (!in_blob(h->hypercall_stub, RMT_STUB_SIZE) ||
	    h->hypercall_stub + RMT_STUB_SIZE > h->load_addr + h->image_size ||
	    !in_blob(h->context_base, h->context_stride * h->max_vcpus) ||
	    h->context_stride < sizeof(struct rmt_vcpu_context)) {
		header = old;
		host_printf("blob registration at 0x%08x refused: stub or contexts out of range\n",
			    addr);
		return RMT_E_BADARG;
	}
	stub = (uint8_t *)(uintptr_t)h->hypercall_stub;
	memset(stub, 0xcc, RMT_STUB_SIZE);
	memcpy(stub, flavour == RMT_HCI_VMMCALL ? stub_vmmcall : stub_vmcall, 4);
	if (blob_context(v->index))
		shadow_guest_control_registers(v, blob_context(v->index));
	blob_runs_guest(v, 1);
	host_printf("blob registered: ABI %u at 0x%08x, %u KiB, %u vCPU context(s)%s\n",
		    h->abi_version, addr, h->mem_size / 1024, h->max_vcpus,
		    (h->features & RMT_FEAT_TEST_BAD_SS_RPL) ? ", TEST BUILD: bad SS.RPL" : "");
	return RMT_OK;
}

const struct rmt_header *blob_header(void)
{
	return header;
}

struct rmt_vcpu_context *blob_context(unsigned vcpu)
{
	struct rmt_vcpu_context *ctx;

	if (!header || vcpu >= header->max_vcpus)
		return 0;
	ctx = (struct rmt_vcpu_context *)(uintptr_t)(header->context_base +
						   vcpu * header->context_stride);
	return ctx->magic == RMT_CONTEXT_MAGIC && ctx->ready ? ctx : 0;
}

/*
 * The guest wrote CR0 with PE=0.  VMX without unrestricted guest cannot run
 * that, so save the guest as it is *after* the write into its context and
 * enter the blob's monitor state at the re-entry point.
 */
void blob_enter_after_pe_clear(struct vcpu *v, uint32_t new_cr0, unsigned len)
{
	struct rmt_vcpu_context *ctx = blob_context(v->index);
	struct rmt_state monitor;

	if (!ctx) {
		struct rmt_state st;
		backend_save_state(v, &st);
		host_printf("FATAL: the guest cleared CR0.PE at %04x:%08x but no rmtramp blob is "
			    "registered for vCPU %u\n", st.seg[RMT_CS].sel, st.eip, v->index);
		host_print_state("guest state", &st);
		host_stop(1);
	}
	backend_save_state(v, &ctx->guest);
	ctx->guest.eip += len;
	ctx->guest.cr0 = new_cr0;
	ctx->guest.interruptibility = 0;   /* the MOV retired: no blocking remains */
	ctx->entry_reason = RMT_ENTRY_PE_CLEARED;
	ctx->entry_info = new_cr0;
	monitor = ctx->monitor;
	monitor.eip = header->entry_reentry;
	backend_load_state(v, &monitor);
	shadow_guest_control_registers(v, ctx);
	blob_runs_guest(v, 1);
	v->transitions++;
}

static void copy_message(char *dst, uint32_t addr, uint32_t len)
{
	if (len >= RMT_MSG_MAX)
		len = RMT_MSG_MAX - 1;
	if (!in_blob(addr, len)) {
		memcpy(dst, "(message outside the blob)", 27);
		return;
	}
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	dst[len] = 0;
}

void blob_hypercall(struct vcpu *v, unsigned len)
{
	struct rmt_vcpu_context *ctx = blob_context(v->index);
	/* The blob is 32-bit code: its arguments are the low halves. */
	uint32_t nr = (uint32_t)v->regs.r[RMT_EAX];
	uint32_t ebx = (uint32_t)v->regs.r[RMT_EBX], ecx = (uint32_t)v->regs.r[RMT_ECX];
	char msg[RMT_MSG_MAX];
	struct rmt_state st;

	backend_save_state(v, &st);
	if (!ctx || !in_blob(st.eip, 1)) {
		host_printf("FATAL: hypercall %u from %04x:%08x, which is not a registered blob\n",
			    nr, st.seg[RMT_CS].sel, st.eip);
		host_print_state("caller state", &st);
		host_stop(1);
	}
	switch (nr) {
	case RMT_HC_HANDOFF:
		backend_load_state(v, &ctx->guest);
		blob_runs_guest(v, 0);
		v->transitions++;
		return;
	case RMT_HC_FATAL:
		copy_message(msg, ecx, RMT_MSG_MAX - 1);
		host_printf("FATAL from the blob (reason %u): %s\n", ebx, msg);
		host_print_state("guest state the blob reported", &ctx->guest);
		host_stop(1);
	case RMT_HC_CONSOLE: {
		uint32_t n = ecx;
		if (n > RMT_MSG_MAX || !in_blob(ebx, n)) {
			v->regs.r[RMT_EAX] = (uint32_t)RMT_E_BADARG;
		} else {
			copy_message(msg, ebx, n);
			host_puts(msg);
			v->regs.r[RMT_EAX] = RMT_OK;
		}
		break;
	}
	default:
		host_printf("FATAL: unknown hypercall %u from the blob at %04x:%08x\n", nr,
			    st.seg[RMT_CS].sel, st.eip);
		host_print_state("caller state", &st);
		host_stop(1);
	}
	backend_set_rip(v, st.eip + len);
}

void blob_print_counters(void)
{
	static const char *const names[RMT_NCOUNTERS] = {
#define RMT_COUNTER_NAME(id, name) name,
		RMT_COUNTER_LIST(RMT_COUNTER_NAME)
#undef RMT_COUNTER_NAME
	};

	if (!header)
		return;
	for (unsigned i = 0; i < header->max_vcpus; i++) {
		struct rmt_vcpu_context *ctx = blob_context(i);
		char line[400];
		unsigned n = 0;

		if (!ctx)
			continue;
		for (unsigned c = 0; c < RMT_NCOUNTERS && n < sizeof(line); c++)
			n += (unsigned)rmt_snprintf(line + n, sizeof(line) - n, " %s=%u", names[c],
						    ctx->counters[c]);
		host_printf("blob vcpu%u counters:%s\n", i, line);
	}
}

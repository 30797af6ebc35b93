/*
 * The reference hypervisor: machine firmware that turns on VMX and launches
 * the guest image the way Xen launches hvmloader — flat 32-bit protected
 * mode, paging off as the guest sees it, at the entry its header names.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "loader/image_header.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/desc.h"
#include "host/vcpu.h"
#include "host/memmap.h"
#include "host/chipset.h"
#ifdef HOST_ORACLE
#include "host/oracle.h"
#endif

void host_main(void);
void host_paging_init(void);
void host_track_vcpu(struct vcpu *v);

static struct vcpu vcpu0;

/* A flat code or data segment as a VMCS guest segment. */
static void flat_segment(struct rmt_segment *s, uint16_t sel, unsigned type)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffff;
	s->ar = type | RMT_AR_S | RMT_AR_P | RMT_AR_DB | RMT_AR_G;
}

static void launch_state(struct rmt_state *st, const struct loader_image_header *h)
{
	memset(st, 0, sizeof(*st));
	for (unsigned s = RMT_ES; s <= RMT_GS; s++)
		flat_segment(&st->seg[s], 0x10, 0x3);
	flat_segment(&st->seg[RMT_CS], 0x08, 0xb);
	st->seg[RMT_LDTR].ar = RMT_AR_UNUSABLE;
	/* TR must be usable for VM entry (rule 23): the power-on TR, marked as
	 * a busy 32-bit TSS. */
	st->seg[RMT_TR].limit = 0xffff;
	st->seg[RMT_TR].ar = 0xb | RMT_AR_P;
	st->eip = h->entry;
	st->eflags = X86_FL_FIXED;
	st->cr0 = X86_CR0_PE | X86_CR0_ET;
	st->dr7 = 0x400;
}

const struct backend *backend;

/*
 * The ports the host handles: 0xF4 (QEMU isa-debug-exit) and 0x8900 (Bochs'
 * shutdown port) end a run, so the host prints its counters first; the PCI
 * configuration ports (chipset.c); CMOS and fw_cfg (memmap.c).  chipset.c
 * adds the ACPI PM1a control port once the guest's BIOS has placed it.
 */
static void host_intercept_ports(void)
{
	backend->set_io_intercept(0xf4, 1);
	backend->set_io_intercept(0x8900, 1);
	for (const uint16_t *p = chipset_ports; *p; p++)
		backend->set_io_intercept(*p, 1);
	for (const uint16_t *p = memmap_ports; *p; p++)
		backend->set_io_intercept(*p, 1);
}

/* XSETBV, executed for a guest (exit_xsetbv), needs CR4.OSXSAVE in the
 * host (else #UD); VM exit loads the host CR4 the backend records at init,
 * after this. */
static void enable_host_xsetbv(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if (r[2] & (1u << 26))          /* CPUID.1:ECX.XSAVE */
		write_cr4(read_cr4() | X86_CR4_OSXSAVE);
}

/* The processor decides: VT-x on Bochs' Penryn, SVM on QEMU TCG. */
static const struct backend *choose_backend(void)
{
	if (vmx_backend.probe())
		return &vmx_backend;
	if (svm_backend.probe())
		return &svm_backend;
	return 0;
}

void host_main(void)
{
	const struct loader_image_header *h = (const void *)LOADER_BASE;
	struct rmt_state st;

	host_tables_init();
	host_paging_init();
	enable_host_xsetbv();
	backend = choose_backend();
	if (!backend) {
		host_printf("FATAL: this CPU has neither VMX nor SVM; run under Bochs with cpu "
			    "model core2_penryn_t9600, or QEMU with -cpu qemu64,+svm\n");
		host_stop(1);
	}
	host_printf("rmtramp reference host (%s backend)\n", backend->name);
	backend->init();
	host_intercept_ports();
#ifdef HOST_ORACLE
	/* The oracle flavour: no guest image, a file of states (host/oracle.c). */
	oracle_main(&vcpu0);
#endif
	memmap_init();
	if (h->magic != LOADER_MAGIC) {
		host_printf("FATAL: no guest image at 0x%08x (magic 0x%08x, want 0x%08x)\n",
			    LOADER_BASE, h->magic, LOADER_MAGIC);
		host_stop(1);
	}
	host_printf("launching guest image at 0x%08x, entry 0x%08x\n", LOADER_BASE, h->entry);
	launch_state(&st, h);
	host_track_vcpu(&vcpu0);
	backend_load_state(&vcpu0, &st);
	backend->run(&vcpu0);
}

/*
 * The monitor's descriptor tables, TSSs and page tables.
 *
 * GDT: flat code and data for the monitor (DPL 0) and one TSS per vCPU.
 * The TSS matters more here than in most kernels: an interrupt or exception
 * from virtual-8086 mode switches to the stack in TSS.SS0:ESP0, its I/O
 * permission bitmap decides which guest port accesses run natively in vm86
 * (there IOPL is not consulted for I/O, SDM Vol. 1 20.2.8), and VM entry
 * requires a usable busy TSS in TR (SDM Vol. 3C 26.3.1.2).
 *
 * IDT: 256 interrupt gates of DPL 0.  DPL 0 matters: a software INT n from
 * vm86 with IOPL < 3 raises #GP before the gate is even looked at, and
 * hardware interrupts ignore the gate's DPL, so every vector that arrives
 * through its own gate is an exception or a hardware interrupt — never the
 * guest's INT n.
 *
 * Paging: the guest's first 4 MiB (all a vm86 guest can address is below
 * 0x10FFF0) in 4 KiB user pages, so the A20 gate can later be emulated
 * page by page; everything above in 4 MiB supervisor pages — the monitor and
 * the host are out of reach of CPL-3 vm86 code.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "firmware/blob.h"

static uint64_t blob_gdt[BLOB_GDT_ENTRIES] __attribute__((aligned(8)));
static uint64_t blob_idt[256] __attribute__((aligned(8)));
static uint32_t page_directory[1024] __attribute__((aligned(4096), section(".bss.pages")));
static uint32_t low_page_table[1024] __attribute__((aligned(4096), section(".bss.pages")));

struct blob_vcpu blob_vcpus[BLOB_MAX_VCPUS];
struct rmt_vcpu_context blob_contexts[BLOB_MAX_VCPUS]
	__attribute__((aligned(BLOB_CONTEXT_STRIDE)));
_Static_assert(sizeof(struct rmt_vcpu_context) <= BLOB_CONTEXT_STRIDE, "context stride");

extern char blob_trap_stubs[];

#define PTE_P  0x001u
#define PTE_RW 0x002u
#define PTE_US 0x004u
#define PTE_PS 0x080u

#define MONITOR_CR0 (X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG)
/* CR4 of the monitor: PSE for the 4 MiB pages, VME where the processor has
 * it (Bochs does; QEMU TCG filters the CPUID bit and ignores CR4.VME), and
 * UMIP where it has that: then SGDT, SIDT and SMSW trap in vm86 (CPL 3) and
 * the interpreter answers from the guest's model; without UMIP they run
 * natively and store the monitor's GDTR/IDTR and CR0 (docs/monitor.md).
 * tables_init() decides. */
uint32_t monitor_cr4 = X86_CR4_PSE;

static uint64_t segment_descriptor(uint32_t base, uint32_t limit, unsigned access, unsigned flags)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
}

/*
 * The A20 gate (a20.c): with it closed, the linear pages 0x100000-0x10FFFF
 * map to 0x00000-0x0FFFF, the 8086 wrap.  The page tables are the
 * machine's, like the gate.
 */
void tables_set_a20(int open)
{
	for (uint32_t page = 0x100; page < 0x110; page++) {
		uint32_t frame = open ? page : page - 0x100;
		low_page_table[page] = (frame << 12) | PTE_P | PTE_RW | PTE_US;
		__asm__ volatile("invlpg (%0)" :: "r"(page << 12) : "memory");
	}
}

static void tss_init(struct blob_vcpu *b)
{
	uint8_t *t = b->tss;
	uint32_t esp0 = (uint32_t)esp0_slot_of(b);

	memset(t, 0, TSS_SIZE);
	*(uint32_t *)(t + 4) = esp0;                   /* ESP0 */
	*(uint32_t *)(t + 8) = BLOB_DS;                /* SS0 */
	/* I/O map base: the redirection bitmap is the 32 bytes below it.  It
	 * stays all zero: with CR4.VME every INT n is "redirected" to the
	 * guest's vector table by the processor, without a trap (SDM Vol. 3A
	 * 20.3.3.5, method 5). */
	*(uint16_t *)(t + 102) = TSS_BASE_SIZE + TSS_IRB_SIZE;
	t[TSS_SIZE - 1] = 0xff;
	/* Ports the monitor emulates trap in vm86 (the bitmap is consulted for
	 * every vm86 I/O instruction, whatever IOPL). */
	for (const uint16_t *p = a20_ports; *p; p++)
		t[TSS_BASE_SIZE + TSS_IRB_SIZE + *p / 8] |= (uint8_t)(1u << (*p % 8));
}

void tables_init(void)
{
	uint32_t eax, ebx, ecx, edx, max_leaf;

	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0), "c"(0));
	max_leaf = eax;
	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
	if (edx & (1u << 1))           /* CPUID.1:EDX.VME */
		monitor_cr4 |= X86_CR4_VME;
	if (max_leaf >= 7) {
		__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
				 : "a"(7), "c"(0));
		if (ecx & (1u << 2))   /* CPUID.(7,0):ECX.UMIP */
			monitor_cr4 |= X86_CR4_UMIP;
	}
	blob_gdt[0] = 0;
	blob_gdt[BLOB_CS / 8] = segment_descriptor(0, 0xfffff, 0x9b, 0xc);
	blob_gdt[BLOB_DS / 8] = segment_descriptor(0, 0xfffff, 0x93, 0xc);
	for (unsigned n = 0; n < BLOB_MAX_VCPUS; n++) {
		struct blob_vcpu *b = &blob_vcpus[n];

		b->index = n;
		b->ctx = &blob_contexts[n];
		b->ops = blob_interp_ops;
		b->ops.ctx = b;
		memset(&b->dcache, 0, sizeof(b->dcache));
		b->ops.dcache = &b->dcache;
		tss_init(b);
		/* Available 32-bit TSS for vCPU 0, which loads it with LTR
		 * (which marks it busy); the others are entered by the host
		 * with TR already busy, so their descriptors say so too. */
		blob_gdt[BLOB_TSS0 / 8 + n] = segment_descriptor((uint32_t)b->tss, TSS_SIZE - 1,
								 n ? 0x8b : 0x89, 0);
	}
	for (unsigned v = 0; v < 256; v++) {
		uint32_t h = (uint32_t)blob_trap_stubs + 16 * v;
		blob_idt[v] = (h & 0xffff) | ((uint64_t)BLOB_CS << 16) | (0x8eull << 40) |
			      ((uint64_t)(h >> 16) << 48);
	}
	for (uint32_t i = 0; i < 1024; i++)
		low_page_table[i] = (i << 12) | PTE_P | PTE_RW | PTE_US;
	page_directory[0] = (uint32_t)low_page_table | PTE_P | PTE_RW | PTE_US;
	for (uint32_t i = 1; i < 1024; i++)
		page_directory[i] = (i << 22) | PTE_P | PTE_RW | PTE_PS;
	page_directory[MONITOR_LOW_ALIAS >> 22] = 0 | PTE_P | PTE_RW | PTE_PS;
}

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint32_t base;
};

/* Load the tables and turn on paging, on the calling vCPU.  CR3, CR4.PSE
 * and CR0.PG are written in that order; the host intercepts the CR0/CR4
 * writes (PG and PSE are bits it shadows) and switches from its identity
 * tables to ours. */
void tables_load(unsigned vcpu)
{
	struct dtr g = { sizeof(blob_gdt) - 1, (uint32_t)blob_gdt };
	struct dtr i = { sizeof(blob_idt) - 1, (uint32_t)blob_idt };
	uint32_t cr0;

	__asm__ volatile("lgdt %0" :: "m"(g));
	__asm__ volatile("lidt %0" :: "m"(i));
	load_monitor_segments();
	__asm__ volatile("ltr %w0" :: "r"(BLOB_TSS0 + 8 * vcpu));
	__asm__ volatile("mov %0, %%cr3" :: "r"(page_directory) : "memory");
	__asm__ volatile("mov %0, %%cr4" :: "r"(monitor_cr4) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* TS and EM clear: the interpreter runs the guest's FXSAVE/FXRSTOR and
	 * x87 control instructions natively (guest_access.c), after raising
	 * #NM/#UD from the guest's own CR0. */
	cr0 = (cr0 & ~(X86_CR0_TS | X86_CR0_EM)) | MONITOR_CR0;
	__asm__ volatile("mov %0, %%cr0" :: "r"(cr0) : "memory");
}

static void flat(struct rmt_segment *s, uint16_t sel, unsigned type)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffff;
	s->ar = type | RMT_AR_S | RMT_AR_P | RMT_AR_DB | RMT_AR_G;
}

/* The state that enters the monitor on `vcpu` (context.monitor). */
void monitor_state(unsigned vcpu, struct rmt_state *st)
{
	struct blob_vcpu *b = &blob_vcpus[vcpu];

	memset(st, 0, sizeof(*st));
	for (unsigned s = RMT_ES; s <= RMT_GS; s++)
		flat(&st->seg[s], BLOB_DS, 0x3);
	flat(&st->seg[RMT_CS], BLOB_CS, 0xb);
	st->seg[RMT_LDTR].ar = RMT_AR_UNUSABLE;
	st->seg[RMT_TR].sel = BLOB_TSS0 + 8 * vcpu;
	st->seg[RMT_TR].base = (uint32_t)b->tss;
	st->seg[RMT_TR].limit = TSS_SIZE - 1;
	st->seg[RMT_TR].ar = 0xb | RMT_AR_P;
	st->gdtr.base = (uint32_t)blob_gdt;
	st->gdtr.limit = sizeof(blob_gdt) - 1;
	st->idtr.base = (uint32_t)blob_idt;
	st->idtr.limit = sizeof(blob_idt) - 1;
	st->cr0 = MONITOR_CR0;
	st->cr3 = (uint32_t)page_directory;
	st->cr4 = monitor_cr4;
	st->eflags = X86_FL_FIXED;
	st->gpr[RMT_EAX] = vcpu;
	st->gpr[RMT_ESP] = (uint32_t)(b->stack + BLOB_STACK_SIZE);
	st->dr7 = 0x400;
}

/* TSS.ESP0: the last word of the page-aligned trap stack (layout.h). */
uint32_t *esp0_slot_of(struct blob_vcpu *b)
{
	return (uint32_t *)(b->trap_stack + TRAP_STACK_TOP_OFFSET);
}

/* The frame vm86_enter runs from: right below TSS.ESP0, whose word holds
 * the monitor's stack pointer during a vm86 run. */
struct vm86_frame *vm86_frame_of(struct blob_vcpu *b)
{
	return (struct vm86_frame *)((uint8_t *)esp0_slot_of(b) - sizeof(struct vm86_frame));
}

/*
 * The host's descriptor tables.  VMX needs a host TR with a non-null
 * selector (SDM Vol. 3C 26.2.3: "the selector field for TR cannot be
 * 0000H"), so the host has a TSS even though it never switches tasks; it
 * loads the GDT, IDT and TR once and VM exits restore them from the VMCS host
 * fields.
 */
#include <stdint.h>
#include "host/console.h"
#include "host/desc.h"
#include "host/cpu.h"
#include "host/vcpu.h"

static uint64_t gdt[4] __attribute__((aligned(8)));
static uint64_t idt[32] __attribute__((aligned(8)));
static uint32_t tss[26] __attribute__((aligned(16)));  /* 104-byte 32-bit TSS */

extern char host_trap_stubs[];
extern char host_stack_top[];

/* A code/data descriptor, flat: base 0, limit 4 GiB, G=1, D/B=1. */
#define FLAT_DESCRIPTOR(type) (0x00cf00000000ffffull | ((uint64_t)(0x90 | (type)) << 40))

static uint64_t system_descriptor(uint32_t base, uint32_t limit, unsigned type)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)(0x80 | type) << 40) | ((uint64_t)(limit >> 16 & 0xf) << 48) |
	       ((uint64_t)(base >> 24) << 56);
}

static uint64_t interrupt_gate(uint32_t handler)
{
	return (handler & 0xffff) | ((uint64_t)HOST_CS << 16) | (0x8eull << 40) |
	       ((uint64_t)(handler >> 16) << 48);
}

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint32_t base;
};

void host_tables_init(void)
{
	struct dtr g = { sizeof(gdt) - 1, (uint32_t)gdt };
	struct dtr i = { sizeof(idt) - 1, (uint32_t)idt };

	gdt[HOST_CS / 8] = FLAT_DESCRIPTOR(0xb);   /* execute/read, accessed */
	gdt[HOST_DS / 8] = FLAT_DESCRIPTOR(0x3);   /* read/write, accessed */
	gdt[HOST_TR / 8] = system_descriptor((uint32_t)tss, sizeof(tss) - 1, 0x9);
	tss[1] = (uint32_t)host_stack_top;          /* esp0, unused at CPL 0 */
	tss[2] = HOST_DS;                           /* ss0 */
	tss[25] = sizeof(tss) << 16;                /* no I/O bitmap */
	for (unsigned v = 0; v < 32; v++)
		idt[v] = interrupt_gate((uint32_t)host_trap_stubs + 16 * v);

	__asm__ volatile("lgdt %0" :: "m"(g));
	__asm__ volatile("lidt %0" :: "m"(i));
	__asm__ volatile("ljmp %0, $1f\n1:" :: "i"(HOST_CS));
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss; mov %0, %%fs; mov %0, %%gs"
			 :: "r"(HOST_DS));
	__asm__ volatile("ltr %w0" :: "r"(HOST_TR));
}

uint32_t host_gdt_base(void) { return (uint32_t)gdt; }
uint32_t host_idt_base(void) { return (uint32_t)idt; }
uint32_t host_tss_base(void) { return (uint32_t)tss; }

struct trap_frame {
	uint32_t vector, error, eip, cs, eflags;
};

void host_exception(struct trap_frame *f);
void host_exception(struct trap_frame *f)
{
	host_printf("FATAL: host exception %u (error 0x%x) at %04x:%08x eflags=%08x cr2=%08x\n",
		    f->vector, f->error, f->cs, f->eip, f->eflags,
		    ({ uint32_t c; __asm__ volatile("mov %%cr2,%0" : "=r"(c)); c; }));
	host_stop(1);
}

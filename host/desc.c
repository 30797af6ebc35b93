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

static uint64_t gdt[5] __attribute__((aligned(8)));
static uint64_t idt[2 * 32] __attribute__((aligned(16)));   /* 16-byte gates */
/* The 104-byte 64-bit TSS (SDM Vol. 3A 8.7): RSP0-2, IST1-7, I/O map base. */
static uint32_t tss[26] __attribute__((aligned(16)));

extern char host_trap_stubs[];
extern char host_stack_top[];

/* A 64-bit code segment (L=1, D=0) and a flat data segment (SDM Vol. 3A
 * 5.2.1: in 64-bit mode base and limit are ignored, but VM exit loads SS
 * and DS from these selectors with the usual checks). */
#define CODE64_DESCRIPTOR 0x00af9b000000ffffull
#define DATA_DESCRIPTOR   0x00cf93000000ffffull

/* A system descriptor in IA-32e mode is 16 bytes: the usual 8, then base
 * bits 63:32 (SDM Vol. 3A 8.2.3).  The host lives below 4 GiB. */
static uint64_t system_descriptor(uint64_t base, uint32_t limit, unsigned type)
{
	return (limit & 0xffffull) | ((base & 0xffffff) << 16) |
	       ((uint64_t)(0x80 | type) << 40) | ((uint64_t)(limit >> 16 & 0xf) << 48) |
	       ((base >> 24 & 0xff) << 56);
}

/* A 64-bit interrupt gate: offset 15:0, selector, IST 0, type 0xE, P=1,
 * offset 31:16, then offset 63:32 (SDM Vol. 3A 6.14.1). */
static void interrupt_gate(uint64_t *slot, uint64_t handler)
{
	slot[0] = (handler & 0xffff) | ((uint64_t)HOST_CS << 16) | (0x8eull << 40) |
		  ((handler >> 16 & 0xffff) << 48);
	slot[1] = handler >> 32;
}

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

void host_tables_init(void)
{
	struct dtr g = { sizeof(gdt) - 1, (uintptr_t)gdt };
	struct dtr i = { sizeof(idt) - 1, (uintptr_t)idt };

	gdt[HOST_CS / 8] = CODE64_DESCRIPTOR;
	gdt[HOST_DS / 8] = DATA_DESCRIPTOR;
	gdt[HOST_TR / 8] = system_descriptor((uintptr_t)tss, sizeof(tss) - 1, 0x9);
	gdt[HOST_TR / 8 + 1] = (uintptr_t)tss >> 32;
	/* RSP0 (unused at CPL 0), and the I/O map base past the limit: no map */
	tss[1] = (uint32_t)(uintptr_t)host_stack_top;
	tss[25] = sizeof(tss) << 16;
	for (unsigned v = 0; v < 32; v++)
		interrupt_gate(&idt[2 * v], (uintptr_t)host_trap_stubs + 16 * v);

	__asm__ volatile("lgdt %0" :: "m"(g));
	__asm__ volatile("lidt %0" :: "m"(i));
	/* Reload CS with a far return: 64-bit mode has no direct far JMP. */
	__asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
			 :: "i"(HOST_CS) : "rax", "memory");
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss; mov %0, %%fs; mov %0, %%gs"
			 :: "r"(HOST_DS));
	__asm__ volatile("ltr %w0" :: "r"(HOST_TR));
}

uint64_t host_gdt_base(void) { return (uintptr_t)gdt; }
uint64_t host_idt_base(void) { return (uintptr_t)idt; }
uint64_t host_tss_base(void) { return (uintptr_t)tss; }

struct trap_frame {
	unsigned long long vector, error, rip, cs, rflags, rsp, ss;
};

void host_exception(struct trap_frame *f);
void host_exception(struct trap_frame *f)
{
	host_printf("FATAL: host exception %llu (error 0x%llx) at %04llx:%016llx rflags=%08llx "
		    "rsp=%016llx cr2=%016llx\n", f->vector, f->error, f->cs, f->rip, f->rflags,
		    f->rsp, (unsigned long long)read_cr2());
	host_stop(1);
}

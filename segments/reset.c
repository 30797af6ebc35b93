/*
 * Power-on, INIT and startup-IPI state (segments/transitions.h).
 */
#include "segments/transitions.h"
#include "lib/string.h"

/* SDM Vol. 3A Table 9-1, "Power up" column. */
#define RESET_CR0        0x60000010u   /* CD, NW, ET */
#define RESET_EIP        0x0000fff0u
#define RESET_CS_SEL     0xf000u
#define RESET_CS_BASE    0xffff0000u
#define RESET_LIMIT      0xffffu
#define RESET_CS_AR      0x9bu         /* present, code, read, accessed */
#define RESET_DATA_AR    0x93u         /* present, data, read/write, accessed */
#define RESET_LDTR_AR    0x82u         /* present, LDT */
#define RESET_TR_AR      0x8bu         /* present, busy 32-bit TSS */
#define RESET_DR7        0x00000400u

static void set_seg(struct rmt_segment *s, uint16_t sel, uint32_t base, uint32_t ar)
{
	s->sel = sel;
	s->reserved = 0;
	s->base = base;
	s->limit = RESET_LIMIT;
	s->ar = ar;
}

void guest_cpu_power_on(struct guest_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->s.eip = RESET_EIP;
	cpu->s.eflags = X86_FL_FIXED;
	cpu->s.cr0 = RESET_CR0;
	cpu->s.dr7 = RESET_DR7;
	for (int r = RMT_ES; r <= RMT_GS; r++)
		set_seg(&cpu->s.seg[r], 0, 0, RESET_DATA_AR);
	set_seg(&cpu->s.seg[RMT_CS], RESET_CS_SEL, RESET_CS_BASE, RESET_CS_AR);
	set_seg(&cpu->s.seg[RMT_LDTR], 0, 0, RESET_LDTR_AR);
	set_seg(&cpu->s.seg[RMT_TR], 0, 0, RESET_TR_AR);
	cpu->s.gdtr.limit = RESET_LIMIT;
	cpu->s.idtr.limit = RESET_LIMIT;
	for (int r = 0; r < RMT_NSEG; r++)
		cpu->origin[r] = SEG_FROM_RESET;
	cpu->cpl = 0;
	cpu->a20 = 1;
}

void guest_cpu_init(struct guest_cpu *cpu)
{
	uint32_t cache_bits = cpu->s.cr0 & (X86_CR0_CD | X86_CR0_NW);

	guest_cpu_power_on(cpu);
	cpu->s.cr0 = (cpu->s.cr0 & ~(X86_CR0_CD | X86_CR0_NW)) | cache_bits;
}

void guest_cpu_sipi(struct guest_cpu *cpu, uint8_t vector)
{
	cpu->s.seg[RMT_CS].sel = (uint16_t)(vector << 8);
	cpu->s.seg[RMT_CS].base = (uint32_t)vector << 12;
	cpu->s.eip = 0;
}

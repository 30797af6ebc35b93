/*
 * The A20 gate, emulated through the monitor's page tables.
 *
 * With A20 closed, the 8086-compatible wrap applies: FFFF:0010 is linear
 * 0x100000 but reaches physical 0x00000.  Chipsets implement that with the
 * A20M# pin — which a processor in VMX operation ignores, so on the hardware
 * rmtramp is for, only the monitor can give the guest its wrap.  It does so
 * where the guest can address the wrapped range, in vm86: the linear pages
 * 0x100000-0x10FFFF map to 0x00000-0x0FFFF while the guest's gate is closed;
 * the interpreter masks address bit 20 itself (guest_cpu.a20).
 *
 * The guest's gate is port 0x92 bit 1 (System Control Port A) and the
 * keyboard controller's output port bit 1 (command 0xD1, then the byte at
 * port 0x60).  Both are in the vm86 I/O bitmap, so the interpreter runs
 * every access and these hooks see them; the writes reach the devices with
 * bit 1 forced on (the physical gate stays open while the monitor runs the
 * guest: the emulation must not depend on it), and reads report the guest's
 * bit.  At a handoff the physical gate follows the guest's (an emulator's
 * protected mode then sees the same wrap; real VT-x would not), at re-entry
 * the guest's gate is read back from port 0x92.
 */
#include <stdint.h>
#include "firmware/blob.h"

#define PORT_A     0x92
#define KBC_DATA   0x60
#define KBC_CMD    0x64
#define KBC_WRITE_OUTPUT 0xd1
#define KBC_READ_OUTPUT  0xd0
#define A20_BIT    0x02

/* The keyboard controller's command state, one per machine. */
static uint8_t kbc_pending;              /* the last command byte written to 0x64 */

static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %w1" :: "a"(v), "Nd"(port)); }
static uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* Make the guest's gate `open` (1) or closed (0) take effect. */
static void a20_set(struct blob_vcpu *b, int open)
{
	open = open != 0;
	b->cpu.a20 = (uint8_t)open;
	if (b->a20_open == open)
		return;
	b->a20_open = (uint8_t)open;
	tables_set_a20(open);
	b->ctx->counters[RMT_CTR_A20_CHANGES]++;
}

int a20_io_out(struct blob_vcpu *b, uint16_t port, unsigned size, uint32_t value)
{
	if (size != 1)
		return 0;
	switch (port) {
	case PORT_A:
		a20_set(b, value & A20_BIT);
		outb(PORT_A, (uint8_t)(value | A20_BIT));   /* bit 0 (fast reset) passes */
		return 1;
	case KBC_CMD:
		kbc_pending = (uint8_t)value;
		return 0;                                   /* the controller still gets it */
	case KBC_DATA:
		if (kbc_pending != KBC_WRITE_OUTPUT)
			return 0;
		kbc_pending = 0;
		a20_set(b, value & A20_BIT);
		outb(KBC_DATA, (uint8_t)(value | A20_BIT));
		return 1;
	}
	return 0;
}

int a20_io_in(struct blob_vcpu *b, uint16_t port, unsigned size, uint32_t *value)
{
	uint8_t v;

	if (size != 1)
		return 0;
	if (port == PORT_A) {
		v = inb(PORT_A);
	} else if (port == KBC_DATA && kbc_pending == KBC_READ_OUTPUT) {
		kbc_pending = 0;
		v = inb(KBC_DATA);
	} else {
		return 0;
	}
	*value = (v & ~A20_BIT) | (b->a20_open ? A20_BIT : 0);
	return 1;
}

/* Handoff: the physical gate follows the guest's. */
void a20_before_handoff(struct blob_vcpu *b)
{
	uint8_t v = inb(PORT_A);

	outb(PORT_A, (uint8_t)((v & ~(A20_BIT | 1)) | (b->a20_open ? A20_BIT : 0)));
}

/* Re-entry: the guest may have moved the gate in protected mode. */
void a20_after_reentry(struct blob_vcpu *b)
{
	uint8_t v = inb(PORT_A);

	a20_set(b, v & A20_BIT);            /* the page tables follow a20_open */
	if (!(v & A20_BIT))
		outb(PORT_A, (uint8_t)((v & ~1) | A20_BIT));
}

/* The ports the vm86 I/O bitmap intercepts for this file. */
const uint16_t a20_ports[] = { KBC_DATA, KBC_CMD, PORT_A, 0 };

/*
 * The blob's console: port 0xE9 (Bochs port_e9_hack, QEMU debugcon).  Every
 * line starts with "rmtramp: " so logs, tests and humans can tell the blob
 * from the guest and the host.
 */
#include <stdarg.h>
#include <stdint.h>
#include "lib/fmt.h"
#include "firmware/blob.h"

#define COM1 0x3f8

static int com1_enabled;

static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %w1" :: "a"(v), "Nd"(port)); }
static uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* 16550: 115200 baud (divisor 1), 8N1, FIFOs on, no interrupts. */
void console_enable_com1(void)
{
	outb(COM1 + 1, 0x00);      /* IER: no interrupts */
	outb(COM1 + 3, 0x80);      /* LCR: DLAB */
	outb(COM1 + 0, 0x01);      /* divisor low: 115200 */
	outb(COM1 + 1, 0x00);      /* divisor high */
	outb(COM1 + 3, 0x03);      /* LCR: 8N1 */
	outb(COM1 + 2, 0x07);      /* FCR: enable and clear FIFOs */
	outb(COM1 + 4, 0x03);      /* MCR: DTR, RTS */
	com1_enabled = 1;
}

static void com1_put(char c)
{
	/* Wait for the transmit holding register, but never forever: a
	 * missing UART must not hang the monitor. */
	for (unsigned spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
		;
	outb(COM1, (uint8_t)c);
}

static void put_string(const char *s)
{
	for (; *s; s++) {
		outb(0xe9, (uint8_t)*s);
		if (com1_enabled) {
			if (*s == '\n')
				com1_put('\r');
			com1_put(*s);
		}
	}
}

void blob_printf(const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	va_start(ap, fmt);
	rmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_string("rmtramp: ");
	put_string(buf);
}

/*
 * One line per mode transition, with the state that matters for it: where
 * the guest is, CR0, EFLAGS, and each segment register as
 * selector/base/limit/access-rights.
 */
void blob_log_state(const struct blob_vcpu *b, const char *event)
{
	static const char names[6][3] = { "es", "cs", "ss", "ds", "fs", "gs" };
	const struct rmt_state *s = &b->cpu.s;
	char segs[6 * 32];
	unsigned n = 0;

	for (unsigned r = RMT_ES; r <= RMT_GS; r++)
		n += (unsigned)rmt_snprintf(segs + n, sizeof(segs) - n, " %s=%04x/%x/%x/%x",
					    names[r], s->seg[r].sel, s->seg[r].base,
					    s->seg[r].limit, s->seg[r].ar);
	blob_printf("vcpu%u %s at %04x:%08x cr0=%08x eflags=%08x%s\n", b->index, event,
		    s->seg[RMT_CS].sel, s->eip, s->cr0, s->eflags, segs);
}

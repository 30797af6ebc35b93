/*
 * The blob's console: port 0xE9 (Bochs port_e9_hack, QEMU debugcon).  Every
 * line starts with "rmtramp: " so logs, tests and humans can tell the blob
 * from the guest and the host.
 */
#include <stdarg.h>
#include <stdint.h>
#include "lib/fmt.h"
#include "firmware/blob.h"

static void put_string(const char *s)
{
	for (; *s; s++)
		__asm__ volatile("outb %0, $0xe9" :: "a"(*s));
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

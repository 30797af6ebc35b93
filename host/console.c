/* Host console output.  Every host line starts with "host: " so a test can
 * tell the host's lines from the guest's and the blob's. */
#include <stdarg.h>
#include "lib/fmt.h"
#include "host/console.h"
#include "host/cpu.h"

#define DEBUG_PORT 0xE9

void host_puts(const char *s)
{
	while (*s)
		outb(DEBUG_PORT, (uint8_t)*s++);
}

void host_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	rmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	host_puts("host: ");
	host_puts(buf);
}

/* The host's console: port 0xE9 (Bochs' port_e9_hack, QEMU's debugcon). */
#ifndef HOST_CONSOLE_H
#define HOST_CONSOLE_H

void host_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void host_puts(const char *s);

#endif

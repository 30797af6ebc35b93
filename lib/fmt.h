/*
 * A small snprintf for freestanding code: the blob, the host and the
 * freestanding libraries format their messages with it, and the hosted build
 * uses the same code so tests see the same text.
 *
 * Supports %% %c %s %d %i %u %x %X %p, the flags '0' and '-', a field width
 * (or '*'), and the length modifiers l, ll, h, hh.  Always NUL-terminates
 * (when size > 0) and returns the length the full output would have had.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

int rmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIB_FMT_H */

/* A freestanding snprintf (see fmt.h for what it supports). */
#include <stdint.h>
#include "lib/fmt.h"

struct out {
	char *buf;
	size_t size;
	size_t len;     /* characters the full output has so far */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       int left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left) {
		/* zero padding goes after a sign */
		if (pad == '0' && n && *s == '-') {
			put(o, '-');
			s++;
			n--;
		}
		while (fill--)
			put(o, pad);
	}
	while (n--)
		put(o, *s++);
	if (left)
		while (fill--)
			put(o, ' ');
}

/* Render v in base 10 or 16 into the end of tmp; return the first digit.
 * 64-bit division is avoided: the blob links without libgcc. */
static char *render(uint64_t v, unsigned base, int upper, char *end)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	*p = 0;
	if (base == 16) {
		do {
			*--p = digits[v & 15];
			v >>= 4;
		} while (v);
		return p;
	}
	/* base 10: long division by 10 on 32-bit halves */
	do {
		uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
		uint32_t qhi = hi / 10, r = hi % 10;
		/* (r:lo) / 10 with r < 10, done 16 bits at a time to stay in 32 bits */
		uint32_t mid = (r << 16) | (lo >> 16);
		uint32_t qmid = mid / 10;
		uint32_t low = ((mid % 10) << 16) | (lo & 0xffff);
		uint32_t qlo = low / 10;

		*--p = (char)('0' + low % 10);
		v = ((uint64_t)qhi << 32) | (qmid << 16) | qlo;
	} while (v);
	return p;
}

int rmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		char tmp[24], *s;
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		uint64_t v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		while (*fmt == 'h')
			fmt++;      /* promoted to int anyway */
		switch (*fmt) {
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_padded(&o, tmp, 1, width, left, ' ');
			break;
		case 's':
			s = va_arg(ap, char *);
			if (!s)
				s = "(null)";
			{
				size_t n = 0;
				while (s[n])
					n++;
				put_padded(&o, s, n, width, left, ' ');
			}
			break;
		case 'd':
		case 'i': {
			int64_t sv = lng >= 2 ? va_arg(ap, long long)
				   : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			s = render(sv < 0 ? (uint64_t)-sv : (uint64_t)sv, 10, 0,
				   tmp + sizeof(tmp) - 1);
			if (sv < 0)
				*--s = '-';
			put_padded(&o, s, (size_t)(tmp + sizeof(tmp) - 1 - s), width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'p':
			if (*fmt == 'p')
				v = (uintptr_t)va_arg(ap, void *);
			else
				v = lng >= 2 ? va_arg(ap, unsigned long long)
				  : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			s = render(v, *fmt == 'u' ? 10 : 16, *fmt == 'X', tmp + sizeof(tmp) - 1);
			put_padded(&o, s, (size_t)(tmp + sizeof(tmp) - 1 - s), width, left, pad);
			break;
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;      /* a lone '%' at the end */
			break;
		default:        /* unknown conversion: show it, so the bug is visible */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int rmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

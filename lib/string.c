/*
 * The four functions a freestanding C compiler may call on its own (struct
 * copies and zeroing become memcpy/memset; SDM-style byte compares memcmp),
 * plus strlen.  Only in the target builds: the hosted build uses libc's.
 *
 * memcpy and memset use REP MOVS/STOS, a dword at a time, then the odd bytes:
 * the interpreter copies guest memory through them for every access, where a
 * byte loop cost five instructions a byte.  DF is 0 in every C context of
 * the blob (entry.S clears it on each entry, as the C ABI requires).
 */
#ifndef RMT_HOSTED
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n >> 2, bytes = n & 3;

	__asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n >> 2, bytes = n & 3;
	uint32_t v = (uint8_t)c * 0x01010101u;

	__asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(bytes) : "a"(v) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
#endif

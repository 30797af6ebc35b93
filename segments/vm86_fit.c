/*
 * Whether each segment register's hidden part is what vm86 would give it,
 * as far as real mode can tell (segments/vm86_fit.h has the table).
 */
#include "segments/vm86_fit.h"
#include "gdt/descriptor.h"

#define VM86_LIMIT 0xffffu

static enum vm86_misfit misfit_of(enum rmt_seg r, const struct rmt_segment *s)
{
	uint32_t ar = s->ar;

	if (s->base != (uint32_t)s->sel << 4)
		return VM86_MISFIT_BASE;
	if (s->limit < VM86_LIMIT)
		return VM86_MISFIT_LIMIT_SMALL;
	if (!ar_usable(ar))
		return VM86_MISFIT_UNUSABLE;
	if (!ar_present(ar))
		return VM86_MISFIT_NOT_PRESENT;
	if (!ar_is_code_or_data(ar))
		return VM86_MISFIT_SYSTEM;
	if (ar_is_expand_down_data(ar))
		return VM86_MISFIT_EXPAND_DOWN;
	if (!ar_is_writable_data(ar) && !ar_is_readable_code(ar))
		return VM86_MISFIT_NOT_RW;
	/* CS.D picks the default operand and address size; SS.B picks SP or
	 * ESP (SDM Vol. 3A 3.4.5 "D/B flag").  vm86 has both at 16 bits. */
	if ((r == RMT_CS || r == RMT_SS) && (ar & RMT_AR_DB))
		return VM86_MISFIT_32BIT;
	return VM86_FITS;
}

int seg_vm86_fit(const struct guest_cpu *cpu, struct vm86_fit *out)
{
	out->blockers = 0;
	for (int r = RMT_ES; r <= RMT_GS; r++) {
		enum vm86_misfit m = misfit_of(r, &cpu->s.seg[r]);

		out->misfit[r] = (uint8_t)m;
		if (m != VM86_FITS)
			out->blockers |= (uint8_t)(1u << r);
	}
	return out->blockers == 0;
}

const char *vm86_misfit_name(enum vm86_misfit m)
{
	static const char *const names[] = {
		[VM86_FITS] = "fits",
		[VM86_MISFIT_BASE] = "base != sel<<4",
		[VM86_MISFIT_LIMIT_SMALL] = "limit < 0xFFFF",
		[VM86_MISFIT_UNUSABLE] = "unusable (null-loaded)",
		[VM86_MISFIT_NOT_PRESENT] = "not present",
		[VM86_MISFIT_SYSTEM] = "system descriptor",
		[VM86_MISFIT_EXPAND_DOWN] = "expand-down",
		[VM86_MISFIT_NOT_RW] = "read-only data or execute-only code",
		[VM86_MISFIT_32BIT] = "32-bit (D/B=1)",
	};

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

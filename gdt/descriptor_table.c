/*
 * Descriptor-table lookups: selector → linear address of its descriptor,
 * with the limit checks the processor makes.  See descriptor_table.h.
 */
#include "gdt/descriptor_table.h"

int desc_table_locate(const struct rmt_dtable *gdtr, const struct rmt_segment *ldtr,
		      uint16_t sel, uint32_t *linear, struct x86_fault *fault)
{
	uint32_t base, limit;
	/* index*8+7 is at most 0xFFFF: no overflow in 32 bits. */
	uint32_t last_byte = (uint32_t)(sel & 0xfff8u) + DESC_SIZE - 1;

	if (sel & X86_SEL_TI) {
		/*
		 * The LDT the processor uses is the one cached in LDTR, not
		 * whatever the GDT says now.  An LDTR loaded with a null
		 * selector is unusable, and "an attempt to reference ... through
		 * the LDT" then faults (SDM Vol. 3A 3.5.1 / LLDT).
		 */
		if (!(ldtr->ar & RMT_AR_P) || (ldtr->ar & RMT_AR_UNUSABLE))
			goto gp;
		base = ldtr->base;
		limit = ldtr->limit;
	} else {
		base = gdtr->base;
		limit = gdtr->limit;
	}
	/*
	 * The whole 8-byte descriptor must be inside the table: "index*8+7 >
	 * limit" faults.  A guest's limit is taken as it is — Linux's setup
	 * code once declared a GDT limit of 0x8000, which is why real-mode
	 * selector values must never be looked up (DESIGN.md §6).
	 */
	if (last_byte > limit)
		goto gp;
	*linear = base + (sel & 0xfff8u);
	return 0;
gp:
	x86_fault_set(fault, X86_GP, sel_error_code(sel));
	return -1;
}

int desc_table_read(const struct rmt_dtable *gdtr, const struct rmt_segment *ldtr,
		    uint16_t sel, desc_read_fn read, void *ctx,
		    uint8_t raw[DESC_SIZE], uint32_t *linear, struct x86_fault *fault)
{
	if (desc_table_locate(gdtr, ldtr, sel, linear, fault))
		return -1;
	return read(ctx, *linear, raw, DESC_SIZE, fault) ? -1 : 0;
}

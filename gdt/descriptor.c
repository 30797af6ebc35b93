/*
 * Descriptor decode and encode: moving bits between the 8-byte in-memory
 * form and the cached (VMCS access-rights) form.  See descriptor.h for the
 * picture.
 */
#include "gdt/descriptor.h"

void desc_decode(const uint8_t raw[DESC_SIZE], struct seg_desc *out)
{
	uint32_t limit = (uint32_t)raw[0] | (uint32_t)raw[1] << 8 |
			 (uint32_t)(raw[6] & 0x0f) << 16;

	out->base = (uint32_t)raw[2] | (uint32_t)raw[3] << 8 |
		    (uint32_t)raw[4] << 16 | (uint32_t)raw[7] << 24;
	/* VMCS AR bits 7:0 = byte 5; bits 15:12 = byte 6 bits 7:4. */
	out->ar = (uint32_t)raw[5] | (uint32_t)(raw[6] & 0xf0) << 8;
	/*
	 * "When the granularity flag is set, the segment limit is interpreted
	 * in 4-KByte units" (SDM Vol. 3A 3.4.5): the processor scales the 20-bit
	 * field and fills the low 12 bits with ones, so limit 0xFFFFF with G=1
	 * covers the whole 4 GiB.
	 */
	if (out->ar & RMT_AR_G)
		limit = limit << 12 | 0xfffu;
	out->limit = limit;
}

int desc_encode(const struct seg_desc *d, uint8_t raw[DESC_SIZE])
{
	uint32_t limit = d->limit;

	if (d->ar & RMT_AR_G) {
		if ((limit & 0xfffu) != 0xfffu)
			return -1;
		limit >>= 12;
	} else if (limit > 0xfffffu) {
		return -1;
	}
	raw[0] = (uint8_t)limit;
	raw[1] = (uint8_t)(limit >> 8);
	raw[2] = (uint8_t)d->base;
	raw[3] = (uint8_t)(d->base >> 8);
	raw[4] = (uint8_t)(d->base >> 16);
	raw[5] = (uint8_t)d->ar;
	raw[6] = (uint8_t)(((d->ar >> 8) & 0xf0u) | ((limit >> 16) & 0x0fu));
	raw[7] = (uint8_t)(d->base >> 24);
	return 0;
}

/*
 * SDM Vol. 3A Table 3-2 (system types, legacy/compatibility column) and
 * Table 3-1 (code and data types, without the accessed bit, which only says
 * whether the descriptor has been loaded since the OS last cleared it).
 */
static const char *const system_type_names[16] = {
	[0] = "reserved system type 0",
	[DESC_SYS_TSS16_AVAIL] = "16-bit TSS (available)",
	[DESC_SYS_LDT] = "LDT",
	[DESC_SYS_TSS16_BUSY] = "16-bit TSS (busy)",
	[DESC_SYS_CALL_GATE16] = "16-bit call gate",
	[DESC_SYS_TASK_GATE] = "task gate",
	[DESC_SYS_INT_GATE16] = "16-bit interrupt gate",
	[DESC_SYS_TRAP_GATE16] = "16-bit trap gate",
	[8] = "reserved system type 8",
	[DESC_SYS_TSS32_AVAIL] = "32-bit TSS (available)",
	[10] = "reserved system type 10",
	[DESC_SYS_TSS32_BUSY] = "32-bit TSS (busy)",
	[DESC_SYS_CALL_GATE32] = "32-bit call gate",
	[13] = "reserved system type 13",
	[DESC_SYS_INT_GATE32] = "32-bit interrupt gate",
	[DESC_SYS_TRAP_GATE32] = "32-bit trap gate",
};

static const char *const code_data_type_names[8] = {
	"data, read-only",
	"data, read/write",
	"data, read-only, expand-down",
	"data, read/write, expand-down",
	"code, execute-only",
	"code, execute/read",
	"code, execute-only, conforming",
	"code, execute/read, conforming",
};

const char *desc_type_name(uint32_t ar)
{
	if (!ar_is_code_or_data(ar))
		return system_type_names[ar_type(ar)];
	return code_data_type_names[ar_type(ar) >> 1];
}

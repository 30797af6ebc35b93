/*
 * Segment descriptors: the 8 bytes in a GDT or LDT, and the cached form the
 * processor keeps in a segment register's hidden part.
 *
 * The cached form is what struct rmt_segment holds: a 32-bit base, a
 * byte-granular limit (already scaled by G) and the access rights in the
 * VMCS format (RMT_AR_* in rmtramp/abi.h).  The translation is pure bit
 * shuffling; nothing here reads memory (see gdt/descriptor_table.h for that).
 *
 * The in-memory layout (SDM Vol. 3A 3.4.5, Figure 3-8), which Intel shotgun
 * across the 8 bytes for 80286 compatibility:
 *
 *   byte  7         6                5        4 3 2   1 0
 *       +-------+-+-+-+-+-------+-+---+-+----+-------+-----+
 *       |base   |G|D|L|A|limit  |P|DPL|S|type|base   |limit|
 *       |31:24  | |B| |V|19:16  | |   | |    |23:0   |15:0 |
 *       +-------+-+-+-+-+-------+-+---+-+----+-------+-----+
 *
 * VMCS access rights (SDM Vol. 3C 24.4.1) are simply byte 5 in bits 7:0 and
 * the high nibble of byte 6 in bits 15:12; bit 16 is "unusable", which no
 * descriptor in memory has: it is a property of the register.
 */
#ifndef GDT_DESCRIPTOR_H
#define GDT_DESCRIPTOR_H

#include <stdint.h>
#include "rmtramp/abi.h"

#define DESC_SIZE 8u

/* The cached part of a descriptor, in the same units as struct rmt_segment. */
struct seg_desc {
	uint32_t base;
	uint32_t limit;     /* byte granular: raw 20-bit limit, scaled when G=1 */
	uint32_t ar;        /* VMCS-format access rights; never RMT_AR_UNUSABLE */
};

/*
 * Code/data type bits (S=1), SDM Vol. 3A Table 3-1.  Bit 3 tells code from
 * data; the meaning of bits 2 and 1 depends on it.
 */
#define DESC_TYPE_ACCESSED    0x1u
#define DESC_TYPE_WRITABLE    0x2u   /* data */
#define DESC_TYPE_READABLE    0x2u   /* code */
#define DESC_TYPE_EXPAND_DOWN 0x4u   /* data */
#define DESC_TYPE_CONFORMING  0x4u   /* code */
#define DESC_TYPE_CODE        0x8u

/* System types (S=0) a 32-bit processor knows, SDM Vol. 3A Table 3-2. */
enum desc_system_type {
	DESC_SYS_TSS16_AVAIL = 1,
	DESC_SYS_LDT = 2,
	DESC_SYS_TSS16_BUSY = 3,
	DESC_SYS_CALL_GATE16 = 4,
	DESC_SYS_TASK_GATE = 5,
	DESC_SYS_INT_GATE16 = 6,
	DESC_SYS_TRAP_GATE16 = 7,
	DESC_SYS_TSS32_AVAIL = 9,
	DESC_SYS_TSS32_BUSY = 11,
	DESC_SYS_CALL_GATE32 = 12,
	DESC_SYS_INT_GATE32 = 14,
	DESC_SYS_TRAP_GATE32 = 15,
};

/* Little predicates on VMCS-format access rights, named after the bit. */
static inline unsigned ar_type(uint32_t ar) { return ar & RMT_AR_TYPE_MASK; }
static inline unsigned ar_dpl(uint32_t ar) { return (ar & RMT_AR_DPL_MASK) >> RMT_AR_DPL_SHIFT; }
static inline int ar_is_code_or_data(uint32_t ar) { return (ar & RMT_AR_S) != 0; }
static inline int ar_present(uint32_t ar) { return (ar & RMT_AR_P) != 0; }
static inline int ar_usable(uint32_t ar) { return (ar & RMT_AR_UNUSABLE) == 0; }
static inline int ar_is_code(uint32_t ar)
{
	return ar_is_code_or_data(ar) && (ar & DESC_TYPE_CODE);
}
static inline int ar_is_data(uint32_t ar)
{
	return ar_is_code_or_data(ar) && !(ar & DESC_TYPE_CODE);
}
static inline int ar_is_conforming_code(uint32_t ar)
{
	return ar_is_code(ar) && (ar & DESC_TYPE_CONFORMING);
}
static inline int ar_is_readable_code(uint32_t ar)
{
	return ar_is_code(ar) && (ar & DESC_TYPE_READABLE);
}
static inline int ar_is_writable_data(uint32_t ar)
{
	return ar_is_data(ar) && (ar & DESC_TYPE_WRITABLE);
}
static inline int ar_is_expand_down_data(uint32_t ar)
{
	return ar_is_data(ar) && (ar & DESC_TYPE_EXPAND_DOWN);
}
static inline uint32_t ar_with_dpl(uint32_t ar, unsigned dpl)
{
	return (ar & ~RMT_AR_DPL_MASK) | ((uint32_t)(dpl & 3u) << RMT_AR_DPL_SHIFT);
}

/* Bytes 0..7 of a descriptor → its cached form. */
void desc_decode(const uint8_t raw[DESC_SIZE], struct seg_desc *out);

/*
 * Cached form → bytes 0..7.  The limit is stored as the hardware would have
 * to hold it: when ar has G=1 the low 12 bits of limit are dropped (they read
 * back as ones).  Returns 0, or -1 if the limit cannot be represented with
 * this G (G=0 and limit > 0xFFFFF, or G=1 and limit[11:0] != 0xFFF).
 */
int desc_encode(const struct seg_desc *d, uint8_t raw[DESC_SIZE]);

/* Set the accessed bit (type bit 0, byte 5 bit 0) of a code/data descriptor. */
static inline void desc_raw_set_accessed(uint8_t raw[DESC_SIZE])
{
	raw[5] |= DESC_TYPE_ACCESSED;
}

/* Offset of byte 5 — the one byte the processor writes back (accessed/busy). */
#define DESC_AR_BYTE_OFFSET 5u

/*
 * Name of a descriptor's type for messages: "32-bit TSS (busy)", "LDT",
 * "call gate (32-bit)", "reserved system type 8", or for S=1 "code" / "data".
 */
const char *desc_type_name(uint32_t ar);

#endif /* GDT_DESCRIPTOR_H */

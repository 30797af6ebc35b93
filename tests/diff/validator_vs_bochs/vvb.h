/*
 * Shared by the validator-vs-Bochs generator (gen.c) and comparer
 * (compare.c): the state file (host/oracle.h) and the "kind" tag each record
 * carries, so a disagreement can be listed with how its state was made.
 */
#ifndef VVB_H
#define VVB_H

#include <stdint.h>
#include "host/oracle.h"

/* kind = family << 24 | category << 16 | detail */
enum vvb_family {
	VVB_PM = 1,         /* random valid 32-bit protected-mode state, then mutations */
	VVB_V86 = 2,        /* random valid vm86 state, then mutations */
	VVB_EDGE = 3,       /* systematic edge case (category/detail below) */
};

enum vvb_edge {
	EDGE_DATA_TYPE_DPL_RPL = 1,  /* a data register: type x DPL x RPL */
	EDGE_CS_TYPE_DPL_RPL,        /* CS type x CS.DPL x CS.RPL(=SS.RPL) x SS.DPL */
	EDGE_SS_TYPE_DPL_RPL,        /* SS type x DPL x RPL */
	EDGE_V86_AR_BIT,             /* vm86: one register's AR with one bit flipped */
	EDGE_V86_BASE_LIMIT,         /* vm86: base/limit off by a little */
	EDGE_LIMIT_G,                /* limit x G for CS, SS, DS, TR, LDTR */
	EDGE_TR_LDTR_TYPE,           /* TR/LDTR type x S x unusable */
	EDGE_RFLAGS_BIT,             /* one RFLAGS bit set (PM and vm86) */
	EDGE_INTR_ACTIVITY,          /* interruptibility x activity x IF */
	EDGE_PENDING_DBG,            /* one pending-debug bit, with and without blocking */
	EDGE_CR4_BIT,                /* one CR4 bit, paging off and on */
	EDGE_CR0_BIT,                /* one CR0 bit */
	EDGE_DTR_LIMIT,              /* GDTR/IDTR limit edges */
	EDGE_BS_TF,                  /* BS x TF x blocking/HLT */
	EDGE_NCATEGORIES
};

static inline unsigned vvb_family(uint32_t kind) { return kind >> 24; }
static inline unsigned vvb_category(uint32_t kind) { return (kind >> 16) & 0xff; }

static const char *const vvb_edge_name[EDGE_NCATEGORIES] = {
	[EDGE_DATA_TYPE_DPL_RPL] = "edge:data-type-dpl-rpl",
	[EDGE_CS_TYPE_DPL_RPL] = "edge:cs-type-dpl-rpl",
	[EDGE_SS_TYPE_DPL_RPL] = "edge:ss-type-dpl-rpl",
	[EDGE_V86_AR_BIT] = "edge:v86-ar-bit",
	[EDGE_V86_BASE_LIMIT] = "edge:v86-base-limit",
	[EDGE_LIMIT_G] = "edge:limit-g",
	[EDGE_TR_LDTR_TYPE] = "edge:tr-ldtr-type",
	[EDGE_RFLAGS_BIT] = "edge:rflags-bit",
	[EDGE_INTR_ACTIVITY] = "edge:intr-activity",
	[EDGE_PENDING_DBG] = "edge:pending-dbg",
	[EDGE_CR4_BIT] = "edge:cr4-bit",
	[EDGE_CR0_BIT] = "edge:cr0-bit",
	[EDGE_DTR_LIMIT] = "edge:dtr-limit",
	[EDGE_BS_TF] = "edge:bs-tf",
};

static inline const char *vvb_kind_name(uint32_t kind)
{
	switch (vvb_family(kind)) {
	case VVB_PM: return "random:pm";
	case VVB_V86: return "random:v86";
	case VVB_EDGE:
		if (vvb_category(kind) < EDGE_NCATEGORIES && vvb_edge_name[vvb_category(kind)])
			return vvb_edge_name[vvb_category(kind)];
		return "edge:?";
	default: return "?";
	}
}

#endif /* VVB_H */

/*
 * VM-entry checks on the segment registers (SDM Vol. 3C 26.3.1.2), without
 * "unrestricted guest".
 *
 * The SDM splits them three ways: checks for a virtual-8086 guest (RFLAGS.VM
 * = 1: every register is exactly sel<<4 / 0xFFFF / 0xF3), checks for any
 * other guest (types, S, DPL, P, reserved bits, G), and TR/LDTR checks that
 * apply to both.  "Usable" means AR bit 16 is 0; most checks skip an
 * unusable DS/ES/FS/GS/SS, but CS has no such escape.
 *
 * Our bases are 32 bits wide, so the canonical/upper-half base checks of the
 * SDM cannot fail and are not rules here.
 */
#include "gdt/vmentry_rules.h"

/* Reserved AR bits (11:8 and 31:17) — "must be 0" for every checked register. */
#define AR_RESERVED 0xfffe0f00u

static const enum rmt_seg six_segs[] = { RMT_ES, RMT_CS, RMT_SS, RMT_DS, RMT_FS, RMT_GS };
static const enum rmt_seg data_segs[] = { RMT_ES, RMT_DS, RMT_FS, RMT_GS };

#define FOR_EACH(r, list) \
	for (unsigned _i = 0; _i < sizeof(list) / sizeof(list[0]) && ((r) = list[_i], 1); _i++)

/* Registers a not-v8086 check applies to: CS always, the others if usable. */
static int checked(const struct vmentry_ctx *c, enum rmt_seg r)
{
	return r == RMT_CS || ar_usable(vseg(c, r)->ar);
}

/* "TR. The TI flag (bit 2) must be 0." */
void vmentry_check_tr_ti(struct vmentry_ctx *c)
{
	if (vseg(c, RMT_TR)->sel & X86_SEL_TI)
		vmentry_fail(c, "TR.sel (0x%04x) has TI=1", vseg(c, RMT_TR)->sel);
}

/* "LDTR. If LDTR is usable, the TI flag (bit 2) must be 0." */
void vmentry_check_ldtr_ti(struct vmentry_ctx *c)
{
	const struct rmt_segment *s = vseg(c, RMT_LDTR);

	if (ar_usable(s->ar) && (s->sel & X86_SEL_TI))
		vmentry_fail(c, "LDTR.sel (0x%04x) has TI=1", s->sel);
}

/* "SS. If the guest will not be virtual-8086 and the 'unrestricted guest'
 * VM-execution control is 0, the RPL (bits 1:0) must equal the RPL of the
 * selector field for CS." */
void vmentry_check_ss_rpl_eq_cs_rpl(struct vmentry_ctx *c)
{
	unsigned ss = X86_SEL_RPL(vseg(c, RMT_SS)->sel), cs = X86_SEL_RPL(vseg(c, RMT_CS)->sel);

	if (!v8086_guest(c) && ss != cs)
		vmentry_fail(c, "SS.RPL (%u) != CS.RPL (%u)", ss, cs);
}

/* "If the guest will be virtual-8086, the address must be the selector field
 * shifted left 4 bits (multiplied by 16)." */
void vmentry_check_v8086_base(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (!v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		const struct rmt_segment *s = vseg(c, r);

		if (s->base != (uint32_t)s->sel << 4)
			vmentry_fail(c, "v8086 %s.base (0x%08x) != sel<<4 (0x%05x)",
				     vmentry_seg_name[r], s->base, (unsigned)s->sel << 4);
	}
}

/* "If the guest will be virtual-8086, the field must be 0000FFFFH." */
void vmentry_check_v8086_limit(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (!v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		if (vseg(c, r)->limit != 0xffffu)
			vmentry_fail(c, "v8086 %s.limit (0x%08x) != 0xFFFF",
				     vmentry_seg_name[r], vseg(c, r)->limit);
	}
}

/* "If the guest will be virtual-8086, the field must be 000000F3H.  This
 * implies that all such registers are usable." */
void vmentry_check_v8086_ar(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (!v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		if (vseg(c, r)->ar != 0xf3u)
			vmentry_fail(c, "v8086 %s.AR (0x%05x) != 0xF3",
				     vmentry_seg_name[r], vseg(c, r)->ar);
	}
}

/* "CS. The values allowed [for Type] depend on the setting of the
 * 'unrestricted guest' VM-execution control: If the control is 0, the Type
 * must be 9, 11, 13, or 15 (accessed code segment)." */
void vmentry_check_cs_type(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_CS)->ar;

	if (!v8086_guest(c) && !((ar & DESC_TYPE_CODE) && (ar & DESC_TYPE_ACCESSED)))
		vmentry_fail(c, "CS.type (%u) is not an accessed code type (9/11/13/15)", ar_type(ar));
}

/* "SS. If SS is usable, the Type must be 3 or 7 (read/write, accessed data
 * segment)." */
void vmentry_check_ss_type(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_SS)->ar;
	unsigned type = ar_type(ar);

	if (!v8086_guest(c) && ar_usable(ar) && type != 3 && type != 7)
		vmentry_fail(c, "SS.type (%u) is not 3 or 7", type);
}

/* "DS, ES, FS, GS. The following checks apply if the register is usable:
 * Bit 0 of the Type must be 1 (accessed)." */
void vmentry_check_data_accessed(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, data_segs) {
		uint32_t ar = vseg(c, r)->ar;

		if (ar_usable(ar) && !(ar & DESC_TYPE_ACCESSED))
			vmentry_fail(c, "%s.type (%u) is not accessed", vmentry_seg_name[r], ar_type(ar));
	}
}

/* "If bit 3 of the Type is 1 (code segment), then bit 1 of the Type must be 1
 * (readable)." */
void vmentry_check_data_code_readable(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, data_segs) {
		uint32_t ar = vseg(c, r)->ar;

		if (ar_usable(ar) && (ar & DESC_TYPE_CODE) && !(ar & DESC_TYPE_READABLE))
			vmentry_fail(c, "%s.type (%u) is execute-only code",
				     vmentry_seg_name[r], ar_type(ar));
	}
}

/* "S (bit 4). If the register is CS or if the register is usable, S must be 1." */
void vmentry_check_seg_s(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		if (checked(c, r) && !ar_is_code_or_data(vseg(c, r)->ar))
			vmentry_fail(c, "%s.S is 0 (AR 0x%05x)", vmentry_seg_name[r], vseg(c, r)->ar);
	}
}

/* "P (bit 7). CS: must be 1. SS, DS, ES, FS, GS: if the register is usable,
 * P must be 1." */
void vmentry_check_seg_present(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		if (checked(c, r) && !ar_present(vseg(c, r)->ar))
			vmentry_fail(c, "%s.P is 0 (AR 0x%05x)", vmentry_seg_name[r], vseg(c, r)->ar);
	}
}

/* "Bits 11:8 (reserved) ... Bits 31:17 (reserved). If the register is CS or
 * if the register is usable, these bits must all be 0." */
void vmentry_check_seg_ar_reserved(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		uint32_t bad = vseg(c, r)->ar & AR_RESERVED;

		if (checked(c, r) && bad)
			vmentry_fail(c, "%s.AR (0x%05x) sets reserved bits 0x%05x",
				     vmentry_seg_name[r], vseg(c, r)->ar, bad);
	}
}

/*
 * "DPL. CS: If the Type is 9 or 11 (non-conforming code segment), the DPL
 * must equal the DPL in the access-rights field for SS.  If the Type is 13 or
 * 15 (conforming code segment), the DPL cannot be greater than the DPL in the
 * access-rights field for SS."  (Type 3 only exists with unrestricted guest.)
 * Older editions — and Bochs 2.7 — compared against CS.RPL instead; see
 * vmentry_bochs27_deviations().
 */
void vmentry_check_cs_dpl(struct vmentry_ctx *c)
{
	uint32_t cs = vseg(c, RMT_CS)->ar;
	unsigned cs_dpl = ar_dpl(cs), ss_dpl = ar_dpl(vseg(c, RMT_SS)->ar);

	if (v8086_guest(c) || !(cs & DESC_TYPE_CODE))
		return;
	if (cs & DESC_TYPE_CONFORMING) {
		if (cs_dpl > ss_dpl)
			vmentry_fail(c, "conforming CS.DPL (%u) > SS.DPL (%u)", cs_dpl, ss_dpl);
	} else if (cs_dpl != ss_dpl) {
		vmentry_fail(c, "non-conforming CS.DPL (%u) != SS.DPL (%u)", cs_dpl, ss_dpl);
	}
}

/* "SS: If the 'unrestricted guest' VM-execution control is 0, the DPL must
 * equal the RPL from the selector field." — whether or not SS is usable: SS.DPL
 * is the CPL the guest will run at. */
void vmentry_check_ss_dpl_eq_rpl(struct vmentry_ctx *c)
{
	unsigned dpl = ar_dpl(vseg(c, RMT_SS)->ar), rpl = X86_SEL_RPL(vseg(c, RMT_SS)->sel);

	if (!v8086_guest(c) && dpl != rpl)
		vmentry_fail(c, "SS.DPL (%u) != SS.RPL (%u)", dpl, rpl);
}

/* "DS, ES, FS, GS: The DPL cannot be less than the RPL in the selector field
 * if (1) the 'unrestricted guest' VM-execution control is 0; (2) the register
 * is usable; and (3) the Type in the access-rights field is in the range 0 – 11
 * (data segment or non-conforming code segment)."  Bochs 2.7 tests type < 11. */
void vmentry_check_data_dpl_ge_rpl(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, data_segs) {
		const struct rmt_segment *s = vseg(c, r);
		unsigned dpl = ar_dpl(s->ar), rpl = X86_SEL_RPL(s->sel);

		if (ar_usable(s->ar) && ar_type(s->ar) <= 11 && dpl < rpl)
			vmentry_fail(c, "%s.DPL (%u) < %s.RPL (%u), type %u", vmentry_seg_name[r],
				     dpl, vmentry_seg_name[r], rpl, ar_type(s->ar));
	}
}

/* "G (bit 15). If the register is CS or if the register is usable: If any
 * bit in the limit field in the range 11:0 is 0, G must be 0.  If any bit in
 * the limit field in the range 31:20 is 1, G must be 1." */
static int granularity_consistent(uint32_t limit, uint32_t ar)
{
	if ((limit & 0xfffu) != 0xfffu && (ar & RMT_AR_G))
		return 0;
	if ((limit & 0xfff00000u) && !(ar & RMT_AR_G))
		return 0;
	return 1;
}

void vmentry_check_seg_granularity(struct vmentry_ctx *c)
{
	enum rmt_seg r;

	if (v8086_guest(c))
		return;
	FOR_EACH(r, six_segs) {
		const struct rmt_segment *s = vseg(c, r);

		if (checked(c, r) && !granularity_consistent(s->limit, s->ar))
			vmentry_fail(c, "%s.G (%u) inconsistent with limit 0x%08x",
				     vmentry_seg_name[r], !!(s->ar & RMT_AR_G), s->limit);
	}
}

/* "D/B (bit 14). For CS, if the 'IA-32e mode guest' VM-entry control is 1 and
 * L (bit 13) in the access-rights field is 1, the D/B bit must be 0." */
void vmentry_check_cs_db_with_l(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_CS)->ar;

	if (!v8086_guest(c) && c->v->ia32e_mode_guest && (ar & RMT_AR_L) && (ar & RMT_AR_DB))
		vmentry_fail(c, "CS.L=1 and CS.D=1 in IA-32e mode (AR 0x%05x)", ar);
}

/*
 * TR: "Bit 16 (unusable) must be 0."  "Type: if the guest will not be IA-32e
 * mode, the Type must be 3 (16-bit busy TSS) or 11 (32-bit busy TSS); if the
 * guest will be IA-32e mode, the Type must be 11."  "S must be 0."  "P must
 * be 1."  Reserved bits 0.  G consistent with the limit.  These apply to a
 * virtual-8086 guest too: it needs a real busy TSS.
 */
void vmentry_check_tr_usable(struct vmentry_ctx *c)
{
	if (!ar_usable(vseg(c, RMT_TR)->ar))
		vmentry_fail(c, "TR is unusable (AR 0x%05x)", vseg(c, RMT_TR)->ar);
}

void vmentry_check_tr_type(struct vmentry_ctx *c)
{
	unsigned type = ar_type(vseg(c, RMT_TR)->ar);
	int ok = c->v->ia32e_mode_guest ? type == DESC_SYS_TSS32_BUSY
					: (type == DESC_SYS_TSS16_BUSY || type == DESC_SYS_TSS32_BUSY);

	if (!ok)
		vmentry_fail(c, "TR.type (%u) is not a busy TSS (%s)", type,
			     c->v->ia32e_mode_guest ? "11" : "3 or 11");
}

void vmentry_check_tr_s(struct vmentry_ctx *c)
{
	if (ar_is_code_or_data(vseg(c, RMT_TR)->ar))
		vmentry_fail(c, "TR.S is 1 (AR 0x%05x)", vseg(c, RMT_TR)->ar);
}

void vmentry_check_tr_present(struct vmentry_ctx *c)
{
	if (!ar_present(vseg(c, RMT_TR)->ar))
		vmentry_fail(c, "TR.P is 0 (AR 0x%05x)", vseg(c, RMT_TR)->ar);
}

void vmentry_check_tr_ar_reserved(struct vmentry_ctx *c)
{
	uint32_t bad = vseg(c, RMT_TR)->ar & AR_RESERVED;

	if (bad)
		vmentry_fail(c, "TR.AR (0x%05x) sets reserved bits 0x%05x", vseg(c, RMT_TR)->ar, bad);
}

void vmentry_check_tr_granularity(struct vmentry_ctx *c)
{
	const struct rmt_segment *s = vseg(c, RMT_TR);

	if (!granularity_consistent(s->limit, s->ar))
		vmentry_fail(c, "TR.G (%u) inconsistent with limit 0x%08x", !!(s->ar & RMT_AR_G),
			     s->limit);
}

/*
 * LDTR: "The following checks on LDTR apply only if LDTR is usable: Type
 * must be 2 (LDT).  S must be 0.  P must be 1.  Reserved bits 0.  G
 * consistent with the limit."
 */
void vmentry_check_ldtr_type(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_LDTR)->ar;

	if (ar_usable(ar) && ar_type(ar) != DESC_SYS_LDT)
		vmentry_fail(c, "LDTR.type (%u) is not 2 (LDT)", ar_type(ar));
}

void vmentry_check_ldtr_s(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_LDTR)->ar;

	if (ar_usable(ar) && ar_is_code_or_data(ar))
		vmentry_fail(c, "LDTR.S is 1 (AR 0x%05x)", ar);
}

void vmentry_check_ldtr_present(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_LDTR)->ar;

	if (ar_usable(ar) && !ar_present(ar))
		vmentry_fail(c, "LDTR.P is 0 (AR 0x%05x)", ar);
}

void vmentry_check_ldtr_ar_reserved(struct vmentry_ctx *c)
{
	uint32_t ar = vseg(c, RMT_LDTR)->ar;

	if (ar_usable(ar) && (ar & AR_RESERVED))
		vmentry_fail(c, "LDTR.AR (0x%05x) sets reserved bits 0x%05x", ar, ar & AR_RESERVED);
}

void vmentry_check_ldtr_granularity(struct vmentry_ctx *c)
{
	const struct rmt_segment *s = vseg(c, RMT_LDTR);

	if (ar_usable(s->ar) && !granularity_consistent(s->limit, s->ar))
		vmentry_fail(c, "LDTR.G (%u) inconsistent with limit 0x%08x", !!(s->ar & RMT_AR_G),
			     s->limit);
}

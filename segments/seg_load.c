/*
 * Segment-register loads, as the processor performs them in each mode.
 *
 * The contract is segments/segment_load.h.  The protected-mode checks are
 * transcribed from the pseudocode of MOV, POP, LDS/LES/LFS/LGS/LSS, JMP, CALL,
 * RET and IRET in SDM Vol. 2, which SDM Vol. 3A 5.5–5.8 explains; the order of
 * the checks matters because it decides which fault a bad selector raises,
 * and the tests pin that order down.
 *
 * Nothing here changes the guest's state unless the whole load succeeds:
 * descriptors are read into locals, checked, the accessed bit is written, and
 * only then is the register committed.
 */
#include "segments/segment_load.h"
#include "gdt/descriptor.h"
#include "gdt/descriptor_table.h"

/* vm86 segments are always 64 KiB, byte granular, read/write data at DPL 3
 * (SDM Vol. 3A 20.2.1; VM entry insists on exactly this, SDM Vol. 3C
 * 26.3.1.2). */
#define VM86_SEG_LIMIT 0xffffu
#define VM86_SEG_AR    0xf3u

static int in_real_mode(const struct guest_cpu *cpu)
{
	return !(cpu->s.cr0 & X86_CR0_PE);
}

static int in_vm86_mode(const struct guest_cpu *cpu)
{
	return (cpu->s.cr0 & X86_CR0_PE) && (cpu->s.eflags & X86_FL_VM);
}

/*
 * Real-address mode: "the processor ... shifts the selector left 4 bits to
 * form a 20-bit base address" (SDM Vol. 3A 20.1.1), and nothing else: the
 * limit and attributes in the hidden part are left as they were.  That is
 * what makes big real mode ("unreal mode") work — a guest that loaded a 4 GiB
 * data segment in protected mode and cleared PE keeps the 4 GiB limit across
 * any number of real-mode reloads.  No descriptor table is read; the GDT may
 * not even exist.
 *
 * One bit does change: a register loaded in real mode is usable again even
 * if it last held a protected-mode null selector (the VMCS "unusable" bit,
 * SDM Vol. 3C 24.4.1, describes registers loaded with a null selector in
 * protected mode; a real-mode load is not one).
 */
static void load_real(struct guest_cpu *cpu, enum rmt_seg seg, uint16_t sel)
{
	struct rmt_segment *s = &cpu->s.seg[seg];

	s->sel = sel;
	s->base = (uint32_t)sel << 4;
	s->ar &= ~RMT_AR_UNUSABLE;
	cpu->origin[seg] = SEG_FROM_REAL;
	if (seg == RMT_CS)
		cpu->cpl = 0;
}

/* Virtual-8086 mode: every load yields the fixed vm86 descriptor; CPL is 3. */
static void load_vm86(struct guest_cpu *cpu, enum rmt_seg seg, uint16_t sel)
{
	struct rmt_segment *s = &cpu->s.seg[seg];

	s->sel = sel;
	s->base = (uint32_t)sel << 4;
	s->limit = VM86_SEG_LIMIT;
	s->ar = VM86_SEG_AR;
	cpu->origin[seg] = SEG_FROM_VM86;
	if (seg == RMT_CS)
		cpu->cpl = 3;
}

static enum seg_load_result fault_with(struct x86_fault *fault, unsigned vector, uint32_t ec)
{
	x86_fault_set(fault, vector, ec);
	return SEG_LOAD_FAULT;
}

/* The descriptor being loaded, read but not yet committed. */
struct pending_load {
	uint8_t raw[DESC_SIZE];
	uint32_t linear;        /* of raw[0], for the accessed-bit write */
	struct seg_desc desc;
};

static int read_descriptor(const struct guest_cpu *cpu, const struct seg_mem_ops *mem,
			   uint16_t sel, struct pending_load *pl, struct x86_fault *fault)
{
	if (desc_table_read(&cpu->s.gdtr, &cpu->s.seg[RMT_LDTR], sel, mem->read_linear,
			    mem->ctx, pl->raw, &pl->linear, fault))
		return -1;
	desc_decode(pl->raw, &pl->desc);
	return 0;
}

/*
 * "The processor sets this bit whenever it loads a segment selector for the
 * segment into a segment register, assuming that the type of memory that
 * contains the segment descriptor supports processor writes" (SDM Vol. 3A
 * 3.4.5.1).  A guest OS may clear it to see which segments are used, so the
 * write is real.  The cached copy has the bit set either way.
 */
static int mark_accessed(const struct seg_mem_ops *mem, struct pending_load *pl,
			 struct x86_fault *fault)
{
	if (!(pl->raw[DESC_AR_BYTE_OFFSET] & DESC_TYPE_ACCESSED)) {
		uint8_t byte = pl->raw[DESC_AR_BYTE_OFFSET] | DESC_TYPE_ACCESSED;

		if (mem->write_linear(mem->ctx, pl->linear + DESC_AR_BYTE_OFFSET,
				      &byte, 1, fault))
			return -1;
		pl->raw[DESC_AR_BYTE_OFFSET] = byte;
	}
	pl->desc.ar |= DESC_TYPE_ACCESSED;
	return 0;
}

static enum seg_load_result commit(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
				   enum rmt_seg seg, uint16_t sel, struct pending_load *pl,
				   struct x86_fault *fault)
{
	struct rmt_segment *s = &cpu->s.seg[seg];

	if (mark_accessed(mem, pl, fault))
		return SEG_LOAD_FAULT;
	s->sel = sel;
	s->base = pl->desc.base;
	s->limit = pl->desc.limit;
	s->ar = pl->desc.ar;
	cpu->origin[seg] = SEG_FROM_DESCRIPTOR;
	return SEG_LOAD_OK;
}

/*
 * MOV/POP/LDS/LES/LFS/LGS into DS, ES, FS or GS (SDM Vol. 2, MOV):
 *
 *   null selector      → loads fine; the register becomes unusable and any
 *                        later access through it raises #GP(0)
 *   beyond the limit   → #GP(selector)
 *   not data / readable code, or data/non-conforming code with
 *   RPL > DPL or CPL > DPL → #GP(selector)
 *   not present        → #NP(selector)
 */
static enum seg_load_result load_data(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
				      enum rmt_seg seg, uint16_t sel, struct x86_fault *fault)
{
	struct pending_load pl;
	uint32_t ar;

	if (sel_is_null(sel)) {
		/* The hidden fields are left as they were; only "unusable"
		 * says the register holds nothing (SDM Vol. 3C 24.4.1). */
		cpu->s.seg[seg].sel = sel;
		cpu->s.seg[seg].ar |= RMT_AR_UNUSABLE;
		cpu->origin[seg] = SEG_FROM_DESCRIPTOR;
		return SEG_LOAD_OK;
	}
	if (read_descriptor(cpu, mem, sel, &pl, fault))
		return SEG_LOAD_FAULT;
	ar = pl.desc.ar;
	if (!ar_is_data(ar) && !ar_is_readable_code(ar))
		return fault_with(fault, X86_GP, sel_error_code(sel));
	if (!ar_is_conforming_code(ar) &&
	    (X86_SEL_RPL(sel) > ar_dpl(ar) || cpu->cpl > ar_dpl(ar)))
		return fault_with(fault, X86_GP, sel_error_code(sel));
	if (!ar_present(ar))
		return fault_with(fault, X86_NP, sel_error_code(sel));
	return commit(cpu, mem, seg, sel, &pl, fault);
}

/*
 * MOV/POP/LSS into SS (SDM Vol. 2, MOV): the stack must be writable data at
 * exactly the current privilege level, through a selector whose RPL is CPL.
 *
 *   null selector      → #GP(0)
 *   beyond the limit, RPL != CPL, not writable data, DPL != CPL
 *                      → #GP(selector)
 *   not present        → #SS(selector)
 */
static enum seg_load_result load_stack(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
				       uint16_t sel, struct x86_fault *fault)
{
	struct pending_load pl;
	uint32_t ar;

	if (sel_is_null(sel))
		return fault_with(fault, X86_GP, 0);
	if (read_descriptor(cpu, mem, sel, &pl, fault))
		return SEG_LOAD_FAULT;
	ar = pl.desc.ar;
	if (X86_SEL_RPL(sel) != cpu->cpl || !ar_is_writable_data(ar) || ar_dpl(ar) != cpu->cpl)
		return fault_with(fault, X86_GP, sel_error_code(sel));
	if (!ar_present(ar))
		return fault_with(fault, X86_SS, sel_error_code(sel));
	return commit(cpu, mem, RMT_SS, sel, &pl, fault);
}

/* System descriptors a far JMP or CALL may name and transfers through: call
 * gates, task gates and available TSSs (SDM Vol. 2, JMP/CALL).  They change
 * tasks or privilege, which the segment model does not do (yet). */
static int is_gate_or_available_tss(uint32_t ar)
{
	switch (ar_type(ar)) {
	case DESC_SYS_TSS16_AVAIL:
	case DESC_SYS_CALL_GATE16:
	case DESC_SYS_TASK_GATE:
	case DESC_SYS_TSS32_AVAIL:
	case DESC_SYS_CALL_GATE32:
		return 1;
	default:
		return 0;
	}
}

/*
 * Far JMP and far CALL straight to a code segment (SDM Vol. 2, JMP and CALL,
 * "CONFORMING-CODE-SEGMENT" / "NONCONFORMING-CODE-SEGMENT"):
 *
 *   null selector                          → #GP(0)
 *   beyond the limit                       → #GP(selector)
 *   not code, not a gate/TSS               → #GP(selector)
 *   gate or TSS                            → SEG_LOAD_UNSUPPORTED
 *   conforming with DPL > CPL              → #GP(selector)
 *   non-conforming with RPL > CPL or DPL != CPL → #GP(selector)
 *   not present                            → #NP(selector)
 *
 * The privilege level does not change: "CS(RPL) ← CPL".  (The EIP-in-limit
 * check, #GP(0), is the caller's, since it knows the new EIP.)
 */
static enum seg_load_result load_cs_transfer(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
					     uint16_t sel, struct x86_fault *fault)
{
	struct pending_load pl;
	uint32_t ar;

	if (sel_is_null(sel))
		return fault_with(fault, X86_GP, 0);
	if (read_descriptor(cpu, mem, sel, &pl, fault))
		return SEG_LOAD_FAULT;
	ar = pl.desc.ar;
	if (!ar_is_code(ar)) {
		if (!ar_is_code_or_data(ar) && is_gate_or_available_tss(ar))
			return SEG_LOAD_UNSUPPORTED;
		return fault_with(fault, X86_GP, sel_error_code(sel));
	}
	if (ar_is_conforming_code(ar)) {
		if (ar_dpl(ar) > cpu->cpl)
			return fault_with(fault, X86_GP, sel_error_code(sel));
	} else if (X86_SEL_RPL(sel) > cpu->cpl || ar_dpl(ar) != cpu->cpl) {
		return fault_with(fault, X86_GP, sel_error_code(sel));
	}
	if (!ar_present(ar))
		return fault_with(fault, X86_NP, sel_error_code(sel));
	return commit(cpu, mem, RMT_CS, (uint16_t)((sel & 0xfffcu) | cpu->cpl), &pl, fault);
}

/*
 * Far RET and protected-mode IRET (SDM Vol. 2, RET "PROTECTED-MODE" and IRET
 * "PROTECTED-MODE-RETURN") — the same checks for both:
 *
 *   null selector                           → #GP(0)
 *   beyond the limit, not code              → #GP(selector)
 *   RPL < CPL                               → #GP(selector)
 *   conforming with DPL > RPL               → #GP(selector)
 *   non-conforming with DPL != RPL          → #GP(selector)
 *   not present                             → #NP(selector)
 *   RPL > CPL (return to an outer ring)     → SEG_LOAD_UNSUPPORTED
 *
 * A same-level return keeps CPL (= RPL).  The outer-ring return also pops
 * SS:ESP and nulls data segments the new CPL may not use; the interpreter
 * reports it rather than half-doing it.
 */
static enum seg_load_result load_cs_return(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
					   uint16_t sel, struct x86_fault *fault)
{
	struct pending_load pl;
	uint32_t ar;
	unsigned rpl = X86_SEL_RPL(sel);

	if (sel_is_null(sel))
		return fault_with(fault, X86_GP, 0);
	if (read_descriptor(cpu, mem, sel, &pl, fault))
		return SEG_LOAD_FAULT;
	ar = pl.desc.ar;
	if (!ar_is_code(ar) || rpl < cpu->cpl)
		return fault_with(fault, X86_GP, sel_error_code(sel));
	if (ar_is_conforming_code(ar) ? ar_dpl(ar) > rpl : ar_dpl(ar) != rpl)
		return fault_with(fault, X86_GP, sel_error_code(sel));
	if (!ar_present(ar))
		return fault_with(fault, X86_NP, sel_error_code(sel));
	if (rpl > cpu->cpl)
		return SEG_LOAD_UNSUPPORTED;
	return commit(cpu, mem, RMT_CS, sel, &pl, fault);
}

/* Which registers each kind of load may target: anything else is a bug in
 * the caller (MOV to CS is #UD, which the decoder raises before we are
 * called). */
static int kind_fits_register(enum rmt_seg seg, enum seg_load_kind kind)
{
	switch (kind) {
	case SEG_LOAD_DATA:
		return seg == RMT_DS || seg == RMT_ES || seg == RMT_FS || seg == RMT_GS;
	case SEG_LOAD_STACK:
		return seg == RMT_SS;
	case SEG_LOAD_CS_JMP:
	case SEG_LOAD_CS_CALL:
	case SEG_LOAD_CS_RET:
	case SEG_LOAD_CS_IRET:
		return seg == RMT_CS;
	}
	return 0;
}

enum seg_load_result seg_load(struct guest_cpu *cpu, const struct seg_mem_ops *mem,
			      enum rmt_seg seg, uint16_t sel, enum seg_load_kind kind,
			      struct x86_fault *fault)
{
	if (!kind_fits_register(seg, kind))
		return SEG_LOAD_UNSUPPORTED;
	if (in_real_mode(cpu)) {
		load_real(cpu, seg, sel);
		return SEG_LOAD_OK;
	}
	if (in_vm86_mode(cpu)) {
		load_vm86(cpu, seg, sel);
		return SEG_LOAD_OK;
	}
	switch (kind) {
	case SEG_LOAD_DATA:
		return load_data(cpu, mem, seg, sel, fault);
	case SEG_LOAD_STACK:
		return load_stack(cpu, mem, sel, fault);
	case SEG_LOAD_CS_JMP:
	case SEG_LOAD_CS_CALL:
		return load_cs_transfer(cpu, mem, sel, fault);
	case SEG_LOAD_CS_RET:
	case SEG_LOAD_CS_IRET:
		return load_cs_return(cpu, mem, sel, fault);
	}
	return SEG_LOAD_UNSUPPORTED;
}

/*
 * interp_step: decode, execute, commit — the driver over the decode tables.
 *
 * Transactional state (as in Xen's x86_emulate): the instruction changes
 * the caller's CPU in place and buffers its memory writes (linear.c); the
 * writes reach memory only when it retires, and a fault, an unsupported
 * form or a memory error puts the CPU back from the undo record — the
 * general registers and flags saved at the start, the rest saved by the
 * first instruction that changes it (emu_save_cold).  Except the completed
 * iterations of a REP string instruction, which are committed as they
 * complete (string.c).  No copy of the whole CPU in the common case: that
 * and clearing a large state per step were most of an instruction's cost.
 */
#include <stddef.h>
#include "lib/string.h"
#include "vm86/dcache.h"

static void emu_init(struct emu *e, struct guest_cpu *cpu, const struct interp_ops *ops,
		     struct interp_status *st)
{
	e->c = cpu;
	e->ops = ops;
	e->st = st;
	e->dc_slot = 0;
	e->eip0 = e->next = cpu->s.eip;
	__builtin_memcpy(e->undo.gpr, cpu->s.gpr, sizeof(e->undo.gpr));
	e->undo.eflags = cpu->s.eflags;
	e->undo.interruptibility = cpu->s.interruptibility;
}

/* Put the CPU back as it was before the instruction (or its last completed
 * REP iteration).  EIP never changed: it moves only at retire. */
static void undo(struct emu *e)
{
	if (e->cold_saved)
		*e->c = e->undo.cold;
	__builtin_memcpy(e->c->s.gpr, e->undo.gpr, sizeof(e->undo.gpr));
	e->c->s.eflags = e->undo.eflags;
	e->c->s.interruptibility = e->undo.interruptibility;
}

/* Commit: the buffered writes, then EIP = e->next. */
static inline __attribute__((always_inline)) enum interp_result retire(struct emu *e, int rc)
{
	int frc = e->nw ? emu_flush_writes(e) : 0;

	if (frc) {
		undo(e);
		return (enum interp_result)frc;
	}
	/* Sequential execution in a 16-bit code segment wraps IP at 64 KiB. */
	if (!e->branched && !(e->c->s.seg[RMT_CS].ar & RMT_AR_DB))
		e->next &= 0xffff;
	e->c->s.eip = e->next;
	return (enum interp_result)rc;
}

/* Only what the caller may read for this result needs a value (interp.h). */
static void status_init(struct interp_status *st)
{
	st->why[0] = 0;
	__builtin_memset(st->opcode, 0, sizeof(st->opcode));
	st->length = 0;
}

enum interp_result interp_step(struct guest_cpu *cpu, const struct interp_ops *ops,
			       struct interp_status *st)
{
	struct interp_status scratch;
	struct emu e;
	uint32_t opbytes;
	int rc;

	if (!st)
		st = &scratch;
	st->why[0] = 0;         /* opcode[] and length: below, whatever happens */
	emu_init(&e, cpu, ops, st);
	/* Blocking by STI / MOV SS covers one instruction: this one retires it.
	 * Retiring also clears RF (IRET may set it again). */
	cpu->s.interruptibility = 0;
	cpu->s.eflags &= ~X86_FL_RF;

	if (ops->dcache) {
		uint32_t key = dc_key(cpu), lin = cpu->s.seg[RMT_CS].base + cpu->s.eip;
		struct emu_dc_ent *ent = emu_dc_slot(ops->dcache, lin);

		if (emu_dc_hit(&e, ent, lin, key))
			rc = emu_read_operands(&e);
		else
			rc = emu_decode(&e, ent, lin, key);
	} else {
		rc = emu_decode(&e, NULL, cpu->s.seg[RMT_CS].base + cpu->s.eip,
				dc_key(cpu));
	}
	/* The opcode bytes (and ModRM) for messages, as far as decoded. */
	opbytes = e.twobyte ? 0x0fu | (uint32_t)e.opc << 8 | (uint32_t)e.modrm << 16 :
			      e.opc | (uint32_t)e.modrm << 8;
	__builtin_memcpy(st->opcode, &opbytes, sizeof(st->opcode));
	if (!rc) {
		e.wb = e.wb0;
		rc = e.fn(&e);
		if (!rc && e.wb) {
			if (e.dst.type == OP_REG)
				emu_reg_write(&e, e.dst.reg, e.dst.size, e.dst.val);
			else
				rc = emu_mem_write_last(&e, e.dst.seg, e.dst.off, e.dst.size,
							e.dst.val);
		}
	}
	if (rc == INTERP_OK || rc == INTERP_HALT) {
		st->length = e.len;     /* with the bytes the handler fetched */
		if (e.dc_slot)
			emu_dc_commit(&e);
		return retire(&e, rc);
	}
	st->length = e.len;
	undo(&e);
	if (rc == INTERP_FAULT)
		st->fault = e.fault;
	return (enum interp_result)rc;
}

static enum interp_result deliver(struct guest_cpu *cpu, const struct interp_ops *ops,
				  unsigned vector, int is_software, int has_ec, uint32_t ec,
				  struct interp_status *st)
{
	struct interp_status scratch;
	struct emu e;
	int rc;

	if (!st)
		st = &scratch;
	status_init(st);
	emu_zero(&e);
	e.seg_ovr = -1;
	emu_init(&e, cpu, ops, st);
	if (vector > 255)
		return (enum interp_result)emu_unsupported(&e, "vector %u", vector);
	rc = emu_deliver_event_ec(&e, vector, is_software, has_ec, ec, cpu->s.eip);
	if (rc == INTERP_OK)
		return retire(&e, rc);
	undo(&e);
	if (rc == INTERP_FAULT)
		st->fault = e.fault;
	return (enum interp_result)rc;
}

enum interp_result interp_deliver(struct guest_cpu *cpu, const struct interp_ops *ops,
				  unsigned vector, int is_software, struct interp_status *st)
{
	return deliver(cpu, ops, vector, is_software, 0, 0, st);
}

enum interp_result interp_deliver_fault(struct guest_cpu *cpu, const struct interp_ops *ops,
					const struct x86_fault *fault, struct interp_status *st)
{
	return deliver(cpu, ops, fault->vector, 0, fault->has_error, fault->error_code, st);
}

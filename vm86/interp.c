/*
 * interp_step: decode, execute, commit — the driver over the decode tables.
 *
 * Transactional state (as in Xen's x86_emulate): the instruction runs on a
 * shadow copy of struct guest_cpu and buffers its memory writes
 * (linear.c); both are committed only when it retires.  A fault, an
 * unsupported form or a memory error returns with the caller's cpu exactly
 * as it was — except the completed iterations of a REP string instruction,
 * which are committed as they complete (string.c).
 */
#include <stddef.h>
#include "lib/string.h"
#include "vm86/interp_priv.h"

_Static_assert(offsetof(struct emu, c) == 0, "emu_init clears from the field after c");

static void emu_init(struct emu *e, struct guest_cpu *cpu, const struct interp_ops *ops,
		     struct interp_status *st)
{
	/* Everything but the shadow CPU (copied whole just below) and the
	 * write buffer (guarded by nw) starts at zero.  c is the first field. */
	memset(&e->cpu, 0, offsetof(struct emu, w) - offsetof(struct emu, cpu));
	e->c = *cpu;
	e->cpu = cpu;
	e->ops = ops;
	e->st = st;
	e->seg_ovr = -1;
	e->eip0 = e->next = cpu->s.eip;
}

/* Commit the shadow state with EIP = e->next. */
static enum interp_result retire(struct emu *e, int rc)
{
	int frc = emu_flush_writes(e);

	if (frc)
		return (enum interp_result)frc;
	/* Sequential execution in a 16-bit code segment wraps IP at 64 KiB. */
	if (!e->branched && !(e->c.s.seg[RMT_CS].ar & RMT_AR_DB))
		e->next &= 0xffff;
	e->c.s.eip = e->next;
	*e->cpu = e->c;
	return (enum interp_result)rc;
}

enum interp_result interp_step(struct guest_cpu *cpu, const struct interp_ops *ops,
			       struct interp_status *st)
{
	struct interp_status scratch;
	const struct opcode_desc *d;
	struct emu e;
	int rc;

	if (!st)
		st = &scratch;
	memset(st, 0, sizeof(*st));
	emu_init(&e, cpu, ops, st);
	/* Blocking by STI / MOV SS covers one instruction: this one retires it.
	 * Retiring also clears RF (IRET may set it again). */
	e.c.s.interruptibility = 0;
	e.c.s.eflags &= ~X86_FL_RF;

	rc = emu_decode(&e);
	if (!rc) {
		d = e.twobyte ? &emu_twobyte_table[e.opc] : &emu_opcode_table[e.opc];
		e.wb = e.dst.type != OP_NONE && !(e.flags & NoWB);
		rc = d->fn(&e);
		if (!rc && e.wb)
			rc = emu_op_write(&e, &e.dst);
	}
	st->length = e.len;
	if (rc == INTERP_OK || rc == INTERP_HALT)
		return retire(&e, rc);
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
	memset(st, 0, sizeof(*st));
	emu_init(&e, cpu, ops, st);
	if (vector > 255)
		return (enum interp_result)emu_unsupported(&e, "vector %u", vector);
	rc = emu_deliver_event_ec(&e, vector, is_software, has_ec, ec, cpu->s.eip);
	if (rc == INTERP_OK)
		return retire(&e, rc);
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

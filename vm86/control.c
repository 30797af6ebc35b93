/*
 * Control transfer: Jcc, JMP, CALL, RET (near and far), LOOP/JCXZ, INT n /
 * INT3 / INTO / INT1, IRET, and event delivery through the real-mode IVT or
 * a protected-mode IDT gate at the same privilege level.
 *
 * The new EIP lives in e->next (interp.c copies it to EIP on success).
 */
#include "gdt/descriptor.h"
#include "gdt/descriptor_table.h"
#include "vm86/interp_priv.h"

/*
 * Branch target check: the new EIP must be within the CS limit, or the
 * branch raises #GP(0) with EIP still at the branch (SDM Vol. 2A JMP).  With
 * a 16-bit operand size the target is truncated to 16 bits first.
 */
int emu_set_ip(struct emu *e, uint32_t ip)
{
	if (ip > e->c->s.seg[RMT_CS].limit)
		return fault_gp0(e);
	e->next = ip;
	e->branched = 1;
	return 0;
}

static int jump_rel(struct emu *e, uint32_t rel)
{
	return emu_set_ip(e, (e->next + rel) & size_mask(e->opsz));
}

/* 70-7F, 0F 80-8F: Jcc. */
int emu_op_jcc(struct emu *e)
{
	return emu_cond_true(e, e->opc & 15) ? jump_rel(e, e->src.val) : 0;
}

/* E9 JMP rel16/32, EB JMP rel8. */
int emu_op_jmp_rel(struct emu *e)
{
	return jump_rel(e, e->src.val);
}

/* E8: CALL rel16/32. */
int emu_op_call_rel(struct emu *e)
{
	uint32_t ret = e->next;

	TRY(jump_rel(e, e->src.val));
	return emu_push_last(e, e->opsz, ret);
}

/* C3 RET, C2 iw RET imm16: pop EIP, then release imm16 bytes of stack. */
int emu_op_ret(struct emu *e)
{
	uint32_t ip;
	unsigned ss = stack_size(e);

	TRY(emu_pop(e, e->opsz, &ip));
	TRY(emu_set_ip(e, ip));
	if (e->opc == 0xc2)
		emu_reg_write(e, RMT_ESP, ss, e->c->s.gpr[RMT_ESP] + e->src.val);
	return 0;
}

/*
 * Load CS through the segment model, then the new EIP (truncated to the
 * operand size), limit-checked against the *new* CS.
 */
int emu_far_transfer(struct emu *e, uint16_t sel, uint32_t ip, enum seg_load_kind kind)
{
	TRY(emu_load_seg(e, RMT_CS, sel, kind));
	return emu_set_ip(e, ip & size_mask(e->opsz));
}

/* CA iw RETF imm16, CB RETF. */
int emu_op_retf(struct emu *e)
{
	uint32_t ip, cs;
	unsigned ss = stack_size(e);

	TRY(emu_pop(e, e->opsz, &ip));
	TRY(emu_pop(e, e->opsz, &cs));
	TRY(emu_far_transfer(e, (uint16_t)cs, ip, SEG_LOAD_CS_RET));
	if (e->opc == 0xca)
		emu_reg_write(e, RMT_ESP, ss, e->c->s.gpr[RMT_ESP] + e->src.val);
	return 0;
}

/* EA: JMP ptr16:16/32 — the instruction that ends every real-to-protected switch. */
int emu_op_jmp_far(struct emu *e)
{
	uint32_t ip, sel;

	TRY(emu_fetch(e, e->opsz, &ip));
	TRY(emu_fetch(e, 2, &sel));
	return emu_far_transfer(e, (uint16_t)sel, ip, SEG_LOAD_CS_JMP);
}

/* Far CALL: the descriptor checks come first, then CS and EIP are pushed. */
static int call_far(struct emu *e, uint16_t sel, uint32_t ip)
{
	uint16_t old_cs = e->c->s.seg[RMT_CS].sel;
	uint32_t ret = e->next;

	TRY(emu_far_transfer(e, sel, ip, SEG_LOAD_CS_CALL));
	TRY(emu_push(e, e->opsz, old_cs));
	return emu_push(e, e->opsz, ret);
}

/* 9A: CALL ptr16:16/32. */
int emu_op_call_far(struct emu *e)
{
	uint32_t ip, sel;

	TRY(emu_fetch(e, e->opsz, &ip));
	TRY(emu_fetch(e, 2, &sel));
	return call_far(e, (uint16_t)sel, ip);
}

/* FF: group 5 — INC, DEC, CALL r/m, CALL m16:16/32, JMP r/m, JMP m16:16/32, PUSH r/m. */
int emu_op_grp5(struct emu *e)
{
	uint32_t ip, sel, ret;

	if (e->reg == 7)
		return emu_fault(e, X86_UD, 0);
	if ((e->reg == 3 || e->reg == 5) && e->dst.type != OP_MEM)
		return emu_fault(e, X86_UD, 0);
	if (e->reg <= 1) {
		if (e->dst.type == OP_MEM)
			TRY(emu_mem_check_write(e, e->dst.seg, e->dst.off, e->dst.size));
		TRY(emu_op_read(e, &e->dst));
		return emu_op_inc_dec(e);
	}
	e->wb = 0;
	if (e->reg == 3 || e->reg == 5) {
		TRY(emu_mem_check_read(e, e->dst.seg, e->dst.off, e->opsz + 2u));
		TRY(emu_mem_read(e, e->dst.seg, e->dst.off, e->opsz, &ip));
		TRY(emu_mem_read(e, e->dst.seg, e->dst.off + e->opsz, 2, &sel));
		if (e->reg == 3)
			return call_far(e, (uint16_t)sel, ip);
		return emu_far_transfer(e, (uint16_t)sel, ip, SEG_LOAD_CS_JMP);
	}
	TRY(emu_op_read(e, &e->dst));
	switch (e->reg) {
	case 2:
		ret = e->next;
		TRY(emu_set_ip(e, e->dst.val));
		return emu_push_last(e, e->opsz, ret);
	case 4:
		return emu_set_ip(e, e->dst.val);
	default:
		return emu_push_last(e, e->opsz, e->dst.val);
	}
}

/* E0 LOOPNE, E1 LOOPE, E2 LOOP, E3 JCXZ/JECXZ: the counter is CX or ECX by address size. */
int emu_op_loop(struct emu *e)
{
	uint32_t cnt = emu_reg_read(e, RMT_ECX, e->adsz);
	int zf = !!(e->c->s.eflags & X86_FL_ZF), take;

	if (e->opc == 0xe3)
		return cnt == 0 ? jump_rel(e, e->src.val) : 0;
	cnt = (cnt - 1) & size_mask(e->adsz);
	emu_reg_write(e, RMT_ECX, e->adsz, cnt);
	take = cnt != 0;
	if (e->opc == 0xe0)
		take = take && !zf;
	else if (e->opc == 0xe1)
		take = take && zf;
	return take ? jump_rel(e, e->src.val) : 0;
}

/* ---------------------------------------------------- event delivery --- */

/*
 * Real-address mode (SDM Vol. 3A 20.1.4, INT n "REAL-ADDRESS-MODE"): the
 * vector's 4-byte entry must lie within IDTR.limit (else #GP); push FLAGS,
 * CS, IP as 16-bit values; clear IF, TF, AC (and RF); load CS:IP from the
 * entry.
 */
static int deliver_real(struct emu *e, unsigned vector, uint32_t ret_eip)
{
	uint8_t ent[4];
	uint16_t cs = e->c->s.seg[RMT_CS].sel;

	if (vector * 4 + 3 > e->c->s.idtr.limit)
		return fault_gp0(e);
	TRY(emu_lin_read(e, e->c->s.idtr.base + vector * 4, ent, 4, ACC_READ | ACC_SYS));
	TRY(emu_push(e, 2, emu_read_eflags_for_push(e)));
	TRY(emu_push(e, 2, cs));
	TRY(emu_push(e, 2, ret_eip));
	e->c->s.eflags &= ~(X86_FL_IF | X86_FL_TF | X86_FL_AC | X86_FL_RF);
	TRY(emu_load_seg(e, RMT_CS, (uint16_t)(ent[2] | ent[3] << 8), SEG_LOAD_CS_CALL));
	return emu_set_ip(e, (uint32_t)(ent[0] | ent[1] << 8));
}

static int idt_read(void *ctx, uint32_t lin, void *buf, unsigned len, struct x86_fault *f)
{
	struct emu *e = ctx;
	int rc = emu_lin_read(e, lin, buf, len, ACC_READ | ACC_SYS);

	if (rc == INTERP_FAULT)
		*f = e->fault;
	else if (rc)
		e->hard_rc = rc;
	return rc ? -1 : 0;
}

/*
 * Protected mode through an interrupt or trap gate to a code segment at the
 * current privilege level (SDM Vol. 3A 6.12.1).  A gate that changes
 * privilege (needs the TSS stack), a task gate, or an event in vm86 is
 * reported as unsupported rather than half-done.  Error codes of the gate's
 * own faults: vector*8 + 2 (IDT) + EXT (1 for a hardware event).
 */
static int deliver_pm(struct emu *e, unsigned vector, int is_software, int has_ec,
		      uint32_t ec, uint32_t ret_eip)
{
	uint8_t g[8], raw[8];
	struct seg_desc d;
	struct x86_fault f;
	uint32_t idt_ec = vector * 8 + 2 + (is_software ? 0 : 1), off, lin, fl;
	unsigned type, gsize, cpl = cur_cpl(e);
	uint16_t sel, old_cs = e->c->s.seg[RMT_CS].sel;

	if (mode_vm86(e))
		return emu_unsupported(e, "event %u in vm86 mode (needs a ring switch)", vector);
	if (vector * 8 + 7 > e->c->s.idtr.limit)
		return emu_fault(e, X86_GP, idt_ec);
	TRY(emu_lin_read(e, e->c->s.idtr.base + vector * 8, g, 8, ACC_READ | ACC_SYS));
	type = g[5] & 0x1f;     /* S bit and type */
	if (type == DESC_SYS_TASK_GATE)
		return emu_unsupported(e, "task gate for vector %u", vector);
	if (type != DESC_SYS_INT_GATE16 && type != DESC_SYS_TRAP_GATE16 &&
	    type != DESC_SYS_INT_GATE32 && type != DESC_SYS_TRAP_GATE32)
		return emu_fault(e, X86_GP, idt_ec);
	if (is_software && ((g[5] >> 5) & 3) < cpl)
		return emu_fault(e, X86_GP, idt_ec);
	if (!(g[5] & 0x80))
		return emu_fault(e, X86_NP, idt_ec);
	sel = (uint16_t)(g[2] | g[3] << 8);
	gsize = (type & 8) ? 4 : 2;
	off = g[0] | (uint32_t)g[1] << 8 | (gsize == 4 ? (uint32_t)g[6] << 16 | (uint32_t)g[7] << 24 : 0);
	if (sel_is_null(sel))
		return emu_fault(e, X86_GP, is_software ? 0 : 1);
	e->hard_rc = 0;
	if (desc_table_read(&e->c->s.gdtr, &e->c->s.seg[RMT_LDTR], sel, idt_read, e, raw, &lin, &f)) {
		if (e->hard_rc)
			return e->hard_rc;
		e->fault = f;
		return INTERP_FAULT;
	}
	desc_decode(raw, &d);
	if (!ar_is_code(d.ar))
		return emu_fault(e, X86_GP, sel_error_code(sel) + (is_software ? 0 : 1));
	if (!ar_is_conforming_code(d.ar) && ar_dpl(d.ar) < cpl)
		return emu_unsupported(e, "vector %u: gate to a more privileged ring", vector);
	if (ar_dpl(d.ar) > cpl)
		return emu_fault(e, X86_GP, sel_error_code(sel) + (is_software ? 0 : 1));
	fl = emu_read_eflags_for_push(e);
	TRY(emu_push(e, gsize, fl));
	TRY(emu_push(e, gsize, old_cs));
	TRY(emu_push(e, gsize, ret_eip));
	if (has_ec)
		TRY(emu_push(e, gsize, ec));
	TRY(emu_load_seg(e, RMT_CS, (uint16_t)((sel & 0xfffc) | cpl), SEG_LOAD_CS_CALL));
	e->c->s.eflags &= ~(X86_FL_TF | X86_FL_NT | X86_FL_RF | X86_FL_VM);
	if (!(type & 1))
		e->c->s.eflags &= ~X86_FL_IF;    /* interrupt gate, not trap gate */
	return emu_set_ip(e, gsize == 2 ? off & 0xffff : off);
}

int emu_deliver_event(struct emu *e, unsigned vector, int is_software, uint32_t ret_eip)
{
	if (mode_real(e))
		return deliver_real(e, vector, ret_eip);
	return deliver_pm(e, vector, is_software, 0, 0, ret_eip);
}

int emu_deliver_event_ec(struct emu *e, unsigned vector, int is_software, int has_ec,
		     uint32_t ec, uint32_t ret_eip)
{
	if (mode_real(e))
		return deliver_real(e, vector, ret_eip);
	return deliver_pm(e, vector, is_software, has_ec, ec, ret_eip);
}

/*
 * CC INT3, CD ib INT n, CE INTO, F1 INT1 (ICEBP).  In vm86 with IOPL < 3,
 * INT n (CD only) is IOPL-sensitive and raises #GP(0); with CR4.VME the
 * redirection bitmap would decide, which we do not model.
 */
int emu_op_int(struct emu *e)
{
	unsigned vector;

	switch (e->opc) {
	case 0xcc: vector = X86_BP; break;
	case 0xce:
		if (!(e->c->s.eflags & X86_FL_OF))
			return 0;
		vector = X86_OF;
		break;
	case 0xf1: vector = X86_DB; break;
	default: vector = e->src.val & 0xff; break;
	}
	if (e->opc == 0xcd && mode_vm86(e) && cur_iopl(e) < 3) {
		if (e->c->s.cr4 & X86_CR4_VME)
			return emu_unsupported(e, "INT %02x in vm86 with CR4.VME", vector);
		return fault_gp0(e);
	}
	return emu_deliver_event(e, vector, e->opc != 0xf1, e->next);
}

/* Bits IRET restores in real mode with a 32-bit operand (SDM Vol. 2A IRET). */
#define FL_IRET_REAL 0x257fd5u

/*
 * CF: IRET/IRETD.
 *   real mode: pop IP, CS, FLAGS (opsz); 32-bit keeps VM, VIF, VIP;
 *   vm86, IOPL 3: the same, IOPL unchanged (32-bit: VM, VIP, VIF too);
 *   vm86, IOPL < 3: #GP(0) (VME's IRET emulation is not modelled);
 *   protected mode: same-privilege return only; NT (task return), a return
 *   to vm86 and to an outer ring are reported unsupported.
 */
int emu_op_iret(struct emu *e)
{
	uint32_t ip, cs, fl, mask, *f = &e->c->s.eflags;
	unsigned cpl = cur_cpl(e), iopl = cur_iopl(e);

	if (mode_vm86(e) && iopl < 3)
		return fault_gp0(e);
	if (mode_pm(e) && (*f & X86_FL_NT))
		return emu_unsupported(e, "IRET with NT=1 (task return)");
	TRY(emu_pop(e, e->opsz, &ip));
	TRY(emu_pop(e, e->opsz, &cs));
	TRY(emu_pop(e, e->opsz, &fl));
	if (mode_real(e)) {
		mask = e->opsz == 4 ? FL_IRET_REAL : 0xffff;
	} else if (mode_vm86(e)) {
		mask = (e->opsz == 4 ? FL_IRET_REAL : 0xffff) & ~X86_FL_IOPL;
	} else {
		if (e->opsz == 4 && (fl & X86_FL_VM) && cpl == 0)
			return emu_unsupported(e, "IRET to virtual-8086 mode");
		mask = 0x4fd5u;                         /* CF PF AF ZF SF TF DF OF NT */
		if (e->opsz == 4)
			mask |= X86_FL_RF | X86_FL_AC | X86_FL_ID;
		if (cpl <= iopl)
			mask |= X86_FL_IF;
		if (cpl == 0) {
			mask |= X86_FL_IOPL;
			if (e->opsz == 4)
				mask |= X86_FL_VIF | X86_FL_VIP;
		}
	}
	TRY(emu_far_transfer(e, (uint16_t)cs, ip, SEG_LOAD_CS_IRET));
	*f = (*f & ~mask) | (fl & mask) | X86_FL_FIXED;
	return 0;
}

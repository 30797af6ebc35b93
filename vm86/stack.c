/*
 * The stack and segment-register loads: PUSH/POP in all forms, PUSHA/POPA,
 * PUSHF/POPF with their mode-dependent flag rules, ENTER/LEAVE, and
 * emu_load_seg(), the single door to the segment model (segments/seg_load()).
 */
#include "lib/string.h"
#include "vm86/interp_priv.h"

/* ------------------------------------------------------- push and pop --- */

/* SS.B picks ESP or SP; a 16-bit stack wraps at 64 KiB and keeps ESP[31:16].
 * last: the push is the instruction's last fallible act (the rest only sets
 * registers), so the write may go to memory at once (emu_mem_write_last). */
static inline __attribute__((always_inline)) int push(struct emu *e, unsigned size, uint32_t val,
						      int last)
{
	unsigned ss = stack_size(e);
	uint32_t sp = (e->c->s.gpr[RMT_ESP] - size) & size_mask(ss);

	TRY(last ? emu_mem_write_last(e, RMT_SS, sp, size, val) :
		   emu_mem_write(e, RMT_SS, sp, size, val));
	emu_reg_write(e, RMT_ESP, ss, sp);
	return 0;
}

int emu_push(struct emu *e, unsigned size, uint32_t val)
{
	return push(e, size, val, 0);
}

int emu_push_last(struct emu *e, unsigned size, uint32_t val)
{
	return push(e, size, val, 1);
}

int emu_pop(struct emu *e, unsigned size, uint32_t *val)
{
	unsigned ss = stack_size(e);
	uint32_t sp = e->c->s.gpr[RMT_ESP] & size_mask(ss);

	TRY(emu_mem_read(e, RMT_SS, sp, size, val));
	emu_reg_write(e, RMT_ESP, ss, sp + size);
	return 0;
}

/* --------------------------------------------------------- segment loads --- */

static int segmem_read(void *ctx, uint32_t lin, void *buf, unsigned len, struct x86_fault *f)
{
	struct emu *e = ctx;
	int rc = emu_lin_read(e, lin, buf, len, ACC_READ | ACC_SYS);

	if (rc == INTERP_FAULT)
		*f = e->fault;
	else if (rc)
		e->hard_rc = rc;
	return rc ? -1 : 0;
}

static int segmem_write(void *ctx, uint32_t lin, const void *buf, unsigned len,
			struct x86_fault *f)
{
	struct emu *e = ctx;
	int rc = emu_lin_write(e, lin, buf, len, ACC_WRITE | ACC_SYS);

	if (rc == INTERP_FAULT)
		*f = e->fault;
	else if (rc)
		e->hard_rc = rc;
	return rc ? -1 : 0;
}

static const char *const seg_names[RMT_NSEG] = { "ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR" };

/*
 * Every segment-register load goes through seg_load(), after the CPU's cold
 * part is saved (interp.c), so a later fault in the same instruction undoes
 * it like any register change.  Descriptor reads and accessed-bit writes
 * travel through our own linear access (paging, A20, the write buffer).
 */
int emu_load_seg(struct emu *e, unsigned seg, uint16_t sel, enum seg_load_kind kind)
{
	struct x86_fault f;
	enum seg_load_result r;

	memset(&f, 0, sizeof(f));
	e->segmem.ctx = e;
	e->segmem.read_linear = segmem_read;
	e->segmem.write_linear = segmem_write;
	e->hard_rc = 0;
	emu_save_cold(e);
	r = seg_load(e->c, &e->segmem, (enum rmt_seg)seg, sel, kind, &f);
	if (e->hard_rc)
		return e->hard_rc;
	if (r == SEG_LOAD_FAULT) {
		e->fault = f;
		return INTERP_FAULT;
	}
	if (r != SEG_LOAD_OK)
		return emu_unsupported(e, "segment load %s=%04x (kind %d) not supported",
				   seg_names[seg], sel, (int)kind);
	return 0;
}

/* ------------------------------------------------------ PUSH/POP forms --- */

/* 50-57 PUSH r (the value before the decrement, 286 and later), 68 PUSH imm, 6A PUSH imm8. */
int emu_op_push(struct emu *e)
{
	uint32_t v = e->opc < 0x58 ? emu_reg_read(e, e->opc & 7, e->opsz) : e->src.val;

	return emu_push_last(e, e->opsz, v);
}

/* 58-5F POP r; POP ESP leaves ESP = the popped value. */
int emu_op_pop(struct emu *e)
{
	uint32_t v;

	TRY(emu_pop(e, e->opsz, &v));
	emu_reg_write(e, e->opc & 7, e->opsz, v);
	return 0;
}

/*
 * 8F /0: POP r/m.  An ESP-based address is computed with the ESP value after
 * the pop (SDM Vol. 2B POP).
 */
int emu_op_pop_rm(struct emu *e)
{
	if (e->reg != 0)
		return emu_fault(e, X86_UD, 0);
	TRY(emu_pop(e, e->opsz, &e->dst.val));
	if (e->dst.type == OP_MEM && e->esp_base)
		e->dst.off += e->opsz;
	return 0;
}

static unsigned sreg_of_opcode(const struct emu *e)
{
	if (e->twobyte)
		return e->opc < 0xa8 ? RMT_FS : RMT_GS;
	return e->opc >> 3;     /* 06/07 ES, 0E CS, 16/17 SS, 1E/1F DS */
}

/*
 * PUSH Sreg.  With a 32-bit operand size, current processors decrement ESP by
 * 4 but write only the 16-bit selector, leaving the upper two bytes of the
 * slot alone (SDM Vol. 2B PUSH allows this or a zero-extended write; we
 * follow recent Intel processors).
 */
int emu_op_push_sreg(struct emu *e)
{
	uint16_t sel = e->c->s.seg[sreg_of_opcode(e)].sel;
	unsigned ss = stack_size(e);
	uint32_t sp = (e->c->s.gpr[RMT_ESP] - e->opsz) & size_mask(ss);

	TRY(emu_mem_write(e, RMT_SS, sp, 2, sel));
	if (e->opsz == 4) {
		uint32_t lin;
		/* the whole 4-byte slot must be writable even if only 2 bytes change */
		TRY(emu_seg_linear(e, RMT_SS, sp, 4, ACC_WRITE, &lin));
	}
	emu_reg_write(e, RMT_ESP, ss, sp);
	return 0;
}

/* POP Sreg; POP SS blocks interrupts and debug traps for one instruction. */
int emu_op_pop_sreg(struct emu *e)
{
	unsigned seg = sreg_of_opcode(e);
	uint32_t v;

	TRY(emu_pop(e, e->opsz, &v));
	TRY(emu_load_seg(e, seg, (uint16_t)v, seg == RMT_SS ? SEG_LOAD_STACK : SEG_LOAD_DATA));
	if (seg == RMT_SS)
		e->c->s.interruptibility |= 2;
	return 0;
}

/*
 * 60: PUSHA/PUSHAD, pushing the ESP value from before the first push.
 * The processor checks the whole 16 or 32 bytes against the stack limit
 * before it writes (SDM Vol. 2B PUSHA: #SS(0) "if the starting or ending
 * stack address is outside the stack segment limit"), so one check of the
 * block and one write give the same result as eight pushes — unless the
 * stack pointer wraps inside the block, or the block crosses a page (the
 * pushes would meet the higher page's #PF first): those take the push loop.
 */
int emu_op_pusha(struct emu *e)
{
	unsigned ss = stack_size(e), n = 8 * e->opsz;
	uint32_t esp = e->c->s.gpr[RMT_ESP], sp = esp & size_mask(ss), lin;
	unsigned r;

	if (sp >= n) {
		uint8_t block[32];

		TRY(emu_seg_linear(e, RMT_SS, sp - n, n, ACC_WRITE, &lin));
		if ((lin & 0xfff) <= 0x1000 - n) {
			/* EAX at the top, EDI at the bottom */
			for (r = RMT_EAX; r <= RMT_EDI; r++)
				emu_store(block + (7 - r) * e->opsz, e->opsz, e->c->s.gpr[r]);
			TRY(emu_mem_write_block_last(e, lin, block, n));
			emu_reg_write(e, RMT_ESP, ss, sp - n);
			return 0;
		}
	}
	for (r = RMT_EAX; r <= RMT_EDI; r++)
		TRY(emu_push(e, e->opsz, r == RMT_ESP ? esp : e->c->s.gpr[r]));
	return 0;
}

/* 61: POPA/POPAD; the ESP slot is skipped.  One read of the block where
 * PUSHA makes one write (the same limit rule; reads go upwards, as the pops
 * would, so even a page-crossing block faults where they would). */
int emu_op_popa(struct emu *e)
{
	unsigned ss = stack_size(e), n = 8 * e->opsz;
	uint32_t sp = e->c->s.gpr[RMT_ESP] & size_mask(ss), v, lin;
	int r;

	if (sp <= size_mask(ss) - (n - 1)) {        /* no wrap inside the block */
		uint8_t block[32];

		TRY(emu_seg_linear(e, RMT_SS, sp, n, ACC_READ, &lin));
		TRY(emu_lin_read(e, lin, block, n, ACC_READ));
		for (r = RMT_EDI; r >= RMT_EAX; r--)
			if (r != RMT_ESP)
				emu_reg_write(e, (unsigned)r, e->opsz,
					      emu_load(block + (7 - r) * e->opsz, e->opsz));
		emu_reg_write(e, RMT_ESP, ss, sp + n);
		return 0;
	}
	for (r = RMT_EDI; r >= RMT_EAX; r--) {
		TRY(emu_pop(e, e->opsz, &v));
		if (r != RMT_ESP)
			emu_reg_write(e, (unsigned)r, e->opsz, v);
	}
	return 0;
}

/* ------------------------------------------------------- PUSHF / POPF --- */

/* The image PUSHF, INT and far CALL through gates push: VM and RF read as 0. */
uint32_t emu_read_eflags_for_push(const struct emu *e)
{
	return (e->c->s.eflags & ~(X86_FL_VM | X86_FL_RF)) | X86_FL_FIXED;
}

/*
 * 9C PUSHF.  vm86 with IOPL < 3 faults, unless CR4.VME and a 16-bit operand:
 * then the pushed IF is VIF and IOPL reads as 3 (SDM Vol. 3A 20.3.3.4 / 20.4).
 */
int emu_op_pushf(struct emu *e)
{
	uint32_t v = emu_read_eflags_for_push(e);

	if (mode_vm86(e) && cur_iopl(e) < 3) {
		if (!(e->c->s.cr4 & X86_CR4_VME) || e->opsz != 2)
			return fault_gp0(e);
		v = (v & ~X86_FL_IF) | X86_FL_IOPL;
		if (e->c->s.eflags & X86_FL_VIF)
			v |= X86_FL_IF;
	}
	return emu_push_last(e, e->opsz, v);
}

/* Flags POPF may ever change: CF PF AF ZF SF TF IF DF OF IOPL NT, AC, ID. */
#define FL_POPF (0x7fd5u | X86_FL_AC | X86_FL_ID)

/*
 * 9D POPF (SDM Vol. 2B POPF/POPFD):
 *   real mode and CPL 0: everything in FL_POPF;
 *   CPL > 0: IOPL unchanged; and IF unchanged unless CPL <= IOPL;
 *   vm86, IOPL 3: IOPL unchanged;
 *   vm86, IOPL < 3: #GP(0), unless CR4.VME with a 16-bit operand: then the
 *     popped IF goes to VIF (and #GP(0) if it sets TF, or IF while VIP is set).
 * A 16-bit POPF changes bits 15:0 only.  VM, VIP, VIF are never changed
 * (except VIF by the VME path), and RF is cleared.
 */
int emu_op_popf(struct emu *e)
{
	uint32_t v, mask = FL_POPF, *f = &e->c->s.eflags;
	unsigned cpl = cur_cpl(e), iopl = cur_iopl(e);

	if (mode_vm86(e) && iopl < 3) {
		if (!(e->c->s.cr4 & X86_CR4_VME) || e->opsz != 2)
			return fault_gp0(e);
		TRY(emu_pop(e, 2, &v));
		if ((v & X86_FL_TF) || ((v & X86_FL_IF) && (*f & X86_FL_VIP)))
			return fault_gp0(e);
		mask &= ~(X86_FL_IOPL | X86_FL_IF) & 0xffff;
		*f = (*f & ~mask) | (v & mask);
		*f = (v & X86_FL_IF) ? *f | X86_FL_VIF : *f & ~X86_FL_VIF;
		return 0;
	}
	TRY(emu_pop(e, e->opsz, &v));
	if (mode_vm86(e) || cpl > 0)
		mask &= ~X86_FL_IOPL;
	if (!mode_vm86(e) && cpl > iopl)
		mask &= ~X86_FL_IF;
	if (e->opsz == 2)
		mask &= 0xffff;
	*f = ((*f & ~mask) | (v & mask) | X86_FL_FIXED) & ~X86_FL_RF;
	return 0;
}

/* ------------------------------------------------------- ENTER / LEAVE --- */

/*
 * C8 iw ib: ENTER (SDM Vol. 2A ENTER).  The nesting level is taken mod 32;
 * levels > 1 copy level-1 frame pointers from the enclosing frame.  The frame
 * pointer register is EBP or BP by the stack size; BP/EBP receives FrameTemp
 * by the operand size.
 */
int emu_op_enter(struct emu *e)
{
	uint32_t alloc, level, frame, fp, v, sm;
	unsigned ss = stack_size(e), i;

	TRY(emu_fetch(e, 2, &alloc));
	TRY(emu_fetch(e, 1, &level));
	level &= 31;
	sm = size_mask(ss);
	TRY(emu_push(e, e->opsz, emu_reg_read(e, RMT_EBP, e->opsz)));
	frame = e->c->s.gpr[RMT_ESP] & sm;
	fp = e->c->s.gpr[RMT_EBP];
	if (level) {
		for (i = 1; i < level; i++) {
			fp = (fp - e->opsz) & sm;
			TRY(emu_mem_read(e, RMT_SS, fp, e->opsz, &v));
			TRY(emu_push(e, e->opsz, v));
		}
		TRY(emu_push(e, e->opsz, frame));
	}
	emu_reg_write(e, RMT_EBP, e->opsz, frame);
	emu_reg_write(e, RMT_ESP, ss, e->c->s.gpr[RMT_ESP] - alloc);
	return 0;
}

/* C9: LEAVE, (E)SP = (E)BP by the stack size, then POP (E)BP. */
int emu_op_leave(struct emu *e)
{
	uint32_t v;

	emu_reg_write(e, RMT_ESP, stack_size(e), e->c->s.gpr[RMT_EBP]);
	TRY(emu_pop(e, e->opsz, &v));
	emu_reg_write(e, RMT_EBP, e->opsz, v);
	return 0;
}

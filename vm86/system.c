/*
 * System instructions: CLI/STI, HLT, MOV CRn/DRn, group 7 (SGDT SIDT LGDT
 * LIDT SMSW LMSW INVLPG), group 6 (SLDT STR LLDT LTR VERR VERW), LAR/LSL,
 * ARPL, CLTS, INVD/WBINVD, CPUID, RDMSR/WRMSR, RDTSC, and the opcodes we
 * refuse (SSE/MMX, SYSENTER, ...).
 *
 * "Privileged" below means CPL 0: real mode qualifies, vm86 never does
 * (SDM Vol. 3A 5.9, and 20.2.7 for vm86's #GP(0)).
 */
#include <stddef.h>
#include "gdt/descriptor.h"
#include "gdt/descriptor_table.h"
#include "vm86/interp_priv.h"

#define MSR_EFER 0xc0000080u

static int privileged(struct emu *e)
{
	return cur_cpl(e) == 0 ? 0 : fault_gp0(e);
}

/*
 * FA CLI, FB STI (SDM Vol. 2A CLI, STI; Vol. 3A 20.4 for VME/PVI).  STI that
 * sets IF blocks interrupts until after the next instruction: reported as
 * interruptibility bit 0 (VMCS "blocking by STI").
 */
int emu_op_cli_sti(struct emu *e)
{
	int sti = e->opc == 0xfb;
	uint32_t *f = &e->c->s.eflags, bit = X86_FL_IF;
	unsigned cpl = cur_cpl(e), iopl = cur_iopl(e);

	if (mode_vm86(e) && iopl < 3) {
		if (!(e->c->s.cr4 & X86_CR4_VME) || (sti && (*f & X86_FL_VIP)))
			return fault_gp0(e);
		bit = X86_FL_VIF;
	} else if (mode_pm(e) && cpl > iopl) {
		if (cpl != 3 || !(e->c->s.cr4 & X86_CR4_PVI))
			return fault_gp0(e);
		bit = X86_FL_VIF;
	}
	if (sti) {
		if (bit == X86_FL_IF && !(*f & X86_FL_IF))
			e->c->s.interruptibility |= 1;
		*f |= bit;
	} else {
		*f &= ~bit;
	}
	return 0;
}

/* F4: HLT (privileged).  The caller waits for an interrupt. */
int emu_op_hlt(struct emu *e)
{
	TRY(privileged(e));
	return INTERP_HALT;
}

#define CR0_VALID (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | \
		   X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
/* CR4 bits a 32-bit guest may set: VME..OSXMMEXCPT, UMIP(11), FSGSBASE(16), OSXSAVE(18). */
#define CR4_VALID 0x00050fffu

/*
 * CR0 writes (SDM Vol. 3A 2.5, MOV CRn "Protected Mode Exceptions"): PG
 * without PE and NW without CD are #GP(0); ET is hardwired to 1 (P6 and
 * later); reserved bits read as 0.  This is the instruction that sets or
 * clears PE: the blob looks at cpu->s.cr0 after every step.  Enabling
 * paging with EFER.LME would activate IA-32e mode, which needs the 64-bit
 * decoder we do not have: reported.
 */
static int write_cr0(struct emu *e, uint32_t v)
{
	v = (v & CR0_VALID) | X86_CR0_ET;
	if ((v & X86_CR0_PG) && !(v & X86_CR0_PE))
		return fault_gp0(e);
	if ((v & X86_CR0_NW) && !(v & X86_CR0_CD))
		return fault_gp0(e);
	if ((v & X86_CR0_PG) && !(e->c->s.cr0 & X86_CR0_PG) && (e->c->s.efer_lo & X86_EFER_LME))
		return emu_unsupported(e, "MOV CR0 enabling IA-32e mode (EFER.LME=1)");
	emu_save_cold(e);
	e->c->s.cr0 = v;
	return 0;
}

/* 0F 20 /r MOV r32, CRn; 0F 22 /r MOV CRn, r32.  ModRM.mod is ignored: always registers. */
int emu_op_mov_cr(struct emu *e)
{
	uint32_t *cr, v;

	switch (e->reg) {
	case 0: cr = &e->c->s.cr0; break;
	case 2: cr = &e->c->s.cr2; break;
	case 3: cr = &e->c->s.cr3; break;
	case 4: cr = &e->c->s.cr4; break;
	default: return emu_fault(e, X86_UD, 0);
	}
	TRY(privileged(e));
	if (e->opc == 0x20) {
		e->c->s.gpr[e->rm] = *cr;
		return 0;
	}
	v = e->c->s.gpr[e->rm];
	switch (e->reg) {
	case 0:
		return write_cr0(e, v);
	case 4:
		if (v & ~CR4_VALID)
			return fault_gp0(e);
		break;
	}
	emu_save_cold(e);
	*cr = v;
	return 0;
}

/*
 * 0F 21 / 0F 23: MOV to/from DRn (privileged).  DR4/DR5 alias DR6/DR7 unless
 * CR4.DE (then #UD).  The state record carries DR7 only; the breakpoint
 * address registers and DR6 live in the monitor, so we refuse those.
 */
int emu_op_mov_dr(struct emu *e)
{
	unsigned n = e->reg;

	if ((n == 4 || n == 5) && (e->c->s.cr4 & X86_CR4_DE))
		return emu_fault(e, X86_UD, 0);
	TRY(privileged(e));
	if (n == 5)
		n = 7;
	if (n != 7)
		return emu_unsupported(e, "MOV %s DR%u (only DR7 is modelled)",
				   e->opc == 0x21 ? "from" : "to", e->reg);
	if (e->opc == 0x21) {
		e->c->s.gpr[e->rm] = e->c->s.dr7 | 0x400;
	} else {
		emu_save_cold(e);
		e->c->s.dr7 = (e->c->s.gpr[e->rm] & 0xffff2fffu) | 0x400;
	}
	return 0;
}

/* Read the 6-byte pseudo-descriptor of LGDT/LIDT. */
static int read_dtable(struct emu *e, struct rmt_dtable *t)
{
	uint32_t limit, base;

	TRY(emu_mem_check_read(e, e->dst.seg, e->dst.off, 6));
	TRY(emu_mem_read(e, e->dst.seg, e->dst.off, 2, &limit));
	TRY(emu_mem_read(e, e->dst.seg, e->dst.off + 2, 4, &base));
	/* A 16-bit operand size loads a 24-bit base (the 80286 format). */
	emu_save_cold(e);
	t->base = e->opsz == 2 ? base & 0x00ffffffu : base;
	t->limit = limit;
	return 0;
}

/* SGDT/SIDT: limit, then the base; with a 16-bit operand the top byte is stored as 0. */
static int write_dtable(struct emu *e, const struct rmt_dtable *t)
{
	TRY(emu_mem_check_write(e, e->dst.seg, e->dst.off, 6));
	TRY(emu_mem_write(e, e->dst.seg, e->dst.off, 2, t->limit));
	return emu_mem_write(e, e->dst.seg, e->dst.off + 2, 4,
			     e->opsz == 2 ? t->base & 0x00ffffffu : t->base);
}

static const char *const grp7_reg_names[8][8] = {
	[0] = { NULL, "VMCALL", "VMLAUNCH", "VMRESUME", "VMXOFF" },
	[1] = { "MONITOR", "MWAIT", "CLAC", "STAC", NULL, NULL, NULL, "ENCLS" },
	[2] = { "XGETBV", "XSETBV", NULL, NULL, "VMFUNC", "XEND", "XTEST", "ENCLU" },
	[3] = { "VMRUN", "VMMCALL", "VMLOAD", "VMSAVE", "STGI", "CLGI", "SKINIT", "INVLPGA" },
	[7] = { "SWAPGS", "RDTSCP", "MONITORX", "MWAITX", "CLZERO", "RDPID" },
};

/* 0F 01: group 7. */
int emu_op_grp7(struct emu *e)
{
	uint32_t v;

	e->wb = 0;      /* every form below does its own memory access */
	if (e->mod == 3 && e->reg != 4 && e->reg != 6) {
		const char *n = grp7_reg_names[e->reg][e->rm];
		return n ? emu_unsupported(e, "0f 01 %02x (%s) not interpreted", e->modrm, n)
			 : emu_fault(e, X86_UD, 0);
	}
	switch (e->reg) {
	case 0: /* SGDT */
		return write_dtable(e, &e->c->s.gdtr);
	case 1: /* SIDT */
		return write_dtable(e, &e->c->s.idtr);
	case 2: /* LGDT */
	case 3: /* LIDT */
		TRY(privileged(e));
		return read_dtable(e, e->reg == 2 ? &e->c->s.gdtr : &e->c->s.idtr);
	case 4: /* SMSW: 16 bits to memory, the operand size to a register */
		if (e->mod == 3)
			emu_reg_write(e, e->rm, e->opsz, e->c->s.cr0);
		else
			TRY(emu_mem_write(e, e->dst.seg, e->dst.off, 2, e->c->s.cr0 & 0xffff));
		return 0;
	case 6: /* LMSW: PE, MP, EM, TS only, and PE cannot be cleared */
		TRY(privileged(e));
		if (e->mod == 3)
			v = emu_reg_read(e, e->rm, 2);
		else
			TRY(emu_mem_read(e, e->dst.seg, e->dst.off, 2, &v));
		emu_save_cold(e);
		e->c->s.cr0 = (e->c->s.cr0 & ~0xeu) | (v & 0xf) | (e->c->s.cr0 & X86_CR0_PE);
		return 0;
	case 7: /* INVLPG: we cache no translations */
		return privileged(e);
	default:
		return emu_fault(e, X86_UD, 0);
	}
}

/* ---------------------------------------------- descriptor instructions --- */

static int gdt_read(void *ctx, uint32_t lin, void *buf, unsigned len, struct x86_fault *f)
{
	struct emu *e = ctx;
	int rc = emu_lin_read(e, lin, buf, len, ACC_READ | ACC_SYS);

	if (rc == INTERP_FAULT)
		*f = e->fault;
	else if (rc)
		e->hard_rc = rc;
	return rc ? -1 : 0;
}

#define DESC_OUTSIDE (-1)

/* Read sel's descriptor: 0, DESC_OUTSIDE when the table limit excludes it, or an interp_result. */
static int read_desc(struct emu *e, uint16_t sel, uint8_t raw[8], uint32_t *lin)
{
	struct x86_fault f;

	e->hard_rc = 0;
	if (!desc_table_read(&e->c->s.gdtr, &e->c->s.seg[RMT_LDTR], sel, gdt_read, e, raw, lin, &f))
		return 0;
	if (e->hard_rc)
		return e->hard_rc;
	if (f.vector == X86_GP && f.error_code == sel_error_code(sel))
		return DESC_OUTSIDE;
	e->fault = f;
	return INTERP_FAULT;
}

/*
 * The visibility test shared by LAR, LSL, VERR, VERW (SDM Vol. 2A LAR): a
 * non-conforming segment needs DPL >= CPL and DPL >= RPL.
 */
static int desc_visible(const struct emu *e, uint16_t sel, uint32_t ar)
{
	if (ar_is_conforming_code(ar))
		return 1;
	return ar_dpl(ar) >= cur_cpl(e) && ar_dpl(ar) >= X86_SEL_RPL(sel);
}

/* 0F 02 LAR, 0F 03 LSL (protected mode only): ZF=1 and the result if valid, else ZF=0. */
int emu_op_lar_lsl(struct emu *e)
{
	uint16_t sel = (uint16_t)e->src.val;
	uint8_t raw[8];
	uint32_t lin, ar;
	struct seg_desc d;
	int rc, ok;

	if (!mode_pm(e))
		return emu_fault(e, X86_UD, 0);
	e->wb = 0;
	emu_set_flags(e, X86_FL_ZF, 0);
	if (sel_is_null(sel))
		return 0;
	rc = read_desc(e, sel, raw, &lin);
	if (rc == DESC_OUTSIDE)
		return 0;
	if (rc)
		return rc;
	desc_decode(raw, &d);
	ar = d.ar;
	if (ar & RMT_AR_S) {
		ok = 1;
	} else if (e->opc == 0x02) {
		unsigned t = ar_type(ar);
		ok = t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 11 || t == 12;
	} else {
		unsigned t = ar_type(ar);
		ok = t == 1 || t == 2 || t == 3 || t == 9 || t == 11;
	}
	if (!ok || !desc_visible(e, sel, ar))
		return 0;
	emu_set_flags(e, X86_FL_ZF, X86_FL_ZF);
	if (e->opc == 0x02)
		e->dst.val = (raw[4] | (uint32_t)raw[5] << 8 | (uint32_t)raw[6] << 16 |
			      (uint32_t)raw[7] << 24) & (e->opsz == 4 ? 0x00f0ff00u : 0xff00u);
	else
		e->dst.val = d.limit;
	e->wb = 1;
	return 0;
}

/*
 * LLDT/LTR: load LDTR or TR from a GDT descriptor (SDM Vol. 2A LLDT, LTR).
 * A null selector makes LDTR unusable (LTR: #GP(0)).  LTR marks the TSS busy
 * in memory.
 */
static int load_system_seg(struct emu *e, unsigned seg, uint16_t sel)
{
	uint8_t raw[8];
	uint32_t lin;
	struct seg_desc d;
	unsigned t;
	int rc;

	if (sel_is_null(sel)) {
		if (seg == RMT_TR)
			return fault_gp0(e);
		emu_save_cold(e);
		e->c->s.seg[seg].sel = sel;
		e->c->s.seg[seg].ar = RMT_AR_UNUSABLE;
		return 0;
	}
	if (sel & X86_SEL_TI)
		return emu_fault(e, X86_GP, sel_error_code(sel));
	rc = read_desc(e, sel, raw, &lin);
	if (rc == DESC_OUTSIDE)
		return emu_fault(e, X86_GP, sel_error_code(sel));
	if (rc)
		return rc;
	desc_decode(raw, &d);
	t = ar_type(d.ar);
	if ((d.ar & RMT_AR_S) || (seg == RMT_LDTR ? t != DESC_SYS_LDT :
				  t != DESC_SYS_TSS16_AVAIL && t != DESC_SYS_TSS32_AVAIL))
		return emu_fault(e, X86_GP, sel_error_code(sel));
	if (!ar_present(d.ar))
		return emu_fault(e, X86_NP, sel_error_code(sel));
	if (seg == RMT_TR) {
		raw[5] |= 2;    /* busy */
		d.ar |= 2;
		TRY(emu_lin_write(e, lin + 5, &raw[5], 1, ACC_WRITE | ACC_SYS));
	}
	emu_save_cold(e);
	e->c->s.seg[seg].sel = sel;
	e->c->s.seg[seg].base = d.base;
	e->c->s.seg[seg].limit = d.limit;
	e->c->s.seg[seg].ar = d.ar;
	return 0;
}

/* 0F 00: group 6 — SLDT, STR, LLDT, LTR, VERR, VERW; #UD outside protected mode. */
int emu_op_grp6(struct emu *e)
{
	uint32_t v, lin;
	uint8_t raw[8];
	struct seg_desc d;
	int rc, ok;

	if (!mode_pm(e) || e->reg > 5)
		return emu_fault(e, X86_UD, 0);
	e->wb = 0;
	if (e->reg <= 1) {      /* SLDT, STR: 16 bits to memory, zero-extended to a register */
		e->dst.val = e->c->s.seg[e->reg == 0 ? RMT_LDTR : RMT_TR].sel;
		if (e->dst.type == OP_MEM)
			e->dst.size = 2;
		e->wb = 1;
		return 0;
	}
	e->dst.size = 2;
	TRY(emu_op_read(e, &e->dst));
	v = e->dst.val & 0xffff;
	if (e->reg <= 3) {
		TRY(privileged(e));
		return load_system_seg(e, e->reg == 2 ? RMT_LDTR : RMT_TR, (uint16_t)v);
	}
	/* VERR / VERW: ZF=1 if readable / writable at this CPL. */
	ok = 0;
	if (!sel_is_null((uint16_t)v)) {
		rc = read_desc(e, (uint16_t)v, raw, &lin);
		if (rc > 0)
			return rc;
		if (rc == 0) {
			desc_decode(raw, &d);
			if ((d.ar & RMT_AR_S) && desc_visible(e, (uint16_t)v, d.ar))
				ok = e->reg == 4 ? (!ar_is_code(d.ar) || ar_is_readable_code(d.ar))
						 : ar_is_writable_data(d.ar);
		}
	}
	emu_set_flags(e, X86_FL_ZF, ok ? X86_FL_ZF : 0);
	return 0;
}

/* 63: ARPL r/m16, r16 (protected mode; #UD in real and vm86 mode). */
int emu_op_arpl(struct emu *e)
{
	uint32_t d = e->dst.val & 0xffff, s = e->src.val & 3;

	if (!mode_pm(e))
		return emu_fault(e, X86_UD, 0);
	e->dst.size = e->src.size = 2;
	if ((d & 3) < s) {
		emu_set_flags(e, X86_FL_ZF, X86_FL_ZF);
		e->dst.val = (d & ~3u) | s;
	} else {
		emu_set_flags(e, X86_FL_ZF, 0);
		e->wb = 0;
	}
	return 0;
}

/* ------------------------------------------------------ miscellaneous --- */

/* 0F 06: CLTS. */
int emu_op_clts(struct emu *e)
{
	TRY(privileged(e));
	emu_save_cold(e);
	e->c->s.cr0 &= ~X86_CR0_TS;
	return 0;
}

/* 0F 08 INVD, 0F 09 WBINVD: privileged; caches are the host's business. */
int emu_op_cache(struct emu *e)
{
	return privileged(e);
}

/* 0F A2: CPUID (the host intercepts it anyway; ops->cpuid asks). */
int emu_op_cpuid(struct emu *e)
{
	uint32_t out[4], *g = e->c->s.gpr;

	e->ops->cpuid(e->ops->ctx, g[RMT_EAX], g[RMT_ECX], out);
	g[RMT_EAX] = out[0];
	g[RMT_EBX] = out[1];
	g[RMT_ECX] = out[2];
	g[RMT_EDX] = out[3];
	return 0;
}

/*
 * 0F 30 WRMSR, 0F 32 RDMSR (privileged).  EFER is part of the guest state
 * record, so it is read and written there (LMA is read-only; bits other than
 * SCE, LME, NXE are reserved: #GP).  Everything else goes to ops.
 */
int emu_op_msr(struct emu *e)
{
	uint32_t *g = e->c->s.gpr, msr = g[RMT_ECX];
	uint64_t v;

	TRY(privileged(e));
	if (e->opc == 0x32) {
		if (msr == MSR_EFER) {
			g[RMT_EAX] = e->c->s.efer_lo;
			g[RMT_EDX] = e->c->s.efer_hi;
			return 0;
		}
		if (e->ops->rdmsr(e->ops->ctx, msr, &v))
			return fault_gp0(e);
		g[RMT_EAX] = (uint32_t)v;
		g[RMT_EDX] = (uint32_t)(v >> 32);
		return 0;
	}
	if (msr == MSR_EFER) {
		if (g[RMT_EDX] || (g[RMT_EAX] & ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE |
						  X86_EFER_LMA)))
			return fault_gp0(e);
		emu_save_cold(e);
		e->c->s.efer_lo = (g[RMT_EAX] & ~X86_EFER_LMA) | (e->c->s.efer_lo & X86_EFER_LMA);
		return 0;
	}
	v = (uint64_t)g[RMT_EDX] << 32 | g[RMT_EAX];
	if (e->ops->wrmsr(e->ops->ctx, msr, v))
		return fault_gp0(e);
	return 0;
}

/* 0F 31: RDTSC; #GP(0) at CPL > 0 when CR4.TSD. */
int emu_op_rdtsc(struct emu *e)
{
	uint64_t t;

	if ((e->c->s.cr4 & X86_CR4_TSD) && cur_cpl(e) > 0)
		return fault_gp0(e);
	t = e->ops->rdtsc(e->ops->ctx);
	e->c->s.gpr[RMT_EAX] = (uint32_t)t;
	e->c->s.gpr[RMT_EDX] = (uint32_t)(t >> 32);
	return 0;
}

/* 0F 0B UD2, 0F B9 UD1, 0F FF UD0: the architectural invalid opcodes. */
int emu_op_ud(struct emu *e)
{
	return emu_fault(e, X86_UD, 0);
}

/* MMX/SSE: not interpreted (the x87 escapes and group 15 are in fpu.c). */
int emu_op_simd(struct emu *e)
{
	return emu_unsupported(e, "MMX/SSE opcode 0f %02x not interpreted", e->opc);
}

/* Opcodes that exist but are out of scope (SYSENTER, RDPMC, RSM, POPCNT, 3DNow!, ...). */
int emu_op_unsupported(struct emu *e)
{
	return emu_unsupported(e, "opcode %s%02x not interpreted", e->twobyte ? "0f " : "", e->opc);
}

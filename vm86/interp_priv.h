/*
 * Private to the interpreter (the vm86/ sources): the decoded instruction, the undo
 * record of the CPU it changes, the operand-shape flags of the decode tables and
 * the helpers every instruction class shares.
 *
 * Reading order: decode_tables.c (what each opcode looks like), decode.c
 * (prefixes, ModRM/SIB, operands), linear.c (segmentation, paging, A20, the
 * write buffer), flags.c, then one file per instruction class, and interp.c
 * (interp_step: decode, execute, commit).
 */
#ifndef VM86_INTERP_PRIV_H
#define VM86_INTERP_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include "vm86/interp.h"
#include "segments/segment_load.h"

/*
 * Operand-shape flags: one word per opcode in decode_tables.c, in the manner
 * of Xen's emu_opcode_table[] (x86_emulate/private.h).  decode.c turns them into
 * e->src and e->dst before the handler runs; the handler computes e->dst.val
 * and interp.c writes it back unless the handler cleared e->wb.
 */
#define ByteOp      (1u << 0)   /* 8-bit operands whatever the operand size */
#define ModRM       (1u << 1)   /* a ModRM byte (maybe SIB, displacement) follows */
#define DstNone     (0u << 2)
#define DstReg      (1u << 2)   /* destination: ModRM.reg */
#define DstMem      (2u << 2)   /* destination: ModRM.rm (register or memory) */
#define DstAcc      (3u << 2)   /* destination: AL/AX/EAX */
#define DstOpReg    (4u << 2)   /* destination: register in opcode bits 2:0 */
#define DstMask     (7u << 2)
#define SrcNone     (0u << 5)
#define SrcReg      (1u << 5)   /* source: ModRM.reg */
#define SrcMem      (2u << 5)   /* source: ModRM.rm (register or memory) */
#define SrcImm      (3u << 5)   /* immediate of the operand size */
#define SrcImmByte  (4u << 5)   /* imm8, sign-extended to the operand size */
#define SrcImmU8    (5u << 5)   /* imm8, zero-extended */
#define SrcImm16    (6u << 5)   /* imm16 */
#define SrcOne      (7u << 5)   /* the constant 1 (D0/D1 shifts) */
#define SrcMask     (7u << 5)
#define Mov         (1u << 8)   /* destination is only written, never read */
#define Lock        (1u << 9)   /* LOCK allowed, with a memory destination */
#define NoWB        (1u << 10)  /* destination is read, never written (CMP, TEST) */
#define MemOnly     (1u << 11)  /* ModRM.rm must be memory, else #UD (LEA, LDS, LGDT) */
#define SrcMem16    (1u << 12)  /* the r/m source is 16 bits (MOVZX/MOVSX w, MOV Sreg) */
#define SrcByteOp   (1u << 13)  /* the r/m source is 8 bits, the destination is not */
#define NoRead      (1u << 14)  /* operands decoded but memory not read (LEA, groups) */
#define GroupLock   (1u << 15)  /* LOCK legality depends on ModRM.reg: lock_ok() */

struct emu;
struct emu_dc_ent;
typedef int (*insn_fn)(struct emu *e);

struct opcode_desc {
	uint16_t flags;
	insn_fn fn;             /* NULL: #UD */
};

extern const struct opcode_desc emu_opcode_table[256];
extern const struct opcode_desc emu_twobyte_table[256];

enum { OP_NONE = 0, OP_REG, OP_MEM, OP_IMM };

struct operand {
	uint8_t type;           /* OP_* */
	uint8_t size;           /* 1, 2 or 4 bytes */
	uint8_t reg;            /* OP_REG: register number (size 1: 0-7 = AL..BH) */
	uint8_t seg;            /* OP_MEM: enum rmt_seg */
	uint32_t off;           /* OP_MEM: effective address, wrapped to the address size */
	uint32_t val;
};

/* Access kinds for the segmentation and paging checks. */
#define ACC_READ   0u
#define ACC_WRITE  1u
#define ACC_EXEC   2u
#define ACC_SYS    4u    /* implicit supervisor access (descriptor tables, TSS) */

/*
 * Pending memory writes (see linear.c: why memory is buffered): each entry is
 * a run of bytes within one page, held at e->wdata[off].  The sizes cover the
 * largest instruction: FXSAVE's 512 bytes, or ENTER with nesting level 31
 * (32 pushes, each maybe split by a page boundary).
 */
struct wbuf_ent {
	uint32_t paddr;
	uint16_t off;           /* into e->wdata */
	uint16_t len;           /* never crossing a page */
	uint8_t *host;          /* where ops->map_page has paddr, or NULL */
};
#define WBUF_MAX   80
#define WBUF_BYTES 1024

#define REP_NONE 0
#define REP_E    1          /* F3: REP / REPE */
#define REP_NE   2          /* F2: REPNE */

/*
 * What an instruction may change in the caller's CPU, kept so that a fault
 * can undo it (interp.c).  The hot registers are saved for every
 * instruction; the rest — segment registers, control and descriptor-table
 * registers, EFER, DR7, CPL — only by emu_save_cold(), which every writer of
 * those calls before its first write.
 */
struct emu_undo {
	uint32_t gpr[RMT_NGPR];
	uint32_t eflags, interruptibility;
	struct guest_cpu cold;          /* the whole CPU before the first cold write */
};

struct emu {
	struct guest_cpu *c;            /* the caller's CPU, changed in place (see undo) */
	const struct interp_ops *ops;
	struct interp_status *st;
	uint32_t eip0;                  /* EIP of this instruction (EIP changes at retire) */
	uint32_t next;                  /* CS offset of the next byte to fetch */
	int hard_rc;                    /* a non-fault error met inside seg_load's callbacks */
	/* What a decode-cache entry this decode fills is valid for (dcache.h). */
	uint32_t dc_key, dc_cs_base, dc_cs_limit;
	const uint8_t *dc_host;
	/* ---- the decoded instruction: what emu_decode computes before reading
	 * operands, from the bytes and CS.D alone.  A full decode starts it at
	 * zero; a decode-cache hit copies it whole (EMU_DECODED_WORDS). ---- */
	uint8_t len __attribute__((aligned(8)));
	uint8_t opsz, adsz;             /* 2 or 4 */
	int8_t seg_ovr;                 /* -1, or enum rmt_seg */
	uint8_t rep, lock;
	uint8_t twobyte, opc;
	uint8_t has_modrm, modrm, mod, reg, rm;
	uint8_t esp_base;               /* the memory operand is ESP-based (POP r/m) */
	/* The memory operand's address as decode_rm computed it, kept as a
	 * recipe for the decode cache: base + (index << scale) + disp, masked;
	 * 8 = no register; ea_mask 0 = no memory operand. */
	uint8_t ea_base, ea_index, ea_scale;
	uint8_t wb0;                    /* write e->dst back unless the handler says not */
	uint32_t flags;                 /* opcode_desc.flags */
	uint32_t ea_disp, ea_mask;
	struct operand src, dst;
	insn_fn fn;                     /* opcode_desc.fn */
	/* ---- execution state: zero at the start of every instruction ---- */
	uint8_t wb __attribute__((aligned(8)));   /* write e->dst back after the handler */
	uint8_t branched;               /* emu_set_ip() chose the next EIP */
	uint8_t cold_saved;             /* undo.cold holds the CPU before a cold write */
	uint8_t iwin;                   /* bytes in ibuf: the fetch window (decode.c) */
	uint16_t nw, nwdata;            /* entries and bytes in the write buffer */
	/* ---- not cleared: each is written before it is read ---- */
	uint8_t ibuf[16] __attribute__((aligned(8)));   /* 15 used */
	struct emu_dc_ent *dc_slot;     /* decode-cache entry this decode fills, or NULL */
	struct x86_fault fault;         /* set with every INTERP_FAULT */
	struct seg_mem_ops segmem;      /* linear access for seg_load(), set by emu_load_seg */
	struct wbuf_ent w[WBUF_MAX];
	uint8_t wdata[WBUF_BYTES];
	struct emu_undo undo;
};

/* The decoded instruction (len .. dst) in 8-byte words, and the execution
 * state after it (one word): what a decode-cache hit copies and what every
 * instruction clears. */
#define EMU_DECODED_WORDS 8     /* dc_hit copies them unrolled, emu_zero clears them */
_Static_assert(__builtin_offsetof(struct emu, len) % 8 == 0 &&
	       __builtin_offsetof(struct emu, wb) - __builtin_offsetof(struct emu, len) ==
	       EMU_DECODED_WORDS * 8 &&
	       __builtin_offsetof(struct emu, ibuf) - __builtin_offsetof(struct emu, wb) == 8,
	       "struct emu: the decoded words, then one word of execution state");

typedef uint64_t __attribute__((may_alias)) emu_word;

/* Clear the decoded instruction and the execution state (a full decode). */
static inline void emu_zero(struct emu *e)
{
	emu_word *z = (emu_word *)(void *)&e->len;

	/* Plain stores: cheaper than a call or REP STOS. */
	z[0] = z[1] = z[2] = z[3] = z[4] = z[5] = z[6] = z[7] = z[8] = 0;
}

/* Save the cold part of the CPU before an instruction first changes it. */
static inline void emu_save_cold(struct emu *e)
{
	if (!e->cold_saved) {
		e->undo.cold = *e->c;
		e->cold_saved = 1;
	}
}

/* Result codes inside the interpreter: 0, or an enum interp_result. */
#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

/* ---------------------------------------------------------------- modes --- */
static inline int mode_real(const struct emu *e)
{
	return !(e->c->s.cr0 & X86_CR0_PE);
}
static inline int mode_vm86(const struct emu *e)
{
	return (e->c->s.cr0 & X86_CR0_PE) && (e->c->s.eflags & X86_FL_VM);
}
static inline int mode_pm(const struct emu *e)          /* protected, not vm86 */
{
	return (e->c->s.cr0 & X86_CR0_PE) && !(e->c->s.eflags & X86_FL_VM);
}
static inline unsigned cur_cpl(const struct emu *e)
{
	if (mode_real(e))
		return 0;
	if (mode_vm86(e))
		return 3;
	return e->c->cpl;
}
static inline unsigned cur_iopl(const struct emu *e)
{
	return (e->c->s.eflags & X86_FL_IOPL) >> X86_FL_IOPL_SHIFT;
}
static inline uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
}
static inline uint32_t sign_bit(unsigned size)
{
	return 1u << (size * 8 - 1);
}
static inline uint32_t sext(uint32_t v, unsigned size)
{
	return size == 1 ? (uint32_t)(int32_t)(int8_t)v :
	       size == 2 ? (uint32_t)(int32_t)(int16_t)v : v;
}
/* Stack width: SS.B selects ESP or SP (SDM Vol. 3A 3.4.5, D/B flag). */
static inline unsigned stack_size(const struct emu *e)
{
	return (e->c->s.seg[RMT_SS].ar & RMT_AR_DB) ? 4 : 2;
}

/* ------------------------------------------------------------ registers --- */

/*
 * Byte registers 4-7 are AH, CH, DH, BH: bits 15:8 of registers 0-3 (SDM
 * Vol. 2A table 2-1, "r8").  Inline: every instruction reads or writes one.
 */
static inline uint32_t emu_reg_read(const struct emu *e, unsigned reg, unsigned size)
{
	if (size == 1)
		return reg < 4 ? e->c->s.gpr[reg] & 0xff : (e->c->s.gpr[reg - 4] >> 8) & 0xff;
	return e->c->s.gpr[reg] & size_mask(size);
}

/* A 16- or 8-bit write leaves the rest of the register alone (no 64-bit mode here). */
static inline void emu_reg_write(struct emu *e, unsigned reg, unsigned size, uint32_t val)
{
	uint32_t *r;

	if (size == 4) {
		e->c->s.gpr[reg] = val;
	} else if (size == 2) {
		r = &e->c->s.gpr[reg];
		*r = (*r & 0xffff0000u) | (val & 0xffff);
	} else if (reg < 4) {
		r = &e->c->s.gpr[reg];
		*r = (*r & ~0xffu) | (val & 0xff);
	} else {
		r = &e->c->s.gpr[reg - 4];
		*r = (*r & ~0xff00u) | ((val & 0xff) << 8);
	}
}

/* ------------------------------------------------------------ decode.c --- */
int emu_decode(struct emu *e, struct emu_dc_ent *ent, uint32_t lin, uint32_t key);
int emu_group_writes_rm(const struct emu *e);
int emu_op_read(struct emu *e, struct operand *op);
int emu_fetch(struct emu *e, unsigned size, uint32_t *val);

/* The segment an access uses: the override prefix if any, else `seg`. */
static inline unsigned emu_default_seg(const struct emu *e, unsigned seg)
{
	return e->seg_ovr >= 0 ? (unsigned)e->seg_ovr : seg;
}

/* Add delta to a register used as a pointer or counter of `size` bytes (SI, ECX, ...). */
static inline void emu_adv_reg(struct emu *e, unsigned reg, unsigned size, int32_t delta)
{
	emu_reg_write(e, reg, size, e->c->s.gpr[reg] + (uint32_t)delta);
}

/* ------------------------------------------------------------ linear.c --- */
int emu_fault(struct emu *e, unsigned vector, uint32_t error_code);
int fault_gp0(struct emu *e);
int emu_unsupported(struct emu *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int emu_seg_bounds(const struct emu *e, unsigned seg, unsigned acc, uint32_t *lo, uint32_t *hi);
int emu_seg_linear_full(struct emu *e, unsigned seg, uint32_t off, unsigned size, unsigned acc,
			uint32_t *lin);

/*
 * seg:off to linear for an access of size bytes (linear.c, emu_seg_linear_full,
 * has the rules).  Inline for the common cases, where only the limit
 * applies: an expand-up segment in real mode or vm86 (the rights are not
 * consulted there), or a usable, writable, expand-up data segment in
 * protected mode (any access is allowed by type); no wrap past 4 GiB.
 */
static inline __attribute__((always_inline)) int emu_seg_linear(struct emu *e, unsigned seg,
								uint32_t off, unsigned size,
								unsigned acc, uint32_t *lin)
{
	const struct rmt_segment *s = &e->c->s.seg[seg];
	uint32_t last = off + size - 1, ar = s->ar;

	if ((mode_pm(e) ? (ar & (RMT_AR_UNUSABLE | RMT_AR_S | 8 | 4 | 2)) == (RMT_AR_S | 2) :
			  (ar & (RMT_AR_S | 8 | 4)) != (RMT_AR_S | 4)) &&
	    last >= off && last <= s->limit) {
		*lin = s->base + off;
		return 0;
	}
	return emu_seg_linear_full(e, seg, off, size, acc, lin);
}
int emu_walk(struct emu *e, uint32_t lin, unsigned acc, uint32_t *paddr);

/* Linear to physical: with paging off only the A20 mask (the common case,
 * inline); with paging, the walk (linear.c). */
static inline __attribute__((always_inline)) int emu_translate(struct emu *e, uint32_t lin,
							       unsigned acc, uint32_t *paddr)
{
	if (!(e->c->s.cr0 & X86_CR0_PG)) {
		*paddr = e->c->a20 ? lin : lin & ~(1u << 20);
		return 0;
	}
	return emu_walk(e, lin, acc, paddr);
}
int emu_lin_read(struct emu *e, uint32_t lin, void *buf, unsigned len, unsigned acc);
int emu_lin_write(struct emu *e, uint32_t lin, const void *buf, unsigned len, unsigned acc);
int emu_mem_read(struct emu *e, unsigned seg, uint32_t off, unsigned size, uint32_t *val);
int emu_mem_write(struct emu *e, unsigned seg, uint32_t off, unsigned size, uint32_t val);
int emu_mem_write_last(struct emu *e, unsigned seg, uint32_t off, unsigned size, uint32_t val);
int emu_mem_write_block_last(struct emu *e, uint32_t lin, const uint8_t *buf, unsigned len);

/* Little-endian loads and stores of 1, 2 or 4 bytes in host memory (the
 * interpreter runs on x86, hosted or in the blob). */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "a little-endian host");
static inline __attribute__((always_inline)) uint32_t emu_load(const uint8_t *m, unsigned size)
{
	uint16_t h;
	uint32_t w;

	if (size == 1)
		return m[0];
	if (size == 2) {
		__builtin_memcpy(&h, m, 2);
		return h;
	}
	__builtin_memcpy(&w, m, 4);
	return w;
}

/* A copy of n bytes, inline for an operand's 1, 2 or 4 (a call to memcpy
 * costs more than the copy). */
static inline __attribute__((always_inline)) void emu_copy(uint8_t *d, const uint8_t *s, unsigned n)
{
	uint16_t h;
	uint32_t w;

	if (n == 1) {
		d[0] = s[0];
	} else if (n == 2) {
		__builtin_memcpy(&h, s, 2);
		__builtin_memcpy(d, &h, 2);
	} else if (n == 4) {
		__builtin_memcpy(&w, s, 4);
		__builtin_memcpy(d, &w, 4);
	} else {
		__builtin_memcpy(d, s, n);
	}
}

static inline __attribute__((always_inline)) void emu_store(uint8_t *m, unsigned size, uint32_t v)
{
	uint16_t h = (uint16_t)v;

	if (size == 1)
		m[0] = (uint8_t)v;
	else if (size == 2)
		__builtin_memcpy(m, &h, 2);
	else
		__builtin_memcpy(m, &v, 4);
}
int emu_mem_check_write(struct emu *e, unsigned seg, uint32_t off, unsigned size);
int emu_mem_check_read(struct emu *e, unsigned seg, uint32_t off, unsigned size);
int emu_flush_writes(struct emu *e);
int emu_commit_progress(struct emu *e);

/* ------------------------------------------------------------- flags.c --- */
#define FL_ARITH (X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | X86_FL_SF | X86_FL_OF)
/* SF, ZF and PF of a result: PF is the even parity of the low byte only. */
static inline uint32_t emu_flags_szp(uint32_t res, unsigned size)
{
	uint32_t f = 0, b = res & 0xff;

	res &= size_mask(size);
	if (!res)
		f |= X86_FL_ZF;
	if (res & sign_bit(size))
		f |= X86_FL_SF;
	/* 0x6996: bit n is the odd parity of the nibble n */
	if (!((0x6996u >> ((b ^ (b >> 4)) & 0xf)) & 1))
		f |= X86_FL_PF;
	return f;
}

static inline void emu_set_flags(struct emu *e, uint32_t mask, uint32_t val)
{
	e->c->s.eflags = (e->c->s.eflags & ~mask) | (val & mask);
}
uint32_t emu_alu_op(struct emu *e, unsigned op, uint32_t a, uint32_t b, unsigned size);
int emu_cond_true(const struct emu *e, unsigned cc);

/* -------------------------------------------------------------- stack.c --- */
int emu_push(struct emu *e, unsigned size, uint32_t val);
int emu_push_last(struct emu *e, unsigned size, uint32_t val);
int emu_pop(struct emu *e, unsigned size, uint32_t *val);
int emu_load_seg(struct emu *e, unsigned seg, uint16_t sel, enum seg_load_kind kind);

/* -------------------------------------------------------------- control.c */
int emu_set_ip(struct emu *e, uint32_t ip);
int emu_far_transfer(struct emu *e, uint16_t sel, uint32_t ip, enum seg_load_kind kind);
int emu_deliver_event(struct emu *e, unsigned vector, int is_software, uint32_t ret_eip);
int emu_deliver_event_ec(struct emu *e, unsigned vector, int is_software, int has_ec,
		     uint32_t ec, uint32_t ret_eip);
uint32_t emu_read_eflags_for_push(const struct emu *e);

/* ------------------------------------------------------ handler tables --- */
/* alu.c */
int emu_op_alu(struct emu *e);
int emu_op_grp1(struct emu *e);
int emu_op_inc_dec(struct emu *e);
int emu_op_grp3(struct emu *e);
int emu_op_test(struct emu *e);
int emu_op_imul3(struct emu *e);
int emu_op_imul2(struct emu *e);
int emu_op_cbw(struct emu *e);
int emu_op_cwd(struct emu *e);
int emu_op_flagop(struct emu *e);
int emu_op_lahf(struct emu *e);
int emu_op_sahf(struct emu *e);
int emu_op_salc(struct emu *e);
int emu_op_bcd(struct emu *e);
int emu_op_aam(struct emu *e);
int emu_op_aad(struct emu *e);
/* shift.c */
int emu_op_grp2(struct emu *e);
int emu_op_shld_shrd(struct emu *e);
int emu_op_bt(struct emu *e);
int emu_op_grp8(struct emu *e);
int emu_op_bsf_bsr(struct emu *e);
int emu_op_bswap(struct emu *e);
int emu_op_setcc(struct emu *e);
int emu_op_cmovcc(struct emu *e);
int emu_op_cmpxchg(struct emu *e);
int emu_op_xadd(struct emu *e);
int emu_op_cmpxchg8b(struct emu *e);
/* move.c */
int emu_op_mov(struct emu *e);
int emu_op_mov_from_sreg(struct emu *e);
int emu_op_mov_to_sreg(struct emu *e);
int emu_op_mov_moffs(struct emu *e);
int emu_op_lea(struct emu *e);
int emu_op_xchg(struct emu *e);
int emu_op_movx(struct emu *e);
int emu_op_lxs(struct emu *e);
int emu_op_xlat(struct emu *e);
int emu_op_nop(struct emu *e);
int emu_op_push(struct emu *e);
int emu_op_pop(struct emu *e);
int emu_op_pop_rm(struct emu *e);
int emu_op_push_sreg(struct emu *e);
int emu_op_pop_sreg(struct emu *e);
int emu_op_pusha(struct emu *e);
int emu_op_popa(struct emu *e);
int emu_op_pushf(struct emu *e);
int emu_op_popf(struct emu *e);
int emu_op_enter(struct emu *e);
int emu_op_leave(struct emu *e);
int emu_op_bound(struct emu *e);
/* control.c */
int emu_op_jcc(struct emu *e);
int emu_op_jmp_rel(struct emu *e);
int emu_op_call_rel(struct emu *e);
int emu_op_ret(struct emu *e);
int emu_op_retf(struct emu *e);
int emu_op_jmp_far(struct emu *e);
int emu_op_call_far(struct emu *e);
int emu_op_grp5(struct emu *e);
int emu_op_loop(struct emu *e);
int emu_op_int(struct emu *e);
int emu_op_iret(struct emu *e);
/* string.c, string_bulk.c */
int emu_op_string(struct emu *e);
uint32_t emu_string_bulk(struct emu *e, unsigned size, unsigned srcseg, int32_t delta,
			 uint32_t cnt);
/* io.c */
int emu_op_io(struct emu *e);
int emu_io_permitted(struct emu *e, uint16_t port, unsigned size);
/* system.c */
int emu_op_cli_sti(struct emu *e);
int emu_op_hlt(struct emu *e);
int emu_op_mov_cr(struct emu *e);
int emu_op_mov_dr(struct emu *e);
int emu_op_grp7(struct emu *e);
int emu_op_grp6(struct emu *e);
int emu_op_lar_lsl(struct emu *e);
int emu_op_arpl(struct emu *e);
int emu_op_clts(struct emu *e);
int emu_op_cache(struct emu *e);
int emu_op_cpuid(struct emu *e);
int emu_op_msr(struct emu *e);
int emu_op_rdtsc(struct emu *e);
int emu_op_ud(struct emu *e);
int emu_op_simd(struct emu *e);
int emu_op_unsupported(struct emu *e);
/* fpu.c */
int emu_op_x87(struct emu *e);
int emu_op_wait(struct emu *e);
int emu_op_grp15(struct emu *e);

#endif /* VM86_INTERP_PRIV_H */

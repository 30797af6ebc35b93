/*
 * The decode tables: one row per opcode, giving the operand shape (flags,
 * see interp_priv.h) and the handler.  A NULL handler is an undefined
 * opcode (#UD); emu_op_unsupported / emu_op_simd mark opcodes that exist but that the
 * interpreter deliberately does not run (MMX, SSE, SYSENTER, ...).
 * Prefix bytes (26 2E 36 3E 64 65 66 67 F0 F2 F3) and 0F are consumed by
 * decode.c before the table is consulted; their rows are empty.
 *
 * Opcode map: SDM Vol. 2D, Appendix A, tables.
 */
#include <stddef.h>
#include "vm86/interp_priv.h"

#define ALU_ROWS(lock)                                                          \
	{ ByteOp | ModRM | DstMem | SrcReg | lock, emu_op_alu },  /* op r/m8, r8 */ \
	{ ModRM | DstMem | SrcReg | lock, emu_op_alu },           /* op r/m, r */   \
	{ ByteOp | ModRM | DstReg | SrcMem, emu_op_alu },         /* op r8, r/m8 */ \
	{ ModRM | DstReg | SrcMem, emu_op_alu },                  /* op r, r/m */   \
	{ ByteOp | DstAcc | SrcImm, emu_op_alu },                 /* op AL, imm8 */ \
	{ DstAcc | SrcImm, emu_op_alu }                           /* op eAX, imm */

#define CMP_ROWS                                                                \
	{ ByteOp | ModRM | DstMem | SrcReg | NoWB, emu_op_alu },                    \
	{ ModRM | DstMem | SrcReg | NoWB, emu_op_alu },                             \
	{ ByteOp | ModRM | DstReg | SrcMem | NoWB, emu_op_alu },                    \
	{ ModRM | DstReg | SrcMem | NoWB, emu_op_alu },                             \
	{ ByteOp | DstAcc | SrcImm | NoWB, emu_op_alu },                            \
	{ DstAcc | SrcImm | NoWB, emu_op_alu }

#define X8(...) __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, \
	__VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__
#define X16(...) X8(__VA_ARGS__), X8(__VA_ARGS__)

const struct opcode_desc emu_opcode_table[256] = {
	/* 0x00 - 0x07: ADD; PUSH ES; POP ES */
	ALU_ROWS(Lock), { 0, emu_op_push_sreg }, { 0, emu_op_pop_sreg },
	/* 0x08 - 0x0F: OR; PUSH CS; two-byte escape */
	ALU_ROWS(Lock), { 0, emu_op_push_sreg }, { 0, NULL },
	/* 0x10 - 0x17: ADC; PUSH SS; POP SS */
	ALU_ROWS(Lock), { 0, emu_op_push_sreg }, { 0, emu_op_pop_sreg },
	/* 0x18 - 0x1F: SBB; PUSH DS; POP DS */
	ALU_ROWS(Lock), { 0, emu_op_push_sreg }, { 0, emu_op_pop_sreg },
	/* 0x20 - 0x27: AND; ES: prefix; DAA */
	ALU_ROWS(Lock), { 0, NULL }, { 0, emu_op_bcd },
	/* 0x28 - 0x2F: SUB; CS: prefix; DAS */
	ALU_ROWS(Lock), { 0, NULL }, { 0, emu_op_bcd },
	/* 0x30 - 0x37: XOR; SS: prefix; AAA */
	ALU_ROWS(Lock), { 0, NULL }, { 0, emu_op_bcd },
	/* 0x38 - 0x3F: CMP (never lockable); DS: prefix; AAS */
	CMP_ROWS, { 0, NULL }, { 0, emu_op_bcd },
	/* 0x40 - 0x4F: INC r, DEC r */
	X16({ DstOpReg, emu_op_inc_dec }),
	/* 0x50 - 0x57: PUSH r; 0x58 - 0x5F: POP r */
	X8({ 0, emu_op_push }), X8({ 0, emu_op_pop }),
	/* 0x60 - 0x63: PUSHA, POPA, BOUND r, m, ARPL r/m16, r16 */
	{ 0, emu_op_pusha }, { 0, emu_op_popa }, { ModRM | DstReg | SrcMem | MemOnly | NoRead, emu_op_bound },
	{ ModRM | DstMem | SrcReg, emu_op_arpl },
	/* 0x64 - 0x67: FS:, GS:, operand size, address size prefixes */
	{ 0, NULL }, { 0, NULL }, { 0, NULL }, { 0, NULL },
	/* 0x68 - 0x6B: PUSH imm, IMUL r, r/m, imm, PUSH imm8, IMUL r, r/m, imm8 */
	{ SrcImm, emu_op_push }, { ModRM | DstReg | SrcMem, emu_op_imul3 },
	{ SrcImmByte, emu_op_push }, { ModRM | DstReg | SrcMem, emu_op_imul3 },
	/* 0x6C - 0x6F: INSB, INSW/D, OUTSB, OUTSW/D */
	{ ByteOp, emu_op_string }, { 0, emu_op_string }, { ByteOp, emu_op_string }, { 0, emu_op_string },
	/* 0x70 - 0x7F: Jcc rel8 */
	X16({ SrcImmByte, emu_op_jcc }),
	/* 0x80 - 0x83: group 1 (ADD..CMP r/m, imm); 82 is an alias of 80 outside 64-bit mode */
	{ ByteOp | ModRM | DstMem | SrcImm | GroupLock, emu_op_grp1 },
	{ ModRM | DstMem | SrcImm | GroupLock, emu_op_grp1 },
	{ ByteOp | ModRM | DstMem | SrcImm | GroupLock, emu_op_grp1 },
	{ ModRM | DstMem | SrcImmByte | GroupLock, emu_op_grp1 },
	/* 0x84 - 0x87: TEST r/m, r; XCHG r/m, r (always locked on hardware) */
	{ ByteOp | ModRM | DstMem | SrcReg | NoWB, emu_op_test },
	{ ModRM | DstMem | SrcReg | NoWB, emu_op_test },
	{ ByteOp | ModRM | DstMem | SrcReg | Lock, emu_op_xchg },
	{ ModRM | DstMem | SrcReg | Lock, emu_op_xchg },
	/* 0x88 - 0x8B: MOV */
	{ ByteOp | ModRM | DstMem | SrcReg | Mov, emu_op_mov },
	{ ModRM | DstMem | SrcReg | Mov, emu_op_mov },
	{ ByteOp | ModRM | DstReg | SrcMem | Mov, emu_op_mov },
	{ ModRM | DstReg | SrcMem | Mov, emu_op_mov },
	/* 0x8C - 0x8F: MOV r/m, Sreg; LEA; MOV Sreg, r/m16; POP r/m (group 1A) */
	{ ModRM | DstMem | Mov, emu_op_mov_from_sreg },
	{ ModRM | DstReg | SrcMem | MemOnly | NoRead | Mov, emu_op_lea },
	{ ModRM | SrcMem | SrcMem16, emu_op_mov_to_sreg },
	{ ModRM | DstMem | Mov, emu_op_pop_rm },
	/* 0x90 - 0x97: NOP (XCHG eAX, eAX; F3 90 = PAUSE), XCHG eAX, r */
	{ 0, emu_op_nop }, { DstOpReg, emu_op_xchg }, { DstOpReg, emu_op_xchg }, { DstOpReg, emu_op_xchg },
	{ DstOpReg, emu_op_xchg }, { DstOpReg, emu_op_xchg }, { DstOpReg, emu_op_xchg }, { DstOpReg, emu_op_xchg },
	/* 0x98 - 0x9F: CBW/CWDE, CWD/CDQ, CALL ptr16:16/32, WAIT, PUSHF, POPF, SAHF, LAHF */
	{ 0, emu_op_cbw }, { 0, emu_op_cwd }, { 0, emu_op_call_far }, { 0, emu_op_wait },
	{ 0, emu_op_pushf }, { 0, emu_op_popf }, { 0, emu_op_sahf }, { 0, emu_op_lahf },
	/* 0xA0 - 0xA3: MOV AL/eAX, moffs; MOV moffs, AL/eAX */
	{ ByteOp | DstAcc | Mov, emu_op_mov_moffs }, { DstAcc | Mov, emu_op_mov_moffs },
	{ ByteOp, emu_op_mov_moffs }, { 0, emu_op_mov_moffs },
	/* 0xA4 - 0xA7: MOVSB, MOVSW/D, CMPSB, CMPSW/D */
	{ ByteOp, emu_op_string }, { 0, emu_op_string }, { ByteOp, emu_op_string }, { 0, emu_op_string },
	/* 0xA8 - 0xA9: TEST AL/eAX, imm */
	{ ByteOp | DstAcc | SrcImm | NoWB, emu_op_test }, { DstAcc | SrcImm | NoWB, emu_op_test },
	/* 0xAA - 0xAF: STOS, LODS, SCAS */
	{ ByteOp, emu_op_string }, { 0, emu_op_string }, { ByteOp, emu_op_string }, { 0, emu_op_string },
	{ ByteOp, emu_op_string }, { 0, emu_op_string },
	/* 0xB0 - 0xB7: MOV r8, imm8; 0xB8 - 0xBF: MOV r, imm */
	X8({ ByteOp | DstOpReg | SrcImm | Mov, emu_op_mov }),
	X8({ DstOpReg | SrcImm | Mov, emu_op_mov }),
	/* 0xC0 - 0xC1: group 2 (ROL..SAR) r/m, imm8 */
	{ ByteOp | ModRM | DstMem | SrcImmU8, emu_op_grp2 }, { ModRM | DstMem | SrcImmU8, emu_op_grp2 },
	/* 0xC2 - 0xC3: RET imm16, RET */
	{ SrcImm16, emu_op_ret }, { 0, emu_op_ret },
	/* 0xC4 - 0xC5: LES, LDS */
	{ ModRM | DstReg | SrcMem | MemOnly | NoRead, emu_op_lxs }, { ModRM | DstReg | SrcMem | MemOnly | NoRead, emu_op_lxs },
	/* 0xC6 - 0xC7: group 11 (MOV r/m, imm) */
	{ ByteOp | ModRM | DstMem | SrcImm | Mov, emu_op_mov }, { ModRM | DstMem | SrcImm | Mov, emu_op_mov },
	/* 0xC8 - 0xCB: ENTER, LEAVE, RETF imm16, RETF */
	{ 0, emu_op_enter }, { 0, emu_op_leave }, { SrcImm16, emu_op_retf }, { 0, emu_op_retf },
	/* 0xCC - 0xCF: INT3, INT imm8, INTO, IRET */
	{ 0, emu_op_int }, { SrcImmU8, emu_op_int }, { 0, emu_op_int }, { 0, emu_op_iret },
	/* 0xD0 - 0xD3: group 2 by 1, by CL */
	{ ByteOp | ModRM | DstMem | SrcOne, emu_op_grp2 }, { ModRM | DstMem | SrcOne, emu_op_grp2 },
	{ ByteOp | ModRM | DstMem, emu_op_grp2 }, { ModRM | DstMem, emu_op_grp2 },
	/* 0xD4 - 0xD7: AAM imm8, AAD imm8, SALC (undocumented, SDM table A-2 "reserved"), XLAT */
	{ SrcImmU8, emu_op_aam }, { SrcImmU8, emu_op_aad }, { 0, emu_op_salc }, { 0, emu_op_xlat },
	/* 0xD8 - 0xDF: x87 escapes (fpu.c: #NM, and the control instructions) */
	X8({ ModRM | DstMem | NoRead | NoWB, emu_op_x87 }),
	/* 0xE0 - 0xE3: LOOPNE, LOOPE, LOOP, JCXZ/JECXZ */
	{ SrcImmByte, emu_op_loop }, { SrcImmByte, emu_op_loop }, { SrcImmByte, emu_op_loop },
	{ SrcImmByte, emu_op_loop },
	/* 0xE4 - 0xE7: IN AL/eAX, imm8; OUT imm8, AL/eAX */
	{ ByteOp | SrcImmU8, emu_op_io }, { SrcImmU8, emu_op_io }, { ByteOp | SrcImmU8, emu_op_io },
	{ SrcImmU8, emu_op_io },
	/* 0xE8 - 0xEB: CALL rel, JMP rel, JMP ptr16:16/32, JMP rel8 */
	{ SrcImm, emu_op_call_rel }, { SrcImm, emu_op_jmp_rel }, { 0, emu_op_jmp_far }, { SrcImmByte, emu_op_jmp_rel },
	/* 0xEC - 0xEF: IN AL/eAX, DX; OUT DX, AL/eAX */
	{ ByteOp, emu_op_io }, { 0, emu_op_io }, { ByteOp, emu_op_io }, { 0, emu_op_io },
	/* 0xF0 - 0xF3: LOCK, INT1 (ICEBP), REPNE, REP prefixes */
	{ 0, NULL }, { 0, emu_op_int }, { 0, NULL }, { 0, NULL },
	/* 0xF4 - 0xF7: HLT, CMC, group 3 (TEST/NOT/NEG/MUL/IMUL/DIV/IDIV) */
	{ 0, emu_op_hlt }, { 0, emu_op_flagop },
	{ ByteOp | ModRM | DstMem | GroupLock, emu_op_grp3 }, { ModRM | DstMem | GroupLock, emu_op_grp3 },
	/* 0xF8 - 0xFD: CLC, STC, CLI, STI, CLD, STD */
	{ 0, emu_op_flagop }, { 0, emu_op_flagop }, { 0, emu_op_cli_sti }, { 0, emu_op_cli_sti },
	{ 0, emu_op_flagop }, { 0, emu_op_flagop },
	/* 0xFE: group 4 (INC/DEC r/m8); 0xFF: group 5 (INC, DEC, CALL, CALLF, JMP, JMPF, PUSH) */
	{ ByteOp | ModRM | DstMem | GroupLock, emu_op_inc_dec },
	{ ModRM | DstMem | GroupLock | NoRead, emu_op_grp5 },
};

const struct opcode_desc emu_twobyte_table[256] = {
	/* 0x00 - 0x03: group 6 (SLDT..VERW), group 7 (SGDT..INVLPG), LAR, LSL */
	{ ModRM | DstMem | NoRead, emu_op_grp6 }, { ModRM | DstMem | NoRead, emu_op_grp7 },
	{ ModRM | DstReg | SrcMem | SrcMem16, emu_op_lar_lsl },
	{ ModRM | DstReg | SrcMem | SrcMem16, emu_op_lar_lsl },
	/* 0x04 - 0x07: -, SYSCALL, CLTS, SYSRET */
	{ 0, NULL }, { 0, emu_op_unsupported }, { 0, emu_op_clts }, { 0, emu_op_unsupported },
	/* 0x08 - 0x0F: INVD, WBINVD, -, UD2, -, PREFETCHW (a NOP here), FEMMS, 3DNow! */
	{ 0, emu_op_cache }, { 0, emu_op_cache }, { 0, NULL }, { 0, emu_op_ud },
	{ 0, NULL }, { ModRM | DstMem | MemOnly | NoRead | NoWB, emu_op_nop }, { 0, emu_op_unsupported },
	{ 0, emu_op_unsupported },
	/* 0x10 - 0x17: SSE moves */
	X8({ 0, emu_op_simd }),
	/* 0x18 - 0x1F: prefetch hints and the hint-NOP space (0F 1F /0 = NOP r/m) */
	X8({ ModRM | DstMem | NoRead | NoWB, emu_op_nop }),
	/* 0x20 - 0x23: MOV r32, CRn; MOV r32, DRn; MOV CRn, r32; MOV DRn, r32 */
	{ ModRM, emu_op_mov_cr }, { ModRM, emu_op_mov_dr }, { ModRM, emu_op_mov_cr }, { ModRM, emu_op_mov_dr },
	/* 0x24 - 0x27: MOV TRn (386/486 only): #UD on P6 and later */
	{ 0, NULL }, { 0, NULL }, { 0, NULL }, { 0, NULL },
	/* 0x28 - 0x2F: SSE */
	X8({ 0, emu_op_simd }),
	/* 0x30 - 0x37: WRMSR, RDTSC, RDMSR, RDPMC, SYSENTER, SYSEXIT, -, GETSEC */
	{ 0, emu_op_msr }, { 0, emu_op_rdtsc }, { 0, emu_op_msr }, { 0, emu_op_unsupported },
	{ 0, emu_op_unsupported }, { 0, emu_op_unsupported }, { 0, NULL }, { 0, emu_op_unsupported },
	/* 0x38 - 0x3F: three-byte escapes (SSSE3 and later) */
	X8({ 0, emu_op_simd }),
	/* 0x40 - 0x4F: CMOVcc r, r/m */
	X16({ ModRM | DstReg | SrcMem, emu_op_cmovcc }),
	/* 0x50 - 0x7F: SSE/MMX */
	X16({ 0, emu_op_simd }), X16({ 0, emu_op_simd }), X16({ 0, emu_op_simd }),
	/* 0x80 - 0x8F: Jcc rel16/32 */
	X16({ SrcImm, emu_op_jcc }),
	/* 0x90 - 0x9F: SETcc r/m8 */
	X16({ ByteOp | ModRM | DstMem | Mov, emu_op_setcc }),
	/* 0xA0 - 0xA7: PUSH FS, POP FS, CPUID, BT r/m, r, SHLD imm8, SHLD CL, -, - */
	{ 0, emu_op_push_sreg }, { 0, emu_op_pop_sreg }, { 0, emu_op_cpuid },
	{ ModRM | DstMem | SrcReg | NoRead, emu_op_bt },
	{ ModRM | DstMem | SrcReg, emu_op_shld_shrd }, { ModRM | DstMem | SrcReg, emu_op_shld_shrd },
	{ 0, NULL }, { 0, NULL },
	/* 0xA8 - 0xAF: PUSH GS, POP GS, RSM, BTS, SHRD imm8, SHRD CL, group 15 (FXSAVE,
	 * FXRSTOR, LDMXCSR, STMXCSR, XSAVE*, fences, CLFLUSH: fpu.c), IMUL r, r/m */
	{ 0, emu_op_push_sreg }, { 0, emu_op_pop_sreg }, { 0, emu_op_unsupported },
	{ ModRM | DstMem | SrcReg | NoRead | Lock, emu_op_bt },
	{ ModRM | DstMem | SrcReg, emu_op_shld_shrd }, { ModRM | DstMem | SrcReg, emu_op_shld_shrd },
	{ ModRM | DstMem | NoRead | NoWB, emu_op_grp15 }, { ModRM | DstReg | SrcMem, emu_op_imul2 },
	/* 0xB0 - 0xB7: CMPXCHG r/m8, CMPXCHG r/m, LSS, BTR, LFS, LGS, MOVZX r, r/m8, MOVZX r, r/m16 */
	{ ByteOp | ModRM | DstMem | SrcReg | Lock, emu_op_cmpxchg },
	{ ModRM | DstMem | SrcReg | Lock, emu_op_cmpxchg },
	{ ModRM | DstReg | SrcMem | MemOnly | NoRead, emu_op_lxs },
	{ ModRM | DstMem | SrcReg | NoRead | Lock, emu_op_bt },
	{ ModRM | DstReg | SrcMem | MemOnly | NoRead, emu_op_lxs }, { ModRM | DstReg | SrcMem | MemOnly | NoRead, emu_op_lxs },
	{ ModRM | DstReg | SrcMem | SrcByteOp | Mov, emu_op_movx },
	{ ModRM | DstReg | SrcMem | SrcMem16 | Mov, emu_op_movx },
	/* 0xB8 - 0xBF: POPCNT (F3), UD1, group 8 (BT..BTC r/m, imm8), BTC, BSF, BSR, MOVSX */
	{ 0, emu_op_unsupported }, { 0, emu_op_ud },
	{ ModRM | DstMem | SrcImmU8 | NoRead | GroupLock, emu_op_grp8 },
	{ ModRM | DstMem | SrcReg | NoRead | Lock, emu_op_bt },
	{ ModRM | DstReg | SrcMem, emu_op_bsf_bsr }, { ModRM | DstReg | SrcMem, emu_op_bsf_bsr },
	{ ModRM | DstReg | SrcMem | SrcByteOp | Mov, emu_op_movx },
	{ ModRM | DstReg | SrcMem | SrcMem16 | Mov, emu_op_movx },
	/* 0xC0 - 0xC1: XADD; 0xC2 - 0xC6: SSE; 0xC7: group 9 (CMPXCHG8B) */
	{ ByteOp | ModRM | DstMem | SrcReg | Lock, emu_op_xadd },
	{ ModRM | DstMem | SrcReg | Lock, emu_op_xadd },
	{ 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_simd },
	{ ModRM | DstMem | MemOnly | NoRead | GroupLock, emu_op_cmpxchg8b },
	/* 0xC8 - 0xCF: BSWAP r32 */
	X8({ DstOpReg, emu_op_bswap }),
	/* 0xD0 - 0xFF: MMX/SSE (0F FF is UD0) */
	X16({ 0, emu_op_simd }), X16({ 0, emu_op_simd }),
	X8({ 0, emu_op_simd }), { 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_simd },
	{ 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_simd }, { 0, emu_op_ud },
};

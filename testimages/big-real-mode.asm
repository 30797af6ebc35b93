; testimages/big-real-mode.asm — big real mode ("unreal mode"), and that it
; survives a later trip through protected mode.
;
; Real mode forms every address from the *hidden* base and checks it against
; the *hidden* limit; a real-mode segment load changes only the selector and
; the base (SDM Vol. 3A 20.1.1, 9.9.2).  So a guest that loads a 4 GiB data
; descriptor into DS/ES/FS/GS in protected mode and clears PE keeps the
; 4 GiB limits, through any number of real-mode reloads, and can use 32-bit
; offsets (address-size prefixes) to reach memory above 1 MiB — HIMEM.SYS,
; many boot loaders and BIOSes rely on it (DESIGN.md §6: "big real mode
; persists across mode changes").
;
;   1. PM: load a flat 4 GiB data descriptor into DS/ES/FS/GS; back to real
;      mode; reload them with real-mode values (limit stays 4 GiB);
;   2. real mode: write and read above 1 MiB with addr32 MOV, REP MOVSD and
;      a checksum loop; reload DS with 0x1000 and read through base 0x10000
;      plus a 32-bit offset;
;   3. a second PM round trip that does NOT touch DS/ES/FS/GS (32-bit code
;      uses them as they are: base 0, limit 4 GiB), and back to real mode;
;   4. real mode again, no reload: the big segments still reach everything.
; Between 2 and 3, the x87/SSE state from big real mode, as iPXE's librm
; saves it around its protected-mode calls: FNINIT, FLDCW, FXSAVE above
; 1 MiB, FXRSTOR of a changed image, FNSTCW; and a misaligned FXSAVE, which
; is #GP(0) even in real mode (delivered through the IVT).
; Under the stack step 3 is a handoff and a re-entry: the limits must cross
; both.  Addresses keep bit 20 clear, so the A20 gate never matters, and stay
; clear of the reference stack's reserved windows (host 0xC00000, blob
; 0xE00000: docs/abi.md §1).  Steps 2-4 are lib/big-real.inc's probes, which
; testimages/biosdisk/biosdisk.asm repeats under a real BIOS.

%define IMAGE_NAME 'big-real-mode'

HIGH_FX         equ 0x00610000          ; FXSAVE image (16-byte aligned)
TABLE_LEN       equ 64
STACK_TOP       equ 0x7C00

%include "lib/guest.inc"
%include "lib/big-real.inc"             ; HIGH_*, VAL_*, the probes

; -------------------------------------------------------------- real mode --
main:
	E9_PRINT P, 'real mode: entering protected mode to load 4 GiB data segments', 10
	BIG_REAL_ENTER                  ; to PM and back: DS/ES/FS/GS 4 GiB

; --------------------------------------------------- big real mode, first --
	BIG_REAL_WRITE                  ; EAX, EDX: VAL_A, VAL_B; EBP: copy's checksum
	; DS = 0x1000 (base 0x10000): the limit is still 4 GiB.
	mov di, 0x1000
	mov ds, di
	mov edi, HIGH_A - 0x10000
	mov esi, [edi]                  ; DS:EDI = linear HIGH_A
	xor di, di
	mov ds, di

	mov di, ds
	E9_PRINT P, 'unreal 1: ds='
	E9_HEX16 di
	E9_PRINT ' [ds:00400000]='
	E9_HEX eax, 8
	E9_PRINT ' [gs:01c00000]='
	E9_HEX edx, 8
	E9_PRINT ' copy.checksum='
	E9_HEX ebp, 8
	E9_PRINT ' [1000:003f0000]='
	E9_HEX esi, 8
	E9_PRINT 10
	cmp eax, VAL_A
	jne fail16
	cmp edx, VAL_B
	jne fail16
	cmp ebp, TABLE_CHECKSUM
	jne fail16
	cmp esi, VAL_A
	jne fail16

; ------------------------------------- x87/SSE state from big real mode --
	mov word [13 * 4], gp_skip_fxsave        ; IVT[13] = 0000:gp_skip_fxsave
	mov word [13 * 4 + 2], 0
	fninit
	mov ax, 0xFFFF
	fnstsw ax                       ; 0 after FNINIT
	movzx esi, ax
	fldcw [fcw_a]
	mov ebx, HIGH_FX
	fxsave [ebx]                    ; addr32 above 1 MiB
	movzx edx, word [ebx]           ; FCW as FXSAVE stored it
	mov word [ebx], 0x037A
	fxrstor [ebx]
	fnstcw [fcw_out]
	movzx ecx, word [fcw_out]
	mov edi, HIGH_FX + 8
	fxsave [edi]                    ; misaligned: #GP, skipped by the handler
	movzx edi, byte [gp_count]
	E9_PRINT P, 'fpu: fnstsw='
	E9_HEX esi, 4
	E9_PRINT ' fxsave.fcw='
	E9_HEX edx, 4
	E9_PRINT ' fnstcw after fxrstor='
	E9_HEX ecx, 4
	E9_PRINT ' misaligned fxsave #GP count='
	E9_HEX edi, 2
	E9_PRINT 10
	test esi, esi
	jnz fail16
	cmp dx, 0x027F
	jne fail16
	cmp cx, 0x037A
	jne fail16
	cmp di, 1
	jne fail16

; ---------------------------- a second round trip, segments untouched --
	TO_PM32 pm_again

	bits 32
pm_again:
	; DS/ES/FS/GS: selector 0, base 0, limit 4 GiB, loaded in real mode.
	BIG_REAL_PM_CHECK fail32
	jmp SEL_CODE16:pm16_back2

	bits 16
pm16_back2:
	TO_REAL unreal_again

; ------------------------------------------ big real mode, no reload --
unreal_again:
	BIG_REAL_LATE_CHECK E9_PRINT, E9_HEX, fail16

	E9_PRINT P, 'done: 4 GiB limits kept in real mode, across a handoff and a re-entry', 10
	END_RUN RUN_OK

fail16:
	E9_FAIL 'unexpected value in real mode (see the line above)'

; #GP from the misaligned FXSAVE [EDI] (67 0F AE 07, 4 bytes): count it and
; return past it.
gp_skip_fxsave:
	push bp
	mov bp, sp
	add word [bp + 2], 4
	inc byte [gp_count]
	pop bp
	iret

; checksum_fs_esi: EBP = the checksum of TABLE_LEN bytes at FS:ESI (32-bit
; offsets, through the 4 GiB FS limit).
	CHECKSUM_FS_ESI

	bits 32
fail32:
	E9_FAIL 'unexpected value in protected mode (see the line above)'

	E9_ROUTINES

; ------------------------------------------------------------------ data --
	align 4
	IDT_DESCRIPTORS
fcw_a:		dw 0x027F
fcw_out:	dw 0
gp_count:	db 0

	GDT_BEGIN
	GDT_ENTRY SEL_CODE32, 0, 0xFFFFF, ACC_CODE, FL_4K_32        ; 0x08 flat code32
	GDT_ENTRY SEL_FLAT, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_16       ; 0x10 flat 4 GiB data (as HIMEM.SYS)
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16       ; 0x18 code16
	GDT_END

	align 16
table:
	CHECKSUM_TABLE 0x2468ACE, TABLE_LEN

	IMAGE_END

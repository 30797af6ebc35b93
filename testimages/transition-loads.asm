; testimages/transition-loads.asm — every segment-load form inside the two
; transition windows (DESIGN.md §6: "`pop %es` and every other segment-load
; form (MOV, POP, LDS/LES/LSS/LFS/LGS, far JMP/CALL/RET, IRET) during
; transitions").
;
; Window A, after setting PE: SS holds the real-mode value 0x1003 (base
; 0x10030 as real mode computed it; RPL 3).  The processor keeps using that
; cache (SDM Vol. 3A 9.9.1) — but a protected-mode state with SS.RPL !=
; CS.RPL cannot be VM-entered (SDM Vol. 3C 26.3.1.2), so under the stack the
; blob interprets everything until SS is reloaded: a far JMP to a 16-bit
; code segment, LGS, POP ES, LFS, LES, LDS (protected-mode loads with
; descriptor checks), a far CALL to a 32-bit code segment and its O16 RETF,
; an IRET, all through the real-mode stack, and at last LSS.
;
; Window B, after clearing PE: CS, SS, DS, ES, FS and GS all still hold
; protected-mode selectors and bases (bases != selector * 16: SDM Vol. 3A
; 9.9.2 — real mode uses the caches until each register is reloaded).  The
; far JMP loads a real-mode CS; then, with the data and stack registers still
; at their protected-mode bases, a far CALL and RETF and an IRET go through
; SS (base 0x44000), and POP ES, LFS, LDS, LSS, LGS reload them one by one
; with real-mode values (pointers read through DS's protected-mode base).
;
; Every value observed is written to an observation area through GS and
; printed once the window is over.  Any unexpected value adds a "FAIL:" line.

%define IMAGE_NAME 'transition-loads'

WIN_SS          equ 0x1003              ; window A: real-mode SS with RPL 3
WIN_SP          equ 0x0400
OBS_BASE        equ 0x40000             ; observations (GS)
MARK_A_BASE     equ 0x41000             ; a marker dword at offset 0 of each
MARK_B_BASE     equ 0x42000
MARK_C_BASE     equ 0x43000
STACK_BASE      equ 0x44000             ; protected-mode 16-bit stack
PM_SP           equ 0x0800              ; SP that LSS loads in window A
B_SP            equ 0x0600              ; SP in window B
MARK            equ 0x7A000000          ; marker n = MARK | n (A=1, B=2, C=3)
PTRS_OFF        equ 0x0010              ; window B: far pointers at DS:PTRS_OFF
FLAT_STACK      equ 0x7C00

; Observation offsets (words or dwords in the area at OBS_BASE).
O_GS            equ 0x00    ; w  GS after LGS (window A)
O_ES_POP        equ 0x02    ; w  ES after POP ES
O_ES_POP_MARK   equ 0x04    ; d  ES:[0] after POP ES
O_FS            equ 0x08    ; w  FS after LFS
O_FS_MARK       equ 0x0C    ; d
O_ES_LES        equ 0x10    ; w
O_ES_LES_MARK   equ 0x14    ; d
O_DS            equ 0x18    ; w
O_DS_MARK       equ 0x1C    ; d
O_CALL_SP       equ 0x20    ; d  ESP inside the 32-bit far-called routine
O_CALL_CS       equ 0x24    ; w  CS pushed by the far CALL
O_CALL_OWN_CS   equ 0x26    ; w  CS inside the routine
O_IRET_SP       equ 0x28    ; w  SP after IRET
O_IRET_CS       equ 0x2A    ; w  CS after IRET
O_SS            equ 0x2C    ; w  SS after LSS
O_SP            equ 0x2E    ; w  SP after LSS
O_BEFORE_SP     equ 0x30    ; w  SP before LSS (the window stack)
; window B
O_B_CALL_SP     equ 0x40    ; w  SP inside the real-mode far-called routine
O_B_CALL_CS     equ 0x42    ; w  CS pushed by the far CALL
O_B_STACK_WORD  equ 0x44    ; w  the word at linear STACK_BASE + SP (= return IP)
O_B_IRET_CS     equ 0x46    ; w
O_B_IRET_SP     equ 0x48    ; w
O_B_ES          equ 0x4A    ; w  ES after POP ES
O_B_ES_MARK     equ 0x4C    ; d
O_B_FS          equ 0x50    ; w
O_B_FS_MARK     equ 0x54    ; d
O_B_DS          equ 0x58    ; w
O_B_DS_MARK     equ 0x5C    ; d
O_B_SS          equ 0x60    ; w
O_B_SP          equ 0x62    ; w
O_B_GS          equ 0x64    ; w
O_B_CS          equ 0x66    ; w  the real-mode CS in window B
OBS_SIZE        equ 0x80

%include "lib/guest.inc"

; -------------------------------------------------------------- real mode --
main:
	; Markers, and a clean observation area.
	mov ax, MARK_A_BASE >> 4
	mov es, ax
	mov dword [es:0], MARK | 1
	mov ax, MARK_B_BASE >> 4
	mov es, ax
	mov dword [es:0], MARK | 2
	mov ax, MARK_C_BASE >> 4
	mov es, ax
	mov dword [es:0], MARK | 3
	mov ax, OBS_BASE >> 4
	mov es, ax
	xor di, di
	xor eax, eax
	mov cx, OBS_SIZE / 4
	cld
	rep stosd
	xor ax, ax
	mov es, ax

	E9_PRINT P, 'real mode: window A will run with ss='
	E9_HEX WIN_SS, 4
	E9_PRINT ' (rpl 3) until lss', 10

	LOAD_PM_TABLES
	mov ax, WIN_SS
	mov ss, ax
	mov sp, WIN_SP
	push word SEL_MARK_A            ; for POP ES in window A
	SET_PE
	; ---- window A: PE = 1, SS = 1003 (real-mode cache), DS = ES = 0 ----
	jmp SEL_CODE16:win_a

win_a:
	lgs bx, [ptr_obs]               ; DS = 0, real-mode cache: reads the pointer
	mov [gs:O_GS], gs
	pop es
	mov [gs:O_ES_POP], es
	mov eax, [es:0]
	mov [gs:O_ES_POP_MARK], eax
	lfs bx, [ptr_b]
	mov [gs:O_FS], fs
	mov eax, [fs:0]
	mov [gs:O_FS_MARK], eax
	les di, [ptr_c]
	mov [gs:O_ES_LES], es
	mov eax, [es:0]
	mov [gs:O_ES_LES_MARK], eax
	lds si, [ptr_b]                 ; the last DS-relative read
	mov [gs:O_DS], ds
	mov eax, [si]
	mov [gs:O_DS_MARK], eax
	call SEL_CODE32:far_routine32   ; 16-bit far CALL, into 32-bit code
	pushf                           ; IRET to the next instruction
	push cs
	push word after_iret_a
	iret
after_iret_a:
	mov [gs:O_IRET_SP], sp
	mov [gs:O_IRET_CS], cs
	mov [gs:O_BEFORE_SP], sp
	lss sp, [cs:ptr_stack]          ; the window ends here
	mov [gs:O_SS], ss
	mov [gs:O_SP], sp
	jmp dword SEL_CODE32:pm32

	bits 32
; Far-called from window A (16-bit call: O16 RETF).  SS is still the
; real-mode 1003 cache: 16-bit stack, so SP addresses it.
far_routine32:
	mov [gs:O_CALL_SP], esp
	movzx ebp, sp
	mov ax, [ebp + 2]               ; SS: the pushed CS
	mov [gs:O_CALL_CS], ax
	mov [gs:O_CALL_OWN_CS], cs
	o16 retf

; ------------------------------------------------- 32-bit, after window A --
pm32:
	SET_SEGS SEL_DATA32, ds, es, ss
	mov esp, FLAT_STACK
	mov ebx, OBS_BASE

	E9_PRINT P, 'window A: lgs gs='
	E9_HEX [ebx + O_GS], 4
	E9_PRINT ' pop es: es='
	E9_HEX [ebx + O_ES_POP], 4
	E9_PRINT ' [es:0]='
	E9_HEX [ebx + O_ES_POP_MARK], 8
	E9_PRINT ' lfs: fs='
	E9_HEX [ebx + O_FS], 4
	E9_PRINT ' [fs:0]='
	E9_HEX [ebx + O_FS_MARK], 8
	E9_PRINT 10
	E9_PRINT P, 'window A: les: es='
	E9_HEX [ebx + O_ES_LES], 4
	E9_PRINT ' [es:0]='
	E9_HEX [ebx + O_ES_LES_MARK], 8
	E9_PRINT ' lds: ds='
	E9_HEX [ebx + O_DS], 4
	E9_PRINT ' [ds:si]='
	E9_HEX [ebx + O_DS_MARK], 8
	E9_PRINT 10
	E9_PRINT P, 'window A: far call: esp.in.call='
	E9_HEX [ebx + O_CALL_SP], 8
	E9_PRINT ' pushed.cs='
	E9_HEX [ebx + O_CALL_CS], 4
	E9_PRINT ' cs.in.call='
	E9_HEX [ebx + O_CALL_OWN_CS], 4
	E9_PRINT ' iret: cs='
	E9_HEX [ebx + O_IRET_CS], 4
	E9_PRINT ' sp='
	E9_HEX [ebx + O_IRET_SP], 4
	E9_PRINT 10
	E9_PRINT P, 'window A: lss: sp.before='
	E9_HEX [ebx + O_BEFORE_SP], 4
	E9_PRINT ' ss='
	E9_HEX [ebx + O_SS], 4
	E9_PRINT ' sp='
	E9_HEX [ebx + O_SP], 4
	E9_PRINT 10

	cmp word [ebx + O_GS], SEL_OBS
	jne fail32
	cmp word [ebx + O_ES_POP], SEL_MARK_A
	jne fail32
	cmp dword [ebx + O_ES_POP_MARK], MARK | 1
	jne fail32
	cmp word [ebx + O_FS], SEL_MARK_B
	jne fail32
	cmp dword [ebx + O_FS_MARK], MARK | 2
	jne fail32
	cmp word [ebx + O_ES_LES], SEL_MARK_C
	jne fail32
	cmp dword [ebx + O_ES_LES_MARK], MARK | 3
	jne fail32
	cmp word [ebx + O_DS], SEL_MARK_B
	jne fail32
	cmp dword [ebx + O_DS_MARK], MARK | 2
	jne fail32
	cmp dword [ebx + O_CALL_SP], WIN_SP - 4
	jne fail32
	cmp word [ebx + O_CALL_CS], SEL_CODE16
	jne fail32
	cmp word [ebx + O_CALL_OWN_CS], SEL_CODE32
	jne fail32
	cmp word [ebx + O_IRET_CS], SEL_CODE16
	jne fail32
	cmp word [ebx + O_IRET_SP], WIN_SP
	jne fail32
	cmp word [ebx + O_SS], SEL_STACK
	jne fail32
	cmp word [ebx + O_SP], PM_SP
	jne fail32

	; Set up window B: every register at a protected-mode base.  The far
	; pointers window B reads through DS (base MARK_A_BASE), and the value
	; it pops into ES.
	mov dword [MARK_A_BASE + PTRS_OFF + 0], ((MARK_B_BASE >> 4) << 16) | 0    ; -> FS
	mov dword [MARK_A_BASE + PTRS_OFF + 4], ((MARK_A_BASE >> 4) << 16) | 0    ; -> DS
	mov dword [MARK_A_BASE + PTRS_OFF + 8], ((STACK_BASE >> 4) << 16) | B_SP ; -> SS:SP
	mov dword [MARK_A_BASE + PTRS_OFF + 12], ((OBS_BASE >> 4) << 16) | 0     ; -> GS
	mov ax, SEL_STACK
	mov ss, ax
	mov esp, B_SP                   ; SEL_STACK is 16-bit: SP
	push word MARK_C_BASE >> 4      ; for POP ES in window B
	mov ax, SEL_MARK_A
	mov ds, ax
	mov ax, SEL_MARK_B
	mov es, ax
	mov fs, ax
	mov ax, SEL_OBS
	mov gs, ax
	jmp SEL_CODE16:to_real

	bits 16
to_real:
	; ---- window B: PE = 0, every register at a protected-mode base ----
	TO_REAL win_b

win_b:
	mov [gs:O_B_CS], cs
	call 0x0000:far_routine16       ; pushes through SS, base STACK_BASE
after_call_b:
	pushf
	push cs
	push word after_iret_b
	iret
after_iret_b:
	mov [gs:O_B_IRET_CS], cs
	mov [gs:O_B_IRET_SP], sp
	pop es                          ; real-mode load: base = sel * 16
	mov [gs:O_B_ES], es
	mov eax, [es:0]
	mov [gs:O_B_ES_MARK], eax
	lfs bx, [PTRS_OFF + 0]          ; DS: still the protected-mode base
	mov [gs:O_B_FS], fs
	mov eax, [fs:0]
	mov [gs:O_B_FS_MARK], eax
	lds si, [PTRS_OFF + 4]
	mov [gs:O_B_DS], ds
	mov eax, [si]
	mov [gs:O_B_DS_MARK], eax
	lss sp, [PTRS_OFF + 8]
	mov [gs:O_B_SS], ss
	mov [gs:O_B_SP], sp
	lgs bx, [PTRS_OFF + 12]         ; the window ends here
	mov [gs:O_B_GS], gs

	; Plain real mode again.
	SET_SEGS 0, ds, es, fs, ss
	mov sp, FLAT_STACK
	lidt [real_ivt_desc]

%define OB(o) [gs:(o)]
	E9_PRINT P, 'window B: cs='
	E9_HEX OB(O_B_CS), 4
	E9_PRINT ' far call: sp.in.call='
	E9_HEX OB(O_B_CALL_SP), 4
	E9_PRINT ' pushed.cs='
	E9_HEX OB(O_B_CALL_CS), 4
	E9_PRINT ' [44000+sp]='
	E9_HEX OB(O_B_STACK_WORD), 4
	E9_PRINT ' iret: cs='
	E9_HEX OB(O_B_IRET_CS), 4
	E9_PRINT ' sp='
	E9_HEX OB(O_B_IRET_SP), 4
	E9_PRINT 10
	E9_PRINT P, 'window B: pop es: es='
	E9_HEX OB(O_B_ES), 4
	E9_PRINT ' [es:0]='
	E9_HEX OB(O_B_ES_MARK), 8
	E9_PRINT ' lfs: fs='
	E9_HEX OB(O_B_FS), 4
	E9_PRINT ' [fs:0]='
	E9_HEX OB(O_B_FS_MARK), 8
	E9_PRINT ' lds: ds='
	E9_HEX OB(O_B_DS), 4
	E9_PRINT ' [ds:si]='
	E9_HEX OB(O_B_DS_MARK), 8
	E9_PRINT 10
	E9_PRINT P, 'window B: lss: ss='
	E9_HEX OB(O_B_SS), 4
	E9_PRINT ' sp='
	E9_HEX OB(O_B_SP), 4
	E9_PRINT ' lgs: gs='
	E9_HEX OB(O_B_GS), 4
	E9_PRINT 10

	cmp word OB(O_B_CS), 0
	jne fail16
	cmp word OB(O_B_CALL_SP), B_SP - 2 - 4
	jne fail16
	cmp word OB(O_B_CALL_CS), 0
	jne fail16
	cmp word OB(O_B_STACK_WORD), after_call_b
	jne fail16
	cmp word OB(O_B_IRET_CS), 0
	jne fail16
	cmp word OB(O_B_IRET_SP), B_SP - 2
	jne fail16
	cmp word OB(O_B_ES), MARK_C_BASE >> 4
	jne fail16
	cmp dword OB(O_B_ES_MARK), MARK | 3
	jne fail16
	cmp word OB(O_B_FS), MARK_B_BASE >> 4
	jne fail16
	cmp dword OB(O_B_FS_MARK), MARK | 2
	jne fail16
	cmp word OB(O_B_DS), MARK_A_BASE >> 4
	jne fail16
	cmp dword OB(O_B_DS_MARK), MARK | 1
	jne fail16
	cmp word OB(O_B_SS), STACK_BASE >> 4
	jne fail16
	cmp word OB(O_B_SP), B_SP
	jne fail16
	cmp word OB(O_B_GS), OBS_BASE >> 4
	jne fail16

	E9_PRINT P, 'done: every load form in both transition windows', 10
	END_RUN RUN_OK

fail16:
	E9_FAIL 'unexpected value in real mode (see the lines above)'

; Far-called in window B from real-mode CS 0, SS at the protected-mode base.
far_routine16:
	mov [gs:O_B_CALL_SP], sp
	mov bp, sp
	mov ax, [bp + 2]                ; SS: the pushed CS
	mov [gs:O_B_CALL_CS], ax
	mov ax, [bp]                    ; the pushed IP
	mov [gs:O_B_STACK_WORD], ax
	retf

	bits 32
fail32:
	E9_FAIL 'unexpected value in protected mode (see the lines above)'

	E9_ROUTINES

; ------------------------------------------------------------------ data --
	align 4
ptr_obs:	dw 0, SEL_OBS                   ; m16:16 pointers for window A
ptr_b:		dw 0, SEL_MARK_B
ptr_c:		dw 0, SEL_MARK_C
ptr_stack:	dw PM_SP, SEL_STACK
	IDT_DESCRIPTORS

; Bases are never selector * 16 (SEL_MARK_A = 0x30 has base 0x41000, ...).
	GDT_BEGIN
	GDT_ENTRY SEL_CODE32, 0, 0xFFFFF, ACC_CODE, FL_4K_32                ; 0x08 flat code32
	GDT_ENTRY SEL_DATA32, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32             ; 0x10 flat data32
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16               ; 0x18 code16
	GDT_ENTRY SEL_DATA16, 0, 0xFFFF, ACC_DATA_RW, FL_BYTE_16            ; 0x20 data16
	GDT_ENTRY SEL_OBS, OBS_BASE, 0xFFFF, ACC_DATA_RW, FL_BYTE_16        ; 0x28 observations
	GDT_ENTRY SEL_MARK_A, MARK_A_BASE, 0xFFFF, ACC_DATA_RW, FL_BYTE_16  ; 0x30 marker A
	GDT_ENTRY SEL_MARK_B, MARK_B_BASE, 0xFFFF, ACC_DATA_RW, FL_BYTE_16  ; 0x38 marker B
	GDT_ENTRY SEL_MARK_C, MARK_C_BASE, 0xFFFF, ACC_DATA_RW, FL_BYTE_16  ; 0x40 marker C
	GDT_ENTRY SEL_STACK, STACK_BASE, 0xFFFF, ACC_DATA_RW, FL_BYTE_16    ; 0x48 16-bit stack
	GDT_END

	IMAGE_END

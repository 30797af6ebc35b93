; testimages/seg16-from-32.asm — 16-bit data and stack segments, loaded in
; real mode, used from a 32-bit code segment before they are reloaded.
;
; After MOV CR0 and the far JMP to a 32-bit CS, SS/DS/ES still hold their
; real-mode caches (SDM Vol. 3A 9.9.1): base sel*16, limit 0xFFFF, and — for
; SS — B = 0.  The B flag of the *cached* SS decides whether PUSH, POP, CALL
; and RET use SP or ESP (SDM Vol. 3A 3.4.5 "D/B flag"; Vol. 2 PUSH: "the
; StackAddrSize ... is determined by the B flag of the stack segment's
; descriptor"), whatever CS.D says.  So in 32-bit code here:
;   - ESP[31:16] holds 0x5A5A and is never touched by the stack instructions;
;   - with SP = 4, PUSH, PUSH wraps SP through 0 to 0xFFFC, and the second
;     dword lands at SS:FFFC, not at SS:5A59FFFC (which would be beyond the
;     64 KiB limit: #SS).
; DESIGN.md §6: "a 16-bit SS may be used from a 32-bit CS".
;
; The same 32-bit probe runs twice:
;   pass 1  SS/DS/ES = 2000/2100/2200 (RPL 0): the state right after MOV CR0
;           can be entered as it is, so under the stack the processor runs
;           the probe;
;   pass 2  SS/DS/ES = 2003/2103/2203: real-mode values whose RPL is 3.  On
;           hardware that changes nothing (real mode has no RPL), but a
;           protected-mode state with SS.RPL != CS.RPL cannot be VM-entered,
;           so under the stack the blob must interpret the probe — 32-bit
;           code, 16-bit stack — until the guest reloads SS.
; Both passes must print the same values (but the selectors and bases).

%define IMAGE_NAME 'seg16-from-32'

PASSES          equ 2
ESP_HIGH        equ 0x5A5A0000          ; ESP[31:16] during the probe
PROBE_SP        equ 0x0004              ; PUSH, PUSH wraps through 0
MARK_OFF        equ 0x0100              ; a marker at DS:MARK_OFF
OBS_OFF         equ 0x0200              ; observations written through ES
PUSH1           equ 0x11111111
PUSH2           equ 0x22222222
FLAT_STACK      equ 0x7C00

%include "lib/guest.inc"

; -------------------------------------------------------------- real mode --
main:
	mov dword [pass], 1

next_pass:
	; This pass's selectors: pass 1 RPL 0, pass 2 RPL 3.
	mov eax, [pass]
	dec eax
	imul eax, eax, 3
	mov [rpl], eax
	add ax, 0x2000
	mov [sel_ss], ax
	add ax, 0x0100
	mov [sel_ds], ax
	add ax, 0x0100
	mov [sel_es], ax
	; Linear bases (sel * 16) for reading back with flat segments.
	movzx eax, word [sel_ss]
	shl eax, 4
	mov [base_ss], eax
	movzx eax, word [sel_ds]
	shl eax, 4
	mov [base_ds], eax
	movzx eax, word [sel_es]
	shl eax, 4
	mov [base_es], eax

	; The marker through DS, and clean stack slots through SS.
	mov ebx, [pass]
	or ebx, MARK
	mov ax, [sel_ds]
	mov cx, [sel_ss]
	mov dx, [sel_es]
	mov fs, ax
	mov [fs:MARK_OFF], ebx
	mov fs, cx
	mov dword [fs:0], 0
	mov dword [fs:0xFFFC], 0
	xor bx, bx
	mov fs, bx

	E9_PRINT P, 'pass '
	E9_HEX [pass], 1
	E9_PRINT ': real: ss='
	E9_HEX [sel_ss], 4
	E9_PRINT ' ds='
	E9_HEX [sel_ds], 4
	E9_PRINT ' es='
	E9_HEX [sel_es], 4
	E9_PRINT 10

	LOAD_PM_TABLES
	; From here the data segments are the probe's: no more DS-relative
	; variables until they are reloaded.
	mov ss, cx
	mov esp, ESP_HIGH | PROBE_SP
	mov ds, ax
	mov es, dx
	TO_PM32 probe32

; --------------------------------- 32-bit CS, 16-bit SS/DS/ES (real-mode) --
	bits 32
probe32:
	push dword PUSH1                ; SP 0004 -> 0000
	push dword PUSH2                ; SP 0000 -> FFFC (wraps: SS.B = 0)
	mov [es:OBS_OFF + 0], esp
	pop ebx
	pop ecx
	mov [es:OBS_OFF + 4], ebx
	mov [es:OBS_OFF + 8], ecx
	mov [es:OBS_OFF + 12], esp
	call probe_sub                  ; CALL/RET through SP
after_call:
	mov [es:OBS_OFF + 16], edi
	mov [es:OBS_OFF + 20], ebp
	mov eax, [MARK_OFF]             ; DS, 16-bit data segment
	mov [es:OBS_OFF + 24], eax
	mov ax, ss
	mov [es:OBS_OFF + 28], ax
	mov ax, ds
	mov [es:OBS_OFF + 30], ax

	; Reload (SDM 9.9.1 step 8): now flat 32-bit segments.
	SET_SEGS SEL_DATA32, ds, es, ss
	mov esp, FLAT_STACK
	mov fs, ax
	mov gs, ax

	mov esi, [base_es]
	add esi, OBS_OFF
	mov edi, [base_ss]
	E9_PRINT P, 'pass '
	E9_HEX [pass], 1
	E9_PRINT ': pm32 with ss='
	E9_HEX [esi + 28], 4
	E9_PRINT ' ds='
	E9_HEX [esi + 30], 4
	E9_PRINT ': esp.after.push='
	E9_HEX [esi + 0], 8
	E9_PRINT ' popped='
	E9_HEX [esi + 4], 8
	E9_PRINT ','
	E9_HEX [esi + 8], 8
	E9_PRINT ' esp.after.pop='
	E9_HEX [esi + 12], 8
	E9_PRINT 10
	E9_PRINT P, 'pass '
	E9_HEX [pass], 1
	E9_PRINT ': pm32: esp.in.call='
	E9_HEX [esi + 16], 8
	E9_PRINT ' return.address='
	E9_HEX [esi + 20], 8
	E9_PRINT ' ds:mark='
	E9_HEX [esi + 24], 8
	E9_PRINT ' ss:0000='
	E9_HEX [edi + 0], 8
	E9_PRINT ' ss:fffc='
	E9_HEX [edi + 0xFFFC], 8
	E9_PRINT 10

	mov ax, [sel_ss]
	cmp [esi + 28], ax
	jne fail32
	mov ax, [sel_ds]
	cmp [esi + 30], ax
	jne fail32
	cmp dword [esi + 0], ESP_HIGH | 0xFFFC
	jne fail32
	cmp dword [esi + 4], PUSH2
	jne fail32
	cmp dword [esi + 8], PUSH1
	jne fail32
	cmp dword [esi + 12], ESP_HIGH | PROBE_SP
	jne fail32
	cmp dword [esi + 16], ESP_HIGH | (PROBE_SP - 4)
	jne fail32
	cmp dword [esi + 20], LINEAR(after_call)
	jne fail32
	mov eax, [pass]
	or eax, MARK
	cmp [esi + 24], eax
	jne fail32
	cmp dword [edi + 0], LINEAR(after_call) ; the CALL reused PUSH1's slot
	jne fail32
	cmp dword [edi + 0xFFFC], PUSH2
	jne fail32

	cmp dword [pass], PASSES
	jae finished

	; Back to real mode for the next pass (SDM 9.9.2).
	jmp SEL_CODE16:pm16

finished:
	E9_PRINT P, 'done: ', '0' + PASSES, ' passes, the 16-bit SS used SP from 32-bit code', 10
	END_RUN RUN_OK

fail32:
	E9_FAIL 'unexpected value in protected mode (see the lines above)'

; EDI = ESP here (SP wraps to 0000), EBP = the return address at SS:SP.
probe_sub:
	mov edi, esp
	movzx ebp, sp
	mov ebp, [ebp]                  ; SS:[SP]: SP < 64 KiB, within the limit
	ret

	bits 16
pm16:
	SET_SEGS SEL_DATA16, ds, es, ss, fs, gs
	TO_REAL real_again
real_again:
	SET_SEGS 0, ds, es, ss, fs, gs
	mov esp, FLAT_STACK
	lidt [real_ivt_desc]
	inc dword [pass]
	jmp next_pass

	E9_ROUTINES

; ------------------------------------------------------------------ data --
MARK            equ 0x16D50000
	align 4
pass:		dd 0
rpl:		dd 0
sel_ss:		dw 0
sel_ds:		dw 0
sel_es:		dw 0
		dw 0
base_ss:	dd 0
base_ds:	dd 0
base_es:	dd 0
	IDT_DESCRIPTORS

	GDT_BEGIN
	GDT_ENTRY SEL_CODE32, 0, 0xFFFFF, ACC_CODE, FL_4K_32        ; 0x08 flat code32
	GDT_ENTRY SEL_DATA32, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32     ; 0x10 flat data32
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16       ; 0x18 code16
	GDT_ENTRY SEL_DATA16, 0, 0xFFFF, ACC_DATA_RW, FL_BYTE_16    ; 0x20 data16
	GDT_END

	IMAGE_END

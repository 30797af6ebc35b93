; testimages/btx.asm — FreeBSD's BTX kernel start-up (sys/boot/i386/btx/btx/
; btx.S, "init"): DS, ES and SS are zeroed in real mode, the IDT is built in
; real mode, PE is set with "mov %cr0,%eax; inc %ax; mov %eax,%cr0", a 16-bit
; far JMP enters 32-bit code, and that code reloads SS only: DS and ES keep
; the selector 0 with their real-mode caches (base 0, limit 0xFFFF) and are
; used as they are — LIDT, LTR's operand, data reads and writes, REP STOSD,
; and an exception handler — until BTX finally loads its own selectors with
; POP ES / POP DS.
;
; On hardware this works (SDM Vol. 3A 9.9.1: the segment registers keep the
; real-mode caches until reloaded; a selector value of 0 loaded in REAL mode
; is not a null selector — only a protected-mode load of 0 makes a register
; unusable).  vmxassist turned such "invalid" selectors into null ones at the
; switch (reference/vmxassist.md §4, 709c2fe3d3), so the first DS access
; would #GP.  DESIGN.md §6: "FreeBSD btx uses DS=0 from 32-bit code".
;
; Every value the guest observes is printed; any unexpected value adds a
; "FAIL:" line and ends the run as failed.  The run ends in protected mode.

%define IMAGE_NAME 'btx'

MEM_IDT         equ 0x1000              ; the IDT, built in real mode (256 gates)
MEM_TSS         equ 0x1800              ; the TSS (104 bytes)
MEM_ESP0        equ 0x1E00              ; BTX's kernel stack top
BUF             equ 0x2000              ; REP STOSD target
BUF_DWORDS      equ 64
FILL_REAL       equ 0xAAAAAAAA          ; what real mode leaves in BUF
FILL_PM         equ 0x0B7C0B7C          ; what 32-bit code stores through ES

%include "lib/guest.inc"

; -------------------------------------------------------------- real mode --
main:
	; btx.S init: zero the segments and set up the stack.
	cli
	xor ax, ax
	mov ss, ax
	mov sp, MEM_ESP0
	mov es, ax
	mov ds, ax
	push dword 2                    ; clear the flags
	popfd

	; Zero the IDT and TSS area (btx.S: "rep stosw"), fill BUF.
	cld
	mov di, MEM_IDT
	mov cx, (BUF - MEM_IDT) / 2
	rep stosw
	mov eax, FILL_REAL
	mov cx, BUF_DWORDS
	rep stosd

	; Gate for vector 3 (#BP, used below) and vector 13 (#GP, a safety
	; net: it prints and fails), built as btx.S builds its gates.
	mov word [MEM_IDT + 3 * 8 + 0], bp_handler
	mov word [MEM_IDT + 3 * 8 + 2], SEL_SCODE
	mov word [MEM_IDT + 3 * 8 + 4], GATE_INT32 << 8
	mov word [MEM_IDT + 13 * 8 + 0], gp_handler
	mov word [MEM_IDT + 13 * 8 + 2], SEL_SCODE
	mov word [MEM_IDT + 13 * 8 + 4], GATE_INT32 << 8
	; TSS: SS0:ESP0 (btx.S: "Initialize TSS").
	mov dword [MEM_TSS + 4], MEM_ESP0
	mov word [MEM_TSS + 8], SEL_SDATA
	mov word [MEM_TSS + 0x66], 104  ; I/O map base beyond the limit: no bitmap

	E9_PRINT P, 'real mode: ds=es=ss=0000, idt at '
	E9_HEX MEM_IDT, 4
	E9_PRINT ' built, buf filled with '
	E9_HEX FILL_REAL, 8
	E9_PRINT 10

	; btx.S "Bring up the system".
	lgdt [gdtdesc]
	mov eax, cr0
	inc ax
	mov cr0, eax
	jmp SEL_SCODE:init8             ; ljmp $SEL_SCODE,$init.8 (ptr16:16)

; ---------------------------------------- 32-bit, DS and ES still real --
	bits 32
init8:
	xor ecx, ecx
	mov cl, SEL_SDATA
	mov ss, cx                      ; the only reload
	mov esp, MEM_ESP0
	mov cl, SEL_TSS
	ltr cx
	lidt [idtdesc]                  ; through DS = 0 (real-mode cache)

	; DS and ES, never reloaded: read, write, REP STOSD.
	mov eax, [cookie]
	mov [cookie_copy], eax
	mov edi, BUF
	mov ecx, BUF_DWORDS
	mov eax, FILL_PM
	rep stosd                       ; ES:EDI
	call checksum_buf               ; EAX = checksum of BUF through DS
	mov ebx, eax
	mov ax, ds
	mov cx, es
	str dx
	E9_PRINT P, 'pm32: ds='         ; e9.inc prints through DS too
	E9_HEX16 ax
	E9_PRINT ' es='
	E9_HEX16 cx
	E9_PRINT ' tr='
	E9_HEX16 dx
	E9_PRINT ' cookie.copy='
	E9_HEX [cookie_copy], 8
	E9_PRINT ' buf.checksum='
	E9_HEX ebx, 8
	E9_PRINT 10
	test ax, ax
	jnz fail
	test cx, cx
	jnz fail
	cmp dx, SEL_TSS
	jne fail
	cmp dword [cookie_copy], COOKIE
	jne fail
	cmp ebx, BUF_CHECKSUM
	jne fail

	; An exception with DS still real: the handler prints through DS.
	mov dword [bp_count], 0
	int3
	cmp dword [bp_count], 1
	jne fail

	; BTX loads its selectors from the stack at last: POP ES, POP DS.
	push dword SEL_SDATA
	push dword SEL_SDATA
	pop es
	pop ds
	mov ax, ds
	mov cx, es
	mov edx, [cookie]
	E9_PRINT P, 'pm32 after pop: ds='
	E9_HEX16 ax
	E9_PRINT ' es='
	E9_HEX16 cx
	E9_PRINT ' cookie='
	E9_HEX edx, 8
	E9_PRINT 10
	cmp ax, SEL_SDATA
	jne fail
	cmp edx, COOKIE
	jne fail

	E9_PRINT P, 'done: DS=0 and ES=0 from real mode used by 32-bit code', 10
	END_RUN RUN_OK

fail:
	E9_FAIL 'unexpected value (see the lines above)'

bp_handler:
	inc dword [bp_count]            ; DS: still the real-mode cache
	mov eax, [esp + 4]              ; the CS pushed by the event
	E9_PRINT P, 'int3 handler: bp.count='
	E9_HEX [bp_count], 1
	E9_PRINT ' pushed.cs='
	E9_HEX eax, 4
	E9_PRINT 10
	iretd

gp_handler:
	E9_FAIL '#GP'

; EAX = the checksum (lib/checksum.inc) of BUF_DWORDS * 4 bytes at DS:BUF.
checksum_buf:
	push ecx
	push edx
	CHECKSUM_LOOP eax, edx, [BUF + ecx], BUF_DWORDS * 4
	pop edx
	pop ecx
	ret

	E9_ROUTINES

; The checksum of BUF_DWORDS copies of FILL_PM, computed at assembly time.
%assign sum 0
%rep BUF_DWORDS
%assign k 0
%rep 4
	%assign sum CHECKSUM_STEP(sum, (FILL_PM >> (8 * k)) & 0xFF)
	%assign k k + 1
%endrep
%endrep
BUF_CHECKSUM equ sum

; ------------------------------------------------------------------ data --
	align 4
COOKIE          equ 0xB7C0FFEE
cookie:		dd COOKIE
cookie_copy:	dd 0
bp_count:	dd 0
idtdesc:	dw 256 * 8 - 1
		dd MEM_IDT
gdtdesc:	dw gdt_end - gdt - 1
		dd LINEAR(gdt)

; btx.S's GDT, in its order: null, SEL_SCODE, SEL_SDATA, ..., the TSS.
	GDT_BEGIN
	GDT_ENTRY SEL_SCODE, 0, 0xFFFFF, ACC_CODE, FL_4K_32         ; 0x08
	GDT_ENTRY SEL_SDATA, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32      ; 0x10
	GDT_ENTRY SEL_TSS, MEM_TSS, 103, 0x89, 0                    ; 0x18 available 32-bit TSS
gdt_end:

	IMAGE_END

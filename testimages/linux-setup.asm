; testimages/linux-setup.asm — the x86 Linux setup -> startup_32 sequence, with
; the two things about it that broke vmxassist (reference/vmxassist.md §4,
; DESIGN.md §6):
;
;   1. the GDT limit is bogus: Linux's setup.S declared "gdt_48: .word 0x8000
;      # gdt limit=2048, 256 GDT entries" for a GDT of four entries, so a
;      real-mode selector value such as 0x3000 is *inside* the declared limit
;      and a monitor that looks it up reads whatever follows the GDT;
;   2. setup enters protected mode (LMSW, then a far JMP to __KERNEL_CS) with
;      SS, DS and ES still holding the real-mode value 0x3000, and the 32-bit
;      code uses them before reloading: POP and CALL through SS, reads
;      through DS and ES.  The processor keeps using the hidden caches loaded
;      in real mode (base 0x30000, limit 0xFFFF, 16-bit: SDM Vol. 3A 9.9.1,
;      "segment registers ... continue to point to real-address mode
;      segments until they are reloaded"), so SP (not ESP) is used, since the
;      cached SS.B is 0.
;
; To catch a monitor that reads a descriptor for a register still holding a
; real-mode value, the memory right after the real GDT holds what a stale
; setup image might: at gdt + 0x3000 (the slot selector 0x3000 indexes) a
; valid data descriptor with base 0x50000, where decoy markers sit.  A read
; through it shows the decoy instead of the setup markers.
;
; Every value the guest observes is printed; any unexpected value adds a
; "FAIL:" line and ends the run as failed.  The run ends in protected mode.

%define IMAGE_NAME 'linux-setup'

SETUP_SEG       equ 0x3000              ; SS = DS = ES in real mode
SETUP_SP        equ 0x8000
DECOY_SEG       equ 0x5000              ; base of the decoy descriptor
MARK_OFF        equ 0x0100              ; markers at SETUP_SEG:MARK_OFF (and decoy)
OBS_OFF         equ 0x0200              ; observations written through DS
MARK_DS         equ 0x5E7C0DE1
MARK_ES         equ 0x5E7C0DE2
DECOY_DS        equ 0xDEC0DE01
DECOY_ES        equ 0xDEC0DE02
PUSHED          equ 0x11223344          ; pushed in real mode, popped in 32-bit code
FLAT_STACK      equ 0x7C00
GDT_DECLARED_LIMIT equ 0x8000           ; Linux's bogus gdt_48 limit

; The decoy descriptor: base DECOY_SEG << 4, limit 0xFFFF, data RW, DPL 0.
DECOY_BASE      equ DECOY_SEG << 4
DECOY_LO        equ 0xFFFF | ((DECOY_BASE & 0xFFFF) << 16)
DECOY_HI        equ ((DECOY_BASE >> 16) & 0xFF) | (0x93 << 8) | (DECOY_BASE & 0xFF000000)

%include "lib/guest.inc"

; -------------------------------------------------------------- real mode --
main:
	; The setup markers at 3000:MARK_OFF, the decoy markers at 5000:MARK_OFF,
	; the decoy descriptor after the GDT.
	mov ax, SETUP_SEG
	mov es, ax
	mov dword [es:MARK_OFF], MARK_DS
	mov dword [es:MARK_OFF + 4], MARK_ES
	mov ax, DECOY_SEG
	mov es, ax
	mov dword [es:MARK_OFF], DECOY_DS
	mov dword [es:MARK_OFF + 4], DECOY_ES
	xor ax, ax
	mov es, ax
	mov dword [gdt + SETUP_SEG], DECOY_LO
	mov dword [gdt + SETUP_SEG + 4], DECOY_HI

	E9_PRINT P, 'real mode: gdt limit='
	E9_HEX GDT_DECLARED_LIMIT, 4
	E9_PRINT ' (4 entries), gdt+3000: decoy descriptor base='
	E9_HEX DECOY_BASE, 8
	E9_PRINT 10

	; setup.S: SS = DS = ES = the setup segment, a stack in it.
	mov ax, SETUP_SEG
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, SETUP_SP
	push dword PUSHED               ; popped by the 32-bit code

	; setup.S "go_to_protected_mode": LIDT, LGDT, LMSW, a short jump to
	; flush the prefetch queue, then the o32 far jump to __KERNEL_CS.
	lidt [cs:idt_48]
	lgdt [cs:gdt_48]
	mov ax, 1
	lmsw ax
	jmp short flush_instr
flush_instr:
	jmp dword SEL_KERNEL_CS:startup_32

; ------------------------------------------- 32-bit, before any reload --
	bits 32
startup_32:
	; SS, DS, ES still 0x3000 with their real-mode caches.
	pop eax                         ; SS:SP, SP += 4 (SS.B = 0)
	mov [OBS_OFF + 0], eax          ; DS: base 0x30000
	mov eax, [MARK_OFF]
	mov [OBS_OFF + 4], eax
	mov eax, [es:MARK_OFF + 4]
	mov [OBS_OFF + 8], eax
	mov [OBS_OFF + 12], esp         ; after the POP
	call probe_stack                ; CALL/RET through the 16-bit stack
after_probe:
	mov [OBS_OFF + 16], edi         ; ESP inside probe_stack
	mov [OBS_OFF + 20], ebp         ; the return address read there
	mov ax, ss
	mov [OBS_OFF + 24], ax
	mov ax, ds
	mov [OBS_OFF + 26], ax
	mov ax, es
	mov [OBS_OFF + 28], ax

	; startup_32: now reload everything with __KERNEL_DS.
	mov eax, SEL_KERNEL_DS
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
	mov esp, FLAT_STACK
	sgdt [sgdt_buf]

%define OBS(n) [(SETUP_SEG << 4) + OBS_OFF + (n)]
	E9_PRINT P, 'pm32 before reload: ss='
	E9_HEX OBS(24), 4
	E9_PRINT ' ds='
	E9_HEX OBS(26), 4
	E9_PRINT ' es='
	E9_HEX OBS(28), 4
	E9_PRINT ' popped='
	E9_HEX OBS(0), 8
	E9_PRINT ' ds:mark='
	E9_HEX OBS(4), 8
	E9_PRINT ' es:mark='
	E9_HEX OBS(8), 8
	E9_PRINT 10
	E9_PRINT P, 'pm32 stack: esp.after.pop='
	E9_HEX OBS(12), 8
	E9_PRINT ' esp.in.call='
	E9_HEX OBS(16), 8
	E9_PRINT ' return.address='
	E9_HEX OBS(20), 8
	E9_PRINT 10
	movzx eax, word [sgdt_buf]
	mov ebx, cs
	movzx ebx, bx
	mov ecx, ss
	movzx ecx, cx
	mov edx, [MARK_OFF + (SETUP_SEG << 4)]
	E9_PRINT P, 'pm32 after reload: cs='
	E9_HEX ebx, 4
	E9_PRINT ' ss='
	E9_HEX ecx, 4
	E9_PRINT ' sgdt.limit='
	E9_HEX eax, 4
	E9_PRINT ' [30100]='
	E9_HEX edx, 8
	E9_PRINT 10

	cmp word OBS(24), SETUP_SEG
	jne fail
	cmp word OBS(26), SETUP_SEG
	jne fail
	cmp word OBS(28), SETUP_SEG
	jne fail
	cmp dword OBS(0), PUSHED
	jne fail
	cmp dword OBS(4), MARK_DS
	jne fail
	cmp dword OBS(8), MARK_ES
	jne fail
	cmp dword OBS(12), SETUP_SP
	jne fail
	cmp dword OBS(16), SETUP_SP - 4
	jne fail
	cmp dword OBS(20), LINEAR(after_probe)
	jne fail
	cmp eax, GDT_DECLARED_LIMIT
	jne fail
	cmp ebx, SEL_KERNEL_CS
	jne fail

	E9_PRINT P, 'done: real-mode SS/DS/ES used from 32-bit code, never looked up', 10
	END_RUN RUN_OK

fail:
	E9_FAIL 'unexpected value (see the lines above)'

; EDI = ESP here, EBP = the dword at SS:ESP (the return address).
probe_stack:
	mov edi, esp
	mov ebp, esp
	mov ebp, [ebp]
	ret

	E9_ROUTINES

; ------------------------------------------------------------------ data --
	align 4
idt_48:	dw 0                            ; setup.S: "idt limit = 0"
	dd 0
gdt_48:	dw GDT_DECLARED_LIMIT           ; setup.S: "gdt limit=2048, 256 GDT entries"
	dd LINEAR(gdt)
sgdt_buf: times 6 db 0

; setup.S's GDT: two dummies, __KERNEL_CS = 0x10, __KERNEL_DS = 0x18.
	GDT_BEGIN
	dq 0                                                        ; 0x08 the second dummy
	GDT_ENTRY SEL_KERNEL_CS, 0, 0xFFFFF, ACC_CODE, FL_4K_32     ; 0x10 __KERNEL_CS
	GDT_ENTRY SEL_KERNEL_DS, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32  ; 0x18 __KERNEL_DS

	IMAGE_END

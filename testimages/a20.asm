; testimages/a20.asm — the A20 gate, closed and opened the two classic ways
; (System Control Port A, 0x92 bit 1; the keyboard controller's output port,
; command 0xD1 then the byte at 0x60, bit 1), observed through the 8086 wrap:
; with A20 closed, FFFF:0510 (linear 0x100500) is 0000:0500.
;
; Each state is observed twice: by plain real-mode code (which the stack runs
; in vm86: the wrap comes from the blob's page tables, since VT-x ignores
; A20M#) and through FS with a 4 GiB limit (big real mode, which the stack
; must interpret): [fs:00100500] with FS base 0 is the same linear address,
; and wraps the same way.  Native runs define what is right; the stack must
; print the same.

%define IMAGE_NAME 'a20'

%include "lib/guest.inc"

main:
	xor ax, ax
	mov ds, ax
	mov ax, 0xffff
	mov es, ax
	; markers: low memory, and linear 0x100500 with the gate open
	mov dword [0x0500], 0x10101010
	call open_port92
	mov dword [es:0x0510], 0xA1A1A1A1

	; Phase 1: plain real mode (vm86 under the stack: the page tables wrap)
	mov byte [phase], 'p'
	call gate_cycle

	; Phase 2: FS with base 0 and a 4 GiB limit (loaded in protected mode,
	; kept back in real mode), so the stack interprets every instruction
	lgdt [gdt_desc]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp SEL_CODE16:.pm16
.pm16:	mov ax, SEL_BIG
	mov fs, ax
	mov eax, cr0
	and al, 0xfe
	mov cr0, eax
	jmp 0:.real
.real:	xor ax, ax
	mov ds, ax
	mov byte [phase], 'b'
	call gate_cycle
	E9_PRINT P, 'done: a20 gate closed and opened through port 0x92 and the keyboard controller', 10
	END_RUN RUN_OK

; gate_cycle: close and open the gate both ways, observing each state
gate_cycle:
	E9_PRINT P, 'open (port 0x92):'
	call observe92
	call close_port92
	E9_PRINT P, 'closed (port 0x92):'
	call observe92
	call open_port92
	E9_PRINT P, 'open again (port 0x92):'
	call observe92
	call close_kbc
	E9_PRINT P, 'closed (keyboard controller):'
	call observe
	call open_kbc
	E9_PRINT P, 'open again (keyboard controller):'
	call observe
	ret

; observe: print what linear 0x100500 reads as — through ES = FFFF in phase
; 'p', through the big FS in phase 'b'; observe92 adds port 0x92's bit 1 as
; the guest reads it back.  (Only after port-0x92 writes: what 0x92 reads
; after the keyboard controller moved the gate differs between chipsets —
; QEMU keeps 0x92's own latch, Bochs shows the combined gate.)
observe92:
	call observe_mem
	E9_PRINT ' port92.a20='
	in al, 0x92
	shr al, 1
	and eax, 1
	E9_HEX eax, 1
	E9_PRINT 10
	ret

observe:
	call observe_mem
	E9_PRINT 10
	ret

observe_mem:
	cmp byte [phase], 'b'
	je .big
	E9_PRINT ' [ffff:0510]='
	mov eax, [es:0x0510]
	E9_HEX eax, 8
	ret
.big:	E9_PRINT ' [fs:00100500 (big real mode)]='
	a32 mov eax, [fs:dword 0x100500]
	E9_HEX eax, 8
	ret

phase:	db 0

open_port92:
	in al, 0x92
	or al, 2
	and al, 0xfe                    ; never the fast-reset bit
	out 0x92, al
	ret

close_port92:
	in al, 0x92
	and al, 0xfc
	out 0x92, al
	ret

kbc_wait:                               ; input buffer empty
	in al, 0x64
	test al, 2
	jnz kbc_wait
	ret

close_kbc:
	call kbc_wait
	mov al, 0xd1
	out 0x64, al
	call kbc_wait
	mov al, 0xdd                    ; output port: A20 (bit 1) clear, reset (bit 0) high
	out 0x60, al
	call kbc_wait
	ret

open_kbc:
	call kbc_wait
	mov al, 0xd1
	out 0x64, al
	call kbc_wait
	mov al, 0xdf                    ; A20 set
	out 0x60, al
	call kbc_wait
	ret

	GDT_BEGIN
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16   ; 0x08: 16-bit code, base 0, 64 KiB
	GDT_ENTRY SEL_BIG, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_16    ; 0x10: data, base 0, 4 GiB (G=1), 16-bit
	GDT_END

	E9_ROUTINES
	IMAGE_END

; testimages/roundtrip.asm — real mode -> 32-bit protected mode -> real mode,
; three times, the canonical way (Intel SDM Vol. 3A 9.9.1 "Switching to
; Protected Mode" and 9.9.2 "Switching Back to Real-Address Mode").
;
; The first scenario for the stack: every transition the blob must handle in
; its simplest honest form.  Each pass:
;   real mode:  LIDT a null IDT, LGDT, MOV CR0 (PE=1), far JMP (o32) to a
;               32-bit code segment;
;   32-bit PM:  reload DS/ES/SS with a flat data selector, FS/GS with small
;               "window" segments whose bases are not selector*16; read CR0
;               and CS; checksum a table through FS; stamp a dword through GS;
;               print one line;
;   back:       far JMP to a 16-bit code segment, load 16-bit data selectors
;               into DS/ES/SS/FS/GS, clear PE with MOV CR0, far JMP to a
;               real-mode CS, reload DS/ES/SS/FS/GS with real-mode values, set
;               SP, LIDT the real-mode IVT; read the MSW (SMSW) and CR0, CS;
;               checksum the same table through FS = table/16 and read the
;               stamp through GS = scratch/16; print one line.
; The printed values are what the guest observes, so a run under the stack
; must print exactly what a native run prints (testimages/roundtrip.expected).
; Any unexpected value also prints a "FAIL:" line and ends the run as failed.

%define IMAGE_NAME 'roundtrip'
%define P IMAGE_NAME, ': '              ; line prefix for E9_PRINT

ROUND_TRIPS     equ 3
CR0_PE          equ 1 << 0
STACK_TOP       equ 0x7C00              ; same linear address in every mode
TABLE_LEN       equ 64                  ; bytes checksummed through FS
STAMP_BASE      equ 0xC0DE0000          ; PM writes STAMP_BASE | pass via GS

	bits 16
	org 0x7C00
%include "lib/boot.inc"
%include "lib/e9.inc"

; Absolute (linear) address of a label, as a plain number: in -f bin, labels
; are relocatable and may not be shifted, a label difference may.
%define LINEAR(l) ((l) - $$ + IMAGE_LOAD_ADDR)

; -------------------------------------------------------- real mode, entry --
main:
	mov ax, cs
	smsw bx
	and ebx, CR0_PE                 ; SMSW r16 leaves EBX's high half alone
	E9_PRINT P, 'real mode at entry: cs='
	E9_HEX16 ax
	E9_PRINT ' msw.pe='
	E9_HEX ebx, 1
	E9_PRINT 10
	mov dword [pass], 1

; ---------------------------------------------- real mode -> protected mode --
to_protected_mode:
	; Interrupts are off (boot.inc); nothing here turns them on.  A null
	; IDT makes any stray exception in protected mode a clean triple fault
	; instead of a jump through the real-mode IVT read as gates.
	lidt [null_idt_desc]
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	; The far JMP right after MOV CR0 loads CS from the GDT (SDM 9.9.1 step 4).
	jmp dword SEL_CODE32:pm32

	bits 32
pm32:
	mov ax, SEL_DATA32
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, STACK_TOP
	mov ax, SEL_TABLE
	mov fs, ax
	mov ax, SEL_SCRATCH
	mov gs, ax

	; What the guest observes in protected mode.
	mov ebx, cr0
	and ebx, CR0_PE
	mov ecx, cs
	movzx ecx, cx
	call checksum_fs_32             ; EAX = checksum of FS:[0 .. TABLE_LEN)
	mov edx, [pass]
	or edx, STAMP_BASE
	mov [gs:0], edx                 ; the real-mode half reads it back

	E9_PRINT P, 'pass '
	E9_HEX [pass], 1
	E9_PRINT ': pm32: cs='
	E9_HEX ecx, 4
	E9_PRINT ' cr0.pe='
	E9_HEX ebx, 1
	E9_PRINT ' fs.checksum='
	E9_HEX eax, 8
	E9_PRINT 10

	cmp ebx, CR0_PE
	jne fail_pm32
	cmp ecx, SEL_CODE32
	jne fail_pm32
	cmp eax, TABLE_CHECKSUM
	jne fail_pm32

; ---------------------------------------------- protected mode -> real mode --
	; SDM 9.9.2: far JMP to a code segment with a 64 KiB limit (16-bit)...
	jmp SEL_CODE16:pm16

	bits 16
pm16:
	; ...load every data segment register with a 64 KiB, byte-granular,
	; expand-up, writable descriptor, so real mode inherits sane limits...
	mov ax, SEL_DATA16
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	; ...clear PE...
	mov eax, cr0
	and eax, ~CR0_PE
	mov cr0, eax
	; ...and far JMP to load a real-mode CS.
	jmp 0x0000:real_mode_again

real_mode_again:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, STACK_TOP
	mov ax, LINEAR(table) >> 4
	mov fs, ax
	mov ax, LINEAR(scratch) >> 4
	mov gs, ax
	lidt [real_ivt_desc]

	; What the guest observes in real mode again.
	smsw bx
	and ebx, CR0_PE                 ; SMSW r16 leaves EBX's high half alone
	mov edi, cr0
	and edi, CR0_PE
	mov cx, cs
	call checksum_fs_16             ; EAX = checksum of FS:[0 .. TABLE_LEN)
	mov edx, [gs:0]

	E9_PRINT P, 'pass '
	E9_HEX [pass], 1
	E9_PRINT ': real: cs='
	E9_HEX16 cx
	E9_PRINT ' msw.pe='
	E9_HEX ebx, 1
	E9_PRINT ' cr0.pe='
	E9_HEX edi, 1
	E9_PRINT ' fs.checksum='
	E9_HEX eax, 8
	E9_PRINT ' gs.stamp='
	E9_HEX edx, 8
	E9_PRINT 10

	test ebx, ebx
	jnz fail_real
	test edi, edi
	jnz fail_real
	test cx, cx
	jnz fail_real
	cmp eax, TABLE_CHECKSUM
	jne fail_real
	mov eax, [pass]
	or eax, STAMP_BASE
	cmp edx, eax
	jne fail_real

	inc dword [pass]
	cmp dword [pass], ROUND_TRIPS
	jbe to_protected_mode

	E9_PRINT P, 'done: ', '0' + ROUND_TRIPS, ' round trips, every value as expected', 10
	END_RUN RUN_OK

fail_real:
	E9_PRINT P, 'FAIL: unexpected value in real mode (see the line above)', 10
	END_RUN RUN_FAILED

	bits 32
fail_pm32:
	E9_PRINT P, 'FAIL: unexpected value in protected mode (see the line above)', 10
	END_RUN RUN_FAILED

; ------------------------------------------------------------- checksums --
; checksum_fs_<bits>: EAX = (((b0 * 31) + b1) * 31 + ...) mod 2^32 over the
; TABLE_LEN bytes at FS:0.  Order-sensitive, so a wrong segment base or a
; misread byte changes it.  In: FS.  Out: EAX.  Clobbers: nothing else.
%macro CHECKSUM_FS 1
checksum_fs_%1:
	push ecx
	push edx
	xor eax, eax
	xor ecx, ecx
%%next:
	imul eax, eax, 31
	movzx edx, byte [fs:ecx]
	add eax, edx
	inc ecx
	cmp ecx, TABLE_LEN
	jb %%next
	pop edx
	pop ecx
	ret
%endmacro

	bits 16
	CHECKSUM_FS 16                  ; addr32 [fs:ecx]: ECX < TABLE_LEN < 64 KiB
	bits 32
	CHECKSUM_FS 32
	E9_ROUTINES

; ------------------------------------------------------------------ data --
	align 4
pass:		dd 0

null_idt_desc:	dw 0                    ; limit 0: every vector is out of range
		dd 0
real_ivt_desc:	dw 0x3FF                ; the real-mode IVT: 256 vectors at 0
		dd 0

; GDT.  Bases are chosen so that no protected-mode selector has base =
; selector * 16: a stack that confused the two would read the wrong bytes.
;   DESC base, limit (20 bits), access byte, flags nibble (G, D/B, L, AVL)
%macro DESC 4
	dw (%2) & 0xFFFF
	dw (%1) & 0xFFFF
	db ((%1) >> 16) & 0xFF
	db %3
	db (((%2) >> 16) & 0x0F) | ((%4) << 4)
	db ((%1) >> 24) & 0xFF
%endmacro
ACC_CODE        equ 0x9A                ; present, DPL 0, code, execute/read
ACC_DATA_RW     equ 0x92                ; present, DPL 0, data, read/write
ACC_DATA_RO     equ 0x90                ; present, DPL 0, data, read-only
FL_4K_32        equ 0xC                 ; G = 1 (4 KiB units), D/B = 1
FL_BYTE_32      equ 0x4                 ; G = 0, D/B = 1
FL_BYTE_16      equ 0x0                 ; G = 0, D/B = 0

	align 8
gdt:
	dq 0                                                    ; 0x00 null
	DESC 0, 0xFFFFF, ACC_CODE, FL_4K_32                     ; 0x08 flat code32
	DESC 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32                  ; 0x10 flat data32
	DESC LINEAR(table), TABLE_LEN - 1, ACC_DATA_RO, FL_BYTE_32 ; 0x18 table window
	DESC LINEAR(scratch), 15, ACC_DATA_RW, FL_BYTE_32       ; 0x20 scratch window
	DESC 0, 0xFFFF, ACC_CODE, FL_BYTE_16                    ; 0x28 code16
	DESC 0, 0xFFFF, ACC_DATA_RW, FL_BYTE_16                 ; 0x30 data16
gdt_end:
SEL_CODE32      equ 0x08
SEL_DATA32      equ 0x10
SEL_TABLE       equ 0x18
SEL_SCRATCH     equ 0x20
SEL_CODE16      equ 0x28
SEL_DATA16      equ 0x30

gdt_desc:	dw gdt_end - gdt - 1
		dd gdt

; TABLE_LEN pseudo-random bytes (a fixed LCG), and their checksum computed
; at assembly time.  Paragraph-aligned so real mode reaches it with FS = /16.
	align 16
table:
%assign seed 0x1234567
%assign sum 0
%rep TABLE_LEN
	%assign seed (seed * 1103515245 + 12345) & 0x7FFFFFFF
	%assign byte_ (seed >> 16) & 0xFF
	db byte_
	%assign sum ((sum * 31) + byte_) & 0xFFFFFFFF
%endrep
TABLE_CHECKSUM equ sum

	align 16
scratch:	times 16 db 0

	IMAGE_END

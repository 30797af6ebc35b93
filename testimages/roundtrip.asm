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

ROUND_TRIPS     equ 3
STACK_TOP       equ 0x7C00              ; same linear address in every mode
TABLE_LEN       equ 64                  ; bytes checksummed through FS
STAMP_BASE      equ 0xC0DE0000          ; PM writes STAMP_BASE | pass via GS

%include "lib/guest.inc"
%include "lib/roundtrip.inc"            ; the protected-mode probe (biosdisk's too)

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
	LOAD_PM_TABLES
	; The far JMP right after MOV CR0 loads CS from the GDT (SDM 9.9.1 step 4).
	TO_PM32 pm32

	bits 32
pm32:
	SET_SEGS SEL_DATA32, ds, es, ss
	mov esp, STACK_TOP
	mov ax, SEL_TABLE
	mov fs, ax
	mov ax, SEL_SCRATCH
	mov gs, ax

	; What the guest observes in protected mode: EBX = CR0.PE, ECX = CS,
	; EAX = checksum of the table through FS.
	ROUNDTRIP_PM32_OBSERVE
	mov edx, [pass]
	or edx, STAMP_BASE
	mov [gs:0], edx                 ; the real-mode half reads it back
	ROUNDTRIP_PM32_REPORT fail_pm32

; ---------------------------------------------- protected mode -> real mode --
	; SDM 9.9.2: far JMP to a code segment with a 64 KiB limit (16-bit)...
	jmp SEL_CODE16:pm16

	bits 16
pm16:
	; ...load every data segment register with a 64 KiB, byte-granular,
	; expand-up, writable descriptor, so real mode inherits sane limits...
	SET_SEGS SEL_DATA16, ds, es, ss, fs, gs
	; ...clear PE, and far JMP to load a real-mode CS.
	TO_REAL real_mode_again

real_mode_again:
	SET_SEGS 0, ds, es, ss
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
	E9_FAIL 'unexpected value in real mode (see the line above)'

	bits 32
fail_pm32:
	E9_FAIL 'unexpected value in protected mode (see the line above)'

; ------------------------------------------------------------- checksums --
; checksum_fs_<bits>: EAX = the checksum (lib/checksum.inc) of the TABLE_LEN
; bytes at FS:0, the same table read through a protected-mode window and a
; real-mode segment.
	bits 16
	CHECKSUM_FS 16
	bits 32
	CHECKSUM_FS 32
	E9_ROUTINES

; ------------------------------------------------------------------ data --
	align 4
pass:		dd 0
	IDT_DESCRIPTORS

; GDT.  Bases are chosen so that no protected-mode selector has base =
; selector * 16: a stack that confused the two would read the wrong bytes.
	GDT_BEGIN
	GDT_ENTRY SEL_CODE32, 0, 0xFFFFF, ACC_CODE, FL_4K_32                    ; 0x08 flat code32
	GDT_ENTRY SEL_DATA32, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32                 ; 0x10 flat data32
	GDT_ENTRY SEL_TABLE, LINEAR(table), TABLE_LEN - 1, ACC_DATA_RO, FL_BYTE_32 ; 0x18 table window
	GDT_ENTRY SEL_SCRATCH, LINEAR(scratch), 15, ACC_DATA_RW, FL_BYTE_32     ; 0x20 scratch window
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16                   ; 0x28 code16
	GDT_ENTRY SEL_DATA16, 0, 0xFFFF, ACC_DATA_RW, FL_BYTE_16                ; 0x30 data16
	GDT_END

; TABLE_LEN pseudo-random bytes, and their checksum computed at assembly
; time (lib/checksum.inc).  Paragraph-aligned so real mode reaches it with FS = /16.
	align 16
table:
	CHECKSUM_TABLE 0x1234567, TABLE_LEN

	align 16
scratch:	times 16 db 0

	IMAGE_END

; testimages/biosdisk/biosdisk.asm — a bootable disk whose boot sector is
; loaded by a real guest BIOS and uses BIOS services, then runs the
; round-trip and big-real-mode scenarios (issue 5, item 6).
;
; Unlike testimages/*.asm this guest NEEDS a BIOS: it is the test payload for
; "a real BIOS (SeaBIOS on QEMU, rombios on Bochs) runs under the blob".  It is
; built three ways from this one file (mk/biosdisk.mk):
;   biosdisk.bin  the program alone (whole sectors), for listings and loaders;
;   biosdisk.hdd  -DDISK_BYTES=10321920: a flat hard disk of 20 cylinders x
;                 16 heads x 63 sectors (the geometry QEMU guesses for this
;                 size and Bochs is told), booted as drive 80h;
;   biosdisk.flp  -DDISK_BYTES=1474560: the same on a 1.44 MB floppy (drive 0).
; Both disks carry a marker sector at LBA MARKER_LBA (cylinder and head
; nonzero under either geometry), which the guest reads back with CHS and,
; where offered, extended (AH=42h) reads.
;
; What it does, in order (each step prints one compared line, or fails):
;   boot sector: INT 13h AH=08h (geometry), AH=02h CHS reads of sectors 1..n;
;   INT 10h AH=0Eh teletype (every real-mode line goes to port 0xE9 AND to the
;     screen), read back from the screen with AH=03h/02h/08h;
;   INT 13h: multi-sector CHS read, CHS read of the marker, AH=41h probe and
;     AH=42h/48h where supported;
;   INT 15h: E820 (every entry printed), E801, AH=88h, A20 on (AX=2401h/2402h);
;   INT 16h AH=01h (no key waiting);
;   INT 1Ah AH=00h: interrupts on, wait for the tick count to advance by 3 —
;     first by polling (bounded by RTC seconds, so a dead IRQ0 fails in 2-3 s
;     instead of hanging), then with HLT in the loop (proves HLT waits for the
;     interrupt and the BIOS's IRQ0 handler runs);
;   3 real -> 32-bit PM -> real round trips, each followed by BIOS calls;
;   big real mode: 4 GiB limits loaded in PM, used in real mode above 1 MiB
;     (with an A20 aliasing check), kept across one more PM round trip;
;   BIOS calls again (ticks advance under HLT);
;   the e820 fill: every byte of every usable (type 1) E820 range above 1 MiB
;     and below 4 GiB (kept while the map was listed) written in 32-bit PM
;     with REP STOSD and verified with REPE SCASD; back in real mode the BIOS
;     must still work (ticks under HLT, INT 10h), then a second PM trip
;     verifies every byte again (nothing — BIOS, blob, host — wrote the
;     guest's RAM meanwhile), and the BIOS is asked once more; then END_RUN.
;
; Output rules (tests/boot/native-biosdisk.t, testimages/biosdisk.expected):
; every line starts with "biosdisk: ".  Facts that are the same on every
; correct machine are printed on compared lines.  Values that legitimately
; differ between BIOSes and emulators go on lines the comparison drops:
;   "biosdisk: info: ..."                  (geometry, sizes, ticks, support)
;   "biosdisk: e820: BASE LENGTH TYPE"     (one per E820 entry; 16, 16 and 8
;                                           hex digits)
; (tests/lib/compared-lines.sh).  "biosdisk: FAIL: ..." ends a failed run.

%define IMAGE_NAME 'biosdisk'
%define P IMAGE_NAME, ': '

	bits 16
	org 0x7C00

%include "lib/exit.inc"
%include "lib/e9.inc"                   ; 32-bit printing in protected mode

IMAGE_LOAD_ADDR equ 0x7C00
IMAGE_MAGIC     equ 0x4B534944          ; "DISK" in memory order
IMAGE_MAX_SIZE  equ 0x10000 - IMAGE_LOAD_ADDR   ; all of it in segment 0
STACK_TOP       equ 0x7C00
MARKER_LBA      equ 1500                ; hdd 16x63: C1 H7 S52; floppy 2x18: C41 H1 S7
READ_TRIES      equ 3                   ; floppy reads may fail while the motor spins up
BUF_SEG         equ 0x2000              ; 0x20000: scratch buffer for read-back checks
				        ; (64 KiB-aligned: no floppy DMA boundary crossing)
TICKS_WANTED    equ 3
RTC_BOUND       equ 3                   ; RTC second changes = >= 2 s: IRQ0 is dead
HLT_BOUND       equ 1000                ; HLT wake-ups without the ticks advancing

; Big-real-mode targets besides lib/big-real.inc's: the A20 probe, the one
; pair with bit 20 set (clear of the reference stack's windows at 0xC00000
; and 0xE00000, docs/abi.md §1).
A20_HI          equ 0x00300100          ; bit 20 set: aliases A20_LO if A20 is off
A20_LO          equ 0x00200100
VAL_A20         equ 0xA20A20A2
TABLE_LEN       equ 64
FILL_MAX        equ 16                  ; usable ranges above 1 MiB kept for the fill
FILL_LOW        equ 0x00100000          ; the fill starts at 1 MiB
FILL_PATTERN    equ 0xF10005A5          ; | MiB number << 12: an alias shows up

%include "lib/desc.inc"                 ; after IMAGE_LOAD_ADDR (LINEAR)
%include "lib/modes.inc"
%include "lib/checksum.inc"
%include "lib/image.inc"                ; IMAGE_END, with this file's IMAGE_MAGIC
%include "lib/roundtrip.inc"            ; the round trip's protected-mode probe
%include "lib/big-real.inc"             ; HIGH_*, VAL_*, the big-real-mode probes

; ------------------------------------------------------------- variables --
; Mutable state lives outside the image (0x0600.., below the stack), so the
; image in memory stays byte-identical to the disk and can be compared with
; what INT 13h reads back.
	absolute 0x0600
dap:		resb 16                 ; INT 13h AH=42h disk address packet
edd:		resb 32                 ; INT 13h AH=48h result (0x1E bytes)
e820_buf:	resb 24                 ; one INT 15h E820 entry (8-aligned)
boot_drive:	resb 1
screen_on:	resb 1                  ; 1: real-mode lines go to INT 10h too
geom_spt:	resw 1
geom_heads:	resw 1
geom_maxcyl:	resw 1
rd_lba:		resd 1
rd_tries:	resw 1
chs_cx:		resw 1                  ; last CHS computed by lba_to_chs (info)
chs_dh:		resb 1
ext_ok:		resb 1
covered:	resb 1                  ; bit i: target i lies in e820 usable RAM
first_ok:	resb 1
e820_count:	resw 1
tick_start:	resd 1
tick_now:	resd 1
rtc_last:	resb 1
rtc_changes:	resb 1
wakeups:	resw 1
polls:		resd 1
pass:		resd 1
cur_pos:	resw 1
fill_count:	resw 1                  ; entries in fill_tab
fill_over:	resb 1                  ; 1: more usable ranges than FILL_MAX
fill_bytes:	resd 1                  ; bytes written (sum of the ranges)
fill_bad:	resd 1                  ; the address just past a mismatch
fill_tab:	resd 2 * FILL_MAX       ; [base, end) of each usable range
	section .text

; ================================================================ sector 0 ==
; The BIOS loads only this sector, at 0000:7C00 (some at 07C0:0000), with
; DL = boot drive.  It reads sectors 1..IMAGE_SECTORS-1 behind itself.
boot_entry:
	cli
	jmp 0x0000:boot_cs0             ; the image is linked for CS = 0
boot_cs0:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, STACK_TOP
	cld
	mov [boot_drive], dl
	mov byte [screen_on], 0
	; No BIOS (a zeroed IVT, e.g. the stack's no-BIOS loader): every INT
	; below would jump to 0000:0000.  Say so and stop instead.
	mov si, boot_msg_nobios
	cmp word [0x13 * 4 + 2], 0
	je boot_fail
	mov byte [screen_on], 1
	sti                             ; BIOS disk code may wait for IRQ 6 / 14

	; Geometry from the BIOS: CHS reads must use the BIOS's logical view.
	mov ah, 0x08
	xor di, di                      ; ES:DI = 0:0 (RBIL: guards BIOS bugs)
	int 0x13
	mov si, boot_msg_geom
	jc boot_fail
	xor ax, ax
	mov es, ax                      ; AH=08h sets ES:DI for floppies
	mov al, cl
	and ax, 0x3F
	jz boot_fail                    ; 0 sectors per track: nonsense
	mov [geom_spt], ax
	movzx ax, dh
	inc ax
	mov [geom_heads], ax
	mov al, cl                      ; cylinder bits 9:8 are CL bits 7:6
	and ax, 0xC0
	shl ax, 2
	mov al, ch
	mov [geom_maxcyl], ax

	mov eax, 1
	mov bx, IMAGE_LOAD_ADDR + 512
boot_next:
	cmp eax, IMAGE_SECTORS
	jae boot_loaded
	call read_chs_1
	mov si, boot_msg_read
	jc boot_fail
	add bx, 512
	inc eax
	jmp boot_next
boot_loaded:
	cmp dword [image_magic], IMAGE_MAGIC
	mov si, boot_msg_magic
	jne boot_fail
	jmp main

; read_chs_1 — read one sector with INT 13h AH=02h.
;   In: EAX = LBA, ES:BX = buffer.  Out: CF = 1 if READ_TRIES attempts failed.
;   Preserves all registers.  Also leaves the CHS used in chs_cx/chs_dh.
read_chs_1:
	pushad
	mov [rd_lba], eax
	mov word [rd_tries], READ_TRIES
.try:
	call lba_to_chs
	jc .out
	mov dl, [boot_drive]
	mov ax, 0x0201                  ; AH = 2 read, AL = 1 sector
	int 0x13
	jnc .out
	xor ax, ax                      ; AH = 0: reset the controller, retry
	mov dl, [boot_drive]
	int 0x13
	dec word [rd_tries]
	jnz .try
	stc
.out:
	popad
	ret

; lba_to_chs — [rd_lba] -> CX, DH in INT 13h form (CH = cylinder bits 7:0,
; CL = cylinder bits 9:8 << 6 | sector), using the BIOS's geometry.
; CF = 1 if the cylinder does not fit 10 bits.  Clobbers EAX, ECX, EDX.
lba_to_chs:
	mov eax, [rd_lba]
	xor edx, edx
	movzx ecx, word [geom_spt]
	div ecx                         ; EAX = track, EDX = sector - 1
	push dx
	xor edx, edx
	movzx ecx, word [geom_heads]
	div ecx                         ; EAX = cylinder, EDX = head
	pop cx
	inc cx                          ; CL = sector (1-based, <= 63)
	cmp eax, 1023
	ja .bad
	mov ch, al
	shl ah, 6
	or cl, ah
	mov dh, dl
	mov [chs_cx], cx
	mov [chs_dh], dh
	clc
	ret
.bad:
	stc
	ret

; boot_fail — print "biosdisk: FAIL: boot: " and the message at SI on port
; 0xE9 (only: putc lives in the sectors that may not have been read), end the
; run.
boot_fail:
	push si
	mov si, boot_msg_fail
	call .puts
	pop si
	call .puts
	END_RUN RUN_FAILED
.puts:
	lodsb
	test al, al
	jz .end
	out 0xE9, al
	jmp .puts
.end:
	ret

boot_msg_fail:	db IMAGE_NAME, ': FAIL: boot: ', 0
boot_msg_nobios: db 'no BIOS (int 13h vector is 0)', 10, 0
boot_msg_geom:	db 'int13 ah=08h failed', 10, 0
boot_msg_read:	db 'int13 ah=02h read failed', 10, 0
boot_msg_magic:	db 'image magic missing after load', 10, 0

	; Keep the partition table area zero: QEMU guesses a disk's geometry
	; from partition entries when the 0xAA55 signature is present, and
	; zero entries make it use 16 heads x 63 sectors.
	times 446 - ($ - $$) db 0
	times 64 db 0
	dw 0xAA55

; ============================================================ the program ==
; SAY db-operands — print a literal line piece through putc.
%macro SAY 1+
	jmp %%after
%%s:	db %1, 0
%%after:
	push si
	mov si, %%s
	call puts
	pop si
%endmacro

; HEX value, digits — print the low `digits` nibbles of a 32-bit value.
%macro HEX 2
	push eax
	push cx
	mov eax, %1
	mov cx, %2
	call hex
	pop cx
	pop eax
%endmacro

; FAIL 'what' — print "biosdisk: FAIL: what" and end the run as failed.
%macro FAIL 1+
	SAY P, 'FAIL: ', %1, 10
	END_RUN RUN_FAILED
%endmacro

; WAIT_TICK_HLT 'what' — interrupts on, then HLT until the BIOS's tick
; count (INT 1Ah) moves: proves HLT waits for an interrupt, that IRQ0 still
; reaches the BIOS's handler, and that INT 1Ah answers.  HLT_BOUND wake-ups
; without a tick end the run with FAIL 'what' instead of hanging.
%macro WAIT_TICK_HLT 1+
	sti
	call ticks
	mov [tick_start], eax
	mov word [wakeups], 0
%%wait:
	hlt
	inc word [wakeups]
	call ticks
	cmp eax, [tick_start]
	jne %%ticked
	cmp word [wakeups], HLT_BOUND
	jb %%wait
	FAIL %1
%%ticked:
%endmacro

; putc — AL to port 0xE9 and, while [screen_on], to the screen with INT 10h
; AH=0Eh (teletype; "\n" becomes "\r\n" there).  Preserves all registers.
putc:
	pushad
	push ds
	push es
	out 0xE9, al
	cmp byte [cs:screen_on], 0
	je .done
	cmp al, 10
	jne .tty
	mov al, 13
	call .tty_out
	mov al, 10
.tty:
	call .tty_out
.done:
	pop es
	pop ds
	popad
	ret
.tty_out:
	mov ah, 0x0E
	mov bx, 0x0007                  ; page 0, grey on black (graphics modes)
	int 0x10
	ret

; puts — the NUL-terminated string at DS:SI through putc.  Preserves all.
puts:
	push si
	push ax
.next:
	lodsb
	test al, al
	jz .end
	call putc
	jmp .next
.end:
	pop ax
	pop si
	ret

; hex — EAX's low CX nibbles through putc, most significant first.
hex:
	pushad
	mov edx, eax
	mov bx, cx
.digit:
	dec bx
	mov cx, bx
	shl cx, 2
	mov eax, edx
	shr eax, cl
	and al, 0x0F
	add al, '0'
	cmp al, '9'
	jbe .out
	add al, 'a' - '0' - 10
.out:
	call putc
	test bx, bx
	jnz .digit
	popad
	ret

; ticks — EAX = INT 1Ah AH=00h tick count (CX:DX).  Clobbers nothing else.
ticks:
	push cx
	push dx
	mov ah, 0x00
	int 0x1A
	mov ax, cx
	shl eax, 16
	mov ax, dx
	pop dx
	pop cx
	ret

; rtc_seconds — AL = CMOS register 0 (RTC seconds).  An independent clock:
; it bounds the tick wait without relying on IRQ0.
rtc_seconds:
	mov al, 0x00
	out 0x70, al
	in al, 0x71
	ret

; cmp_buf — compare CX bytes at 0000:SI with BUF_SEG:0000.  ZF = 1 if equal.
; Clobbers SI, DI, CX, ES (set back to 0).
cmp_buf:
	push BUF_SEG
	pop es
	xor di, di
	repe cmpsb
	push 0
	pop es
	ret

; ---------------------------------------------------------------- main --
; Entered from sector 0: CS = DS = ES = SS = 0, SP = 0x7C00, IF = 1.
main:
	SAY P, 'boot: sector 0 loaded by the BIOS at 0000:7c00, the rest read with int13 ah=02h (chs): ok', 10
	SAY P, 'info: boot drive dl='
	HEX [boot_drive], 2
	SAY ', int13 ah=08h geometry: cylinders 0..'
	movzx eax, word [geom_maxcyl]
	HEX eax, 4
	SAY ' heads='
	HEX [geom_heads], 4
	SAY ' spt='
	HEX [geom_spt], 4
	SAY 10

; --------------------------------------------------------------- INT 10h --
	; Print a line's start, then read it back from video memory through
	; the BIOS: AH=03h cursor, AH=02h move it, AH=08h character at cursor.
	SAY P, 'int10: teletype output read back from the screen: '
	mov ah, 0x03
	xor bh, bh
	int 0x10
	mov [cur_pos], dx               ; DH = row, DL = column after the text
	xor si, si
.readback:
	mov dx, [cur_pos]
	mov ax, si
	mov dl, al                      ; same row, column SI
	mov ah, 0x02
	xor bh, bh
	int 0x10
	mov ah, 0x08                    ; AL = character at the cursor
	xor bh, bh
	int 0x10
	cmp al, [si + readback_text]
	jne .readback_bad
	inc si
	cmp si, readback_len
	jb .readback
	call .cursor_back
	SAY 'ok', 10
	jmp int13_tests
.readback_bad:
	call .cursor_back
	SAY 'mismatch', 10
	FAIL 'int10: the screen does not hold what int10 ah=0eh printed'
.cursor_back:
	mov dx, [cur_pos]
	mov ah, 0x02
	xor bh, bh
	int 0x10
	ret
readback_text:	db IMAGE_NAME, ': int10: '
readback_len	equ $ - readback_text

; --------------------------------------------------------------- INT 13h --
int13_tests:
	; A multi-sector CHS read (as many of sectors 1.. as fit the first
	; track) must equal what the boot sector read one by one.
	mov ax, IMAGE_SECTORS - 1
	mov cx, [geom_spt]
	dec cx
	cmp ax, cx
	jbe .count_ok
	mov ax, cx
.count_ok:
	push ax
	push BUF_SEG
	pop es
	xor bx, bx
	mov ah, 0x02
	mov cx, 0x0002                  ; cylinder 0, sector 2
	xor dh, dh
	mov dl, [boot_drive]
	int 0x13
	push 0
	pop es
	pop cx
	jc .multi_bad
	shl cx, 9
	mov si, IMAGE_LOAD_ADDR + 512
	call cmp_buf
	jne .multi_bad
	SAY P, 'int13 ah=02h: multi-sector read matches the loaded image: ok', 10
	jmp .marker_chs
.multi_bad:
	FAIL 'int13 ah=02h: multi-sector read failed or differs from the image'

.marker_chs:
	; The marker sector, far enough out that cylinder and head are nonzero.
	push BUF_SEG
	pop es
	xor bx, bx
	mov eax, MARKER_LBA
	call read_chs_1
	push 0
	pop es
	jc .marker_bad
	mov si, marker
	mov cx, marker_len
	call cmp_buf
	jne .marker_bad
	SAY P, 'info: marker lba '
	HEX MARKER_LBA, 4
	SAY ' read as chs cx='
	movzx eax, word [chs_cx]
	HEX eax, 4
	SAY ' dh='
	HEX [chs_dh], 2
	SAY 10
	mov ax, [chs_cx]
	cmp ax, 0x0100                  ; CH = 0 and CL bits 7:6 = 0: cylinder 0
	jae .marker_cyl
	test al, 0xC0
	jz .marker_geom
.marker_cyl:
	cmp byte [chs_dh], 0
	je .marker_geom
	SAY P, 'int13 ah=02h: read of the marker sector (lba 1500, cylinder and head nonzero): ok', 10
	jmp ext_tests
.marker_geom:
	FAIL 'int13: the marker sector is on cylinder 0 or head 0 (unexpected geometry)'
.marker_bad:
	FAIL 'int13 ah=02h: marker sector read failed or wrong'

ext_tests:
	; EDD: AH=41h BX=55AAh -> CF = 0, BX = AA55h, CX bit 0 = AH=42h..44h,47h,48h.
	mov byte [ext_ok], 0
	mov ah, 0x41
	mov bx, 0x55AA
	mov dl, [boot_drive]
	clc
	int 0x13
	jc .none
	cmp bx, 0xAA55
	jne .none
	test cl, 1
	jz .none
	mov byte [ext_ok], 1
	SAY P, 'info: int13 ah=41h: extensions supported, version ah='
	movzx eax, ah
	HEX eax, 2
	SAY ' api bitmap cx='
	movzx eax, cx
	HEX eax, 4
	SAY 10
	; The whole image with one AH=42h read, compared with memory.
	mov eax, 0
	mov cx, IMAGE_SECTORS
	call read_ext
	jc .ext_bad
	mov si, IMAGE_LOAD_ADDR
	mov cx, IMAGE_SECTORS * 512
	call cmp_buf
	jne .ext_bad
	mov eax, MARKER_LBA
	mov cx, 1
	call read_ext
	jc .ext_bad
	mov si, marker
	mov cx, marker_len
	call cmp_buf
	jne .ext_bad
	; AH=48h: drive parameters (the size is information only).
	mov word [edd], 0x1E
	mov si, edd
	mov ah, 0x48
	mov dl, [boot_drive]
	clc
	int 0x13
	jc .edd_none
	SAY P, 'info: int13 ah=48h: sectors='
	HEX [edd + 0x14], 8
	HEX [edd + 0x10], 8
	SAY ' bytes/sector='
	movzx eax, word [edd + 0x18]
	HEX eax, 4
	SAY 10
	jmp .ext_done
.edd_none:
	SAY P, 'info: int13 ah=48h: failed', 10
	jmp .ext_done
.none:
	SAY P, 'info: int13 ah=41h: no extensions for this drive; ah=42h not tried', 10
.ext_done:
	SAY P, 'int13 ah=42h: extended reads (where ah=41h offers them) match the chs reads: ok', 10
	jmp int15_tests
.ext_bad:
	FAIL 'int13 ah=42h: extended read failed or differs from the chs reads'

; read_ext — AH=42h read of CX sectors from LBA EAX to BUF_SEG:0.  CF on error.
read_ext:
	pushad
	mov byte [dap], 0x10            ; packet size
	mov byte [dap + 1], 0
	mov [dap + 2], cx               ; sector count
	mov word [dap + 4], 0           ; buffer offset
	mov word [dap + 6], BUF_SEG     ; buffer segment
	mov [dap + 8], eax              ; LBA bits 31:0
	mov dword [dap + 12], 0         ; LBA bits 63:32
	mov si, dap
	mov ah, 0x42
	mov dl, [boot_drive]
	int 0x13
	popad
	ret

; --------------------------------------------------------------- INT 15h --
int15_tests:
	; E820: every entry printed (for the lead's reserved-range test); the
	; compared facts: entry 0 is usable RAM at 0, and each big-real-mode
	; target lies in usable RAM.
	mov word [e820_count], 0
	mov word [fill_count], 0
	mov byte [fill_over], 0
	mov byte [covered], 0
	mov byte [first_ok], 0
	xor ebx, ebx
.e820_next:
	mov di, e820_buf
	mov dword [di + 20], 1          ; ACPI 3.0 attributes: "valid" if untouched
	mov eax, 0xE820
	mov ecx, 24
	mov edx, 0x534D4150             ; 'SMAP'
	clc
	int 0x15
	jc .e820_end                    ; CF on the first call: unsupported
	cmp eax, 0x534D4150
	jne .e820_end
	call e820_entry
	inc word [e820_count]
	cmp word [e820_count], 128
	jae .e820_end                   ; a BIOS that never says "last"
	test ebx, ebx
	jnz .e820_next
.e820_end:
	SAY P, 'info: int15 e820: '
	movzx eax, word [e820_count]
	HEX eax, 4
	SAY ' entries', 10
	cmp word [e820_count], 0
	je .e820_bad
	cmp byte [first_ok], 1
	jne .e820_bad
	cmp byte [covered], (1 << TARGET_COUNT) - 1
	jne .e820_bad
	SAY P, 'int15 e820: entry 0 is usable RAM at 0, every big-real-mode target lies in usable RAM: ok', 10
	jmp .e801
.e820_bad:
	FAIL 'int15 e820: no map, entry 0 not usable RAM at 0, or a target outside usable RAM'

.e801:
	mov ax, 0xE801
	xor bx, bx
	xor cx, cx
	xor dx, dx
	clc
	int 0x15
	jc .e801_bad
	push ax
	SAY P, 'info: int15 e801: ax='
	movzx eax, ax
	HEX eax, 4
	SAY ' bx='
	movzx eax, bx
	HEX eax, 4
	SAY ' cx='
	movzx eax, cx
	HEX eax, 4
	SAY ' dx='
	movzx eax, dx
	HEX eax, 4
	SAY 10
	pop ax
	; KiB between 1 and 16 MiB: at most 15 MiB, and not zero.
	or ax, cx
	jz .e801_bad
	cmp ax, 0x3C00
	ja .e801_bad
	SAY P, 'int15 e801: ok', 10
	jmp .a88
.e801_bad:
	FAIL 'int15 e801 failed or reported no memory between 1 and 16 MiB'

.a88:
	mov ah, 0x88
	clc
	int 0x15
	jc .a88_bad
	test ax, ax
	jz .a88_bad
	SAY P, 'info: int15 ah=88h: ax='
	movzx eax, ax
	HEX eax, 4
	SAY ' KiB above 1 MiB', 10
	SAY P, 'int15 ah=88h: ok', 10
	jmp .a20
.a88_bad:
	FAIL 'int15 ah=88h failed or reported no extended memory'

.a20:
	mov ax, 0x2401                  ; enable A20
	clc
	int 0x15
	jc .a20_bad
	mov ax, 0x2402                  ; query: AL = 1 enabled
	clc
	int 0x15
	jc .a20_bad
	cmp al, 1
	jne .a20_bad
	SAY P, 'int15 ax=2401h/2402h: a20 enabled: ok', 10
	jmp int16_test
.a20_bad:
	FAIL 'int15 ax=2401h/2402h: a20 not enabled'

; e820_entry — print the entry at e820_buf and update first_ok / covered.
; EBX (the continuation value) is preserved.
e820_entry:
	pushad
	SAY P, 'e820: '
	HEX [e820_buf + 4], 8
	HEX [e820_buf + 0], 8
	SAY ' '
	HEX [e820_buf + 12], 8
	HEX [e820_buf + 8], 8
	SAY ' '
	HEX [e820_buf + 16], 8
	SAY 10
	cmp word [e820_count], 0
	jne .not_first
	mov eax, [e820_buf]
	or eax, [e820_buf + 4]
	jnz .not_first
	cmp dword [e820_buf + 16], 1
	jne .not_first
	cmp dword [e820_buf + 12], 0
	jne .first
	cmp dword [e820_buf + 8], 0x80000      ; at least 512 KiB of low RAM
	jb .not_first
.first:
	mov byte [first_ok], 1
.not_first:
	; Usable RAM below 4 GiB: [base, end) with end saturated at 4 GiB - 1.
	cmp dword [e820_buf + 16], 1
	jne .done
	cmp dword [e820_buf + 4], 0
	jne .done
	mov esi, [e820_buf]             ; ESI = base
	mov edi, esi
	add edi, [e820_buf + 8]         ; EDI = end
	jc .saturate
	cmp dword [e820_buf + 12], 0
	je .targets
.saturate:
	mov edi, 0xFFFFFFFF
.targets:
	call fill_keep
	xor bx, bx                      ; BX = target index
.target:
	mov eax, [targets + bx + 0]     ; (BX * 8: the table is indexed below)
	cmp eax, esi
	jb .next_target
	add eax, [targets + bx + 4]
	cmp eax, edi
	ja .next_target
	mov cx, bx
	shr cx, 3
	mov al, 1
	shl al, cl
	or [covered], al
.next_target:
	add bx, 8
	cmp bx, TARGET_COUNT * 8
	jb .target
.done:
	popad
	ret

; fill_keep — remember usable RAM [ESI, EDI) above 1 MiB for the fill
; phase.  Preserves every register.
fill_keep:
	pushad
	cmp esi, FILL_LOW
	jae .base_ok
	mov esi, FILL_LOW
.base_ok:
	cmp edi, esi
	jbe .done                       ; wholly below 1 MiB
	mov bx, [fill_count]
	cmp bx, FILL_MAX
	jb .keep
	mov byte [fill_over], 1
	jmp .done
.keep:
	shl bx, 3
	mov [fill_tab + bx], esi
	mov [fill_tab + bx + 4], edi
	inc word [fill_count]
.done:
	popad
	ret

; The memory the big-real-mode phase writes: base, size.
	align 4
targets:
	dd HIGH_A, 4
	dd HIGH_B, 8
	dd HIGH_COPY, TABLE_LEN
	dd HIGH_PM, 4
	dd A20_HI, 4
	dd A20_LO, 4
TARGET_COUNT    equ ($ - targets) / 8

; --------------------------------------------------------------- INT 16h --
int16_test:
	mov ah, 0x01                    ; ZF = 1: no keystroke waiting
	int 0x16
	jnz .key
	SAY P, 'int16 ah=01h: no keystroke waiting: ok', 10
	jmp int1a_test
.key:
	FAIL 'int16 ah=01h: a keystroke is waiting (nobody typed one)'

; --------------------------------------------------------------- INT 1Ah --
int1a_test:
	call ticks
	mov [tick_start], eax
	mov dword [polls], 0
	mov word [wakeups], 0
	mov byte [rtc_changes], 0
	call rtc_seconds
	mov [rtc_last], al
	sti
	; Phase 1: poll (no HLT) until one tick has passed.  If IRQ0 never
	; arrives, the RTC's seconds still change: after RTC_BOUND changes
	; (>= 2 s, i.e. ~36 ticks) give up with a FAIL instead of hanging.
.poll:
	inc dword [polls]
	call ticks
	sub eax, [tick_start]
	jnz .phase2                     ; (also past midnight: any change)
	call rtc_seconds
	cmp al, [rtc_last]
	je .poll
	mov [rtc_last], al
	inc byte [rtc_changes]
	cmp byte [rtc_changes], RTC_BOUND
	jb .poll
	FAIL 'int1a: no timer tick in >= 2 RTC seconds with interrupts on (irq0 not delivered?)'
	; Phase 2: HLT until TICKS_WANTED ticks have passed.  IRQ0 is known to
	; arrive now, so each HLT ends; the bound catches a BIOS whose
	; interrupts wake HLT but never advance the count.
.phase2:
	hlt
	inc word [wakeups]
	call ticks
	mov [tick_now], eax
	sub eax, [tick_start]
	cmp eax, TICKS_WANTED
	jae .advanced
	cmp word [wakeups], HLT_BOUND
	jb .phase2
	FAIL 'int1a: the tick count stopped advancing while waiting in hlt'
.advanced:
	SAY P, 'info: int1a: ticks start='
	HEX [tick_start], 8
	SAY ' end='
	HEX [tick_now], 8
	SAY ' polls='
	HEX [polls], 8
	SAY ' hlt wake-ups='
	movzx eax, word [wakeups]
	HEX eax, 4
	SAY 10
	SAY P, 'int1a: tick count advanced by >= 3 with interrupts on (irq0 reflected, hlt woke on it): ok', 10

; ----------------------------------------- real -> 32-bit PM -> real, x3 --
; As testimages/roundtrip.asm, compact: SDM Vol. 3A 9.9.1 / 9.9.2.  The
; BIOS's IVT must survive: after each return, BIOS calls (INT 1Ah, and INT
; 10h for the printed line) must work again.
	mov dword [pass], 1
rt_to_pm:
	cli                             ; the null IDT must never be used
	LOAD_PM_TABLES
	TO_PM32 rt_pm32

	bits 32
rt_pm32:
	SET_SEGS SEL_DATA32, ds, es, ss
	mov esp, STACK_TOP
	mov ax, SEL_TABLE
	mov fs, ax
	ROUNDTRIP_PM32_OBSERVE
	ROUNDTRIP_PM32_REPORT fail32
	jmp SEL_CODE16:rt_pm16

	bits 16
rt_pm16:
	SET_SEGS SEL_DATA16, ds, es, ss, fs, gs  ; 64 KiB limits for real mode
	TO_REAL rt_real

rt_real:
	SET_SEGS 0, ds, es, ss, fs, gs
	mov sp, STACK_TOP
	lidt [real_ivt_desc]
	sti
	smsw bx
	and ebx, CR0_PE
	mov edi, cr0
	and edi, CR0_PE
	mov cx, cs
	call ticks                      ; a BIOS call right after the return
	mov [tick_now], eax
	SAY P, 'pass '
	HEX [pass], 1
	SAY ': real: cs='
	movzx eax, cx
	HEX eax, 4
	SAY ' msw.pe='
	HEX ebx, 1
	SAY ' cr0.pe='
	HEX edi, 1
	SAY ', int1a and int10 work again: ok', 10
	test ebx, ebx
	jnz .bad
	test edi, edi
	jnz .bad
	test cx, cx
	jnz .bad
	mov eax, [tick_now]
	sub eax, [tick_start]
	cmp eax, TICKS_WANTED           ; the count did not go back
	jb .bad
	inc dword [pass]
	cmp dword [pass], 3
	jbe rt_to_pm
	jmp big_real
.bad:
	FAIL 'unexpected value in real mode after a round trip (see the line above)'

; ------------------------------------------------------- big real mode --
; As testimages/big-real-mode.asm.  Interrupts stay off and no BIOS call is
; made until the checks are done: a BIOS that switches modes internally may
; legitimately reset the limits, which is not what is tested here.  Lines of
; this phase go to port 0xE9 only (screen_on = 0).
big_real:
	SAY P, 'big real mode: loading 4 GiB data segments in protected mode', 10
	mov byte [screen_on], 0
	cli
	BIG_REAL_ENTER                  ; to PM and back: DS/ES/FS/GS 4 GiB
	BIG_REAL_WRITE                  ; EAX, EDX: VAL_A, VAL_B; EBP: copy's checksum
	; A20: the write at A20_HI must not land at A20_LO.
	mov ecx, A20_LO
	mov dword [es:ecx], 0
	mov ecx, A20_HI
	mov dword [es:ecx], VAL_A20
	mov ecx, [es:ecx]
	mov edi, A20_LO
	mov edi, [es:edi]
	SAY P, 'unreal 1: [ds:00400000]='
	HEX eax, 8
	SAY ' [gs:01c00000]='
	HEX edx, 8
	SAY ' copy.checksum='
	HEX ebp, 8
	SAY ' [00300100]='
	HEX ecx, 8
	SAY ' [00200100]='
	HEX edi, 8
	SAY 10
	cmp eax, VAL_A
	jne fail16
	cmp edx, VAL_B
	jne fail16
	cmp ebp, TABLE_CHECKSUM
	jne fail16
	cmp ecx, VAL_A20
	jne fail16
	test edi, edi
	jnz fail16

	; One more trip through PM that does not touch DS/ES/FS/GS.
	TO_PM32 br_pm_again

	bits 32
br_pm_again:
	BIG_REAL_PM_CHECK fail32
	jmp SEL_CODE16:br_pm16_again

	bits 16
br_pm16_again:
	TO_REAL unreal2

unreal2:
	BIG_REAL_LATE_CHECK SAY, HEX, fail16 ; real-mode lines: port 0xE9 and the screen

; ------------------------------------------------ the BIOS, once more --
	mov byte [screen_on], 1
	WAIT_TICK_HLT 'int1a: no tick while waiting in hlt after big real mode'
	SAY P, 'after big real mode: hlt woke on irq0, int1a and int10 work: ok', 10

; ------------------------------------------------------------ e820 fill --
; Every usable byte above 1 MiB is the guest's to use (an OS does exactly
; this): fill it in 32-bit protected mode, verify it, and come back.  Under
; the stack the blob and the host live in the top 16 MiB, which the map does
; not show; if any of their state (page tables, contexts, the blob's code)
; sat in usable RAM, the fill would destroy it and the return to real mode
; (a re-entry through the blob) or the BIOS calls after it would fail.
	cmp word [fill_count], 0
	je .fill_none
	cmp byte [fill_over], 0
	jne .fill_none
	mov dword [pass], 1
	jmp fill_to_pm
.fill_none:
	FAIL 'fill: no usable e820 range above 1 MiB, or more than 16'

fill_to_pm:
	cli                             ; no BIOS code may run while RAM is rewritten
	LOAD_PM_TABLES
	TO_PM32 fill_pm

	bits 32
fill_pm:
	SET_SEGS SEL_DATA32, ds, es, ss
	mov esp, STACK_TOP
	cld
	cmp dword [pass], 1
	jne .verify                     ; pass 2: verify only
	mov esi, fill_chunk
	call fill_walk
	mov [fill_bytes], edx
.verify:
	mov esi, check_chunk
	call fill_walk
	jnc .ok
	mov [fill_bad], edi
	E9_PRINT P, 'FAIL: fill: pass '
	E9_HEX [pass], 1
	E9_PRINT ': wrong byte(s) in the dword or byte before '
	E9_HEX [fill_bad], 8
	E9_PRINT 10
	END_RUN RUN_FAILED
.ok:
	jmp SEL_CODE16:fill_pm16

; fill_walk — call ESI for every piece of every kept range: a piece ends at
; the next MiB boundary, so each MiB gets its own pattern (FILL_PATTERN | MiB
; number << 12, no zero byte above 16 MiB) and an alias of one MiB onto
; another shows up as a wrong pattern.
;   Out: EDX = bytes walked; CF = 1 if ESI reported a mismatch (EDI just
;   past it).  Clobbers EAX, EBX, ECX, EBP, EDI.
fill_walk:
	xor edx, edx
	xor ebp, ebp
.range:
	cmp bp, [fill_count]
	jae .done
	mov edi, [fill_tab + ebp * 8]
	mov ebx, [fill_tab + ebp * 8 + 4]   ; EBX = end (exclusive)
.piece:
	cmp edi, ebx
	jae .next
	mov ecx, edi
	and ecx, 0xFFF00000
	add ecx, 0x00100000             ; the next MiB boundary
	jc .to_end                      ; (the last MiB below 4 GiB)
	cmp ecx, ebx
	jbe .len
.to_end:
	mov ecx, ebx
.len:
	sub ecx, edi                    ; ECX = bytes in this piece
	add edx, ecx
	mov eax, edi
	and eax, 0xFFF00000
	shr eax, 20 - 12                ; the MiB number in bits 23:12
	or eax, FILL_PATTERN
	call esi                        ; advances EDI to the piece's end
	jc .out
	jmp .piece
.next:
	inc ebp
	jmp .range
.done:
	clc
.out:
	ret

; fill_chunk / check_chunk — write / compare ECX bytes at ES:EDI with the
; dword pattern EAX: bytes up to the first dword boundary and after the last
; one with its low byte (STOSB/SCASB), the dwords between with REP STOSD /
; REPE SCASD.  Out: EDI = the end; check_chunk: CF = 1 at the first
; mismatch, EDI just past it.  Clobbers ECX.
%macro CHUNK_OP 2                       ; name, 1 = compare
%1:
	push ebx
	mov ebx, ecx                    ; EBX = bytes left
	mov ecx, edi
	neg ecx
	and ecx, 3                      ; bytes up to dword alignment
	cmp ecx, ebx
	jbe %%head
	mov ecx, ebx
%%head:
	sub ebx, ecx
%if %2
	cmp eax, eax                    ; ZF = 1 also for a count of 0
	repe scasb
	jne %%bad
%else
	rep stosb
%endif
	mov ecx, ebx
	shr ecx, 2
	and ebx, 3
%if %2
	cmp eax, eax
	repe scasd
	jne %%bad
%else
	rep stosd
%endif
	mov ecx, ebx
%if %2
	cmp eax, eax
	repe scasb
	jne %%bad
%else
	rep stosb
%endif
	pop ebx
	clc
	ret
%if %2
%%bad:
	pop ebx
	stc
	ret
%endif
%endmacro
	CHUNK_OP fill_chunk, 0
	CHUNK_OP check_chunk, 1

	bits 16
fill_pm16:
	SET_SEGS SEL_DATA16, ds, es, ss, fs, gs  ; 64 KiB limits for real mode
	TO_REAL fill_real

fill_real:
	SET_SEGS 0, ds, es, ss, fs, gs
	mov sp, STACK_TOP
	lidt [real_ivt_desc]
	; The BIOS survived: its timer interrupt still advances the tick count
	; while the guest waits in HLT, and INT 10h still answers.
	WAIT_TICK_HLT 'fill: no tick while waiting in hlt after the fill'
	mov ah, 0x0F                    ; AH = columns, AL = video mode
	int 0x10
	cmp ah, 80
	je .int10_ok
	FAIL 'fill: int10 ah=0fh does not report 80 columns after the fill'
.int10_ok:
	inc dword [pass]
	cmp dword [pass], 2
	je fill_to_pm                   ; verify once more after the BIOS ran
	SAY P, 'info: fill: '
	movzx eax, word [fill_count]
	HEX eax, 2
	SAY ' usable e820 ranges above 1 MiB, '
	HEX [fill_bytes], 8
	SAY ' bytes filled with rep stosd and verified twice', 10
	SAY P, 'fill: every usable e820 byte above 1 MiB written and verified, back in real mode, int1a and int10 work, verified again: ok', 10
	SAY P, 'done: bios services, 3 round trips, big real mode and the e820 fill, every value as expected', 10
	END_RUN RUN_OK

fail16:
	FAIL 'unexpected value in real mode (see the line above)'

	bits 32
fail32:
	E9_FAIL 'unexpected value in protected mode (see the line above)'

; ------------------------------------------------------------ checksums --
; lib/checksum.inc: checksum_fs_32 (EAX = checksum of FS:[0 .. TABLE_LEN)),
; and checksum_fs_esi (EBP = checksum of FS:[ESI ..], big real mode).
	bits 32
	CHECKSUM_FS 32
	bits 16
	CHECKSUM_FS_ESI

	E9_ROUTINES                     ; the 32-bit ones print in protected mode

; ------------------------------------------------------------------ data --
	align 4
	IDT_DESCRIPTORS

	GDT_BEGIN
	GDT_ENTRY SEL_CODE32, 0, 0xFFFFF, ACC_CODE, FL_4K_32                    ; 0x08 flat code32
	GDT_ENTRY SEL_DATA32, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_32                 ; 0x10 flat data32
	GDT_ENTRY SEL_TABLE, LINEAR(table), TABLE_LEN - 1, ACC_DATA_RO, FL_BYTE_32 ; 0x18 table window
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16                   ; 0x20 code16
	GDT_ENTRY SEL_DATA16, 0, 0xFFFF, ACC_DATA_RW, FL_BYTE_16                ; 0x28 data16
	GDT_ENTRY SEL_FLAT, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_16                   ; 0x30 flat 4 GiB data (as HIMEM.SYS)
	GDT_END

; TABLE_LEN pseudo-random bytes and their checksum, computed by nasm.
	align 16
table:
	CHECKSUM_TABLE 0x3579BDF, TABLE_LEN

; What the disk holds at MARKER_LBA (the guest compares these bytes).
marker:		db 'biosdisk marker sector at lba 1500', 0
marker_len	equ $ - marker

; ------------------------------------------------------------- image end --
	IMAGE_END

; ------------------------------------------------------- the whole disk --
; -DDISK_BYTES=N: pad to a disk of N bytes with the marker at MARKER_LBA.
%ifdef DISK_BYTES
	%if DISK_BYTES % 512
		%error "DISK_BYTES must be a whole number of sectors"
	%endif
	times MARKER_LBA * 512 - ($ - $$) db 0
	db 'biosdisk marker sector at lba 1500', 0
	times (MARKER_LBA + 1) * 512 - ($ - $$) db 0
	times DISK_BYTES - ($ - $$) db 0
%endif

; tests/boot/nobios-rom.asm — a 64 KiB machine firmware that starts a test
; guest the way the stack's loader does, with no BIOS at all: it copies the
; raw image (incbin IMAGE) to 0000:7C00 and jumps there in real mode with
; DL = 0 and IF = 0.  The IVT stays all zeros, so a guest that calls a BIOS
; service (e.g. INT 13h because its magic check failed) crashes instead of
; passing.  Build: nasm -f bin -DIMAGE='"path/to/guest.bin"' -o rom.bin
; Runs as QEMU -bios rom.bin and Bochs romimage (both map a 64 KiB ROM at
; 0xF0000 and at 0xFFFF0000; the CPU starts at F000:FFF0).
	bits 16
	org 0
LOAD_ADDR equ 0x7C00

image:	incbin IMAGE
image_end:
	; The copy below stays within one 64 KiB segment.
	times 0 - ((image_end - image) > 0x8400) db 0

start:
	cli
	cld
	xor ax, ax
	mov es, ax
	mov ss, ax
	mov sp, LOAD_ADDR
	mov ax, cs                      ; F000
	mov ds, ax
	mov si, image
	mov di, LOAD_ADDR
	mov cx, image_end - image
	rep movsb
	xor ax, ax
	mov ds, ax
	xor dx, dx                      ; DL = 0: what the stack's loader passes
	jmp 0x0000:LOAD_ADDR

	times 0xFFF0 - ($ - $$) db 0xFF
reset_vector:                           ; F000:FFF0
	jmp 0xF000:start
	times 0x10000 - ($ - $$) db 0xFF

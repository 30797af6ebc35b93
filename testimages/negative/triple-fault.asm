; A protected-mode guest with an empty IDT executes UD2: #UD cannot be
; delivered, nor #DF — a triple fault.  The host must report it with the
; state and stop.
%include "negative/common.inc"
	cli
	lidt [null_idt]
	ENTER_PM32 pm
	bits 32
pm:	ud2
	jmp $
	bits 16
null_idt:	dw 0
		dd 0
	NEG_GDT

; A guest executes VMCALL in protected mode.  Only the registered blob may
; make hypercalls: the host must refuse, name CS:EIP, dump the state, stop.
%include "negative/common.inc"
	cli
	ENTER_PM32 pm
	bits 32
pm:	mov eax, 3                      ; looks like RMT_HC_CONSOLE
	vmcall
	jmp $
	NEG_GDT

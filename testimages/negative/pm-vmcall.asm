; A guest makes a hypercall in protected mode — VMCALL on an Intel CPU (the
; Bochs stack), VMMCALL on an AMD one (QEMU's SVM).  Only the registered blob
; may make hypercalls: the host must refuse, name CS:EIP, dump the state and
; stop.
%include "negative/common.inc"
	cli
	ENTER_PM32 pm
	bits 32
pm:	xor eax, eax
	cpuid                           ; vendor: EBX = "Genu" on Intel
	cmp ebx, 'Genu'
	mov eax, 3                      ; looks like RMT_HC_CONSOLE
	jne .amd
	vmcall
	jmp $
.amd:	vmmcall
	jmp $
	NEG_GDT

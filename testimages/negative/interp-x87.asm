; An x87 instruction inside an interpreted window.  SS holds a real-mode
; selector with RPL 3 when PE is set, so the state is not enterable (SS.RPL
; != CS.RPL, SDM 26.3.1.2) and the blob must interpret — and it does not
; interpret x87 arithmetic (only the control instructions FNINIT, FNSTSW,
; FNSTCW, FLDCW, FNCLEX and WAIT, natively): it must say so with CS:EIP and
; the opcode, not misbehave.
%include "negative/common.inc"
	cli
	mov ax, 0x0003
	mov ss, ax                      ; base 0x30, RPL 3
	mov sp, 0x7000
	lgdt [neg_gdt_desc]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	fninit                          ; DB E3: interpreted (run natively)
	fld1                            ; D9 E8: refused
	jmp $
	NEG_GDT

; CLI; HLT in real mode: nothing can ever wake the guest.  The blob must
; report it (vm86 cannot be entered in HLT, SDM 26.3.1.5) instead of
; spinning silently.
%include "negative/common.inc"
	cli
	hlt
	jmp $
	NEG_GDT

; testimages/pm-segments.asm — protected-mode data and stack segments with
; non-zero bases and limits below 4 GiB, expand-up and expand-down, byte- and
; page-granular, and the faults the processor raises at their limits (SDM
; Vol. 3A 5.3 "Limit Checking": expand-down segments accept offsets above
; the limit, up to 0xFFFF or 0xFFFFFFFF by the B flag; an access beyond the
; limit raises #GP(0), or #SS(0) through SS) and for bad segment loads (SDM
; Vol. 2 MOV: #GP(selector), #NP(selector), #SS(selector)).
;
; The guest installs its own IDT: #NP, #SS and #GP handlers record the vector
; and the error code and resume at a recovery address; every other vector
; prints FAIL.  Each probe prints one line: what it did, the vector and error
; code it got (ff = no fault) and the value it read.
;
; testimages/pm-window-faults.asm runs the same probes while GS still holds a
; real-mode value with RPL 3, i.e. inside a protected-mode window the blob
; must interpret.  Both include lib/pm-probes.inc, the whole image.

%define IMAGE_NAME 'pm-segments'
%include "lib/pm-probes.inc"

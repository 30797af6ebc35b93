; testimages/pm-window-faults.asm — the probes of pm-segments.asm (segment
; limits, expand-down, granularity, bad loads: #GP, #SS, #NP through the
; guest's own IDT; lib/pm-probes.inc), run while GS still holds the
; real-mode value 0x0003.
;
; On hardware GS changes nothing: the probes never use it, and the processor
; does not look at a segment register until it is used or reloaded (SDM Vol.
; 3A 9.9.1).  But a real-mode GS with RPL 3 > DPL 0 fails the VM-entry rule
; "DPL >= RPL for usable data segments" (SDM Vol. 3C 26.3.1.2), so under the
; stack the blob must keep interpreting until the guest reloads GS — and the
; probes' exceptions must then be delivered through the guest's IDT by the
; interpreter, exactly as the processor would (SDM Vol. 3A 6.12.1).
%define IMAGE_NAME 'pm-window-faults'
%define PM_WINDOW
%include "lib/pm-probes.inc"

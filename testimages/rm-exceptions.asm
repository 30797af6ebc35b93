; testimages/rm-exceptions.asm — exceptions and software interrupts in real
; mode, delivered through the guest's own interrupt vector table (issue 5,
; item 5).
;
; Real-address mode delivers every exception and INT n the same way (SDM Vol.
; 3A 20.1.4 "Interrupt and Exception Handling"): push FLAGS, CS, IP; clear
; IF, TF and AC; load CS:IP from the IVT entry at vector * 4.  Faults push the
; IP of the faulting instruction, traps and INT n the IP of the next one
; (SDM Vol. 3A 6.5 "Exception Classifications", Table 6-1).  Under the stack
; the plain-real-mode half runs in vm86: each of these events either traps to
; the blob (faults, #DB, INT3/INTO through the DPL-0 gates as #GP) and must
; be reflected through the guest's IVT exactly as real mode does, or (INT n
; with VME on Bochs) is redirected to the IVT by the processor.  The second
; half runs the same tests in big real mode (FS with a 4 GiB limit, loaded in
; protected mode): the blob then interprets everything, and the interpreter
; raises and delivers the events itself.
;
; Each pass (prefix "real" or "big real"), with IF = 0 throughout:
;   #DE  DIV by zero and the IDIV overflow (-32768 / -1 in AL)   fault
;   #UD  UD2; ARPL and LAR (not recognized in real mode, SDM Vol.
;        2A ARPL/LAR "Real-Address Mode Exceptions")             fault
;   #BP  INT3 (CC) and INT 3 (CD 03)                             trap
;   INT n  CD 60 to a guest handler                              trap
;   #OF  INTO with OF = 0 (nothing) then OF = 1                  trap
;   #BR  BOUND in range (nothing), then out of range, through a
;        32-bit address (above 1 MiB in the big pass)            fault
;   #DB  TF = 1 over four instructions, one of them PUSHF: one
;        INT 1 after each, with IP of the next instruction; the
;        handler clears TF in the frame after the fourth          trap
;   nesting  INT 61h whose handler issues INT 62h
;   TF = 1 over INT 60h, INT3, INTO (no #DB after them: they clear TF, SDM
;        Vol. 3B 17.3.1.4; the next one comes after the handler's IRET),
;        over MOV SS and POP SS (the #DB waits one more instruction, SDM
;        Vol. 3A 6.8.3), over a POPF that clears TF (#DB after it: TF was
;        set when it started), over a faulting DIV (#DE, no #DB): each
;        prints the events it saw as VECTOR@IP, which the golden file pins
;        (native QEMU and Bochs agree on every one)
; For each event the handler records vector, the pushed CS:IP and FLAGS, its
; own FLAGS and SP; the test prints them and checks them (IP at the
; instruction for a fault, after it for a trap; the frame 6 bytes below SP;
; the handler's FLAGS = the pushed ones without IF and TF).
;
; FLAGS on the printed lines have IOPL (bits 13:12) masked out: on Bochs the
; blob runs vm86 with CR4.VME, where the processor's own INT n and PUSHF push
; FLAGS with IOPL = 3 (SDM Vol. 3A 20.3, a documented deviation of the
; stack), while natively and on QEMU IOPL is 0.  Everything else in FLAGS is
; printed and compared exactly.
;
; Output: every line "rm-exceptions: ...", compared byte for byte with
; testimages/rm-exceptions.expected (native QEMU, native Bochs, both stacks;
; until the blob's single-step bug is fixed the stacks' lines are pinned in
; rm-exceptions.{bochs,qemu}-stack-bug.expected: tests/boot/stack-rm-exceptions.t).

%define IMAGE_NAME 'rm-exceptions'

%include "lib/guest.inc"

STACK_TOP       equ 0x7C00
FL_FIXED        equ 0x0002              ; FLAGS bit 1 always reads 1
FL_CF           equ 0x0001
FL_PF           equ 0x0004
FL_ZF           equ 0x0040
FL_SF           equ 0x0080
FL_TF           equ 0x0100
FL_IF           equ 0x0200
FL_OF           equ 0x0800
FL_IOPL         equ 0x3000
; The FLAGS every test starts from (POPF): arithmetic flags set so that a
; delivery that loses or invents them shows up; IF = 0, DF = 0.
FL_TEST         equ FL_FIXED | FL_CF | FL_PF | FL_ZF | FL_SF
LOG_MAX         equ 8                   ; IPs logged per test (single step)
BIG_BASE        equ 0x00400000          ; big-real-mode data, bit 20 clear
BIG_VAL         equ 0xB16E0005
BIG_BOUNDS      equ BIG_BASE + 0x10     ; the BOUND pair for the big pass
VEC_INT         equ 0x60                ; INT n test vector
VEC_OUTER       equ 0x61                ; nesting: its handler does INT VEC_INNER
VEC_INNER       equ 0x62
K_AT              equ 0                   ; fault: IP of the instruction
K_AFTER           equ 1                   ; trap: IP of the next instruction

; -------------------------------------------------------- real mode, entry --
main:
	xor ax, ax
	mov fs, ax                      ; boot.inc leaves FS/GS as found
	mov gs, ax
	; The guest's own handlers (the BIOS's, natively, are replaced).
	mov si, vectors
.install:
	lodsw                           ; AX = vector, then the handler
	cmp ax, 0xFFFF
	je .installed
	mov bx, ax
	shl bx, 2
	lodsw
	mov [bx], ax
	mov word [bx + 2], 0
	jmp .install
.installed:
	E9_PRINT P, 'ivt: handlers installed for vectors 00 01 03 04 05 06 60 61 62', 10
	mov dword [mode_str], str_real
	mov dword [bounds_ptr], LINEAR(bounds)
	call run_tests

; ----------------------------------- protected mode: a 4 GiB FS, and back --
	; SDM Vol. 3A 9.9.1 / 9.9.2.  Only FS is reloaded in protected mode:
	; back in real mode it keeps the 4 GiB limit (big real mode), so the
	; stack can no longer run the guest in vm86 and interprets it.
	LOAD_PM_TABLES
	TO_PM32 pm32

	bits 32
pm32:
	mov ax, SEL_FLAT
	mov fs, ax
	mov dword [fs:BIG_BASE], BIG_VAL
	mov word [fs:BIG_BOUNDS], 10    ; the same pair as `bounds`, above 1 MiB
	mov word [fs:BIG_BOUNDS + 2], 20
	jmp SEL_CODE16:pm16

	bits 16
pm16:
	TO_REAL big_real

big_real:
	xor ax, ax
	mov fs, ax                      ; selector and base 0, limit stays 4 GiB
	lidt [real_ivt_desc]
	mov ebx, BIG_BASE
	mov eax, [fs:ebx]
	E9_PRINT P, 'big real mode: fs limit 4 GiB, [fs:00400000]='
	E9_HEX eax, 8
	E9_PRINT 10
	cmp eax, BIG_VAL
	jne fail
	mov dword [mode_str], str_big
	mov dword [bounds_ptr], BIG_BOUNDS
	call run_tests
	; Every delivery and IRET above left FS alone: still 4 GiB.
	mov ebx, BIG_BASE
	mov eax, [fs:ebx]
	E9_PRINT P, 'big real mode after the tests: [fs:00400000]='
	E9_HEX eax, 8
	E9_PRINT 10
	cmp eax, BIG_VAL
	jne fail

	E9_PRINT P, 'done: every exception and interrupt delivered through the guest ivt as real mode does, in real and big real mode', 10
	END_RUN RUN_OK

fail:
	E9_FAIL 'unexpected value (see the line above)'

; ------------------------------------------------------------- the tests --
; REPORT_EVENT name, vector, ip, flags, kind — call report (below) for the
; event the test just caused: SI = name, DL = vector, BX = the IP the frame
; must hold, DI = the FLAGS it must hold, CX = kind and frame depth.
%macro REPORT_EVENT 5
	mov si, %1
	mov dl, %2
	mov bx, %3
	mov di, %4
	mov cx, %5
	call report
%endmacro

; run_tests — every test once, in the current mode.  Clobbers everything but
; segment registers and SP.
run_tests:
t_div0:
	call reset
	mov word [resume], .r
	mov ax, 0x1234
	mov bl, 0
	push word FL_TEST
	popf
.f:	div bl
.r:	REPORT_EVENT n_div0, 0x00, .f, FL_TEST, K_AT | (6 << 8)

t_idiv:
	call reset
	mov word [resume], .r
	mov ax, 0x8000                  ; -32768 / -1 = 32768: not an int8
	mov bl, 0xFF
	push word FL_TEST
	popf
.f:	idiv bl
.r:	REPORT_EVENT n_idiv, 0x00, .f, FL_TEST, K_AT | (6 << 8)

t_ud2:
	call reset
	mov word [resume], .r
	mov word [resume_vec], 0x06
	push word FL_TEST
	popf
.f:	ud2
.r:	REPORT_EVENT n_ud2, 0x06, .f, FL_TEST, K_AT | (6 << 8)

t_arpl:
	call reset
	mov word [resume], .r
	mov word [resume_vec], 0x06
	push word FL_TEST
	popf
.f:	arpl ax, bx
.r:	REPORT_EVENT n_arpl, 0x06, .f, FL_TEST, K_AT | (6 << 8)

t_lar:
	call reset
	mov word [resume], .r
	mov word [resume_vec], 0x06
	push word FL_TEST
	popf
.f:	lar ax, bx
.r:	REPORT_EVENT n_lar, 0x06, .f, FL_TEST, K_AT | (6 << 8)

t_int3:
	call reset
	push word FL_TEST
	popf
	int3                            ; CC
.r:	REPORT_EVENT n_int3, 0x03, .r, FL_TEST, K_AFTER | (6 << 8)

t_int_3:
	call reset
	push word FL_TEST
	popf
	db 0xCD, 0x03                   ; INT 3 in its two-byte form
.r:	REPORT_EVENT n_int_3, 0x03, .r, FL_TEST, K_AFTER | (6 << 8)

t_intn:
	call reset
	push word FL_TEST
	popf
	int VEC_INT
.r:	REPORT_EVENT n_intn, VEC_INT, .r, FL_TEST, K_AFTER | (6 << 8)

t_into:
	call reset
	push word FL_TEST               ; OF = 0: INTO does nothing
	popf
	into
	push word FL_TEST | FL_OF
	popf
	into
.r:	REPORT_EVENT n_into, 0x04, .r, FL_TEST | FL_OF, K_AFTER | (6 << 8)

t_bound:
	call reset
	mov word [resume], .r
	mov word [resume_vec], 0x05
	mov ebx, [bounds_ptr]
	mov ax, 15                      ; 10 <= 15 <= 20: nothing
	push word FL_TEST
	popf
	bound ax, [fs:ebx]
	mov ax, 21                      ; above the upper bound: #BR
.f:	bound ax, [fs:ebx]
.r:	REPORT_EVENT n_bound, 0x05, .f, FL_TEST, K_AT | (6 << 8)

t_step:
	; POPF sets TF: the trap comes after the instruction that follows it
	; (SDM Vol. 3B 17.3.1.4: TF at the start of an instruction).  The
	; handler clears TF in the frame after the fourth trap, so .s5 runs
	; untrapped.
	call reset
	mov word [stop_tf], 4
	xor cx, cx
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	mov ax, 0x1234                  ; flags unchanged
.s3:	pushf                           ; pushes TF = 1 (sensitive in vm86)
.s4:	pop cx
.s5:	mov [step_pushed], cx
	REPORT_EVENT n_step, 0x01, .s5, FL_TEST | FL_TF, K_AFTER | (6 << 8) | (4 << 12)
	cmp word [log_ev + 0 * 4 + 2], .s2
	jne fail
	cmp word [log_ev + 1 * 4 + 2], .s3
	jne fail
	cmp word [log_ev + 2 * 4 + 2], .s4
	jne fail
	mov ax, [step_pushed]
	and ax, ~FL_IOPL
	cmp ax, FL_TEST | FL_TF
	jne fail

; TF_END name — print the events of a TF test (tf_report).
%macro TF_END 1
	mov si, %1
	call tf_report
%endmacro
tf_int:
	call reset
	mov word [stop_tf], 4
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	int VEC_INT
.s3:	nop
.s4:	nop
.s5:	nop
.s6:	nop
	TF_END n_tf_int
tf_movss:
	call reset
	mov word [stop_tf], 3
	xor ax, ax
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	mov ss, ax
.s3:	nop
.s4:	nop
.s5:	nop
.s6:	nop
	TF_END n_tf_movss
tf_popss:
	call reset
	mov word [stop_tf], 3
	push word 0
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	pop ss
.s3:	nop
.s4:	nop
.s5:	nop
.s6:	nop
	TF_END n_tf_popss
tf_popf:
	call reset
	push word FL_TEST
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	popf
.s3:	nop
.s4:	nop
	TF_END n_tf_popf
tf_div:
	call reset
	mov word [stop_tf], 3
	mov word [resume], .s3
	mov bl, 0
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	div bl
.s3:	nop
.s4:	nop
.s5:	nop
.s6:	nop
	TF_END n_tf_div
tf_int3:
	call reset
	mov word [stop_tf], 3
	push word FL_TEST | FL_TF
	popf
.s1:	nop
.s2:	int3
.s3:	nop
.s4:	nop
.s5:	nop
.s6:	nop
	TF_END n_tf_int3
tf_into:
	call reset
	mov word [stop_tf], 3
	push word FL_TEST | FL_TF | FL_OF
	popf
.s1:	nop
.s2:	into
.s3:	nop
.s4:	nop
.s5:	nop
.s6:	nop
	TF_END n_tf_into

t_nest:
	call reset
	mov word [outer_ip], 0xFFFF
	push word FL_TEST
	popf
	int VEC_OUTER
.r:	mov si, n_nest
	mov dl, VEC_INNER
	mov bx, h_outer_ret
	mov di, FL_TEST                 ; the outer handler's FLAGS (IF, TF clear)
	mov cx, K_AFTER | (12 << 8)       ; below the outer frame
	call report
	mov ax, [outer_fl]
	and ax, ~FL_IOPL
	E9_PRINT P
	E9_PUTS [mode_str]
	E9_PRINT ': nesting: the outer int 61h from 0000:'
	E9_HEX [outer_ip], 4
	E9_PRINT ' flags='
	E9_HEX16 ax
	E9_PRINT ', returned through its iret: '
	E9_HEX [outer_done], 1
	E9_PRINT 10
	cmp word [outer_ip], .r
	jne fail
	cmp ax, FL_TEST
	jne fail
	cmp word [outer_cs], 0
	jne fail
	cmp word [outer_done], 1
	jne fail
	ret

; tf_report — "<mode>: <name>: VV@IPIP ..." for every logged event.
tf_report:
	E9_PRINT P
	E9_PUTS [mode_str]
	E9_PRINT ': '
	movzx esi, si
	E9_PUTS esi
	E9_PRINT ':'
	xor bx, bx
.ev:
	cmp bx, [rec_count]
	jae .end
	cmp bx, LOG_MAX
	jae .end
	push bx
	shl bx, 2
	E9_PRINT ' '
	E9_HEX [log_ev + bx], 2
	E9_PRINT '@'
	E9_HEX [log_ev + bx + 2], 4
	pop bx
	inc bx
	jmp .ev
.end:
	E9_PRINT 10
	ret

; reset — forget the last event.
reset:
	mov word [rec_count], 0
	mov word [rec_vec], 0xFFFF
	mov word [rec_ip], 0xFFFF
	mov word [rec_cs], 0xFFFF
	mov word [rec_fl], 0xFFFF
	mov word [rec_hfl], 0xFFFF
	mov word [rec_sp], 0xFFFF
	mov word [resume], 0
	mov word [resume_vec], 0
	mov word [stop_tf], 0
	mov word [outer_done], 0
	mov di, log_ev
	mov cx, LOG_MAX * 2
	mov ax, 0xEEEE
	rep stosw
	ret

; report — print the last recorded event and check it.
;   In: SI = test name, DL = vector, BX = expected IP, DI = expected pushed
;   FLAGS (IOPL ignored), CL = K_AT / K_AFTER, CH bits 3:0 = frame depth below
;   the caller's SP in bytes / 1 (6, or 12 nested), CH bits 7:4 = events
;   expected (0 means 1).  Ends the run on a mismatch.
report:
	mov [exp_ip], bx
	mov [exp_fl], di
	mov [exp_vec], dl
	mov [exp_kind], cl
	mov al, ch
	and ax, 0x0F
	mov bp, sp
	lea bp, [bp + 2]                ; SP at the event (before the CALL)
	sub bp, ax
	mov [exp_sp], bp
	mov al, ch
	shr al, 4
	jnz .count
	mov al, 1
.count:
	mov [exp_count], al
	mov ax, [rec_fl]
	and ax, ~FL_IOPL
	mov [rec_fl_m], ax
	mov ax, [rec_hfl]
	and ax, ~FL_IOPL
	mov [rec_hfl_m], ax

	E9_PRINT P
	E9_PUTS [mode_str]
	E9_PRINT ': '
	movzx esi, si
	E9_PUTS esi
	E9_PRINT ': '
	E9_HEX [rec_count], 1
	E9_PRINT 'x int '
	E9_HEX [rec_vec], 2
	E9_PRINT ' from '
	E9_HEX [rec_cs], 4
	E9_PRINT ':'
	E9_HEX [rec_ip], 4
	cmp byte [exp_kind], K_AT
	jne .after
	E9_PRINT ' (at the instruction)'
	jmp .flags
.after:
	E9_PRINT ' (after the instruction)'
.flags:
	E9_PRINT ' flags='
	E9_HEX [rec_fl_m], 4
	E9_PRINT ' handler flags='
	E9_HEX [rec_hfl_m], 4
	E9_PRINT ' frame sp='
	E9_HEX [rec_sp], 4
	cmp word [rec_count], 1
	jbe .print_end
	E9_PRINT ' events'
	xor bx, bx
.ips:
	E9_PRINT ' '
	E9_HEX [log_ev + bx], 2
	E9_PRINT '@'
	E9_HEX [log_ev + bx + 2], 4
	add bx, 4
	mov ax, bx
	shr ax, 2
	cmp ax, LOG_MAX
	jae .print_end
	cmp ax, [rec_count]
	jb .ips
.print_end:
	E9_PRINT 10

	movzx ax, byte [exp_count]
	cmp [rec_count], ax
	jne fail
	movzx ax, byte [exp_vec]
	cmp [rec_vec], ax
	jne fail
	mov ax, [exp_ip]
	cmp [rec_ip], ax
	jne fail
	cmp word [rec_cs], 0
	jne fail
	mov ax, [exp_fl]
	cmp [rec_fl_m], ax
	jne fail
	and ax, ~(FL_IF | FL_TF)        ; delivery clears IF and TF
	cmp [rec_hfl_m], ax
	jne fail
	mov ax, [exp_sp]
	cmp [rec_sp], ax
	jne fail
	ret

; --------------------------------------------------------------- handlers --
; One stub per vector pushes the vector number; the common part records
; the frame.  Variables are reached through CS (= 0): the handlers make no
; assumption about DS.
%macro STUB 2                           ; label, vector
%1:
	push word %2
	jmp handler
%endmacro
	STUB h_de, 0x00
	STUB h_db, 0x01
	STUB h_bp, 0x03
	STUB h_of, 0x04
	STUB h_br, 0x05
	STUB h_ud, 0x06
	STUB h_int, VEC_INT
	STUB h_inner, VEC_INNER

handler:
	push bp
	mov bp, sp                      ; [bp+2] vector, +4 IP, +6 CS, +8 FLAGS
	push ax
	push bx
	pushf                           ; the handler's own FLAGS
	pop ax
	mov [cs:rec_hfl], ax
	lea ax, [bp + 4]
	mov [cs:rec_sp], ax             ; SP right after the delivery
	mov ax, [bp + 2]
	mov [cs:rec_vec], ax
	mov ax, [bp + 4]
	mov [cs:rec_ip], ax
	mov bx, [cs:rec_count]
	cmp bx, LOG_MAX
	jae .logged
	shl bx, 2
	mov [cs:log_ev + bx + 2], ax
	mov ax, [bp + 2]
	mov [cs:log_ev + bx], ax
.logged:
	mov ax, [bp + 6]
	mov [cs:rec_cs], ax
	mov ax, [bp + 8]
	mov [cs:rec_fl], ax
	inc word [cs:rec_count]
	; Single step: stop after stop_tf traps by clearing TF in the frame.
	mov ax, [cs:stop_tf]
	test ax, ax
	jz .tf_kept
	cmp ax, [cs:rec_count]
	ja .tf_kept
	and word [bp + 8], ~FL_TF
.tf_kept:
	; A fault returns to its own instruction: resume after it instead.
	mov ax, [cs:resume]
	test ax, ax
	jz .iret
	mov bx, [bp + 2]
	cmp bx, [cs:resume_vec]
	jne .iret                       ; (a #DB before the fault, under TF)
	mov [bp + 4], ax
	mov word [cs:resume], 0
.iret:
	pop bx
	pop ax
	pop bp
	add sp, 2                       ; the vector (FLAGS come back from IRET)
	iret

; The outer handler of the nesting test: records its frame, then a guest INT
; from inside the handler.
h_outer:
	push bp
	mov bp, sp                      ; [bp+2] IP, +4 CS, +6 FLAGS
	push ax
	mov ax, [bp + 2]
	mov [cs:outer_ip], ax
	mov ax, [bp + 4]
	mov [cs:outer_cs], ax
	mov ax, [bp + 6]
	mov [cs:outer_fl], ax
	pop ax
	pop bp
	int VEC_INNER
h_outer_ret:
	inc word [cs:outer_done]
	iret

	E9_ROUTINES

; ------------------------------------------------------------------ data --
vectors:
	dw 0x00, h_de
	dw 0x01, h_db
	dw 0x03, h_bp
	dw 0x04, h_of
	dw 0x05, h_br
	dw 0x06, h_ud
	dw VEC_INT, h_int
	dw VEC_OUTER, h_outer
	dw VEC_INNER, h_inner
	dw 0xFFFF

str_real:	db 'real', 0
str_big:	db 'big real', 0
n_div0:		db 'div by zero (#DE)', 0
n_idiv:		db 'idiv overflow (#DE)', 0
n_ud2:		db 'ud2 (#UD)', 0
n_arpl:		db 'arpl (#UD in real mode)', 0
n_lar:		db 'lar (#UD in real mode)', 0
n_int3:		db 'int3 cc (#BP)', 0
n_int_3:	db 'int 3 cd 03', 0
n_intn:		db 'int 60h', 0
n_into:		db 'into with of=1 (#OF)', 0
n_bound:	db 'bound out of range (#BR)', 0
n_step:		db 'single step over 4 instructions (#DB)', 0
n_tf_int:	db 'tf over int 60h', 0
n_tf_movss:	db 'tf over mov ss', 0
n_tf_popss:	db 'tf over pop ss', 0
n_tf_popf:	db 'tf over a popf that clears tf', 0
n_tf_div:	db 'tf over div by zero', 0
n_tf_int3:	db 'tf over int3', 0
n_tf_into:	db 'tf over into with of=1', 0
n_nest:		db 'int 62h from inside the int 61h handler', 0

	align 4
mode_str:	dd 0
bounds_ptr:	dd 0
bounds:		dw 10, 20               ; BOUND: lower, upper (signed words)
rec_count:	dw 0
rec_vec:	dw 0
rec_ip:		dw 0
rec_cs:		dw 0
rec_fl:		dw 0
rec_hfl:	dw 0
rec_sp:		dw 0
rec_fl_m:	dw 0
rec_hfl_m:	dw 0
log_ev:		times LOG_MAX dw 0, 0   ; vector, IP of each event
resume:		dw 0
resume_vec:	dw 0                    ; the vector `resume` is for
stop_tf:	dw 0
step_pushed:	dw 0
outer_ip:	dw 0
outer_cs:	dw 0
outer_fl:	dw 0
outer_done:	dw 0
exp_ip:		dw 0
exp_fl:		dw 0
exp_sp:		dw 0
exp_vec:	db 0
exp_kind:	db 0
exp_count:	db 0

	align 4
	IDT_DESCRIPTORS

	GDT_BEGIN
	GDT_ENTRY SEL_CODE32, 0, 0xFFFFF, ACC_CODE, FL_4K_32        ; 0x08 flat code32
	GDT_ENTRY SEL_CODE16, 0, 0xFFFF, ACC_CODE, FL_BYTE_16       ; 0x10 code16
	GDT_ENTRY SEL_FLAT, 0, 0xFFFFF, ACC_DATA_RW, FL_4K_16       ; 0x18 flat 4 GiB data
	GDT_END

	IMAGE_END

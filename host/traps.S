/*
 * The host's own exception stubs.  The host never expects an exception: any
 * one is a host bug, reported by host_exception() with the vector, error
 * code and faulting CS:RIP, after which the machine stops.
 *
 * Each stub pushes a dummy error code where the processor pushes none, then
 * the vector, so host_exception sees one frame layout (64-bit mode always
 * pushes SS:RSP, SDM Vol. 3A 6.14.2):
 *   [rsp+0] vector  [+8] error code  [+16] rip  [+24] cs  [+32] rflags
 *   [+40] rsp  [+48] ss
 */
	.text
	.code64

	.globl host_trap_stubs
	.p2align 4
host_trap_stubs:
	.set vec, 0
	.rept 32
	.p2align 4
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr

trap_common:
	movq	%rsp, %rdi
	andq	$-16, %rsp              /* the C ABI's call alignment */
	call	host_exception          /* does not return */
1:	cli
	hlt
	jmp	1b

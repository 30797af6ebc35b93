/*
 * The host's own exception stubs.  The host never expects an exception: any
 * one is a host bug, reported by host_exception() with the vector, error
 * code and faulting CS:EIP, after which the machine stops.
 *
 * Each stub pushes a dummy error code where the processor pushes none, then
 * the vector, so host_exception sees one frame layout:
 *   [esp+0] vector  [esp+4] error code  [esp+8] eip  [esp+12] cs  [esp+16] eflags
 */
	.text

	.globl host_trap_stubs
	.p2align 4
host_trap_stubs:
	.set vec, 0
	.rept 32
	.p2align 4
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
	.else
	pushl	$0
	.endif
	pushl	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr

trap_common:
	pushl	%esp
	call	host_exception          /* does not return */
1:	cli
	hlt
	jmp	1b

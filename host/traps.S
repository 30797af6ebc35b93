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
 *
 * One exception is expected: #GP from the RDMSR/WRMSR/XSETBV the host
 * executes for a guest (host_rdmsr_safe, host_wrmsr_safe, host_xsetbv_safe).  Which MSRs a processor has
 * is for the processor to say — Bochs' Penryn lacks some a real Penryn
 * has — so the access is tried, and a #GP resumes at the function's failure
 * return instead of stopping the machine; the guest then gets the #GP.
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
	cmpq	$13, (%rsp)
	jne	2f
	cmpq	$host_rdmsr_insn, 16(%rsp)
	je	3f
	cmpq	$host_xsetbv_insn, 16(%rsp)
	je	5f
	cmpq	$host_wrmsr_insn, 16(%rsp)
	jne	2f
	movq	$host_wrmsr_fault, 16(%rsp)
	jmp	4f
5:	movq	$host_xsetbv_fault, 16(%rsp)
	jmp	4f
3:	movq	$host_rdmsr_fault, 16(%rsp)
4:	addq	$16, %rsp               /* vector, error code */
	iretq
2:	movq	%rsp, %rdi
	andq	$-16, %rsp              /* the C ABI's call alignment */
	call	host_exception          /* does not return */
1:	cli
	hlt
	jmp	1b

/* int host_rdmsr_safe(uint32_t msr, uint64_t *value): 0, or -1 on #GP */
	.globl host_rdmsr_safe
host_rdmsr_safe:
	movl	%edi, %ecx
host_rdmsr_insn:
	rdmsr
	shlq	$32, %rdx
	movl	%eax, %eax
	orq	%rdx, %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
host_rdmsr_fault:
	movl	$-1, %eax
	ret

/* int host_wrmsr_safe(uint32_t msr, uint64_t value): 0, or -1 on #GP */
	.globl host_wrmsr_safe
host_wrmsr_safe:
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
host_wrmsr_insn:
	wrmsr
	xorl	%eax, %eax
	ret
host_wrmsr_fault:
	movl	$-1, %eax
	ret

/* int host_xsetbv_safe(uint32_t xcr, uint64_t value): 0, or -1 on #GP */
	.globl host_xsetbv_safe
host_xsetbv_safe:
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
host_xsetbv_insn:
	xsetbv
	xorl	%eax, %eax
	ret
host_xsetbv_fault:
	movl	$-1, %eax
	ret

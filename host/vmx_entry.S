/*
 * The VMX world switch, in 64-bit mode.
 *
 * vmx_run_guest(regs, launched) loads the guest's general registers from
 * *regs and executes VMLAUNCH (launched == 0) or VMRESUME.  A VM exit lands
 * at vmx_exit_entry (the VMCS HOST_RIP) on the host stack (HOST_RSP, set to
 * the stack pointer vmx_run_guest had, minus what it pushed), stores the
 * guest registers back into *regs and returns 0 from vmx_run_guest.  If the
 * VM entry instruction itself fails (VMfailInvalid/VMfailValid) it returns
 * 1, with the guest registers untouched.
 *
 * struct host_gprs is laid out in ModRM order, 8 bytes each: rax rcx rdx rbx
 * rsp rbp rsi rdi r8..r15 (rsp is the VMCS's, not stored here, but kept for
 * indexing).  VM entry and exit switch none of these (SDM Vol. 3C 27.5).
 *
 * System V ABI: rdi = regs, esi = launched; preserves rbx, rbp, r12-r15.
 */
	.text
	.code64
	.globl vmx_run_guest
vmx_run_guest:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi                    /* the exit path finds regs at (%rsp) */
	/* HOST_RSP = the stack pointer right now */
	movl	$0x6c14, %edx
	vmwrite	%rsp, %rdx
	jbe	.Lfail
	movq	%rdi, %rax
	testl	%esi, %esi              /* MOVs below leave the flags alone */
	movq	8(%rax), %rcx
	movq	16(%rax), %rdx
	movq	24(%rax), %rbx
	movq	40(%rax), %rbp
	movq	48(%rax), %rsi
	movq	56(%rax), %rdi
	movq	64(%rax), %r8
	movq	72(%rax), %r9
	movq	80(%rax), %r10
	movq	88(%rax), %r11
	movq	96(%rax), %r12
	movq	104(%rax), %r13
	movq	112(%rax), %r14
	movq	120(%rax), %r15
	movq	0(%rax), %rax
	jnz	1f
	vmlaunch
	jmp	.Lfail
1:	vmresume
.Lfail:
	/* VM entry did not happen: restore the host's callee-saved registers. */
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movl	$1, %eax
	ret

	.globl vmx_exit_entry
vmx_exit_entry:
	/* The processor loaded host state: RSP = HOST_RSP, so regs is at (%rsp). */
	pushq	%rax
	movq	8(%rsp), %rax           /* regs */
	popq	0(%rax)                 /* guest rax */
	movq	%rcx, 8(%rax)
	movq	%rdx, 16(%rax)
	movq	%rbx, 24(%rax)
	movq	%rbp, 40(%rax)
	movq	%rsi, 48(%rax)
	movq	%rdi, 56(%rax)
	movq	%r8, 64(%rax)
	movq	%r9, 72(%rax)
	movq	%r10, 80(%rax)
	movq	%r11, 88(%rax)
	movq	%r12, 96(%rax)
	movq	%r13, 104(%rax)
	movq	%r14, 112(%rax)
	movq	%r15, 120(%rax)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	xorl	%eax, %eax
	ret

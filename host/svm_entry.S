/*
 * The SVM world switch, in 64-bit mode.
 *
 * svm_run_guest(regs, vmcb_pa): load the guest's general registers except
 * RAX and RSP (those live in the VMCB) from *regs, VMLOAD the state VMRUN
 * does not switch (FS, GS, TR, LDTR with their hidden parts, KernelGsBase,
 * STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*), VMRUN, and on #VMEXIT VMSAVE that
 * state back and store the guest's registers in *regs.  #VMEXIT restores
 * the host's RAX and RSP from the host save area (APM Vol. 2 15.5.1), so
 * the stack (and what is on it) is as VMRUN left it.
 *
 * Layout of *regs: see vmx_entry.S.  System V ABI: rdi = regs, rsi =
 * vmcb_pa; preserves rbx, rbp, r12-r15.
 */
	.text
	.code64
	.globl svm_run_guest
svm_run_guest:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi                    /* regs at 8(%rsp) after the next push */
	pushq	%rsi                    /* vmcb_pa at (%rsp) */
	movq	8(%rdi), %rcx
	movq	16(%rdi), %rdx
	movq	24(%rdi), %rbx
	movq	40(%rdi), %rbp
	movq	48(%rdi), %rsi
	movq	64(%rdi), %r8
	movq	72(%rdi), %r9
	movq	80(%rdi), %r10
	movq	88(%rdi), %r11
	movq	96(%rdi), %r12
	movq	104(%rdi), %r13
	movq	112(%rdi), %r14
	movq	120(%rdi), %r15
	movq	56(%rdi), %rdi
	movq	(%rsp), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	pushq	%rdi
	movq	16(%rsp), %rdi          /* regs */
	movq	%rcx, 8(%rdi)
	movq	%rdx, 16(%rdi)
	movq	%rbx, 24(%rdi)
	movq	%rbp, 40(%rdi)
	movq	%rsi, 48(%rdi)
	popq	56(%rdi)
	movq	%r8, 64(%rdi)
	movq	%r9, 72(%rdi)
	movq	%r10, 80(%rdi)
	movq	%r11, 88(%rdi)
	movq	%r12, 96(%rdi)
	movq	%r13, 104(%rdi)
	movq	%r14, 112(%rdi)
	movq	%r15, 120(%rdi)
	addq	$16, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

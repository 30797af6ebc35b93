/*
 * What the VMX and SVM world switches (vmx_entry.S, svm_entry.S) share: the
 * host's callee-saved registers around a guest run (System V ABI: rbx, rbp,
 * r12-r15), and the guest's general registers to and from struct host_gprs
 * (ModRM order, 8 bytes each: rax rcx rdx rbx rsp rbp rsi rdi r8..r15).
 * Neither VM entry nor VM exit switches these (SDM Vol. 3C 27.5; APM Vol. 2
 * 15.5.1 for all but RAX and RSP), so the host moves them itself.  The
 * macros leave out RAX, RSP and RDI: RSP lives in the VMCS/VMCB, and each
 * switch uses RAX or RDI as the pointer to *regs, so it moves that one last.
 * Assembler only.
 */
	.macro PUSH_HOST_CALLEE_SAVED
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	.endm

	.macro POP_HOST_CALLEE_SAVED
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	.endm

	/* Load rcx rdx rbx rbp rsi r8-r15 from the struct host_gprs at \regs. */
	.macro LOAD_GUEST_GPRS regs
	movq	8(\regs), %rcx
	movq	16(\regs), %rdx
	movq	24(\regs), %rbx
	movq	40(\regs), %rbp
	movq	48(\regs), %rsi
	movq	64(\regs), %r8
	movq	72(\regs), %r9
	movq	80(\regs), %r10
	movq	88(\regs), %r11
	movq	96(\regs), %r12
	movq	104(\regs), %r13
	movq	112(\regs), %r14
	movq	120(\regs), %r15
	.endm

	/* Store rcx rdx rbx rbp rsi r8-r15 into the struct host_gprs at \regs. */
	.macro STORE_GUEST_GPRS regs
	movq	%rcx, 8(\regs)
	movq	%rdx, 16(\regs)
	movq	%rbx, 24(\regs)
	movq	%rbp, 40(\regs)
	movq	%rsi, 48(\regs)
	movq	%r8, 64(\regs)
	movq	%r9, 72(\regs)
	movq	%r10, 80(\regs)
	movq	%r11, 88(\regs)
	movq	%r12, 96(\regs)
	movq	%r13, 104(\regs)
	movq	%r14, 112(\regs)
	movq	%r15, 120(\regs)
	.endm

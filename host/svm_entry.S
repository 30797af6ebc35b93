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
#include "host/world_switch.h"

	.text
	.code64
	.globl svm_run_guest
svm_run_guest:
	PUSH_HOST_CALLEE_SAVED
	pushq	%rdi                    /* regs at 8(%rsp) after the next push */
	pushq	%rsi                    /* vmcb_pa at (%rsp) */
	LOAD_GUEST_GPRS %rdi
	movq	56(%rdi), %rdi
	movq	(%rsp), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	pushq	%rdi
	movq	16(%rsp), %rdi          /* regs */
	STORE_GUEST_GPRS %rdi
	popq	56(%rdi)
	addq	$16, %rsp
	POP_HOST_CALLEE_SAVED
	ret

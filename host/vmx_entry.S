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
#include "host/world_switch.h"

	.text
	.code64
	.globl vmx_run_guest
vmx_run_guest:
	PUSH_HOST_CALLEE_SAVED
	pushq	%rdi                    /* the exit path finds regs at (%rsp) */
	/* HOST_RSP = the stack pointer right now */
	movl	$0x6c14, %edx
	vmwrite	%rsp, %rdx
	jbe	.Lfail
	movq	%rdi, %rax
	testl	%esi, %esi              /* MOVs below leave the flags alone */
	LOAD_GUEST_GPRS %rax
	movq	56(%rax), %rdi
	movq	0(%rax), %rax
	jnz	1f
	vmlaunch
	jmp	.Lfail
1:	vmresume
.Lfail:
	/* VM entry did not happen: restore the host's callee-saved registers. */
	addq	$8, %rsp
	POP_HOST_CALLEE_SAVED
	movl	$1, %eax
	ret

	.globl vmx_exit_entry
vmx_exit_entry:
	/* The processor loaded host state: RSP = HOST_RSP, so regs is at (%rsp). */
	pushq	%rax
	movq	8(%rsp), %rax           /* regs */
	popq	0(%rax)                 /* guest rax */
	STORE_GUEST_GPRS %rax
	movq	%rdi, 56(%rax)
	addq	$8, %rsp
	POP_HOST_CALLEE_SAVED
	xorl	%eax, %eax
	ret

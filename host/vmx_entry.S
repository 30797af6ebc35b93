/*
 * The VMX world switch.
 *
 * vmx_run_guest(regs, launched) loads the guest's general registers from
 * *regs and executes VMLAUNCH (launched == 0) or VMRESUME.  A VM exit lands
 * at vmx_exit_entry (the VMCS HOST_RIP) on the host stack (HOST_RSP, set to
 * the stack pointer vmx_run_guest had, minus what it pushed), stores the
 * guest registers back into *regs and returns 0 from vmx_run_guest.  If the
 * VM entry instruction itself fails (VMfailInvalid/VMfailValid) it returns
 * 1, with the guest registers untouched.
 *
 * struct host_gprs is laid out in ModRM order: eax ecx edx ebx esp ebp esi
 * edi (esp is the VMCS's, not stored here, but kept for indexing).
 *
 * Clobbers: everything the C ABI lets a callee clobber; preserves ebx, esi,
 * edi, ebp.
 */
	.text
	.globl vmx_run_guest
vmx_run_guest:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax          /* regs */
	movl	24(%esp), %ecx          /* launched */
	pushl	%eax                    /* the exit path finds regs at (%esp) */
	/* HOST_RSP = the stack pointer right now */
	movl	$0x6c14, %edx
	vmwrite	%esp, %edx
	jbe	.Lfail_early
	movl	%ecx, %edx
	/* load guest registers (except esp: the VMCS has it) */
	movl	4(%eax), %ecx
	movl	12(%eax), %ebx
	movl	20(%eax), %ebp
	movl	24(%eax), %esi
	movl	28(%eax), %edi
	testl	%edx, %edx
	movl	8(%eax), %edx
	movl	0(%eax), %eax
	jnz	1f
	vmlaunch
	jmp	.Lfail
1:	vmresume
.Lfail:
	/* VM entry did not happen: restore the host's callee-saved registers. */
	addl	$4, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	movl	$1, %eax
	ret
.Lfail_early:
	addl	$4, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	movl	$1, %eax
	ret

	.globl vmx_exit_entry
vmx_exit_entry:
	/* The processor loaded host state: ESP = HOST_RSP, so regs is at (%esp). */
	pushl	%eax
	movl	4(%esp), %eax           /* regs */
	popl	0(%eax)                 /* guest eax */
	movl	%ecx, 4(%eax)
	movl	%edx, 8(%eax)
	movl	%ebx, 12(%eax)
	movl	%ebp, 20(%eax)
	movl	%esi, 24(%eax)
	movl	%edi, 28(%eax)
	addl	$4, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	xorl	%eax, %eax
	ret

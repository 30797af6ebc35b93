/*
 * The SVM world switch.
 *
 * svm_run_guest(regs, vmcb_pa): load the guest's ECX, EDX, EBX, EBP, ESI,
 * EDI from *regs (EAX and ESP live in the VMCB), VMLOAD the state VMRUN does
 * not switch (FS, GS, TR, LDTR and their hidden parts), VMRUN, and on
 * #VMEXIT VMSAVE that state back and store the guest's registers in *regs.
 * #VMEXIT restores the host's ESP from the host save area, so the stack
 * (and the regs pointer on it) is as VMRUN left it.
 *
 * Preserves ebx, esi, edi, ebp (C ABI).
 */
	.text
	.globl svm_run_guest
svm_run_guest:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax          /* regs */
	pushl	%eax
	movl	28(%esp), %eax          /* vmcb_pa */
	movl	(%esp), %edi
	movl	4(%edi), %ecx
	movl	8(%edi), %edx
	movl	12(%edi), %ebx
	movl	20(%edi), %ebp
	movl	24(%edi), %esi
	movl	28(%edi), %edi
	vmload	%eax
	vmrun	%eax
	vmsave	%eax
	pushl	%edi
	movl	4(%esp), %edi           /* regs */
	movl	%ecx, 4(%edi)
	movl	%edx, 8(%edi)
	movl	%ebx, 12(%edi)
	movl	%ebp, 20(%edi)
	movl	%esi, 24(%edi)
	popl	28(%edi)
	addl	$4, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

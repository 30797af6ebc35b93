/*
 * The blob's entry points and its virtual-8086 world switch.
 *
 * Register contracts (docs/abi.md):
 *   blob_cold_entry  from the loader: flat 32-bit PM, paging off, IF=0,
 *                    EBX = struct rmt_boot_info *.  Runs on vCPU 0's stack.
 *   blob_reentry     from the host, with context.monitor loaded: CS/DS/SS
 *   blob_ap_entry    are the blob's, ESP is the vCPU's own stack top, EAX is
 *                    the vCPU index (the monitor record carries it).
 */
#include "firmware/layout.h"

	.text
	.globl blob_cold_entry
blob_cold_entry:
	cli
	cld
	movl	$blob_stack0_top, %esp
	pushl	%ebx
	call	blob_cold_main          /* does not return */
	jmp	blob_hang

	.globl blob_reentry
blob_reentry:
	cld
	pushl	%eax
	call	blob_reentry_main       /* does not return */
	jmp	blob_hang

	.globl blob_ap_entry
blob_ap_entry:
	cld
	pushl	%eax
	call	blob_ap_main            /* does not return */
	jmp	blob_hang

blob_hang:
	cli
	hlt
	jmp	blob_hang

/*
 * struct vm86_frame *vm86_enter(struct vm86_frame *frame)
 *
 * Run the guest in virtual-8086 mode from *frame until it traps, and return
 * the frame the trap left.  *frame sits at the top of this vCPU's trap
 * stack, and TSS.ESP0 points just past it: an interrupt or exception from
 * vm86 makes the processor push GS, FS, DS, ES, SS, ESP, EFLAGS, CS, EIP (and
 * an error code) exactly over the frame we entered from.  The word at
 * ESP0 (just past the frame) holds our own stack pointer, so the trap stub
 * can return from this call as if IRET had returned.
 *
 * Preserves ebx, esi, edi, ebp (C ABI).
 */
	.globl vm86_enter
vm86_enter:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax
	movl	%esp, VM86_FRAME_SIZE(%eax)     /* our ESP, for the trap stub */
	movl	%eax, %esp
	popal
	addl	$8, %esp                        /* vector, error code */
	iret                                    /* EFLAGS.VM=1: pops ES, DS, FS, GS too */

/*
 * unsigned monitor_wait_for_interrupt(uint32_t *esp0_slot)
 *
 * The guest executed HLT with interrupts enabled: wait, with the processor
 * halted, for the next interrupt and return its vector.  Runs on the trap
 * stack at ESP0 (esp0_slot, which holds our stack pointer meanwhile), so the
 * trap stub recognises the frame (layout.h); returns with IF = 0.
 */
	.globl monitor_wait_for_interrupt
monitor_wait_for_interrupt:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax
	movl	%esp, (%eax)
	movl	%eax, %esp
	sti
	hlt
	/* not reached: the interrupt returns through trap_from_monitor */
	cli
	jmp	blob_hang

/*
 * One stub per vector.  Each makes the frame uniform (a zero error code
 * where the processor pushes none) and pushes its vector.  From vm86 the
 * processor has nulled DS/ES/FS/GS (SDM Vol. 3A 20.3.1.1), so the common
 * path reloads DS/ES before touching memory.
 */
	.p2align 4
	.globl blob_trap_stubs
blob_trap_stubs:
	.set vec, 0
	.rept 256
	.p2align 4
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
	pushl	$vec
	jmp	trap_maybe_error
	.else
	pushl	$0
	pushl	$vec
	jmp	trap_common
	.endif
	.set vec, vec + 1
	.endr

/*
 * A vector on which the processor pushes an error code for the exception
 * but not for a hardware interrupt the PIC sends there (layout.h explains
 * the test).  (%esp) = vector; 4(%esp) = the error code or the saved EIP.
 */
trap_maybe_error:
	pushl	%eax                            /* [eax][vector][error or eip] */
	leal	8(%esp), %eax
	andl	$0xfff, %eax
	cmpl	$VM86_NOERR_EIP_OFFSET, %eax
	je	1f
	cmpl	$IDLE_EIP_OFFSET, %eax
	je	1f
	popl	%eax                            /* an exception: [vector][error][eip] */
	jmp	trap_common
1:	/* a hardware interrupt: make it [vector][TRAP_IRQ_MARK][eip] */
	movl	4(%esp), %eax
	xchgl	%eax, (%esp)
	movl	$TRAP_IRQ_MARK, 4(%esp)
	jmp	trap_common

trap_common:
	pushal
	/* An interrupt clears TF, IF, NT, RF and VM but not DF: after a guest
	 * STD the monitor would run its string copies backwards.  The C ABI
	 * wants DF = 0. */
	cld
	movl	$BLOB_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	testl	$0x20000, VM86_FRAME_EFLAGS(%esp)
	jz	trap_from_monitor
	/* From vm86: return from vm86_enter with the frame. */
	movl	%esp, %eax
	movl	VM86_FRAME_SIZE(%eax), %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

trap_from_monitor:
	/* An interrupt ending monitor_wait_for_interrupt: the saved EIP is at
	 * the idle offset (after pushal, vector and error: 40(%esp)). */
	leal	40(%esp), %eax
	andl	$0xfff, %eax
	cmpl	$IDLE_EIP_OFFSET, %eax
	jne	trap_in_monitor
	movl	32(%esp), %eax                  /* the vector: the return value */
	movl	52(%esp), %esp                  /* ESP0's word: the monitor's ESP */
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* The monitor itself faulted (or took an interrupt with IF=1): a blob bug
 * or an unexpected event.  blob_monitor_trap reports it and stops. */
trap_in_monitor:
	pushl	%esp
	call	blob_monitor_trap
	jmp	blob_hang

/*
 * uint32_t hypercall(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
 * EAX = nr, EBX/ECX/EDX = arguments, through the host-filled stub.
 */
	.globl hypercall
hypercall:
	pushl	%ebx
	movl	8(%esp), %eax
	movl	12(%esp), %ebx
	movl	16(%esp), %ecx
	movl	20(%esp), %edx
	call	hypercall_stub
	popl	%ebx
	ret

/*
 * void load_monitor_segments(void): reload CS/DS/ES/SS/FS/GS from the
 * blob's GDT after LGDT.
 */
	.globl load_monitor_segments
load_monitor_segments:
	ljmp	$BLOB_CS, $1f
1:	movl	$BLOB_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	ret

	.section .bss
	.p2align 4
	.skip	BLOB_STACK_SIZE
	.globl blob_stack0_top
blob_stack0_top:

/*
 * Guest image header and entry.
 *
 * The host enters loader_entry in flat 32-bit protected mode with paging
 * off (as the guest sees it) and no GDT of the guest's own: the segment
 * caches are flat but GDTR is empty, so the first thing is a GDT, before any
 * segment load or interrupt could need one.
 */
#include "loader/image_header.h"

	.section .text.header, "ax"
	.globl loader_header
loader_header:
	.long	LOADER_MAGIC
	.long	loader_entry
	.long	__image_size
	.long	0

	.text
	.globl loader_entry
loader_entry:
	cli
	cld
	lgdt	loader_gdt_ptr
	ljmp	$0x08, $1f
1:	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$loader_stack_top, %esp
	call	loader_main             /* does not return */
2:	cli
	hlt
	jmp	2b

/*
 * Jump to the blob's cold entry: EBX = boot info.  Contract (docs/abi.md):
 * flat 32-bit protected mode, paging off, interrupts off.
 *   void enter_blob(uint32_t entry, uint32_t boot_info)
 */
	.globl enter_blob
enter_blob:
	movl	4(%esp), %eax
	movl	8(%esp), %ebx
	jmp	*%eax

	.section .rodata
	.p2align 3
loader_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff      /* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff      /* 0x10: flat data */
loader_gdt_ptr:
	.word	loader_gdt_ptr - loader_gdt - 1
	.long	loader_gdt

	.section .bss
	.p2align 4
	.skip	8192
loader_stack_top:

/*
 * From the reset vector to C.
 *
 * The processor comes out of reset in real mode at F000:FFF0 with a CS base
 * of 0xFFFF0000 (SDM Vol. 3A 9.1.4), so until the first far jump every near
 * address is an offset into the top 64 KiB of the ROM.  .rom_boot lives at
 * 0xFFFFF800, i.e. at offset 0xF800 of that segment.
 *
 * Contract of host_main: flat 32-bit protected mode, paging off, interrupts
 * off, the image copied to HOST_BASE, .bss zeroed, ESP at host_stack_top.
 */
#define ROM_BOOT_OFFSET 0xF800

	.section .reset_vector, "ax"
	.code16
	.globl reset_vector
reset_vector:
	jmp	rom_boot16

	.section .rom_boot, "ax"
	.code16
rom_boot16:
	cli
	cld
	/* lgdt takes a CS-relative 16-bit offset here: symbol differences
	 * within this section are assembly-time constants. */
	lgdtl	%cs:(ROM_BOOT_OFFSET + rom_gdt_ptr - rom_boot16)
	movl	%cr0, %eax
	orl	$1, %eax            /* CR0.PE */
	movl	%eax, %cr0
	ljmpl	$0x08, $rom_boot32

	.code32
rom_boot32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	/* copy the image from ROM to RAM */
	movl	$__host_lma, %esi
	movl	$__host_start, %edi
	movl	$__host_image_end, %ecx
	subl	$__host_start, %ecx
	rep movsb
	/* zero .bss */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$host_stack_top, %esp
	call	host_main
1:	cli
	hlt
	jmp	1b

	.p2align 3
rom_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff      /* 0x08: flat 32-bit code */
	.quad	0x00cf92000000ffff      /* 0x10: flat data */
rom_gdt_ptr:
	.word	rom_gdt_ptr - rom_gdt - 1
	.long	rom_gdt

	/* The host's stack (16 KiB); VM exits land on it too (HOST_RSP). */
	.section .bss
	.p2align 4
	.globl host_stack_top
host_stack:
	.skip	16384
host_stack_top:

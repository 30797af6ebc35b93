/*
 * From the reset vector to C, in 64-bit mode.
 *
 * The processor comes out of reset in real mode at F000:FFF0 with a CS base
 * of 0xFFFF0000 (SDM Vol. 3A 9.1.4), so until the first far jump every near
 * address is an offset into the top 64 KiB of the ROM.  .rom_boot lives at
 * 0xFFFFF800, i.e. at offset 0xF800 of that segment.
 *
 * Why 64-bit: a VMX host outside 64-bit mode reads and writes only bits
 * 31:0 of the VMCS's natural-width fields (SDM Vol. 3C 24.11.2, VMREAD/
 * VMWRITE "in 32-bit mode"), so it cannot keep the RIP of a 64-bit guest
 * (0xffffffff81...) across so much as a CPUID exit, and it cannot save the
 * guest's R8-R15.  The guests rmtramp exists for end up in 64-bit kernels.
 *
 * The way into IA-32e mode (SDM Vol. 3A 9.8.5): protected mode, page tables
 * (here: identity map of the low 4 GiB with 2 MiB pages), CR4.PAE,
 * IA32_EFER.LME, then CR0.PG; a far jump to a code segment with L=1.
 *
 * Contract of host_main: 64-bit mode, identity paging (host_pml4), interrupts
 * off, the image copied to HOST_BASE, .bss zeroed, RSP at host_stack_top.
 */
#define ROM_BOOT_OFFSET 0xF800
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)
#define CR4_PAE         (1 << 5)
#define CR0_PG          (1 << 31)
#define PTE_P_RW        0x003
#define PDE_2M          0x083       /* present, writable, PS */

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
	/* zero .bss (the page tables below live there) */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	/* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories; each
	 * directory maps 1 GiB in 2 MiB pages: 0-4 GiB identity, so the ROM
	 * this code runs from, the host's RAM and every guest-physical address
	 * the host dereferences are where they were with paging off. */
	movl	$host_pdpt + PTE_P_RW, host_pml4
	movl	$host_pdpt, %edi
	movl	$host_pd + PTE_P_RW, %eax
	movl	$4, %ecx
1:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	1b
	movl	$host_pd, %edi
	movl	$PDE_2M, %eax
	movl	$2048, %ecx
2:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	2b

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$host_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0          /* IA-32e mode active, compatibility mode */
	ljmpl	$0x18, $rom_boot64

	.code64
rom_boot64:
	movq	$host_stack_top, %rsp
	/* host_main is ~4 GiB below this ROM: out of reach of a rel32 call. */
	movq	$host_main, %rax
	callq	*%rax
3:	cli
	hlt
	jmp	3b

	.p2align 3
rom_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff      /* 0x08: flat 32-bit code */
	.quad	0x00cf92000000ffff      /* 0x10: flat data */
	.quad	0x00af9a000000ffff      /* 0x18: 64-bit code (L=1, D=0) */
rom_gdt_ptr:
	.word	rom_gdt_ptr - rom_gdt - 1
	.long	rom_gdt

	/* The host's page tables: PML4, PDPT, 4 page directories. */
	.section .bss.pages, "aw", @nobits
	.p2align 12
	.globl host_pml4
host_pml4:
	.skip	4096
host_pdpt:
	.skip	4096
host_pd:
	.skip	4 * 4096

	/* The host's stack (16 KiB); VM exits land on it too (HOST_RSP). */
	.section .bss
	.p2align 4
	.globl host_stack_top
host_stack:
	.skip	16384
host_stack_top:

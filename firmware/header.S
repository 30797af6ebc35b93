/*
 * The blob header (struct rmt_header, include/rmtramp/abi.h), at offset 0.
 * Every field is an absolute address or size resolved at link time, so the
 * header is correct by construction; abi.h's _Static_asserts pin the offsets
 * this file must match.
 */
#include "firmware/layout.h"

	.section .header, "ax"
	.globl blob_header
blob_header:
	jmp	blob_cold_entry                 /* jump[8] */
	.balign	8, 0x90
	.long	0x504d5452                      /* magic "RTMP" */
	.word	1                               /* abi_version */
	.word	blob_header_end - blob_header   /* header_size */
	.long	__blob_start                    /* load_addr */
	.long	__blob_image_size               /* image_size */
	.long	__blob_mem_size                 /* mem_size */
	.long	blob_cold_entry                 /* entry_cold */
	.long	blob_reentry                    /* entry_reentry */
	.long	blob_ap_entry                   /* entry_ap */
	.long	blob_contexts                   /* context_base */
	.long	BLOB_CONTEXT_STRIDE             /* context_stride */
	.long	BLOB_MAX_VCPUS                  /* max_vcpus */
	.long	hypercall_stub                  /* hypercall_stub */
	.long	BLOB_FEATURES                   /* features */
blob_header_end:

/*
 * The hypercall stub: the host writes VMCALL or VMMCALL + RET here when the
 * blob registers (CPUID 0x40000001).  Until then it is UD2, so a hypercall
 * before registration is a loud #UD in the monitor, not a silent no-op.
 */
	.text
	.p2align 4
	.globl hypercall_stub
hypercall_stub:
	ud2
	.fill	14, 1, 0xcc

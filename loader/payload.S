/*
 * The embedded parts of a guest image: the blob (its flat binary), the
 * payload the blob starts, and the image's boot flags for the blob.  Built
 * once per image, with BLOB_FILE, PAYLOAD_FILE, BOOT_FLAGS and PAYLOAD_KIND
 * given by the Makefile.
 */
#ifndef BOOT_FLAGS
#define BOOT_FLAGS 0
#endif
#ifndef PAYLOAD_KIND
#define PAYLOAD_KIND 0          /* 0 = boot sector, 1 = BIOS (loader/main.c) */
#endif
	.section .rodata
	.p2align 2
	.globl payload_boot_flags, payload_kind
payload_boot_flags:
	.long	BOOT_FLAGS
payload_kind:
	.long	PAYLOAD_KIND

	.section .rodata.embedded, "a"
	.p2align 12
	.globl blob_image, blob_image_end
blob_image:
	.incbin	BLOB_FILE
blob_image_end:
	.p2align 4
	.globl payload_image, payload_image_end
payload_image:
	.incbin	PAYLOAD_FILE
payload_image_end:

/*
 * The embedded parts of a guest image: the blob (its flat binary) and the
 * payload the blob starts.  Built once per payload, with BLOB_FILE and
 * PAYLOAD_FILE given by the Makefile.
 */
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

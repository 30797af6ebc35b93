/*
 * How the reference host finds and starts a guest image, the way Xen's
 * domain builder starts hvmloader: the emulator places the image in RAM at
 * LOADER_BASE, the host checks this header and enters `entry` in flat 32-bit
 * protected mode with paging off (as the guest sees it).
 */
#ifndef LOADER_IMAGE_HEADER_H
#define LOADER_IMAGE_HEADER_H

#define LOADER_BASE   0x00100000u
#define LOADER_MAGIC  0x4c544d52u    /* bytes 'R','M','T','L' */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct loader_image_header {
	uint32_t magic;
	uint32_t entry;        /* physical address of the 32-bit entry */
	uint32_t image_size;   /* bytes from LOADER_BASE */
	uint32_t reserved;
};
#endif

#endif

/*
 * The hvmloader-style loader: places the blob at its link address and the
 * payload where it runs, describes the guest's initial state in a boot
 * record, and enters the blob's cold entry.
 *
 * Payload kinds (PAYLOAD_KIND):
 *   bootsector  a raw real-mode image loaded at 0000:7C00 and started there
 *               with DL = 0 — as a BIOS starts a boot sector, without a BIOS.
 */
#include <stdint.h>
#include <stdarg.h>
#include "x86/arch.h"
#include "rmtramp/abi.h"
#include "lib/fmt.h"
#include "lib/string.h"

extern const uint8_t blob_image[], blob_image_end[];
extern const uint32_t payload_boot_flags;   /* RMT_BOOT_*, per image (payload.S) */
extern const uint8_t payload_image[], payload_image_end[];
void enter_blob(uint32_t entry, uint32_t boot_info) __attribute__((noreturn));
void loader_main(void) __attribute__((noreturn));

static struct rmt_boot_info boot_info;

static void print(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	rmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (const char *p = "loader: "; *p; p++)
		__asm__ volatile("outb %0, $0xe9" :: "a"(*p));
	for (const char *p = buf; *p; p++)
		__asm__ volatile("outb %0, $0xe9" :: "a"(*p));
}

static void __attribute__((noreturn)) fail(const char *why)
{
	print("FATAL: %s\n", why);
	/* end the run the way a guest does: QEMU isa-debug-exit, Bochs shutdown */
	__asm__ volatile("outb %0, $0xf4" :: "a"((uint8_t)1));
	for (const char *p = "Shutdown"; *p; p++)
		__asm__ volatile("outb %0, %w1" :: "a"(*p), "Nd"((uint16_t)0x8900));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* A real-mode segment as the BIOS would leave it: base sel<<4, 64 KiB. */
static void real_segment(struct rmt_segment *s, uint16_t sel, unsigned type)
{
	s->sel = sel;
	s->base = (uint32_t)sel << 4;
	s->limit = 0xffff;
	s->ar = type | RMT_AR_S | RMT_AR_P;
}

/* The state a boot sector starts in: CS:IP 0000:7C00, DL = boot drive, stack
 * below the boot sector, interrupts off, the rest as after reset (SDM Vol. 3A
 * Table 9-1). */
static void bootsector_state(struct rmt_state *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned s = RMT_ES; s <= RMT_GS; s++)
		real_segment(&st->seg[s], 0, 0x3);
	real_segment(&st->seg[RMT_CS], 0, 0xb);
	st->seg[RMT_LDTR].limit = 0xffff;
	st->seg[RMT_LDTR].ar = 0x2 | RMT_AR_P;
	st->seg[RMT_TR].limit = 0xffff;
	st->seg[RMT_TR].ar = 0xb | RMT_AR_P;
	st->gdtr.limit = 0xffff;
	st->idtr.limit = 0x3ff;
	st->eip = 0x7c00;
	st->gpr[RMT_ESP] = 0x7c00;
	st->gpr[RMT_EDX] = 0x00;
	st->eflags = X86_FL_FIXED;
	st->cr0 = X86_CR0_ET;
	st->dr7 = 0x400;
}

void loader_main(void)
{
	const struct rmt_header *h = (const void *)blob_image;
	uint32_t blob_len = (uint32_t)(blob_image_end - blob_image);
	uint32_t payload_len = (uint32_t)(payload_image_end - payload_image);

	print("guest image: blob %u bytes, payload %u bytes\n", blob_len, payload_len);
	if (h->magic != RMT_HEADER_MAGIC || h->abi_version != RMT_ABI_VERSION)
		fail("the embedded blob has no rmtramp ABI 1 header");
	if (h->image_size != blob_len || h->mem_size < blob_len)
		fail("the embedded blob's size does not match its header");
	/* The blob is linked at a fixed address: place it, clear its .bss. */
	memcpy((void *)h->load_addr, blob_image, blob_len);
	memset((void *)(h->load_addr + blob_len), 0, h->mem_size - blob_len);
	h = (const void *)h->load_addr;

	if (payload_len > 0x9fc00 - 0x7c00)
		fail("the boot-sector payload does not fit below 640 KiB");
	memcpy((void *)0x7c00, payload_image, payload_len);
	boot_info.magic = RMT_BOOT_MAGIC;
	boot_info.size = sizeof(boot_info);
	boot_info.vcpus = 1;
	boot_info.flags = payload_boot_flags;
	bootsector_state(&boot_info.guest);

	print("blob at 0x%08x (%u KiB reserved), guest starts at %04x:%04x\n", h->load_addr,
	      h->mem_size / 1024, boot_info.guest.seg[RMT_CS].sel, boot_info.guest.eip);
	enter_blob(h->entry_cold, (uint32_t)&boot_info);
}

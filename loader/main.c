/*
 * The hvmloader-style loader: places the blob at its link address and the
 * payload where it runs, describes the guest's initial state in a boot
 * record, and enters the blob's cold entry.
 *
 * Payload kinds (payload_kind, chosen per image by the build):
 *   0 boot sector  a raw real-mode image loaded at 0000:7C00 and started there
 *                  with DL = 0 — as a BIOS starts a boot sector, without a BIOS.
 *   1 BIOS         a 64 or 128 KiB system BIOS image (SeaBIOS bios.bin, Bochs'
 *                  rombios) placed to end at 0xFFFFF in chipset shadow RAM and
 *                  started at its reset vector F000:FFF0.
 */
#include <stdint.h>
#include <stdarg.h>
#include "x86/arch.h"
#include "rmtramp/abi.h"
#include "lib/fmt.h"
#include "lib/string.h"

extern const uint8_t blob_image[], blob_image_end[];
extern const uint32_t payload_boot_flags;   /* RMT_BOOT_*, per image (payload.S) */
extern const uint32_t payload_kind;         /* 0 boot sector, 1 BIOS */
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

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	rmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print("FATAL: %s\n", buf);
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

static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %w1" :: "a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outb_port(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %w1" :: "a"(v), "Nd"(port)); }

/* PCI configuration mechanism #1, bus 0. */
static uint32_t pci_read32(unsigned dev, unsigned reg)
{
	outl(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
	return inl(0xcfc);
}

static void pci_write8(unsigned dev, unsigned reg, uint8_t v)
{
	outl(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
	outb_port((uint16_t)(0xcfc + (reg & 3)), v);
}

/*
 * Make 0xE0000-0xFFFFF RAM, readable and writable, in the i440FX host
 * bridge (PAM registers 0x59-0x5F, SDM-like table in the 82441FX datasheet:
 * each nibble controls a 16 KiB range, 0x3 = reads and writes go to RAM).
 * The emulators map the machine firmware's ROM there by default — that is
 * the reference host, not the guest's BIOS.  With the shadow RAM already
 * readable, SeaBIOS does not copy itself from the top-of-4 GiB flash alias
 * (which is the host's ROM too) — src/fw/shadow.c, "ram_present".
 */
static void shadow_ram_for_bios(void)
{
	uint32_t id = pci_read32(0, 0);

	if (id != 0x12378086)
		fail("no i440FX host bridge at 00:00.0 (vendor:device 0x%08x): cannot make "
		     "0xE0000-0xFFFFF RAM for the guest BIOS (Bochs needs 'pci: enabled=1, "
		     "chipset=i440fx')", id);
	pci_write8(0, 0x59, 0x30);      /* PAM0[7:4]: 0xF0000-0xFFFFF */
	pci_write8(0, 0x5e, 0x33);      /* PAM5: 0xE0000-0xE7FFF */
	pci_write8(0, 0x5f, 0x33);      /* PAM6: 0xE8000-0xEFFFF */
}

/*
 * The state after RESET (SDM Vol. 3A Table 9-1), with two deliberate
 * differences, both invisible to a BIOS:
 *   - CS.base is 0xF0000, not 0xFFFF0000: the top-of-4 GiB alias holds the
 *     reference host's ROM, not the guest's BIOS.  The bytes at F000:FFF0
 *     are the same either way, and the BIOS's first far jump reloads CS.
 *   - CR0.CD and NW are clear: VM entry never loads them (SDM 26.3.2.1) and
 *     the host runs with caches on, so that is what the guest would read.
 * EDX holds the processor signature, as after reset.
 */
static void bios_reset_state(struct rmt_state *st)
{
	uint32_t a, b, c, d;

	bootsector_state(st);
	real_segment(&st->seg[RMT_CS], 0xf000, 0xb);
	st->eip = 0xfff0;
	st->gpr[RMT_ESP] = 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	st->gpr[RMT_EDX] = a;
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

	boot_info.magic = RMT_BOOT_MAGIC;
	boot_info.size = sizeof(boot_info);
	boot_info.vcpus = 1;
	boot_info.flags = payload_boot_flags;
	if (payload_kind == 1) {
		if (payload_len != 0x10000 && payload_len != 0x20000)
			fail("a BIOS payload must be 64 or 128 KiB, not %u bytes", payload_len);
		shadow_ram_for_bios();
		memcpy((void *)(0x100000 - payload_len), payload_image, payload_len);
		if (memcmp((void *)(0x100000 - payload_len), payload_image, payload_len))
			fail("the BIOS did not stick at 0x%05x: shadow RAM not writable",
			     0x100000 - payload_len);
		bios_reset_state(&boot_info.guest);
	} else {
		if (payload_len > 0x9fc00 - 0x7c00)
			fail("the boot-sector payload does not fit below 640 KiB");
		memcpy((void *)0x7c00, payload_image, payload_len);
		bootsector_state(&boot_info.guest);
	}

	print("blob at 0x%08x (%u KiB reserved), guest starts at %04x:%04x\n", h->load_addr,
	      h->mem_size / 1024, boot_info.guest.seg[RMT_CS].sel, boot_info.guest.eip);
	enter_blob(h->entry_cold, (uint32_t)&boot_info);
}

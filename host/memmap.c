/*
 * Keeping the host's and the blob's memory out of the guest's memory map.
 *
 * The reference machine has 256 MiB; the top 16 MiB (GUEST_RAM_TOP up)
 * hold the host (0x0F000000) and the blob (0x0F200000).  The guest is told
 * it has GUEST_RAM_TOP bytes, through every channel a BIOS or an OS reads
 * memory sizes from — so E820, E801, INT 15h/88h (all computed by the guest
 * BIOS from these) agree, and the top 16 MiB are simply absent:
 *
 *   CMOS  0x17/0x18 and 0x30/0x31 extended memory in KiB (max 0xFFFF),
 *         0x34/0x35 64 KiB blocks above 16 MiB, 0x5B-0x5D above 4 GiB (0);
 *         the checksum at 0x2E/0x2F covers 0x10-0x2D and is kept valid;
 *   QEMU fw_cfg  FW_CFG_RAM_SIZE (key 0x03), the "etc/e820" file (RAM
 *         entries clipped at GUEST_RAM_TOP), and the DMA interface hidden
 *         (FW_CFG_ID bit 1 cleared) so every read comes through port 0x511,
 *         where the host substitutes those two items.
 * Everything else passes through.
 */
#include <stdint.h>
#include "lib/string.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/memmap.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define FW_CFG_SEL  0x510
#define FW_CFG_DATA 0x511

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID        0x0001
#define FW_CFG_RAM_SIZE  0x0003
#define FW_CFG_FILE_DIR  0x0019
#define FW_CFG_ID_DMA    0x02

#define E820_RAM 1
#define MAX_E820 32

struct __attribute__((packed)) e820_entry {
	uint64_t addr, len;
	uint32_t type;
};

static uint8_t cmos_index;

static int fw_cfg_present;
static uint16_t fw_cfg_selector;
static uint32_t fw_cfg_offset;           /* bytes read since the selector was written */
static uint16_t e820_selector = 0xffff;  /* "etc/e820", if QEMU has it */
static struct e820_entry e820[MAX_E820];
static uint32_t e820_bytes;
static uint64_t guest_ram_size;

const uint16_t memmap_ports[] = { CMOS_INDEX, CMOS_DATA, FW_CFG_SEL, FW_CFG_DATA, 0 };

static uint8_t cmos_read(uint8_t index)
{
	outb(CMOS_INDEX, index | (cmos_index & 0x80));
	return inb(CMOS_DATA);
}

/* What the guest reads at CMOS `index` (NMI bit stripped). */
static uint8_t cmos_value(uint8_t index)
{
	uint32_t ext_kib = (uint32_t)((GUEST_RAM_TOP - 0x100000) / 1024);
	uint32_t above16 = (uint32_t)((GUEST_RAM_TOP - 0x1000000) / 0x10000);

	if (ext_kib > 0xffff)
		ext_kib = 0xffff;
	switch (index) {
	case 0x17: case 0x30: return (uint8_t)ext_kib;
	case 0x18: case 0x31: return (uint8_t)(ext_kib >> 8);
	case 0x34: return (uint8_t)above16;
	case 0x35: return (uint8_t)(above16 >> 8);
	case 0x5b: case 0x5c: case 0x5d: return 0;
	case 0x2e: case 0x2f: {
		/* The standard checksum: the sum of 0x10-0x2D, big-endian. */
		uint16_t sum = 0;
		for (uint8_t i = 0x10; i <= 0x2d; i++)
			sum += (i == 0x17 || i == 0x18) ? cmos_value(i) : cmos_read(i);
		return index == 0x2e ? (uint8_t)(sum >> 8) : (uint8_t)sum;
	}
	}
	return cmos_read(index);
}

static void fw_cfg_select(uint16_t key)
{
	outw(FW_CFG_SEL, key);
}

static void fw_cfg_read(void *buf, uint32_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_DATA);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

/* Read QEMU's own memory map once, before the guest runs, and clip it. */
void memmap_init(void)
{
	char sig[4];
	uint8_t count_be[4];

	guest_ram_size = GUEST_RAM_TOP;
	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, 4);
	fw_cfg_present = sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
	if (!fw_cfg_present) {
		host_printf("memmap: guest RAM 0-0x%08x (CMOS), host and blob above\n",
			    (uint32_t)GUEST_RAM_TOP);
		return;
	}
	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(count_be, 4);
	for (uint32_t n = be32(count_be), i = 0; i < n; i++) {
		uint8_t f[64];
		fw_cfg_read(f, sizeof(f));
		if (!memcmp(f + 8, "etc/e820", 9)) {
			e820_selector = (uint16_t)(f[4] << 8 | f[5]);
			e820_bytes = be32(f);
		}
	}
	if (e820_selector != 0xffff) {
		unsigned n = 0, kept = 0;

		if (e820_bytes > sizeof(e820))
			e820_bytes = sizeof(e820);
		fw_cfg_select(e820_selector);
		fw_cfg_read(e820, e820_bytes);
		n = e820_bytes / sizeof(e820[0]);
		for (unsigned i = 0; i < n; i++) {
			struct e820_entry e = e820[i];
			if (e.type == E820_RAM && e.addr >= GUEST_RAM_TOP)
				continue;               /* absent */
			if (e.type == E820_RAM && e.addr + e.len > GUEST_RAM_TOP)
				e.len = GUEST_RAM_TOP - e.addr;
			e820[kept++] = e;
		}
		e820_bytes = kept * sizeof(e820[0]);
	}
	host_printf("memmap: guest RAM 0-0x%08x (CMOS, fw_cfg RAM size and etc/e820), "
		    "host and blob above; fw_cfg DMA hidden\n", (uint32_t)GUEST_RAM_TOP);
}

/* One byte of the fw_cfg item `selector` at `offset`, as the guest sees it. */
static uint8_t fw_cfg_byte(uint8_t real)
{
	uint32_t off = fw_cfg_offset;

	if (fw_cfg_selector == FW_CFG_ID && off == 0)
		return real & ~FW_CFG_ID_DMA;
	if (fw_cfg_selector == FW_CFG_RAM_SIZE)
		return off < 8 ? (uint8_t)(guest_ram_size >> (8 * off)) : real;
	if (fw_cfg_selector == e820_selector)
		return off < e820_bytes ? ((const uint8_t *)e820)[off] : 0;
	return real;
}

int memmap_io(uint16_t port, unsigned size, int is_in, uint32_t *value)
{
	switch (port) {
	case CMOS_INDEX:
		if (size != 1)
			return 0;
		if (is_in) {
			*value = (*value & ~0xffu) | inb(port);
		} else {
			cmos_index = (uint8_t)*value;
			outb(port, (uint8_t)*value);
		}
		return 1;
	case CMOS_DATA:
		if (size != 1)
			return 0;
		if (is_in)
			*value = (*value & ~0xffu) | cmos_value(cmos_index & 0x7f);
		else
			outb(CMOS_DATA, (uint8_t)*value);
		return 1;
	case FW_CFG_SEL:
		if (!fw_cfg_present || size != 2)
			return 0;
		if (is_in) {
			*value = (*value & ~0xffffu) | inw(port);
		} else {
			fw_cfg_selector = (uint16_t)*value;
			fw_cfg_offset = 0;
			outw(port, (uint16_t)*value);
		}
		return 1;
	case FW_CFG_DATA:
		if (!fw_cfg_present || size != 1)
			return 0;
		if (is_in) {
			*value = (*value & ~0xffu) | fw_cfg_byte(inb(port));
			fw_cfg_offset++;
		} else {
			outb(port, (uint8_t)*value);
		}
		return 1;
	}
	return 0;
}

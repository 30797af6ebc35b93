/*
 * The one piece of the chipset the host must not hand to the guest: the
 * i440FX PAM registers' view of 0xE0000-0xFFFFF.
 *
 * On this machine the ROM behind 0xE0000-0xFFFFF is the reference host's
 * own firmware, not the guest's BIOS; the loader put the guest's BIOS in the
 * shadow RAM there.  A BIOS that switches those ranges back to "read ROM" —
 * rombios32's bios_shadow_init() does, to copy "itself" from ROM into RAM —
 * would read the host's code.  So the host intercepts the PCI configuration
 * data ports, lets every access through, but keeps the read-enable bit of the PAM
 * nibbles for 0xE0000-0xFFFFF set: "ROM" reads then return the shadow RAM,
 * which holds the guest's BIOS as the loader placed it.  The guest reads
 * back the PAM values it wrote.  (Inexact only for a BIOS that writes the
 * shadow RAM and later expects ROM reads to show the original bytes.)
 *
 * And one the host watches: the PIIX4 power-management function's I/O
 * base, so that it can intercept the ACPI PM1a control register and see the
 * guest power the machine off (SLP_EN, ACPI 6.4 4.8.3.2.1) — the end of a
 * run for any OS, when the host prints its counters.  The BIOS places the
 * block (PMBA, 00:01.3 register 40h; enabled by PMREGMISC bit 0, 80h).
 */
#include <stdint.h>
#include "host/chipset.h"
#include "host/cpu.h"
#include "host/vcpu.h"

#define PCI_ADDRESS 0xcf8
#define PCI_DATA    0xcfc

/*
 * CONFIG_ADDRESS (0xCF8) itself is not intercepted: an OS probing the bus
 * writes it once per configuration access (Linux at boot: ~17,000 times),
 * and the chipset lets it be read back as a dword (PCI Local Bus 3.0
 * 3.2.2.3.2) — so the host reads the address the guest selected when the
 * data port exits: one exit per access instead of two.
 */
static uint32_t pci_address;            /* CONFIG_ADDRESS for the access in progress */
static uint8_t guest_pam[7];            /* 0x59-0x5F as the guest wrote them */
static uint8_t pam_seen;                /* bit n: guest_pam[n] was written */

#define PIIX4_PM     0x80000b00u        /* enabled, bus 0, device 1, function 3 */
#define PIIX4_PMBA   0x40
#define PIIX4_PMMISC 0x80
static uint16_t pm1a_cnt;               /* 0: not placed (or not a PIIX4) */

/* After the guest wrote 00:01.3's PMBA or PMREGMISC: where is PM1a_CNT now? */
static void track_pm_base(void)
{
	uint32_t base, misc;
	uint16_t port;

	outl(PCI_ADDRESS, PIIX4_PM | PIIX4_PMBA);
	base = inl(PCI_DATA);
	outl(PCI_ADDRESS, PIIX4_PM | PIIX4_PMMISC);
	misc = inl(PCI_DATA);
	outl(PCI_ADDRESS, pci_address);
	port = (misc & 1) && (base & 0xffc0) ? (uint16_t)((base & 0xffc0) + 4) : 0;
	if (port == pm1a_cnt)
		return;
	if (pm1a_cnt)
		backend->set_io_intercept(pm1a_cnt, 0);
	pm1a_cnt = port;
	if (port)
		backend->set_io_intercept(port, 1);
}

uint16_t chipset_pm1a_control_port(void)
{
	return pm1a_cnt;
}

/* Register `reg` of 00:00.0 (the host bridge) selected by pci_address? */
static int selects_host_bridge(uint32_t addr)
{
	return (addr & 0x80fff800u) == 0x80000000u;   /* enabled, bus 0, device 0, function 0 */
}

/* The read-enable bits of the PAM nibbles covering 0xE0000-0xFFFFF. */
static uint8_t forced_read_bits(unsigned reg)
{
	switch (reg) {
	case 0x59: return 0x10;     /* PAM0[7:4]: 0xF0000-0xFFFFF */
	case 0x5e: return 0x11;     /* PAM5: 0xE0000-0xE7FFF */
	case 0x5f: return 0x11;     /* PAM6: 0xE8000-0xEFFFF */
	default: return 0;
	}
}

int chipset_io(uint16_t port, unsigned size, int is_in, uint32_t *value)
{
	if (port < PCI_DATA || port > PCI_DATA + 3)
		return 0;
	pci_address = inl(PCI_ADDRESS);
	unsigned first = (pci_address & 0xfc) + (port - PCI_DATA);
	if (!selects_host_bridge(pci_address) || first + size <= 0x59 || first > 0x5f) {
		/* Not a PAM register: the access as the guest made it. */
		if (is_in)
			*value = io_merge(*value, io_read(port, size), size);
		else
			io_write(port, size, *value);
		if (!is_in && (pci_address & 0xffffff00u) == PIIX4_PM &&
		    ((first + size > PIIX4_PMBA && first < PIIX4_PMBA + 4) ||
		     (first + size > PIIX4_PMMISC && first <= PIIX4_PMMISC)))
			track_pm_base();
		return 1;
	}
	/* PAM registers, byte by byte. */
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (pci_address & 0xfc) + (port - PCI_DATA) + i;
		uint16_t p = (uint16_t)(PCI_DATA + ((port - PCI_DATA + i) & 3));
		int pam = selects_host_bridge(pci_address) && reg >= 0x59 && reg <= 0x5f;

		if (is_in) {
			uint8_t b = inb(p);
			if (pam && (pam_seen & (1u << (reg - 0x59))))
				b = guest_pam[reg - 0x59];
			*value = (*value & ~(0xffu << (8 * i))) | ((uint32_t)b << (8 * i));
		} else {
			uint8_t b = (uint8_t)(*value >> (8 * i));
			if (pam) {
				guest_pam[reg - 0x59] = b;
				pam_seen |= 1u << (reg - 0x59);
				b |= forced_read_bits(reg);
			}
			outb(p, b);
		}
	}
	return 1;
}

/* Ports the backends must intercept for chipset_io(). */
const uint16_t chipset_ports[] = { 0xcfc, 0xcfd, 0xcfe, 0xcff, 0 };

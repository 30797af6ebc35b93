/*
 * The one piece of the chipset the host must not hand to the guest: the
 * i440FX PAM registers' view of 0xE0000-0xFFFFF.
 *
 * On this machine the ROM behind 0xE0000-0xFFFFF is the reference host's
 * own firmware, not the guest's BIOS; the loader put the guest's BIOS in the
 * shadow RAM there.  A BIOS that switches those ranges back to "read ROM" —
 * rombios32's bios_shadow_init() does, to copy "itself" from ROM into RAM —
 * would read the host's code.  So the host intercepts PCI configuration
 * I/O, lets every access through, but keeps the read-enable bit of the PAM
 * nibbles for 0xE0000-0xFFFFF set: "ROM" reads then return the shadow RAM,
 * which holds the guest's BIOS as the loader placed it.  The guest reads
 * back the PAM values it wrote.  (Inexact only for a BIOS that writes the
 * shadow RAM and later expects ROM reads to show the original bytes.)
 */
#include <stdint.h>
#include "host/chipset.h"
#include "host/cpu.h"

#define PCI_ADDRESS 0xcf8
#define PCI_DATA    0xcfc

static uint32_t pci_address;            /* the last value written to 0xCF8 */
static uint8_t guest_pam[7];            /* 0x59-0x5F as the guest wrote them */
static uint8_t pam_seen;                /* bit n: guest_pam[n] was written */

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
	if (port == PCI_ADDRESS) {
		if (size != 4)
			return 0;       /* byte/word at 0xCF8 is not the address register */
		if (is_in) {
			*value = inl(port);
		} else {
			pci_address = *value;
			outl(port, *value);
		}
		return 1;
	}
	if (port < PCI_DATA || port > PCI_DATA + 3)
		return 0;
	outl(PCI_ADDRESS, pci_address);
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
const uint16_t chipset_ports[] = { 0xcf8, 0xcfc, 0xcfd, 0xcfe, 0xcff, 0 };

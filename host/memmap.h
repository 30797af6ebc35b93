/* Keeping the host's and the blob's memory out of the guest's memory map
 * (memmap.c). */
#ifndef HOST_MEMMAP_H
#define HOST_MEMMAP_H
#include <stdint.h>

/* The guest's RAM ends here; the host (0x0F000000) and the blob
 * (0x0F200000) live in the 16 MiB above, which the guest is never told
 * about.  The machine must have at least MACHINE_RAM_MIN bytes. */
#define GUEST_RAM_TOP   0x0F000000ull
#define MACHINE_RAM_MIN 0x10000000ull

void memmap_init(void);
/* An intercepted CMOS or fw_cfg port access; *value is the guest's EAX.
 * Returns 1 if handled. */
int memmap_io(uint16_t port, unsigned size, int is_in, uint32_t *value);
extern const uint16_t memmap_ports[];
#endif

/* The host's view of the chipset (chipset.c): PAM protection of the ROM. */
#ifndef HOST_CHIPSET_H
#define HOST_CHIPSET_H
#include <stdint.h>

/* Handle an intercepted port access if it is the chipset's; *value is the
 * guest's EAX (in/out).  Returns 1 if handled. */
int chipset_io(uint16_t port, unsigned size, int is_in, uint32_t *value);
extern const uint16_t chipset_ports[];
/* The ACPI PM1a control port as the guest's BIOS placed it, or 0. */
uint16_t chipset_pm1a_control_port(void);
#endif

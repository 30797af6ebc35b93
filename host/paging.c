/*
 * Page tables the host owns.
 *
 * The host's own identity map (0-4 GiB, 2 MiB pages, 4-level) is built by
 * rom_boot.S on the way into 64-bit mode.  VMX without unrestricted guest
 * also needs CR0.PG=1 in every guest (SDM Vol. 3C 26.3.1.1), so a guest
 * whose own paging is off runs on a second identity map the host supplies —
 * user-accessible, since the blob's vm86 guest runs at CPL 3.  That one is
 * a legacy 32-bit directory of 4 MiB pages (CR4.PSE), which is why the host
 * forces CR4.PSE=1 and PAE=0 while the guest's paging is off: a guest
 * outside IA-32e mode may use any paging mode, whatever the host's is.
 */
#include <stdint.h>
#include "x86/arch.h"
#include "host/cpu.h"
#include "host/vcpu.h"

#define PDE_P    0x001u
#define PDE_RW   0x002u
#define PDE_US   0x004u
#define PDE_A    0x020u
#define PDE_D    0x040u
#define PDE_PS   0x080u

static uint32_t guest_pd[1024] __attribute__((aligned(4096), section(".bss.pages")));
uint32_t guest_identity_cr3;

void host_paging_init(void);
void host_paging_init(void)
{
	for (uint32_t i = 0; i < 1024; i++)
		guest_pd[i] = (i << 22) | PDE_P | PDE_RW | PDE_US | PDE_A | PDE_D | PDE_PS;
	guest_identity_cr3 = (uint32_t)(uintptr_t)guest_pd;
	/*
	 * Caches on (CD = NW = 0), as any BIOS leaves them.  VM entry and VM
	 * exit never load CR0.CD/NW (SDM Vol. 3C 26.3.2.1, 27.5.1): the guest
	 * sees and changes the processor's own bits, so the reset value
	 * (CD = NW = 1) would otherwise leak into the guest's CR0.
	 */
	write_cr0((read_cr0() & ~(uint64_t)(X86_CR0_CD | X86_CR0_NW)) | X86_CR0_NE);
}

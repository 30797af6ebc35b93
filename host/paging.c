/*
 * Page tables the host owns.
 *
 * VMX without unrestricted guest needs CR0.PG=1 in VMX root (CR0_FIXED0
 * includes PG) and in every guest (SDM Vol. 3C 26.3.1.1).  So the host pages
 * itself with an identity map, and a guest whose own paging is off runs on
 * a second identity map the host supplies — user-accessible, since the
 * blob's vm86 guest runs at CPL 3.  Both use 4 MiB pages (CR4.PSE), which is
 * why the host forces CR4.PSE=1 and PAE=0 while the guest's paging is off.
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

static uint32_t host_pd[1024] __attribute__((aligned(4096), section(".bss.pages")));
static uint32_t guest_pd[1024] __attribute__((aligned(4096), section(".bss.pages")));
uint32_t guest_identity_cr3;

static void identity_map(uint32_t *pd, uint32_t flags)
{
	for (uint32_t i = 0; i < 1024; i++)
		pd[i] = (i << 22) | PDE_P | PDE_RW | PDE_A | PDE_D | PDE_PS | flags;
}

void host_paging_init(void);
void host_paging_init(void)
{
	identity_map(host_pd, 0);
	identity_map(guest_pd, PDE_US);
	guest_identity_cr3 = (uint32_t)guest_pd;
	write_cr4(read_cr4() | X86_CR4_PSE);
	write_cr3((uint32_t)host_pd);
	/*
	 * Caches on (CD = NW = 0), as any BIOS leaves them.  VM entry and VM
	 * exit never load CR0.CD/NW (SDM Vol. 3C 26.3.2.1, 27.5.1): the guest
	 * sees and changes the processor's own bits, so the reset value
	 * (CD = NW = 1) would otherwise leak into the guest's CR0.
	 */
	write_cr0((read_cr0() & ~(X86_CR0_CD | X86_CR0_NW)) | X86_CR0_PG | X86_CR0_NE);
}

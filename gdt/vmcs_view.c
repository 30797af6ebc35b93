/*
 * From the guest-visible record to the VMCS guest state the host enters
 * (docs/abi.md; DESIGN.md §3).
 *
 * VMX without unrestricted guest insists on CR0.PE, CR0.PG and CR0.NE being 1
 * and on CR4.VMXE (IA32_VMX_CR0/CR4_FIXED0, SDM Vol. 3C 23.8 and A.7/A.8), so
 * the host sets them in the VMCS and hides them behind read shadows.  A guest
 * that has not enabled paging runs on the host's identity page tables: 4 MiB
 * pages, so CR4.PSE=1 and CR4.PAE=0, and CR3 points at them (KVM does the
 * same with its EPT identity map, reference/vmentry-rules.md §3).
 */
#include "gdt/vmentry.h"
#include "x86/arch.h"
#include "lib/string.h"

void vmcs_view_from_guest(const struct rmt_state *guest, uint32_t identity_cr3,
			  struct vmcs_view *out)
{
	memset(out, 0, sizeof(*out));
	out->s = *guest;
	if (!(guest->cr0 & X86_CR0_PG)) {
		out->s.cr3 = identity_cr3;
		out->s.cr4 = (out->s.cr4 | X86_CR4_PSE) & ~X86_CR4_PAE;
	}
	out->s.cr0 |= X86_CR0_PE | X86_CR0_NE | X86_CR0_PG;
	out->s.cr4 |= X86_CR4_VMXE;
	out->ia32e_mode_guest = (guest->efer_lo & X86_EFER_LMA) ? 1 : 0;
}

/*
 * Instructions the host intercepts but the hardware does not decode for it:
 * SVM under TCG gives no decode assists and no next-RIP, so a CR access
 * (svm.c) needs decoding; INS/OUTS on an intercepted port (SeaBIOS reads
 * fw_cfg with REP INSB) needs executing.  Rather than write a second
 * decoder, the host runs the instruction through rmtramp's interpreter
 * against the guest-visible state, with memory callbacks on guest-physical
 * memory and port callbacks through the host's own port handlers
 * (chipset.c, memmap.c).
 */
#include <stdint.h>
#include "x86/arch.h"
#include "lib/string.h"
#include "vm86/interp.h"
#include "host/chipset.h"
#include "host/cpu.h"
#include "host/memmap.h"
#include "host/vcpu.h"

static int phys_read(void *ctx, uint32_t pa, void *buf, unsigned len)
{
	memcpy(buf, (const void *)(uintptr_t)pa, len);
	return 0;
}

static int phys_write(void *ctx, uint32_t pa, const void *buf, unsigned len)
{
	memcpy((void *)(uintptr_t)pa, buf, len);
	return 0;
}

static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = 0;

	if (chipset_io(port, size, 1, &v) || memmap_io(port, size, 1, &v))
		return v;
	return io_read(port, size);
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	if (chipset_io(port, size, 0, &v) || memmap_io(port, size, 0, &v))
		return;
	io_write(port, size, v);
}

static const struct interp_ops host_interp_ops = {
	.read_phys = phys_read, .write_phys = phys_write, .io_in = port_in, .io_out = port_out,
};

int host_interpret_step(struct vcpu *v, struct guest_cpu *c, struct interp_status *st)
{
	memset(c, 0, sizeof(*c));
	backend_save_state(v, &c->s);
	/* CPL as VMX has it: 3 in vm86, SS.DPL in protected mode, 0 in real */
	c->cpl = (c->s.eflags & X86_FL_VM) ? 3 : (c->s.cr0 & X86_CR0_PE) ?
		 (c->s.seg[RMT_SS].ar & RMT_AR_DPL_MASK) >> RMT_AR_DPL_SHIFT : 0;
	c->a20 = 1;
	/* The interpreter refuses a CR0 write that would activate IA-32e mode
	 * (it has no 64-bit mode to go on in).  The host only wants the value
	 * written: activation is its own policy (exits.c, the backends'
	 * set_control_registers), so the interpreter does not see LME. */
	c->s.efer_lo &= ~X86_EFER_LME;
	memset(st, 0, sizeof(*st));
	return interp_step(c, &host_interp_ops, st);
}

/* INS/OUTS: it changes only memory, ECX, ESI/EDI and EIP. */
void exit_string_io(struct vcpu *v)
{
	struct guest_cpu c;
	struct interp_status st;
	enum interp_result rc;

	/* The interpreter knows no 64-bit mode; no 64-bit guest has used
	 * string I/O on the ports the host emulates. */
	if (v->efer & X86_EFER_LMA) {
		exit_unexpected(v, "INS/OUTS on an emulated port in IA-32e mode is not emulated",
				0, 0);
		return;
	}
	rc = host_interpret_step(v, &c, &st);
	if (rc == INTERP_FAULT) {
		backend_inject_exception(v, st.fault.vector, st.fault.has_error, st.fault.error_code);
		return;
	}
	if (rc != INTERP_OK) {
		exit_unexpected(v, st.why[0] ? st.why : "cannot execute the string I/O instruction",
				0, 0);
		return;
	}
	for (unsigned r = 0; r < RMT_NGPR; r++)
		if (r != RMT_ESP)
			v->regs.r[r] = c.s.gpr[r];
	backend_set_rip(v, c.s.eip);
}

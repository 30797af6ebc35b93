/*
 * INS/OUTS (possibly REP) on a port the host intercepts — SeaBIOS reads
 * fw_cfg with REP INSB.  Rather than decode the string instruction a second
 * time, the host runs it through rmtramp's interpreter against the guest's
 * state, with port callbacks that go through the host's own port handlers
 * (chipset.c, memmap.c) and memory callbacks on guest-physical memory.  The
 * instruction changes only memory, ECX, ESI/EDI and EIP.
 */
#include <stdint.h>
#include "lib/string.h"
#include "vm86/interp.h"
#include "host/chipset.h"
#include "host/cpu.h"
#include "host/memmap.h"
#include "host/vcpu.h"

static int phys_read(void *ctx, uint32_t pa, void *buf, unsigned len)
{
	memcpy(buf, (const void *)pa, len);
	return 0;
}

static int phys_write(void *ctx, uint32_t pa, const void *buf, unsigned len)
{
	memcpy((void *)pa, buf, len);
	return 0;
}

static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = 0;

	if (chipset_io(port, size, 1, &v) || memmap_io(port, size, 1, &v))
		return v;
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	if (chipset_io(port, size, 0, &v) || memmap_io(port, size, 0, &v))
		return;
	if (size == 1)
		outb(port, (uint8_t)v);
	else if (size == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
}

static const struct interp_ops string_io_ops = {
	.read_phys = phys_read, .write_phys = phys_write, .io_in = port_in, .io_out = port_out,
};

void exit_string_io(struct vcpu *v)
{
	struct guest_cpu c;
	struct interp_status st;
	enum interp_result rc;

	memset(&c, 0, sizeof(c));
	backend_save_state(v, &c.s);
	c.cpl = (c.s.eflags & X86_FL_VM) ? 3 : (c.s.cr0 & X86_CR0_PE) ?
		(c.s.seg[RMT_SS].ar & RMT_AR_DPL_MASK) >> RMT_AR_DPL_SHIFT : 0;
	c.a20 = 1;
	memset(&st, 0, sizeof(st));
	rc = interp_step(&c, &string_io_ops, &st);
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

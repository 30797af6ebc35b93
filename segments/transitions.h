/*
 * Whole-processor transitions of the segment model: power-on and INIT,
 * startup IPI, writes to CR0, and taking the guest back from the host.
 *
 * The rule that runs through all of them: *no mode change touches a segment
 * register*.  The hidden descriptor caches keep whatever the last load put
 * there until the guest loads the register again (SDM Vol. 3A 9.9.1: after
 * setting PE "the segment registers continue to hold real-address-mode
 * values"; 9.9.2 likewise in the other direction, which is how big real mode
 * exists).  Only CPL follows the mode: it is 0 in real-address mode.
 */
#ifndef SEGMENTS_TRANSITIONS_H
#define SEGMENTS_TRANSITIONS_H

#include "segments/guest_cpu.h"

/*
 * The processor state after RESET (SDM Vol. 3A 9.1.1, Table 9-1): real mode
 * at F000:FFF0 with CS.base = FFFF0000 (so the first fetch is at FFFFFFF0),
 * CS AR 0x9B, data segments 0/0/FFFF/0x93, GDTR/IDTR base 0 limit FFFF,
 * LDTR AR 0x82, TR AR 0x8B, EFLAGS 2, CR0 0x60000010, DR7 0x400, EFER 0.
 * General registers are 0 (EDX's CPU signature is the caller's to fill).
 * A20 is enabled in the model (a20 = 1), origins SEG_FROM_RESET, CPL 0.
 */
void guest_cpu_power_on(struct guest_cpu *cpu);

/* INIT: the power-on state, except that CR0.CD and CR0.NW keep their values
 * (Table 9-1, note: "CD and NW are unchanged" by INIT). */
void guest_cpu_init(struct guest_cpu *cpu);

/*
 * Startup IPI with `vector` to a processor in wait-for-SIPI (after INIT): it
 * starts in real mode at VV00:0000, i.e. CS.sel = vector << 8, CS.base =
 * vector << 12, EIP = 0 (SDM Vol. 3A 8.4.4.1 / 10.6.1).  CS limit and AR stay
 * as INIT left them.
 */
void guest_cpu_sipi(struct guest_cpu *cpu, uint8_t vector);

/*
 * MOV to CR0 as the processor performs it (SDM Vol. 2 MOV CR; Vol. 3A 2.5):
 *   - PG=1 with PE=0, or NW=1 with CD=0 → #GP(0), nothing changes;
 *   - reserved bits of CR0[31:0] are ignored ("attempting to set any reserved
 *     bits in CR0[31:0] is ignored") and ET reads as 1 (fixed on P6 and later);
 *   - setting or clearing PE changes no segment register;
 *   - clearing PE makes CPL 0; setting it leaves CPL 0 (real mode's) until
 *     the guest loads CS.
 * Returns 0, or -1 with *fault filled.
 */
int guest_cpu_write_cr0(struct guest_cpu *cpu, uint32_t value, struct x86_fault *fault);

/*
 * Take the guest back from the host (RMT_ENTRY_PE_CLEARED and friends): the
 * record is the state the host saved from the VMCS.  Every segment register's
 * origin becomes SEG_FROM_HOST.  CPL is what VMX says it is — SS.DPL (SDM Vol.
 * 3C 26.3.2.2 loads CPL from SS.DPL) — except where the mode defines it:
 * 0 in real-address mode, 3 in virtual-8086 mode.  A20 is left as it was.
 */
void guest_cpu_import_host(struct guest_cpu *cpu, const struct rmt_state *saved);

#endif /* SEGMENTS_TRANSITIONS_H */

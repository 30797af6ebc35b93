/*
 * "Can this real-mode state run in virtual-8086 mode as it is?"
 *
 * vm86 gives every segment register the same hidden part: base = sel << 4,
 * limit 0xFFFF, 16-bit, read/write data, present (SDM Vol. 3A 20.2.1; VM entry
 * demands exactly 0xF3).  Running a real-mode guest in vm86 is faithful only
 * if each register's hidden part already behaves like that, as far as real
 * mode can tell.  What real mode consults of a segment's hidden part
 * (docs/handoff-policy.md, "What real mode consults"):
 *
 *   base                 every access                    must be sel << 4
 *   limit                every access (#GP/#SS beyond)   must be >= 0xFFFF
 *   usable, P            an access through a null-loaded or not-present
 *                        register faults                  must be usable, P=1
 *   S, type              expand-down data flips the limit check; whether
 *                        real mode honours read-only / execute-only is not
 *                        specified, so we insist on writable data or
 *                        readable code                    see above
 *   CS.D                 default operand/address size     must be 0
 *   SS.B                 SP vs ESP for stack operations   must be 0
 *
 * Not consulted: DPL (no privilege checks, CPL 0), the accessed bit, G (the
 * cached limit is already scaled), AVL, and D/B of an expand-up DS/ES/FS/GS.
 *
 * A limit above 0xFFFF — big real mode — fits: vm86 checks every access
 * against 0xFFFF, so an access the two limits agree on (offset <= 0xFFFF)
 * behaves the same, and every other one faults in vm86 (#GP, #SS for SS)
 * before it happens; the monitor then interprets that instruction with the
 * real limit (firmware/run.c).  Faults are precise and REP string
 * instructions restart at the iteration that faulted, so nothing is done
 * twice.  A real-mode segment load keeps the hidden limit (SDM Vol. 3A
 * 20.1.1), as the monitor's model does across vm86.  SeaBIOS returns to
 * real mode with 4 GiB limits: its option ROMs (the VGA BIOS) run in big
 * real mode, and without this every one of their instructions would be
 * interpreted.  A limit below 0xFFFF still does not fit: vm86 would allow
 * what real mode faults on.
 *
 * This answers for the segment registers only; whether the guest is in real
 * mode at all, and the monitor's own IOPL/VME policy, are the caller's.
 */
#ifndef SEGMENTS_VM86_FIT_H
#define SEGMENTS_VM86_FIT_H

#include "segments/guest_cpu.h"

enum vm86_misfit {
	VM86_FITS = 0,
	VM86_MISFIT_BASE,         /* base != sel << 4 */
	VM86_MISFIT_LIMIT_SMALL,  /* limit < 0xFFFF */
	VM86_MISFIT_UNUSABLE,     /* loaded with a null selector in protected mode */
	VM86_MISFIT_NOT_PRESENT,
	VM86_MISFIT_SYSTEM,       /* S = 0 */
	VM86_MISFIT_EXPAND_DOWN,
	VM86_MISFIT_NOT_RW,       /* read-only data or execute-only code */
	VM86_MISFIT_32BIT,        /* CS.D or SS.B set */
};

struct vm86_fit {
	uint8_t blockers;               /* bit (1 << RMT_xx) for each misfit register */
	uint8_t misfit[RMT_LDTR];       /* enum vm86_misfit, per ES..GS (first found) */
};

/* Fill *out; return 1 if all six registers fit (blockers == 0). */
int seg_vm86_fit(const struct guest_cpu *cpu, struct vm86_fit *out);

/* "base != sel<<4" etc., for messages. */
const char *vm86_misfit_name(enum vm86_misfit m);

#endif /* SEGMENTS_VM86_FIT_H */

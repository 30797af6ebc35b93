/*
 * The guest processor as the blob models it.
 *
 * A real-mode guest under rmtramp never has its registers in the hardware
 * exactly as it believes them to be: in vm86 the hidden segment caches hold
 * vm86 values (base sel<<4, limit 0xFFFF, AR 0xF3), CR0.PE is really 1, IOPL
 * and IF are the monitor's.  struct guest_cpu is the truth: what a physical
 * processor running this guest would hold, visible and hidden.  The
 * interpreter executes against it, the segment model updates it, and the
 * handoff record is built from it.
 */
#ifndef SEGMENTS_GUEST_CPU_H
#define SEGMENTS_GUEST_CPU_H

#include <stdint.h>
#include "rmtramp/abi.h"
#include "x86/arch.h"

/* Where a segment register's hidden part came from (DESIGN.md §1.2). */
enum seg_origin {
	SEG_FROM_RESET = 0,   /* power-on/INIT value, never reloaded */
	SEG_FROM_BOOT,        /* as the loader's boot record set it */
	SEG_FROM_REAL,        /* loaded in real-address mode: base = sel<<4, limit and AR kept */
	SEG_FROM_VM86,        /* loaded in the guest's own virtual-8086 mode */
	SEG_FROM_DESCRIPTOR,  /* loaded from a GDT/LDT descriptor in protected mode */
	SEG_FROM_HOST,        /* as the hypervisor saved it at re-entry */
};

struct guest_cpu {
	struct rmt_state s;            /* architectural registers, visible and hidden */
	uint8_t origin[RMT_NSEG];      /* enum seg_origin, per segment register */
	uint8_t cpl;                   /* current privilege level */
	uint8_t a20;                   /* 1 = A20 enabled (address bit 20 not masked) */
	uint8_t reserved[2];
};

#endif /* SEGMENTS_GUEST_CPU_H */

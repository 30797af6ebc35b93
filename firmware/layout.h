/*
 * Build-time constants of the blob's memory layout, shared by C and
 * assembly.  The GDT has the monitor's flat code and data segments and one
 * TSS descriptor per vCPU (no TSS is shared between processors).
 */
#ifndef FIRMWARE_LAYOUT_H
#define FIRMWARE_LAYOUT_H

#define BLOB_MAX_VCPUS       4
#define BLOB_CONTEXT_STRIDE  1024          /* >= sizeof(struct rmt_vcpu_context) */

#define BLOB_CS              0x08          /* flat 32-bit code, DPL 0 */
#define BLOB_DS              0x10          /* flat data, DPL 0 */
#define BLOB_TSS0            0x18          /* vCPU n's TSS is BLOB_TSS0 + 8*n */
#define BLOB_GDT_ENTRIES     (3 + BLOB_MAX_VCPUS)

/*
 * The reserved window at the top of the reference machine (host at
 * 0x0F000000, blob at 0x0F200000; host/memmap.h).  The monitor reaches guest
 * memory identity-mapped, except the first 4 MiB, which it reads and writes
 * through a private alias at MONITOR_LOW_ALIAS (inside the window): the
 * identity pages there are the guest's vm86 view, where the A20 wrap is
 * emulated (a20.c), and the monitor must never see that wrap itself.
 */
#define RESERVED_WINDOW_BASE 0x0F000000u
#define RESERVED_WINDOW_END  0x10000000u
#define MONITOR_LOW_ALIAS    0x0F800000u

#define BLOB_STACK_SIZE      16384
#define BLOB_TRAP_STACK_SIZE 4096          /* one page, page-aligned: see below */

/* The vm86 trap frame (struct vm86_frame): pushad, vector, error code, then
 * what the processor pushes on an interrupt from virtual-8086 mode. */
#define VM86_FRAME_SIZE      (19 * 4)
#define VM86_FRAME_CS        (11 * 4)
#define VM86_FRAME_EFLAGS    (12 * 4)

/*
 * Telling a hardware interrupt from an exception on the same vector.  The
 * BIOS programs the master PIC to vectors 8-15, which are #DF, #TS, #NP,
 * #SS, #GP and #PF in the monitor's IDT.  Those exceptions push an error
 * code, interrupts do not — and the frame always lands at a known place:
 * TSS.ESP0 is the last word of the page-aligned trap stack, so from vm86 the
 * saved EIP sits at page offset 0xFFC - 36 without an error code (the
 * processor pushes EIP CS EFLAGS ESP SS ES DS FS GS) and 4 bytes lower with
 * one.  The monitor's own idle wait (STI; HLT) runs with ESP = ESP0 too, so
 * an interrupt there leaves EIP at 0xFFC - 12.
 */
#define TRAP_STACK_TOP_OFFSET 0xffc
#define VM86_NOERR_EIP_OFFSET (TRAP_STACK_TOP_OFFSET - 36)
#define IDLE_EIP_OFFSET       (TRAP_STACK_TOP_OFFSET - 12)
/* The error-code word of a hardware interrupt that arrived on an exception
 * vector (no real error code has all bits set). */
#define TRAP_IRQ_MARK         0xffffffff

#ifdef RMT_TEST_BAD_SS_RPL
#define BLOB_FEATURES        0x80000000
#else
#define BLOB_FEATURES        0
#endif

#endif

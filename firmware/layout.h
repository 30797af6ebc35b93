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

#define BLOB_STACK_SIZE      16384
#define BLOB_TRAP_STACK_SIZE 4096

/* The vm86 trap frame (struct vm86_frame): pushad, vector, error code, then
 * what the processor pushes on an interrupt from virtual-8086 mode. */
#define VM86_FRAME_SIZE      (19 * 4)
#define VM86_FRAME_CS        (11 * 4)
#define VM86_FRAME_EFLAGS    (12 * 4)

#ifdef RMT_TEST_BAD_SS_RPL
#define BLOB_FEATURES        0x80000000
#else
#define BLOB_FEATURES        0
#endif

#endif

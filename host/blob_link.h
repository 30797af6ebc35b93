/*
 * What the host knows about the rmtramp blob: where it registered, its
 * per-vCPU contexts, and the hypercalls.  This file and blob_link.c are the
 * blob-specific part of the host (docs/integrating.md counts their lines).
 */
#ifndef HOST_BLOB_LINK_H
#define HOST_BLOB_LINK_H

#include "rmtramp/abi.h"
#include "host/vcpu.h"

/* CPUID 0x40000001: register the blob whose header is at `addr`.  Returns 0
 * or RMT_E_BADARG; fills the hypercall stub. */
int blob_register(struct vcpu *v, uint32_t addr, unsigned hypercall_flavour);
struct rmt_vcpu_context *blob_context(unsigned vcpu);
const struct rmt_header *blob_header(void);
/* The guest cleared CR0.PE: hand it to the blob's re-entry point. */
void blob_enter_after_pe_clear(struct vcpu *v, uint32_t new_cr0, unsigned len);
void blob_hypercall(struct vcpu *v, unsigned len);
void blob_print_counters(void);

#endif

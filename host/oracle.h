/*
 * The oracle flavour of the reference host (built with -DHOST_ORACLE into
 * build/host-oracle/host.rom): instead of launching a guest image it
 * VM-enters a list of guest states, one after the other, through the same
 * backend_load_state() the normal host uses, and prints one result line per
 * state.  tests/diff/validator_vs_bochs compares those verdicts, Bochs' own
 * VM-entry checks, with the validator's (docs/validator-vs-bochs.md).
 *
 * This header is the state file's format, shared by the oracle (i386,
 * freestanding) and the hosted generator/comparer (x86-64): only uint32_t
 * fields, so the layout is the same on both.
 *
 * Memory the oracle uses besides the host's own window (0x0F000000-0x0F100000):
 *   ORACLE_FILE_BASE  the state file (Bochs optramimage), up to ORACLE_FILE_MAX
 *   ORACLE_LANDING    one page of HLT (F4) bytes; the generator points every
 *                     state's CS.base+EIP into it and the oracle writes CPUID
 *                     (0F A2) at that byte before the entry, so an entered
 *                     guest exits on its first instruction
 *   ORACLE_ZERO_PAGE  a zeroed page: the CR3 of every state whose own paging
 *                     is on (no present PDE or PDPTE: the PAE PDPTE check
 *                     passes and the first fetch page-faults, which exits)
 * All three keep bit 20 clear and stay out of the host (0x0F000000) and the
 * blob (0x0F200000) windows; the landing page is below 1 MiB so a vm86 CS can
 * reach it.
 */
#ifndef HOST_ORACLE_H
#define HOST_ORACLE_H

#include <stdint.h>
#include "rmtramp/abi.h"

/*
 * Bochs 2.7 loads an optramimage with one read() into the 128 KiB memory
 * block of its start address (memory/misc_mem.cc load_RAM), so a larger file
 * spills into whichever block its host allocator hands out next: only the
 * first 128 KiB land where they should.  The runner therefore cuts a state
 * file into 128 KiB pieces and places them with optramimage1..4 at
 * consecutive 128 KiB-aligned addresses: at most 512 KiB per Bochs run
 * (2259 states); a bigger run is split into batches.
 */
#define ORACLE_FILE_BASE   0x01000000u       /* 16 MiB, 128 KiB aligned */
#define ORACLE_FILE_PIECE  0x00020000u       /* Bochs' memory block */
#define ORACLE_FILE_MAX    (4 * ORACLE_FILE_PIECE)
#define ORACLE_LANDING     0x00007000u
#define ORACLE_LANDING_END 0x00008000u
#define ORACLE_ZERO_PAGE   0x00008000u

#define ORACLE_MAGIC       0x4f544d52u       /* bytes 'R','M','T','O' */
#define ORACLE_VERSION     1u

struct oracle_file_header {
	uint32_t magic;         /* ORACLE_MAGIC */
	uint32_t version;       /* ORACLE_VERSION */
	uint32_t header_size;   /* sizeof(struct oracle_file_header) */
	uint32_t record_size;   /* sizeof(struct oracle_record) */
	uint32_t count;         /* records that follow the header */
	uint32_t first_index;   /* index of the first record (batches) */
	uint32_t seed;          /* the generator's seed, echoed in the output */
	uint32_t reserved;
};

/*
 * One state: the guest-visible record exactly as the blob would hand it to
 * the host (docs/abi.md §2).  The VMCS-view extras the validator takes
 * (injection, DEBUGCTL, IA-32e mode guest, entry to SMM) are all zero on the
 * host path: backend_load_state() injects nothing, the host loads DEBUGCTL 0,
 * and neither control is set.
 */
struct oracle_record {
	uint32_t index;
	uint32_t kind;          /* generator's family/mutation tag, for listings */
	struct rmt_state st;
};

_Static_assert(sizeof(struct oracle_file_header) == 32, "oracle header layout");
_Static_assert(sizeof(struct oracle_record) == 8 + sizeof(struct rmt_state), "oracle record layout");

/*
 * Result lines on port 0xE9, one per state, in order:
 *   "vvb <index> E <exit reason hex>"   entered: an ordinary VM exit followed
 *   "vvb <index> F <reason hex> <qual hex>" VM-entry failure (0x80000021:
 *                                      invalid guest state; qualification 2 =
 *                                      PDPTE load)
 *   "vvb <index> V <VM-instruction error>" VMLAUNCH failed (VMfailValid)
 * then "vvb done <count>".
 */

#ifdef HOST_ORACLE
struct vcpu;
void oracle_main(struct vcpu *v) __attribute__((noreturn));
/* vmx.c, oracle build only. */
void backend_oracle_init(void);
/* VMCLEAR + VMPTRLD: a clear launch state, no pending injection, activity
 * active; call before backend_load_state(). */
void backend_oracle_fresh(void);
/* VMLAUNCH the state backend_load_state() wrote; returns 0 with the exit
 * reason and qualification, or 1 with *reason = the VM-instruction error if
 * VMLAUNCH itself failed (VMfailValid). */
int backend_oracle_enter(struct vcpu *v, uint32_t *reason, uint32_t *qual);
#endif

#endif /* HOST_ORACLE_H */

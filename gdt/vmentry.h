/*
 * The VM-entry guest-state validator.
 *
 * Without "unrestricted guest" a VMLAUNCH/VMRESUME refuses any guest state
 * that breaks one of the checks of SDM Vol. 3C 26.3.1 ("Checks on the Guest
 * State Area"); the processor reports only "exit reason 33, invalid guest
 * state", not which check failed.  The blob must therefore know *before* the
 * handoff hypercall whether the host can enter the state, and say precisely
 * why not when it cannot.  This is that knowledge: one small function per
 * SDM bullet, a table naming each with a stable rule id, and a driver that
 * runs every rule and reports every failure.
 *
 * The rules follow the current SDM text.  Bochs 2.7, the independent
 * implementation the differential tests compare against, deviates in three
 * checks; vmentry_bochs27_deviations() tells a caller when a state is one
 * where the two disagree.  docs/vmentry-validator.md lists all the rules,
 * what is not checked, and why.
 */
#ifndef GDT_VMENTRY_H
#define GDT_VMENTRY_H

#include <stdint.h>
#include "rmtramp/abi.h"

/*
 * What the processor's VMX capability MSRs and the host's VM controls say.
 * The validator never reads an MSR itself: the blob gets these from the
 * build (vmentry_config_penryn), a host may fill them from the real MSRs.
 */
struct vmentry_config {
	uint32_t cr0_fixed0, cr0_fixed1;   /* IA32_VMX_CR0_FIXED0/1 (low halves) */
	uint32_t cr4_fixed0, cr4_fixed1;   /* IA32_VMX_CR4_FIXED0/1 */
	uint8_t maxphyaddr;                /* CPUID.80000008H:EAX[7:0] */
	/* IA32_VMX_MISC bits 8:6 shifted down: bit 0 HLT, bit 1 shutdown,
	 * bit 2 wait-for-SIPI are supported activity states. */
	uint8_t activity_states;
	uint8_t load_efer;                 /* the host uses "load IA32_EFER" */
	uint8_t virtual_nmis;              /* pin-based "virtual NMIs" is 1 */
	uint32_t efer_supported;           /* EFER bits that are not reserved */
	uint8_t sgx;                       /* CPUID.(7,0):EBX.SGX[2]: enclave interruptions */
	uint8_t rtm;                       /* CPUID.(7,0):EBX.RTM[11]: pending-debug bit 16 */
};

#define VMENTRY_ACT_SUPPORTS_HLT        0x1u
#define VMENTRY_ACT_SUPPORTS_SHUTDOWN   0x2u
#define VMENTRY_ACT_SUPPORTS_WAIT_SIPI  0x4u

/*
 * Bochs 2.7's core2_penryn_t9600, the model the test stack runs: CR0 fixed
 * bits from its MSR dump (FIXED0 0x80000021, FIXED1 0xFFFFFFFF); CR4 FIXED0
 * 0x2000 and FIXED1 0x467FF (the CR4 bits the model implements: VME..
 * OSXMMEXCPT, VMXE, SMXE and OSXSAVE, as read from the MSR under Bochs; see
 * docs/vmentry-validator.md); 36 physical-address bits; HLT, shutdown and
 * wait-for-SIPI; no "load IA32_EFER"; virtual NMIs; no SGX, no RTM.
 */
extern const struct vmentry_config vmentry_config_penryn;

/*
 * The guest state exactly as the host writes it into the VMCS ("the VMCS
 * view"), plus the few VM-entry controls the guest-state checks depend on.
 * Build it from the guest-visible record with vmcs_view_from_guest().
 */
struct vmcs_view {
	struct rmt_state s;
	uint32_t entry_intr_info;   /* VM-entry interruption information (SDM 24.8.3); 0 = none */
	uint32_t debugctl;          /* IA32_DEBUGCTL[31:0] as loaded; BTF is bit 1 */
	uint8_t ia32e_mode_guest;   /* VM-entry control "IA-32e mode guest" */
	uint8_t entry_to_smm;       /* VM-entry control "entry to SMM" */
	uint8_t reserved[2];
};

/* VM-entry interruption information (SDM Vol. 3C 24.8.3). */
#define VMX_INTR_INFO_VALID        0x80000000u
#define VMX_INTR_INFO_TYPE_SHIFT   8
#define VMX_INTR_INFO_TYPE_MASK    0x00000700u
#define VMX_INTR_TYPE_EXT_INT      0u
#define VMX_INTR_TYPE_NMI          2u
#define VMX_INTR_TYPE_HW_EXCEPTION 3u
#define VMX_INTR_TYPE_SW_INT       4u
#define VMX_INTR_TYPE_OTHER        7u   /* vector 0: pending MTF VM exit */

/* Interruptibility state (SDM Vol. 3C 24.4.2, Table 24-3). */
#define VMX_INTR_BLOCK_STI     0x1u
#define VMX_INTR_BLOCK_MOV_SS  0x2u
#define VMX_INTR_BLOCK_SMI     0x4u
#define VMX_INTR_BLOCK_NMI     0x8u
#define VMX_INTR_BLOCK_ENCLAVE 0x10u

/* Activity state (SDM Vol. 3C 24.4.2). */
#define VMX_ACTIVITY_ACTIVE    0u
#define VMX_ACTIVITY_HLT       1u
#define VMX_ACTIVITY_SHUTDOWN  2u
#define VMX_ACTIVITY_WAIT_SIPI 3u

/* Pending debug exceptions (SDM Vol. 3C 24.4.2, Table 24-4). */
#define VMX_PENDING_DBG_BS     0x4000u

/*
 * The transformation docs/abi.md prescribes from the guest-visible record to
 * the VMCS guest state: CR0 gains PE, NE and PG, CR4 gains VMXE (the host
 * hides them with read shadows); while the guest's own paging is off the host
 * runs it on identity page tables, so CR3 = identity_cr3, CR4.PSE = 1 (4 MiB
 * pages) and CR4.PAE = 0.  "IA-32e mode guest" follows the guest's EFER.LMA.
 * No injection, DEBUGCTL 0.
 */
void vmcs_view_from_guest(const struct rmt_state *guest, uint32_t identity_cr3,
			  struct vmcs_view *out);

/* ------------------------------------------------------------- report --- */

#define VMENTRY_MAX_FAILURES 24
#define VMENTRY_MSG_MAX      100

struct vmentry_failure {
	const char *rule;               /* stable id, e.g. "seg.ss_rpl_eq_cs_rpl" */
	char msg[VMENTRY_MSG_MAX];      /* "26.3.1.2: SS.RPL (3) != CS.RPL (0)" */
};

struct vmentry_report {
	unsigned failures;              /* how many failed (may exceed what is stored) */
	unsigned stored;                /* entries in fail[] */
	struct vmentry_failure fail[VMENTRY_MAX_FAILURES];
};

/*
 * Run every rule against *v; fill *rep with every failure.  Returns the
 * number of failures: 0 means the processor (as *cfg describes it) enters the
 * state.
 */
unsigned vmentry_validate(const struct vmentry_config *cfg, const struct vmcs_view *v,
			  struct vmentry_report *rep);

/* 1 if the report holds a failure of rule `id`. */
int vmentry_report_has(const struct vmentry_report *rep, const char *id);

/* ------------------------------------------------------- rule catalogue --- */

unsigned vmentry_rule_count(void);
/* Rule i's id and SDM section (e.g. "26.3.1.2"), for listings and tests. */
const char *vmentry_rule_id(unsigned i);
const char *vmentry_rule_sdm(unsigned i);

/* ---------------------------------------------------- Bochs 2.7 deviations --- */

/*
 * Bochs 2.7 (REL_2_7_FINAL) differs from the SDM in three guest-state checks
 * that matter here (reference/vmentry-rules.md §2, items 1-3):
 *
 *   CS_DPL_VS_RPL     rule seg.cs_dpl: Bochs compares CS.DPL with CS.RPL
 *                     (the pre-UG SDM wording) instead of SS.DPL;
 *   DATA_TYPE11_DPL   rule seg.data_dpl_ge_rpl: Bochs applies DPL >= RPL only
 *                     to types 0-10, so a type-11 (execute/read accessed
 *                     code) data register escapes it;
 *   PENDING_DBG_BS    rule dbg.pending_bs: Bochs checks only the reserved
 *                     bits of the pending debug exceptions, never BS against
 *                     TF/BTF (found by tests/diff/validator_vs_bochs).
 *
 * Returns a mask of VMENTRY_BOCHS27_* for the checks on which Bochs 2.7 and
 * the SDM reach different verdicts for *v; 0 if they agree on both.
 */
#define VMENTRY_BOCHS27_CS_DPL_VS_RPL   0x1u
#define VMENTRY_BOCHS27_DATA_TYPE11_DPL 0x2u
#define VMENTRY_BOCHS27_PENDING_DBG_BS  0x4u
unsigned vmentry_bochs27_deviations(const struct vmcs_view *v);

#endif /* GDT_VMENTRY_H */

/*
 * rmtramp hypercall ABI, version 1 — the only file a hypervisor needs from us.
 *
 * docs/abi.md is the normative prose; this header is its machine-readable half.
 * Everything here is little-endian, packed to natural 4-byte alignment, and
 * addressed by guest-physical address (the blob runs identity-mapped, so the
 * addresses it hands the host are physical).
 *
 * The layout is frozen per ABI version: the _Static_asserts at the bottom are
 * the offsets a host written in another language may hard-code.
 */
#ifndef RMTRAMP_ABI_H
#define RMTRAMP_ABI_H

#include <stdint.h>

#define RMT_HEADER_MAGIC   0x504d5452u   /* bytes 'R','T','M','P' */
#define RMT_CONTEXT_MAGIC  0x58435452u   /* bytes 'R','T','C','X' */
#define RMT_BOOT_MAGIC     0x544f4252u   /* bytes 'R','B','O','T' */
#define RMT_ABI_VERSION    1u

/*
 * Segment registers, in the order of the x86 Sreg encoding (ES=0 … GS=5) and
 * then LDTR and TR: the same order as the VMCS guest-state fields, so a host
 * can loop over them.
 */
enum rmt_seg {
	RMT_ES = 0, RMT_CS = 1, RMT_SS = 2, RMT_DS = 3, RMT_FS = 4, RMT_GS = 5,
	RMT_LDTR = 6, RMT_TR = 7,
	RMT_NSEG = 8
};

/*
 * Access rights in the VMCS format (SDM Vol. 3C 24.4.1, "Guest Register
 * State"): bits 7:0 are descriptor byte 5 (type, S, DPL, P), bits 15:12 are
 * the high nibble of descriptor byte 6 (AVL, L, D/B, G), bit 16 is "segment
 * unusable".  Bits 11:8 and 31:17 are reserved and must be zero.
 */
#define RMT_AR_TYPE_MASK   0x0000000fu
#define RMT_AR_S           0x00000010u   /* 1 = code/data, 0 = system */
#define RMT_AR_DPL_SHIFT   5
#define RMT_AR_DPL_MASK    0x00000060u
#define RMT_AR_P           0x00000080u
#define RMT_AR_AVL         0x00001000u
#define RMT_AR_L           0x00002000u
#define RMT_AR_DB          0x00004000u
#define RMT_AR_G           0x00008000u
#define RMT_AR_UNUSABLE    0x00010000u

/* One segment register: visible selector plus the hidden descriptor cache. */
struct rmt_segment {
	uint16_t sel;
	uint16_t reserved;      /* zero */
	uint32_t base;
	uint32_t limit;         /* byte granular, already scaled by G */
	uint32_t ar;            /* RMT_AR_* (VMCS format) */
};

/* GDTR or IDTR. */
struct rmt_dtable {
	uint32_t base;
	uint32_t limit;         /* bits 31:16 must be zero to be enterable */
};

/* General registers, indexed by their ModRM/opcode register number. */
enum rmt_gpr {
	RMT_EAX = 0, RMT_ECX, RMT_EDX, RMT_EBX, RMT_ESP, RMT_EBP, RMT_ESI, RMT_EDI,
	RMT_NGPR
};

/*
 * The state record exchanged in both directions.
 *
 * CR0/CR3/CR4 and EFER are the values the *guest* believes it has: the host
 * adds what VMX without unrestricted guest forces (CR0.PE/NE/PG, CR4.VMXE,
 * identity page tables while the guest's paging is off) and hides it again
 * with read shadows.
 */
struct rmt_state {
	uint32_t gpr[RMT_NGPR];
	uint32_t eip;
	uint32_t eflags;
	uint32_t cr0, cr2, cr3, cr4;
	uint32_t efer_lo, efer_hi;
	struct rmt_dtable gdtr, idtr;
	struct rmt_segment seg[RMT_NSEG];
	uint32_t interruptibility; /* VMCS format: bit 0 blocking by STI, bit 1 by MOV SS */
	uint32_t activity;         /* VMCS format: 0 active, 1 HLT */
	uint32_t pending_dbg;      /* VMCS pending debug exceptions (low 32 bits) */
	uint32_t dr7;
};

/*
 * Hypercalls.  The blob loads EAX with the number and EBX/ECX/EDX with the
 * arguments, then calls the stub at header.hypercall_stub, which the host has
 * filled with VMCALL (0F 01 C1) or VMMCALL (0F 01 D9) followed by RET (C3).
 * The result comes back in EAX; every other register is preserved.
 */
enum rmt_hypercall {
	/*
	 * Enter context.guest of the calling vCPU (a protected-mode state the
	 * blob has checked against the VM-entry rules).  Does not return on
	 * success.  A host that cannot enter the record reports it and stops the
	 * guest; it may instead return RMT_E_BADSTATE.
	 */
	RMT_HC_HANDOFF = 1,
	/*
	 * The blob cannot continue.  EBX = reason (enum rmt_fatal), ECX =
	 * address of a NUL-terminated message of at most RMT_MSG_MAX bytes.
	 * context.guest holds the guest state at the failure.  Does not return.
	 */
	RMT_HC_FATAL = 2,
	/* EBX = address, ECX = length (at most RMT_MSG_MAX): print bytes. */
	RMT_HC_CONSOLE = 3,
};

#define RMT_MSG_MAX 256u

enum rmt_hc_result {
	RMT_OK = 0,
	RMT_E_BADCALL = -1,   /* unknown hypercall number */
	RMT_E_BADARG = -2,    /* an address or length out of range */
	RMT_E_BADSTATE = -3,  /* the handoff record cannot be entered */
};

enum rmt_fatal {
	RMT_FATAL_UNKNOWN_OPCODE = 1,   /* the interpreter met an instruction it cannot run */
	RMT_FATAL_UNHANDLED_TRAP = 2,   /* an exception the blob has no policy for */
	RMT_FATAL_TRIPLE_FAULT = 3,     /* the guest faulted while delivering a fault */
	RMT_FATAL_BAD_STATE = 4,        /* a state the blob refuses (e.g. bad boot record) */
	RMT_FATAL_BLOB_BUG = 5,         /* an internal assertion */
};

/*
 * CPUID leaves the host answers (DESIGN.md §3: "intercept CPUID and report the
 * hypervisor").
 *   0x40000000: EAX = highest leaf (>= 0x40000001), EBX:ECX:EDX = "rmtrampHost!"
 *   0x40000001: register the blob.  In: EBX = address of struct rmt_header.
 *               The host checks magic, version and that the stub lies inside
 *               the image, writes the hypercall instruction into the stub and
 *               returns EAX = 0, EBX = RMT_HCI_VMCALL or RMT_HCI_VMMCALL; or
 *               EAX = RMT_E_BADARG (as uint32_t) and leaves memory untouched.
 *               Once a blob is registered the leaf registers nothing more:
 *               EAX = RMT_E_BADSTATE, EBX = 0 (a guest probing the leaf, or
 *               posing as a blob, changes nothing the host trusts).
 */
#define RMT_CPUID_SIGNATURE 0x40000000u
#define RMT_CPUID_REGISTER  0x40000001u
#define RMT_HCI_VMCALL      1u
#define RMT_HCI_VMMCALL     2u

/*
 * Why the host enters the blob (context.entry_reason).  Cold boot does not go
 * through the host: the loader jumps to header.entry_cold.
 */
enum rmt_entry_reason {
	RMT_ENTRY_NONE = 0,
	/* The guest wrote CR0 with PE=0.  context.guest holds the state *after*
	 * the write (EIP past the instruction, CR0 the new value, segments as the
	 * VMCS had them).  entry_info = the value written. */
	RMT_ENTRY_PE_CLEARED = 1,
	/* The vCPU received INIT then SIPI; entry_info = the SIPI vector. */
	RMT_ENTRY_SIPI = 2,
};

/*
 * Statistics the blob keeps in its context, named so that a host can print
 * them at the end of a run without knowing what they mean.
 */
#define RMT_COUNTER_LIST(X)                                   \
	X(HANDOFFS,     "handoffs")                          \
	X(REENTRIES,    "reentries")                         \
	X(AP_STARTS,    "ap_starts")                         \
	X(TRAP_GP,      "trap_gp")                           \
	X(TRAP_UD,      "trap_ud")                           \
	X(TRAP_DB,      "trap_db")                           \
	X(TRAP_PF,      "trap_pf")                           \
	X(TRAP_OTHER,   "trap_other")                        \
	X(TRAP_IRQ,     "trap_irq")                          \
	X(TRAP_SOFTINT, "trap_softint")                      \
	X(REFLECTED,    "reflected")                         \
	X(INTERPRETED,  "interpreted")                       \
	X(VM86_ENTRIES, "vm86_entries")                      \
	X(HALTS,        "halts")                             \
	X(A20_CHANGES,  "a20_changes")

enum rmt_counter {
#define RMT_COUNTER_ENUM(id, name) RMT_CTR_##id,
	RMT_COUNTER_LIST(RMT_COUNTER_ENUM)
#undef RMT_COUNTER_ENUM
	RMT_NCOUNTERS
};

#define RMT_MAX_COUNTERS 32
_Static_assert(RMT_NCOUNTERS <= RMT_MAX_COUNTERS, "too many counters");

/*
 * Per-vCPU context.  No two processors share one: the blob's stacks, TSS and
 * monitor state are per vCPU too.
 */
struct rmt_vcpu_context {
	uint32_t magic;             /* RMT_CONTEXT_MAGIC, written by the blob */
	uint32_t vcpu;              /* index, written by the blob */
	uint32_t entry_reason;      /* host -> blob: enum rmt_entry_reason */
	uint32_t entry_info;        /* host -> blob: see rmt_entry_reason */
	struct rmt_state guest;     /* both directions */
	/* blob -> host: the state that enters the blob.  The host loads it and
	 * sets EIP to header.entry_reentry (or entry_ap for SIPI). */
	struct rmt_state monitor;
	uint32_t ready;             /* blob -> host: 1 once monitor is valid */
	/* Fixed size, so that new counters never move a field; a host prints
	 * the first RMT_NCOUNTERS it knows names for. */
	uint32_t counters[RMT_MAX_COUNTERS];
};

/* The blob header, at offset 0 of the image. */
struct rmt_header {
	uint8_t  jump[8];           /* a near jump to the cold entry, then padding */
	uint32_t magic;             /* RMT_HEADER_MAGIC */
	uint16_t abi_version;       /* RMT_ABI_VERSION */
	uint16_t header_size;       /* sizeof(struct rmt_header) */
	uint32_t load_addr;         /* physical address the image is linked at */
	uint32_t image_size;        /* bytes in the flat image */
	uint32_t mem_size;          /* bytes reserved from load_addr (image, bss, stacks, tables) */
	uint32_t entry_cold;        /* loader -> blob, flat 32-bit PM, EBX = struct rmt_boot_info * */
	uint32_t entry_reentry;     /* host -> blob, with context.monitor loaded */
	uint32_t entry_ap;          /* host -> blob on SIPI, with context.monitor loaded */
	uint32_t context_base;      /* address of vCPU 0's struct rmt_vcpu_context */
	uint32_t context_stride;    /* bytes between consecutive vCPUs' contexts */
	uint32_t max_vcpus;
	uint32_t hypercall_stub;    /* address of RMT_STUB_SIZE bytes the host fills */
	uint32_t features;          /* RMT_FEAT_* the blob was built with */
};

#define RMT_STUB_SIZE 16u
#define RMT_FEAT_TEST_BAD_SS_RPL  0x80000000u  /* test build: hands off a bad SS.RPL */

/*
 * What the loader gives the blob's cold entry (EBX points at it).  The guest
 * starts in the state `guest` describes: normally real mode at the BIOS reset
 * vector F000:FFF0 with CS.base = 0xFFFF0000, or a boot sector at 0000:7C00.
 */
struct rmt_boot_info {
	uint32_t magic;             /* RMT_BOOT_MAGIC */
	uint32_t size;              /* sizeof(struct rmt_boot_info) */
	uint32_t vcpus;             /* how many vCPUs the machine has */
	uint32_t flags;             /* RMT_BOOT_*; undefined bits must be zero */
	struct rmt_state guest;     /* the guest's initial state */
};

/* Boot flags.  COM1: the blob mirrors its console to the first serial port
 * (0x3F8, 115200 8N1) as well as port 0xE9 — only for guests that do not
 * use COM1 themselves, since the blob would program the UART under them. */
#define RMT_BOOT_CONSOLE_COM1 0x00000001u
/* TRACE: the blob logs every trap and interpreted instruction (CS:EIP and
 * the opcode) — slow and verbose, for debugging a guest that fails. */
#define RMT_BOOT_TRACE        0x00000002u
#define RMT_BOOT_FLAGS_KNOWN  (RMT_BOOT_CONSOLE_COM1 | RMT_BOOT_TRACE)

#define RMT_CHECK_OFFSET(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field " moved")

RMT_CHECK_OFFSET(struct rmt_segment, base, 4);
RMT_CHECK_OFFSET(struct rmt_segment, ar, 12);
_Static_assert(sizeof(struct rmt_segment) == 16, "rmt_segment size");
RMT_CHECK_OFFSET(struct rmt_state, eip, 32);
RMT_CHECK_OFFSET(struct rmt_state, eflags, 36);
RMT_CHECK_OFFSET(struct rmt_state, cr0, 40);
RMT_CHECK_OFFSET(struct rmt_state, efer_lo, 56);
RMT_CHECK_OFFSET(struct rmt_state, gdtr, 64);
RMT_CHECK_OFFSET(struct rmt_state, idtr, 72);
RMT_CHECK_OFFSET(struct rmt_state, seg, 80);
RMT_CHECK_OFFSET(struct rmt_state, interruptibility, 208);
_Static_assert(sizeof(struct rmt_state) == 224, "rmt_state size");
RMT_CHECK_OFFSET(struct rmt_vcpu_context, guest, 16);
RMT_CHECK_OFFSET(struct rmt_vcpu_context, monitor, 240);
RMT_CHECK_OFFSET(struct rmt_vcpu_context, ready, 464);
RMT_CHECK_OFFSET(struct rmt_vcpu_context, counters, 468);
_Static_assert(sizeof(struct rmt_vcpu_context) == 596, "rmt_vcpu_context size");
RMT_CHECK_OFFSET(struct rmt_header, magic, 8);
RMT_CHECK_OFFSET(struct rmt_header, entry_cold, 28);
RMT_CHECK_OFFSET(struct rmt_header, hypercall_stub, 52);
_Static_assert(sizeof(struct rmt_header) == 60, "rmt_header size");

#endif /* RMTRAMP_ABI_H */

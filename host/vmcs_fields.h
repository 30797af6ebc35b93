/*
 * VMCS field encodings (SDM Vol. 3D Appendix B) and the control bits the
 * reference host uses.  Names follow the SDM's field names.
 */
#ifndef HOST_VMCS_FIELDS_H
#define HOST_VMCS_FIELDS_H

/* 16-bit guest and host state: selectors.  Guest ES..TR are 0x800 + 2*seg,
 * in enum rmt_seg order. */
#define VMCS_GUEST_ES_SELECTOR      0x0800
#define VMCS_HOST_ES_SELECTOR       0x0c00
#define VMCS_HOST_CS_SELECTOR       0x0c02
#define VMCS_HOST_SS_SELECTOR       0x0c04
#define VMCS_HOST_DS_SELECTOR       0x0c06
#define VMCS_HOST_FS_SELECTOR       0x0c08
#define VMCS_HOST_GS_SELECTOR       0x0c0a
#define VMCS_HOST_TR_SELECTOR       0x0c0c

/* 64-bit fields: in 32-bit mode written as the "full" encoding, then the
 * "high" one (encoding + 1). */
#define VMCS_IO_BITMAP_A            0x2000
#define VMCS_IO_BITMAP_B            0x2002
#define VMCS_MSR_BITMAP             0x2004
#define VMCS_LINK_POINTER           0x2800
#define VMCS_GUEST_DEBUGCTL         0x2802

/* 32-bit control fields */
#define VMCS_PIN_CONTROLS           0x4000
#define VMCS_PROC_CONTROLS          0x4002
#define VMCS_EXCEPTION_BITMAP       0x4004
#define VMCS_PF_ERROR_MASK          0x4006
#define VMCS_PF_ERROR_MATCH         0x4008
#define VMCS_CR3_TARGET_COUNT       0x400a
#define VMCS_EXIT_CONTROLS          0x400c
#define VMCS_EXIT_MSR_STORE_COUNT   0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT    0x4010
#define VMCS_ENTRY_CONTROLS         0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT   0x4014
#define VMCS_ENTRY_INTR_INFO        0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR  0x4018
#define VMCS_ENTRY_INSTR_LENGTH     0x401a

/* 32-bit read-only data fields */
#define VMCS_INSTRUCTION_ERROR      0x4400
#define VMCS_EXIT_REASON            0x4402
#define VMCS_EXIT_INTR_INFO         0x4404
#define VMCS_EXIT_INTR_ERROR        0x4406
#define VMCS_IDT_VECTORING_INFO     0x4408
#define VMCS_EXIT_INSTR_LENGTH      0x440c

/* 32-bit guest state: limits and access rights, 0x4800 + 2*seg and
 * 0x4814 + 2*seg in enum rmt_seg order. */
#define VMCS_GUEST_ES_LIMIT         0x4800
#define VMCS_GUEST_GDTR_LIMIT       0x4810
#define VMCS_GUEST_IDTR_LIMIT       0x4812
#define VMCS_GUEST_ES_AR            0x4814
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY         0x4826
#define VMCS_GUEST_SYSENTER_CS      0x482a
#define VMCS_HOST_SYSENTER_CS       0x4c00

/* Natural-width fields */
#define VMCS_CR0_MASK               0x6000
#define VMCS_CR4_MASK               0x6002
#define VMCS_CR0_SHADOW             0x6004
#define VMCS_CR4_SHADOW             0x6006
#define VMCS_EXIT_QUALIFICATION     0x6400
#define VMCS_GUEST_LINEAR_ADDRESS   0x640a
#define VMCS_GUEST_CR0              0x6800
#define VMCS_GUEST_CR3              0x6802
#define VMCS_GUEST_CR4              0x6804
#define VMCS_GUEST_ES_BASE          0x6806   /* + 2*seg */
#define VMCS_GUEST_GDTR_BASE        0x6816
#define VMCS_GUEST_IDTR_BASE        0x6818
#define VMCS_GUEST_DR7              0x681a
#define VMCS_GUEST_RSP              0x681c
#define VMCS_GUEST_RIP              0x681e
#define VMCS_GUEST_RFLAGS           0x6820
#define VMCS_GUEST_PENDING_DBG      0x6822
#define VMCS_GUEST_SYSENTER_ESP     0x6824
#define VMCS_GUEST_SYSENTER_EIP     0x6826
#define VMCS_HOST_CR0               0x6c00
#define VMCS_HOST_CR3               0x6c02
#define VMCS_HOST_CR4               0x6c04
#define VMCS_HOST_FS_BASE           0x6c06
#define VMCS_HOST_GS_BASE           0x6c08
#define VMCS_HOST_TR_BASE           0x6c0a
#define VMCS_HOST_GDTR_BASE         0x6c0c
#define VMCS_HOST_IDTR_BASE         0x6c0e
#define VMCS_HOST_SYSENTER_ESP      0x6c10
#define VMCS_HOST_SYSENTER_EIP      0x6c12
#define VMCS_HOST_RSP               0x6c14
#define VMCS_HOST_RIP               0x6c16

/* Capability MSRs (SDM Vol. 3D Appendix A) */
#define MSR_FEATURE_CONTROL         0x03a
#define MSR_VMX_BASIC               0x480
#define MSR_VMX_PINBASED            0x481
#define MSR_VMX_PROCBASED           0x482
#define MSR_VMX_EXIT                0x483
#define MSR_VMX_ENTRY               0x484
#define MSR_VMX_CR0_FIXED0          0x486
#define MSR_VMX_CR0_FIXED1          0x487
#define MSR_VMX_CR4_FIXED0          0x488
#define MSR_VMX_CR4_FIXED1          0x489
#define MSR_VMX_TRUE_PINBASED       0x48d
#define MSR_VMX_TRUE_PROCBASED      0x48e
#define MSR_VMX_TRUE_EXIT           0x48f
#define MSR_VMX_TRUE_ENTRY          0x490
#define VMX_BASIC_TRUE_CTLS         (1u << 23)  /* bit 55 of the 64-bit MSR */

/* Primary processor-based controls */
#define PROC_HLT_EXITING            (1u << 7)
#define PROC_CR3_LOAD_EXITING       (1u << 15)
#define PROC_CR3_STORE_EXITING      (1u << 16)
#define PROC_USE_IO_BITMAPS         (1u << 25)
#define PROC_USE_MSR_BITMAPS        (1u << 28)
#define EXIT_HOST_ADDRESS_SPACE_SIZE (1u << 9)  /* a 64-bit host */
#define ENTRY_IA32E_MODE_GUEST      (1u << 9)
#define PROC_USE_MSR_BITMAPS        (1u << 28)

/* Basic exit reasons (SDM Vol. 3D Appendix C) */
#define EXIT_EXCEPTION_NMI          0
#define EXIT_EXTERNAL_INTERRUPT     1
#define EXIT_TRIPLE_FAULT           2
#define EXIT_INIT                   3
#define EXIT_SIPI                   4
#define EXIT_CPUID                  10
#define EXIT_HLT                    12
#define EXIT_VMCALL                 18
#define EXIT_CR_ACCESS              28
#define EXIT_IO                     30
#define EXIT_RDMSR                  31
#define EXIT_WRMSR                  32
#define EXIT_ENTRY_FAIL_GUEST       33
#define EXIT_XSETBV                 55
#define EXIT_ENTRY_FAIL_MSR         34
#define EXIT_REASON_ENTRY_FAILURE   0x80000000u

#endif /* HOST_VMCS_FIELDS_H */

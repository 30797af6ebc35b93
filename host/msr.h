/* The host's MSR policy (msr.c): what a guest reaches directly, what the
 * host executes for it, what it emulates (EFER), what it refuses. */
#ifndef HOST_MSR_H
#define HOST_MSR_H
#include <stdint.h>

#define MSR_EFER            0xc0000080u
#define MSR_STAR            0xc0000081u
#define MSR_LSTAR           0xc0000082u
#define MSR_CSTAR           0xc0000083u
#define MSR_SFMASK          0xc0000084u
#define MSR_FS_BASE         0xc0000100u
#define MSR_GS_BASE         0xc0000101u
#define MSR_KERNEL_GS_BASE  0xc0000102u
#define MSR_SYSENTER_CS     0x174u
#define MSR_SYSENTER_ESP    0x175u
#define MSR_SYSENTER_EIP    0x176u

/* MSRs the guest reads and writes without an exit (the backends' MSR
 * bitmaps clear their bits). */
extern const uint32_t msr_direct[];
extern const unsigned msr_direct_count;

#endif

/*
 * The oracle flavour of the reference host (-DHOST_ORACLE; the normal host
 * compiles this file to nothing).  See host/oracle.h and
 * docs/validator-vs-bochs.md.
 *
 * For each record of the state file Bochs placed at ORACLE_FILE_BASE:
 *   1. a fresh VMCS launch state (backend_oracle_fresh);
 *   2. CPUID (0F A2) at the landing byte CS.base+EIP, HLT everywhere else
 *      in the landing page;
 *   3. backend_load_state() — the very function the normal host enters every
 *      state with, so the oracle tests exactly the host's VMCS writes;
 *   4. VMLAUNCH and one line: entered (any ordinary exit), refused (exit
 *      reason 0x80000021, whose field Bochs names in its log), or VMfail.
 * Nothing of one state survives into the next: the VMCS guest area is
 * rewritten whole, the launch state is cleared, injection and activity are
 * reset, the landing byte is restored.
 */
#ifdef HOST_ORACLE
#include <stdint.h>
#include "x86/arch.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "host/console.h"
#include "host/cpu.h"
#include "host/oracle.h"
#include "host/vcpu.h"
#include "host/vmcs_fields.h"

#define OP_HLT 0xf4

static void oracle_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void oracle_line(const char *fmt, ...)
{
	char buf[96];
	va_list ap;

	va_start(ap, fmt);
	rmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	host_puts(buf);
}

static int in_landing(uint32_t a)
{
	return a >= ORACLE_LANDING && a + 1 < ORACLE_LANDING_END;
}

/*
 * Bochs 2.7 sets its virtual-NMI blocking from interruptibility bit 3 at VM
 * entry but never clears it there (SDM 26.7.1: blocking is in effect iff bit
 * 3 is 1); only a guest IRET clears it.  After an entered state with bit 3,
 * the oracle therefore enters this state once: flat ring 0 at an IRET (CF)
 * in the landing page with its stack in the zero page, so the IRET lifts the
 * blocking and then pops CS = 0 and exits with #GP.  Without it the next
 * states' NMI-window exits would never come and a state entered in HLT would
 * never wake.
 */
#define CLEANUP_EIP (ORACLE_LANDING_END - 8)

static void cleanup_state(struct rmt_state *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned s = RMT_ES; s <= RMT_GS; s++) {
		st->seg[s].sel = 0x10;
		st->seg[s].limit = 0xffffffff;
		st->seg[s].ar = 0xc093;
	}
	st->seg[RMT_CS].sel = 0x08;
	st->seg[RMT_CS].ar = 0xc09b;
	st->seg[RMT_LDTR].ar = RMT_AR_UNUSABLE;
	st->seg[RMT_TR].sel = 0x18;
	st->seg[RMT_TR].limit = 0x67;
	st->seg[RMT_TR].ar = 0x8b;
	st->eip = CLEANUP_EIP;
	st->gpr[RMT_ESP] = ORACLE_ZERO_PAGE + 0x800;
	st->eflags = X86_FL_FIXED;
	st->cr0 = X86_CR0_PE | X86_CR0_ET;
	st->dr7 = 0x400;
}

static unsigned cleanups;

static void lift_virtual_nmi_blocking(struct vcpu *v, uint32_t index)
{
	static struct rmt_state st;
	uint8_t *at = (uint8_t *)CLEANUP_EIP;
	uint32_t reason, qual;

	cleanup_state(&st);
	*at = 0xcf;                     /* IRET */
	backend_oracle_fresh();
	backend_load_state(v, &st);
	if (backend_oracle_enter(v, &reason, &qual) || reason != EXIT_EXCEPTION_NMI) {
		host_printf("FATAL: oracle: cleanup after state %u: exit reason 0x%x\n", index, reason);
		host_stop(1);
	}
	*at = OP_HLT;
	cleanups++;
}

void oracle_main(struct vcpu *v)
{
	const struct oracle_file_header *h = (const void *)ORACLE_FILE_BASE;
	const struct oracle_record *rec = (const void *)(ORACLE_FILE_BASE + sizeof(*h));
	uint8_t *landing = (uint8_t *)ORACLE_LANDING;
	unsigned entered = 0, refused = 0, vmfail = 0, off_landing = 0;

	if (backend != &vmx_backend) {
		host_printf("FATAL: oracle: the oracle needs the VT-x backend (Bochs, core2_penryn_t9600)\n");
		host_stop(1);
	}
	if (h->magic != ORACLE_MAGIC || h->version != ORACLE_VERSION ||
	    h->header_size != sizeof(*h) || h->record_size != sizeof(*rec) ||
	    (uint64_t)h->count * sizeof(*rec) + sizeof(*h) > ORACLE_FILE_MAX) {
		host_printf("FATAL: oracle: no valid state file at 0x%08x (magic 0x%08x)\n",
			    ORACLE_FILE_BASE, h->magic);
		host_stop(1);
	}
	host_printf("oracle: %u states from index %u, seed %u, identity_cr3=0x%08x\n",
		    h->count, h->first_index, h->seed, guest_identity_cr3);
	backend_oracle_init();
	memset(landing, OP_HLT, ORACLE_LANDING_END - ORACLE_LANDING);
	memset((void *)ORACLE_ZERO_PAGE, 0, 4096);

	for (uint32_t i = 0; i < h->count; i++) {
		const struct rmt_state *st = &rec[i].st;
		uint32_t at = st->seg[RMT_CS].base + st->eip, reason, qual;
		int failed;

		backend_oracle_fresh();
		if (in_landing(at)) {
			landing[at - ORACLE_LANDING] = 0x0f;
			landing[at - ORACLE_LANDING + 1] = 0xa2;
		} else {
			off_landing++;
		}
		backend_load_state(v, st);
		failed = backend_oracle_enter(v, &reason, &qual);
		if (in_landing(at)) {
			landing[at - ORACLE_LANDING] = OP_HLT;
			landing[at - ORACLE_LANDING + 1] = OP_HLT;
		}
		if (failed) {
			vmfail++;
			oracle_line("vvb %u V %x\n", rec[i].index, reason);
		} else if (reason & EXIT_REASON_ENTRY_FAILURE) {
			refused++;
			oracle_line("vvb %u F %x %x\n", rec[i].index, reason, qual);
		} else {
			entered++;
			oracle_line("vvb %u E %x\n", rec[i].index, reason);
			if (st->interruptibility & 8)
				lift_virtual_nmi_blocking(v, rec[i].index);
		}
	}
	oracle_line("vvb done %u\n", h->count);
	host_printf("oracle: entered=%u refused=%u vmfail=%u off-landing=%u cleanups=%u\n",
		    entered, refused, vmfail, off_landing, cleanups);
	host_stop(0);
}
#endif /* HOST_ORACLE */

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

void oracle_main(struct vcpu *v)
{
	const struct oracle_file_header *h = (const void *)ORACLE_FILE_BASE;
	const struct oracle_record *rec = (const void *)(ORACLE_FILE_BASE + sizeof(*h));
	uint8_t *landing = (uint8_t *)ORACLE_LANDING;
	unsigned entered = 0, refused = 0, vmfail = 0, off_landing = 0;

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
		}
	}
	oracle_line("vvb done %u\n", h->count);
	host_printf("oracle: entered=%u refused=%u vmfail=%u off-landing=%u\n", entered, refused,
		    vmfail, off_landing);
	host_stop(0);
}
#endif /* HOST_ORACLE */

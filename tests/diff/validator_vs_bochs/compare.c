/*
 * vvb-compare: the validator's verdicts against Bochs' (docs/validator-vs-bochs.md).
 *
 *   vvb-compare BATCHDIR...
 *
 * Each BATCHDIR holds states.bin (vvb-gen), console.txt (the oracle's port
 * 0xE9 lines) and bochs.log.  For every state it runs
 * vmcs_view_from_guest() + vmentry_validate() — the blob's own check — on the
 * very record the oracle handed to backend_load_state(), and compares:
 *
 *   agree            same verdict; when both refuse, the field Bochs' log
 *                    names (Bochs stops at its first failing check) is one of
 *                    the rules the validator reports
 *   bochs-deviation  a different verdict, or a different reason, that
 *                    vmentry_bochs27_deviations() flags for this state and
 *                    that the flagged check alone accounts for: Bochs 2.7's
 *                    documented departures from the SDM, listed by case
 *   unexplained      anything else (the test fails)
 *
 * Then the per-rule coverage (states on which each rule fails), Bochs'
 * reasons, and as the last line
 *   validator-vs-bochs: states=N agree=A bochs-deviation=D unexplained=U
 * Exit status 0 iff U = 0 and every state got exactly one verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdt/vmentry.h"
#include "vvb.h"

#define MAX_LIST 12

/* --------------------------------------------------- Bochs' reasons --- */

/*
 * Bochs 2.7 VMenterLoadCheckGuestState() messages (after "VMENTER FAIL: ")
 * and the validator rules each corresponds to.  Order matters: the first
 * matching substring wins.
 */
static const struct {
	const char *needle;
	const char *rules[3];
} reasons[] = {
	{ "RFLAGS reserved bits", { "rflags.reserved" } },
	{ "RFLAGS[1] cleared", { "rflags.bit1" } },
	{ "invalid CR0", { "cr.cr0_fixed0", "cr.cr0_fixed1" } },
	{ "invalid CR4", { "cr.cr4_fixed0", "cr.cr4_fixed1" } },
	{ "CR4.PCIDE set", { "cr.pcide_needs_ia32e" } },
	{ "v8086 guest bad", { "seg.v8086_base" } },
	{ "LIMIT != 0xFFFF", { "seg.v8086_limit" } },
	{ "AR != 0xF3", { "seg.v8086_ar" } },
	{ "LDTR.TI set", { "seg.ldtr_ti" } },
	{ "incorrect LDTR type", { "seg.ldtr_type" } },
	{ "LDTR is not system segment", { "seg.ldtr_s" } },
	{ "LDTR not present", { "seg.ldtr_present" } },
	{ "LDTR.AR/LIMIT malformed", { "seg.ldtr_ar_reserved", "seg.ldtr_granularity" } },
	{ "TR invalid", { "seg.tr_usable" } },
	{ "TR.TI set", { "seg.tr_ti" } },
	{ "TR is not system segment", { "seg.tr_s" } },
	{ "TR not present", { "seg.tr_present" } },
	{ "TR.AR/LIMIT malformed", { "seg.tr_ar_reserved", "seg.tr_granularity" } },
	{ "incorrect TR type", { "seg.tr_type" } },
	{ "not segment", { "seg.s" } },
	{ "not present", { "seg.present" } },
	{ "AR/LIMIT malformed", { "seg.ar_reserved", "seg.granularity" } },
	{ "non-conforming CS.RPL", { "seg.cs_dpl" } },    /* both CS messages say non-conforming */
	{ "CS.TYPE", { "seg.cs_type" } },
	{ "SS.TYPE", { "seg.ss_type" } },
	{ "not ACCESSED", { "seg.data_accessed" } },
	{ "not READABLE", { "seg.data_code_readable" } },
	{ "non-conforming", { "seg.data_dpl_ge_rpl" } },  /* "non-conforming %s.RPL < %s.DPL" */
	{ "CS.RPL != SS.RPL", { "seg.ss_rpl_eq_cs_rpl" } },
	{ "SS.RPL <> SS.DPL", { "seg.ss_dpl_eq_rpl" } },
	{ "GDTR/IDTR limit", { "dtr.gdtr_limit", "dtr.idtr_limit" } },
	{ "tmpDR6 reserved bits", { "dbg.pending_reserved", "dbg.pending_rtm" } },
	{ "activity state", { "act.range" } },          /* "guest activity state %d" */
	{ "HLT state with SS.DPL", { "act.hlt_needs_ss_dpl0" } },
	{ "entering non active CPU state", { "act.blocking_needs_active" } },
	{ "can't be blocked by STI", { "intr.sti_needs_if" } },
	{ "interruptibility state broken", { "intr.reserved", "intr.sti_and_movss", "intr.enclave" } },
	{ "SMI blocked when not in SMM", { "intr.smi_outside_smm" } },
};

#define NREASONS (sizeof(reasons) / sizeof(reasons[0]))

static int reason_index(const char *msg)
{
	/* "activity state" also occurs in the blocking message: test that first */
	for (unsigned i = 0; i < NREASONS; i++) {
		if (!strcmp(reasons[i].needle, "activity state") &&
		    strstr(msg, "entering non active CPU state"))
			continue;
		if (strstr(msg, reasons[i].needle))
			return (int)i;
	}
	return -1;
}

/* ------------------------------------------------------- deviations --- */

static const struct {
	unsigned flag;
	const char *name;
	const char *rule;       /* the validator rule whose verdict differs */
	const char *bochs;      /* Bochs' message for it, when Bochs is the stricter one */
} deviations[] = {
	{ VMENTRY_BOCHS27_CS_DPL_VS_RPL, "cs-dpl-vs-rpl", "seg.cs_dpl", "non-conforming CS.RPL" },
	{ VMENTRY_BOCHS27_DATA_TYPE11_DPL, "data-type11-dpl", "seg.data_dpl_ge_rpl", 0 },
#ifdef VMENTRY_BOCHS27_PENDING_DBG_BS
	{ VMENTRY_BOCHS27_PENDING_DBG_BS, "pending-dbg-bs", "dbg.pending_bs", 0 },
#endif
};
#define NDEV (sizeof(deviations) / sizeof(deviations[0]))

/* Is `rule` one whose verdict a flagged deviation changes? */
static int rule_deviates(const char *rule, unsigned mask)
{
	for (unsigned d = 0; d < NDEV; d++)
		if ((mask & deviations[d].flag) && !strcmp(rule, deviations[d].rule))
			return 1;
	return 0;
}

static const char *mask_names(unsigned mask)
{
	static char buf[128];

	buf[0] = 0;
	for (unsigned d = 0; d < NDEV; d++)
		if (mask & deviations[d].flag) {
			if (buf[0])
				strcat(buf, "+");
			strcat(buf, deviations[d].name);
		}
	return buf[0] ? buf : "none";
}

/* ------------------------------------------------------------ input --- */

struct verdict {
	char what;              /* 'E' entered, 'F' refused, 'V' VMfail, 0 none */
	uint32_t code, qual;
	char reason[160];       /* Bochs' log line for an 'F' */
};

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return 0;
	}
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* --------------------------------------------------------- coverage --- */

static unsigned cover[128];         /* states failing rule i (validator) */
static unsigned bochs_reason[NREASONS + 1];

/* Rules the host path cannot make fail, and why (docs/validator-vs-bochs.md). */
static const char *unreachable(const char *rule)
{
	static const struct { const char *rule, *why; } u[] = {
		{ "cr.cr0_fixed0", "the host forces CR0.PE/NE/PG" },
		{ "cr.cr0_fixed1", "Penryn's CR0_FIXED1 is all ones" },
		{ "cr.cr0_pg_needs_pe", "the host forces CR0.PE/PG" },
		{ "cr.cr4_fixed0", "the host forces CR4.VMXE" },
		{ "cr.ia32e_needs_pg_pae", "no IA-32e guest (EFER.LMA kept 0)" },
		{ "cr.cr3_width", "32-bit CR3 within MAXPHYADDR 36" },
		{ "msr.efer_reserved", "Penryn has no \"load IA32_EFER\"" },
		{ "msr.efer_lma", "Penryn has no \"load IA32_EFER\"" },
		{ "msr.efer_lme", "Penryn has no \"load IA32_EFER\"" },
		{ "seg.cs_db_with_l", "no IA-32e guest" },
		{ "rflags.vm", "no IA-32e guest and CR0.PE forced" },
		{ "rflags.if_for_extint", "the host injects nothing" },
		{ "act.supported", "Penryn supports HLT, shutdown, wait-for-SIPI" },
		{ "act.event_deliverable", "the host injects nothing" },
		{ "intr.extint_unblocked", "the host injects nothing" },
		{ "intr.nmi_no_movss", "the host injects nothing" },
		{ "intr.vnmi_blocking", "the host injects nothing" },
	};
	for (unsigned i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (!strcmp(rule, u[i].rule))
			return u[i].why;
	return 0;
}

static int rule_number(const char *id)
{
	for (unsigned i = 0; i < vmentry_rule_count(); i++)
		if (!strcmp(vmentry_rule_id(i), id))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------- main --- */

static unsigned n_states, n_agree, n_dev, n_unexpl, n_listed_unexpl;
static unsigned dev_count[NDEV][2];     /* [deviation][0 verdict, 1 reason only] */
static unsigned dev_listed[NDEV];
static unsigned both_enter, both_refuse;

static void print_failures(const struct vmentry_report *rep)
{
	for (unsigned i = 0; i < rep->stored; i++)
		printf("      validator: %s: %s\n", rep->fail[i].rule, rep->fail[i].msg);
	if (!rep->failures)
		printf("      validator: enters\n");
}

static void judge(const struct oracle_record *r, const struct verdict *b, uint32_t identity_cr3)
{
	static struct vmcs_view view;
	static struct vmentry_report rep;
	unsigned nfail, dev;
	int v_enter, b_enter, ri = -1, explained = -1, reason_only = 0;
	const char *why = 0;

	n_states++;
	vmcs_view_from_guest(&r->st, identity_cr3, &view);
	nfail = vmentry_validate(&vmentry_config_penryn, &view, &rep);
	dev = vmentry_bochs27_deviations(&view);
	for (unsigned i = 0; i < rep.stored; i++) {
		int k = rule_number(rep.fail[i].rule);
		int seen = 0;

		for (unsigned j = 0; j < i; j++)
			seen |= !strcmp(rep.fail[j].rule, rep.fail[i].rule);
		if (k >= 0 && !seen)
			cover[k]++;
	}
	v_enter = nfail == 0;
	b_enter = b->what == 'E';
	if (b->what == 'F') {
		ri = reason_index(b->reason);
		bochs_reason[ri < 0 ? NREASONS : (unsigned)ri]++;
	}

	if (b->what != 'E' && b->what != 'F') {
		why = b->what == 'V' ? "VMLAUNCH failed (VMfailValid)" : "no verdict from the oracle";
	} else if (v_enter == b_enter) {
		if (b_enter) {
			both_enter++;
			n_agree++;
			return;
		}
		/* both refuse: is Bochs' first failing check one the validator reports? */
		if (ri >= 0) {
			for (unsigned k = 0; k < 3 && reasons[ri].rules[k]; k++)
				if (vmentry_report_has(&rep, reasons[ri].rules[k])) {
					both_refuse++;
					n_agree++;
					return;
				}
		}
		/* Bochs refused on a deviating check the validator passes */
		for (unsigned d = 0; d < NDEV; d++)
			if ((dev & deviations[d].flag) && deviations[d].bochs && ri >= 0 &&
			    strstr(b->reason, deviations[d].bochs)) {
				explained = (int)d;
				reason_only = 1;
			}
		if (explained < 0)
			why = ri < 0 ? "Bochs' reason is not in the table" :
				       "Bochs refused for a reason the validator does not report";
	} else if (!v_enter && b_enter) {
		/* the validator refuses, Bochs enters: every failing rule must be one
		 * whose verdict a flagged deviation reverses */
		int all = rep.failures == rep.stored && rep.stored > 0;

		for (unsigned i = 0; i < rep.stored; i++)
			all &= rule_deviates(rep.fail[i].rule, dev);
		if (all)
			for (unsigned d = 0; d < NDEV; d++)
				if (dev & deviations[d].flag) {
					explained = (int)d;
					break;
				}
		if (explained < 0)
			why = "the validator refuses a state Bochs enters";
	} else {
		/* the validator enters, Bochs refuses */
		for (unsigned d = 0; d < NDEV; d++)
			if ((dev & deviations[d].flag) && deviations[d].bochs &&
			    strstr(b->reason, deviations[d].bochs))
				explained = (int)d;
		if (explained < 0)
			why = "Bochs refuses a state the validator enters";
	}

	if (explained >= 0) {
		n_dev++;
		dev_count[explained][reason_only]++;
		if (dev_listed[explained]++ < 3) {
			printf("  bochs-deviation %s (%s): state %u (%s): Bochs %s%s%s\n",
			       deviations[explained].name, reason_only ? "reason" : "verdict",
			       r->index, vvb_kind_name(r->kind), b_enter ? "enters" : "refuses",
			       b_enter ? "" : ": ", b_enter ? "" : b->reason);
			print_failures(&rep);
		}
		return;
	}
	n_unexpl++;
	if (n_listed_unexpl++ < 40) {
		printf("  UNEXPLAINED state %u (%s): %s; deviations %s\n", r->index,
		       vvb_kind_name(r->kind), why, mask_names(dev));
		if (b->what == 'F')
			printf("      bochs: refuses: %s\n", b->reason);
		else
			printf("      bochs: %c 0x%x\n", b->what ? b->what : '-', b->code);
		print_failures(&rep);
		printf("      state: eflags=%08x cr0=%08x cr4=%08x intr=%x act=%x pdbg=%x\n",
		       r->st.eflags, r->st.cr0, r->st.cr4, r->st.interruptibility,
		       r->st.activity, r->st.pending_dbg);
		for (unsigned s = 0; s < RMT_NSEG; s++)
			printf("      %-4s sel=%04x base=%08x limit=%08x ar=%05x\n",
			       (const char *[]){ "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" }[s],
			       r->st.seg[s].sel, r->st.seg[s].base, r->st.seg[s].limit, r->st.seg[s].ar);
	}
}

static int do_batch(const char *dir)
{
	char path[4096];
	size_t len, clen, llen;
	const struct oracle_file_header *h;
	const struct oracle_record *rec;
	char *file, *con, *log, *p;
	struct verdict *v;
	uint32_t identity_cr3 = 0;
	unsigned nrefused = 0, nreasons = 0, done = 0;

	snprintf(path, sizeof(path), "%s/states.bin", dir);
	file = slurp(path, &len);
	if (!file) {
		fprintf(stderr, "vvb-compare: cannot read %s\n", path);
		return -1;
	}
	h = (const void *)file;
	rec = (const void *)(file + sizeof(*h));
	if (len < sizeof(*h) || h->magic != ORACLE_MAGIC || h->record_size != sizeof(*rec) ||
	    len != sizeof(*h) + (size_t)h->count * sizeof(*rec)) {
		fprintf(stderr, "vvb-compare: %s is not a state file\n", path);
		return -1;
	}
	v = calloc(h->count ? h->count : 1, sizeof(*v));
	snprintf(path, sizeof(path), "%s/console.txt", dir);
	con = slurp(path, &clen);
	snprintf(path, sizeof(path), "%s/bochs.log", dir);
	log = slurp(path, &llen);
	if (!v || !con || !log) {
		fprintf(stderr, "vvb-compare: cannot read %s/console.txt or bochs.log\n", dir);
		return -1;
	}

	/* the oracle's lines, in order; the refused ones take Bochs' log
	 * reasons in the same order */
	{
		char *lp = log;

		for (p = strtok(con, "\n"); p; p = strtok(0, "\n")) {
			unsigned idx, code = 0, qual = 0;
			char what;
			char *q;

			if ((q = strstr(p, "identity_cr3=0x")))
				identity_cr3 = (uint32_t)strtoul(q + 15, 0, 16);
			if (!strncmp(p, "vvb done", 8))
				done = 1;
			if (sscanf(p, "vvb %u %c %x %x", &idx, &what, &code, &qual) < 3)
				continue;
			if (idx < h->first_index || idx - h->first_index >= h->count ||
			    v[idx - h->first_index].what) {
				fprintf(stderr, "vvb-compare: %s: unexpected line '%s'\n", dir, p);
				return -1;
			}
			v[idx - h->first_index].what = what;
			v[idx - h->first_index].code = code;
			v[idx - h->first_index].qual = qual;
			if (what == 'F') {
				/* next "VMENTER FAIL: " or "VMENTER: " line of bochs.log */
				char *m = 0, *e1 = strstr(lp, "VMENTER FAIL: "), *e2 = strstr(lp, "VMENTER: ");
				m = !e1 ? e2 : !e2 ? e1 : e1 < e2 ? e1 : e2;
				nrefused++;
				if (m) {
					char *eol = strchr(m, '\n');
					size_t n = eol ? (size_t)(eol - m) : strlen(m);
					if (n >= sizeof(v[0].reason))
						n = sizeof(v[0].reason) - 1;
					memcpy(v[idx - h->first_index].reason, m, n);
					lp = m + n;
					nreasons++;
				}
			}
		}
		if (strstr(lp, "VMENTER FAIL: ") || strstr(lp, "VMENTER: "))
			nreasons = ~0u;
	}
	if (nreasons != nrefused || !done) {
		fprintf(stderr, "vvb-compare: %s: %u refused entries but %s Bochs reasons%s\n", dir,
			nrefused, nreasons == ~0u ? "more" : "fewer",
			done ? "" : "; the oracle did not finish (timeout or crash?)");
		if (nreasons == ~0u)
			return -1;
	}
	for (uint32_t i = 0; i < h->count; i++)
		judge(&rec[i], &v[i], identity_cr3);
	free(v);
	free(file);
	free(con);
	free(log);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: vvb-compare BATCHDIR...\n");
		return 2;
	}
	printf("disagreements (at most 3 listed per deviation, 40 unexplained):\n");
	for (int i = 1; i < argc; i++)
		if (do_batch(argv[i]))
			bad = 1;

	printf("verdicts: both enter %u, both refuse %u (same reason)\n", both_enter, both_refuse);
	for (unsigned d = 0; d < NDEV; d++)
		printf("bochs-deviation %-16s verdict differs %u, only Bochs' reason differs %u\n",
		       deviations[d].name, dev_count[d][0], dev_count[d][1]);
	printf("per-rule coverage (states on which the validator reports the rule):\n");
	for (unsigned i = 0; i < vmentry_rule_count(); i++) {
		const char *id = vmentry_rule_id(i), *why = unreachable(id);

		if (cover[i] || !why)
			printf("  %-28s %6u%s\n", id, cover[i], cover[i] ? "" : "  NOT COVERED");
		else
			printf("  %-28s %6u  (unreachable: %s)\n", id, cover[i], why);
	}
	printf("Bochs' reasons for refusing:\n");
	for (unsigned i = 0; i <= NREASONS; i++)
		if (bochs_reason[i])
			printf("  %-36s %6u\n", i < NREASONS ? reasons[i].needle : "(not in the table)",
			       bochs_reason[i]);
	printf("validator-vs-bochs: states=%u agree=%u bochs-deviation=%u unexplained=%u\n",
	       n_states, n_agree, n_dev, n_unexpl);
	return bad || n_unexpl ? 1 : 0;
}

/*
 * blob-counters — read the blob's counters out of a running machine's memory
 * (built as $(BUILD)/tools/blob-counters by mk/corpus.mk).
 *
 * The host prints the blob's counters when a run ends through it (a guest's
 * isa-debug-exit or shutdown-port write, a failure).  A boot that is stopped
 * from outside at its success marker (the corpus: Linux powers off through
 * ACPI, memtest86+ and iPXE never end) gets no such line, so the stack
 * runners read vCPU 0's context (include/rmtramp/abi.h, struct
 * rmt_vcpu_context) through the emulator's monitor or debugger at the marker
 * and name its counters with this tool, from the ABI alone:
 *
 *   blob-counters where BLOB.bin
 *       prints "ADDRESS WORDS": the physical address of vCPU 0's context
 *       (header.context_base of the flat blob image, which is linked at its
 *       load address) and its size in 32-bit words.
 *   blob-counters name < WORDS
 *       reads the context as hexadecimal 32-bit words (whitespace-separated,
 *       "0x" optional, in address order: what `od -tx4` of a QEMU pmemsave
 *       or Bochs' `xp /Nwx` shows), checks its magic, vCPU index and ready
 *       flag, and prints the counters in the host's own format:
 *       "blob vcpu0 counters: handoffs=N reentries=N ...".
 *
 * Exit status: 0 done, 1 the input is not what the ABI says (the reason on
 * stderr), 2 usage.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmtramp/abi.h"

#define CTX_WORDS (sizeof(struct rmt_vcpu_context) / 4)

static const char *const names[RMT_NCOUNTERS] = {
#define RMT_COUNTER_NAME(id, name) name,
	RMT_COUNTER_LIST(RMT_COUNTER_NAME)
#undef RMT_COUNTER_NAME
};

static int where(const char *path)
{
	struct rmt_header h;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	if (fread(&h, sizeof(h), 1, f) != 1) {
		fprintf(stderr, "blob-counters: %s: shorter than the blob header\n", path);
		fclose(f);
		return 1;
	}
	fclose(f);
	if (h.magic != RMT_HEADER_MAGIC || h.abi_version != RMT_ABI_VERSION) {
		fprintf(stderr, "blob-counters: %s: not an ABI %u blob (magic 0x%08x, version %u)\n",
			path, RMT_ABI_VERSION, h.magic, h.abi_version);
		return 1;
	}
	if (h.context_base < h.load_addr || h.context_base >= h.load_addr + h.mem_size) {
		fprintf(stderr, "blob-counters: %s: context 0x%08x outside the blob\n", path,
			h.context_base);
		return 1;
	}
	printf("0x%08x %zu\n", h.context_base, CTX_WORDS);
	return 0;
}

static int name(void)
{
	uint32_t w[CTX_WORDS];
	struct rmt_vcpu_context ctx;
	size_t n = 0;
	char tok[64];

	while (n < CTX_WORDS && scanf("%63s", tok) == 1) {
		char *end;
		unsigned long v = strtoul(tok, &end, 16);

		if (*end || end == tok || v > 0xffffffffUL) {
			fprintf(stderr, "blob-counters: not a 32-bit hexadecimal word: %s\n", tok);
			return 1;
		}
		w[n++] = (uint32_t)v;
	}
	if (n < CTX_WORDS) {
		fprintf(stderr, "blob-counters: %zu of the context's %zu words\n", n, CTX_WORDS);
		return 1;
	}
	memcpy(&ctx, w, sizeof(ctx));
	if (ctx.magic != RMT_CONTEXT_MAGIC || ctx.vcpu != 0 || ctx.ready != 1) {
		fprintf(stderr, "blob-counters: not vCPU 0's ready context (magic 0x%08x, vcpu %u, "
			"ready %u)\n", ctx.magic, ctx.vcpu, ctx.ready);
		return 1;
	}
	printf("blob vcpu0 counters:");
	for (unsigned c = 0; c < RMT_NCOUNTERS; c++)
		printf(" %s=%u", names[c], ctx.counters[c]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "where"))
		return where(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "name"))
		return name();
	fprintf(stderr, "usage: blob-counters where BLOB.bin | blob-counters name < WORDS\n");
	return 2;
}

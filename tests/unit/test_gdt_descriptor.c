/*
 * Descriptor decode/encode, type names and descriptor-table lookups.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gdt/descriptor.h"
#include "gdt/descriptor_table.h"

/* Linux's __BOOT_CS: base 0, limit 0xFFFFF pages, 32-bit, execute/read, DPL 0 */
static const uint8_t flat_code[8] = { 0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00 };

static void decode_flat_code(void **state)
{
	struct seg_desc d;

	desc_decode(flat_code, &d);
	assert_int_equal(d.base, 0);
	assert_int_equal(d.limit, 0xffffffff);
	assert_int_equal(d.ar, 0xc09a);
}

static void decode_scatters_base_and_limit(void **state)
{
	/* base 0x12345678, limit 0x5abcd byte-granular, 16-bit data DPL 3, AVL */
	const uint8_t raw[8] = { 0xcd, 0xab, 0x78, 0x56, 0x34, 0xf3, 0x15, 0x12 };
	struct seg_desc d;

	desc_decode(raw, &d);
	assert_int_equal(d.base, 0x12345678);
	assert_int_equal(d.limit, 0x5abcd);
	assert_int_equal(d.ar, 0x10f3);
	assert_int_equal(ar_dpl(d.ar), 3);
}

static void decode_scales_limit_with_g(void **state)
{
	const uint8_t raw[8] = { 0x00, 0x00, 0, 0, 0, 0x93, 0x80, 0 };
	struct seg_desc d;

	desc_decode(raw, &d);
	assert_int_equal(d.limit, 0xfff);       /* one page, not zero bytes */
}

static void encode_round_trips(void **state)
{
	uint8_t raw[8];
	struct seg_desc d;

	desc_decode(flat_code, &d);
	assert_int_equal(desc_encode(&d, raw), 0);
	assert_memory_equal(raw, flat_code, 8);
}

static void encode_refuses_unrepresentable_limits(void **state)
{
	uint8_t raw[8];
	struct seg_desc g0 = { 0, 0x100000, 0x93 };
	struct seg_desc g1 = { 0, 0x1000, 0x8093 };

	assert_int_equal(desc_encode(&g0, raw), -1);
	assert_int_equal(desc_encode(&g1, raw), -1);
}

static void ar_predicates(void **state)
{
	assert_true(ar_is_conforming_code(0x9e));
	assert_false(ar_is_conforming_code(0x96));      /* expand-down data */
	assert_true(ar_is_expand_down_data(0x96));
	assert_true(ar_is_readable_code(0x9a));
	assert_false(ar_is_readable_code(0x98));
	assert_true(ar_is_writable_data(0x92));
	assert_false(ar_is_writable_data(0x8b));        /* busy TSS, S=0 */
	assert_false(ar_usable(0x93 | RMT_AR_UNUSABLE));
	assert_int_equal(ar_with_dpl(0xc093, 3), 0xc0f3);
}

static void type_names(void **state)
{
	assert_string_equal(desc_type_name(0x8b), "32-bit TSS (busy)");
	assert_string_equal(desc_type_name(0x82), "LDT");
	assert_string_equal(desc_type_name(0x8c), "32-bit call gate");
	assert_string_equal(desc_type_name(0x85), "task gate");
	assert_string_equal(desc_type_name(0x80), "reserved system type 0");
	assert_string_equal(desc_type_name(0x8d), "reserved system type 13");
	assert_string_equal(desc_type_name(0x93), "data, read/write");
	assert_string_equal(desc_type_name(0x9f), "code, execute/read, conforming");
}

static const struct rmt_dtable gdtr = { 0x1000, 0x3f };
static const struct rmt_segment ldtr_usable = { 0x28, 0, 0x8000, 0x17, 0x82 };
static const struct rmt_segment ldtr_null = { 0, 0, 0, 0, 0x82 | RMT_AR_UNUSABLE };

static void locate_in_gdt_and_ldt(void **state)
{
	struct x86_fault f;
	uint32_t lin;

	assert_int_equal(desc_table_locate(&gdtr, &ldtr_usable, 0x3b, &lin, &f), 0);
	assert_int_equal(lin, 0x1038);
	assert_int_equal(desc_table_locate(&gdtr, &ldtr_usable, 0x17, &lin, &f), 0);
	assert_int_equal(lin, 0x8010);
	/* the null selector is found (index 0) — what to do with it is policy */
	assert_int_equal(desc_table_locate(&gdtr, &ldtr_usable, 0x0, &lin, &f), 0);
	assert_int_equal(lin, 0x1000);
}

static void locate_checks_limits_and_ldtr(void **state)
{
	struct x86_fault f;
	uint32_t lin = 0x5555;

	assert_int_equal(desc_table_locate(&gdtr, &ldtr_usable, 0x43, &lin, &f), -1);
	assert_int_equal(f.vector, X86_GP);
	assert_int_equal(f.has_error, 1);
	assert_int_equal(f.error_code, 0x40);
	assert_int_equal(lin, 0x5555);
	assert_int_equal(desc_table_locate(&gdtr, &ldtr_usable, 0x1f, &lin, &f), -1);
	assert_int_equal(f.error_code, 0x1c);
	assert_int_equal(desc_table_locate(&gdtr, &ldtr_null, 0x04, &lin, &f), -1);
	assert_int_equal(f.error_code, 0x04);
}

static uint8_t table_mem[0x40];

static int read_table(void *ctx, uint32_t linear, void *buf, unsigned len, struct x86_fault *f)
{
	if (linear < 0x1000 || linear + len > 0x1040) {
		f->vector = X86_PF;
		return -1;
	}
	memcpy(buf, table_mem + (linear - 0x1000), len);
	return 0;
}

static void read_returns_the_bytes(void **state)
{
	struct x86_fault f;
	uint8_t raw[8];
	uint32_t lin;
	struct rmt_dtable big = { 0x1000, 0xffff };

	memcpy(table_mem + 0x10, flat_code, 8);
	assert_int_equal(desc_table_read(&gdtr, &ldtr_null, 0x10, read_table, 0, raw, &lin, &f), 0);
	assert_memory_equal(raw, flat_code, 8);
	assert_int_equal(lin, 0x1010);
	/* within a (bogus) limit but outside memory: the read's fault comes back */
	assert_int_equal(desc_table_read(&big, &ldtr_null, 0x3000, read_table, 0, raw, &lin, &f), -1);
	assert_int_equal(f.vector, X86_PF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_flat_code),
		cmocka_unit_test(decode_scatters_base_and_limit),
		cmocka_unit_test(decode_scales_limit_with_g),
		cmocka_unit_test(encode_round_trips),
		cmocka_unit_test(encode_refuses_unrepresentable_limits),
		cmocka_unit_test(ar_predicates),
		cmocka_unit_test(type_names),
		cmocka_unit_test(locate_in_gdt_and_ldt),
		cmocka_unit_test(locate_checks_limits_and_ldtr),
		cmocka_unit_test(read_returns_the_bytes),
	};

	return cmocka_run_group_tests_name("gdt_descriptor", tests, NULL, NULL);
}

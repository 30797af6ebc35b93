/*
 * The host's decoder for the control-register instructions SVM intercepts
 * from a guest in IA-32e mode (host/cr_decode.c): a 64-bit kernel's forms,
 * with REX extending the CR number and the register, compatibility mode
 * where 40-4F are not REX, SMSW's operand sizes, and the forms it refuses.
 * The decoder is pure; it is compiled here as the host compiles it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host/cr_decode.c"

struct decode_case {
	const char *what;
	uint8_t bytes[15];
	unsigned n;
	int mode64;
	enum cr_insn_kind kind;
	unsigned cr, gpr, opsize, len;
};

static const struct decode_case good[] = {
	{ "mov cr4, rax", { 0x0f, 0x22, 0xe0 }, 3, 1, CR_MOV_TO, 4, 0, 0, 3 },
	{ "mov cr0, rdi", { 0x0f, 0x22, 0xc7 }, 3, 1, CR_MOV_TO, 0, 7, 0, 3 },
	{ "mov cr4, r8 (REX.B)", { 0x41, 0x0f, 0x22, 0xe0 }, 4, 1, CR_MOV_TO, 4, 8, 0, 4 },
	{ "mov cr8, rax (REX.R)", { 0x44, 0x0f, 0x22, 0xc0 }, 4, 1, CR_MOV_TO, 8, 0, 0, 4 },
	{ "mov r15, cr3 (REX.WB)", { 0x49, 0x0f, 0x20, 0xdf }, 4, 1, CR_MOV_FROM, 3, 15, 0, 4 },
	/* mod is ignored: 00 still names a register (SDM Vol. 2B MOV CRn) */
	{ "mov cr4, rcx with mod=00", { 0x0f, 0x22, 0x21 }, 3, 1, CR_MOV_TO, 4, 1, 0, 3 },
	{ "prefixes then REX", { 0x66, 0xf3, 0x41, 0x0f, 0x22, 0xe1 }, 6, 1, CR_MOV_TO, 4, 9, 0, 6 },
	{ "clts", { 0x0f, 0x06 }, 2, 1, CR_CLTS, 0, 0, 0, 2 },
	{ "lmsw r11w", { 0x41, 0x0f, 0x01, 0xf3 }, 4, 1, CR_LMSW, 0, 11, 4, 4 },
	{ "smsw eax", { 0x0f, 0x01, 0xe0 }, 3, 1, CR_SMSW, 0, 0, 4, 3 },
	{ "smsw ax", { 0x66, 0x0f, 0x01, 0xe0 }, 4, 1, CR_SMSW, 0, 0, 2, 4 },
	{ "smsw rax", { 0x48, 0x0f, 0x01, 0xe0 }, 4, 1, CR_SMSW, 0, 0, 8, 4 },
	/* compatibility mode: 32-bit forms, no REX */
	{ "compat mov cr0, eax", { 0x0f, 0x22, 0xc0 }, 3, 0, CR_MOV_TO, 0, 0, 0, 3 },
	{ "compat smsw dx", { 0x66, 0x0f, 0x01, 0xe2 }, 4, 0,
	  CR_SMSW, 0, 2, 2, 4 },
};

static void decodes_the_forms_a_kernel_uses(void **state)
{
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct decode_case *c = &good[i];
		struct cr_insn in;
		const char *why = "";

		memset(&in, 0xee, sizeof(in));
		if (cr_decode(c->bytes, c->n, c->mode64, &in, &why))
			fail_msg("%s: refused: %s", c->what, why);
		assert_int_equal(in.kind, c->kind);
		assert_int_equal(in.len, c->len);
		if (c->kind == CR_MOV_TO || c->kind == CR_MOV_FROM)
			assert_int_equal(in.cr, c->cr);
		if (c->kind != CR_CLTS)
			assert_int_equal(in.gpr, c->gpr);
		if (c->kind == CR_SMSW)
			assert_int_equal(in.opsize, c->opsize);
	}
}

static void refuses_what_it_does_not_emulate(void **state)
{
	static const struct {
		const char *what;
		uint8_t bytes[15];
		unsigned n;
		int mode64;
	} bad[] = {
		{ "lmsw [rax]", { 0x0f, 0x01, 0x30 }, 3, 1 },
		{ "smsw [rbx]", { 0x0f, 0x01, 0x23 }, 3, 1 },
		{ "not 0F", { 0x90, 0x90, 0x90 }, 3, 1 },
		/* in compatibility mode 41 is INC ECX, not REX */
		{ "compat: 41 is not REX", { 0x41, 0x0f, 0x22, 0xe0 }, 4, 0 },
		{ "invlpg is not a CR access", { 0x0f, 0x01, 0x38 }, 3, 1 },
		{ "truncated", { 0x0f, 0x22 }, 2, 1 },
		{ "nothing readable", { 0 }, 0, 1 },
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cr_insn in;
		const char *why = 0;

		if (!cr_decode(bad[i].bytes, bad[i].n, bad[i].mode64, &in, &why))
			fail_msg("%s: decoded, should be refused", bad[i].what);
		assert_non_null(why);
		assert_true(why[0] != 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_the_forms_a_kernel_uses),
		cmocka_unit_test(refuses_what_it_does_not_emulate),
	};

	return cmocka_run_group_tests_name("host_cr_decode", tests, NULL, NULL);
}

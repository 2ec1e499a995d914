// SPDX-License-Identifier: GPL-2.0
/* The bytecode VM: the seed's loop gives what plain C gives, bad bytecode is
 * refused, and the eval breaker is polled at every backward jump. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vm.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void test_mod_sum_matches_c(void **state)
{
	static const int64_t ns[] = {0, 1, 2, 96, 97, 98, 1000, 123457, 3000000};
	const struct vm_program *p = vm_mod_sum_program();

	(void)state;
	assert_int_equal(vm_validate(p, NULL), VM_OK);
	for (size_t i = 0; i < LEN(ns); i++) {
		int64_t r = -1;

		assert_int_equal(vm_run(p, &ns[i], 1, &r, NULL), VM_OK);
		assert_int_equal(r, vm_mod_sum_reference(ns[i]));
	}
	/* A hand-computed value: sum over i < 4 of i*i % 97 = 0+1+4+9. */
	assert_int_equal(vm_mod_sum_reference(4), 14);
}

static void expect_invalid(const struct vm_insn *code, unsigned int len, unsigned int nargs,
			   unsigned int nlocals, int want, unsigned int want_pc)
{
	struct vm_program p = {.code = code, .len = len, .nargs = nargs, .nlocals = nlocals};
	unsigned int pc = 9999;

	assert_int_equal(vm_validate(&p, &pc), want);
	assert_int_equal(pc, want_pc);
}

static void test_bad_bytecode(void **state)
{
	const struct vm_insn bad_op[] = {{OP_PUSH, 1}, {77, 0}, {OP_RETURN, 0}};
	const struct vm_insn neg_op[] = {{-1, 0}};
	const struct vm_insn underflow[] = {{OP_PUSH, 1}, {OP_ADD, 0}, {OP_RETURN, 0}};
	const struct vm_insn ret_empty[] = {{OP_RETURN, 0}};
	const struct vm_insn bad_local[] = {{OP_LOAD, 3}, {OP_RETURN, 0}};
	const struct vm_insn neg_local[] = {{OP_PUSH, 1}, {OP_STORE, -1}, {OP_RETURN, 0}};
	const struct vm_insn no_return[] = {{OP_PUSH, 1}};
	const struct vm_insn jump_fwd_as_back[] = {
	    {OP_JUMP_BACKWARD, 1}, {OP_PUSH, 0}, {OP_RETURN, 0}};
	const struct vm_insn jif_backward[] = {
	    {OP_PUSH, 1}, {OP_JUMP_IF_FALSE, 0}, {OP_PUSH, 0}, {OP_RETURN, 0}};
	const struct vm_insn jif_past_end[] = {
	    {OP_PUSH, 1}, {OP_JUMP_IF_FALSE, 9}, {OP_PUSH, 0}, {OP_RETURN, 0}};
	/* A loop that pushes on every turn: the depth at pc 0 differs. */
	const struct vm_insn growing[] = {{OP_PUSH, 1}, {OP_JUMP_BACKWARD, 0}};
	/* Falls off the end after the conditional jump's target. */
	const struct vm_insn off_end[] = {
	    {OP_PUSH, 0}, {OP_JUMP_IF_FALSE, 4}, {OP_PUSH, 1}, {OP_RETURN, 0}, {OP_PUSH, 1}};
	struct vm_program empty = {.code = NULL, .len = 0};

	(void)state;
	expect_invalid(bad_op, LEN(bad_op), 0, 0, VM_ERR_OPCODE, 1);
	expect_invalid(neg_op, LEN(neg_op), 0, 0, VM_ERR_OPCODE, 0);
	expect_invalid(underflow, LEN(underflow), 0, 0, VM_ERR_STACK, 1);
	expect_invalid(ret_empty, LEN(ret_empty), 0, 0, VM_ERR_STACK, 0);
	expect_invalid(bad_local, LEN(bad_local), 1, 3, VM_ERR_LOCAL, 0);
	expect_invalid(neg_local, LEN(neg_local), 0, 1, VM_ERR_LOCAL, 1);
	expect_invalid(no_return, LEN(no_return), 0, 0, VM_ERR_NO_RETURN, 0);
	expect_invalid(jump_fwd_as_back, LEN(jump_fwd_as_back), 0, 0, VM_ERR_JUMP, 0);
	expect_invalid(jif_backward, LEN(jif_backward), 0, 0, VM_ERR_JUMP, 1);
	expect_invalid(jif_past_end, LEN(jif_past_end), 0, 0, VM_ERR_JUMP, 1);
	expect_invalid(growing, LEN(growing), 0, 0, VM_ERR_STACK, 0);
	expect_invalid(off_end, LEN(off_end), 0, 0, VM_ERR_NO_RETURN, 4);
	assert_int_equal(vm_validate(&empty, NULL), VM_ERR_NO_RETURN);
	for (int s = VM_OK; s <= VM_ERR_ARGS; s++)
		assert_non_null(vm_strerror(s));
	assert_string_equal(vm_strerror(12345), "unknown VM status");
}

static void test_runtime_errors(void **state)
{
	const struct vm_insn mod0[] = {{OP_PUSH, 5}, {OP_PUSH, 0}, {OP_MOD, 0}, {OP_RETURN, 0}};
	struct vm_program p = {.code = mod0, .len = LEN(mod0)};
	int64_t r, arg = 7;

	(void)state;
	assert_int_equal(vm_validate(&p, NULL), VM_OK);
	assert_int_equal(vm_run(&p, NULL, 0, &r, NULL), VM_ERR_DIV_ZERO);
	/* The loop program takes exactly one argument. */
	assert_int_equal(vm_run(vm_mod_sum_program(), &arg, 0, &r, NULL), VM_ERR_ARGS);
}

static void test_arithmetic(void **state)
{
	/* (7 * 6) % 5 + (3 < 4) = 2 + 1 */
	const struct vm_insn code[] = {{OP_PUSH, 7}, {OP_PUSH, 6},  {OP_MUL, 0},  {OP_PUSH, 5},
				       {OP_MOD, 0},  {OP_PUSH, 3},  {OP_PUSH, 4}, {OP_LT, 0},
				       {OP_ADD, 0},  {OP_RETURN, 0}};
	struct vm_program p = {.code = code, .len = LEN(code)};
	int64_t r = 0;

	(void)state;
	assert_int_equal(vm_validate(&p, NULL), VM_OK);
	assert_int_equal(vm_run(&p, NULL, 0, &r, NULL), VM_OK);
	assert_int_equal(r, 3);
}

static int breaks;
static int flag;

static void count_break(void *ctx)
{
	(void)ctx;
	breaks++;
}

static void test_breaker_at_back_edge(void **state)
{
	struct vm_breaker br = {.flag = &flag, .handler = count_break};
	int64_t n = 1000, r;

	(void)state;
	/* Flag clear: never called. */
	flag = 0;
	breaks = 0;
	assert_int_equal(vm_run(vm_mod_sum_program(), &n, 1, &r, &br), VM_OK);
	assert_int_equal(breaks, 0);
	/* Flag set: once per loop iteration, at the JUMP_BACKWARD. */
	flag = 1;
	assert_int_equal(vm_run(vm_mod_sum_program(), &n, 1, &r, &br), VM_OK);
	assert_int_equal(breaks, n);
	assert_int_equal(r, vm_mod_sum_reference(n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mod_sum_matches_c),	 cmocka_unit_test(test_bad_bytecode),
	    cmocka_unit_test(test_runtime_errors),	 cmocka_unit_test(test_arithmetic),
	    cmocka_unit_test(test_breaker_at_back_edge),
	};

	return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}

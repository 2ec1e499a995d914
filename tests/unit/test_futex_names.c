// SPDX-License-Identifier: GPL-2.0
/*
 * futex_names: words named from this test's own memory map and ELF symbols
 * (a global in .data, one deep in .bss, a static), and words that have no
 * name (the heap, the stack, an address nothing maps).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "futex_names.h"
#include "self_exe.h"
#include "proc_maps.h"

pthread_mutex_t test_global_lock = PTHREAD_MUTEX_INITIALIZER; /* .data */
char test_big_bss[3 << 20];				      /* .bss, past the file's pages */
static int test_static_word = 7;

struct ctx {
	struct futex_namer *fn;
	char *maps;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->fn = futex_namer_new();
	c->maps = proc_maps_read(getpid(), NULL);
	assert_non_null(c->fn);
	assert_non_null(c->maps);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	futex_namer_free(c->fn);
	free(c->maps);
	free(c);
	return 0;
}

static void test_global_in_data(void **state)
{
	struct ctx *c = *state;
	struct futex_name n;
	uintptr_t word = (uintptr_t)&test_global_lock + 0; /* __data.__lock */

	assert_true(futex_name_from_maps(c->fn, c->maps, NULL, word, &n));
	assert_string_equal(n.object, self_exe());
	assert_string_equal(n.symbol, "test_global_lock");
	assert_int_equal(n.symbol_offset, 0);
}

static void test_word_inside_symbol(void **state)
{
	struct ctx *c = *state;
	struct futex_name n;

	/* Deep in .bss: an anonymous mapping, named after the file it follows. */
	test_big_bss[(2 << 20) + 8] = 1;
	assert_true(futex_name_from_maps(c->fn, c->maps, NULL,
					 (uintptr_t)&test_big_bss[(2 << 20) + 8], &n));
	assert_string_equal(n.object, self_exe());
	assert_string_equal(n.symbol, "test_big_bss");
	assert_int_equal(n.symbol_offset, (2 << 20) + 8);
}

static void test_static_symbol(void **state)
{
	struct ctx *c = *state;
	struct futex_name n;

	assert_int_equal(test_static_word, 7);
	assert_true(futex_name_from_maps(c->fn, c->maps, NULL, (uintptr_t)&test_static_word, &n));
	assert_string_equal(n.symbol, "test_static_word");
}

static void test_heap_and_stack_unnamed(void **state)
{
	struct ctx *c = *state;
	struct futex_name n;
	int on_stack = 0;
	char *heap = malloc(64);

	assert_non_null(heap);
	assert_true(futex_name_from_maps(c->fn, c->maps, NULL, (uintptr_t)heap, &n));
	assert_string_equal(n.object, "");
	assert_string_equal(n.symbol, "");
	assert_true(futex_name_from_maps(c->fn, c->maps, NULL, (uintptr_t)&on_stack, &n));
	assert_string_equal(n.object, "");
	free(heap);
}

static void test_unmapped(void **state)
{
	struct ctx *c = *state;
	struct futex_name n;
	const char *maps = "00400000-00401000 r-xp 00000000 08:01 12 /nonexistent/prog\n"
			   "00401000-00402000 rw-p 00001000 08:01 12 /nonexistent/prog\n";

	assert_false(futex_name_from_maps(c->fn, maps, NULL, 0x10, &n));
	assert_false(futex_name_from_maps(c->fn, maps, NULL, 0x402000, &n));
	/* Mapped, but the file cannot be read: the object without a symbol. */
	assert_true(futex_name_from_maps(c->fn, maps, NULL, 0x401010, &n));
	assert_string_equal(n.object, "/nonexistent/prog");
	assert_string_equal(n.symbol, "");
	assert_false(futex_name_from_maps(c->fn, "", NULL, 0x401010, &n));
	assert_false(futex_name_from_maps(c->fn, "garbage\n", NULL, 0x401010, &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_global_in_data), cmocka_unit_test(test_word_inside_symbol),
	    cmocka_unit_test(test_static_symbol),  cmocka_unit_test(test_heap_and_stack_unnamed),
	    cmocka_unit_test(test_unmapped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

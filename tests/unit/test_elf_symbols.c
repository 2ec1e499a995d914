// SPDX-License-Identifier: GPL-2.0
/*
 * elf_symbols: this test's own executable read as an ELF file: data, .bss,
 * static and function symbols found by name and by address, the load bias
 * taken from this process's own mapping, and files that are not ELF.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "elf_symbols.h"
#include "self_exe.h"

long elf_test_data[4] = {1, 2, 3, 4}; /* .data */
char elf_test_bss[1 << 16];	      /* .bss */
static int elf_test_static = 7;	      /* its address is taken below: it stays */

/* A function whose address is taken, so it has a symbol of its own. */
int elf_test_function(int x);
int elf_test_function(int x)
{
	return x + elf_test_static;
}

static int setup(void **state)
{
	*state = elf_symbols_open(self_exe());
	assert_non_null(*state);
	return 0;
}

static int teardown(void **state)
{
	elf_symbols_free(*state);
	return 0;
}

static void test_named(void **state)
{
	const struct elf_symbol *s = elf_symbols_named(*state, "elf_test_data");

	assert_non_null(s);
	assert_int_equal(s->hi - s->lo, sizeof(elf_test_data));
	s = elf_symbols_named(*state, "elf_test_bss");
	assert_non_null(s);
	assert_int_equal(s->hi - s->lo, sizeof(elf_test_bss));
	assert_non_null(elf_symbols_named(*state, "elf_test_function"));
	/* Undefined here (libc's): only defined, sized symbols are kept. */
	assert_null(elf_symbols_named(*state, "malloc"));
	assert_null(elf_symbols_named(*state, "no_such_symbol_anywhere"));
}

static void test_at_address(void **state)
{
	const struct elf_symbol *bss = elf_symbols_named(*state, "elf_test_bss");
	const struct elf_symbol *s;

	assert_non_null(bss);
	s = elf_symbols_at(*state, bss->lo + 1000);
	assert_non_null(s);
	assert_string_equal(s->name, "elf_test_bss");
	s = elf_symbols_at(*state, bss->hi - 1);
	assert_non_null(s);
	assert_string_equal(s->name, "elf_test_bss");
	s = elf_symbols_at(*state, bss->hi);
	assert_true(!s || strcmp(s->name, "elf_test_bss"));
	assert_null(elf_symbols_at(*state, 0));
}

/* This process's lowest mapping of its own executable: start and offset. */
static void lowest_mapping(uint64_t *start, uint64_t *offset)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024], path[512];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		uint64_t end;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64 " %*s %*s %511s", start,
			   &end, offset, path) == 4 &&
		    !strcmp(path, self_exe())) {
			fclose(f);
			return;
		}
	}
	fclose(f);
	fail_msg("no mapping of %s in /proc/self/maps", self_exe());
}

static void test_bias(void **state)
{
	const struct elf_symbol *data = elf_symbols_named(*state, "elf_test_data");
	const struct elf_symbol *fun = elf_symbols_named(*state, "elf_test_function");
	const struct elf_symbol *stat = elf_symbols_named(*state, "elf_test_static");
	uint64_t start, offset, bias;

	lowest_mapping(&start, &offset);
	assert_true(elf_symbols_bias(*state, start, offset, &bias));
	assert_int_equal(bias + data->lo, (uintptr_t)elf_test_data);
	assert_int_equal(bias + fun->lo, (uintptr_t)elf_test_function);
	assert_non_null(stat);
	assert_int_equal(bias + stat->lo, (uintptr_t)&elf_test_static);
	assert_int_equal(elf_test_function(0), 7);
	/* No segment is loaded from an offset inside the first page. */
	assert_false(elf_symbols_bias(*state, start, offset + 0x10, &bias));
}

static void test_not_elf(void **state)
{
	(void)state;
	assert_null(elf_symbols_open("/nonexistent/prog"));
	assert_null(elf_symbols_open("/proc/self/status"));
	assert_null(elf_symbols_open("/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_named),
	    cmocka_unit_test(test_at_address),
	    cmocka_unit_test(test_bias),
	    cmocka_unit_test(test_not_elf),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

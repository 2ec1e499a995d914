// SPDX-License-Identifier: GPL-2.0
/* The comparison-table printer: column widths, alignment, rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static char *render(struct table *t, const char *indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	table_print(t, f, indent);
	fclose(f);
	return buf;
}

static void aligns_columns(void **state)
{
	static const char *const head[] = {"variant", "wall"};
	struct table *t = table_new(2, head);
	char *out;

	(void)state;
	table_row(t);
	table_cell(t, "%s", "serial");
	table_cell(t, "%.3f s", 10.008);
	table_row(t);
	table_cell(t, "%s", "threads-20");
	table_cell(t, "%.3f s", 0.607);
	out = render(t, "  ");
	assert_string_equal(out, "  variant         wall\n"
				 "  --------------------\n"
				 "  serial      10.008 s\n"
				 "  threads-20   0.607 s\n");
	free(out);
	table_free(t);
}

static void missing_and_extra_cells(void **state)
{
	static const char *const head[] = {"a", "b", "c"};
	struct table *t = table_new(3, head);
	char *out;

	(void)state;
	table_row(t);
	table_cell(t, "x");
	table_row(t);
	table_cell(t, "1");
	table_cell(t, "2");
	table_cell(t, "3");
	table_cell(t, "dropped");
	out = render(t, "");
	assert_string_equal(out, "a  b  c\n"
				 "-------\n"
				 "x      \n"
				 "1  2  3\n");
	free(out);
	table_free(t);
}

static void many_rows_grow(void **state)
{
	static const char *const head[] = {"n"};
	struct table *t = table_new(1, head);
	char *out;

	(void)state;
	for (int i = 0; i < 100; i++) {
		table_row(t);
		table_cell(t, "%d", i);
	}
	out = render(t, "");
	assert_non_null(strstr(out, "\n99\n"));
	free(out);
	table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(aligns_columns),
	    cmocka_unit_test(missing_and_extra_cells),
	    cmocka_unit_test(many_rows_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * spool: the state changes kept raw while the command runs come back in the
 * order they went in, every one of them across the write batches, once;
 * the spool is empty and usable again after a replay; a folder it cannot
 * write in is said, not ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "spool.h"

struct seen {
	uint64_t n;
	uint64_t out_of_order;
};

static void count(void *ctx, const struct st_event *e)
{
	struct seen *s = ctx;

	if (e->ts != s->n || e->tid != (uint32_t)(s->n * 7) || e->type != EV_STATE)
		s->out_of_order++;
	s->n++;
}

static void add(struct spool *sp, uint64_t from, uint64_t n)
{
	for (uint64_t i = from; i < from + n; i++) {
		struct st_event e = {.type = EV_STATE, .tid = (uint32_t)(i * 7), .ts = i};

		spool_add(sp, &e);
	}
}

static void test_every_record_in_order(void **state)
{
	struct spool *sp = spool_new();
	struct seen s = {0};

	(void)state;
	assert_non_null(sp);
	add(sp, 0, 10000); /* several 64 KiB batches and a partial one */
	assert_int_equal(spool_replay(sp, count, &s), 0);
	assert_int_equal(s.n, 10000);
	assert_int_equal(s.out_of_order, 0);
	spool_free(sp);
}

static void test_empty_after_replay(void **state)
{
	struct spool *sp = spool_new();
	struct seen s = {0};

	(void)state;
	assert_non_null(sp);
	assert_int_equal(spool_replay(sp, count, &s), 0);
	assert_int_equal(s.n, 0);
	add(sp, 0, 3);
	assert_int_equal(spool_replay(sp, count, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(spool_replay(sp, count, &s), 0);
	assert_int_equal(s.n, 3); /* nothing twice */
	add(sp, 3, 2000);
	assert_int_equal(spool_replay(sp, count, &s), 0);
	assert_int_equal(s.n, 2003);
	assert_int_equal(s.out_of_order, 0);
	spool_free(sp);
}

static void test_unwritable_folder(void **state)
{
	(void)state;
	setenv("TMPDIR", "/nonexistent-schedlab-folder", 1);
	assert_null(spool_new());
	unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_record_in_order),
	    cmocka_unit_test(test_empty_after_replay),
	    cmocka_unit_test(test_unwritable_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* Latency histograms: parsing sched.json's buckets, quantiles, merging. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hist.h"

static struct hist parse(const char *json)
{
	json_t *a = json_loads(json, 0, NULL);
	struct hist h;
	char why[160];

	assert_non_null(a);
	assert_int_equal(hist_from_json(&h, a, why, sizeof(why)), 0);
	json_decref(a);
	return h;
}

static void quantiles_interpolate_inside_a_bucket(void **state)
{
	struct hist h = parse("[{\"lo_ns\": 0, \"hi_ns\": 100, \"count\": 50},"
			      " {\"lo_ns\": 100, \"hi_ns\": 200, \"count\": 50}]");

	(void)state;
	assert_int_equal(hist_total(&h), 100);
	assert_true(hist_quantile(&h, 0.5) == 100);
	assert_true(hist_quantile(&h, 0.75) == 150);
	assert_true(hist_quantile(&h, 1.0) == 200);
	hist_free(&h);
}

static void empty_histogram_is_zero(void **state)
{
	struct hist h = parse("[]");

	(void)state;
	assert_int_equal(hist_total(&h), 0);
	assert_true(hist_quantile(&h, 0.99) == 0);
	hist_free(&h);
}

static void merge_adds_equal_buckets_and_keeps_order(void **state)
{
	struct hist a = parse("[{\"lo_ns\": 1, \"hi_ns\": 2, \"count\": 3},"
			      " {\"lo_ns\": 4, \"hi_ns\": 8, \"count\": 1}]");
	struct hist b = parse("[{\"lo_ns\": 2, \"hi_ns\": 4, \"count\": 5},"
			      " {\"lo_ns\": 4, \"hi_ns\": 8, \"count\": 2}]");
	struct hist odd = parse("[{\"lo_ns\": 3, \"hi_ns\": 5, \"count\": 1}]");

	(void)state;
	assert_int_equal(hist_merge(&a, &b), 0);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.b[1].lo_ns, 2);
	assert_int_equal(a.b[2].count, 3);
	assert_int_equal(hist_total(&a), 11);
	/* buckets that overlap without being equal cannot be merged */
	assert_int_equal(hist_merge(&a, &odd), -1);
	hist_free(&a);
	hist_free(&b);
	hist_free(&odd);
}

static void refuses_bad_buckets(void **state)
{
	static const char *const bad[] = {
	    "{}",
	    "[{\"lo_ns\": 5, \"hi_ns\": 5, \"count\": 1}]",
	    "[{\"lo_ns\": 4, \"hi_ns\": 8, \"count\": 1}, {\"lo_ns\": 2, \"hi_ns\": 3, \"count\": "
	    "1}]",
	    "[{\"lo_ns\": 1, \"hi_ns\": 2}]",
	    "[{\"lo_ns\": -1, \"hi_ns\": 2, \"count\": 1}]",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *a = json_loads(bad[i], 0, NULL);
		struct hist h;
		char why[160] = "";

		assert_non_null(a);
		assert_int_equal(hist_from_json(&h, a, why, sizeof(why)), -1);
		assert_true(why[0] != '\0');
		json_decref(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(quantiles_interpolate_inside_a_bucket),
	    cmocka_unit_test(empty_histogram_is_zero),
	    cmocka_unit_test(merge_adds_equal_buckets_and_keeps_order),
	    cmocka_unit_test(refuses_bad_buckets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The perf output parsers: perf-stat.json (collectors/wrappers/perf-stat) and the
 * summary table of perf sched timehist, on a real perf 6.1 output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "perfparse.h"

static FILE *text(const char *s)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");

	assert_non_null(f);
	return f;
}

static void reads_perf_stat_json(void **state)
{
	FILE *f = text("{\"schema\": 1, \"tool\": \"perf stat\", \"partial\": true, "
		       "\"before_enable\": {\"nvcsw\": 3, \"nivcsw\": 1}, \"events\": {"
		       "\"task-clock\": {\"value\": 12.5, \"unit\": \"msec\"},"
		       "\"context-switches\": {\"value\": 42, \"unit\": \"\"},"
		       "\"sched:sched_wakeup\": {\"value\": null, \"status\": \"not counted\"}}}");
	struct perf_stat ps;
	char why[200] = "";
	const struct perf_counter *c;

	(void)state;
	assert_int_equal(perf_stat_parse(f, &ps, why, sizeof(why)), 0);
	fclose(f);
	assert_true(ps.present);
	assert_true(ps.partial);
	assert_true(ps.has_before && ps.before_nvcsw == 3 && ps.before_nivcsw == 1);
	assert_int_equal(ps.n, 3);
	c = perf_stat_find(&ps, "task-clock");
	assert_non_null(c);
	assert_true(c->counted && c->value == 12.5);
	assert_string_equal(c->unit, "msec");
	assert_true(perf_stat_find(&ps, "context-switches")->value == 42);
	assert_false(perf_stat_find(&ps, "sched:sched_wakeup")->counted);
	assert_null(perf_stat_find(&ps, "cycles"));
	perf_stat_free(&ps);
}

static void refuses_broken_perf_stat(void **state)
{
	static const char *const bad[] = {
	    "{\"schema\": 1, \"events\": {\"task-clock\": ",		/* truncated */
	    "{\"schema\": 2, \"events\": {}}",				/* other schema */
	    "{\"schema\": 1, \"events\": []}",				/* wrong type */
	    "{\"schema\": 1, \"events\": {\"x\": {\"value\": \"1\"}}}", /* value a string */
	    "{\"schema\": 1, \"events\": {}}",				/* nothing counted */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = text(bad[i]);
		struct perf_stat ps;
		char why[200] = "";

		assert_int_equal(perf_stat_parse(f, &ps, why, sizeof(why)), -1);
		assert_true(why[0] != '\0');
		assert_false(ps.present);
		fclose(f);
	}
}

static void reads_timehist_summary(void **state)
{
	FILE *f = fopen("tests/fixtures/perf/perf-sched-timehist.txt", "r");
	struct timehist th;
	const struct timehist_row *r;
	char why[200] = "";

	(void)state;
	assert_non_null(f);
	assert_int_equal(timehist_parse(f, &th, why, sizeof(why)), 0);
	fclose(f);
	assert_int_equal(th.n, 3);
	r = timehist_find_tid(&th, 26063);
	assert_non_null(r);
	assert_string_equal(r->comm, "worker-1");
	assert_int_equal(r->pid, 26061);
	assert_int_equal(r->sched_in, 816);
	assert_true(r->run_ms == 2194.124 && r->sleep_ms == 305.676 && r->preempt_ms == 54.884 &&
		    r->delay_ms == 37.052);
	r = timehist_find_tid(&th, 26061);
	assert_non_null(r);
	assert_int_equal(r->pid, 26061); /* "main[26061]": the thread group is itself */
	timehist_free(&th);
}

static void timehist_rows_and_non_rows(void **state)
{
	struct timehist_row r;

	(void)state;
	/* a comm with spaces and brackets: the id is the last [...] */
	assert_int_equal(
	    timehist_parse_row("  my [odd] task[77/70]  1  2  3.5  4.0  0.0  0.5  0.25", &r), 0);
	assert_string_equal(r.comm, "my [odd] task");
	assert_int_equal(r.tid, 77);
	assert_int_equal(r.pid, 70);
	assert_int_equal(timehist_parse_row("<no still running tasks>", &r), -1);
	assert_int_equal(timehist_parse_row("   comm  parent   sched-in   run-time", &r), -1);
	assert_int_equal(timehist_parse_row("x[1] 1 2 3 4 5 6 7 trailing", &r), -1);
}

static void timehist_without_summary_is_refused(void **state)
{
	FILE *f = text("           time    cpu  task name\n  1.0 [0000] a[1] 0 0 1 S\n");
	struct timehist th;
	char why[200] = "";

	(void)state;
	assert_int_equal(timehist_parse(f, &th, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "summary"));
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_perf_stat_json),
	    cmocka_unit_test(refuses_broken_perf_stat),
	    cmocka_unit_test(reads_timehist_summary),
	    cmocka_unit_test(timehist_rows_and_non_rows),
	    cmocka_unit_test(timehist_without_summary_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

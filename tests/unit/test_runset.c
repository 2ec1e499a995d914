// SPDX-License-Identifier: GPL-2.0
/* The run-set loader on the fixture run folders (tests/fixtures/run-*):
 * figures as the files give them, and a clear error naming the file for
 * every broken folder. Run from the repository top (tests/run does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "run_metrics.h"
#include "runset.h"

#define FIX "tests/fixtures/"

static void loads_a_good_folder(void **state)
{
	struct run_set rs;
	char err[1024] = "";
	const struct variant *v;
	json_t *demo;
	size_t i;
	double run = 0;

	(void)state;
	assert_int_equal(run_set_load(&rs, FIX "run-ok", err, sizeof(err)), 0);
	run_set_derive(&rs);
	assert_true(rs.is_demo);
	assert_string_equal(rs.demo, "02_cpu_bound");
	assert_int_equal(rs.nruns, 2);
	assert_int_equal(rs.nvariants, 2);
	assert_int_equal(rs.cpus, 2);
	assert_false(rs.partial);
	v = run_set_variant(&rs, "threads-gil");
	assert_non_null(v);
	assert_int_equal(v->nruns, 1);
	/* wall is the demo's own figure; CPU the sum of the eBPF running times */
	demo = json_load_file(FIX "run-ok/threads-gil/demo.json", 0, NULL);
	assert_non_null(demo);
	assert_true(v->m[M_WALL_S].med == json_number_value(json_object_get(demo, "wall_s")));
	json_decref(demo);
	for (i = 0; i < v->rep->sched.nthreads; i++)
		run += (double)(v->rep->sched.threads[i].state_ns[ST_RUNNING] -
				thread_stolen_ns(&v->rep->sched.threads[i]));
	assert_true(v->m[M_CPU_S].med == run / 1e9);
	assert_true(v->m[M_PARALLELISM].med == v->m[M_CPU_S].med / v->m[M_WALL_S].med);
	/* the GIL's futex word is named by demo.json's locks */
	assert_string_equal(
	    demo_lock_name(v->rep->demo, v->rep->sched.futex[0].pid, v->rep->sched.futex[0].addr),
	    "GIL mutex");
	assert_true(v->rep->pstat.present);
	assert_int_equal(json_array_size(rs.load_notes), 0);
	run_set_free(&rs);
}

/* Each broken folder: load fails, and the message names the file and what is wrong. */
static void expect_error(const char *dir, const char *file, const char *what)
{
	struct run_set rs;
	char err[1024] = "";

	assert_int_equal(run_set_load(&rs, dir, err, sizeof(err)), -1);
	if (!strstr(err, file) || !strstr(err, what))
		fail_msg("error \"%s\" should name \"%s\" and say \"%s\"", err, file, what);
}

static void missing_sched_is_named(void **state)
{
	(void)state;
	expect_error(FIX "run-no-sched", "processes/sched.json", "missing");
}

static void truncated_json_is_named(void **state)
{
	(void)state;
	expect_error(FIX "run-truncated", "threads-gil/sched.json", "corrupt JSON");
}

static void wrong_type_is_named(void **state)
{
	(void)state;
	expect_error(FIX "run-wrong-type", "threads-gil/sched.json", "\"running_ns\"");
}

static void dir_outside_the_folder_is_refused(void **state)
{
	(void)state;
	expect_error(FIX "run-escape", "meta.json", "must name a folder inside the run folder");
}

static void missing_folder_is_named(void **state)
{
	(void)state;
	expect_error(FIX "no-such-run", "no-such-run/meta.json", "missing");
}

/* A broken optional file is a note in the report, not a failure. */
static void bad_perf_output_is_a_note(void **state)
{
	struct run_set rs;
	char err[1024] = "";

	(void)state;
	assert_int_equal(run_set_load(&rs, FIX "run-bad-perf", err, sizeof(err)), 0);
	run_set_derive(&rs);
	assert_int_equal(json_array_size(rs.load_notes), 1);
	assert_non_null(strstr(json_string_value(json_array_get(rs.load_notes, 0)),
			       "processes/perf-stat.json"));
	assert_false(run_set_variant(&rs, "processes")->rep->pstat.present);
	assert_true(run_set_variant(&rs, "threads-gil")->rep->pstat.present);
	run_set_free(&rs);
}

static void partial_run_is_marked(void **state)
{
	struct run_set rs;
	char err[1024] = "";

	(void)state;
	assert_int_equal(run_set_load(&rs, FIX "run-partial", err, sizeof(err)), 0);
	run_set_derive(&rs);
	assert_true(rs.partial);
	assert_int_equal(rs.nruns, 2);
	/* the run stopped before demo.json: the collector's figures stand alone */
	assert_null(rs.runs[1].demo);
	assert_true(rs.runs[1].partial);
	assert_true(rs.runs[1].m[M_WALL_S] > 0);
	assert_non_null(
	    strstr(json_string_value(json_array_get(rs.load_notes, 0)), "no demo.json"));
	run_set_free(&rs);
}

/* A stolen vCPU looks like running to the tracepoints; the task clock knows. */
static void stolen_time_is_what_the_task_clock_did_not_count(void **state)
{
	struct sched_thread t = {.has_clock = true, .clock_slices = 10};

	(void)state;
	t.clock_bpf_ns = 900000000;
	t.clock_sched_ns = 600000000;
	assert_int_equal(thread_stolen_ns(&t), 300000000);
	/* woken slices: the task clock runs ahead, nothing was stolen */
	t.clock_sched_ns = 900200000;
	assert_int_equal(thread_stolen_ns(&t), 0);
	t.has_clock = false;
	t.clock_sched_ns = 1;
	assert_int_equal(thread_stolen_ns(&t), 0);
}

static void median_of_even_and_odd(void **state)
{
	const double odd[] = {3, 1, 2}, even[] = {4, 1, 3, 2};

	(void)state;
	assert_true(median(odd, 3) == 2);
	assert_true(median(even, 4) == 2.5);
	assert_true(median(NULL, 0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loads_a_good_folder),
	    cmocka_unit_test(missing_sched_is_named),
	    cmocka_unit_test(truncated_json_is_named),
	    cmocka_unit_test(wrong_type_is_named),
	    cmocka_unit_test(dir_outside_the_folder_is_refused),
	    cmocka_unit_test(missing_folder_is_named),
	    cmocka_unit_test(bad_perf_output_is_a_note),
	    cmocka_unit_test(partial_run_is_marked),
	    cmocka_unit_test(stolen_time_is_what_the_task_clock_did_not_count),
	    cmocka_unit_test(median_of_even_and_odd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The cross-checks: they pass on a consistent run folder and each one fails
 * when its figures disagree past the stated allowance. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "run_metrics.h"

#define FIX "tests/fixtures/"

static int load(void **state)
{
	static struct run_set rs;
	char err[1024];

	if (run_set_load(&rs, FIX "run-ok", err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	run_set_derive(&rs);
	*state = &rs;
	return 0;
}

static int unload(void **state)
{
	run_set_free(*state);
	return 0;
}

static const struct check *find(const struct check_list *cl, const char *run, const char *name)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (!strcmp(cl->c[i].run, run) && strstr(cl->c[i].name, name))
			return &cl->c[i];
	fail_msg("no check \"%s\" for run %s", name, run);
	return NULL;
}

static void all_pass_on_a_consistent_run(void **state)
{
	struct check_list cl;
	size_t i;

	checks_run(*state, &cl);
	/* per run: running, runnable, switches, perf stat, conservation, lost, stacks */
	assert_int_equal(cl.n, 14);
	for (i = 0; i < cl.n; i++)
		if (cl.c[i].verdict != V_PASS && !strstr(cl.c[i].name, "stacks"))
			fail_msg("%s %s: %s", cl.c[i].run, cl.c[i].name, cl.c[i].figures);
	assert_int_equal(checks_failed(&cl), 0);
	/* the per-slice deviation is shown: the fixture's 4 µs per slice */
	assert_non_null(strstr(find(&cl, "threads-gil", "running")->figures, "4.00 µs/slice"));
	checks_free(&cl);
}

static void running_time_off_fails(void **state)
{
	struct run_set *rs = *state;
	struct sched_thread *t = &rs->runs[0].sched.threads[1];
	uint64_t saved = t->state_ns[ST_RUNNING];
	struct check_list cl;

	/* 10% less running than schedstat: past max(2%, 2 ms) + 10 µs x slices */
	t->state_ns[ST_RUNNING] = saved - saved / 10;
	checks_run(rs, &cl);
	assert_int_equal(find(&cl, rs->runs[0].dir, "running vs")->verdict, V_FAIL);
	assert_int_equal(find(&cl, rs->runs[0].dir, "conservation")->verdict, V_FAIL);
	checks_free(&cl);
	t->state_ns[ST_RUNNING] = saved;
}

static void switch_counts_off_fail(void **state)
{
	struct run_set *rs = *state;
	struct sched_thread *t = &rs->runs[0].sched.threads[1];
	struct check_list cl;

	t->nvcsw += 3;
	rs->runs[0].m[M_NVCSW] += 30; /* and perf stat saw 30 fewer than eBPF says */
	checks_run(rs, &cl);
	assert_int_equal(find(&cl, rs->runs[0].dir, "switches vs")->verdict, V_FAIL);
	assert_int_equal(find(&cl, rs->runs[0].dir, "perf stat")->verdict, V_FAIL);
	checks_free(&cl);
	t->nvcsw -= 3;
	rs->runs[0].m[M_NVCSW] -= 30;
}

static void lost_events_fail(void **state)
{
	struct run_set *rs = *state;
	struct check_list cl;

	rs->runs[1].sched.lost_ringbuf = 1;
	rs->runs[0].sched.lost_stack_collisions = 2;
	checks_run(rs, &cl);
	assert_int_equal(find(&cl, rs->runs[1].dir, "lost events")->verdict, V_FAIL);
	assert_int_equal(find(&cl, rs->runs[0].dir, "lost events")->verdict, V_PASS);
	/* lost stacks are shown, and do not fail the run */
	assert_non_null(strstr(find(&cl, rs->runs[0].dir, "stacks")->figures, "collisions 2"));
	assert_int_equal(checks_failed(&cl), 1);
	checks_free(&cl);
	rs->runs[1].sched.lost_ringbuf = 0;
	rs->runs[0].sched.lost_stack_collisions = 0;
}

/* perf sched's rows for run 0, made from eBPF's own figures scaled by @scale
 * (the perf pass is another run: same shape, other times), with perf's own
 * pass checked against demo.json's schedstat, which stands in for it. */
static void fake_perf_pass(struct run *r, struct timehist_row *rows, double run_scale,
			   double life_scale)
{
	size_t i;

	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		const struct demo_thread *d = demo_find_tid(r->demo, t->tid);
		double blocked =
		    (double)(t->lifetime_ns - t->state_ns[ST_RUNNING] - t->state_ns[ST_RUNNABLE]);

		memset(&rows[i], 0, sizeof(rows[i]));
		snprintf(rows[i].comm, sizeof(rows[i].comm), "%s", t->comm);
		rows[i].tid = t->tid;
		rows[i].pid = t->pid;
		rows[i].run_ms = (double)d->run_ns / 1e6; /* perf agrees with the kernel */
		rows[i].delay_ms = (double)t->state_ns[ST_RUNNABLE] / 1e6;
		rows[i].sleep_ms = blocked * run_scale / 1e6;
		if (life_scale < 1) /* perf missed the thread's switches */
			rows[i].sleep_ms = rows[i].run_ms = rows[i].delay_ms = 0.1;
	}
	r->timehist.rows = rows;
	r->timehist.n = r->sched.nthreads;
	r->timehist.present = true;
	r->perf_demo = r->demo;
}

static void perf_sched_compared_per_role(void **state)
{
	struct run_set *rs = *state;
	struct run *r = &rs->runs[0];
	struct timehist_row rows[16];
	struct check_list cl;

	assert_true(r->sched.nthreads <= 16);
	fake_perf_pass(r, rows, 1.0, 1.0);
	checks_run(rs, &cl);
	assert_int_equal(find(&cl, r->dir, "timehist")->verdict, V_PASS);
	checks_free(&cl);

	/* blocked three times as long in the perf pass: the shares disagree */
	fake_perf_pass(r, rows, 3.0, 1.0);
	checks_run(rs, &cl);
	assert_int_equal(find(&cl, r->dir, "timehist")->verdict, V_FAIL);
	checks_free(&cl);

	/* perf saw a sliver of each thread's life: it cannot judge */
	fake_perf_pass(r, rows, 1.0, 0.0);
	checks_run(rs, &cl);
	assert_int_equal(find(&cl, r->dir, "timehist")->verdict, V_NA);
	assert_non_null(strstr(find(&cl, r->dir, "timehist")->figures, "missed switch events"));
	checks_free(&cl);

	r->timehist.present = false;
	r->timehist.rows = NULL;
	r->timehist.n = 0;
	r->perf_demo = NULL;
}

static void tolerances_as_documented(void **state)
{
	(void)state;
	/* max(2% of 1 s, 2 ms) + 10 µs x 100 slices = 21 ms */
	assert_true(tol_running_ns(1e9, 100) == 21e6);
	/* small references get the 2 ms floor */
	assert_true(tol_running_ns(1e6, 0) == 2e6);
	assert_true(tol_runnable_ns(1e9, 0) == 50e6);
	assert_true(tol_perf_switches(50) == 2);
	assert_true(tol_perf_switches(1000) == 20);
	/* eBPF may be above the snapshot by the extra, never below past tol */
	assert_true(within_above(105, 100, 2, 5));
	assert_false(within_above(108, 100, 2, 5));
	assert_false(within_above(95, 100, 2, 5));
	assert_true(within_above(98, 100, 2, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(all_pass_on_a_consistent_run),
	    cmocka_unit_test(running_time_off_fails),
	    cmocka_unit_test(switch_counts_off_fail),
	    cmocka_unit_test(lost_events_fail),
	    cmocka_unit_test(perf_sched_compared_per_role),
	    cmocka_unit_test(tolerances_as_documented),
	};

	return cmocka_run_group_tests(tests, load, unload);
}

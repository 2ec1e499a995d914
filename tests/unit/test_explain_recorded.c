// SPDX-License-Identifier: GPL-2.0
/* The explainers on run folders recorded on this project's machine
 * (`sudo ./scripts/trace 02 --quick`, `... 03 --quick --no-perf --no-timeline`,
 * the same for 04; demo.json, sched.json, perf-stat.json and meta.json kept
 * as written, on a host busy with other work):
 * real collector and demo output, so a change in either format, or in the
 * loader, that the built fixtures would not notice shows here. */
#include "explain_fixture.h"

static void cpu_bound_recorded(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = fx_explain_recorded(&f, "tests/fixtures/explain/02-quick");
	assert_claim(t, "\nthreads-gil kept 0.79 CPUs busy"); /* CPU less 10 ms stolen */
	assert_claim(t, "threads-gil: its 2 threads spent 37% of their time blocked");
	assert_claim(t, "condition variables, so all 852.6 ms they were blocked, in 283 waits");
	assert_claim(t, "GIL cond 204 waits 848.9 ms");
	assert_claim(t, "threads-gil: the GIL changed hands 69 times in 1.21 s, once every");
	assert_no_claim(t, "about once per switch interval"); /* 57/s is not 200/s */
	assert_claim(t, "\nprocesses kept 1.61 CPUs busy, 81% of the");
	assert_claim(t, "\nthreads-nogil kept only 1.10 CPUs busy, 55% of the");
	assert_claim(t, "So the cause is the lock, not threads: processes");
	assert_no_claim(t, ": the CPUs were free"); /* 35% of the demand waited in run queues */
	assert_no_claim(t, "the CPUs are the limit");
	fx_free(&f);
}

static void event_loop_recorded(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = fx_explain_recorded(&f, "tests/fixtures/explain/03-quick");
	assert_claim(t, "await: the loop thread waited in epoll_wait for 50.1 ms");
	assert_claim(t, "await took 0.050 s for 10 tasks of 0.05 s, about one wait: the waits "
			"overlapped");
	assert_claim(t, "blocking: the loop thread slept 99% of its life (500.8 ms)");
	assert_claim(t, "in 10 sleeps of 50.1 ms each");
	assert_claim(t, "tasks finished up to 451.5 ms late");
	assert_claim(t, "blocking took 0.50 s for 10 tasks × 0.05 s = 0.50 s: the waits added up");
	/* and nothing crossed: */
	assert_no_claim(t, "\nawait: the loop thread slept");
	assert_no_claim(t, "\nblocking: the loop thread waited in epoll_wait");
	fx_free(&f);
}

static void backpressure_recorded(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = fx_explain_recorded(&f, "tests/fixtures/explain/04-quick");
	assert_claim(t, "unbounded: the producer never waited for room");
	assert_claim(t, "unbounded: the backlog grew by 806 items a second");
	/* the chart's caption's figure (issue 18: the verdict said 3.8) */
	assert_claim(t, "unbounded: memory grew with it: +3.3 MiB");
	assert_claim(t, "the kernel counted 927 page faults");
	assert_claim(t, "unbounded: waiting time grew with the backlog");
	assert_claim(t, "bounded: the producer spent 73% of its time");
	assert_claim(t, "waiting for room in the full queue (147 waits)");
	assert_claim(t, "bounded: the backlog stopped at the queue's capacity: at most 200 items");
	/* 806.0 ms bounded against 805.4 ms unbounded: nothing shows a bound
	 * on the waits, and the verdict says why */
	assert_no_claim(t, "bounded: waiting time stayed bounded");
	assert_claim(fx_verdict(&f), "This run was too short for the latencies to differ");
	assert_claim(t, "page faults 927 against 313");
	assert_no_claim(t, "\nbounded: the producer never waited");
	assert_no_claim(t, "\nunbounded: the producer spent");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cpu_bound_recorded),
	    cmocka_unit_test(event_loop_recorded),
	    cmocka_unit_test(backpressure_recorded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* 03_event_loop's explainer: each claim made on a run that shows it, left
 * out on one that does not. */
#include "explain_fixture.h"

#define PARAMS "{\"tasks\": 10, \"wait_s\": 0.05}"

/* blocking: the loop sleeps @sleep_ms in @calls nanosleeps and runs @run_ms;
 * the latest task starts @late_ms late. */
static void add_blocking(struct fx *f, double wall, double sleep_ms, int calls, double run_ms,
			 double late_ms)
{
	struct fx_run *r = fx_variant(f, "blocking", wall, PARAMS);
	char lat[160];
	json_t *t;

	snprintf(lat, sizeof(lat),
		 "{\"task_latency\": {\"lateness_ns\": {\"max\": %.0f, \"mean\": %.0f}}}",
		 late_ms * 1e6, late_ms * 1e6 / 2);
	fx_demo_set(r, lat);
	fx_thread(r, 1000, "main", (struct fx_states){.running = 2, .lock = wall * 1e3}, 0);
	t = fx_thread(r, 1001, "loop", (struct fx_states){.running = run_ms, .sleep = sleep_ms},
		      10);
	if (calls)
		fx_syscall(t, "clock_nanosleep", calls, sleep_ms);
}

/* await: the loop waits @epoll_ms in @calls epoll_waits and runs @run_ms. */
static void add_await(struct fx *f, double wall, double epoll_ms, int calls, double run_ms)
{
	struct fx_run *r = fx_variant(f, "await", wall, PARAMS);
	json_t *t;

	fx_thread(r, 1100, "main", (struct fx_states){.running = 2, .lock = wall * 1e3}, 0);
	t = fx_thread(r, 1101, "loop", (struct fx_states){.running = run_ms, .io = epoll_ms}, 10);
	fx_syscall(t, "epoll_wait", calls, epoll_ms);
}

static void blocking_loop_sleeps_in_tasks(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.502, 500, 10, 0.6, 450);
	assert_claim(fx_explain(&f), "in 10 sleeps of 50.0 ms each");
	fx_free(&f);

	/* A loop that computed instead of sleeping. */
	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.502, 50, 10, 450, 450);
	assert_no_claim(fx_explain(&f), "sleeps of");
	fx_free(&f);
}

static void timers_were_due(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.502, 500, 10, 0.6, 450);
	assert_claim(fx_explain(&f),
		     "timers came due while the loop slept: tasks finished up to 450.0 ms late");
	fx_free(&f);

	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.502, 500, 10, 0.6, 1); /* 1 ms late: less than one wait */
	assert_no_claim(fx_explain(&f), "came due while the loop slept");
	fx_free(&f);
}

static void await_loop_sleeps_in_epoll(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "03_event_loop", 2);
	add_await(&f, 0.0502, 50, 1, 0.3);
	assert_claim(fx_explain(&f), "waited in epoll_wait for 50.0 ms");
	fx_free(&f);

	/* Running most of the time, epoll_wait a fraction of it. */
	fx_init(&f, "03_event_loop", 2);
	add_await(&f, 0.0502, 10, 1, 40);
	assert_no_claim(fx_explain(&f), "waited in epoll_wait");
	fx_free(&f);
}

static void waits_add_up_or_overlap(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.502, 500, 10, 0.6, 450);
	add_await(&f, 0.0502, 50, 1, 0.3);
	t = fx_explain(&f);
	assert_claim(t, "blocking took 0.50 s for 10 tasks × 0.05 s = 0.50 s: the waits added up");
	assert_claim(t, "await took 0.050 s for 10 tasks of 0.05 s, about one wait: the waits "
			"overlapped");
	fx_free(&f);

	/* Middling walls: neither claim. */
	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.2, 190, 10, 0.6, 150);
	add_await(&f, 0.2, 190, 1, 0.3);
	t = fx_explain(&f);
	assert_no_claim(t, "added up");
	assert_no_claim(t, "overlapped");
	fx_free(&f);
}

/* The verdict contrasts the loop that awaits with the one that blocks; a
 * doubt when blocking was not much slower. */
static void verdict_or_doubt(void **state)
{
	struct fx f;
	const char *v;

	(void)state;
	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.5, 495, 10, 1, 450);
	add_await(&f, 0.051, 50, 1, 0.3);
	fx_explain(&f);
	v = fx_verdict(&f);
	assert_claim(v, "\nblocking: 0.50 s for 10 tasks of 0.05 s: each task slept inside the "
			"loop");
	assert_claim(v, "finished 450.0 ms late");
	assert_claim(v, "\nawait: 0.051 s for 10 tasks of 0.05 s: each task handed its wait");
	assert_no_claim(v, "does not show the lesson");
	fx_free(&f);

	fx_init(&f, "03_event_loop", 2);
	add_blocking(&f, 0.09, 80, 10, 1, 40);
	add_await(&f, 0.051, 50, 1, 0.3);
	fx_explain(&f);
	assert_claim(fx_verdict(&f), "This run does not show the lesson: blocking (0.09 s) was "
				     "not much slower than await (0.05 s)");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(blocking_loop_sleeps_in_tasks),
	    cmocka_unit_test(timers_were_due),
	    cmocka_unit_test(await_loop_sleeps_in_epoll),
	    cmocka_unit_test(waits_add_up_or_overlap),
	    cmocka_unit_test(verdict_or_doubt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

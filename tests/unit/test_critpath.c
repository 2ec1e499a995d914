// SPDX-License-Identifier: GPL-2.0
/*
 * The critical path on hand-made schedules: two workers taking turns on a
 * lock, a producer paced by its consumer, a join, a timer, and a path
 * through a thread's creation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "critpath.h"
#include "schedtrace.h"

#define IV(tid, st, a, b)                                                                          \
	{                                                                                          \
		(a), (b), (tid), (st), WK_NONE, 0, 0, 0                                            \
	}
#define WOKEN(tid, a, b, kind, by)                                                                 \
	{                                                                                          \
		(a), (b), (tid), ST_RUNNABLE, (kind), (by), 0, 0                                   \
	}
/* Woken by a softirq that thread @host ran in its own syscall (loopback). */
#define WOKEN_IN(tid, a, b, host)                                                                  \
	{                                                                                          \
		(a), (b), (tid), ST_RUNNABLE, WK_SOFTIRQ, 3, (host), 0                             \
	}

static uint64_t sum(const struct cp_path *p)
{
	uint64_t s = 0;

	for (size_t i = 0; i < p->n; i++) {
		assert_true(p->seg[i].end > p->seg[i].start);
		if (i)
			assert_true(p->seg[i].start >= p->seg[i - 1].end);
		s += p->seg[i].end - p->seg[i].start;
	}
	return s;
}

/* Two workers alternate on a lock: the path is their running time plus the handoffs. */
static void test_take_turns(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    IV(1, ST_RUNNING, 0, 10),  IV(1, ST_LOCK, 10, 20), WOKEN(1, 20, 21, WK_THREAD, 2),
	    IV(1, ST_RUNNING, 21, 30), IV(2, ST_LOCK, 0, 10),  WOKEN(2, 10, 11, WK_THREAD, 1),
	    IV(2, ST_RUNNING, 11, 20), IV(2, ST_LOCK, 20, 30),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute(iv, sizeof(iv) / sizeof(iv[0]), 0, 30, &p), 0);
	assert_int_equal(p.end_tid, 1);
	assert_int_equal(sum(&p), 30);
	/* 1 ran 21..30 and 0..10; 2 ran 11..20, with two runnable handoffs. */
	assert_int_equal(critpath_time(&p, 1, ST_RUNNING), 19);
	assert_int_equal(critpath_time(&p, 2, ST_RUNNING), 9);
	assert_int_equal(critpath_time(&p, 1, ST_RUNNABLE) + critpath_time(&p, 2, ST_RUNNABLE), 2);
	assert_int_equal(critpath_time(&p, 1, ST_LOCK) + critpath_time(&p, 2, ST_LOCK), 0);
	critpath_free(&p);
}

/* A producer blocked on a full queue is off the path: the consumer's sleeps set the pace. */
static void test_consumer_sets_pace(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    /* consumer (3): sleeps 5 per item, takes one, wakes the producer */
	    IV(3, ST_SLEEP, 0, 5),
	    WOKEN(3, 5, 6, WK_HARDIRQ, 0),
	    IV(3, ST_RUNNING, 6, 7),
	    IV(3, ST_SLEEP, 7, 12),
	    WOKEN(3, 12, 13, WK_HARDIRQ, 0),
	    IV(3, ST_RUNNING, 13, 14),
	    /* producer (4): blocked on the full queue, woken by the consumer */
	    IV(4, ST_RUNNING, 0, 1),
	    IV(4, ST_LOCK, 1, 7),
	    WOKEN(4, 7, 8, WK_THREAD, 3),
	    IV(4, ST_RUNNING, 8, 9),
	    IV(4, ST_LOCK, 9, 14),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute(iv, sizeof(iv) / sizeof(iv[0]), 0, 14, &p), 0);
	assert_int_equal(p.end_tid, 3);
	assert_int_equal(sum(&p), 14);
	assert_int_equal(critpath_time(&p, 3, ST_SLEEP), 10);
	assert_int_equal(critpath_time(&p, 4, -1), 0);
	/* The sleeps carry who ended them: the timer's interrupt. */
	assert_int_equal(p.seg[0].via_kind, WK_HARDIRQ);
	critpath_free(&p);
}

/* main joins a worker: the path goes through the worker, and through its creation. */
static void test_join_and_fork(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    IV(10, ST_RUNNING, 0, 2),	      IV(10, ST_LOCK, 2, 50),
	    WOKEN(10, 50, 51, WK_THREAD, 11), IV(10, ST_RUNNING, 51, 52),
	    WOKEN(11, 1, 3, WK_FORK, 10),     IV(11, ST_RUNNING, 3, 49),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute(iv, sizeof(iv) / sizeof(iv[0]), 0, 52, &p), 0);
	assert_int_equal(p.end_tid, 10);
	assert_int_equal(sum(&p), 52);
	/* The worker's exit tracepoint came 1 before its joiner's wakeup. */
	assert_int_equal(critpath_time(&p, 11, ST_RUNNING), 46);
	assert_int_equal(critpath_time(&p, 10, ST_LOCK), 1);
	assert_int_equal(critpath_time(&p, 10, ST_RUNNING), 2);
	critpath_free(&p);
}

/* No wake edge seen (a missed wakeup): the wait stays on the path; the window clips. */
static void test_unknown_waker_and_window(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    IV(5, ST_IO, 0, 40),
	    IV(5, ST_RUNNING, 40, 60),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute(iv, 2, 10, 50, &p), 0);
	assert_int_equal(sum(&p), 40);
	assert_int_equal(critpath_time(&p, 5, ST_IO), 30);
	assert_int_equal(critpath_time(&p, 5, ST_RUNNING), 10);
	critpath_free(&p);
	assert_int_equal(critpath_compute(iv, 0, 0, 1, &p), -1);
}

/*
 * main waits 10..50 on a mutex worker 2 held as the wait began (its owner
 * read at the wait); the wakeup's waker went unseen. The path goes to the
 * holder: worker 2 ran 0..30 and waited for a CPU 30..50, then main runs.
 * Without the owner the wait itself stays on the path.
 */
static void test_wait_goes_to_the_holder(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    IV(1, ST_RUNNING, 0, 10),	{10, 50, 1, ST_LOCK, WK_NONE, 0, 0, 2},
	    IV(1, ST_RUNNABLE, 50, 55), IV(1, ST_RUNNING, 55, 60),
	    IV(2, ST_RUNNING, 0, 30),	IV(2, ST_RUNNABLE, 30, 50),
	    IV(2, ST_SLEEP, 50, 60),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute_from(iv, 7, 0, 60, 1, &p), 0);
	assert_int_equal(sum(&p), 60);
	assert_int_equal(critpath_time(&p, 1, ST_LOCK), 0);
	assert_int_equal(critpath_time(&p, 2, ST_RUNNING), 30);
	assert_int_equal(critpath_time(&p, 2, ST_RUNNABLE), 20);
	assert_int_equal(critpath_time(&p, 1, ST_RUNNING), 5);
	critpath_free(&p);
	iv[1].holder = 0;
	assert_int_equal(critpath_compute_from(iv, 7, 0, 60, 1, &p), 0);
	assert_int_equal(critpath_time(&p, 1, ST_LOCK), 40);
	assert_int_equal(critpath_time(&p, 2, ST_RUNNING), 0);
	critpath_free(&p);
}

/* A reply over loopback: the softirq ran in the server's send, so the path goes there. */
static void test_loopback_reply(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    IV(1, ST_RUNNING, 0, 2),   IV(1, ST_IO, 2, 50),
	    WOKEN_IN(1, 50, 51, 2),    IV(1, ST_RUNNING, 51, 60),
	    IV(2, ST_IO, 0, 3),	       WOKEN(2, 3, 4, WK_SOFTIRQ, 3),
	    IV(2, ST_SLEEP, 4, 45),    WOKEN(2, 45, 46, WK_HARDIRQ, 1),
	    IV(2, ST_RUNNING, 46, 55),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute(iv, sizeof(iv) / sizeof(iv[0]), 0, 60, &p), 0);
	assert_int_equal(sum(&p), 60);
	/* The server's sleep (its simulated latency) is on the path, not the client's io. */
	assert_int_equal(critpath_time(&p, 2, ST_SLEEP), 41);
	assert_int_equal(critpath_time(&p, 1, ST_IO), 0);
	critpath_free(&p);
}

/* Inconsistent edges (two threads each woken by the other at one instant) still end. */
static void test_cycle_terminates(void **state)
{
	(void)state;
	struct cp_interval iv[] = {
	    IV(1, ST_LOCK, 0, 10),
	    WOKEN(1, 10, 11, WK_THREAD, 2),
	    IV(2, ST_LOCK, 0, 10),
	    WOKEN(2, 10, 11, WK_THREAD, 1),
	};
	struct cp_path p;

	assert_int_equal(critpath_compute(iv, 4, 0, 11, &p), 0);
	assert_true(sum(&p) <= 11);
	critpath_free(&p);
}

/*
 * A demo's measured section ends in main (at 12, after joining its worker);
 * then main stops a sampler that sleeps on a timer and joins it. Walked back
 * from the last thread to end, the path is the sampler's sleep; over the
 * measured section, from main, it is the worker's running. Over the whole
 * run from main (which ended last) it is the same path as before.
 */
static struct cp_interval sampler_run[] = {
    /* main (1): forks both, joins the worker, records the end at 12, joins the sampler */
    IV(1, ST_RUNNING, 0, 1),
    IV(1, ST_LOCK, 1, 10),
    WOKEN(1, 10, 11, WK_THREAD, 2),
    IV(1, ST_RUNNING, 11, 12),
    IV(1, ST_LOCK, 12, 20),
    WOKEN(1, 20, 21, WK_THREAD, 3),
    IV(1, ST_RUNNING, 21, 22),
    /* worker (2): the work */
    WOKEN(2, 1, 2, WK_FORK, 1),
    IV(2, ST_RUNNING, 2, 10),
    /* sampler (3): sleeps until its timer, sees the stop flag, exits */
    WOKEN(3, 1, 2, WK_FORK, 1),
    IV(3, ST_SLEEP, 2, 18),
    WOKEN(3, 18, 19, WK_HARDIRQ, 0),
    IV(3, ST_RUNNING, 19, 20),
};
#define NSAMPLER (sizeof(sampler_run) / sizeof(sampler_run[0]))

static void test_measured_section(void **state)
{
	struct cp_interval iv[NSAMPLER];
	struct cp_path last, sec;

	(void)state;
	memcpy(iv, sampler_run, sizeof(iv));
	assert_int_equal(critpath_compute(iv, NSAMPLER, 0, 22, &last), 0);
	assert_int_equal(critpath_time(&last, 3, ST_SLEEP), 16); /* the teardown's sampler */
	assert_int_equal(critpath_time(&last, 2, -1), 0);
	memcpy(iv, sampler_run, sizeof(iv));
	assert_int_equal(critpath_compute_from(iv, NSAMPLER, 0, 12, 1, &sec), 0);
	assert_int_equal(sec.end_tid, 1);
	assert_int_equal(sum(&sec), 12);
	assert_int_equal(critpath_time(&sec, 2, ST_RUNNING), 8);
	assert_int_equal(critpath_time(&sec, 3, -1), 0);
	critpath_free(&last);
	critpath_free(&sec);
}

static void test_measured_section_same_when_it_is_the_run(void **state)
{
	struct cp_interval iv[NSAMPLER];
	struct cp_path last, from;

	(void)state;
	memcpy(iv, sampler_run, sizeof(iv));
	assert_int_equal(critpath_compute(iv, NSAMPLER, 0, 22, &last), 0);
	memcpy(iv, sampler_run, sizeof(iv));
	assert_int_equal(critpath_compute_from(iv, NSAMPLER, 0, 22, 1, &from), 0);
	assert_int_equal(from.n, last.n);
	for (size_t i = 0; i < from.n; i++) {
		assert_int_equal(from.seg[i].tid, last.seg[i].tid);
		assert_int_equal(from.seg[i].state, last.seg[i].state);
		assert_int_equal(from.seg[i].start, last.seg[i].start);
		assert_int_equal(from.seg[i].end, last.seg[i].end);
	}
	critpath_free(&from);
	/* A thread not alive at the window's end: from the last to end, as before. */
	memcpy(iv, sampler_run, sizeof(iv));
	assert_int_equal(critpath_compute_from(iv, NSAMPLER, 0, 22, 2, &from), 0);
	assert_int_equal(from.end_tid, last.end_tid);
	assert_int_equal(critpath_time(&from, 3, ST_SLEEP), 16);
	critpath_free(&from);
	critpath_free(&last);
}

/*
 * The section ends while main still waits: the thread doing the work (the
 * event loop of 03) records the end, and main joins it after. From main at
 * the window's end, the path is what main waited on: the loop.
 */
static void test_window_ends_inside_a_wait(void **state)
{
	struct cp_interval iv[] = {
	    IV(1, ST_RUNNING, 0, 1),	    IV(1, ST_LOCK, 1, 12),
	    WOKEN(1, 12, 13, WK_THREAD, 2), IV(1, ST_RUNNING, 13, 14),
	    WOKEN(2, 1, 2, WK_FORK, 1),	    IV(2, ST_IO, 2, 9),
	    WOKEN(2, 9, 10, WK_HARDIRQ, 0), IV(2, ST_RUNNING, 10, 12),
	};
	struct cp_path p;

	(void)state;
	assert_int_equal(critpath_compute_from(iv, sizeof(iv) / sizeof(iv[0]), 0, 11, 1, &p), 0);
	assert_int_equal(sum(&p), 11);
	assert_int_equal(critpath_time(&p, 1, ST_LOCK), 0);
	assert_int_equal(critpath_time(&p, 2, ST_RUNNING), 1);
	assert_int_equal(critpath_time(&p, 2, ST_IO), 7);
	critpath_free(&p);
}

/*
 * A command's processes all end before the window does: the window ends
 * when the collector reaps the command, and a collector still draining its
 * ring buffer on a loaded host reaps it late (stress-ng --futex: 6 to 766 ms
 * after its last thread's final switch-out, in six runs). No traced thread
 * lived then, so the path stops at the last thread's end: that tail is the
 * collector's, and tests/integration/causes.sh judges the coverage against
 * the traced threads' lives, not the whole window. Here main (100) forks a
 * worker process (101), which forks another (102); they take turns, main
 * waits for its child's exit and exits at 60; the collector reaps at 100.
 */
static void test_window_ends_after_every_thread(void **state)
{
	struct cp_interval iv[] = {
	    IV(100, ST_RUNNING, 0, 3),		IV(100, ST_OTHER, 3, 50),
	    WOKEN(100, 50, 51, WK_THREAD, 101), IV(100, ST_RUNNING, 51, 60),
	    WOKEN(101, 2, 3, WK_FORK, 100),	IV(101, ST_RUNNING, 3, 10),
	    IV(101, ST_LOCK, 10, 20),		WOKEN(101, 20, 21, WK_THREAD, 102),
	    IV(101, ST_RUNNING, 21, 49),	WOKEN(102, 9, 10, WK_FORK, 101),
	    IV(102, ST_RUNNING, 10, 20),	IV(102, ST_SLEEP, 20, 48),
	};
	struct cp_path p;

	(void)state;
	assert_int_equal(critpath_compute(iv, sizeof(iv) / sizeof(iv[0]), 0, 100, &p), 0);
	assert_int_equal(p.end_tid, 100);
	assert_int_equal(p.end_ns, 100);
	/* Every instant of the threads' lives is on the path; nothing after. */
	assert_int_equal(sum(&p), 60);
	assert_int_equal(p.covered_ns, 60);
	assert_int_equal(p.seg[0].start, 0);
	assert_int_equal(p.seg[p.n - 1].end, 60);
	/* Through both forks: 101 ran 3..9 and 21..49, 102 ran 10..20. */
	assert_int_equal(critpath_time(&p, 101, ST_RUNNING), 34);
	assert_int_equal(critpath_time(&p, 102, ST_RUNNING), 10);
	assert_int_equal(critpath_time(&p, 100, ST_OTHER), 1);
	critpath_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_take_turns),
	    cmocka_unit_test(test_consumer_sets_pace),
	    cmocka_unit_test(test_join_and_fork),
	    cmocka_unit_test(test_unknown_waker_and_window),
	    cmocka_unit_test(test_wait_goes_to_the_holder),
	    cmocka_unit_test(test_loopback_reply),
	    cmocka_unit_test(test_cycle_terminates),
	    cmocka_unit_test(test_measured_section),
	    cmocka_unit_test(test_measured_section_same_when_it_is_the_run),
	    cmocka_unit_test(test_window_ends_inside_a_wait),
	    cmocka_unit_test(test_window_ends_after_every_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

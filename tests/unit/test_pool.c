// SPDX-License-Identifier: GPL-2.0
/* The thread pool: every task index runs exactly once, on named workers that
 * record themselves; failures stop the pool. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "pool.h"
#include "threads.h"

#define TASKS 1000

struct counts {
	unsigned int runs[TASKS];
	unsigned int inits, finis;
	unsigned int fail_at; /* a task index that fails, or TASKS for none */
};

static int count_init(void *ctx, unsigned int worker, void **wstate)
{
	struct counts *c = ctx;

	__atomic_fetch_add(&c->inits, 1, __ATOMIC_RELAXED);
	*wstate = (void *)(uintptr_t)worker;
	return 0;
}

static int count_task(void *ctx, void *wstate, unsigned int task)
{
	struct counts *c = ctx;

	(void)wstate;
	__atomic_fetch_add(&c->runs[task], 1, __ATOMIC_RELAXED);
	return task == c->fail_at ? -1 : 0;
}

static void count_fini(void *ctx, void *wstate)
{
	struct counts *c = ctx;

	(void)wstate;
	__atomic_fetch_add(&c->finis, 1, __ATOMIC_RELAXED);
}

static void every_task_once(void **state)
{
	static struct counts c;
	static uint64_t start[TASKS], end[TASKS];
	struct pool_spec s = {.workers = 8,
			      .tasks = TASKS,
			      .ctx = &c,
			      .worker_init = count_init,
			      .task = count_task,
			      .worker_fini = count_fini,
			      .task_start_ns = start,
			      .task_end_ns = end};
	uint64_t sum = 0;
	unsigned int workers = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fail_at = TASKS;
	threads_reset();
	assert_int_equal(pool_run(&s), 0);
	for (unsigned int i = 0; i < TASKS; i++) {
		assert_int_equal(c.runs[i], 1);
		assert_true(start[i] > 0 && end[i] >= start[i]);
	}
	assert_int_equal(c.inits, 8);
	assert_int_equal(c.finis, 8);
	for (unsigned int i = 0; i < threads_count(); i++) {
		struct thread_record *r = threads_get(i);

		assert_true(r->ended);
		assert_true(r->timeslices > 0);
		assert_int_equal(strncmp(r->name, "worker-", 7), 0);
		sum += r->tasks;
		workers++;
	}
	assert_int_equal(workers, 8);
	assert_int_equal(sum, TASKS);
}

static void serial_counts_in_caller(void **state)
{
	static struct counts c;
	struct thread_record caller = {0};
	struct pool_spec s = {
	    .workers = 0, .tasks = 10, .ctx = &c, .task = count_task, .caller = &caller};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fail_at = TASKS;
	threads_reset();
	assert_int_equal(pool_run(&s), 0);
	assert_int_equal(caller.tasks, 10);
	assert_int_equal(threads_count(), 0); /* no thread was started */
	for (unsigned int i = 0; i < 10; i++)
		assert_int_equal(c.runs[i], 1);
}

static void failing_task_stops_pool(void **state)
{
	static struct counts c;
	struct pool_spec s = {.workers = 0, .tasks = 100, .ctx = &c, .task = count_task};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fail_at = 5;
	assert_int_equal(pool_run(&s), -1);
	assert_int_equal(c.runs[5], 1);
	assert_int_equal(c.runs[6], 0); /* serial: nothing after the failure */
}

static int failing_init(void *ctx, unsigned int worker, void **wstate)
{
	(void)ctx;
	(void)wstate;
	return worker == 2 ? -1 : 0;
}

static void failing_init_fails_run(void **state)
{
	static struct counts c;
	struct pool_spec s = {
	    .workers = 4, .tasks = 100, .ctx = &c, .worker_init = failing_init, .task = count_task};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fail_at = TASKS;
	threads_reset();
	assert_int_equal(pool_run(&s), -1);
	/* Every worker still ended and recorded itself. */
	for (unsigned int i = 0; i < threads_count(); i++)
		assert_true(threads_get(i)->ended);
	assert_int_equal(threads_count(), 4);
}

static int sleep_task(void *ctx, void *wstate, unsigned int task)
{
	(void)ctx;
	(void)wstate;
	(void)task;
	sleep_ns(20 * NSEC_PER_MSEC);
	return 0;
}

/* 20 waits of 20 ms on 10 workers overlap: two rounds, not twenty. */
static void waits_overlap(void **state)
{
	struct pool_spec s = {
	    .workers = 10, .tasks = 20, .task = sleep_task, .stack_size = 64 * 1024};
	uint64_t t0, dt;

	(void)state;
	threads_reset();
	t0 = now_ns();
	assert_int_equal(pool_run(&s), 0);
	dt = now_ns() - t0;
	assert_true(dt >= 40 * NSEC_PER_MSEC);
	assert_true(dt < 200 * NSEC_PER_MSEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_task_once),	       cmocka_unit_test(serial_counts_in_caller),
	    cmocka_unit_test(failing_task_stops_pool), cmocka_unit_test(failing_init_fails_run),
	    cmocka_unit_test(waits_overlap),
	};

	if (threads_init(64))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The interpreter lock: alone it is taken without waiting; under contention
 * the two threads alternate (handoffs, drop requests, forced switch waits),
 * never hold it together, neither starves, and waiting is accounted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "clock.h"
#include "gil.h"
#include "threads.h"
#include "vm.h"

static void test_uncontended(void **state)
{
	struct gil g;
	struct gil_thread t;
	struct thread_record rec = {0};

	(void)state;
	assert_int_equal(gil_init(&g, 5 * NSEC_PER_MSEC), 0);
	gil_thread_init(&t, &g, &rec);
	for (int i = 0; i < 3; i++) {
		gil_take(&t);
		gil_drop(&t);
	}
	assert_int_equal(g.acquires, 3);
	assert_int_equal(rec.lock_acquires, 3);
	assert_int_equal(g.handoffs, 0);
	assert_int_equal(g.drop_requests, 0);
	assert_int_equal(g.forced_switch_waits, 0);
	/* Nobody held it: no wait worth a switch interval. */
	assert_true(rec.lock_wait_ns < NSEC_PER_MSEC);
	gil_destroy(&g);
}

struct contender {
	struct gil *gil;
	struct gil_thread gt;
	struct thread_record rec;
	int64_t n, result;
	int status;
	uint64_t end_ns;
	pthread_t th;
};

static int holders; /* threads inside the lock right now */
static int overlap; /* times two were inside together */

static void enter(void)
{
	if (__atomic_add_fetch(&holders, 1, __ATOMIC_SEQ_CST) != 1)
		__atomic_store_n(&overlap, 1, __ATOMIC_SEQ_CST);
}

static void leave(void)
{
	__atomic_sub_fetch(&holders, 1, __ATOMIC_SEQ_CST);
}

/* The breaker handler, wrapped to check mutual exclusion around the switch. */
static void checked_yield(void *ctx)
{
	struct gil_thread *t = ctx;

	leave();
	gil_drop(t);
	gil_take(t);
	enter();
}

static void *contend(void *arg)
{
	struct contender *c = arg;
	struct vm_breaker br = {
	    .flag = &c->gil->drop_request, .handler = checked_yield, .ctx = &c->gt};

	gil_thread_init(&c->gt, c->gil, &c->rec);
	gil_take(&c->gt);
	enter();
	c->status = vm_run(vm_mod_sum_program(), &c->n, 1, &c->result, &br);
	c->end_ns = now_ns();
	leave();
	gil_drop(&c->gt);
	return NULL;
}

static void test_two_threads_alternate(void **state)
{
	struct gil g;
	struct contender c[2];
	uint64_t start, total, gap;
	int64_t n = 8000000; /* about 0.1 s of bytecode each */

	(void)state;
	assert_int_equal(gil_init(&g, 1 * NSEC_PER_MSEC), 0);
	memset(c, 0, sizeof(c));
	start = now_ns();
	for (int i = 0; i < 2; i++) {
		c[i].gil = &g;
		c[i].n = n;
		assert_int_equal(pthread_create(&c[i].th, NULL, contend, &c[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(c[i].th, NULL), 0);
	total = now_ns() - start;

	assert_int_equal(overlap, 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(c[i].status, VM_OK);
		assert_int_equal(c[i].result, vm_mod_sum_reference(n));
		/* Each thread had the lock many times and waited for it. */
		assert_true(c[i].rec.lock_acquires > 5);
		assert_int_equal(c[i].rec.lock_acquires, c[i].gt.acquires);
		assert_true(c[i].rec.lock_wait_ns > NSEC_PER_MSEC);
		assert_int_equal(c[i].rec.lock_wait_ns, c[i].gt.wait_ns);
	}
	assert_true(g.handoffs > 5);
	assert_true(g.drop_requests > 5);
	assert_true(g.forced_switch_waits > 0);
	assert_int_equal(g.acquires, c[0].rec.lock_acquires + c[1].rec.lock_acquires);
	/* No starvation: had one thread run to completion first, the two would
	 * finish half the run apart; alternating, they finish close together. */
	gap = c[0].end_ns > c[1].end_ns ? c[0].end_ns - c[1].end_ns : c[1].end_ns - c[0].end_ns;
	print_message("# total %.3f s, finish gap %.3f s, handoffs %llu, drop requests %llu\n",
		      ns_to_s(total), ns_to_s(gap), (unsigned long long)g.handoffs,
		      (unsigned long long)g.drop_requests);
	assert_true(gap < total / 4);
	/* Between them, the waits cover most of the run: one of the two was
	 * always waiting. */
	assert_true(c[0].rec.lock_wait_ns + c[1].rec.lock_wait_ns > total / 2);
	gil_destroy(&g);
}

static void test_stats_json(void **state)
{
	struct gil g;
	json_t *o, *locks = json_array();
	size_t i;
	json_t *e;
	char want[32];

	(void)state;
	assert_int_equal(gil_init(&g, 5 * NSEC_PER_MSEC), 0);
	g.handoffs = 7;
	o = gil_stats_json(&g);
	assert_int_equal(json_integer_value(json_object_get(o, "switch_interval_ns")), 5000000);
	assert_int_equal(json_integer_value(json_object_get(o, "handoffs")), 7);
	assert_non_null(json_object_get(o, "drop_requests"));
	assert_non_null(json_object_get(o, "forced_switch_waits"));
	json_decref(o);

	gil_add_locks(locks, 42, (uintptr_t)&g);
	/* 2 mutexes x 1 word + 2 condvars x 6 words */
	assert_int_equal(json_array_size(locks), 14);
	e = json_array_get(locks, 0);
	assert_string_equal(json_string_value(json_object_get(e, "name")), "GIL mutex");
	snprintf(want, sizeof(want), "0x%jx", (uintmax_t)(uintptr_t)&g.mutex);
	assert_string_equal(json_string_value(json_object_get(e, "addr")), want);
	assert_int_equal(json_integer_value(json_object_get(e, "pid")), 42);
	/* The condvar's waiters sleep on __g_signals. */
	snprintf(want, sizeof(want), "0x%jx", (uintmax_t)(uintptr_t)&g.cond.__data.__g_signals[0]);
	json_array_foreach(locks, i, e) if (!strcmp(json_string_value(json_object_get(e, "word")),
						    "__data.__g_signals[0]") &&
					    !strcmp(json_string_value(json_object_get(e, "name")),
						    "GIL cond")) break;
	assert_true(i < json_array_size(locks));
	assert_string_equal(json_string_value(json_object_get(e, "addr")), want);
	json_decref(locks);
	gil_destroy(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uncontended),
	    cmocka_unit_test(test_two_threads_alternate),
	    cmocka_unit_test(test_stats_json),
	};

	return cmocka_run_group_tests_name("gil", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The queue: first in, first out; a bounded queue makes its producer wait
 * (and counts the wait); closing wakes every waiter and abandons the backlog;
 * the futex words of its mutex and condition variables are named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "queue.h"

static void fifo_order(void **state)
{
	struct queue q;
	struct queue_item items[5], *it;

	(void)state;
	assert_int_equal(queue_init(&q, 0), 0);
	for (int i = 0; i < 5; i++) {
		items[i].seq = i;
		assert_int_equal(queue_put(&q, &items[i]), 0);
	}
	assert_int_equal(queue_len(&q), 5);
	for (int i = 0; i < 5; i++) {
		it = queue_get(&q);
		assert_ptr_equal(it, &items[i]);
		assert_int_equal(it->seq, i);
		assert_null(it->next);
		assert_true(it->enq_ns > 0 && it->deq_ns >= it->enq_ns);
	}
	assert_int_equal(queue_len(&q), 0);
	assert_int_equal(q.max_len, 5);
	assert_int_equal(q.puts, 5);
	assert_int_equal(q.gets, 5);
	/* An unbounded queue never makes its producer wait. */
	assert_int_equal(q.put_waits, 0);
	assert_int_equal(q.put_wait_ns, 0);
	queue_destroy(&q, NULL);
}

struct putter {
	struct queue *q;
	struct queue_item *items;
	int n, rc;
	uint64_t done_ns;
};

static void *put_all(void *arg)
{
	struct putter *p = arg;

	p->rc = 0;
	for (int i = 0; i < p->n && !p->rc; i++)
		p->rc = queue_put(p->q, &p->items[i]);
	p->done_ns = now_ns();
	return NULL;
}

static uint64_t waiting_puts(struct queue *q)
{
	uint64_t n;

	assert_int_equal(pthread_mutex_lock(&q->mutex), 0);
	n = q->put_waits;
	assert_int_equal(pthread_mutex_unlock(&q->mutex), 0);
	return n;
}

/* Capacity 2, three puts: the third waits until a get makes room. */
static void bounded_put_waits_for_room(void **state)
{
	struct queue q;
	struct queue_item items[3];
	struct putter p = {.q = &q, .items = items, .n = 3, .rc = 1};
	pthread_t th;
	uint64_t got_ns;

	(void)state;
	assert_int_equal(queue_init(&q, 2), 0);
	assert_int_equal(pthread_create(&th, NULL, put_all, &p), 0);
	/* Wait (up to 5 s on a busy machine) until the producer is stuck on
	 * the third item, then leave it there 50 ms. */
	for (int i = 0; i < 500 && !waiting_puts(&q); i++)
		sleep_ns(10 * NSEC_PER_MSEC);
	assert_int_equal(waiting_puts(&q), 1);
	sleep_ns(50 * NSEC_PER_MSEC);
	assert_int_equal(queue_len(&q), 2);
	assert_int_equal(__atomic_load_n(&p.done_ns, __ATOMIC_ACQUIRE), 0);
	got_ns = now_ns();
	assert_ptr_equal(queue_get(&q), &items[0]);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(p.rc, 0);
	assert_true(p.done_ns >= got_ns);
	assert_int_equal(queue_len(&q), 2);
	assert_int_equal(q.max_len, 2);
	assert_int_equal(q.put_waits, 1);
	/* It waited at least the 50 ms before the get. */
	assert_true(q.put_wait_ns >= 50 * NSEC_PER_MSEC);
	assert_ptr_equal(queue_get(&q), &items[1]);
	assert_ptr_equal(queue_get(&q), &items[2]);
	queue_destroy(&q, NULL);
}

static void *get_one(void *arg)
{
	return queue_get(arg);
}

/* Closing wakes a consumer waiting on an empty queue and a producer waiting
 * on a full one; afterwards put fails and get returns nothing. */
static void close_wakes_waiters(void **state)
{
	struct queue empty, full;
	struct queue_item a, b, c;
	struct putter p = {.q = &full, .items = &b, .n = 1, .rc = 1};
	pthread_t consumer, producer;
	void *got = &a;

	(void)state;
	assert_int_equal(queue_init(&empty, 0), 0);
	assert_int_equal(queue_init(&full, 1), 0);
	assert_int_equal(queue_put(&full, &a), 0);
	assert_int_equal(pthread_create(&consumer, NULL, get_one, &empty), 0);
	assert_int_equal(pthread_create(&producer, NULL, put_all, &p), 0);
	sleep_ns(20 * NSEC_PER_MSEC);
	assert_int_equal(queue_close(&empty), 0);
	assert_int_equal(queue_close(&full), 1); /* the backlog: a */
	assert_int_equal(pthread_join(consumer, &got), 0);
	assert_null(got);
	assert_int_equal(pthread_join(producer, NULL), 0);
	assert_int_equal(p.rc, -1);
	assert_int_equal(queue_put(&empty, &c), -1);
	/* A closed queue is abandoned even though a is still in it. */
	assert_null(queue_get(&full));
	assert_int_equal(queue_len(&full), 1);
	queue_destroy(&empty, NULL);
	queue_destroy(&full, NULL);
}

static int freed;

static void count_free(struct queue_item *it)
{
	freed++;
	free(it);
}

static void destroy_frees_backlog(void **state)
{
	struct queue q;

	(void)state;
	assert_int_equal(queue_init(&q, 0), 0);
	for (int i = 0; i < 3; i++) {
		struct queue_item *it = calloc(1, sizeof(*it));

		assert_non_null(it);
		assert_int_equal(queue_put(&q, it), 0);
	}
	free(queue_get(&q));
	freed = 0;
	queue_destroy(&q, count_free);
	assert_int_equal(freed, 2);
}

static void oldest_age(void **state)
{
	struct queue q;
	struct queue_item a, b;

	(void)state;
	assert_int_equal(queue_init(&q, 0), 0);
	assert_int_equal(queue_oldest_age_ns(&q, now_ns()), 0);
	assert_int_equal(queue_put(&q, &a), 0);
	assert_int_equal(queue_put(&q, &b), 0);
	/* The age is the oldest item's, a's. */
	assert_int_equal(queue_oldest_age_ns(&q, a.enq_ns + 7000), 7000);
	/* A clock reading older than the item gives 0, never a huge number. */
	assert_int_equal(queue_oldest_age_ns(&q, a.enq_ns - 1), 0);
	queue_get(&q);
	assert_int_equal(queue_oldest_age_ns(&q, b.enq_ns + 5), 5);
	queue_destroy(&q, NULL);
}

static void names_its_futex_words(void **state)
{
	struct queue q;
	json_t *locks = json_array(), *e;
	char want[32];
	size_t i;
	int mutex = 0, not_full = 0, not_empty = 0;

	(void)state;
	assert_non_null(locks);
	assert_int_equal(queue_init(&q, 4), 0);
	queue_add_locks(&q, locks);
	json_array_foreach(locks, i, e)
	{
		const char *name = json_string_value(json_object_get(e, "name"));

		assert_non_null(name);
		assert_int_equal(json_integer_value(json_object_get(e, "pid")), getpid());
		if (!strcmp(name, "queue mutex")) {
			mutex++;
			/* glibc waits on the mutex's first word. */
			snprintf(want, sizeof(want), "0x%jx", (uintmax_t)(uintptr_t)&q.mutex);
			assert_string_equal(json_string_value(json_object_get(e, "addr")), want);
		} else if (!strcmp(name, "queue not_full cond")) {
			not_full++;
		} else if (!strcmp(name, "queue not_empty cond")) {
			not_empty++;
		} else {
			fail_msg("unexpected lock name %s", name);
		}
	}
	assert_int_equal(mutex, 1);
	/* Each condvar has six futex words (locks.h). */
	assert_int_equal(not_full, 6);
	assert_int_equal(not_empty, 6);
	json_decref(locks);
	queue_destroy(&q, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fifo_order),	   cmocka_unit_test(bounded_put_waits_for_room),
	    cmocka_unit_test(close_wakes_waiters), cmocka_unit_test(destroy_frees_backlog),
	    cmocka_unit_test(oldest_age),	   cmocka_unit_test(names_its_futex_words),
	};

	return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
#include "queue.h"
#include "clock.h"
#include "locks.h"
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void check(int rc, const char *call)
{
	if (rc) {
		fprintf(stderr, "%s: %s\n", call, strerror(rc));
		abort();
	}
}

static int init(struct queue *q, size_t capacity, int pshared)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int rc;

	memset(q, 0, sizeof(*q));
	q->capacity = capacity;
	q->shared = pshared == PTHREAD_PROCESS_SHARED;
	if ((rc = pthread_mutexattr_init(&ma)) ||
	    (rc = pthread_mutexattr_setpshared(&ma, pshared))) {
		fprintf(stderr, "pthread_mutexattr_setpshared(queue mutex): %s\n", strerror(rc));
		return rc;
	}
	rc = pthread_mutex_init(&q->mutex, &ma);
	pthread_mutexattr_destroy(&ma);
	if (rc) {
		fprintf(stderr, "pthread_mutex_init(queue mutex): %s\n", strerror(rc));
		return rc;
	}
	if ((rc = pthread_condattr_init(&ca)) || (rc = pthread_condattr_setpshared(&ca, pshared))) {
		fprintf(stderr, "pthread_condattr_setpshared(queue conds): %s\n", strerror(rc));
		return rc;
	}
	rc = pthread_cond_init(&q->not_full, &ca);
	if (rc)
		fprintf(stderr, "pthread_cond_init(queue not_full): %s\n", strerror(rc));
	else if ((rc = pthread_cond_init(&q->not_empty, &ca)))
		fprintf(stderr, "pthread_cond_init(queue not_empty): %s\n", strerror(rc));
	pthread_condattr_destroy(&ca);
	return rc;
}

int queue_init(struct queue *q, size_t capacity)
{
	return init(q, capacity, PTHREAD_PROCESS_PRIVATE);
}

int queue_init_shared(struct queue *q, size_t capacity)
{
	return init(q, capacity, PTHREAD_PROCESS_SHARED);
}

void queue_destroy(struct queue *q, void (*free_item)(struct queue_item *))
{
	struct queue_item *it = q->head, *next;

	for (; it; it = next) {
		next = it->next;
		if (free_item)
			free_item(it);
	}
	q->head = q->tail = NULL;
	q->len = 0;
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	pthread_mutex_destroy(&q->mutex);
}

/* Link @it at the tail and wake one consumer; the mutex is held. */
static void append(struct queue *q, struct queue_item *it)
{
	it->next = NULL;
	it->enq_ns = now_ns();
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->len++;
	q->puts++;
	if (q->len > q->max_len)
		q->max_len = q->len;
	check(pthread_cond_signal(&q->not_empty), "pthread_cond_signal(queue not_empty)");
}

int queue_put(struct queue *q, struct queue_item *it)
{
	uint64_t t0 = 0;

	check(pthread_mutex_lock(&q->mutex), "pthread_mutex_lock(queue mutex)");
	if (q->capacity && q->len >= q->capacity && !q->closed) {
		/* Backpressure: the producer sleeps until a consumer makes room. */
		q->put_waits++;
		t0 = now_ns();
		while (q->len >= q->capacity && !q->closed)
			check(pthread_cond_wait(&q->not_full, &q->mutex),
			      "pthread_cond_wait(queue not_full)");
		q->put_wait_ns += now_ns() - t0;
	}
	if (q->closed) {
		check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
		return -1;
	}
	append(q, it);
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return 0;
}

int queue_try_put(struct queue *q, struct queue_item *it)
{
	int rc = 0;

	check(pthread_mutex_lock(&q->mutex), "pthread_mutex_lock(queue mutex)");
	if (q->closed)
		rc = -1;
	else if (q->capacity && q->len >= q->capacity)
		rc = 1; /* full: the caller rejects the item instead of waiting */
	else
		append(q, it);
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return rc;
}

struct queue_item *queue_get(struct queue *q)
{
	struct queue_item *it = NULL;

	check(pthread_mutex_lock(&q->mutex), "pthread_mutex_lock(queue mutex)");
	while (!q->head && !q->closed)
		check(pthread_cond_wait(&q->not_empty, &q->mutex),
		      "pthread_cond_wait(queue not_empty)");
	if (!q->closed) {
		it = q->head;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		q->len--;
		q->gets++;
		it->next = NULL;
		it->deq_ns = now_ns();
		if (q->capacity)
			check(pthread_cond_signal(&q->not_full),
			      "pthread_cond_signal(queue not_full)");
	}
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return it;
}

size_t queue_close(struct queue *q)
{
	size_t len;

	check(pthread_mutex_lock(&q->mutex), "pthread_mutex_lock(queue mutex)");
	q->closed = true;
	len = q->len;
	check(pthread_cond_broadcast(&q->not_full), "pthread_cond_broadcast(queue not_full)");
	check(pthread_cond_broadcast(&q->not_empty), "pthread_cond_broadcast(queue not_empty)");
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return len;
}

size_t queue_len(struct queue *q)
{
	size_t n;

	check(pthread_mutex_lock(&q->mutex), "pthread_mutex_lock(queue mutex)");
	n = q->len;
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return n;
}

uint64_t queue_oldest_age_ns(struct queue *q, uint64_t now)
{
	uint64_t age = 0;

	check(pthread_mutex_lock(&q->mutex), "pthread_mutex_lock(queue mutex)");
	if (q->head && now > q->head->enq_ns)
		age = now - q->head->enq_ns;
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return age;
}

void queue_add_locks(struct queue *q, json_t *locks)
{
	queue_add_locks_named(q, locks, "queue", getpid());
}

void queue_add_locks_named(struct queue *q, json_t *locks, const char *name, pid_t pid)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s mutex", name);
	locks_add_mutex(locks, buf, pid, (uintptr_t)&q->mutex);
	snprintf(buf, sizeof(buf), "%s not_full cond", name);
	locks_add_cond(locks, buf, pid, (uintptr_t)&q->not_full);
	snprintf(buf, sizeof(buf), "%s not_empty cond", name);
	locks_add_cond(locks, buf, pid, (uintptr_t)&q->not_empty);
}

json_t *queue_stats_json(const struct queue *q)
{
	json_t *o = json_object();

	if (!o)
		abort();
	json_set_int(o, "capacity", (long long)q->capacity);
	json_set_int(o, "max_len", (long long)q->max_len);
	json_set_int(o, "put_waits", (long long)q->put_waits);
	json_set_int(o, "put_wait_ns", (long long)q->put_wait_ns);
	return o;
}

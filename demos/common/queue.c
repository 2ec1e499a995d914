// SPDX-License-Identifier: GPL-2.0
#include "queue.h"
#include "clock.h"
#include "locks.h"

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

int queue_init(struct queue *q, size_t capacity)
{
	int rc;

	memset(q, 0, sizeof(*q));
	q->capacity = capacity;
	rc = pthread_mutex_init(&q->mutex, NULL);
	if (rc) {
		fprintf(stderr, "pthread_mutex_init(queue mutex): %s\n", strerror(rc));
		return rc;
	}
	rc = pthread_cond_init(&q->not_full, NULL);
	if (rc) {
		fprintf(stderr, "pthread_cond_init(queue not_full): %s\n", strerror(rc));
		return rc;
	}
	rc = pthread_cond_init(&q->not_empty, NULL);
	if (rc)
		fprintf(stderr, "pthread_cond_init(queue not_empty): %s\n", strerror(rc));
	return rc;
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
	check(pthread_mutex_unlock(&q->mutex), "pthread_mutex_unlock(queue mutex)");
	return 0;
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
	locks_add_mutex(locks, "queue mutex", getpid(), (uintptr_t)&q->mutex);
	locks_add_cond(locks, "queue not_full cond", getpid(), (uintptr_t)&q->not_full);
	locks_add_cond(locks, "queue not_empty cond", getpid(), (uintptr_t)&q->not_empty);
}

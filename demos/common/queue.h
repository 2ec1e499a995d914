/* SPDX-License-Identifier: GPL-2.0 */
/* A FIFO between threads, bounded or not, built the way Python's queue.Queue
 * is: one mutex and two condition variables, not_full (producers wait there
 * when a bounded queue is full: the backpressure) and not_empty (consumers
 * wait there when it is empty). Items are stamped when they enter and leave,
 * so the time an item spent queued is known. */
#ifndef SCHEDLAB_QUEUE_H
#define SCHEDLAB_QUEUE_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct queue_item {
	struct queue_item *next;
	uint64_t seq;	 /* set by the producer */
	uint64_t enq_ns; /* CLOCK_MONOTONIC when it entered the queue */
	uint64_t deq_ns; /* when it left */
	void *payload;	 /* owned by the item's user */
	size_t payload_len;
};

struct queue {
	pthread_mutex_t mutex;
	pthread_cond_t not_full;
	pthread_cond_t not_empty;
	struct queue_item *head, *tail;
	size_t len;
	size_t capacity; /* 0: unbounded */
	size_t max_len;	 /* the largest len ever reached */
	bool closed;
	bool shared; /* queue_init_shared: usable across fork() */
	/* Producer-side backpressure, counted under the mutex. */
	uint64_t put_waits;   /* puts that found the queue full and waited */
	uint64_t put_wait_ns; /* time spent waiting for room */
	uint64_t puts, gets;
};

/* @capacity 0 means unbounded. Returns 0, or an errno after printing which
 * call failed. */
int queue_init(struct queue *q, size_t capacity);
/* The same in memory shared across fork() (a MAP_SHARED mapping made before
 * the fork, so every process sees it at the same address): the mutex and
 * condition variables are PTHREAD_PROCESS_SHARED, and the items put in it
 * must live in shared memory too. */
int queue_init_shared(struct queue *q, size_t capacity);
/* The items still queued are handed to @free_item (may be NULL). */
void queue_destroy(struct queue *q, void (*free_item)(struct queue_item *));

/* Append @it, waiting on not_full while a bounded queue is full. Returns 0,
 * or -1 when the queue was closed (the item was not queued). */
int queue_put(struct queue *q, struct queue_item *it);
/* Append @it unless a bounded queue is full, never waiting. Returns 0, 1
 * when the queue was full (the item was not queued: the caller rejects it),
 * or -1 when the queue was closed. */
int queue_try_put(struct queue *q, struct queue_item *it);
/* Take the oldest item, waiting on not_empty while the queue is empty.
 * Returns NULL once the queue is closed, even if items remain: a closed
 * queue is abandoned, its backlog is what is left. */
struct queue_item *queue_get(struct queue *q);
/* Wake every waiter; from now on put fails and get returns NULL. Returns
 * the backlog (items queued) at that moment. */
size_t queue_close(struct queue *q);
size_t queue_len(struct queue *q);
/* Age of the oldest queued item at @now_ns, 0 when empty. */
uint64_t queue_oldest_age_ns(struct queue *q, uint64_t now_ns);

/* "queue mutex", "queue not_full cond", "queue not_empty cond" futex words. */
void queue_add_locks(struct queue *q, json_t *locks);
/* The same words named "@name mutex", "@name not_full cond", "@name not_empty
 * cond", in process @pid (a shared queue is listed once per process using it). */
void queue_add_locks_named(struct queue *q, json_t *locks, const char *name, pid_t pid);
/* {"capacity", "max_len", "put_waits", "put_wait_ns"}: its size, its longest,
 * and how often and how long a put waited for room. */
json_t *queue_stats_json(const struct queue *q);

#endif

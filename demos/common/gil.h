/* SPDX-License-Identifier: GPL-2.0 */
/* An interpreter lock modelled on CPython's Python/ceval_gil.c (3.12, with
 * FORCE_SWITCHING): a "locked" flag guarded by a mutex, a condvar waiters
 * wait on for at most the switch interval, an eval breaker the holder polls
 * at its loop's back-edge, and a second condvar on which a thread that was
 * asked to drop the lock waits until another thread has taken it.
 *
 *   ceval_gil.c                      here
 *   gil->mutex, gil->cond            gil->mutex, gil->cond
 *   gil->switch_mutex/switch_cond    gil->switch_mutex, gil->switch_cond
 *   gil->locked, last_holder         gil->locked, gil->last_holder
 *   gil->switch_number               gil->switch_number
 *   interp->ceval.interval           gil->interval_ns
 *   SET/RESET_GIL_DROP_REQUEST       gil->drop_request (the eval breaker)
 *   take_gil(), drop_gil()           gil_take(), gil_drop()
 *   _Py_HandlePending's drop/take    gil_yield() (the VM's breaker handler)
 */
#ifndef SCHEDLAB_GIL_H
#define SCHEDLAB_GIL_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

struct thread_record;

struct gil {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	pthread_mutex_t switch_mutex;
	pthread_cond_t switch_cond;
	int locked;		 /* under mutex */
	const void *last_holder; /* the gil_thread that last took it; under mutex */
	unsigned long switch_number;
	int drop_request; /* the eval breaker, read by the VM without the lock */
	uint64_t interval_ns;
	/* Counters, for the demo's JSON "gil" object. */
	uint64_t handoffs;	      /* taken by a different thread than the last holder */
	uint64_t drop_requests;	      /* a waiter timed out with no switch and set the request */
	uint64_t forced_switch_waits; /* a dropper waited on switch_cond */
	uint64_t acquires;
};

/* One thread's view of the lock; the VM's breaker handler gets a pointer. */
struct gil_thread {
	struct gil *gil;
	struct thread_record *rec; /* lock_wait_ns, lock_acquires go here; may be NULL */
	uint64_t wait_ns;
	uint64_t acquires;
};

/* Returns 0, or an errno after printing which call failed. */
int gil_init(struct gil *g, uint64_t interval_ns);
void gil_destroy(struct gil *g);

void gil_thread_init(struct gil_thread *t, struct gil *g, struct thread_record *rec);
/* Block until the calling thread holds the lock (take_gil). */
void gil_take(struct gil_thread *t);
/* Release it; when a drop was requested, wait until another thread took it
 * (drop_gil with FORCE_SWITCHING). */
void gil_drop(struct gil_thread *t);
/* The eval-breaker handler: called by the VM at a back-edge when
 * drop_request is set; drops the lock and takes it again. @ctx is a
 * struct gil_thread. */
void gil_yield(void *ctx);

/* Append the lock's futex words to @locks (see locks.h): "GIL mutex",
 * "GIL cond", "GIL switch mutex", "GIL switch cond". */
void gil_add_locks(json_t *locks, pid_t pid, uintptr_t gil_addr);
/* {switch_interval_ns, handoffs, drop_requests, forced_switch_waits, acquires} */
json_t *gil_stats_json(const struct gil *g);

#endif

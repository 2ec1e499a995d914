// SPDX-License-Identifier: GPL-2.0
#include "gil.h"
#include "clock.h"
#include "locks.h"
#include "result.h"
#include "threads.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failing pthread call on a lock we own is a programming error. */
static void check(int rc, const char *call)
{
	if (rc) {
		fprintf(stderr, "%s: %s\n", call, strerror(rc));
		abort();
	}
}

int gil_init(struct gil *g, uint64_t interval_ns)
{
	pthread_condattr_t ca;
	int rc;

	memset(g, 0, sizeof(*g));
	g->interval_ns = interval_ns;
	rc = pthread_condattr_init(&ca);
	if (rc) {
		fprintf(stderr, "pthread_condattr_init: %s\n", strerror(rc));
		return rc;
	}
	/* Timed waits measure the switch interval on CLOCK_MONOTONIC, as
	 * CPython does where the platform allows. */
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc) {
		fprintf(stderr, "pthread_condattr_setclock: %s\n", strerror(rc));
		goto out;
	}
	rc = pthread_mutex_init(&g->mutex, NULL);
	if (rc) {
		fprintf(stderr, "pthread_mutex_init(GIL mutex): %s\n", strerror(rc));
		goto out;
	}
	rc = pthread_cond_init(&g->cond, &ca);
	if (rc) {
		fprintf(stderr, "pthread_cond_init(GIL cond): %s\n", strerror(rc));
		goto out;
	}
	rc = pthread_mutex_init(&g->switch_mutex, NULL);
	if (rc) {
		fprintf(stderr, "pthread_mutex_init(GIL switch mutex): %s\n", strerror(rc));
		goto out;
	}
	rc = pthread_cond_init(&g->switch_cond, NULL);
	if (rc)
		fprintf(stderr, "pthread_cond_init(GIL switch cond): %s\n", strerror(rc));
out:
	pthread_condattr_destroy(&ca);
	return rc;
}

void gil_destroy(struct gil *g)
{
	pthread_cond_destroy(&g->switch_cond);
	pthread_mutex_destroy(&g->switch_mutex);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->mutex);
}

void gil_thread_init(struct gil_thread *t, struct gil *g, struct thread_record *rec)
{
	memset(t, 0, sizeof(*t));
	t->gil = g;
	t->rec = rec;
}

void gil_take(struct gil_thread *t)
{
	struct gil *g = t->gil;
	uint64_t start = now_ns(), waited;

	check(pthread_mutex_lock(&g->mutex), "pthread_mutex_lock(GIL mutex)");
	while (g->locked) {
		unsigned long saved_switchnum = g->switch_number;
		struct timespec deadline = ns_to_timespec(now_ns() + g->interval_ns);
		int rc = pthread_cond_timedwait(&g->cond, &g->mutex, &deadline);

		if (rc && rc != ETIMEDOUT)
			check(rc, "pthread_cond_timedwait(GIL cond)");
		/* A whole interval passed and nobody switched: ask the holder
		 * to drop the lock at its next back-edge. */
		if (rc == ETIMEDOUT && g->locked && g->switch_number == saved_switchnum) {
			__atomic_store_n(&g->drop_request, 1, __ATOMIC_RELAXED);
			g->drop_requests++;
		}
	}
	/* FORCE_SWITCHING: tell a thread waiting in gil_drop() that the lock
	 * changed hands. */
	check(pthread_mutex_lock(&g->switch_mutex), "pthread_mutex_lock(GIL switch mutex)");
	g->locked = 1;
	if (g->last_holder != t) {
		if (g->last_holder)
			g->handoffs++;
		g->last_holder = t;
		g->switch_number++;
	}
	check(pthread_cond_signal(&g->switch_cond), "pthread_cond_signal(GIL switch cond)");
	check(pthread_mutex_unlock(&g->switch_mutex), "pthread_mutex_unlock(GIL switch mutex)");
	/* The request, if any, was for us. */
	if (__atomic_load_n(&g->drop_request, __ATOMIC_RELAXED))
		__atomic_store_n(&g->drop_request, 0, __ATOMIC_RELAXED);
	g->acquires++;
	check(pthread_mutex_unlock(&g->mutex), "pthread_mutex_unlock(GIL mutex)");

	waited = now_ns() - start;
	t->wait_ns += waited;
	t->acquires++;
	if (t->rec) {
		t->rec->lock_wait_ns += waited;
		t->rec->lock_acquires++;
	}
}

void gil_drop(struct gil_thread *t)
{
	struct gil *g = t->gil;

	check(pthread_mutex_lock(&g->mutex), "pthread_mutex_lock(GIL mutex)");
	if (!g->locked || g->last_holder != t) {
		fprintf(stderr, "gil_drop: the calling thread does not hold the GIL\n");
		abort();
	}
	g->locked = 0;
	check(pthread_cond_signal(&g->cond), "pthread_cond_signal(GIL cond)");
	check(pthread_mutex_unlock(&g->mutex), "pthread_mutex_unlock(GIL mutex)");

	/* FORCE_SWITCHING: a waiter asked for the lock; do not retake it before
	 * the waiter had it, or the OS would let us win the race again. */
	if (__atomic_load_n(&g->drop_request, __ATOMIC_RELAXED)) {
		check(pthread_mutex_lock(&g->switch_mutex), "pthread_mutex_lock(GIL switch mutex)");
		if (g->last_holder == t) {
			__atomic_store_n(&g->drop_request, 0, __ATOMIC_RELAXED);
			g->forced_switch_waits++;
			check(pthread_cond_wait(&g->switch_cond, &g->switch_mutex),
			      "pthread_cond_wait(GIL switch cond)");
		}
		check(pthread_mutex_unlock(&g->switch_mutex),
		      "pthread_mutex_unlock(GIL switch mutex)");
	}
}

void gil_yield(void *ctx)
{
	struct gil_thread *t = ctx;

	gil_drop(t);
	gil_take(t);
}

void gil_add_locks(json_t *locks, pid_t pid, uintptr_t gil_addr)
{
	locks_add_mutex(locks, "GIL mutex", pid, gil_addr + offsetof(struct gil, mutex));
	locks_add_cond(locks, "GIL cond", pid, gil_addr + offsetof(struct gil, cond));
	locks_add_mutex(locks, "GIL switch mutex", pid,
			gil_addr + offsetof(struct gil, switch_mutex));
	locks_add_cond(locks, "GIL switch cond", pid, gil_addr + offsetof(struct gil, switch_cond));
}

json_t *gil_stats_json(const struct gil *g)
{
	json_t *o = json_object();

	if (!o)
		abort();
	json_set_int(o, "switch_interval_ns", (long long)g->interval_ns);
	json_set_int(o, "handoffs", (long long)g->handoffs);
	json_set_int(o, "drop_requests", (long long)g->drop_requests);
	json_set_int(o, "forced_switch_waits", (long long)g->forced_switch_waits);
	json_set_int(o, "acquires", (long long)g->acquires);
	return o;
}

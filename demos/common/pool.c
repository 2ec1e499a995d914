// SPDX-License-Identifier: GPL-2.0
#include "pool.h"
#include "clock.h"
#include "threads.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pool {
	const struct pool_spec *spec;
	unsigned int next; /* the next task index to hand out */
	bool failed;
};

struct worker {
	struct pool *pool;
	unsigned int id; /* 1-based, as in its name */
	pthread_t th;
};

/* Take task indices until none is left or a task failed. Returns how many
 * this thread completed. */
static uint64_t pull_tasks(struct pool *p, void *wstate)
{
	const struct pool_spec *s = p->spec;
	uint64_t done = 0;

	while (!__atomic_load_n(&p->failed, __ATOMIC_RELAXED)) {
		unsigned int i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);

		if (i >= s->tasks)
			break;
		if (s->task_start_ns)
			s->task_start_ns[i] = now_ns();
		if (s->task(s->ctx, wstate, i)) {
			__atomic_store_n(&p->failed, true, __ATOMIC_RELAXED);
			break;
		}
		if (s->task_end_ns)
			s->task_end_ns[i] = now_ns();
		done++;
	}
	return done;
}

static int run_worker(struct pool *p, unsigned int id, struct thread_record *rec)
{
	const struct pool_spec *s = p->spec;
	void *wstate = NULL;

	if (s->worker_init && s->worker_init(s->ctx, id, &wstate)) {
		__atomic_store_n(&p->failed, true, __ATOMIC_RELAXED);
		return -1;
	}
	rec->tasks += pull_tasks(p, wstate);
	if (s->worker_fini)
		s->worker_fini(s->ctx, wstate);
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char name[THREAD_NAME_LEN];
	struct thread_record *rec;

	snprintf(name, sizeof(name), "worker-%u", w->id);
	rec = thread_begin(name);
	run_worker(w->pool, w->id, rec);
	thread_end(rec);
	return NULL;
}

int pool_run(const struct pool_spec *spec)
{
	struct pool p = {.spec = spec};
	struct worker *w;
	pthread_attr_t attr;
	unsigned int started = 0;
	int err;

	if (spec->workers == 0) {
		struct thread_record dummy = {0};

		run_worker(&p, 0, spec->caller ? spec->caller : &dummy);
		return p.failed ? -1 : 0;
	}
	w = calloc(spec->workers, sizeof(*w));
	if (!w) {
		fprintf(stderr, "pool: calloc(%u workers): out of memory\n", spec->workers);
		return -1;
	}
	if ((err = pthread_attr_init(&attr)) ||
	    (spec->stack_size && (err = pthread_attr_setstacksize(&attr, spec->stack_size)))) {
		fprintf(stderr, "pool: pthread_attr: %s\n", strerror(err));
		free(w);
		return -1;
	}
	for (; started < spec->workers; started++) {
		w[started].pool = &p;
		w[started].id = started + 1;
		err = pthread_create(&w[started].th, &attr, worker_main, &w[started]);
		if (err) {
			fprintf(stderr, "pool: pthread_create(worker-%u): %s\n", started + 1,
				strerror(err));
			__atomic_store_n(&p.failed, true, __ATOMIC_RELAXED);
			break;
		}
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(w[i].th, NULL);
	pthread_attr_destroy(&attr);
	free(w);
	return p.failed ? -1 : 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* A fixed pool of threads pulling task indices 0..tasks-1 from one shared
 * counter, like Python's ThreadPoolExecutor.map over a range: the pool
 * decides nothing about order, a free worker takes the next index.
 *
 * Workers are named "worker-1" .. "worker-N" and record themselves in the
 * thread table (thread_begin/thread_end), with the number of tasks each did.
 * With 0 workers the calling thread runs every task itself (the serial
 * variant), counting them in the record it passes. */
#ifndef SCHEDLAB_POOL_H
#define SCHEDLAB_POOL_H

#include <stddef.h>
#include <stdint.h>

struct thread_record;

struct pool_spec {
	unsigned int workers; /* 0: run the tasks in the calling thread */
	unsigned int tasks;
	void *ctx;
	/* Called once per worker before its first task; *@wstate is handed to
	 * each task and to fini. Returns 0, or -1 to fail the run. Optional. */
	int (*worker_init)(void *ctx, unsigned int worker, void **wstate);
	/* One task. Returns 0, or -1 to fail the run (the pool stops handing
	 * out tasks). Required. */
	int (*task)(void *ctx, void *wstate, unsigned int task);
	/* Called once per worker after its last task. Optional. */
	void (*worker_fini)(void *ctx, void *wstate);
	/* Optional, @tasks entries each: when each task started and finished
	 * (CLOCK_MONOTONIC ns). */
	uint64_t *task_start_ns, *task_end_ns;
	/* Serial mode (workers == 0): the caller's record, to count its tasks. */
	struct thread_record *caller;
	size_t stack_size; /* 0: the default */
};

/* Run every task; return when all are done and every worker has ended.
 * Returns 0, or -1 when a worker could not start or a task failed (after
 * printing what failed). */
int pool_run(const struct pool_spec *spec);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The I/O-bound task shared by 01_io_wait and 05_thread_overhead: an
 * optional CPU part (busy compute measured on the thread's CPU clock), then a
 * blocking wait, either a request to the loopback delay service (real
 * socket I/O, the default) or a nanosleep. One run = fork the service, run
 * the tasks on a thread pool, stop the service, record everything in the
 * demo's JSON result. */
#ifndef SCHEDLAB_IO_WORK_H
#define SCHEDLAB_IO_WORK_H

#include "delay_server.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum io_kind {
	IO_SOCKET, /* a request to the delay service, answered after the wait */
	IO_SLEEP,  /* nanosleep for the wait */
};

struct io_work {
	enum io_kind io;
	uint64_t wait_ns; /* the blocking part of one task */
	uint64_t cpu_ns;  /* the CPU part of one task (thread CPU time) */
	struct delay_server server;
};

/* "socket" or "sleep"; anything else exits 2 naming the option. */
enum io_kind io_kind_parse(const char *opt, const char *arg);
const char *io_kind_name(enum io_kind io);

/* Burn @ns of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID): time spent
 * preempted does not count, so the CPU part of a task is the same whatever
 * the contention. */
void burn_cpu_ns(uint64_t ns);

/* Run @tasks tasks on @workers threads (0: in the calling thread, the serial
 * case), with the delay service forked beforehand when w->io is IO_SOCKET.
 * The calling thread is recorded as "main". Fills @res with the wall time of
 * the measured section (pool start to last task), "threads", "tasks_done",
 * "task_ns" (per-task duration summary) and "server". Returns 0, or -1 after
 * printing what failed. */
int io_work_run(struct io_work *w, unsigned int workers, unsigned int tasks, json_t *res,
		uint64_t *wall_ns);
/* The sizes of such a run as demo.json "params": "tasks", "wait_s", with
 * @cpu "cpu_us" (w->cpu_ns), "io", "workers", "quick". */
void io_work_params_json(json_t *params, const struct io_work *w, unsigned int tasks,
			 unsigned int workers, bool cpu, bool quick);

#endif

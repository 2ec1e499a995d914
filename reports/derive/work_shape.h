/* SPDX-License-Identifier: GPL-2.0 */
/* The work's shape: figures of any traced run that show where a program's
 * concurrency went wrong, whatever the program. Each is made here once from
 * sched.json (threads, wake edges) and read by one generic rule of the Why
 * (reports/explain/explain_loop.c, explain_lone_worker.c, explain_memory.c):
 *   - a thread that waits for events in a poll call (an event loop) and also
 *     blocks in other calls;
 *   - the thread that did most of the run's running, against the CPUs the
 *     run could use;
 *   - the thread that faulted in the most new memory, and when it ended. */
#ifndef SCHEDLAB_WORK_SHAPE_H
#define SCHEDLAB_WORK_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "runset.h"

/* True for the calls a thread waits in for any of many events: epoll_wait,
 * epoll_pwait(2), poll, ppoll, select, pselect6. */
bool is_poll_call(const char *syscall);

/* One thread's blocked time split at its poll call, from its wake edges;
 * its poll calls counted from its syscalls when they were traced (a busy
 * loop that always finds an event ready never blocks in its poll call). */
struct loop_blocking {
	char poll_call[32];		/* the poll call it waited in */
	uint64_t poll_calls;		/* its calls (0: syscalls not traced) */
	uint64_t poll_waits, poll_ns;	/* waits ended inside a poll call */
	uint64_t other_waits, other_ns; /* waits ended inside any other call */
	char top_call[32];		/* the other call it blocked in longest */
	uint64_t top_waits, top_ns;
};
/* Thread @t's split; false when it neither blocked in nor called a poll
 * call (no loop). */
bool loop_blocking_of(const struct run *r, const struct sched_thread *t, struct loop_blocking *out);

/* The thread that ran longest, against all the run's running. */
struct lone_worker {
	const struct sched_thread *t; /* NULL when nothing ran */
	uint64_t run_ns;	      /* its running */
	uint64_t demand_ns;	      /* its running + runnable: the CPU it wanted */
	uint64_t all_run_ns;	      /* every thread's running */
	size_t others;		      /* the other threads */
	uint64_t wall_ns;	      /* the run: its first thread's start to its end */
	int cpus;		      /* the CPUs the run could use */
};
struct lone_worker lone_worker_of(const struct run *r);
/* The CPUs the command could use: its affinity as the collector counted it
 * (sched.json other_work.cpus), else the collector's own (sched.json cpus). */
int run_cpus(const struct run *r);

/* The thread that faulted in the most new memory. Faults are counted per
 * page: a huge page is one fault, so bytes are a lower bound. */
#define FAULT_PAGE_BYTES 4096 /* x86-64's base page, the hosts' */
struct memory_growth {
	const struct sched_thread *t; /* NULL without fault counts */
	uint64_t bytes, faults;	      /* its minor faults, and as bytes */
	uint64_t all_bytes;	      /* every thread's */
	/* the last thread to end that is not a process's main thread (which
	 * often only waits for the others), and how long after @t it did (0
	 * when @t is it or none) */
	const struct sched_thread *last;
	uint64_t ended_before_ns;
};
struct memory_growth memory_growth_of(const struct run *r);

#endif

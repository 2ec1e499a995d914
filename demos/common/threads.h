/* SPDX-License-Identifier: GPL-2.0 */
/* Every thread a demo runs records the kernel's own accounting of itself just
 * before it ends: /proc/thread-self/schedstat and getrusage(RUSAGE_THREAD).
 * The records live in a shared anonymous mapping, so threads of forked worker
 * processes land in the same table as the parent's. Each eBPF figure can then
 * be checked against the kernel. */
#ifndef SCHEDLAB_THREADS_H
#define SCHEDLAB_THREADS_H

#include <stdint.h>
#include <sys/types.h>

#define THREAD_NAME_LEN 16 /* the kernel's comm, NUL included */

struct thread_record {
	pid_t tid;
	pid_t pid;
	char name[THREAD_NAME_LEN];
	uint64_t start_ns; /* CLOCK_MONOTONIC at thread_begin() */
	uint64_t end_ns;   /* CLOCK_MONOTONIC at thread_end() */
	/* /proc/thread-self/schedstat */
	uint64_t run_ns;
	uint64_t wait_ns;
	uint64_t timeslices;
	/* getrusage(RUSAGE_THREAD) */
	long nvcsw;
	long nivcsw;
	long minflt; /* page faults served without I/O (a fresh page, a copy-on-write copy) */
	long majflt; /* page faults that waited for I/O */
	/* Filled by the demo where it applies. */
	uint64_t tasks;		/* work items this thread completed */
	uint64_t lock_wait_ns;	/* time spent waiting for an interpreter lock */
	uint64_t lock_acquires; /* times it took that lock */
	int ended;
};

/* Map a table for @capacity records; call once, before any thread starts. */
int threads_init(unsigned int capacity);
/* Forget every record (between variants run in one process). */
void threads_reset(void);
/* Name the calling thread (its comm) and give it a record. Never NULL: a full
 * table is a programming error and aborts. */
struct thread_record *thread_begin(const char *name);
/* Read the calling thread's schedstat and rusage into @r. Must be called by
 * the thread @r belongs to, as the last thing it does. */
void thread_end(struct thread_record *r);
unsigned int threads_count(void);
struct thread_record *threads_get(unsigned int i);

/* Parse one /proc/.../schedstat line; 0 on success. Exposed for tests. */
int schedstat_parse(const char *line, uint64_t *run_ns, uint64_t *wait_ns, uint64_t *slices);

#endif

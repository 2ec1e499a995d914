// SPDX-License-Identifier: GPL-2.0
#include "threads.h"
#include "clock.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

struct thread_table {
	unsigned int capacity;
	unsigned int count; /* atomically incremented, across processes */
	struct thread_record rec[];
};

static struct thread_table *table;

int threads_init(unsigned int capacity)
{
	size_t size = sizeof(*table) + (size_t)capacity * sizeof(table->rec[0]);

	table = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (table == MAP_FAILED) {
		perror("threads_init: mmap");
		table = NULL;
		return -1;
	}
	table->capacity = capacity;
	return 0;
}

void threads_reset(void)
{
	if (table) {
		memset(table->rec, 0, (size_t)table->count * sizeof(table->rec[0]));
		__atomic_store_n(&table->count, 0, __ATOMIC_SEQ_CST);
	}
}

struct thread_record *thread_begin(const char *name)
{
	unsigned int i;
	struct thread_record *r;

	if (!table) {
		fprintf(stderr, "thread_begin: threads_init() was not called\n");
		abort();
	}
	i = __atomic_fetch_add(&table->count, 1, __ATOMIC_SEQ_CST);
	if (i >= table->capacity) {
		fprintf(stderr, "thread_begin: more than %u threads\n", table->capacity);
		abort();
	}
	r = &table->rec[i];
	r->tid = gettid();
	r->pid = getpid();
	snprintf(r->name, sizeof(r->name), "%s", name);
	pthread_setname_np(pthread_self(), r->name);
	r->start_ns = now_ns();
	return r;
}

int schedstat_parse(const char *line, uint64_t *run_ns, uint64_t *wait_ns, uint64_t *slices)
{
	return sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64, run_ns, wait_ns, slices) == 3 ? 0
											      : -1;
}

/* The switch counts (and, with @r, the page faults), or -1 after printing why not. */
static int read_rusage(long *nvcsw, long *nivcsw, struct thread_record *r)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru)) {
		perror("thread_end: getrusage(RUSAGE_THREAD)");
		return -1;
	}
	*nvcsw = ru.ru_nvcsw;
	*nivcsw = ru.ru_nivcsw;
	if (r) {
		r->minflt = ru.ru_minflt;
		r->majflt = ru.ru_majflt;
	}
	return 0;
}

static int read_schedstat(struct thread_record *r)
{
	char line[128];
	FILE *f = fopen("/proc/thread-self/schedstat", "re");
	int err = !f || !fgets(line, sizeof(line), f) ||
		  schedstat_parse(line, &r->run_ns, &r->wait_ns, &r->timeslices);

	if (f)
		fclose(f);
	if (err)
		fprintf(stderr, "thread_end: cannot read /proc/thread-self/schedstat\n");
	return err ? -1 : 0;
}

void thread_end(struct thread_record *r)
{
	struct timespec ts;
	long nv = 0, niv = 0;

	/* The switch counts and schedstat must be one snapshot: a preemption
	 * between the two reads would count a switch out that schedstat's
	 * timeslices do not show. Read rusage on both sides; a few tries. */
	for (int try = 0; try < 5; try++) {
		/* schedstat's run time (se.sum_exec_runtime) is brought up to
		 * date only at a tick or a switch, so a thread still in its
		 * first slice would read 0. Reading the thread's CPU clock
		 * updates it (the kernel's task_sched_runtime() calls
		 * update_curr() for a running task): the record then counts
		 * the slice the thread is in. */
		if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
			perror("thread_end: clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
		if (read_rusage(&nv, &niv, NULL) || read_schedstat(r) ||
		    read_rusage(&r->nvcsw, &r->nivcsw, r))
			break;
		if (nv == r->nvcsw && niv == r->nivcsw)
			break;
	}
	r->end_ns = now_ns();
	__atomic_store_n(&r->ended, 1, __ATOMIC_RELEASE);
}

unsigned int threads_count(void)
{
	unsigned int n = table ? __atomic_load_n(&table->count, __ATOMIC_ACQUIRE) : 0;

	return n > (table ? table->capacity : 0) ? table->capacity : n;
}

struct thread_record *threads_get(unsigned int i)
{
	return i < threads_count() ? &table->rec[i] : NULL;
}

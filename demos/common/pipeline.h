/* SPDX-License-Identifier: GPL-2.0 */
/* 06_hybrid_pipeline's pipeline (demos/06_hybrid_pipeline.c runs it) and its
 * demo.json (docs/demos/06_hybrid_pipeline.md), written in
 * result_pipeline.c: what the program and its JSON writing share. */
#ifndef SCHEDLAB_PIPELINE_H
#define SCHEDLAB_PIPELINE_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "delay_server.h"
#include "gil.h"
#include "queue.h"
#include "vm.h"

#define MAX_BLOCKING 256
#define MAX_CPU 64

/* The variants, in demos/06_hybrid_pipeline.c's order. */
enum { V_HYBRID, V_UNBOUNDED, V_THREADS, V_SINGLE };

struct params {
	int items;
	int inflight;
	int blocking;  /* threads of the blocking stage */
	int cpu;       /* workers of the cpu stage */
	int capacity;  /* each bounded queue */
	int switch_ms; /* the interpreter lock's switch interval */
	uint64_t fetch_ns, blocking_ns;
	long long n; /* bytecode loop iterations per item */
	bool quick;
};

/* One item's way through the pipeline (CLOCK_MONOTONIC). */
struct item_rec {
	uint64_t fetch_start_ns, fetched_ns, blocked_ns, done_ns;
	uint64_t cpu_ns; /* the cpu stage's thread CPU time for it */
	int64_t result;
};

/* What a worker of the cpu stage accounts for itself. */
struct cpu_report {
	pid_t pid;
	uintptr_t gil_addr;
	uint64_t items, work_ns, starved_ns, lock_wait_ns, acquires;
};

/* Shared with the forked cpu workers: one MAP_SHARED mapping made before any
 * fork, so its pointers hold in every process. */
struct shm {
	struct queue cpu_q;
	int failed;
	unsigned int done;
	struct cpu_report cpu[MAX_CPU];
	struct queue_item *cpu_items; /* items, then one stop item per worker */
	struct item_rec *rec;
	size_t size;
};

struct sample {
	uint64_t t_ns;
	uint32_t blocking_q, cpu_q, in_flight, done;
};

/* What a thread of the blocking stage accounts for itself. */
struct blocking_thread {
	struct pipeline *pl;
	int idx, fd;
	pthread_t th;
	uint64_t items, work_ns, starved_ns, blocked_ns;
};

struct pipeline {
	const struct params *p;
	int variant;
	const struct vm_program *prog;
	struct shm *sh;
	struct queue blocking_q;
	struct queue_item *blocking_items; /* items, then one stop item per thread */
	struct delay_server server;
	struct gil gil; /* threads-only: the one lock of the cpu threads */
	uint64_t start_ns;
	unsigned int fetched, in_flight; /* atomics, read by the sampler */
	int stop_sampling;
	/* The loop's own account: time in queue_put (room, or the mutex), in
	 * epoll_wait, and single-loop's blocking calls and bytecode. */
	uint64_t loop_put_wait_ns, loop_epoll_ns, loop_blocking_ns, loop_cpu_ns;
	uint64_t epoll_waits;
	struct blocking_thread bt[MAX_BLOCKING];
	struct sample *samples;
	size_t nsamples;
};

/* The measured figures of one run, for the comparison table and demo.json. */
struct summary {
	bool ran;
	double throughput, bound;
	const char *bottleneck;
	double busy[3]; /* fetch, blocking, cpu: share of the stage's threads' time */
	double loop_blocked;
	uint64_t max_blocking_q, max_cpu_q, p50, p99;
	int64_t checksum;
};

static const char *const stage_names[] = {"fetch", "blocking", "cpu"};

/* The run's figures into @s and into @res (result_new's, its "params"
 * empty), the pipeline having ended at @end. */
void pipeline_json(json_t *res, struct pipeline *pl, int cpus, uint64_t end, struct summary *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* 02_cpu_bound's run (demos/02_cpu_bound.c runs it) and its demo.json
 * (docs/demos/02_cpu_bound.md), written in result_cpu_bound.c: what the
 * program and its JSON writing share. */
#ifndef SCHEDLAB_CPU_BOUND_H
#define SCHEDLAB_CPU_BOUND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "convoy.h"
#include "gil.h"
#include "vm.h"

#define MAX_TASKS 4096
#define MAX_WORKERS 1024

struct params {
	int tasks;
	long long n;
	int workers;
	int switch_ms;
	bool quick;
	struct convoy_params convoy;
};

/* What a forked worker reports back (its lock lives in its own memory). */
struct proc_report {
	pid_t pid;
	uintptr_t gil_addr;
	uint64_t handoffs, drop_requests, forced_switch_waits, acquires;
};

/* Shared by every worker of a run, threads or processes: MAP_SHARED. */
struct shared {
	unsigned int next_task;
	int failed; /* a VM error in any worker */
	int64_t result[MAX_TASKS];
	struct proc_report proc[MAX_WORKERS];
};

struct run {
	const struct params *p;
	struct shared *sh;
	struct gil *gil; /* threads-gil only */
	const struct vm_program *prog;
};

/* The figures of @variant's @run, from @start to @end (CLOCK_MONOTONIC), into
 * @res (result_new's, its "params" empty): the sizes, the results' @checksum,
 * the interpreter lock's counters and futex words, every thread's record. */
void cpu_bound_json(json_t *res, const char *variant, const struct run *run, uint64_t start,
		    uint64_t end, int64_t checksum);
/* The convoy variant's: its sizes, its response times (@convoy, stolen), the
 * one @gil its threads shared. */
void convoy_result_json(json_t *res, const struct params *p, struct gil *gil, json_t *convoy,
			uint64_t start, uint64_t end);

#endif

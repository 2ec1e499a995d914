/* SPDX-License-Identifier: GPL-2.0 */
/* 07_costs: what concurrency costs, one family of measurements per file.
 *   costs_switch.c   a context switch: ping-pong between two threads or two
 *                    processes, over a pipe or a futex, on one CPU or two
 *   costs_startup.c  start-up: pthread_create + join, fork + wait, posix_spawn
 *   costs_ipc.c      moving bytes between processes: a pipe or shared memory,
 *                    with or without an encode/decode step
 *   costs_cow.c      memory duplication: fork of a process holding a large
 *                    buffer, the child reading it or writing it (copy-on-write)
 * Each appends one object per mechanism to the variant's "costs" array
 * (docs/demos/07_costs.md lists the fields; lib/costs_layout.h spells them) and prints one line per
 * mechanism. Every thread or process that does the measured work has a name saying which mechanism
 * it belongs to, so the kernel's per-thread figures (sched.json) can be read mechanism by
 * mechanism. */
#ifndef SCHEDLAB_COSTS_H
#define SCHEDLAB_COSTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "costs_layout.h"

#define MIB (1024ULL * 1024ULL)

struct costs_params {
	uint64_t round_trips; /* per ping-pong mechanism */
	unsigned int starts;  /* per start-up mechanism */
	uint64_t ipc_bytes;   /* bytes moved per IPC mechanism */
	uint64_t chunk;	      /* bytes per write / per shared-memory slot */
	uint64_t cow_bytes;   /* the buffer the forking process holds */
	const char *spawn_prog;
	bool quick;
};

/* Each returns 0, or -1 after printing what failed. */
int costs_switch(const struct costs_params *p, json_t *costs);
int costs_startup(const struct costs_params *p, json_t *costs);
int costs_ipc(const struct costs_params *p, json_t *costs);
int costs_cow(const struct costs_params *p, json_t *costs);

/* Helpers the families share (costs_util.c). */

/* Pin the calling thread to @cpu; 0 or -1 after printing why not. */
int costs_pin(int cpu);
/* A new cost entry {"name", "family", "label"} appended to @costs (borrowed). */
json_t *costs_entry(json_t *costs, const char *family, const char *name, const char *label);
/* The sizes of @p as demo.json "params". */
void costs_params_json(json_t *params, const struct costs_params *p);
/* fork() a child that runs @fn(@arg) and _exits with its return value. */
int costs_fork(int (*fn)(void *), void *arg, int *pid);
/* waitpid() @pid; 0 when it exited with status 0, else -1 after saying so. */
int costs_wait(int pid, const char *what);
/* An anonymous MAP_SHARED mapping of @size bytes (seen by children forked
 * after), or NULL after printing why not. */
void *costs_shared(size_t size);
void costs_unshare(void *p, size_t size);
/* The calling thread's CPU time (its kernel accounting, se.sum_exec_runtime). */
uint64_t thread_cpu_ns(void);

#endif

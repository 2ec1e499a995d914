/* SPDX-License-Identifier: GPL-2.0 */
/* sched.json: the per-thread account read out of the BPF maps (docs/formats.md). */
#ifndef SCHED_JSON_H
#define SCHED_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The facts about the run that do not come from the maps. */
struct run_info {
	char *const *argv;
	pid_t pid;
	uid_t uid;
	gid_t gid;
	int exit_status;
	bool partial;
	uint64_t start_ns;
	uint64_t end_ns;
	int cpus;
	const char *attach_mode; /* "tp_btf" or "raw_tp" */
};

/* Map file descriptors the writer reads. */
struct sched_maps {
	int threads;
	int runq;
	int syscalls;
	int futexes;
	int wakers;
	int lost;
};

/* Returns 0, or -1 with a message. */
int sched_json_write(FILE *f, const struct sched_maps *maps, const struct run_info *run);

/* Reads the per-CPU lost counters, summed over CPUs, into lost[NR_LOST]. */
int read_lost(int lost_fd, uint64_t *lost);

/* The thread state names, indexed by enum st_thread_state. */
extern const char *const state_names[];

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* sched.json: the per-thread account read out of the BPF maps (docs/formats.md). */
#ifndef SCHED_JSON_H
#define SCHED_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct causes;

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
	/* Program runs the kernel skipped (recursion protection), all programs. */
	uint64_t prog_misses;
	/* Per program: runs and time spent (kernel.bpf_stats_enabled, else 0). */
	struct prog_stat {
		char name[32];
		uint64_t run_cnt, run_time_ns;
	} progs[16];
	int nprogs;
	/* The collector's own peak resident set (VmHWM), KiB. */
	uint64_t peak_rss_kib;
	/* Steal time of all CPUs over the tracing window (/proc/stat), ns. */
	uint64_t steal_ns;
	/* Futex names, wake edges, the critical path (causes.h); may be NULL. */
	struct causes *causes;
	/* The command's kernel counters when tracing began (it was forked before). */
	struct {
		bool valid;
		uint64_t run_ns, wait_ns, timeslices, nvcsw, nivcsw;
	} before;
};

/* Steal time of all CPUs so far (/proc/stat "cpu" line), ns; 0 if unknown. */
uint64_t steal_now_ns(void);

/* The kernel's counters of a thread now: /proc/PID/schedstat and status. */
int read_task_counters(pid_t pid, struct run_info *run);

/* Map file descriptors the writer reads. */
struct sched_maps {
	int threads;
	int runq;
	int syscalls;
	int futexes;
	int lost;
	int wakes;
};

/* Returns 0, or -1 with a message. */
int sched_json_write(FILE *f, const struct sched_maps *maps, const struct run_info *run);

/* Reads the per-CPU lost counters, summed over CPUs, into lost[NR_LOST]. */
int read_lost(int lost_fd, uint64_t *lost);

/* The keys of sched.json "lost", indexed by enum st_lost_kind. */
extern const char *const lost_names[];

/* The thread state names, indexed by enum st_thread_state. */
extern const char *const state_names[];

#endif

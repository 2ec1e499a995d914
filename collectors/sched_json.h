/* SPDX-License-Identifier: GPL-2.0 */
/* sched.json: the per-thread account, written from a snapshot of the maps (docs/formats.md). */
#ifndef SCHED_JSON_H
#define SCHED_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <jansson.h>
#include "sched_snapshot.h"

/* The facts about the run that do not come from the maps. */
struct run_info {
	char *const *argv;
	pid_t pid;
	uid_t uid;
	gid_t gid;
	int exit_status;
	bool partial;
	uint64_t start_ns;
	uint64_t end_ns;      /* where the window ends: run_window_end() */
	const char *end_from; /* what end_ns is: "exit" or "collector" (run_window_end) */
	int cpus;
	const char *attach_mode; /* "tp_btf" or "raw_tp" */
	bool syscalls_traced;	 /* false (the default): no per-syscall accounts */
	/* Program runs the kernel skipped (recursion protection), all programs. */
	uint64_t prog_misses;
	/* Per program: runs and time spent (kernel.bpf_stats_enabled, else 0). */
	struct prog_stat {
		char name[32];
		uint64_t run_cnt, run_time_ns;
	} progs[24];
	int nprogs;
	/* The collector's own peak resident set (VmHWM), KiB. */
	uint64_t peak_rss_kib;
	/* Steal time of all CPUs over the tracing window (/proc/stat), ns. */
	uint64_t steal_ns;
	/* The command's exec, where its window opens (causes.h); 0 if not seen. */
	uint64_t window_ns;
	/* The command's kernel counters when tracing began (it was forked before). */
	struct {
		bool valid;
		uint64_t run_ns, wait_ns, timeslices, nvcsw, nivcsw;
	} before;
};

struct causes;
struct other_work;

/*
 * The whole document: the accounts from the snapshot, why threads waited
 * (futex names and joins, wakes, the critical path) from @causes, which may
 * be NULL (no names, no critical path), and the other work on the run's
 * CPUs and the tracer's cost from @other (other_work.h), which may be NULL
 * (neither written). NULL on error (with a message).
 */
json_t *sched_json(const struct sched_snapshot *s, const struct run_info *run,
		   struct causes *causes, const struct other_work *other);

/*
 * Where the command's window ends: the final switch-out of the last thread
 * of its first process, as the kernel half stamped it (@exit_ns), when it
 * was seen after the probes attached (@attach_ns); else @stop_ns, the
 * collector's clock when it reaped the command or stopped, which trails the
 * command's end by as much as the collector was behind. *@from names the
 * source: "exit" or "collector".
 */
uint64_t run_window_end(uint64_t exit_ns, uint64_t attach_ns, uint64_t stop_ns, const char **from);

/* Writes the document to f. Returns 0, or -1 with a message. */
int sched_json_dump(FILE *f, json_t *doc);

#endif

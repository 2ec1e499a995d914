/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Other work on the run's CPUs, and the tracer's own cost: what the kernel
 * half's cpu_hold and others maps hold at the end, the eBPF programs' run
 * time, as sched.json's "other_work" and "tracer" (docs/formats.md).
 */
#ifndef OTHER_WORK_H
#define OTHER_WORK_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include "schedtrace.h"

/*
 * One process outside the traced command that ran on the run's CPUs, or,
 * with @nproc > 1, the processes of one name (@pid 0): ended processes are
 * folded by name while the command runs, so a build's thousands of short
 * compilers fit the kernel half's table of OTHER_PROCS rows.
 */
struct other_proc {
	uint32_t pid;
	char comm[16];
	uint64_t cpu_ns, slices;
	uint32_t nproc;
	bool tracer, kthread;
};

struct other_work {
	cpu_set_t cpus; /* the CPUs counted: the command's affinity */
	uint64_t from_ns, to_ns;
	uint64_t other_ns, tracer_ns, lost_ns;
	uint64_t run_waited_ns, tracer_waited_ns;
	uint64_t unseen;
	struct other_proc *procs; /* by CPU time, largest first */
	size_t nprocs;
	/* The eBPF programs' own run time (bpf_enable_stats), all programs. */
	bool stats;
	char stats_why[160]; /* why not, when !stats */
	uint64_t prog_runs, prog_run_ns;
	/*
	 * What the maps held when the command's window opened (its exec), as if
	 * every CPU's holder had switched out then: subtracted at the end, so
	 * the figures cover the command's window, not the tracer's set-up.
	 */
	struct st_cpu_hold *base_cpu; /* per possible CPU */
	struct other_proc *base_procs;
	size_t nbase_procs;
	/* Ended processes taken out of the map, by name (nproc each). */
	struct other_proc *gone;
	size_t ngone, gone_cap;
	int ncpus;
	/* The map fds, for the baseline taken while the command runs. */
	int hold_fd, others_fd;
};

/*
 * Turns on the kernel's per-program run time and run count for as long as
 * the returned fd is open (bpf_enable_stats(BPF_STATS_RUN_TIME)); -1 with
 * @why filled when the kernel refuses.
 */
int other_work_enable_stats(char *why, size_t len);

/*
 * Follows the command's CPU affinity while it runs (@pid: its first
 * process): CPUs it may not use are marked in @skip (the kernel half's
 * skip_cpu) and left out of @ow->cpus.
 */
void other_work_follow_cpus(struct other_work *ow, pid_t pid, uint8_t *skip, size_t nskip);

/*
 * Runs this thread once on each counted CPU, so every CPU's holder is seen
 * switching out at least once (a task that held a CPU all run without a
 * switch would otherwise go uncounted); restores the thread's affinity.
 */
void other_work_visit_cpus(const struct other_work *ow);

/*
 * The command's window opened (its exec, EV_WINDOW): what the maps hold now
 * becomes the baseline, and from_ns now. A wrapper that execs again moves it.
 */
void other_work_window(struct other_work *ow, uint64_t now_ns);

/*
 * While the command runs: the processes of the map that have ended leave
 * it, their time since the window opened kept by name, so the table's rows
 * go to the processes still to come. 0, or -1 with a message.
 */
int other_work_harvest(struct other_work *ow);

/*
 * Reads the maps at @end_ns: the per-CPU totals, a holder still on its CPU
 * (counted to @end_ns), the process table. 0, or -1 with a message.
 */
int other_work_read(struct other_work *ow, uint64_t end_ns);

/* sched.json's "other_work" and "tracer" objects, added to @root. */
int other_work_json(const struct other_work *ow, json_t *root);

void other_work_free(struct other_work *ow);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Other work on the run's CPUs and the tracer's own cost, as sched.json
 * says them: "other_work" and "tracer" (docs/formats.md), loaded into a
 * run's sched_acct. The verdict made of them is derive/host_load.h's. */
#ifndef SCHEDLAB_SCHED_HOST_H
#define SCHEDLAB_SCHED_HOST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"

/* A process that ran on the run's CPUs, outside the traced command. */
struct host_proc {
	int pid;      /* 0: a row for several processes of one name */
	size_t nproc; /* the processes the row stands for */
	char comm[32];
	uint64_t cpu_ns;
	bool kthread;
};

struct sched_host {
	int ncpus; /* the CPUs counted (the command's affinity) */
	uint64_t from_ns, to_ns;
	uint64_t other_ns, run_waited_ns, lost_ns, unseen;
	struct host_proc *procs; /* as the file lists them: largest first */
	size_t nprocs;
	uint64_t more_ns; /* the processes the file does not name */
	size_t more_procs;
	uint64_t tracer_ns, tracer_waited_ns;
	struct host_proc *tracer_procs;
	size_t ntracer_procs;
	/* The eBPF programs' runs and run time, when the kernel counted them. */
	bool stats;
	char stats_why[160];
	uint64_t prog_runs, prog_run_ns;
	/* Mean ns per run of the programs a context switch of the run sets off
	 * (sched.json "programs"; 0 when not counted or not loaded). */
	double switch_ns, waking_ns, wakeup_ns, sys_enter_ns, sys_exit_ns;
};

/* Loads "other_work" and "tracer" of @root into s->host (NULL when the file
 * has neither: a collector from before them). 0, or -1 with @why. */
int sched_host_load(struct sched_acct *s, const json_t *root, char *why, size_t len);
void sched_host_free(struct sched_acct *s);

#endif

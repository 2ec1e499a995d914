/* SPDX-License-Identifier: GPL-2.0 */
/* The host's load and the tracer's cost, from what the collector measured
 * (sched.json "other_work" and "tracer"): ONE verdict on whether other work
 * on the host was material to a run, made here and used by the trust line,
 * the Why, the terminal, --compare and the index alike (docs/report.md,
 * "Whether to trust the run"). */
#ifndef SCHEDLAB_HOST_LOAD_H
#define SCHEDLAB_HOST_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "runset.h"

/*
 * Material, from the run's own figures: the run's threads waited behind
 * other work for HOST_WAIT_SHARE of their CPU demand (running + runnable)
 * and at least HOST_WAIT_MIN_NS; or other work took HOST_CPU_SHARE of the
 * CPUs' capacity over the run's window (CPUs x window) and at least
 * HOST_CPU_MIN_NS, whether or not the run wanted those CPUs then.
 */
#define HOST_WAIT_SHARE 0.05
#define HOST_WAIT_MIN_NS 10e6
#define HOST_CPU_SHARE 0.25
#define HOST_CPU_MIN_NS 50e6

enum host_verdict {
	HOST_UNMEASURED, /* sched.json from a collector before the measurement */
	HOST_QUIET,
	HOST_BUSY,
};

/* The verdict from the four figures (ns); the one rule, tested at its edges. */
enum host_verdict host_verdict(double other_ns, double capacity_ns, double waited_ns,
			       double demand_ns);

/* Names kept: the trust line says the first HOST_SAY, the reference table all. */
#define HOST_TOP 8
#define HOST_SAY 3
/* Other work by process name: "cc1" over 5 processes. */
struct host_taker {
	char comm[32];
	size_t procs;
	double cpu_ns;
};

struct host_load {
	enum host_verdict verdict;
	int ncpus;
	double span_ns, capacity_ns;
	double other_ns, cpu_share;		 /* other work's CPU time, of the capacity */
	double waited_ns, demand_ns, wait_share; /* the run's wait behind it, of its demand */
	double runnable_ns;			 /* the run's threads' waits for a CPU, all */
	struct host_taker top[HOST_TOP];	 /* the largest names, largest first */
	size_t ntop;
	size_t nnames;	/* distinct names named by the collector */
	double lost_ns; /* in other_ns: processes past the collector's table, unnamed */
};

struct host_load host_load_of(const struct run *r);

/* "main 1.05 s, cc1 400.0 ms (5 processes), and others": what took the
 * CPUs, the first @max names. */
void host_takers(const struct host_load *h, size_t max, char *buf, size_t len);

/* The run set's: busy when any variant's representative run was; *@worst the
 * variant with the largest wait share among those with that verdict. */
enum host_verdict host_load_set(const struct run_set *rs, const struct variant **worst);

/* What tracing cost a run: its eBPF programs and its own processes. */
struct tracer_cost {
	bool measured; /* sched.json says (a collector before it did not) */
	bool stats;    /* the kernel counted the programs' runs */
	const char *why_not;
	double runs, run_ns, span_ns, events_per_s, ns_per_event;
	double run_cpu_ns, cpu_share; /* the programs' time against the run's CPU time */
	/* The programs' time a context switch of the run sets off: the switch
	 * program's mean run, the wakeups' and syscalls' per switch at theirs. */
	double switches, ns_per_switch;
	/* That per switch over the run's switches: the programs' time the run's
	 * own events set off (the rest ran for other tasks' events), and its
	 * share of the run's CPU time. */
	double own_ns, own_share;
	double procs_ns; /* the tracer's processes on the run's CPUs */
};

struct tracer_cost tracer_cost_of(const struct run *r);

#endif

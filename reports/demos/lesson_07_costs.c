// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 07_costs: each cost as bars per mechanism, one chart
 * per variant the run has (threads against processes side by side). */
#include <stdio.h>

#include "charts.h"
#include "costs.h"
#include "lesson.h"
#include "report.h"

#define THREADS_COLOR "#2ca02c"
#define PROCESSES_COLOR "#d62728"

/* One clustered bar chart: @ng groups of @ns bars, values row by row. */
static void bars(struct report *rp, const char *name, const char *title, const char *ylabel,
		 const char *const *groups, size_t ng, const char *const *series, size_t ns,
		 const char *const *colors, const double *v, const char *caption)
{
	struct bar_chart c = {.title = title,
			      .ylabel = ylabel,
			      .ngroups = ng,
			      .nseries = ns,
			      .group = groups,
			      .series = series,
			      .color = colors,
			      .v = v};

	report_chart(rp, &c, name, caption);
}

static void switch_chart(struct report *rp, const struct run *r)
{
	static const char *const groups[] = {"pipe, one CPU", "futex, one CPU", "pipe, two CPUs",
					     "futex, two CPUs"};
	static const char *const names[] = {"pipe-same", "futex-same", "pipe-cross", "futex-cross"};
	static const char *const series[] = {"two threads", "two processes"};
	static const char *const colors[] = {THREADS_COLOR, PROCESSES_COLOR};
	double v[8];
	char name[64];

	for (size_t g = 0; g < 4; g++)
		for (size_t s = 0; s < 2; s++) {
			snprintf(name, sizeof(name), "%s-%s", s ? "processes" : "threads",
				 names[g]);
			v[g * 2 + s] = cost_num(cost_entry(r, name), "switch_ns", 0) / 1e3;
		}
	bars(rp, "lesson-switch", "A context switch (half a ping-pong round trip)", "us per switch",
	     groups, 4, series, 2, colors, v,
	     "switch: time per context switch, threads against processes, over a pipe and "
	     "a futex, on one CPU and across two (a missing bar: not run)");
}

static void startup_chart(struct report *rp, const struct run *r)
{
	/* gnuplot reads _ as a subscript: the labels do without */
	static const char *const groups[] = {"a thread (pthread create)", "a process (fork)",
					     "a program (posix spawn)"};
	static const char *const names[] = {"thread", "fork", "spawn"};
	static const char *const series[] = {"median"};
	static const char *const colors[] = {PROCESSES_COLOR};
	double v[3];

	for (size_t g = 0; g < 3; g++)
		v[g] = cost_num(cost_entry(r, names[g]), "durations.p50", 0) / 1e3;
	bars(rp, "lesson-startup", "Start one, wait for its end", "us each (median)", groups, 3,
	     series, 1, colors, v,
	     "startup: median time to start a thread, a process, a program, and wait "
	     "for its end");
}

static void ipc_chart(struct report *rp, const struct run *r)
{
	static const char *const groups[] = {"pipe", "shared memory"};
	static const char *const names[] = {"pipe", "shm", "pipe+encode", "shm+encode"};
	static const char *const series[] = {"bytes as they are", "encode/decode"};
	static const char *const colors[] = {THREADS_COLOR, PROCESSES_COLOR};
	double v[4];

	for (size_t g = 0; g < 2; g++)
		for (size_t s = 0; s < 2; s++)
			v[g * 2 + s] =
			    cost_num(cost_entry(r, names[s * 2 + g]), "cpu_ns_per_mib", 0) / 1e6;
	bars(rp, "lesson-ipc", "Moving data to another process", "ms of CPU per MiB (both sides)",
	     groups, 2, series, 2, colors, v,
	     "ipc: CPU time per MiB moved, sender and receiver together, through a pipe "
	     "and through shared memory, with and without an encode/decode step");
}

static void cow_chart(struct report *rp, const struct run *r)
{
	static const char *const groups[] = {"child reads it all", "child writes it all"};
	static const char *const names[] = {"read", "write"};
	static const char *const series[] = {"page faults per page", "share made private"};
	static const char *const colors[] = {PROCESSES_COLOR, THREADS_COLOR};
	double v[4];

	for (size_t g = 0; g < 2; g++) {
		const json_t *e = cost_entry(r, names[g]);
		double pages = cost_num(e, "pages", 0), kib = cost_num(e, "bytes", 0) / 1024;

		v[g * 2] =
		    pages > 0 ? (cost_num(e, "minflt", 0) + cost_num(e, "majflt", 0)) / pages : 0;
		v[g * 2 + 1] = kib > 0 ? cost_num(e, "private_kib", 0) / kib : 0;
	}
	bars(rp, "lesson-cow", "After fork: copy on write", "per page of the buffer", groups, 2,
	     series, 2, colors, v,
	     "cow: after fork, page faults per page of the parent's buffer and the share "
	     "of it that became the child's own copy");
}

static void draw(struct report *rp)
{
	static const struct {
		const char *variant;
		void (*chart)(struct report *rp, const struct run *r);
	} charts[] = {{"switch", switch_chart},
		      {"startup", startup_chart},
		      {"ipc", ipc_chart},
		      {"cow", cow_chart}};

	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		const struct variant *v = run_set_variant(rp->rs, charts[i].variant);

		if (v && v->rep && v->rep->demo)
			charts[i].chart(rp, v->rep);
	}
}

const struct lesson lesson_07_costs = {"07_costs", draw};

/* SPDX-License-Identifier: GPL-2.0 */
/* The perf outputs a run folder may hold: perf-stat.json (perf stat -j, gathered)
 * and the summary table of `perf sched timehist -s --state`. perf 6.1 forms. */
#ifndef SCHEDLAB_PERFPARSE_H
#define SCHEDLAB_PERFPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct perf_counter {
	char event[64];
	char unit[16];
	bool counted; /* false for "<not counted>" / "<not supported>" */
	double value;
};

struct perf_stat {
	bool present;
	bool partial; /* perf was interrupted before the demo ended */
	/* "before_enable": the gated process's own switches before the counters
	 * were on, which perf did not count (optional) */
	bool has_before;
	double before_nvcsw, before_nivcsw;
	struct perf_counter *c;
	size_t n;
};

/* One task of the timehist summary, times in ms as perf prints them. */
struct timehist_row {
	char comm[64];
	int tid, pid; /* pid is the thread group when perf printed "comm[tid/pid]", else tid */
	uint64_t sched_in;
	double run_ms, sleep_ms, iowait_ms, preempt_ms, delay_ms;
};

struct timehist {
	bool present;
	struct timehist_row *rows;
	size_t n;
};

/* Parse perf-stat.json as collectors/wrappers/perf-stat writes it (docs/formats.md):
 * {"schema": 1, "events": {NAME: {"value": number or null, "unit": ..}}}.
 * Returns 0, or -1 with the reason in @why. */
int perf_stat_parse(FILE *f, struct perf_stat *ps, char *why, size_t whylen);
/* The counter named @event, or NULL. */
const struct perf_counter *perf_stat_find(const struct perf_stat *ps, const char *event);
void perf_stat_free(struct perf_stat *ps);

/* Parse the per-task summary of `perf sched timehist -s --state` (the
 * "Wait-time summary" table, then "Terminated tasks:"). Lines that are not
 * task rows are skipped. Returns 0, or -1 when no summary header is found. */
int timehist_parse(FILE *f, struct timehist *th, char *why, size_t whylen);
/* Parse one row ("comm[tid] parent count run sleep iowait preempt delay");
 * 0 when it is one. Exposed for tests. */
int timehist_parse_row(const char *line, struct timehist_row *r);
const struct timehist_row *timehist_find_tid(const struct timehist *th, int tid);
void timehist_free(struct timehist *th);

#endif

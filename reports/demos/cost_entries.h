/* SPDX-License-Identifier: GPL-2.0 */
/* 07_costs's demo.json "costs" entries (docs/demos/07_costs.md), read in one
 * place for its explainer and its lesson chart. */
#ifndef SCHEDLAB_REPORT_COST_ENTRIES_H
#define SCHEDLAB_REPORT_COST_ENTRIES_H

#include <jansson.h>
#include <stdbool.h>

#include "runset.h"

/* The entry named @name of run @r ("threads-pipe-same", "fork", "shm",
 * "write"), or NULL when absent or skipped (the cross-CPU ping-pong on one CPU). */
const json_t *cost_entry(const struct run *r, const char *name);
/* The same entry as the pass with the least tracing measured it: the perf
 * sched pass's own result (perf-sched-demo.json) when it has it, else the
 * eBPF pass's; *@light says which. A cost is headlined from here: the eBPF
 * pass's figures include the tracer's work. */
const json_t *cost_entry_light(const struct run *r, const char *name, bool *light);
/* A number in @e by a dotted path ("durations.p50"), or @dflt. */
double cost_num(const json_t *e, const char *path, double dflt);
/* A string field of @e, or "?". */
const char *cost_str(const json_t *e, const char *key);

#endif

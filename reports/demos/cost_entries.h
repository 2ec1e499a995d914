/* SPDX-License-Identifier: GPL-2.0 */
/* 07_costs's demo.json "costs" entries (docs/demos/07_costs.md; their names
 * and keys in lib/costs_layout.h), found in a run for its explainer and its
 * lesson chart. */
#ifndef SCHEDLAB_REPORT_COST_ENTRIES_H
#define SCHEDLAB_REPORT_COST_ENTRIES_H

#include <jansson.h>
#include <stdbool.h>

#include "costs_layout.h"
#include "runset.h"

/* The entry named @name (CE_FORK, cost_switch_entry ...) of run @r, or NULL
 * when absent or skipped (the cross-CPU ping-pong on one CPU). */
const json_t *cost_entry(const struct run *r, const char *name);
/* The same entry as the pass with the least tracing measured it: the perf
 * sched pass's own result (perf-sched-demo.json) when it has it, else the
 * eBPF pass's; *@light says which. A cost is headlined from here: the eBPF
 * pass's figures include the tracer's work. */
const json_t *cost_entry_light(const struct run *r, const char *name, bool *light);
/* A string field of @e, or "?". */
const char *cost_str(const json_t *e, const char *key);

#endif

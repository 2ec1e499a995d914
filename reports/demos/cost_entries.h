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

/* Switches out the collector counted for the threads entry @e names (a
 * switch ping-pong's two parties), as 07's page gives them; -1 when a thread
 * is missing (reports/demos/07_costs.c). */
double cost_kernel_switches(const struct run *r, const json_t *e);
/* The page faults of cow child @name (CE_READ, CE_WRITE) of run @r, as
 * 07's page gives them (its pass's getrusage, else the kernel's count for
 * the child); *@source says which. -1 when the pass did not run
 * (reports/demos/07_costs.c). */
double cost_cow_faults(const struct run *r, const char *name, const char **source);

#endif

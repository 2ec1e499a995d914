// SPDX-License-Identifier: GPL-2.0
/* 02_cpu_bound's demo.json (cpu_bound.h). */
#include "cpu_bound.h"
#include "clock.h"
#include "result.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void params_json(json_t *params, const struct params *p, int workers)
{
	json_set_int(params, "tasks", p->tasks);
	json_set_int(params, "n", p->n);
	json_set_int(params, "workers", workers);
	json_set_int(params, "switch_interval_ms", p->switch_ms);
	json_set_new(params, "quick", json_boolean(p->quick));
}

/* The lock's futex words as "locks", and its counters as "gil": the one
 * lock of threads-gil, or the sum of each worker process's own lock. */
static void gil_json(json_t *res, const char *variant, const struct run *run)
{
	const struct params *p = run->p;
	json_t *locks = json_array();

	if (!locks)
		abort();
	if (run->gil) {
		gil_add_locks(locks, getpid(), (uintptr_t)run->gil);
		json_set_new(res, "gil", gil_stats_json(run->gil));
	} else if (!strcmp(variant, "processes")) {
		struct gil sum = {.interval_ns = (uint64_t)p->switch_ms * NSEC_PER_MSEC};

		for (int i = 0; i < p->workers; i++) {
			const struct proc_report *pr = &run->sh->proc[i];

			gil_add_locks(locks, pr->pid, pr->gil_addr);
			sum.handoffs += pr->handoffs;
			sum.drop_requests += pr->drop_requests;
			sum.forced_switch_waits += pr->forced_switch_waits;
			sum.acquires += pr->acquires;
		}
		json_set_new(res, "gil", gil_stats_json(&sum));
	}
	json_set_new(res, "locks", locks);
}

void cpu_bound_json(json_t *res, const char *variant, const struct run *run, uint64_t start,
		    uint64_t end, int64_t checksum)
{
	params_json(result_params(res), run->p, run->p->workers);
	result_set_wall(res, start, end);
	json_set_int(res, "checksum", checksum);
	json_set_int(res, "task_result", run->sh->result[0]);
	gil_json(res, variant, run);
	result_add_threads(res);
}

void convoy_result_json(json_t *res, const struct params *p, struct gil *gil, json_t *convoy,
			uint64_t start, uint64_t end)
{
	json_t *params = result_params(res), *locks = json_array();

	if (!locks)
		abort();
	json_set_int(params, "workers", p->convoy.workers);
	json_set_int(params, "period_ms", (long long)(p->convoy.period_ns / NSEC_PER_MSEC));
	json_set_int(params, "requests", p->convoy.requests);
	json_set_int(params, "switch_interval_ms", p->switch_ms);
	json_set_new(params, "quick", json_boolean(p->quick));
	result_set_wall(res, start, end);
	json_set_new(res, "convoy", convoy);
	json_set_new(res, "gil", gil_stats_json(gil));
	gil_add_locks(locks, getpid(), (uintptr_t)gil);
	json_set_new(res, "locks", locks);
	result_add_threads(res);
}

// SPDX-License-Identifier: GPL-2.0
/* 06_hybrid_pipeline's figures and demo.json (pipeline.h). */
#include "pipeline.h"
#include "clock.h"
#include "result.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* One stage: its threads, its time per item (per_item_ns; seen_ns as the
 * stage's threads timed it), the items per
 * second that gives (capacity), and how its threads spent the run by their
 * own clocks: working, starved (waiting for input), blocked (waiting for room
 * downstream). */
static json_t *stage_json(const char *name, const char *model, int threads, double per_item_ns,
			  double seen_ns, double parallel, uint64_t work, uint64_t starved,
			  uint64_t blocked, double wall_ns, double *capacity, double *busy)
{
	json_t *o = json_object();

	if (!o)
		abort();
	*capacity = per_item_ns > 0 ? parallel * 1e9 / per_item_ns : 0;
	*busy = threads && wall_ns > 0 ? (double)work / (threads * wall_ns) : 0;
	json_set_str(o, "name", name);
	json_set_str(o, "model", model);
	json_set_int(o, "threads", threads);
	json_set_real(o, "parallel", parallel);
	json_set_int(o, "per_item_ns", (long long)per_item_ns);
	json_set_int(o, "seen_ns", (long long)seen_ns);
	json_set_real(o, "capacity_per_s", *capacity);
	json_set_int(o, "work_ns", (long long)work);
	json_set_int(o, "starved_ns", (long long)starved);
	json_set_int(o, "blocked_ns", (long long)blocked);
	json_set_real(o, "busy", *busy);
	return o;
}

static json_t *stages_json(struct pipeline *pl, int cpus, double wall, struct summary *s)
{
	const struct params *p = pl->p;
	bool single = pl->variant == V_SINGLE;
	uint64_t fetch = 0, bwork = 0, bstarved = 0, bblocked = 0, cwork = 0, cstarved = 0,
		 ccpu = 0;
	double cap[3], fetch_mean, bmean, cmean, cpar;
	json_t *arr = json_array();
	int nb = single ? 0 : p->blocking, nc = single ? 0 : p->cpu;

	if (!arr)
		abort();
	for (int k = 0; k < p->items; k++) {
		fetch += pl->sh->rec[k].fetched_ns - pl->sh->rec[k].fetch_start_ns;
		ccpu += pl->sh->rec[k].cpu_ns;
	}
	fetch_mean = (double)fetch / p->items;
	for (int i = 0; i < nb; i++) {
		bwork += pl->bt[i].work_ns;
		bstarved += pl->bt[i].starved_ns;
		bblocked += pl->bt[i].blocked_ns;
	}
	for (int i = 0; i < nc; i++) {
		cwork += pl->sh->cpu[i].work_ns;
		cstarved += pl->sh->cpu[i].starved_ns;
	}
	cmean = (double)ccpu / p->items;
	/* A process pool runs min(workers, CPUs) items at once; threads under
	 * one lock, or the loop alone, one. */
	cpar = pl->variant == V_HYBRID || pl->variant == V_UNBOUNDED
		   ? (p->cpu < cpus ? p->cpu : cpus)
		   : 1;
	if (single) {
		bmean = (double)pl->loop_blocking_ns / p->items;
		bwork = pl->loop_blocking_ns;
		cwork = pl->loop_cpu_ns;
	} else {
		bmean = (double)bwork / p->items;
	}
	/* A fetch's pace is the service's delay: the time the loop saw also
	 * holds the time the answer sat unread while the loop was held back. */
	json_array_append_new(arr,
			      stage_json("fetch", "event loop", 1, (double)p->fetch_ns, fetch_mean,
					 p->inflight < p->items ? p->inflight : p->items,
					 (uint64_t)wall - pl->blocking_q.put_wait_ns, 0,
					 pl->blocking_q.put_wait_ns, wall, &cap[0], &s->busy[0]));
	json_array_append_new(arr, stage_json("blocking", single ? "event loop" : "thread pool",
					      single ? 1 : nb, bmean, bmean, single ? 1 : nb, bwork,
					      bstarved, bblocked, wall, &cap[1], &s->busy[1]));
	json_array_append_new(arr, stage_json("cpu",
					      single			 ? "event loop"
					      : pl->variant == V_THREADS ? "threads, one lock"
									 : "process pool",
					      single ? 1 : nc, cmean, cmean, cpar, cwork, cstarved,
					      0, wall, &cap[2], &s->busy[2]));
	/* The loop alone does one item's blocking call and bytecode after
	 * another: those two stages share its one thread. */
	s->bound = single ? 1e9 / (bmean + cmean) : cap[0];
	s->bottleneck = single ? "loop" : "fetch";
	for (int k = 1; k < 3 && !single; k++)
		if (cap[k] < s->bound) {
			s->bound = cap[k];
			s->bottleneck = stage_names[k];
		}
	if (single && cap[0] < s->bound) {
		s->bound = cap[0];
		s->bottleneck = "fetch";
	}
	/* Held back: waiting for room in a full queue (the loop is its only
	 * producer), not the time the queue's mutex took. */
	s->loop_blocked = wall > 0 ? pl->blocking_q.put_wait_ns / wall : 0;
	return arr;
}

static json_t *samples_json(const struct pipeline *pl)
{
	json_t *arr = json_array();

	if (!arr)
		abort();
	for (size_t i = 0; i < pl->nsamples; i++) {
		const struct sample *x = &pl->samples[i];
		json_t *o = json_object();

		if (!o)
			abort();
		json_set_int(o, "t_ns", (long long)x->t_ns);
		json_set_int(o, "blocking_q", x->blocking_q);
		json_set_int(o, "cpu_q", x->cpu_q);
		json_set_int(o, "in_flight", x->in_flight);
		json_set_int(o, "done", x->done);
		if (json_array_append_new(arr, o))
			abort();
	}
	return arr;
}

static json_t *locks_json(struct pipeline *pl)
{
	json_t *locks = json_array();
	bool procs = pl->variant == V_HYBRID || pl->variant == V_UNBOUNDED;

	if (!locks)
		abort();
	queue_add_locks_named(&pl->blocking_q, locks, "blocking-stage queue", getpid());
	queue_add_locks_named(&pl->sh->cpu_q, locks, "cpu-stage queue", getpid());
	for (int i = 0; procs && i < pl->p->cpu; i++) {
		queue_add_locks_named(&pl->sh->cpu_q, locks, "cpu-stage queue", pl->sh->cpu[i].pid);
		gil_add_locks(locks, pl->sh->cpu[i].pid, pl->sh->cpu[i].gil_addr);
	}
	if (!procs)
		gil_add_locks(locks, getpid(), (uintptr_t)&pl->gil);
	return locks;
}

void pipeline_json(json_t *res, struct pipeline *pl, int cpus, uint64_t end, struct summary *s)
{
	const struct params *p = pl->p;
	double wall = (double)(end - pl->start_ns);
	uint64_t *lat = calloc(p->items, sizeof(*lat)), lock_wait = 0;
	json_t *params = result_params(res), *o;

	if (!lat)
		abort();
	json_set_int(params, "items", p->items);
	json_set_int(params, "inflight", p->inflight);
	json_set_real(params, "fetch_ms", p->fetch_ns / 1e6);
	json_set_int(params, "blocking_threads", p->blocking);
	json_set_real(params, "blocking_ms", p->blocking_ns / 1e6);
	json_set_int(params, "cpu_workers", p->cpu);
	json_set_int(params, "n", p->n);
	json_set_int(params, "capacity", pl->variant == V_UNBOUNDED ? 0 : p->capacity);
	json_set_int(params, "switch_interval_ms", p->switch_ms);
	json_set_new(params, "quick", json_boolean(p->quick));
	result_set_wall(res, pl->start_ns, end);
	json_set_int(res, "cpus_usable", cpus);
	s->checksum = 0;
	for (int k = 0; k < p->items; k++) {
		s->checksum += pl->sh->rec[k].result;
		lat[k] = pl->sh->rec[k].done_ns - pl->sh->rec[k].fetch_start_ns;
	}
	json_set_int(res, "items_done", __atomic_load_n(&pl->sh->done, __ATOMIC_RELAXED));
	json_set_int(res, "checksum", s->checksum);
	s->throughput = p->items * 1e9 / wall;
	json_set_real(res, "throughput_per_s", round(s->throughput * 10) / 10);
	json_set_new(res, "stages", stages_json(pl, cpus, wall, s));
	json_set_real(res, "bound_per_s", s->bound);
	json_set_str(res, "bound_stage", s->bottleneck);
	json_set_new(res, "latency", durations_json(lat, p->items));
	s->p50 = u64_percentile(lat, p->items, 50);
	s->p99 = u64_percentile(lat, p->items, 99);
	o = json_object();
	if (!o)
		abort();
	json_set_new(o, "blocking", queue_stats_json(&pl->blocking_q));
	json_set_new(o, "cpu", queue_stats_json(&pl->sh->cpu_q));
	json_set_new(res, "queues", o);
	s->max_blocking_q = pl->blocking_q.max_len;
	s->max_cpu_q = pl->sh->cpu_q.max_len;
	o = json_object();
	if (!o)
		abort();
	json_set_int(o, "put_ns", (long long)pl->loop_put_wait_ns);
	json_set_int(o, "held_ns", (long long)pl->blocking_q.put_wait_ns);
	json_set_int(o, "epoll_wait_ns", (long long)pl->loop_epoll_ns);
	json_set_int(o, "epoll_waits", (long long)pl->epoll_waits);
	json_set_new(res, "loop", o);
	for (int i = 0; i < p->cpu; i++)
		lock_wait += pl->sh->cpu[i].lock_wait_ns;
	json_set_int(res, "cpu_lock_wait_ns", (long long)lock_wait);
	json_set_new(res, "samples", samples_json(pl));
	json_set_new(res, "locks", locks_json(pl));
	result_add_threads(res);
	free(lat);
	s->ran = true;
}

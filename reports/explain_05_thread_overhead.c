// SPDX-License-Identifier: GPL-2.0
/* Why 05_thread_overhead looks the way it does. Each variant is a pool of N
 * workers (params.workers) on the same tasks; its limit is demo.json limit_s
 * (ceil(tasks/N) × (wait + cpu)), the wall of a pool that does nothing but
 * wait. Speedup is threads-1's wall over the variant's; the limit's speedup
 * is threads-1's limit over the variant's; efficiency is limit / wall (100%:
 * the threads cost nothing). Claims and thresholds (docs/explainers.md):
 *   - the curve: every variant's speedup beside the limit's (a statement of
 *     the figures, made whenever threads-1 and another variant ran);
 *   - efficiency fell under 50% at the smallest N > 1 where it did, with what the
 *     kernel shows there beside threads-1: involuntary switches, run-queue
 *     latency p99, CPU time per task and parallelism; then
 *       - CPUs short: the workers' run-queue wait ≥ 10% of their CPU demand,
 *         or parallelism ≥ 80% of the CPUs;
 *       - thread overhead: CPU time per task ≥ 1.5 × threads-1's;
 *   - or efficiency stayed ≥ 50% everywhere;
 *   - the speedup flattened: the largest pool gained < 10% over the next
 *     largest while the limit's speedup grew ≥ 1.5×. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "explain.h"
#include "figures.h"

#define EFFICIENCY_LOW 0.50
#define RUNQ_SHORT 0.10
#define BUSY_CPUS 0.80
#define OVERHEAD_RATIO 1.5
#define FLAT_GAIN 1.10
#define LIMIT_GAIN 1.5
#define CURVE_MAX 16

struct point {
	const struct variant *v;
	double workers, wall, limit, speedup, limit_speedup, efficiency;
};

static double limit_of(const struct run *r, double workers)
{
	double l = demo_num(r, "limit_s", -1);
	double tasks = demo_param(r->demo, "tasks", 0), wait = demo_param(r->demo, "wait_s", 0);
	double cpu = demo_param(r->demo, "cpu_us", 0) / 1e6;

	if (l > 0)
		return l;
	return workers >= 1 && tasks >= 1 ? ceil(tasks / workers) * (wait + cpu) : 0;
}

static int by_workers(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	return x->workers < y->workers ? -1 : x->workers > y->workers;
}

static double cpu_per_task(const struct variant *v)
{
	double tasks = demo_param(v->rep->demo, "tasks", 0);

	return tasks > 0 ? v->m[M_CPU_S].med * 1e9 / tasks : 0;
}

/* What the kernel shows where efficiency fell, beside threads-1. */
static void low_point(const struct point *p, const struct point *base, int cpus,
		      struct sentences *out)
{
	struct state_sum ws = state_sum_of(p->v->rep, "worker");
	double par = p->v->m[M_PARALLELISM].med, c1 = cpu_per_task(base->v),
	       cn = cpu_per_task(p->v);
	char d1[32], d2[32], d3[32], d4[32];

	sentences_add(
	    out,
	    "Efficiency (limit / wall) fell under %.0f%% at %s: %.0f%% (%.3f s against "
	    "the limit %.3f s; speedup %.1f× against the limit's %.1f×). There the kernel "
	    "shows %.0f involuntary switches "
	    "(%.0f at %s), run-queue latency p99 %s (%s), CPU time %s per task (%s) and "
	    "parallelism %.2f on %d CPUs.",
	    100 * EFFICIENCY_LOW, p->v->name, 100 * p->efficiency, p->wall, p->limit, p->speedup,
	    p->limit_speedup, p->v->m[M_NIVCSW].med, base->v->m[M_NIVCSW].med, base->v->name,
	    fmt_ns(d1, sizeof(d1), p->v->m[M_RUNQ_P99_NS].med),
	    fmt_ns(d2, sizeof(d2), base->v->m[M_RUNQ_P99_NS].med), fmt_ns(d3, sizeof(d3), cn),
	    fmt_ns(d4, sizeof(d4), c1), par, cpus);
	if (ws.threads && runq_share(&ws) >= RUNQ_SHORT)
		sentences_add(
		    out,
		    "At %s the CPUs were short: its workers waited %s in run queues "
		    "against %s running, %.0f%% of their CPU demand (threshold: ≥ %.0f%%).",
		    p->v->name, fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_RUNNABLE]),
		    fmt_ns(d2, sizeof(d2), (double)ws.ns[ST_RUNNING]), 100 * runq_share(&ws),
		    100 * RUNQ_SHORT);
	else if (par >= BUSY_CPUS * cpus)
		sentences_add(out,
			      "At %s the CPUs were busy: parallelism %.2f of %d CPUs (threshold: ≥ "
			      "%.0f%% of them).",
			      p->v->name, par, cpus, 100 * BUSY_CPUS);
	if (c1 > 0 && cn >= OVERHEAD_RATIO * c1)
		sentences_add(
		    out,
		    "The threads themselves cost CPU: %s per task at %s against %s at %s, "
		    "%.1f× (threshold: ≥ %.1f×): creation, connections and wakeups.",
		    fmt_ns(d1, sizeof(d1), cn), p->v->name, fmt_ns(d2, sizeof(d2), c1),
		    base->v->name, cn / c1, OVERHEAD_RATIO);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	struct point pts[CURVE_MAX];
	const struct point *base = NULL, *low = NULL, *min_eff = NULL;
	char curve[1024];
	size_t n = 0, i, used = 0;

	for (i = 0; i < rs->nvariants && n < CURVE_MAX; i++) {
		const struct variant *v = &rs->variants[i];
		double w = demo_param(v->rep->demo, "workers", 0);

		if (w < 1 || v->m[M_WALL_S].med <= 0)
			continue;
		pts[n].v = v;
		pts[n].workers = w;
		pts[n].wall = v->m[M_WALL_S].med;
		pts[n].limit = limit_of(v->rep, w);
		n++;
	}
	qsort(pts, n, sizeof(pts[0]), by_workers);
	if (n < 2 || pts[0].workers != 1 || pts[0].limit <= 0)
		return;
	base = &pts[0];
	curve[0] = '\0';
	for (i = 0; i < n; i++) {
		struct point *p = &pts[i];
		int k;

		p->speedup = base->wall / p->wall;
		p->limit_speedup = p->limit > 0 ? base->limit / p->limit : 0;
		p->efficiency = p->limit > 0 ? p->limit / p->wall : 0;
		if (i && !low && p->limit > 0 && p->efficiency < EFFICIENCY_LOW)
			low = p;
		if (p->limit > 0 && (!min_eff || p->efficiency < min_eff->efficiency))
			min_eff = p;
		if (!i)
			continue;
		k = snprintf(curve + used, sizeof(curve) - used, "%s%s %.1f× (limit %.1f×)",
			     i > 1 ? ", " : "", p->v->name, p->speedup, p->limit_speedup);
		used += k > 0 ? (size_t)k : 0;
		if (used >= sizeof(curve))
			used = sizeof(curve) - 1;
	}
	sentences_add(out, "Speedup over %s (%.2f s), beside the limit's: %s.", base->v->name,
		      base->wall, curve);
	if (low)
		low_point(low, base, fig_cpus(rs), out);
	else if (min_eff)
		sentences_add(
		    out,
		    "Efficiency (limit / wall) stayed ≥ %.0f%% from %s through %s; lowest "
		    "%.0f%% at %s: the threads cost little beside the waits.",
		    100 * EFFICIENCY_LOW, base->v->name, pts[n - 1].v->name,
		    100 * min_eff->efficiency, min_eff->v->name);
	if (n >= 3) {
		const struct point *a = &pts[n - 2], *b = &pts[n - 1];

		if (b->speedup < FLAT_GAIN * a->speedup && a->limit_speedup > 0 &&
		    b->limit_speedup >= LIMIT_GAIN * a->limit_speedup)
			sentences_add(
			    out,
			    "The speedup flattened: %s → %s gained %+.0f%% (%.1f× → %.1f×) "
			    "while the limit's grew %.1f× (thresholds: gain < %.0f%%, limit "
			    "≥ %.1f×).",
			    a->v->name, b->v->name, 100 * (b->speedup / a->speedup - 1), a->speedup,
			    b->speedup, b->limit_speedup / a->limit_speedup, 100 * (FLAT_GAIN - 1),
			    LIMIT_GAIN);
	}
}

const struct explainer explain_05_thread_overhead = {"05_thread_overhead", explain, NULL};

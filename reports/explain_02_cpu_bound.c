// SPDX-License-Identifier: GPL-2.0
/* Why 02_cpu_bound looks the way it does. The claims and their thresholds
 * (docs/explainers.md):
 *   - threads-gil serialised: parallelism ≤ 1.25 on a host where the bound
 *     min(workers, CPUs) is ≥ 2; "although CPUs were free" only when its
 *     workers' run-queue wait is < 10% of their CPU demand;
 *   - its workers were blocked on a lock: ≥ 30% of worker lifetime in the
 *     lock state;
 *   - that lock was the GIL: waits on the futex words demo.json names add up
 *     to ≥ 50% of the time the workers spent in futex calls;
 *   - the lock changed hands at the switch-interval rate: handoffs per second
 *     within 0.5-1.5 × 1/interval (the rate is given either way);
 *   - processes / threads-nogil scaled: parallelism ≥ 80% of the bound;
 *   - without a contended lock: workers < 1% of their lifetime in futex waits;
 *   - waiting for CPUs: run-queue wait ≥ 10% of the workers' CPU demand; with
 *     more workers than CPUs that is the CPU bound, otherwise the host's
 *     other load (for threads-gil, said instead of "the CPUs were free");
 *   - threads-gil slower than the best other variant: ratio ≥ 1.5;
 *   - the conclusion (the lock, not threads) only when the GIL claims and a
 *     lock-free variant's scaling claim were all made. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "figures.h"

#define SERIAL_PARALLELISM 1.25
#define FREE_CPU_SHARE 0.10
#define LOCK_SHARE 0.30
#define NAMED_SHARE 0.50
#define HANDOFF_LO 0.5
#define HANDOFF_HI 1.5
#define SCALED_SHARE 0.80
#define UNCONTENDED_SHARE 0.01
#define RUNQ_SHARE 0.10
#define SLOWER_RATIO 1.5

/* Workers: the figures layer's count (params.workers, ...). */
static double workers_of(const struct run *r)
{
	return fig_workers(r);
}

/* The switch interval in ns: demo.json's gil block, else params. */
static double switch_interval_ns(const struct run *r)
{
	double v = demo_num(r, "gil.switch_interval_ns", 0);

	if (v <= 0)
		v = demo_param(r->demo, "switch_interval_ms", 0) * 1e6;
	return v;
}

/* Workers that wait for a CPU: the CPU bound when they outnumber the CPUs
 * and may all run, the host's other load when they do not, or when a lock
 * lets only one of them run at a time (@one_at_a_time). */
static void run_queue(const struct variant *v, const struct state_sum *ws, double workers, int cpus,
		      bool one_at_a_time, struct sentences *out)
{
	char d1[32], d2[32];

	if (!ws->threads || runq_share(ws) < RUNQ_SHARE)
		return;
	fmt_ns(d1, sizeof(d1), (double)ws->ns[ST_RUNNABLE]);
	fmt_ns(d2, sizeof(d2), (double)ws->ns[ST_RUNNING]);
	if (one_at_a_time)
		sentences_add(
		    out,
		    "%s: its workers also waited %s in run queues against %s running, "
		    "%.0f%% of their CPU demand (threshold: ≥ %.0f%%): with one of them "
		    "running at a time on %d CPUs, the CPUs they waited for were taken by "
		    "other load on the host (other programs, or the tracer itself).",
		    v->name, d1, d2, 100 * runq_share(ws), 100 * RUNQ_SHARE, cpus);
	else if (workers > cpus)
		sentences_add(out,
			      "%s: with %.0f workers on %d CPUs, the workers waited %s in run "
			      "queues against %s running, %.0f%% of their CPU demand (threshold: ≥ "
			      "%.0f%%): here the CPUs are the bound, not a lock.",
			      v->name, workers, cpus, d1, d2, 100 * runq_share(ws),
			      100 * RUNQ_SHARE);
	else
		sentences_add(
		    out,
		    "%s: with %.0f worker%s on %d CPUs, the worker%s still waited %s in run "
		    "queues against %s running, %.0f%% of %s CPU demand (threshold: ≥ "
		    "%.0f%%): other load on the host (other programs, or the tracer itself) "
		    "took CPU time, so parallelism stays under the bound.",
		    v->name, workers, workers == 1 ? "" : "s", cpus, workers == 1 ? "" : "s", d1,
		    d2, 100 * runq_share(ws), workers == 1 ? "its" : "their", 100 * RUNQ_SHARE);
}

/* Returns how many of the three GIL claims (serial, lock, named) were made. */
static int gil_variant(const struct variant *v, double bound, double workers, int cpus,
		       struct sentences *out)
{
	const struct run *r = v->rep;
	struct state_sum ws = state_sum_of(r, "worker");
	struct futex_sum fs = futex_sum_of(r);
	struct syscall_sum wf = syscall_sum_of(r, "worker", "futex");
	double par = v->m[M_PARALLELISM].med, interval, handoffs, wall = r->m[M_WALL_S];
	char d1[32], d2[32], d3[32];
	int made = 0;
	size_t i;

	if (bound >= 2 && par <= SERIAL_PARALLELISM) {
		made++;
		sentences_add(out,
			      "%s ran at parallelism %.2f (CPU time %.2f s over %.2f s wall): one "
			      "worker at a time, although the bound min(workers, CPUs) is %.0f "
			      "(threshold: parallelism ≤ %.2f).",
			      v->name, par, v->m[M_CPU_S].med, v->m[M_WALL_S].med, bound,
			      SERIAL_PARALLELISM);
		if (ws.threads && runq_share(&ws) < FREE_CPU_SHARE)
			sentences_add(out,
				      "The CPUs were free: its workers waited %s in run queues, "
				      "%.1f%% of their CPU demand (threshold: < %.0f%%).",
				      fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_RUNNABLE]),
				      100 * runq_share(&ws), 100 * FREE_CPU_SHARE);
		else
			run_queue(v, &ws, workers, cpus, true, out);
	}
	if (ws.threads && state_share(&ws, ST_LOCK) >= LOCK_SHARE) {
		made++;
		sentences_add(
		    out,
		    "%s: its %zu worker threads spent %.0f%% of their lifetime blocked in futex "
		    "waits (lock state, %s) and %.0f%% running (threshold: ≥ %.0f%% in lock).",
		    v->name, ws.threads, 100 * state_share(&ws, ST_LOCK),
		    fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_LOCK]),
		    100 * state_share(&ws, ST_RUNNING), 100 * LOCK_SHARE);
	}
	if (fs.named_count && wf.total_ns &&
	    (double)fs.named_ns >= NAMED_SHARE * (double)wf.total_ns) {
		made++;
		sentences_add(
		    out,
		    "Those waits were on the GIL: %llu futex waits on the words demo.json "
		    "names (%s), %s in all, mean %s per wait, %.0f%% of the %s its workers "
		    "spent in futex calls (threshold: ≥ %.0f%%).",
		    (unsigned long long)fs.named_count, fs.names,
		    fmt_ns(d1, sizeof(d1), (double)fs.named_ns),
		    fmt_ns(d2, sizeof(d2), (double)fs.named_ns / (double)fs.named_count),
		    fmin(100.0, 100.0 * (double)fs.named_ns / (double)wf.total_ns),
		    fmt_ns(d3, sizeof(d3), (double)wf.total_ns), 100 * NAMED_SHARE);
	}

	handoffs = demo_num(r, "gil.handoffs", -1);
	if (handoffs < 0) {
		handoffs = 0;
		for (i = 0; r->demo && i < r->demo->nthreads; i++)
			handoffs += (double)r->demo->threads[i].lock_acquires;
	}
	interval = switch_interval_ns(r);
	if (handoffs > 0 && interval > 0 && wall > 0) {
		double ceiling = 1e9 / interval, rate = handoffs / wall;

		if (rate >= HANDOFF_LO * ceiling && rate <= HANDOFF_HI * ceiling)
			sentences_add(
			    out,
			    "The GIL changed hands %.0f times in %.2f s, %.0f handoffs/s: "
			    "about 1/switch interval (%s → %.0f/s; within %.1f-%.1f×), so "
			    "it moved on the waiters' drop requests, not on its own.",
			    handoffs, wall, rate, fmt_ns(d3, sizeof(d3), interval), ceiling,
			    HANDOFF_LO, HANDOFF_HI);
		else
			sentences_add(out,
				      "The GIL changed hands %.0f times in %.2f s, %.0f handoffs/s "
				      "(one per %s), against 1/switch interval (%s) = %.0f/s.",
				      handoffs, wall, rate,
				      fmt_ns(d1, sizeof(d1), 1e9 * wall / handoffs),
				      fmt_ns(d3, sizeof(d3), interval), ceiling);
	}
	return made;
}

/* Returns true when the variant scaled (the claim was made). */
static bool free_variant(const struct variant *v, double bound, double workers, int cpus,
			 struct sentences *out)
{
	const struct run *r = v->rep;
	struct state_sum ws = state_sum_of(r, "worker");
	double par = v->m[M_PARALLELISM].med;
	bool scaled = bound > 0 && par >= SCALED_SHARE * bound;
	char d1[32];

	if (scaled)
		sentences_add(out,
			      "%s reached parallelism %.2f, %.0f%% of the bound min(%.0f worker%s, "
			      "%d CPUs) = %.0f (threshold: ≥ %.0f%% of the bound).",
			      v->name, par, 100 * par / bound, workers, workers == 1 ? "" : "s",
			      cpus, bound, 100 * SCALED_SHARE);
	else if (bound > 0)
		sentences_add(
		    out,
		    "%s reached parallelism %.2f, only %.0f%% of the bound min(%.0f "
		    "worker%s, %d CPUs) = %.0f (below the %.0f%% it takes to call it scaled).",
		    v->name, par, 100 * par / bound, workers, workers == 1 ? "" : "s", cpus, bound,
		    100 * SCALED_SHARE);
	/* Contention takes two: said of variants with at least two workers. */
	if (ws.threads >= 2 && state_share(&ws, ST_LOCK) < UNCONTENDED_SHARE)
		sentences_add(out,
			      "%s: the workers had no contended lock: %s in futex waits, %.2f%% of "
			      "their lifetime (threshold: < %.0f%%).",
			      v->name, fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_LOCK]),
			      100 * state_share(&ws, ST_LOCK), 100 * UNCONTENDED_SHARE);
	run_queue(v, &ws, workers, cpus, false, out);
	return scaled;
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *gil = run_set_variant(rs, "threads-gil"), *best = NULL;
	const struct variant *free_scaled = NULL;
	int gil_claims = 0;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double workers = workers_of(v->rep);
		double bound = fig_bound(rs, v->rep);

		if (v == gil) {
			gil_claims = gil_variant(v, bound, workers, fig_cpus(rs), out);
			continue;
		}
		if (free_variant(v, bound, workers, fig_cpus(rs), out) && bound >= 2 &&
		    (!free_scaled || !strcmp(v->name, "threads-nogil")))
			free_scaled = v;
		if (!best || v->m[M_WALL_S].med < best->m[M_WALL_S].med)
			best = v;
	}
	if (gil && best && best->m[M_WALL_S].med > 0) {
		double ratio = gil->m[M_WALL_S].med / best->m[M_WALL_S].med;

		if (ratio >= SLOWER_RATIO)
			sentences_add(out,
				      "threads-gil took %.2f s against %.2f s for %s: %.1f× slower "
				      "(threshold: ≥ %.1f×).",
				      gil->m[M_WALL_S].med, best->m[M_WALL_S].med, best->name,
				      ratio, SLOWER_RATIO);
	}
	if (gil && gil_claims == 3 && free_scaled)
		sentences_add(out,
			      "So the cause is the lock, not threads: %s ran the same work at "
			      "parallelism %.2f, while under the GIL the threads took turns.",
			      free_scaled->name, free_scaled->m[M_PARALLELISM].med);
}

const struct explainer explain_02_cpu_bound = {"02_cpu_bound", explain, NULL};

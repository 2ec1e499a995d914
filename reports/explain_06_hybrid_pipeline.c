// SPDX-License-Identifier: GPL-2.0
/* Why 06_hybrid_pipeline looks the way it does. The stages are told apart by
 * thread name: "loop" (fetch), "blocking-N", "cpu-N". Each waits on named
 * futex words (demo.json locks): a stage is starved while its threads wait
 * on its input queue's not_empty condition, and held back while they wait on
 * its output queue's not_full condition. A stage's busy share is its threads'
 * lifetime less those waits, over threads × the run's wall time. Claims and
 * thresholds (docs/explainers.md):
 *   - the bottleneck: the busiest stage, busy ≥ 70% and ≥ 15 points above
 *     every other stage;
 *   - backpressure reaches upstream (bounded): the blocking threads held
 *     back ≥ 30% of their time on the cpu-stage queue's not_full and the loop
 *     ≥ 30% on the blocking-stage queue's not_full;
 *   - unbounded: the loop never waited for room (no futex wait on the
 *     blocking-stage queue's not_full) and the cpu-stage queue grew to ≥ 2×
 *     the bounded run's capacity; said apart: no gain in throughput (within
 *     ±15% of the bounded run's);
 *   - threads-only: the cpu threads waited ≥ 20% of their lifetime on the
 *     interpreter lock; processes then ran the stage ≥ 1.3× faster, or, if
 *     not, the processes waited ≥ 30% of their CPU demand in run queues;
 *   - single-loop: the loop spent ≥ 60% of its life in its blocking calls
 *     (recv) and running bytecode, and hybrid moved ≥ 1.5× the items/s. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

#define BOTTLENECK_BUSY 0.70
#define BOTTLENECK_LEAD 0.15
#define HELD_BACK 0.30
#define QUEUE_GROWS 2.0
#define SAME_PACE 0.15
#define LOCK_SHARE 0.20
#define PROCS_GAIN 1.3
#define HOST_BUSY 0.30
#define LOOP_DOES_ALL 0.60
#define HYBRID_GAIN 1.5

enum { S_FETCH, S_BLOCKING, S_CPU, S_COUNT };
static const char *const stage_label[S_COUNT] = {"fetch", "blocking", "cpu"};

struct stage {
	struct state_sum ss;
	uint64_t starved_ns, held_ns;
	double busy; /* of threads × wall */
};

static void stage_of(const struct run *r, struct stage *s, const char *role, const char *in,
		     const char *out)
{
	double wall = r->demo ? r->demo->wall_s * 1e9 : 0, work;

	memset(s, 0, sizeof(*s));
	s->ss = state_sum_of(r, role);
	s->starved_ns = in ? futex_named(r, in).ns : 0;
	s->held_ns = out ? futex_named(r, out).ns : 0;
	work = (double)s->ss.lifetime_ns - (double)s->starved_ns - (double)s->held_ns;
	if (s->ss.threads && wall > 0)
		s->busy = fmax(0, fmin(1, work / (s->ss.threads * wall)));
}

static void stages_of(const struct run *r, struct stage st[S_COUNT])
{
	stage_of(r, &st[S_FETCH], "loop", NULL, "blocking-stage queue not_full");
	stage_of(r, &st[S_BLOCKING], "blocking-", "blocking-stage queue not_empty",
		 "cpu-stage queue not_full");
	stage_of(r, &st[S_CPU], "cpu-", "cpu-stage queue not_empty", NULL);
}

static double share(uint64_t ns, const struct state_sum *ss)
{
	return ss->lifetime_ns ? (double)ns / (double)ss->lifetime_ns : 0;
}

static void bottleneck(const struct variant *v, const struct stage st[S_COUNT],
		       struct sentences *out)
{
	const char *bound = NULL;
	const json_t *b = v->rep->demo ? json_object_get(v->rep->demo->root, "bound_stage") : NULL;
	int best = -1, k;
	double lead = 1;
	char a[32], c[32], d[32], agree[160] = "";

	for (k = 0; k < S_COUNT; k++)
		if (st[k].ss.threads && (best < 0 || st[k].busy > st[best].busy))
			best = k;
	if (best < 0 || st[best].busy < BOTTLENECK_BUSY)
		return;
	for (k = 0; k < S_COUNT; k++)
		if (k != best && st[k].ss.threads)
			lead = fmin(lead, st[best].busy - st[k].busy);
	if (lead < BOTTLENECK_LEAD)
		return;
	bound = json_is_string(b) ? json_string_value(b) : NULL;
	if (bound)
		snprintf(agree, sizeof(agree), " The demo's own times per item %s: slowest stage %s.",
			 !strcmp(bound, stage_label[best]) ? "agree" : "differ", bound);
	sentences_add(
	    out,
	    "%s: the %s stage set the pace. By the kernel's account its %zu thread%s %s busy "
	    "%.0f%% of the run (running %s, waiting for a CPU %s, waiting for a lock %s), the "
	    "fetch loop %.0f%%, the blocking threads %.0f%%, the cpu workers %.0f%% (the rest is "
	    "time starved of input or held back by a full queue; threshold: ≥ %.0f%% and %.0f "
	    "points above every other stage).%s",
	    v->name, stage_label[best], st[best].ss.threads, st[best].ss.threads == 1 ? "" : "s",
	    st[best].ss.threads == 1 ? "was" : "were", 100 * st[best].busy,
	    fmt_ns(a, sizeof(a), (double)st[best].ss.ns[ST_RUNNING]),
	    fmt_ns(c, sizeof(c), (double)st[best].ss.ns[ST_RUNNABLE]),
	    fmt_ns(d, sizeof(d), (double)st[best].ss.ns[ST_LOCK]), 100 * st[S_FETCH].busy,
	    100 * st[S_BLOCKING].busy, 100 * st[S_CPU].busy, 100 * BOTTLENECK_BUSY,
	    100 * BOTTLENECK_LEAD, agree);
}

/* The mean of demo.json samples[].in_flight while fetches were still going
 * (up to the last sample with one in flight); -1 without samples. */
static double mean_in_flight(const struct run *r)
{
	const json_t *s = r->demo ? json_object_get(r->demo->root, "samples") : NULL;
	double sum = 0;
	size_t i, last = 0;

	for (i = 0; json_is_array(s) && i < json_array_size(s); i++)
		if (json_number_value(json_object_get(json_array_get(s, i), "in_flight")) > 0)
			last = i + 1;
	for (i = 0; i < last; i++)
		sum += json_number_value(json_object_get(json_array_get(s, i), "in_flight"));
	return last ? sum / (double)last : -1;
}

static void backpressure(const struct variant *v, const struct stage st[S_COUNT],
			 const struct variant *u, struct sentences *out)
{
	double bheld = share(st[S_BLOCKING].held_ns, &st[S_BLOCKING].ss);
	double lheld = share(st[S_FETCH].held_ns, &st[S_FETCH].ss);
	double inflight = mean_in_flight(v->rep), uinflight = u ? mean_in_flight(u->rep) : -1;
	char a[32], b[32], fl[160] = "";

	if (bheld < HELD_BACK || lheld < HELD_BACK)
		return;
	if (inflight >= 0)
		snprintf(fl, sizeof(fl), " Fetches in flight averaged %.1f of %.0f (demo.json samples).",
			 inflight, demo_param(v->rep->demo, "inflight", 0));
	if (inflight >= 0 && uinflight >= 0)
		snprintf(fl, sizeof(fl),
			 " Fetches in flight averaged %.1f of %.0f, against %.1f in %s (demo.json "
			 "samples).",
			 inflight, demo_param(v->rep->demo, "inflight", 0), uinflight, u->name);
	sentences_add(out,
		      "%s: backpressure reached the first stage. The cpu-stage queue was full, so "
		      "the blocking threads waited %s on its not_full condition (%.0f%% of their "
		      "time); their own queue then filled and the loop waited %s on the "
		      "blocking-stage queue's not_full (%.0f%% of its time; threshold: ≥ %.0f%% "
		      "each). While it waits the loop fetches nothing more: the slow last stage "
		      "paces the whole pipeline and the queues stay bounded.%s",
		      v->name, fmt_ns(a, sizeof(a), (double)st[S_BLOCKING].held_ns), 100 * bheld,
		      fmt_ns(b, sizeof(b), (double)st[S_FETCH].held_ns), 100 * lheld,
		      100 * HELD_BACK, fl);
}

static void unbounded(const struct variant *u, const struct variant *b, struct sentences *out)
{
	struct futex_by_name held = futex_named(u->rep, "blocking-stage queue not_full");
	double maxq = demo_num(u->rep, "queues.cpu.max_len", -1);
	double cap = demo_param(b->rep->demo, "capacity", 0);
	double tu = demo_num(u->rep, "throughput_per_s", 0), tb = demo_num(b->rep, "throughput_per_s", 0);
	char a[32], c[32];

	if (held.count || cap <= 0 || maxq < QUEUE_GROWS * cap)
		return;
	sentences_add(out,
		      "%s: without a bound nothing held the loop back (no futex wait on the "
		      "blocking-stage queue's not_full) and the queue before the cpu stage grew to "
		      "%.0f items, %.1f× the bounded run's %.0f (threshold: ≥ %.0f×): the backlog "
		      "is waiting, latency p50 %s against %s bounded.",
		      u->name, maxq, maxq / cap, cap, QUEUE_GROWS,
		      fmt_ns(a, sizeof(a), demo_num(u->rep, "latency.p50", 0)),
		      fmt_ns(c, sizeof(c), demo_num(b->rep, "latency.p50", 0)));
	if (tb > 0 && fabs(tu - tb) <= SAME_PACE * tb)
		sentences_add(out,
			      "%s: the unbounded queue bought no throughput: %.0f against %.0f "
			      "items/s bounded (within ±%.0f%%); the slowest stage sets the pace "
			      "either way.",
			      u->name, tu, tb, 100 * SAME_PACE);
}

static void threads_only(const struct variant *t, const struct variant *h, struct sentences *out)
{
	struct state_sum cpu = state_sum_of(t->rep, "cpu-");
	struct futex_by_name gil = futex_named(t->rep, "GIL");
	double wall = t->rep->demo ? t->rep->demo->wall_s : 0;
	double th = h ? demo_num(h->rep, "throughput_per_s", 0) : 0;
	double tt = demo_num(t->rep, "throughput_per_s", 0);
	char a[32], b[32];

	if (!cpu.lifetime_ns || share(gil.ns, &cpu) < LOCK_SHARE || wall <= 0)
		return;
	sentences_add(out,
		      "%s: the cpu stage's %zu threads shared one interpreter lock: they waited %s "
		      "on it, %.0f%% of their time (threshold: ≥ %.0f%%), and together ran "
		      "bytecode on %.2f CPUs on average (their running time / wall).",
		      t->name, cpu.threads, fmt_ns(a, sizeof(a), (double)gil.ns),
		      100 * share(gil.ns, &cpu), 100 * LOCK_SHARE,
		      (double)cpu.ns[ST_RUNNING] / (wall * 1e9));
	if (!h || tt <= 0)
		return;
	if (th >= PROCS_GAIN * tt) {
		sentences_add(out,
			      "%s: processes, each with its own lock, ran the pipeline %.1f× faster "
			      "than threads-only: %.0f against %.0f items/s (threshold: ≥ %.1f×).",
			      h->name, th / tt, th, tt, PROCS_GAIN);
	} else {
		struct state_sum hp = state_sum_of(h->rep, "cpu-");

		if (runq_share(&hp) >= HOST_BUSY)
			sentences_add(
			    out,
			    "%s: processes did not beat threads-only here (%.0f against %.0f items/s) "
			    "because they could not get the CPUs: they waited %s in run queues, %.0f%% "
			    "of their CPU demand (threshold: ≥ %.0f%%). The host was busy with other "
			    "work; on idle CPUs each process runs at once.",
			    h->name, th, tt, fmt_ns(b, sizeof(b), (double)hp.ns[ST_RUNNABLE]),
			    100 * runq_share(&hp), 100 * HOST_BUSY);
	}
}

static void single_loop(const struct variant *l, const struct variant *h, struct sentences *out)
{
	struct state_sum loop = state_sum_of(l->rep, "loop");
	struct syscall_sum recv = syscall_sum_of(l->rep, "loop", "recv");
	struct syscall_sum ep = syscall_sum_of(l->rep, "loop", "epoll_wait");
	double tl = demo_num(l->rep, "throughput_per_s", 0);
	double th = h ? demo_num(h->rep, "throughput_per_s", 0) : 0;
	double both = (double)recv.total_ns + (double)loop.ns[ST_RUNNING];
	char a[32], b[32], c[32];

	if (!loop.lifetime_ns || both < LOOP_DOES_ALL * (double)loop.lifetime_ns || tl <= 0)
		return;
	sentences_add(out,
		      "%s: one thread did every stage. The loop spent %s in recv (its blocking "
		      "calls) and %s running bytecode, %.0f%% of its life (threshold: ≥ %.0f%%), "
		      "and only %s in epoll_wait: while it blocks or computes, no answer is read "
		      "and no fetch starts.",
		      l->name, fmt_ns(a, sizeof(a), (double)recv.total_ns),
		      fmt_ns(b, sizeof(b), (double)loop.ns[ST_RUNNING]),
		      100 * both / (double)loop.lifetime_ns, 100 * LOOP_DOES_ALL,
		      fmt_ns(c, sizeof(c), (double)ep.total_ns));
	if (h && th >= HYBRID_GAIN * tl)
		sentences_add(out,
			      "%s moved %.1f× the items of %s per second: %.0f against %.0f "
			      "(threshold: ≥ %.1f×): each kind of work on the model that suits it.",
			      h->name, th / tl, l->name, th, tl, HYBRID_GAIN);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *h = run_set_variant(rs, "hybrid");
	const struct variant *u = run_set_variant(rs, "hybrid-unbounded");
	const struct variant *t = run_set_variant(rs, "threads-only");
	const struct variant *l = run_set_variant(rs, "single-loop");
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		struct stage st[S_COUNT];

		if (!v->rep->demo || v == l)
			continue;
		stages_of(v->rep, st);
		bottleneck(v, st, out);
		if (demo_param(v->rep->demo, "capacity", 0) > 0)
			backpressure(v, st, u, out);
	}
	if (u && h && u->rep->demo && h->rep->demo)
		unbounded(u, h, out);
	if (t && t->rep->demo)
		threads_only(t, h && h->rep->demo ? h : NULL, out);
	if (l && l->rep->demo)
		single_loop(l, h && h->rep->demo ? h : NULL, out);
}

const struct explainer explain_06_hybrid_pipeline = {"06_hybrid_pipeline", explain};

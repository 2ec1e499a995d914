// SPDX-License-Identifier: GPL-2.0
/* Why 06_hybrid_pipeline looks the way it does. The stages are told apart by
 * thread name: "loop" (fetch), "blocking-N", "cpu-N". Each waits on named
 * futex words (demo.json locks): a stage is starved while its threads wait
 * on its input queue's not_empty condition, and held back while they wait on
 * its output queue's not_full condition. A stage's busy share (said "had
 * work": running, waiting for a CPU or in its own calls) is its threads'
 * lifetime less every lock wait, over threads × the run's wall time. Claims and
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
#include <stdlib.h>

#include "explain.h"
#include "figures.h"
#include "charts.h"
#include "palette.h"
#include "report.h"
#include "demo_module.h"

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

static double share(uint64_t ns, uint64_t lifetime_ns)
{
	return lifetime_ns ? (double)ns / (double)lifetime_ns : 0;
}

/* The stage that set @st's pace by the kernel's evidence, or -1 when no
 * stage stands out past the thresholds. */
static int bottleneck_of(const struct fig_stage st[FIG_STAGES])
{
	int best = fig_busiest_stage(st), k;
	double lead = 1;

	if (best < 0 || st[best].busy < BOTTLENECK_BUSY)
		return -1;
	for (k = 0; k < FIG_STAGES; k++)
		if (k != best && st[k].threads)
			lead = fmin(lead, st[best].busy - st[k].busy);
	return lead >= BOTTLENECK_LEAD ? best : -1;
}

/* What a stage's busy share was made of, in the words every sentence and
 * the Key result use: busy is having work (no lock wait), and waiting for a
 * CPU is said as such, never as busy. "had work 98% of the run (running
 * 70%, waiting for a CPU 25%, in their own system calls 3%)". */
static const char *had_work(char *buf, size_t len, const struct fig_stage *s)
{
	double rest = s->busy - s->running - s->runnable;
	char calls[64] = "";

	if (rest >= 0.005)
		snprintf(calls, sizeof(calls), ", in %s own system calls %.0f%%",
			 s->threads == 1 ? "its" : "their", 100 * rest);
	snprintf(buf, len,
		 "had work %.0f%% of the run (running %.0f%%, waiting for a CPU %.0f%%%s)",
		 100 * s->busy, 100 * s->running, 100 * s->runnable, calls);
	return buf;
}

static void bottleneck(const struct variant *v, const struct fig_stage st[FIG_STAGES],
		       struct sentences *out)
{
	const char *bound = NULL;
	const json_t *b = v->rep->demo ? json_object_get(v->rep->demo->root, "bound_stage") : NULL;
	int best = bottleneck_of(st);
	char a[32], c[32], d[32], w[160], agree[160] = "";

	if (best < 0)
		return;
	bound = json_is_string(b) ? json_string_value(b) : NULL;
	if (bound)
		snprintf(agree, sizeof(agree),
			 " The demo's own times per item %s: slowest stage %s.",
			 !strcmp(bound, st[best].name) ? "agree" : "differ", bound);
	sentences_add(
	    out,
	    "%s: the %s stage set the pace. By the kernel's account its %zu thread%s %s: "
	    "%s running, %s waiting for a CPU (the %s %s waited for a lock is not work). "
	    "The fetch loop had work %.0f%% of the run, the blocking threads %.0f%%, the cpu "
	    "workers %.0f%% (the rest is waiting for a lock: starved of input, held back by a "
	    "full queue, or another lock; threshold: ≥ %.0f%% and %.0f points above every "
	    "other stage).%s",
	    v->name, st[best].name, st[best].threads, st[best].threads == 1 ? "" : "s",
	    had_work(w, sizeof(w), &st[best]), fmt_ns(a, sizeof(a), (double)st[best].running_ns),
	    fmt_ns(c, sizeof(c), (double)st[best].runnable_ns),
	    fmt_ns(d, sizeof(d), (double)st[best].lock_ns), st[best].threads == 1 ? "it" : "they",
	    100 * st[FIG_FETCH].busy, 100 * st[FIG_BLOCKING].busy, 100 * st[FIG_CPU].busy,
	    100 * BOTTLENECK_BUSY, 100 * BOTTLENECK_LEAD, agree);
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

static void backpressure(const struct variant *v, const struct fig_stage st[FIG_STAGES],
			 const struct variant *u, struct sentences *out)
{
	double bheld = share(st[FIG_BLOCKING].held_ns, st[FIG_BLOCKING].lifetime_ns);
	double lheld = share(st[FIG_FETCH].held_ns, st[FIG_FETCH].lifetime_ns);
	double inflight = mean_in_flight(v->rep), uinflight = u ? mean_in_flight(u->rep) : -1;
	char a[32], b[32], fl[320] = "";

	if (bheld < HELD_BACK || lheld < HELD_BACK)
		return;
	/* A fetch counts as in flight until the loop reads its answer: one
	 * answered while the loop waits stays counted. */
	if (inflight >= 0)
		snprintf(fl, sizeof(fl),
			 " So the fetches it had started stayed in flight, their answers waiting "
			 "unread: on average %.1f of %.0f (demo.json samples).",
			 inflight, demo_param(v->rep->demo, "inflight", 0));
	if (inflight >= 0 && uinflight >= 0)
		snprintf(fl, sizeof(fl),
			 " So the fetches it had started stayed in flight, their answers waiting "
			 "unread: on average %.1f of %.0f, against %.1f in %s (demo.json samples).",
			 inflight, demo_param(v->rep->demo, "inflight", 0), uinflight, u->name);
	sentences_add(out,
		      "%s: backpressure reached the first stage. The cpu-stage queue was full, so "
		      "the %zu blocking threads waited %s in all on its not_full condition (%.0f%% "
		      "of their time); their own queue then filled and the loop waited %s on the "
		      "blocking-stage queue's not_full (%.0f%% of its time; threshold: ≥ %.0f%% "
		      "each). While it waits the loop reads no answer and starts no new fetch: the "
		      "slow last stage paces the whole pipeline and the queues stay bounded.%s",
		      v->name, st[FIG_BLOCKING].threads,
		      fmt_ns(a, sizeof(a), (double)st[FIG_BLOCKING].held_ns), 100 * bheld,
		      fmt_ns(b, sizeof(b), (double)st[FIG_FETCH].held_ns), 100 * lheld,
		      100 * HELD_BACK, fl);
}

static void unbounded(const struct variant *u, const struct variant *b, struct sentences *out)
{
	struct futex_by_name held = futex_named(u->rep, "blocking-stage queue not_full");
	double maxq = demo_num(u->rep, "queues.cpu.max_len", -1);
	double cap = demo_param(b->rep->demo, "capacity", 0);
	double tu = demo_num(u->rep, "throughput_per_s", 0),
	       tb = demo_num(b->rep, "throughput_per_s", 0);
	if (held.count || cap <= 0 || maxq < QUEUE_GROWS * cap)
		return;
	sentences_add(out,
		      "%s: without a bound nothing held the loop back (no futex wait on the "
		      "blocking-stage queue's not_full) and the queue before the cpu stage grew to "
		      "%.0f items, %.1f× the bounded run's %.0f (threshold: ≥ %.0f×): work "
		      "waiting in memory, which a longer run would only make larger.",
		      u->name, maxq, maxq / cap, cap, QUEUE_GROWS);
	if (tb > 0 && fabs(tu - tb) <= SAME_PACE * tb)
		sentences_add(out,
			      "%s: the unbounded queue bought no throughput: %.0f against %.0f "
			      "items/s bounded (within ±%.0f%%); the slowest stage sets the pace "
			      "either way.",
			      u->name, tu, tb, 100 * SAME_PACE);
}

/* The cpu threads' blocked time on the interpreter lock: the part of their
 * lock time its futex calls hold. */
static double gil_wait_ns(const struct run *r, const struct state_sum *cpu)
{
	struct state_sum ss = cpu ? *cpu : state_sum_of(r, "cpu-");

	return fig_part_of_blocked((double)ss.ns[ST_LOCK], (double)futex_named(r, "GIL").ns,
				   (double)syscall_sum_of(r, "cpu-", "futex").total_ns);
}

static void threads_only(const struct variant *t, const struct variant *h, struct sentences *out)
{
	struct state_sum cpu = state_sum_of(t->rep, "cpu-");
	double gil = gil_wait_ns(t->rep, &cpu);
	double wall = t->rep->demo ? t->rep->demo->wall_s : 0;
	double th = h ? demo_num(h->rep, "throughput_per_s", 0) : 0;
	double tt = demo_num(t->rep, "throughput_per_s", 0);
	char a[32], b[32];

	if (!cpu.lifetime_ns || share((uint64_t)gil, cpu.lifetime_ns) < LOCK_SHARE || wall <= 0)
		return;
	sentences_add(out,
		      "%s: the cpu stage's %zu threads shared one interpreter lock: they waited %s "
		      "on it, %.0f%% of their time (threshold: ≥ %.0f%%), and together ran "
		      "bytecode on %.2f CPUs on average (their running time / wall).",
		      t->name, cpu.threads, fmt_ns(a, sizeof(a), gil),
		      100 * share((uint64_t)gil, cpu.lifetime_ns), 100 * LOCK_SHARE,
		      (double)cpu.ns[ST_RUNNING] / (wall * 1e9));
	if (!h || tt <= 0)
		return;
	if (th >= PROCS_GAIN * tt) {
		sentences_add(
		    out,
		    "%s: processes, each with its own lock, ran the pipeline %.1f× faster "
		    "than threads-only: %.0f against %.0f items/s (threshold: ≥ %.1f×).",
		    h->name, th / tt, th, tt, PROCS_GAIN);
	} else {
		struct state_sum hp = state_sum_of(h->rep, "cpu-");

		if (runq_share(&hp) >= HOST_BUSY)
			sentences_add(out,
				      "%s: processes did not beat threads-only here (%.0f against "
				      "%.0f items/s) "
				      "because they could not get the CPUs: they waited %s in run "
				      "queues, %.0f%% "
				      "of their CPU demand (threshold: ≥ %.0f%%). The host was "
				      "busy with other "
				      "work; on idle CPUs each process runs at once.",
				      h->name, th, tt,
				      fmt_ns(b, sizeof(b), (double)hp.ns[ST_RUNNABLE]),
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
		struct fig_stage st[FIG_STAGES];

		if (!v->rep->demo || v == l)
			continue;
		fig_stages(v->rep, st);
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

/* One plain sentence per variant: what ran where, and what set its pace. */
static void verdict_line(const struct variant *v, const struct variant *b, struct verdicts *out)
{
	const struct run *r = v->rep;
	struct fig_stage st[FIG_STAGES];
	double tput = demo_num(r, "throughput_per_s", 0), cap = demo_param(r->demo, "capacity", 0);
	char bcap[128] = "";
	int best;

	if (b && b->rep->demo)
		snprintf(bcap, sizeof(bcap), " (at most %.0f in %s)",
			 demo_param(b->rep->demo, "capacity", 0), b->name);
	fig_stages(r, st);
	best = bottleneck_of(st);
	if (!strcmp(v->name, "single-loop")) {
		sentences_add(
		    &out->lines,
		    "%s: %.0f items/s. One thread did every stage, so one item moved at "
		    "a time: a blocking call or a long computation stalls the whole loop.",
		    v->name, tput);
	} else if (!strcmp(v->name, "threads-only")) {
		double gil = gil_wait_ns(r, NULL),
		       gs = share((uint64_t)gil, st[FIG_CPU].lifetime_ns);
		char d1[32], d2[32];

		/* "one CPU at a time" only past the why's own threshold: at 8%
		 * the lock did not set the pace (issue 18's reading) */
		if (gs >= LOCK_SHARE)
			sentences_add(&out->lines,
				      "%s: %.0f items/s. The cpu stage ran in threads under one "
				      "shared lock: they waited on it %.0f%% of their time, so the "
				      "bytecode used one CPU at a time.",
				      v->name, tput, 100 * gs);
		else
			sentences_add(
			    &out->lines,
			    "%s: %.0f items/s. The cpu stage ran in threads under one "
			    "shared lock, but they waited on it only %.0f%% of their time "
			    "(%s; the lesson's threshold: ≥ %.0f%%)%s%s%s: in this run the "
			    "lock did not set the pace.",
			    v->name, tput, 100 * gs, fmt_ns(d1, sizeof(d1), gil), 100 * LOCK_SHARE,
			    st[FIG_CPU].runnable_ns > gil ? ", and " : "",
			    st[FIG_CPU].runnable_ns > gil
				? fmt_ns(d2, sizeof(d2), (double)st[FIG_CPU].runnable_ns)
				: "",
			    st[FIG_CPU].runnable_ns > gil ? " waiting for a CPU" : "");
	} else if (cap <= 0) {
		double tb = b && b->rep->demo ? demo_num(b->rep, "throughput_per_s", 0) : 0;
		struct fig_stage bs[FIG_STAGES];
		char why[512] = "; a backlog holds waiting work, not speed.";

		/* "not speed" beside a faster unbounded run contradicts its own
		 * figures (issue 18's reading: 50 items/s against hybrid's 28):
		 * with the cpu stage pacing both, the gap is the CPUs it got */
		if (b && b->rep->demo)
			fig_stages(b->rep, bs);
		if (tb > 0 && tput > (1 + SAME_PACE) * tb && st[FIG_CPU].busy >= BOTTLENECK_BUSY &&
		    bottleneck_of(bs) == FIG_CPU)
			snprintf(
			    why, sizeof(why),
			    ". It moved %.1f× %s's items/s, though its cpu stage had work "
			    "%.0f%% of the run, as %s's did: its workers ran %.0f%% of the run "
			    "against %.0f%% in %s, the CPUs the host's other work left them; a "
			    "backlog holds waiting work, not speed.",
			    tput / tb, b->name, 100 * st[FIG_CPU].busy, b->name,
			    100 * st[FIG_CPU].running, 100 * bs[FIG_CPU].running, b->name);
		sentences_add(&out->lines,
			      "%s: %.0f items/s. No bound: the queue before the cpu stage grew to "
			      "%.0f items%s%s",
			      v->name, tput, demo_num(r, "queues.cpu.max_len", 0), bcap, why);
	} else if (best >= 0) {
		char w[160];

		sentences_add(&out->lines,
			      "%s: %.0f items/s. Each kind of work ran where it fits (an event "
			      "loop for the fetches, threads for the blocking calls, processes for "
			      "the bytecode); the %s stage set the pace: it %s. The full "
			      "queues held the loop back %.0f%% of its time: backpressure.",
			      v->name, tput, st[best].name, had_work(w, sizeof(w), &st[best]),
			      100 * share(st[FIG_FETCH].held_ns, st[FIG_FETCH].lifetime_ns));
	} else {
		sentences_add(&out->lines,
			      "%s: %.0f items/s; no stage stood out as the bottleneck (share of "
			      "the run each had work: fetch %.0f%%, blocking %.0f%%, cpu %.0f%%).",
			      v->name, tput, 100 * st[FIG_FETCH].busy, 100 * st[FIG_BLOCKING].busy,
			      100 * st[FIG_CPU].busy);
	}
}

/* Where the run contradicts the lesson: the hybrid slower than the models it
 * beats, or its queues past their bound. */
static void verdict(const struct run_set *rs, struct verdicts *out)
{
	const struct variant *h = run_set_variant(rs, "hybrid");
	const struct variant *t = run_set_variant(rs, "threads-only");
	const struct variant *l = run_set_variant(rs, "single-loop");
	size_t i;

	for (i = 0; i < rs->nvariants; i++)
		if (rs->variants[i].rep->demo)
			verdict_line(&rs->variants[i], h, out);
	if (!h || !h->rep->demo)
		return;
	if (l && l->rep->demo &&
	    demo_num(h->rep, "throughput_per_s", 0) <
		HYBRID_GAIN * demo_num(l->rep, "throughput_per_s", 0))
		sentences_add(&out->doubts,
			      "hybrid moved less than %.1f× single-loop's items per second (%.0f "
			      "against %.0f): the stages did not overlap as they should.",
			      HYBRID_GAIN, demo_num(h->rep, "throughput_per_s", 0),
			      demo_num(l->rep, "throughput_per_s", 0));
	if (t && t->rep->demo && fig_cpus(rs) >= 2 &&
	    demo_num(h->rep, "throughput_per_s", 0) <
		PROCS_GAIN * demo_num(t->rep, "throughput_per_s", 0))
		sentences_add(&out->doubts,
			      "hybrid's processes were not %.1f× faster than threads-only's locked "
			      "threads (%.0f against %.0f items/s) on %d CPUs: see whether they "
			      "waited for CPUs (the host busy with other work).",
			      PROCS_GAIN, demo_num(h->rep, "throughput_per_s", 0),
			      demo_num(t->rep, "throughput_per_s", 0), fig_cpus(rs));
}

/* The Key result: each variant's items/s, the verdict's figure, and for
 * the bounded pipeline the stage that bounded it (bottleneck_of, the
 * verdict's test, in its words): "hybrid 29 items/s, paced by its slowest
 * stage, cpu (had work 98% of the run (running 70%, ...)) vs single-loop 9". */
static void key_result(const struct run_set *rs, struct sbuf *out)
{
	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		struct fig_stage st[FIG_STAGES];
		int best;

		if (!v->rep->demo)
			continue;
		sb_printf(out, "%s%s %.0f items/s", out->len ? " vs " : "", v->name,
			  demo_num(v->rep, "throughput_per_s", 0));
		if (demo_param(v->rep->demo, "capacity", 0) <= 0 ||
		    !strcmp(v->name, "single-loop") || !strcmp(v->name, "threads-only"))
			continue;
		fig_stages(v->rep, st);
		best = bottleneck_of(st);
		if (best >= 0) {
			char w[160];

			sb_printf(out, ", paced by its slowest stage, %s: it %s", st[best].name,
				  had_work(w, sizeof(w), &st[best]));
		}
	}
}

/* ---- the lesson chart ---------------------------------------------------- */

/* The lesson charts of 06_hybrid_pipeline: each stage's busy share by the
 * kernel's account (the bottleneck is the full bar), and the queues between
 * the stages over time, bounded against unbounded. */
#define MAX_VARIANTS 8
#define MAX_SAMPLES 60000

static void busy_chart(struct report *rp)
{
	/* Each stage's work split: the wait for a CPU drawn apart from the
	 * running, so a stage that "had work" on a busy host is not read as
	 * computing. The rest is its threads' own system calls and the like. */
	static const char *const series[] = {"running", "waiting for a CPU",
					     "own system calls, the rest"};
	static const char *const colors[] = {"#2ca02c", "#ff7f0e", "#c7c7c7"};
	enum { NSERIES = 3, MAX_BARS = MAX_VARIANTS * FIG_STAGES };
	const struct run_set *rs = rp->rs;
	char names[MAX_BARS][160];
	const char *group[MAX_BARS];
	double v[MAX_BARS * NSERIES];
	size_t i, n = 0;

	for (i = 0; i < rs->nvariants && i < MAX_VARIANTS; i++) {
		struct fig_stage st[FIG_STAGES];

		if (!rs->variants[i].rep->demo)
			continue;
		fig_stages(rs->variants[i].rep, st);
		for (int k = 0; k < FIG_STAGES; k++) {
			if (!st[k].threads)
				continue; /* single-loop: the loop alone */
			snprintf(names[n], sizeof(names[n]), "%s: %s", rs->variants[i].name,
				 st[FIG_BLOCKING].threads || st[FIG_CPU].threads
				     ? st[k].name
				     : "the loop, all stages");
			group[n] = names[n];
			v[n * NSERIES] = 100 * st[k].running;
			v[n * NSERIES + 1] = 100 * st[k].runnable;
			v[n * NSERIES + 2] =
			    fmax(0, 100 * (st[k].busy - st[k].running - st[k].runnable));
			n++;
		}
	}
	if (!n)
		return;
	struct bar_chart c = {.title = "How much of the run each stage had work, and how much of "
				       "that was running",
			      .ylabel = "% of the run",
			      .stacked = true,
			      .ngroups = n,
			      .nseries = NSERIES,
			      .group = group,
			      .series = series,
			      .color = colors,
			      .v = v};
	report_chart(rp, &c, "lesson",
		     "One bar per stage of each variant: how much of the run its threads had "
		     "work, by the kernel's account (their time less every lock wait: an empty "
		     "input queue, a full output queue, or another lock such as the "
		     "interpreter's), split into running (green), waiting for a CPU (orange) and "
		     "their own system calls (grey). The stage whose bar is near 100% sets the "
		     "pace of the whole pipeline; the others wait for it. Only the green part "
		     "is computing: on a busy host much of a stage's work is the wait for a CPU. "
		     "In single-loop the loop thread does all three stages itself.");
}

/* The queues' depths over time (demo.json samples), bounded against
 * unbounded: solid the cpu-stage queue, dashed the blocking-stage queue. */
static void depth_chart(struct report *rp, const struct variant *a, const struct variant *b)
{
	static const char *const fields[] = {"cpu_q", "blocking_q"};
	const struct variant *vs[2] = {a, b};
	struct xy_series s[4];
	double *buf[8] = {0};
	char *titles[4] = {0};
	size_t ns = 0, k = 0;

	for (int v = 0; v < 2; v++)
		for (int f = 0; f < 2; f++) {
			double *t = buf[k++] = calloc(MAX_SAMPLES, sizeof(double));
			double *d = buf[k++] = calloc(MAX_SAMPLES, sizeof(double));
			size_t n;

			if (!t || !d)
				abort();
			n = fig_samples(vs[v]->rep, fields[f], t, d, MAX_SAMPLES);
			if (!n)
				continue;
			if (asprintf(&titles[ns], "%s, %s queue", vs[v]->name,
				     f ? "blocking-stage" : "cpu-stage") < 0)
				abort();
			s[ns] = (struct xy_series){.title = titles[ns],
						   .color = series_color((size_t)v),
						   .style = f ? XY_DASHED : XY_LINES,
						   .n = n,
						   .x = t,
						   .y = d};
			ns++;
		}
	if (ns) {
		struct xy_chart c = {.title = "Items waiting between the stages",
				     .xlabel = "seconds since the pipeline started",
				     .ylabel = "queue depth (items)",
				     .nseries = ns,
				     .series = s};

		report_xy_chart(
		    rp, &c, "lesson-queues",
		    "The queues over time. Bounded, the queue before the slowest stage stops at "
		    "its capacity and the stages before it wait: backpressure. Unbounded, it "
		    "grows for as long as the faster stages keep feeding it, then drains.");
	}
	for (size_t i = 0; i < ns; i++)
		free(titles[i]);
	for (size_t i = 0; i < k; i++)
		free(buf[i]);
}

static void lesson(struct report *rp)
{
	const struct variant *h = run_set_variant(rp->rs, "hybrid");
	const struct variant *u = run_set_variant(rp->rs, "hybrid-unbounded");

	busy_chart(rp);
	if (h && u && h->rep->demo && u->rep->demo)
		depth_chart(rp, h, u);
}

/* What to see in each variant's timeline (the first row that matches). */
static const struct timeline_caption captions[] = {
    {"hybrid-unbounded",
     "no bound: the loop and the blocking threads never wait for room in a queue (that wait "
     "would be lock, vermillion); the cpu workers (cpu-N) run (green) or wait for a CPU "
     "(orange) while the work piles up in the queue before them"},
    {"hybrid",
     "the stage that runs (green) or waits for a CPU (orange) most sets the pace; the stages "
     "before it wait for room in a full queue (lock, vermillion): backpressure"},
    {"threads-only",
     "the cpu threads share one interpreter lock: a wait for it is lock (vermillion), a wait "
     "for a CPU orange; compare with hybrid's cpu processes"},
    {"single-loop",
     "one thread, loop, does every stage: its fetches' waits (io, dark blue), blocking calls "
     "and computing (green) one after another"},
    {NULL, NULL},
};

const struct demo_module demo_06_hybrid_pipeline = {
    .demo = "06_hybrid_pipeline",
    .explainer = {"06_hybrid_pipeline", explain, verdict, false},
    .lesson = lesson,
    .key_result = key_result,
    .captions = captions,
};

// SPDX-License-Identifier: GPL-2.0
/* Why 08_streaming looks the way it does. A variant's load is demo.json
 * params.load_pct (% of capacity = workers / service time); it is bounded
 * when params.capacity > 0. The workers are the threads named worker-N; they
 * wait for requests on the queue's not_empty condition, so their futex time
 * on it (named from demo.json locks) is the time they were idle. Claims and
 * thresholds (docs/explainers.md):
 *   below capacity (unbounded, load < 100%)
 *   - the hockey stick: p99 at the highest load ≥ 2 × p99 at the lowest;
 *   - the rise is queue wait: at the highest load, wait p99 ≥ 50% of p99;
 *   - the kernel's side: the workers' idle share (futex time on not_empty
 *     over their lifetime) falls by ≥ 20 points from the lowest load to the
 *     highest;
 *   above capacity
 *   - unbounded: latency grows for as long as the run lasts: the last
 *     window's p50 ≥ 3 × the first's, and the workers idle < 5%;
 *   - bounded: requests rejected (> 0, their share given against the 1 − 1/ρ
 *     that cannot be served), and p99 ≤ 1.5 × (capacity / workers + 1) ×
 *     the measured service p99;
 *   - bounded against unbounded at the same load: p99 ≥ 3 × lower;
 *   any load
 *   - a noisy low load: p99 at the lowest load ≥ 5 × the nominal service
 *     time, more than queueing at that load explains;
 *   - CPUs short: the workers' run-queue share of their CPU demand ≥ 10%,
 *     said once, for the variant where it is largest. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "explain.h"
#include "figures.h"
#include "host_load.h"
#include "charts.h"
#include "palette.h"
#include "report.h"
#include "demo_module.h"

#define HOCKEY 2.0
#define WAIT_SHARE 0.50
#define IDLE_DROP 0.20
#define GROWS 3.0
#define NEVER_IDLE 0.05
#define BOUND_TOL 1.5
#define BOUNDED_GAIN 3.0
#define CPUS_SHORT 0.10

static double load_of(const struct variant *v)
{
	return demo_param(v->rep->demo, "load_pct", -1);
}

static bool bounded(const struct variant *v)
{
	return demo_param(v->rep->demo, "capacity", 0) > 0;
}

/* A lower load whose p99 was DIP times a higher load's or more, among the
 * unbounded runs under capacity: queueing alone makes p99 rise with the
 * load, so such a pair says something else delayed the workers at the
 * lower one. The pair with the largest ratio; false when none. Read once,
 * for the verdict's doubt and the lesson chart's caption. */
#define DIP 1.25
static bool p99_dip(const struct run_set *rs, const struct variant **lower,
		    const struct variant **higher)
{
	double best = 0;

	*lower = *higher = NULL;
	for (size_t i = 0; i < rs->nvariants; i++)
		for (size_t j = 0; j < rs->nvariants; j++) {
			const struct variant *a = &rs->variants[i], *b = &rs->variants[j];
			double pa, pb;

			if (!a->rep->demo || !b->rep->demo || bounded(a) || bounded(b) ||
			    load_of(a) < 0 || load_of(b) >= 100 || load_of(a) >= load_of(b))
				continue;
			pa = demo_num(a->rep, "latency.p99", 0);
			pb = demo_num(b->rep, "latency.p99", 0);
			if (pb > 0 && pa >= DIP * pb && pa / pb > best) {
				best = pa / pb;
				*lower = a;
				*higher = b;
			}
		}
	return *lower != NULL;
}

static void hockey_stick(const struct variant *lo, const struct variant *hi, struct sentences *out)
{
	double p99lo = demo_num(lo->rep, "latency.p99", 0),
	       p99hi = demo_num(hi->rep, "latency.p99", 0);
	double waithi = demo_num(hi->rep, "wait.p99", 0), svc = demo_num(hi->rep, "service.p50", 0);
	double idlo = fig_workers_idle(lo->rep), idhi = fig_workers_idle(hi->rep);
	double svc_nominal = demo_param(lo->rep->demo, "service_us", 0) * 1e3;
	char a[32], b[32], c[32];

	if (p99lo > 0 && p99hi >= HOCKEY * p99lo)
		sentences_add(out,
			      "The hockey stick: p99 latency went from %s at %.0f%% of capacity to "
			      "%s at %.0f%%, %.1f× for %.2f× the load (threshold: ≥ %.0f×). Near "
			      "capacity a burst of arrivals finds every worker busy and queues.",
			      fmt_ns(a, sizeof(a), p99lo), load_of(lo), fmt_ns(b, sizeof(b), p99hi),
			      load_of(hi), p99hi / p99lo, load_of(hi) / load_of(lo), HOCKEY);
	if (svc_nominal > 0 && fig_p99_over_service(lo->rep) >= FIG_NOISY_LOW)
		sentences_add(out,
			      "Mind the low end: at %.0f%% load p99 was already %s, %.0f× the %s "
			      "service time (threshold: ≥ %.0f×), more than queueing at that "
			      "load explains: something delayed the workers themselves (see the "
			      "run-queue waits below).",
			      load_of(lo), fmt_ns(a, sizeof(a), p99lo), p99lo / svc_nominal,
			      fmt_ns(b, sizeof(b), svc_nominal), FIG_NOISY_LOW);
	if (p99hi > 0 && waithi >= WAIT_SHARE * p99hi)
		sentences_add(
		    out,
		    "At %.0f%% the latency is mostly waiting in the queue: wait p99 %s of "
		    "p99 %s (threshold: ≥ %.0f%%), while the service itself took %s "
		    "(p50).",
		    load_of(hi), fmt_ns(a, sizeof(a), waithi), fmt_ns(b, sizeof(b), p99hi),
		    100 * WAIT_SHARE, fmt_ns(c, sizeof(c), svc));
	if (idlo >= 0 && idhi >= 0 && idlo - idhi >= IDLE_DROP)
		sentences_add(
		    out,
		    "The kernel shows why: the workers sat idle on the queue's not_empty "
		    "condition %.0f%% of their time at %.0f%% load but %.0f%% at %.0f%% "
		    "(futex waits; threshold: a drop ≥ %.0f points). With no worker idle, "
		    "a request that arrives waits for one to finish.",
		    100 * idlo, load_of(lo), 100 * idhi, load_of(hi), 100 * IDLE_DROP);
}

/* The first and last window of demo.json "windows" with requests in them. */
static void windows_ends(const struct run *r, double *p50_first, double *p50_last,
			 double *depth_last)
{
	const json_t *w = r->demo ? json_object_get(r->demo->root, "windows") : NULL;
	size_t i;

	*p50_first = *p50_last = *depth_last = 0;
	for (i = 0; json_is_array(w) && i < json_array_size(w); i++) {
		const json_t *e = json_array_get(w, i);
		double p50 = json_number_value(json_object_get(e, "p50_ns"));

		if (p50 <= 0)
			continue;
		if (*p50_first == 0)
			*p50_first = p50;
		*p50_last = p50;
		*depth_last = json_number_value(json_object_get(e, "depth"));
	}
}

static void over_unbounded(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	double first, last, depth, idle = fig_workers_idle(r);
	double rate = demo_num(r, "rate_per_s", 0), cap = demo_num(r, "capacity_per_s", 0);
	char a[32], b[32];

	windows_ends(r, &first, &last, &depth);
	if (first > 0 && last >= GROWS * first && idle >= 0 && idle < NEVER_IDLE)
		sentences_add(
		    out,
		    "%s: above capacity the unbounded queue grows for as long as the run "
		    "lasts: %.0f arrivals/s against a capacity of %.0f/s, the queue held %.0f at "
		    "the "
		    "end and a request's p50 went from %s in the first window to %s in the "
		    "last (threshold: ≥ %.0f×); the workers were idle %.1f%% of their time "
		    "(threshold: < %.0f%%). A longer run only makes it worse.",
		    v->name, rate, cap, depth, fmt_ns(a, sizeof(a), first),
		    fmt_ns(b, sizeof(b), last), GROWS, 100 * idle, 100 * NEVER_IDLE);
}

static void over_bounded(const struct variant *v, const struct variant *u, struct sentences *out)
{
	const struct run *r = v->rep;
	double rej = demo_num(r, "rejected", 0), arr = demo_num(r, "arrivals", 0);
	double cap = demo_param(r->demo, "capacity", 0),
	       workers = demo_param(r->demo, "workers", 0);
	double svc99 = demo_num(r, "service.p99", 0), p99 = demo_num(r, "latency.p99", 0);
	double rho = load_of(v) / 100, bound = (cap / fmax(workers, 1) + 1) * svc99;
	double up99 = u ? demo_num(u->rep, "latency.p99", 0) : 0;
	char a[32], b[32], c[32];

	if (rej > 0 && arr > 0)
		sentences_add(
		    out,
		    "%s: the bounded queue (%.0f) rejected %.0f of %.0f requests (%.1f%%); "
		    "at %.0f%% load at least 1 − 1/%.2f = %.1f%% cannot be served, so "
		    "rejecting them is what keeps the rest on time.",
		    v->name, cap, rej, arr, 100 * rej / arr, load_of(v), rho,
		    rho > 1 ? 100 * (1 - 1 / rho) : 0.0);
	if (p99 > 0 && svc99 > 0 && p99 <= BOUND_TOL * bound)
		sentences_add(
		    out,
		    "%s: p99 stayed %s, %.2f× the bound (threshold: ≤ %.1f×): a request waits "
		    "behind at most %.0f others for %.0f workers, (%.0f/%.0f + 1) × service "
		    "p99 %s = %s.",
		    v->name, fmt_ns(a, sizeof(a), p99), p99 / bound, BOUND_TOL, cap, workers, cap,
		    workers, fmt_ns(b, sizeof(b), svc99), fmt_ns(c, sizeof(c), bound));
	if (u && p99 > 0 && up99 >= BOUNDED_GAIN * p99)
		sentences_add(
		    out,
		    "At the same load the bound made p99 %.0f× lower: %s bounded against %s "
		    "unbounded (threshold: ≥ %.0f×). Streaming's targets, stability and a "
		    "predictable p99, need the bound.",
		    up99 / p99, fmt_ns(a, sizeof(a), p99), fmt_ns(b, sizeof(b), up99),
		    BOUNDED_GAIN);
}

/* Once: the variant whose workers waited longest for a CPU, as a share of
 * their CPU demand. */
static void cpus_short(const struct run_set *rs, struct sentences *out)
{
	const struct variant *worst = NULL;
	double share = 0;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		struct state_sum w = state_sum_of(rs->variants[i].rep, "worker-");

		if (runq_share(&w) > share) {
			share = runq_share(&w);
			worst = &rs->variants[i];
		}
	}
	if (worst && share >= CPUS_SHORT) {
		struct state_sum w = state_sum_of(worst->rep, "worker-");
		const struct run *r = worst->rep;
		double n = demo_num(r, "completed", 0);
		char a[32], b[32], c[32], d[32], e[32];

		double wall = r->demo ? r->demo->wall_s * 1e9 : 0;
		double cpus = demo_num(r, "cpus_usable", rs->cpus);
		double used = wall > 0 && cpus > 0 ? (double)w.ns[ST_RUNNING] / (wall * cpus) : 0;
		char why[512];

		/* Whose demand kept the CPUs: the workers' own, or other work as
		 * the collector measured it (host_load.h: one verdict). */
		struct host_load hl = host_load_of(r);

		if (used < 0.5 && hl.verdict == HOST_BUSY) {
			char who[200];

			host_takers(&hl, HOST_SAY, who, sizeof(who));
			snprintf(why, sizeof(why),
				 "the workers themselves used only %.0f%% of the %.0f usable CPUs, "
				 "and other work on the host held them (%.0f%% of the CPUs' time: "
				 "%s)",
				 100 * used, cpus, 100 * hl.cpu_share, who);
		} else if (used < 0.5 && hl.verdict == HOST_QUIET)
			snprintf(why, sizeof(why),
				 "the workers themselves used only %.0f%% of the %.0f usable CPUs, "
				 "and other work on the host only %.0f%% of their time: the CPUs "
				 "were mostly free, so the wait is the wake-ups' own latency",
				 100 * used, cpus, 100 * hl.cpu_share);
		else if (used < 0.5)
			snprintf(why, sizeof(why),
				 "the workers themselves used only %.0f%% of the %.0f usable CPUs "
				 "(other work on the host was not measured in this run)",
				 100 * used, cpus);
		else
			snprintf(
			    why, sizeof(why),
			    "%.0f workers kept %.0f%% of the %.0f usable CPUs busy: more runnable "
			    "workers than CPUs",
			    demo_param(r->demo, "workers", 0), 100 * used, cpus);
		sentences_add(
		    out,
		    "CPUs were short: in %s the workers waited %s in run queues against %s "
		    "running, %.0f%% of their CPU demand (threshold: ≥ %.0f%%), about %s per "
		    "request; %s. A woken worker waits for a CPU before it can finish, so service "
		    "took %s (p50) for a nominal %s.",
		    worst->name, fmt_ns(a, sizeof(a), (double)w.ns[ST_RUNNABLE]),
		    fmt_ns(b, sizeof(b), (double)w.ns[ST_RUNNING]), 100 * share, 100 * CPUS_SHORT,
		    fmt_ns(c, sizeof(c), n > 0 ? (double)w.ns[ST_RUNNABLE] / n : 0), why,
		    fmt_ns(d, sizeof(d), demo_num(r, "service.p50", 0)),
		    fmt_ns(e, sizeof(e), demo_param(r->demo, "service_us", 0) * 1e3));
	}
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *lo = NULL, *hi = NULL, *over_u = NULL, *over_b = NULL;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double load = load_of(v);

		if (load < 0 || !v->rep->demo)
			continue;
		if (load < 100 && !bounded(v)) {
			if (!lo || load < load_of(lo))
				lo = v;
			if (!hi || load > load_of(hi))
				hi = v;
		} else if (load > 100) {
			if (bounded(v))
				over_b = over_b ? over_b : v;
			else
				over_u = over_u ? over_u : v;
		}
	}
	if (lo && hi && lo != hi)
		hockey_stick(lo, hi, out);
	if (over_u)
		over_unbounded(over_u, out);
	if (over_b)
		over_bounded(over_b, over_u, out);
	cpus_short(rs, out);
}

/* One plain sentence per variant: its load, its p99, and what the queue did. */
static void verdict_line(const struct variant *v, struct verdicts *out)
{
	const struct run *r = v->rep;
	double p99 = demo_num(r, "latency.p99", 0), wait = demo_num(r, "wait.p99", 0);
	double idle = fig_workers_idle(r), first, last, depth;
	char a[32], b[32];

	if (load_of(v) < 100) {
		sentences_add(&out->lines,
			      "%s: at %.0f%% of capacity, p99 %s, of which waiting in the queue %s "
			      "(p99); the workers sat idle %.0f%% of their time.",
			      v->name, load_of(v), fmt_ns(a, sizeof(a), p99),
			      fmt_ns(b, sizeof(b), wait), 100 * fmax(0, idle));
	} else if (!bounded(v)) {
		windows_ends(r, &first, &last, &depth);
		sentences_add(
		    &out->lines,
		    "%s: above capacity with an unbounded queue: it held %.0f requests at "
		    "the end and a request's p50 grew from %s to %s during the run; "
		    "nothing stops it growing.",
		    v->name, depth, fmt_ns(a, sizeof(a), first), fmt_ns(b, sizeof(b), last));
	} else {
		sentences_add(
		    &out->lines,
		    "%s: above capacity with a queue of %.0f: %.0f requests rejected "
		    "(%.1f%%), and p99 held at %s.",
		    v->name, demo_param(r->demo, "capacity", 0), demo_num(r, "rejected", 0),
		    100 * demo_num(r, "rejected", 0) / fmax(1, demo_num(r, "arrivals", 1)),
		    fmt_ns(a, sizeof(a), p99));
	}
}

/* Where the run contradicts the lesson: no hockey stick, an unbounded queue
 * that did not grow, a bound that did not help. */
static void verdict(const struct run_set *rs, struct verdicts *out)
{
	const struct variant *lo = NULL, *hi = NULL, *ou = NULL, *ob = NULL, *dl, *dh;
	double first, last, depth;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];

		if (!v->rep->demo || load_of(v) < 0)
			continue;
		verdict_line(v, out);
		if (load_of(v) < 100 && !bounded(v)) {
			lo = !lo || load_of(v) < load_of(lo) ? v : lo;
			hi = !hi || load_of(v) > load_of(hi) ? v : hi;
		} else if (load_of(v) > 100) {
			*(bounded(v) ? &ob : &ou) = v;
		}
	}
	if (lo && hi && lo != hi &&
	    demo_num(hi->rep, "latency.p99", 0) < HOCKEY * demo_num(lo->rep, "latency.p99", 0))
		sentences_add(
		    &out->doubts,
		    "the hockey stick did not show: p99 at %.0f%% load is less than %.0f× "
		    "that at %.0f%%.",
		    load_of(hi), HOCKEY, load_of(lo));
	if (p99_dip(rs, &dl, &dh)) {
		char a[32], b[32];

		sentences_add(
		    &out->doubts,
		    "p99 did not rise with the load at every step: %s at %.0f%% against %s "
		    "at %.0f%% (threshold: ≥ %.2f× at the lower load); queueing alone "
		    "cannot do that, so something else delayed the workers at %.0f%% "
		    "(the report's run-queue waits say whether it was the host).",
		    fmt_ns(a, sizeof(a), demo_num(dl->rep, "latency.p99", 0)), load_of(dl),
		    fmt_ns(b, sizeof(b), demo_num(dh->rep, "latency.p99", 0)), load_of(dh), DIP,
		    load_of(dl));
	}
	if (ou) {
		windows_ends(ou->rep, &first, &last, &depth);
		if (first <= 0 || last < GROWS * first)
			sentences_add(
			    &out->doubts,
			    "%s's latency did not grow %.0f× over the run, as an unbounded "
			    "queue above capacity should.",
			    ou->name, GROWS);
	}
	if (ou && ob &&
	    demo_num(ob->rep, "latency.p99", 0) * BOUNDED_GAIN >
		demo_num(ou->rep, "latency.p99", 0))
		sentences_add(&out->doubts,
			      "the bounded queue did not keep p99 %.0f× below the unbounded one's.",
			      BOUNDED_GAIN);
}

/* The Key result: p99 at the lowest load against the highest below
 * capacity, and above it the bounded queue's against the unbounded one's,
 * the figures the verdict compares. */
static void key_result(const struct run_set *rs, struct sbuf *out)
{
	const struct variant *lo = NULL, *hi = NULL, *ou = NULL, *ob = NULL;
	char a[32], b[32], x[32];

	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];

		if (!v->rep->demo || load_of(v) < 0)
			continue;
		if (load_of(v) < 100 && !bounded(v)) {
			lo = !lo || load_of(v) < load_of(lo) ? v : lo;
			hi = !hi || load_of(v) > load_of(hi) ? v : hi;
		} else if (load_of(v) > 100) {
			*(bounded(v) ? &ob : &ou) = v;
		}
	}
	if (lo && hi && lo != hi)
		sb_printf(out, "p99 %s at %.0f%% load vs %s at %.0f%% (%s)",
			  fmt_ns(a, sizeof(a), demo_num(lo->rep, "latency.p99", 0)), load_of(lo),
			  fmt_ns(b, sizeof(b), demo_num(hi->rep, "latency.p99", 0)), load_of(hi),
			  fig_times(x, sizeof(x),
				    demo_num(hi->rep, "latency.p99", 0) /
					fmax(1, demo_num(lo->rep, "latency.p99", 0))));
	if (ou && ob)
		sb_printf(out, "%sat %.0f%%: p99 %s bounded vs %s unbounded", out->len ? "; " : "",
			  load_of(ob), fmt_ns(a, sizeof(a), demo_num(ob->rep, "latency.p99", 0)),
			  fmt_ns(b, sizeof(b), demo_num(ou->rep, "latency.p99", 0)));
}

/* ---- the lesson chart ---------------------------------------------------- */

/* 08's lesson: latency against load, the queueing hockey stick (the variants
 * under capacity, with the bounded queue at 110% beside them), and latency
 * over the run at 110%, unbounded against bounded (demo.json windows). */
#define POINTS_MAX 16
#define WINDOWS_MAX 1024

static double run_load(const struct run *r)
{
	return demo_param(r->demo, "load_pct", -1);
}

static bool run_bounded(const struct run *r)
{
	return demo_param(r->demo, "capacity", 0) > 0;
}

/* The lesson chart's caption: what a queue alone does to p99 against the
 * load, and where this run's shape says otherwise (a dip, or p99 high at
 * the @lowest load); in @cap when it carries figures. */
static const char *hockey_caption(const struct run_set *rs, const struct run *lowest, char *cap,
				  size_t len)
{
	const struct variant *dl, *dh;
	char a[32], b[32];

	if (p99_dip(rs, &dl, &dh)) {
		snprintf(
		    cap, len,
		    "Latency against load: queueing alone makes p99 climb with the load, "
		    "steeply near 100%% (the hockey stick), but here p99 at %.0f%% (%s) was "
		    "above p99 at %.0f%% (%s): something besides queueing delayed the workers "
		    "there (see the trust line), so read the shape with care. Above capacity a "
		    "bounded queue keeps p99 bounded (the lone point at 110%%) by rejecting "
		    "what does not fit.",
		    load_of(dl), fmt_ns(a, sizeof(a), demo_num(dl->rep, "latency.p99", 0)),
		    load_of(dh), fmt_ns(b, sizeof(b), demo_num(dh->rep, "latency.p99", 0)));
		return cap;
	}
	return fig_p99_over_service(lowest) >= FIG_NOISY_LOW
		   ? "Latency against load: queueing keeps p99 low at low load and makes it climb "
		     "steeply near 100% (the hockey stick), but here p99 was high even at the "
		     "lowest load: the host delayed the workers (see the trust line), so read the "
		     "shape with care. Above capacity a bounded queue keeps p99 bounded (the lone "
		     "point at 110%) by rejecting what does not fit."
		   : "Latency against load: below capacity p99 stays low, then climbs steeply as "
		     "the load nears 100% (the hockey stick: a burst finds every worker busy and "
		     "waits). Above capacity a bounded queue keeps p99 bounded (the lone point at "
		     "110%) by rejecting what does not fit.";
}

/* p50, p95, p99 against the load of the unbounded runs under capacity, and
 * the bounded run's p99 above it. */
static void hockey_stick_chart(struct report *rp)
{
	static const char *const keys[] = {"latency.p50", "latency.p95", "latency.p99"};
	static const char *const names[] = {"p50", "p95", "p99"};
	const struct run_set *rs = rp->rs;
	double x[POINTS_MAX], y[3][POINTS_MAX], bx[1], by[1];
	const struct run *lowest = NULL;
	struct xy_series s[4];
	size_t i, n = 0, ns = 0, nb = 0;

	for (i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		if (!r->demo || run_load(r) < 0)
			continue;
		if (run_bounded(r) && run_load(r) > 100 && !nb) {
			bx[0] = run_load(r);
			by[0] = demo_num(r, "latency.p99", 0) / 1e6;
			nb = 1;
		} else if (!run_bounded(r) && run_load(r) < 100 && n < POINTS_MAX) {
			x[n] = run_load(r);
			if (!lowest || run_load(r) < run_load(lowest))
				lowest = r;
			for (int k = 0; k < 3; k++)
				y[k][n] = demo_num(r, keys[k], 0) / 1e6;
			n++;
		}
	}
	if (n < 2)
		return;
	for (int k = 0; k < 3; k++)
		s[ns++] = (struct xy_series){.title = names[k],
					     .color = series_color((size_t)k),
					     .style = XY_LINESPOINTS,
					     .n = n,
					     .x = x,
					     .y = y[k]};
	if (nb)
		s[ns++] = (struct xy_series){.title = "p99, bounded queue",
					     .color = series_color(3),
					     .style = XY_LINESPOINTS,
					     .n = 1,
					     .x = bx,
					     .y = by};
	struct xy_chart c = {.title = "Latency against load",
			     .xlabel = "offered load, % of capacity (workers / service time)",
			     .ylabel = "latency (ms)",
			     .nseries = ns,
			     .series = s};
	char cap[640];

	report_xy_chart(rp, &c, "lesson", hockey_caption(rs, lowest, cap, sizeof(cap)));
}

/* The p50 of each window of the run at the load above capacity. */
static void over_time(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct xy_series s[4];
	double *buf[8] = {0};
	size_t i, ns = 0, k = 0;

	for (i = 0; i < rs->nvariants && ns < 4; i++) {
		const struct run *r = rs->variants[i].rep;
		const json_t *w = r->demo ? json_object_get(r->demo->root, "windows") : NULL;
		double *t, *y;
		size_t j, n = 0;

		if (!json_is_array(w) || run_load(r) <= 100)
			continue;
		t = buf[k++] = calloc(WINDOWS_MAX, sizeof(double));
		y = buf[k++] = calloc(WINDOWS_MAX, sizeof(double));
		if (!t || !y)
			abort();
		for (j = 0; j < json_array_size(w) && n < WINDOWS_MAX; j++) {
			const json_t *e = json_array_get(w, j);

			if (json_number_value(json_object_get(e, "p50_ns")) <= 0)
				continue;
			t[n] = json_number_value(json_object_get(e, "t_ns")) / 1e9;
			y[n++] = json_number_value(json_object_get(e, "p50_ns")) / 1e6;
		}
		if (n)
			s[ns++] = (struct xy_series){.title = rs->variants[i].name,
						     .color = series_color(i),
						     .style = XY_LINESPOINTS,
						     .n = n,
						     .x = t,
						     .y = y};
	}
	if (ns) {
		struct xy_chart c = {.title = "Above capacity: latency over the run",
				     .xlabel = "seconds since the first arrival",
				     .ylabel = "median latency of the requests queued then (ms)",
				     .nseries = ns,
				     .series = s};

		report_xy_chart(rp, &c, "lesson-over-time",
				"At 110% of capacity: with an unbounded queue the median latency "
				"climbs for as long as the run lasts (there is no steady state); "
				"with a bounded queue it stays flat.");
	}
	for (i = 0; i < k; i++)
		free(buf[i]);
}

static void lesson(struct report *rp)
{
	hockey_stick_chart(rp);
	over_time(rp);
}

/* What to see in each variant's timeline (the first row that matches):
 * how to read it, never this run's shape. */
static const struct timeline_caption captions[] = {
    {"load-110-bounded",
     "above capacity with a bounded queue: each worker-N serves a request (sleep, light blue: "
     "the demo's service time) and takes the next; what does not fit in the queue is "
     "rejected, so none waits long"},
    {"load-110",
     "above capacity: each worker-N serves a request (sleep, light blue: the demo's service "
     "time) and takes the next; a gap of lock (vermillion) would be a worker idle, waiting "
     "for a request: above capacity there is hardly any"},
    {"load-", "each worker-N serves a request (sleep, light blue: the demo's service time), then "
	      "waits for the next on the queue (lock, vermillion): compare the vermillion, idle "
	      "workers, across the loads; a request that arrives when none is idle waits"},
    {NULL, NULL},
};

const struct demo_module demo_08_streaming = {
    .demo = "08_streaming",
    .explainer = {"08_streaming", explain, verdict, false},
    .lesson = lesson,
    .key_result = key_result,
    .captions = captions,
};

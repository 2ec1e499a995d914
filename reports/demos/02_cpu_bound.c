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
#include <stdlib.h>

#include "explain.h"
#include "explain_cpython.h"
#include "figures.h"
#include "sbuf.h"
#include "charts.h"
#include "palette.h"
#include "report.h"
#include "wakes.h"
#include "demo_module.h"

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
		sentences_add(out,
			      "%s: its threads also waited %s for a CPU (against %s computing), "
			      "though only one of them could run at a time on %d CPUs: other "
			      "programs on the host, or the tracer, held the CPUs.",
			      v->name, d1, d2, cpus);
	else if (workers > cpus)
		sentences_add(out,
			      "%s: %.0f threads on %d CPUs waited %s for a CPU, against %s "
			      "computing: here the CPUs are the limit, not a lock.",
			      v->name, workers, cpus, d1, d2);
	else
		sentences_add(out,
			      "%s: with %.0f thread%s on %d CPUs, %s still waited %s for a CPU "
			      "against %s computing: other programs on the host, or the tracer, "
			      "took CPU time, so fewer CPUs were busy than could be.",
			      v->name, workers, workers == 1 ? "" : "s", cpus,
			      workers == 1 ? "it" : "they", d1, d2);
}

/* The third GIL claim: the lock the workers waited for was the GIL, by
 * name (the futex words of its mutex and condition variables). Returns
 * whether it was made. */
static bool gil_named(const struct variant *v, const struct state_sum *ws, struct sentences *out)
{
	const struct run *r = v->rep;
	struct futex_sum fs = futex_sum_of(r);
	struct syscall_sum wf = syscall_sum_of(r, "worker", "futex");
	char d1[32], d2[32], d3[32], share[96];
	double part;

	if (!fs.named_count || !wf.total_ns ||
	    (double)fs.named_ns < NAMED_SHARE * (double)wf.total_ns)
		return false;
	/* One lock-wait figure: the blocked time the lock sentence gave, and
	 * the GIL's part of it (figures.h); the futex calls' own times include
	 * waking up, and are said to be that. */
	part =
	    fig_part_of_blocked((double)ws->ns[ST_LOCK], (double)fs.named_ns, (double)wf.total_ns);
	if (part >= 0.995 * (double)ws->ns[ST_LOCK])
		snprintf(share, sizeof(share), "all %s",
			 fmt_ns(d3, sizeof(d3), (double)ws->ns[ST_LOCK]));
	else
		snprintf(share, sizeof(share), "%s of the %s", fmt_ns(d1, sizeof(d1), part),
			 fmt_ns(d3, sizeof(d3), (double)ws->ns[ST_LOCK]));
	sentences_add(out,
		      "%s: that lock was the GIL: %.0f%% of the time its threads spent in "
		      "lock calls was on the GIL's mutex and condition variables, so %s "
		      "they were blocked, in %llu waits, %s each on average (the calls' own "
		      "times, waking up included: %s).",
		      v->name, fmin(100.0, 100.0 * (double)fs.named_ns / (double)wf.total_ns),
		      share, (unsigned long long)fs.named_count,
		      fmt_ns(d2, sizeof(d2), part / (double)fs.named_count), fs.names);
	return true;
}

/* How often the GIL changed hands, against the switch interval. */
static void gil_handoffs(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	double interval, handoffs, wall = r->m[M_WALL_S];
	char d1[32], d3[32];

	handoffs = fig_gil_handoffs(r);
	interval = fig_switch_interval_ns(r);
	if (handoffs > 0 && interval > 0 && wall > 0) {
		double ceiling = 1e9 / interval, rate = fig_gil_handoff_rate(r);

		if (rate >= HANDOFF_LO * ceiling && rate <= HANDOFF_HI * ceiling)
			sentences_add(
			    out,
			    "%s: the GIL changed hands %.0f times in %.2f s, %.0f times a "
			    "second: about once per switch interval (%s), because a "
			    "waiting thread asks the holder to let go and the holder does "
			    "at the end of the interval.",
			    v->name, handoffs, wall, rate, fmt_ns(d3, sizeof(d3), interval));
		else
			sentences_add(
			    out,
			    "%s: the GIL changed hands %.0f times in %.2f s, once every %s on "
			    "average; the switch interval is %s.",
			    v->name, handoffs, wall, fmt_ns(d1, sizeof(d1), 1e9 * wall / handoffs),
			    fmt_ns(d3, sizeof(d3), interval));
	}
}

/* Returns how many of the three GIL claims (serial, lock, named) were made. */
static int gil_variant(const struct variant *v, double bound, double workers, int cpus,
		       struct sentences *out)
{
	const struct run *r = v->rep;
	struct state_sum ws = state_sum_of(r, "worker");
	double par = v->m[M_PARALLELISM].med;
	char d1[32];
	int made = 0;

	if (bound >= 2 && par <= SERIAL_PARALLELISM) {
		made++;
		sentences_add(out,
			      "%s kept %.2f CPUs busy (%.2f s of CPU time in %.2f s): one thread "
			      "at a time, although %.0f could have run at once.",
			      v->name, par, v->m[M_CPU_S].med, v->m[M_WALL_S].med, bound);
		if (ws.threads && runq_share(&ws) < FREE_CPU_SHARE)
			sentences_add(out,
				      "%s: the CPUs were free: its threads waited only %s for one "
				      "(%.1f%% of the time they wanted a CPU).",
				      v->name, fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_RUNNABLE]),
				      100 * runq_share(&ws));
		else
			run_queue(v, &ws, workers, cpus, true, out);
	}
	if (ws.threads && state_share(&ws, ST_LOCK) >= LOCK_SHARE) {
		made++;
		sentences_add(
		    out,
		    "%s: its %zu threads spent %.0f%% of their time blocked waiting for a "
		    "lock (%s) and %.0f%% computing.",
		    v->name, ws.threads, 100 * state_share(&ws, ST_LOCK),
		    fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_LOCK]),
		    100 * state_share(&ws, ST_RUNNING));
	}
	made += gil_named(v, &ws, out);
	gil_handoffs(v, out);
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
			      "%s kept %.2f CPUs busy, %.0f%% of the %.0f it could use "
			      "(%.0f thread%s, %d CPUs): %s.",
			      v->name, par, 100 * par / bound, bound, workers,
			      workers == 1 ? "" : "s", cpus,
			      /* one CPU busy is no parallelism */
			      bound >= 2 ? "it computed in parallel"
					 : "one thread keeps at most one CPU busy");
	else if (bound > 0)
		sentences_add(out,
			      "%s kept only %.2f CPUs busy, %.0f%% of the %.0f it could use "
			      "(%.0f thread%s, %d CPUs).",
			      v->name, par, 100 * par / bound, bound, workers,
			      workers == 1 ? "" : "s", cpus);
	/* Contention takes two: said of variants with at least two workers. */
	if (ws.threads >= 2 && state_share(&ws, ST_LOCK) < UNCONTENDED_SHARE)
		sentences_add(out,
			      "%s: its threads hardly waited for a lock: %s, %.2f%% of their time.",
			      v->name, fmt_ns(d1, sizeof(d1), (double)ws.ns[ST_LOCK]),
			      100 * state_share(&ws, ST_LOCK));
	run_queue(v, &ws, workers, cpus, false, out);
	return scaled;
}

/* The threads under a GIL against the fastest variant of the same
 * interpreter (the C model's, or CPython's: their speeds differ). */
static void slower(const struct variant *gil, const struct variant *best, struct sentences *out)
{
	double ratio;

	if (!gil || !best || best->m[M_WALL_S].med <= 0)
		return;
	ratio = gil->m[M_WALL_S].med / best->m[M_WALL_S].med;
	if (ratio >= SLOWER_RATIO)
		sentences_add(out, "%s took %.2f s against %.2f s for %s: %.1f× slower.", gil->name,
			      gil->m[M_WALL_S].med, best->m[M_WALL_S].med, best->name, ratio);
}

static bool is_python(const struct variant *v)
{
	return !strncmp(v->name, "py-", 3);
}

/* The serial run of @v's family ("py-serial" for a py-* variant), when it
 * did the same work (tasks and n): what a speed-up is over. */
static const struct variant *family_serial(const struct run_set *rs, const struct variant *v)
{
	const struct variant *s =
	    run_set_variant(rs, strncmp(v->name, "py-", 3) ? "serial" : "py-serial");
	const struct demo_result *a = s ? s->rep->demo : NULL, *b = v->rep->demo;

	if (!a || !b || demo_param(a, "tasks", -1) <= 0 ||
	    demo_param(a, "tasks", -1) != demo_param(b, "tasks", -2) ||
	    demo_param(a, "n", -1) != demo_param(b, "n", -2))
		return NULL;
	return s;
}

/* The workers' CPU time (the kernel's, demo.json schedstat) and tasks. */
static double workers_cpu_ns(const struct run *r, double *tasks)
{
	double ns = 0;

	*tasks = 0;
	for (size_t i = 0; r->demo && i < r->demo->nthreads; i++)
		if (r->demo->threads[i].tasks) {
			ns += (double)r->demo->threads[i].run_ns;
			*tasks += (double)r->demo->threads[i].tasks;
		}
	return ns;
}

/* CPU time a pool's workers used beyond the work: serial's CPU per task
 * times the tasks they did is the work; the rest is said with its size
 * only. The kernel's count (schedstat) covers each worker's whole life and
 * the demo does not time its tasks' CPU apart, so the run cannot say what
 * the rest was (start-up, handing tasks over, slower computing beside a
 * busy CPU): no cause is claimed. Said past BEYOND_WORK of the work. */
#define BEYOND_WORK 0.10
static void beyond_the_work(const struct run_set *rs, const struct variant *v,
			    struct sentences *out)
{
	const struct variant *ser = family_serial(rs, v);
	double st, vt, sns, vns, work, extra;
	char d1[32], d2[32], d3[32], d4[32];

	if (!ser || ser == v || workers_of(v->rep) < 2)
		return;
	sns = workers_cpu_ns(ser->rep, &st);
	vns = workers_cpu_ns(v->rep, &vt);
	if (st <= 0 || vt <= 0 || sns <= 0)
		return;
	work = sns / st * vt;
	extra = vns - work;
	if (extra < BEYOND_WORK * work)
		return;
	sentences_add(out,
		      "%s: its workers used %s of CPU for %.0f tasks that took %s %s (its CPU per "
		      "task times the tasks): %s more, %.0f%%, about %s per worker. The kernel "
		      "counted each worker's CPU over its whole life and the demo does not time "
		      "the tasks' CPU apart, so this run does not show what that extra time was.",
		      v->name, fmt_ns(d1, sizeof(d1), vns), vt, ser->name,
		      fmt_ns(d2, sizeof(d2), work), fmt_ns(d3, sizeof(d3), extra),
		      100 * extra / work, fmt_ns(d4, sizeof(d4), extra / workers_of(v->rep)));
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *gil = run_set_variant(rs, "threads-gil"), *best = NULL;
	const struct variant *py_gil = run_set_variant(rs, "py-threads"), *py_best = NULL;
	const struct variant *free_scaled = NULL;
	int gil_claims = 0;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double workers = workers_of(v->rep);
		double bound = fig_bound(rs, v->rep);

		if (strstr(v->name, "convoy")) {
			explain_convoy(v, out);
			continue;
		}
		if (v == gil || v == py_gil) {
			int made = gil_variant(v, bound, workers, fig_cpus(rs), out);

			if (v == gil)
				gil_claims = made;
			else
				explain_cpython_gil(v->rep, "py-threads: ", "worker", out);
			continue;
		}
		beyond_the_work(rs, v, out);
		if (is_python(v)) {
			free_variant(v, bound, workers, fig_cpus(rs), out);
			char prefix[80];

			snprintf(prefix, sizeof(prefix), "%s: ", v->name);
			explain_cpython_gil(v->rep, prefix, "worker", out);
			if (!py_best || v->m[M_WALL_S].med < py_best->m[M_WALL_S].med)
				py_best = v;
			continue;
		}
		if (free_variant(v, bound, workers, fig_cpus(rs), out) && bound >= 2 &&
		    (!free_scaled || !strcmp(v->name, "threads-nogil")))
			free_scaled = v;
		if (!best || v->m[M_WALL_S].med < best->m[M_WALL_S].med)
			best = v;
	}
	slower(gil, best, out);
	slower(py_gil, py_best, out);
	if (gil && py_gil)
		explain_model_vs_cpython(gil, py_gil, out);
	if (gil && gil_claims == 3 && free_scaled)
		sentences_add(out,
			      "So the cause is the lock, not threads: %s ran the same work at "
			      "parallelism %.2f, while under the GIL the threads took turns.",
			      free_scaled->name, free_scaled->m[M_PARALLELISM].med);
}

/* The verdict of one interpreter's variants (the C model's, or CPython's
 * py-*): under the GIL threads take turns (no faster than one thread);
 * processes, or threads without the lock, run at once. Doubts: a GIL run no
 * slower than a lock-free one, a lock-free run that did not scale. The two
 * interpreters run at different speeds, so each is judged against its own
 * serial run. */
static void verdict_family(const struct run_set *rs, bool python, struct verdicts *out)
{
	const struct variant *gil = run_set_variant(rs, python ? "py-threads" : "threads-gil");
	const struct variant *ser = run_set_variant(rs, python ? "py-serial" : "serial");
	struct sbuf flat = SBUF_INIT, faster = SBUF_INIT;
	size_t i;
	char a[32];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double wall = v->m[M_WALL_S].med, par = v->m[M_PARALLELISM].med;
		double bound = fig_bound(rs, v->rep);
		double speedup = ser && wall > 0 ? ser->m[M_WALL_S].med / wall : 0;

		if (is_python(v) != python || strstr(v->name, "convoy"))
			continue;
		if (v == ser)
			sentences_add(
			    &out->lines,
			    "%s: %.2f s, one thread computing alone (%.2f CPUs busy): the "
			    "baseline%s.",
			    v->name, wall, par, python ? " in CPython" : "");
		else if (v == gil)
			sentences_add(&out->lines,
				      "%s: %.2f s with %.2f CPUs busy of %.0f: the threads took "
				      "turns holding %s, one computing at a time%s%s%s%s%s.",
				      v->name, wall, par, bound,
				      python ? "CPython's GIL" : "the GIL", ser ? " (" : "",
				      ser ? fig_times(a, sizeof(a), speedup) : "", ser ? " " : "",
				      ser ? ser->name : "", ser ? "'s speed)" : "");
		else if (bound >= 2 && par < SCALED_SHARE * bound)
			sentences_add(
			    &out->lines,
			    "%s: %.2f s with only %.2f CPUs busy of %.0f: it could compute "
			    "on every CPU at once, and in this run it did not.",
			    v->name, wall, par, bound);
		else
			sentences_add(
			    &out->lines, "%s: %.2f s with %.2f CPUs busy of %.0f: %s%s%s%s%s%s.",
			    v->name, wall, par, bound,
			    strstr(v->name, "process")
				? "each process has its own interpreter and lock, so they "
				  "compute at once"
				: "no lock between the threads, so they compute at once",
			    ser ? " (" : "", ser ? fig_times(a, sizeof(a), speedup) : "",
			    ser ? " " : "", ser ? ser->name : "", ser ? "'s speed)" : "");
		if (v != gil && v != ser && bound >= 2 && par < SCALED_SHARE * bound)
			sb_printf(&flat, "%s%s %.2f of %.0f", flat.len ? ", " : "", v->name, par,
				  bound);
		if (gil && v != gil && v != ser && gil->m[M_WALL_S].med <= wall)
			sb_printf(&faster, "%s%s (%.2f s)", faster.len ? ", " : "", v->name, wall);
	}
	if (faster.len)
		sentences_add(&out->doubts,
			      "This run contradicts the lesson: %s (%.2f s) was no slower than %s.",
			      gil->name, gil->m[M_WALL_S].med, sb_str(&faster));
	if (flat.len)
		sentences_add(&out->doubts,
			      "The %svariants that can compute in parallel did not: CPUs busy %s.",
			      python ? "CPython " : "", sb_str(&flat));
	sb_free(&flat);
	sb_free(&faster);
}

/* The convoy variants: the I/O thread's response alone and beside CPU-bound
 * threads. */
static void verdict_convoy(const struct variant *v, struct verdicts *out)
{
	double a = demo_num(v->rep, "convoy.alone.mean", -1);
	double c = demo_num(v->rep, "convoy.with_cpu.mean", -1);
	char d1[32], d2[32], d3[32];

	if (a <= 0 || c < 0)
		return;
	sentences_add(&out->lines,
		      "%s: the I/O thread answered in %s on average alone and in %s while "
		      "CPU-bound threads held the GIL (%s slower).",
		      v->name, fmt_ns(d1, sizeof(d1), a), fmt_ns(d2, sizeof(d2), c),
		      fig_times(d3, sizeof(d3), c / a));
}

static void verdict(const struct run_set *rs, struct verdicts *out)
{
	verdict_family(rs, false, out);
	verdict_family(rs, true, out);
	for (size_t i = 0; i < rs->nvariants; i++)
		if (strstr(rs->variants[i].name, "convoy"))
			verdict_convoy(&rs->variants[i], out);
}

/* ---- the lesson chart ---------------------------------------------------- */

/* 02's lesson: how many CPUs each variant kept busy (its parallelism, CPU
 * time / wall) beside the most it could (its bound, min(workers, CPUs)). */
static void lesson(struct report *rp)
{
	static const char *const series[] = {"speed-up over its serial (x)",
					     "CPUs kept busy (CPU time / wall)",
					     "the most it could: min(workers, CPUs)"};
	const char *colors[] = {series_color(1), series_color(0), "#bbbbbb"};
	const struct run_set *rs = rp->rs;
	size_t i, n = 0;
	const char **group = calloc(rs->nvariants, sizeof(*group));
	double *v = calloc(3 * rs->nvariants, sizeof(*v));
	struct sbuf cap = SBUF_INIT;

	if (!group || !v)
		abort();
	sb_add(&cap, "Each group: how many times sooner a variant finished than its serial run "
		     "(the same tasks on one thread), beside the CPUs it kept busy and its bound. "
		     "A busy CPU is not a faster finish: only the speed-up says the work went "
		     "faster. Here:");
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *var = &rs->variants[i];
		const struct variant *ser = family_serial(rs, var);

		if (!ser) /* the convoy variants time responses, not a speed-up */
			continue;
		group[n] = var->name;
		v[3 * n] = fig_speedup(ser, var);
		v[3 * n + 1] = var->m[M_PARALLELISM].med;
		v[3 * n + 2] = fig_bound(rs, var->rep);
		sb_printf(&cap, "%s %s %.1f×, %.2f CPUs of %.0f", n ? ";" : "", var->name, v[3 * n],
			  v[3 * n + 1], v[3 * n + 2]);
		n++;
	}
	sb_add(&cap, ".");
	if (n) {
		struct bar_chart c = {.title = "Speed-up, and CPUs kept busy against the bound",
				      .ylabel = "times faster / CPUs",
				      .ngroups = n,
				      .nseries = 3,
				      .group = group,
				      .series = series,
				      .color = colors,
				      .v = v};

		report_chart(rp, &c, "lesson", sb_str(&cap));
	}
	sb_free(&cap);
	free(group);
	free(v);
}

/* ---- the causes ------------------------------------------------------------ */

/* 02: who ended the workers' GIL waits. */
static void gil_turns(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"worker", ST_LOCK, -1, NULL, 0, "GIL", false};
	struct wake_filter other = {"worker", ST_LOCK, WK_THREAD, "worker", 0, "GIL", true};
	struct wake_filter timer = {"worker", ST_LOCK, WK_HARDIRQ, NULL, 0, "GIL", false};
	struct wake_tally a = wake_tally_of(r, &all), o = wake_tally_of(r, &other),
			  t = wake_tally_of(r, &timer);

	if (a.count < CAUSE_MIN_WAITS ||
	    (double)(o.count + t.count) < CAUSE_DEMO_SHARE * (double)a.count || !o.count)
		return;
	if ((double)o.count >= CAUSE_DEMO_SHARE * (double)a.count)
		sentences_add(
		    out,
		    "%s: each GIL wait was ended by the other worker releasing it (%llu of "
		    "%llu waits).",
		    r->variant, (unsigned long long)o.count, (unsigned long long)a.count);
	else
		sentences_add(
		    out,
		    "%s: every GIL wait was ended by the other worker releasing the GIL "
		    "(%llu of %llu) or by the switch interval's timer (%llu: the waiter's "
		    "timed wait ran out, and it then asked the holder to let go): the two "
		    "workers took turns, never ran together.",
		    r->variant, (unsigned long long)o.count, (unsigned long long)a.count,
		    (unsigned long long)t.count);
	if (crit_share_of(r, "worker", ST_RUNNING) + crit_share_of(r, "worker", ST_RUNNABLE) >=
	    CAUSE_PATH_SHARE)
		sentences_add(out,
			      "%s: the two workers alternate; the critical path is their running "
			      "time plus the handoffs and waits for a CPU (%.0f%% of it).",
			      r->variant,
			      100 * (crit_share_of(r, "worker", ST_RUNNING) +
				     crit_share_of(r, "worker", ST_RUNNABLE)));
}

static void causes(const struct run *r, struct sentences *out)
{
	/* the GIL's turns: the model's GIL variants and CPython's threads */
	if (strstr(r->variant, "gil") || !strcmp(r->variant, "py-threads"))
		gil_turns(r, out);
}

/* What to see in each variant's timeline (the first row that matches). */
static const struct timeline_caption captions[] = {
    {"threads-gil",
     "the workers' green never overlaps: one thread holds the GIL at a time, the others wait "
     "for it (lock, vermillion)"},
    {"py-threads",
     "the workers' green never overlaps: one thread holds CPython's GIL at a time, the others "
     "wait for it (lock, vermillion)"},
    {"serial", "one thread computes alone (running, green)"},
    {"py-serial", "one thread computes alone (running, green)"},
    {"convoy",
     "the server thread answers requests (io, dark blue); while the workers compute (green) it "
     "must win the GIL back after each wakeup (lock, vermillion)"},
    {"py-convoy",
     "the server thread answers requests (io, dark blue); while the workers compute (green) it "
     "must win CPython's GIL back after each wakeup (lock, vermillion)"},
    {"", "nothing stops the workers computing at the same time: green in both lanes at once is "
	 "parallel computing; orange is a worker waiting for a CPU"},
    {NULL, NULL},
};

const struct demo_module demo_02_cpu_bound = {
    .demo = "02_cpu_bound",
    .explainer = {"02_cpu_bound", explain, verdict, true},
    .causes = causes,
    .lesson = lesson,
    .featured = "threads-gil,processes,threads-nogil,",
    .captions = captions,
};

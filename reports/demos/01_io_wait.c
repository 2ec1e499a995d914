// SPDX-License-Identifier: GPL-2.0
/* Why 01_io_wait looks the way it does. The task threads are those of the
 * demo's process that demo.json says completed tasks (main in serial, the
 * workers in a pool); "waiting" is their io + sleep time (a request to the
 * delay service blocks in recv, --io sleep in nanosleep). Claims and
 * thresholds (docs/explainers.md):
 *   - serial waits, not computes: waiting ≥ 80% and CPU ≤ 5% of the task
 *     thread's lifetime;
 *   - a pool overlaps its waits: overlap factor = the workers' summed waiting
 *     / wall ≥ 1.5;
 *   - the pool reaches the physical limit: wall ≤ 1.25 × ceil(tasks/workers)
 *     × wait (the distance is given either way);
 *   - threads beat serial by overlapping, not computing: speedup ≥ 1.5 with
 *     parallelism ≤ 0.25. */
#include <math.h>
#include <stdio.h>

#include "explain.h"
#include "figures.h"
#include "report.h"
#include "wakes.h"
#include "demo_module.h"

#define SERIAL_WAIT_SHARE 0.80
#define SERIAL_CPU_SHARE 0.05
#define OVERLAP_MIN 1.5
#define NEAR_LIMIT 1.25
#define SPEEDUP_MIN 1.5
#define PARALLELISM_MAX 0.25

/* "io 10.2 s" / "sleep 1.0 s" / "io 5.0 s, sleep 5.0 s": the waits it had. */
static const char *waits_of(char *buf, size_t len, const struct fig_section *sec)
{
	char a[32], b[32];

	if (sec->task_ns[ST_IO] > 0 && sec->task_ns[ST_SLEEP] > 0)
		snprintf(buf, len, "io %s, sleep %s", fmt_ns(a, sizeof(a), sec->task_ns[ST_IO]),
			 fmt_ns(b, sizeof(b), sec->task_ns[ST_SLEEP]));
	else
		snprintf(buf, len, "%s", sec->task_ns[ST_SLEEP] > 0 ? "in nanosleep" : "in I/O");
	return buf;
}

static double section_life(const struct fig_section *sec)
{
	double life = 0;

	for (int k = 0; k < ST_COUNT; k++)
		life += sec->task_ns[k];
	return life;
}

/* Over the demo's measured section (fig_section_of): a py-* variant's
 * interpreter start-up is not its waiting or its computing. */
static void serial(const struct variant *v, const struct fig_section *sec, struct sentences *out)
{
	double life = section_life(sec);
	double waiting = sec->task_ns[ST_IO] + sec->task_ns[ST_SLEEP];
	double cpu = sec->task_ns[ST_RUNNING];
	char d2[32], d3[32], w[96], of[64];

	if (life <= 0 || waiting < SERIAL_WAIT_SHARE * life || cpu > SERIAL_CPU_SHARE * life)
		return;
	snprintf(of, sizeof(of), "%s %s", sec->measured ? "the" : "its",
		 fmt_ns(d2, sizeof(d2), life));
	sentences_add(out,
		      "%s: the thread that made the requests spent %.0f%% of %s%s waiting "
		      "for answers (%s) and %.2f%% computing (%s on a CPU): it was waiting, "
		      "not working.",
		      v->name, 100 * waiting / life, of, sec->measured ? " the demo timed" : "",
		      waits_of(w, sizeof(w), sec), 100 * cpu / life, fmt_ns(d3, sizeof(d3), cpu));
}

/* "its 5 threads" / "the 10 of its 20 threads that had a request" */
static const char *who_waited(char *buf, size_t len, size_t threads, double workers)
{
	if (workers > (double)threads)
		snprintf(buf, len, "the %zu of its %.0f threads that had a request", threads,
			 workers);
	else
		snprintf(buf, len, "its %zu thread%s", threads, threads == 1 ? "" : "s");
	return buf;
}

static void pool(const struct variant *v, const struct fig_section *sec, struct sentences *out)
{
	const struct run *r = v->rep;
	double wall = v->m[M_WALL_S].med, waiting = sec->task_ns[ST_IO] + sec->task_ns[ST_SLEEP];
	struct fig_rounds fr = fig_rounds_of(r);
	double overlap, limit = fr.limit_s;
	char d1[32], who[96], rounds[96];

	if (wall <= 0)
		return;
	overlap = waiting / (wall * 1e9);
	if (sec->task_threads && overlap >= OVERLAP_MIN)
		sentences_add(out,
			      "%s: %s spent %s waiting in all, within %.2f s: on average %.1f "
			      "requests were waiting for an answer at the same time.",
			      v->name,
			      who_waited(who, sizeof(who), sec->task_threads,
					 demo_param(r->demo, "workers", 0)),
			      fmt_ns(d1, sizeof(d1), waiting), wall, overlap);
	if (limit <= 0 || fr.wait_s <= 0)
		return;
	snprintf(rounds, sizeof(rounds), "%.0f round%s of %.0f requests, %.3g s each", fr.rounds,
		 fr.rounds == 1 ? "" : "s", fr.per_round, fr.wait_s);
	if (wall <= NEAR_LIMIT * limit)
		sentences_add(out,
			      "%s took %.3f s, %.0f%% more than the %.3f s the waits alone need "
			      "(%s).",
			      v->name, wall, 100 * (wall - limit) / limit, limit, rounds);
	else
		sentences_add(out,
			      "%s took %.3f s, %.1f× the %.3f s the waits alone need (%s): "
			      "something besides the waits held it up.",
			      v->name, wall, wall / limit, limit, rounds);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *ser = fig_variant(rs, "serial");
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		struct fig_section sec = fig_section_of(v);

		if (demo_param(v->rep->demo, "workers", 0) <= 1)
			serial(v, &sec, out);
		else
			pool(v, &sec, out);
	}
	for (i = 0; ser && i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double speedup = fig_speedup(ser, v);
		struct fig_section sec = fig_section_of(v);
		double cpus = sec.measured ? fig_section_cpus(&sec) : v->m[M_PARALLELISM].med;

		if (v == ser || speedup < SPEEDUP_MIN || cpus > PARALLELISM_MAX)
			continue;
		/* three decimals under 0.01: "0.00 CPUs busy" reads as none */
		sentences_add(
		    out,
		    "%s finished %.1f× sooner than %s (%.2f s against %.2f s) with "
		    "%.*f CPUs busy on average%s: its threads waited together, they did not "
		    "compute together.",
		    v->name, speedup, ser->name, v->m[M_WALL_S].med, ser->m[M_WALL_S].med,
		    cpus < 0.01 ? 3 : 2, cpus, sec.measured ? " while it ran the requests" : "");
	}
}

/* The verdict: serial waits one request after another; a pool waits for
 * many at once and finishes sooner with no more CPU: concurrency, not
 * parallelism. Doubts: a pool not faster than serial, or far from the time
 * its waits alone take. */
static void verdict(const struct run_set *rs, struct verdicts *out)
{
	const struct variant *ser = fig_variant(rs, "serial");
	size_t i;
	char a[32], b[32];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		const struct run *r = v->rep;
		double wall = v->m[M_WALL_S].med, workers = demo_param(r->demo, "workers", 0);
		double tasks = demo_param(r->demo, "tasks", 0),
		       wait = demo_param(r->demo, "wait_s", 0);
		double limit = fig_rounds_of(r).limit_s, speedup = fig_speedup(ser, v);

		if (workers <= 1) {
			sentences_add(&out->lines,
				      "%s: %.2f s for %.0f requests of %.3g s each, one after the "
				      "other: one thread waiting for one answer at a time.",
				      v->name, wall, tasks, wait);
			continue;
		}
		if (ser && v != ser)
			sentences_add(&out->lines,
				      "%s: %s sooner than %s (%.2f s) with %.2f s of CPU time: "
				      "its %.0f threads waited for their answers at the same time. "
				      "Concurrency, not parallelism.",
				      v->name, fig_times(a, sizeof(a), speedup), ser->name, wall,
				      v->m[M_CPU_S].med, workers);
		else
			sentences_add(&out->lines,
				      "%s: %.2f s with %.2f s of CPU time: its %.0f threads waited "
				      "for their answers at the same time.",
				      v->name, wall, v->m[M_CPU_S].med, workers);
		if (ser && v != ser && speedup < SPEEDUP_MIN)
			sentences_add(&out->doubts,
				      "This run does not show the lesson: %s was only %s faster "
				      "than %s (%.2f s against %.2f s).",
				      v->name, fig_times(a, sizeof(a), speedup), ser->name, wall,
				      ser->m[M_WALL_S].med);
		else if (limit > 0 && wall > 2 * limit)
			sentences_add(&out->doubts,
				      "%s took %s the %s its waits alone need: something other "
				      "than the waits slowed it.",
				      v->name, fig_times(a, sizeof(a), wall / limit),
				      fig_dur(b, sizeof(b), limit * 1e9));
	}
}

/* The catalogue's line in this run's sizes: "50 blocking waits of 0.2 s"
 * is the chapter's default, a --quick run makes 10 of 0.05 s. Variants
 * that made different waits (a family run with its own sizes) name each. */
static void lesson_line(const struct run_set *rs, char *buf, size_t len)
{
	struct sbuf sizes = SBUF_INIT;
	double tasks0 = -1, wait0 = -1;
	bool same = true;
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;
		double tasks = demo_param(r->demo, "tasks", 0),
		       wait = demo_param(r->demo, "wait_s", 0);

		if (i == 0) {
			tasks0 = tasks;
			wait0 = wait;
		}
		same = same && tasks == tasks0 && wait == wait0;
		sb_printf(&sizes, "%s%s %.0f of %.3g s", i ? ", " : "", rs->variants[i].name, tasks,
			  wait);
	}
	if (rs->nvariants && same)
		snprintf(
		    buf, len,
		    "Threads help I/O wait: %.0f blocking waits of %.3g s, serial vs thread pools",
		    tasks0, wait0);
	else
		snprintf(buf, len,
			 "Threads help I/O wait: blocking waits (%s), serial vs thread pools",
			 sb_str(&sizes));
	sb_free(&sizes);
}

/* ---- the lesson chart ---------------------------------------------------- */

/* 01's lesson: the variants on one time axis, a lane per thread that made
 * the requests: serial's one thread waits for each answer in turn, a pool's
 * threads wait at the same time and finish sooner. */
static void lesson(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct sbuf cap = SBUF_INIT;
	size_t i;

	sb_add(&cap, "Blue is waiting for an answer (io, sleep), green is computing. Serial's "
		     "single thread waits for one answer after another; a pool's threads wait at "
		     "the same time, so the same waits end sooner:");
	for (i = 0; i < rs->nvariants; i++)
		sb_printf(&cap, "%s %s %.2f s", i ? "," : "", rs->variants[i].name,
			  rs->variants[i].m[M_WALL_S].med);
	sb_add(&cap, ". Almost no green anywhere: the threads overlap their waits, they do not "
		     "compute in parallel.");
	report_shared_timeline(
	    rp, "Every variant on one time axis: the threads that made the requests", sb_str(&cap));
	sb_free(&cap);
}

/* ---- the causes ------------------------------------------------------------ */

/* 01: the workers' waits for replies ended by the replies. */
static void replies(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"worker", ST_IO, -1, NULL, -1, NULL, false};
	struct wake_filter net = {"worker", ST_IO, WK_SOFTIRQ, NULL, -1, NULL, false};
	struct wake_filter srv = {"worker", ST_IO, WK_THREAD, "server", -1, NULL, false};
	struct wake_tally a = wake_tally_of(r, &all), n = wake_tally_of(r, &net),
			  s = wake_tally_of(r, &srv);

	if (a.count < CAUSE_MIN_WAITS ||
	    (double)(n.count + s.count) < CAUSE_DEMO_SHARE * (double)a.count)
		return;
	sentences_add(out,
		      "%s: the workers' %llu waits for I/O were ended by the server's replies "
		      "(%llu by the loopback softirq that delivered them, %llu by a server "
		      "thread directly).",
		      r->variant, (unsigned long long)a.count, (unsigned long long)n.count,
		      (unsigned long long)s.count);
}

/* What to see in each variant's timeline (the first row that matches). */
static const struct timeline_caption captions[] = {
    {"serial",
     "main waits for one answer after another (io, dark blue), with a short wakeup between "
     "them; the service's threads wait for requests"},
    {"py-serial",
     "main sleeps through one wait after another (sleep, light blue: CPython's time.sleep), "
     "with a short wakeup between them"},
    {"py-", "main waits for the workers (lock, vermillion: its join); the workers sleep through "
	    "their waits (sleep, light blue) all at the same time"},
    {"", "main waits for the workers (lock, vermillion: its join); the workers wait for their "
	 "answers (io, dark blue) all at the same time"},
    {NULL, NULL},
};

const struct demo_module demo_01_io_wait = {
    .demo = "01_io_wait",
    .explainer = {"01_io_wait", explain, verdict, false},
    .causes = replies,
    .lesson = lesson,
    .lesson_line = lesson_line,
    .featured = "serial,threads-5,threads-20,",
    .captions = captions,
};

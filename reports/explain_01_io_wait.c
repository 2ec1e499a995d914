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

#define SERIAL_WAIT_SHARE 0.80
#define SERIAL_CPU_SHARE 0.05
#define OVERLAP_MIN 1.5
#define NEAR_LIMIT 1.25
#define SPEEDUP_MIN 1.5
#define PARALLELISM_MAX 0.25

/* "io 10.2 s" / "sleep 1.0 s" / "io 5.0 s, sleep 5.0 s": the waits it had. */
static const char *waits_of(char *buf, size_t len, const struct state_sum *ts)
{
	char a[32], b[32];

	if (ts->ns[ST_IO] && ts->ns[ST_SLEEP])
		snprintf(buf, len, "io %s, sleep %s", fmt_ns(a, sizeof(a), (double)ts->ns[ST_IO]),
			 fmt_ns(b, sizeof(b), (double)ts->ns[ST_SLEEP]));
	else
		snprintf(buf, len, "%s", ts->ns[ST_SLEEP] ? "in nanosleep" : "in I/O");
	return buf;
}

static void serial(const struct variant *v, const struct state_sum *ts, struct sentences *out)
{
	double life = (double)ts->lifetime_ns;
	double waiting = (double)(ts->ns[ST_IO] + ts->ns[ST_SLEEP]);
	double cpu = (double)ts->ns[ST_RUNNING];
	char d2[32], d3[32], w[96];

	if (life <= 0 || waiting < SERIAL_WAIT_SHARE * life || cpu > SERIAL_CPU_SHARE * life)
		return;
	sentences_add(out,
		      "%s: the thread that made the requests spent %.0f%% of its %s waiting "
		      "for answers (%s) and %.2f%% computing (%s on a CPU): it was waiting, "
		      "not working.",
		      v->name, 100 * waiting / life, fmt_ns(d2, sizeof(d2), life),
		      waits_of(w, sizeof(w), ts), 100 * cpu / life, fmt_ns(d3, sizeof(d3), cpu));
}

static void pool(const struct variant *v, const struct state_sum *ts, struct sentences *out)
{
	const struct run *r = v->rep;
	double wall = v->m[M_WALL_S].med, waiting = (double)(ts->ns[ST_IO] + ts->ns[ST_SLEEP]);
	double workers = demo_param(r->demo, "workers", 0), tasks = demo_param(r->demo, "tasks", 0);
	double wait = demo_param(r->demo, "wait_s", 0), overlap, limit;
	char d1[32];

	if (wall <= 0)
		return;
	overlap = waiting / (wall * 1e9);
	if (ts->threads && overlap >= OVERLAP_MIN)
		sentences_add(out,
			      "%s: its %zu threads spent %s waiting in all, within %.2f s: on "
			      "average %.0f requests were waiting for an answer at the same time.",
			      v->name, ts->threads, fmt_ns(d1, sizeof(d1), waiting), wall, overlap);
	if (workers < 1 || tasks < 1 || wait <= 0)
		return;
	limit = ceil(tasks / workers) * wait;
	if (wall <= NEAR_LIMIT * limit)
		sentences_add(out,
			      "%s took %.3f s, %.0f%% more than the %.3f s the waits alone need "
			      "(%.0f rounds of %.0f requests, %.3g s each).",
			      v->name, wall, 100 * (wall - limit) / limit, limit,
			      ceil(tasks / workers), workers, wait);
	else
		sentences_add(out,
			      "%s took %.3f s, %.1f× the %.3f s the waits alone need (%.0f rounds "
			      "of %.0f requests, %.3g s each): something besides the waits held it "
			      "up.",
			      v->name, wall, wall / limit, limit, ceil(tasks / workers), workers,
			      wait);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	const struct variant *ser = run_set_variant(rs, "serial");
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		struct state_sum ts = state_sum_of_task_threads(v->rep);

		if (demo_param(v->rep->demo, "workers", 0) <= 1)
			serial(v, &ts, out);
		else
			pool(v, &ts, out);
	}
	for (i = 0; ser && i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double speedup =
		    v->m[M_WALL_S].med > 0 ? ser->m[M_WALL_S].med / v->m[M_WALL_S].med : 0;

		if (v == ser || speedup < SPEEDUP_MIN || v->m[M_PARALLELISM].med > PARALLELISM_MAX)
			continue;
		sentences_add(
		    out,
		    "%s finished %.1f× sooner than serial (%.2f s against %.2f s) with "
		    "%.2f CPUs busy on average: its threads waited together, they did not "
		    "compute together.",
		    v->name, speedup, v->m[M_WALL_S].med, ser->m[M_WALL_S].med,
		    v->m[M_PARALLELISM].med);
	}
}

/* The verdict: serial waits one request after another; a pool waits for
 * many at once and finishes sooner with no more CPU: concurrency, not
 * parallelism. Doubts: a pool not faster than serial, or far from the time
 * its waits alone take. */
static void verdict(const struct run_set *rs, struct verdicts *out)
{
	const struct variant *ser = run_set_variant(rs, "serial");
	size_t i;
	char a[32], b[32];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		const struct run *r = v->rep;
		double wall = v->m[M_WALL_S].med, workers = demo_param(r->demo, "workers", 0);
		double tasks = demo_param(r->demo, "tasks", 0),
		       wait = demo_param(r->demo, "wait_s", 0);
		double limit = workers >= 1 && tasks >= 1 ? ceil(tasks / workers) * wait : 0;
		double speedup = ser && wall > 0 ? ser->m[M_WALL_S].med / wall : 0;

		if (workers <= 1) {
			sentences_add(&out->lines,
				      "%s: %.2f s for %.0f requests of %.3g s each, one after the "
				      "other: one thread waiting for one answer at a time.",
				      v->name, wall, tasks, wait);
			continue;
		}
		if (ser && v != ser)
			sentences_add(&out->lines,
				      "%s: %s sooner than serial (%.2f s) with %.2f s of CPU time: "
				      "its %.0f threads waited for their answers at the same time. "
				      "Concurrency, not parallelism.",
				      v->name, fig_times(a, sizeof(a), speedup), wall,
				      v->m[M_CPU_S].med, workers);
		else
			sentences_add(&out->lines,
				      "%s: %.2f s with %.2f s of CPU time: its %.0f threads waited "
				      "for their answers at the same time.",
				      v->name, wall, v->m[M_CPU_S].med, workers);
		if (ser && v != ser && speedup < SPEEDUP_MIN)
			sentences_add(&out->doubts,
				      "This run does not show the lesson: %s was only %s faster "
				      "than serial (%.2f s against %.2f s).",
				      v->name, fig_times(a, sizeof(a), speedup), wall,
				      ser->m[M_WALL_S].med);
		else if (limit > 0 && wall > 2 * limit)
			sentences_add(&out->doubts,
				      "%s took %s the %s its waits alone need: something other "
				      "than the waits slowed it.",
				      v->name, fig_times(a, sizeof(a), wall / limit),
				      fig_dur(b, sizeof(b), limit * 1e9));
	}
}

const struct explainer explain_01_io_wait = {"01_io_wait", explain, verdict};

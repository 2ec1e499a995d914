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
	char d1[32], d2[32], d3[32], w[96];

	if (life <= 0 || waiting < SERIAL_WAIT_SHARE * life || cpu > SERIAL_CPU_SHARE * life)
		return;
	sentences_add(out,
		      "%s: the thread that ran the tasks spent %s of its %s life blocked waiting "
		      "(%s; %.1f%%) and %s on a CPU (%.2f%%): over the %.2f s wall it was "
		      "waiting, not computing (thresholds: ≥ %.0f%% waiting, ≤ %.0f%% CPU).",
		      v->name, fmt_ns(d1, sizeof(d1), waiting), fmt_ns(d2, sizeof(d2), life),
		      waits_of(w, sizeof(w), ts), 100 * waiting / life, fmt_ns(d3, sizeof(d3), cpu),
		      100 * cpu / life, v->m[M_WALL_S].med, 100 * SERIAL_WAIT_SHARE,
		      100 * SERIAL_CPU_SHARE);
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
			      "%s's %zu workers were blocked waiting %s in all within %.2f s of "
			      "wall: overlap factor %.1f (their summed waiting / wall; threshold "
			      "≥ %.1f), so about %.0f waits were in progress at any moment.",
			      v->name, ts->threads, fmt_ns(d1, sizeof(d1), waiting), wall, overlap,
			      OVERLAP_MIN, overlap);
	if (workers < 1 || tasks < 1 || wait <= 0)
		return;
	limit = ceil(tasks / workers) * wait;
	if (wall <= NEAR_LIMIT * limit)
		sentences_add(
		    out,
		    "%s's wall %.3f s is within %.1f%% of the limit ceil(%.0f tasks / %.0f "
		    "workers) × %.3g s = %.3f s, the time the waits alone take "
		    "(threshold: ≤ %.0f%% above).",
		    v->name, wall, 100 * (wall - limit) / limit, tasks, workers, wait, limit,
		    100 * (NEAR_LIMIT - 1));
	else
		sentences_add(
		    out,
		    "%s's wall %.3f s is %.1f× the limit ceil(%.0f tasks / %.0f workers) × "
		    "%.3g s = %.3f s: more than the waits alone take.",
		    v->name, wall, wall / limit, tasks, workers, wait, limit);
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
		    "%s finished %.1f× sooner than serial (%.2f s vs %.2f s) at parallelism "
		    "%.2f: the threads overlapped their waits, they did not compute in "
		    "parallel (thresholds: speedup ≥ %.1f, parallelism ≤ %.2f).",
		    v->name, speedup, v->m[M_WALL_S].med, ser->m[M_WALL_S].med,
		    v->m[M_PARALLELISM].med, SPEEDUP_MIN, PARALLELISM_MAX);
	}
}

const struct explainer explain_01_io_wait = {"01_io_wait", explain, NULL};

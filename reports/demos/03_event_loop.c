// SPDX-License-Identifier: GPL-2.0
/* Why 03_event_loop looks the way it does. Everything happens on the one
 * thread named "loop". Claims and thresholds (docs/explainers.md):
 *   - the blocking loop slept inside its tasks: ≥ 80% of the loop thread's
 *     lifetime in the sleep state, with its nanosleep calls cited;
 *   - while timers were already due: the latest task started ≥ one wait
 *     late (demo.json task_latency.lateness_ns);
 *   - the awaiting loop slept in epoll_wait: ≥ 80% of its lifetime in epoll_wait
 *     calls, and ran ≤ 5% of wall;
 *   - the waits added up: wall ≥ 80% of tasks × wait;
 *   - the waits overlapped: wall ≤ 1.5 × one wait. */
#include <stdio.h>
#include <stdlib.h>

#include "explain.h"
#include "figures.h"
#include "charts.h"
#include "palette.h"
#include "report.h"
#include "wakes.h"
#include "demo_module.h"

#define ASLEEP_SHARE 0.80
#define LATE_WAITS 1.0
#define RUNNING_MAX 0.05
#define ADDED_UP 0.80
#define OVERLAPPED 1.5

static void blocking(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	struct state_sum loop = state_sum_of(r, "loop");
	struct syscall_sum ns = syscall_sum_of(r, "loop", "nanosleep");
	double wait = demo_param(r->demo, "wait_s", 0);
	double late_max = demo_num(r, "task_latency.lateness_ns.max", -1);
	double late_mean = demo_num(r, "task_latency.lateness_ns.mean", -1);
	char d1[32], d2[32], d3[32];

	if (loop.threads && state_share(&loop, ST_SLEEP) >= ASLEEP_SHARE && ns.count)
		sentences_add(out,
			      "%s: the loop thread slept %.0f%% of its life (%s) in %llu sleeps of "
			      "%s each, taken inside the tasks: one task's wait after another, and "
			      "while the loop slept it could run nothing else.",
			      v->name, 100 * state_share(&loop, ST_SLEEP),
			      fmt_ns(d1, sizeof(d1), (double)loop.ns[ST_SLEEP]),
			      (unsigned long long)ns.count,
			      fmt_ns(d3, sizeof(d3), (double)ns.total_ns / (double)ns.count));
	if (wait > 0 && late_max >= LATE_WAITS * wait * 1e9)
		sentences_add(out,
			      "%s: the other tasks' timers came due while the loop slept: tasks "
			      "finished up to %s late (%s on average).",
			      v->name, fmt_ns(d1, sizeof(d1), late_max),
			      fmt_ns(d2, sizeof(d2), late_mean > 0 ? late_mean : 0));
}

static void awaiting(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	struct state_sum loop = state_sum_of(r, "loop");
	struct syscall_sum ep = syscall_sum_of(r, "loop", "epoll_wait");
	double wall_ns = v->m[M_WALL_S].med * 1e9;
	char d1[32], d2[32];

	if (!loop.threads || !ep.count || wall_ns <= 0 ||
	    (double)ep.total_ns < ASLEEP_SHARE * (double)loop.lifetime_ns ||
	    (double)loop.ns[ST_RUNNING] > RUNNING_MAX * wall_ns)
		return;
	sentences_add(out,
		      "%s: the loop thread waited in epoll_wait for %s (%.0f%% of its life) and "
		      "computed for only %s: each task handed its wait to the loop and gave "
		      "way (await), and the loop waited for every timer at once, not inside "
		      "any task.",
		      v->name, fmt_ns(d1, sizeof(d1), (double)ep.total_ns),
		      100.0 * (double)ep.total_ns / (double)loop.lifetime_ns,
		      fmt_ns(d2, sizeof(d2), (double)loop.ns[ST_RUNNING]));
}

static void totals(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	double tasks = demo_param(r->demo, "tasks", 0), wait = demo_param(r->demo, "wait_s", 0);
	double wall = v->m[M_WALL_S].med;

	if (tasks < 2 || wait <= 0)
		return;
	if (wall >= ADDED_UP * tasks * wait)
		sentences_add(out,
			      "%s took %.2f s for %.0f tasks × %.3g s = %.2f s: the waits added "
			      "up, one after another.",
			      v->name, wall, tasks, wait, tasks * wait);
	else if (wall <= OVERLAPPED * wait)
		sentences_add(out,
			      "%s took %.3f s for %.0f tasks of %.3g s, about one wait: the waits "
			      "overlapped.",
			      v->name, wall, tasks, wait);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];

		blocking(v, out);
		awaiting(v, out);
		totals(v, out);
	}
}

/* The verdict: a loop that awaits runs every task's wait at once; a loop
 * that blocks runs them one after another and every task after the first
 * is late. Doubts: the blocking loop not much slower than the awaiting one. */
static void verdict(const struct run_set *rs, struct verdicts *out)
{
	const struct variant *aw = fig_variant(rs, "await");
	const struct variant *bl = fig_variant(rs, "blocking");
	size_t i;
	char a[32];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		const struct run *r = v->rep;
		double tasks = demo_param(r->demo, "tasks", 0),
		       wait = demo_param(r->demo, "wait_s", 0);
		double late = demo_num(r, "task_latency.lateness_ns.max", -1);

		if (v == bl)
			sentences_add(
			    &out->lines,
			    "%s: %.2f s for %.0f tasks of %.3g s: each task slept inside "
			    "the loop, so nothing else could run and the last task finished "
			    "%s late. Blocking the loop destroys its concurrency.",
			    v->name, v->m[M_WALL_S].med, tasks, wait,
			    fig_dur(a, sizeof(a), late > 0 ? late : 0));
		else
			sentences_add(
			    &out->lines,
			    "%s: %.3f s for %.0f tasks of %.3g s: each task handed its wait "
			    "to the loop (await) and the loop waited for all of them at "
			    "once, on one thread.",
			    v->name, v->m[M_WALL_S].med, tasks, wait);
	}
	if (aw && bl && bl->m[M_WALL_S].med < 2 * aw->m[M_WALL_S].med)
		sentences_add(&out->doubts,
			      "This run does not show the lesson: blocking (%.2f s) was not much "
			      "slower than await (%.2f s).",
			      bl->m[M_WALL_S].med, aw->m[M_WALL_S].med);
}

/* The Key result: each family's blocking loop against its awaiting one,
 * the walls the verdict gives and their ratio ("blocking 0.52 s vs await
 * 0.057 s: 9.1× longer"). */
static void key_result(const struct run_set *rs, struct sbuf *out)
{
	static const char *const pairs[][2] = {{"blocking", "await"}, {"py-blocking", "py-await"}};
	char x[32];

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct variant *bl = run_set_variant(rs, pairs[i][0]),
				     *aw = run_set_variant(rs, pairs[i][1]);

		if (!bl || !aw || !bl->rep->demo || !aw->rep->demo)
			continue;
		sb_printf(out, "%s%s %.2f s vs %s %.3f s: %s longer", out->len ? "; " : "",
			  bl->name, bl->m[M_WALL_S].med, aw->name, aw->m[M_WALL_S].med,
			  fig_times(x, sizeof(x), fig_speedup(bl, aw)));
	}
}

/* ---- the lesson chart ---------------------------------------------------- */

/* 03's lesson: how late each task finished (demo.json task_times), both
 * loops on one scale, and the loop thread of each on one time axis. */
static void lateness(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct xy_series s[8];
	double *buf[16] = {0};
	struct sbuf cap = SBUF_INIT;
	size_t i, j, n = 0, k = 0;
	char d[32];

	sb_add(&cap, "How late each task finished after its timer was due, in the order the loop "
		     "got them, both loops on one scale:");
	for (i = 0; i < rs->nvariants && n < 8; i++) {
		const struct variant *v = &rs->variants[i];
		const json_t *tt =
		    v->rep->demo ? json_object_get(v->rep->demo->root, "task_times") : NULL;
		size_t m = json_array_size(tt);
		double *x, *y, max = 0;

		if (!m)
			continue;
		x = buf[k++] = calloc(m, sizeof(double));
		y = buf[k++] = calloc(m, sizeof(double));
		if (!x || !y)
			abort();
		for (j = 0; j < m; j++) {
			const json_t *l = json_object_get(json_array_get(tt, j), "lateness_ns");

			x[j] = (double)j + 1;
			y[j] = json_is_number(l) ? json_number_value(l) / 1e9 : 0;
			if (y[j] > max)
				max = y[j];
		}
		s[n++] = (struct xy_series){.title = v->name,
					    .color = series_color(i),
					    .style = XY_LINESPOINTS,
					    .n = m,
					    .x = x,
					    .y = y};
		sb_printf(&cap, "%s %s at most %s", n > 1 ? "," : "", v->name,
			  fig_dur(d, sizeof(d), max * 1e9));
	}
	sb_add(&cap, ". A loop that awaits runs every task on time; a loop that blocks makes "
		     "each task wait for all the sleeps before it.");
	if (n) {
		struct xy_chart c = {.title = "How late each task finished",
				     .xlabel = "task, in the order the loop got them",
				     .ylabel = "seconds late",
				     .nseries = n,
				     .series = s};

		report_xy_chart(rp, &c, "lesson", sb_str(&cap));
	}
	for (i = 0; i < k; i++)
		free(buf[i]);
	sb_free(&cap);
}

static void lesson(struct report *rp)
{
	lateness(rp);
	report_shared_timeline(
	    rp, "Both loops on one time axis",
	    "The loop thread of each variant from its start. await: one long wait in epoll_wait "
	    "(io, dark blue) while every timer runs at once, then a few wakeups. blocking: one "
	    "sleep (light blue) per task, each after the other, a wakeup between them.");
}

/* ---- the causes ------------------------------------------------------------ */

/* 03: the blocked loop, woken only by its own sleeps ending. */
static void loop_sleeps(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"loop", -1, -1, NULL, -1, NULL, false};
	struct wake_filter tim = {"loop", ST_SLEEP, WK_HARDIRQ, NULL, -1, NULL, false};
	struct wake_tally a = wake_tally_of(r, &all), t = wake_tally_of(r, &tim);

	if (a.count >= CAUSE_MIN_WAITS && (double)t.count >= CAUSE_DEMO_SHARE * (double)a.count)
		sentences_add(out,
			      "%s: the loop was woken only by its own sleep ending (%llu of %llu "
			      "wakeups by the timer interrupt): while it slept no task's timer "
			      "could run.",
			      r->variant, (unsigned long long)t.count, (unsigned long long)a.count);
}

/* What to see in each variant's timeline (the first row that matches). */
static const struct timeline_caption captions[] = {
    {"await", "the loop waits in epoll_wait (io, dark blue) for every timer at once, then runs the "
	      "tasks' short steps (green)"},
    {"py-await",
     "the loop waits in epoll_wait (io, dark blue) for every timer at once, then runs the "
     "tasks' short steps (green)"},
    {"blocking",
     "the loop sleeps (light blue) inside each task, one sleep after another: nothing else "
     "runs meanwhile"},
    {"py-blocking",
     "the loop sleeps (light blue) inside each task, one sleep after another: nothing else "
     "runs meanwhile"},
    {NULL, NULL},
};

const struct demo_module demo_03_event_loop = {
    .demo = "03_event_loop",
    .explainer = {"03_event_loop", explain, verdict, false},
    .causes = loop_sleeps,
    .lesson = lesson,
    .key_result = key_result,
    .featured = "await,blocking,",
    .captions = captions,
};

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

#include "explain.h"

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
			      "%s: the loop thread was asleep %s of its %s life (%.0f%%; threshold "
			      "≥ %.0f%%), in %llu nanosleep calls of %s on average: each task's "
			      "wait ran inside the loop, one after the other.",
			      v->name, fmt_ns(d1, sizeof(d1), (double)loop.ns[ST_SLEEP]),
			      fmt_ns(d2, sizeof(d2), (double)loop.lifetime_ns),
			      100 * state_share(&loop, ST_SLEEP), 100 * ASLEEP_SHARE,
			      (unsigned long long)ns.count,
			      fmt_ns(d3, sizeof(d3), (double)ns.total_ns / (double)ns.count));
	if (wait > 0 && late_max >= LATE_WAITS * wait * 1e9)
		sentences_add(
		    out,
		    "%s: meanwhile the other tasks' timers were already due: tasks ran up "
		    "to %s late (mean %s; threshold: late by ≥ one wait, %s).",
		    v->name, fmt_ns(d1, sizeof(d1), late_max),
		    fmt_ns(d2, sizeof(d2), late_mean > 0 ? late_mean : 0),
		    fmt_ns(d3, sizeof(d3), LATE_WAITS * wait * 1e9));
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
		      "%s: the loop thread slept in epoll_wait for %s in %llu call%s (%.0f%% of "
		      "its life; threshold ≥ %.0f%%) and ran for %s in all (%.1f%% of wall; "
		      "threshold ≤ %.0f%%): every task armed its timer and yielded, and the "
		      "timers expired together.",
		      v->name, fmt_ns(d1, sizeof(d1), (double)ep.total_ns),
		      (unsigned long long)ep.count, ep.count == 1 ? "" : "s",
		      100.0 * (double)ep.total_ns / (double)loop.lifetime_ns, 100 * ASLEEP_SHARE,
		      fmt_ns(d2, sizeof(d2), (double)loop.ns[ST_RUNNING]),
		      100 * (double)loop.ns[ST_RUNNING] / wall_ns, 100 * RUNNING_MAX);
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
			      "%s took %.2f s for %.0f tasks × %.3g s = %.2f s: the waits added up "
			      "(threshold: ≥ %.0f%% of their sum).",
			      v->name, wall, tasks, wait, tasks * wait, 100 * ADDED_UP);
	else if (wall <= OVERLAPPED * wait)
		sentences_add(out,
			      "%s took %.3f s, about one wait (%.3g s) for %.0f tasks: the waits "
			      "overlapped (threshold: ≤ %.1f waits).",
			      v->name, wall, wait, tasks, OVERLAPPED);
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

const struct explainer explain_03_event_loop = {"03_event_loop", explain, NULL};

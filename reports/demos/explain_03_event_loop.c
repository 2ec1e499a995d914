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
#include "figures.h"

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

const struct explainer explain_03_event_loop = {"03_event_loop", explain, verdict};

// SPDX-License-Identifier: GPL-2.0
/* 03_event_loop's questions (docs/predict.md): how long the loop takes
 * when its tasks await their waits, and when each blocks the loop. The
 * model: awaited waits overlap, one wait in all; blocking waits follow one
 * another, tasks × wait. */
#include <stdio.h>

#include "figures.h"
#include "predict.h"

static const struct quiz_size sizes[] = {
    {"tasks", 50, 10, 30, 80, 5, 6, 16, 2, 0, NULL, false},
    {"wait", 0.2, 0.05, 0.1, 0.3, 0.05, 0.03, 0.08, 0.01, 2, NULL, false},
};

static double await_model(const struct run_set *rs, struct sbuf *rule)
{
	double w = quiz_param(rs, "await", "wait_s", -1), t = quiz_param(rs, "await", "tasks", -1);

	if (w <= 0 || t <= 0)
		return -1;
	sb_printf(rule, "the %.0f waits overlap on the one loop thread: one wait, %.2f s", t, w);
	return w;
}

static double blocking_model(const struct run_set *rs, struct sbuf *rule)
{
	double w = quiz_param(rs, "blocking", "wait_s", -1),
	       t = quiz_param(rs, "blocking", "tasks", -1);

	if (w <= 0 || t <= 0)
		return -1;
	sb_printf(rule, "each wait blocks the loop, so they follow one another: %.0f × %.2f s", t,
		  w);
	return t * w;
}

static double wall_of(const struct run_set *rs, const char *name)
{
	const struct variant *v = run_set_variant(rs, name);

	return v ? v->m[M_WALL_S].med : -1;
}

static double await_wall(const struct run_set *rs)
{
	return wall_of(rs, "await");
}

static double blocking_wall(const struct run_set *rs)
{
	return wall_of(rs, "blocking");
}

static void await_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	double t = quiz_param(rs, "await", "tasks", 1);

	sb_printf(out,
		  "await took %.3f s against the model's %.3f s: the %.0f waits overlapped, and "
		  "the %.1f ms more is the loop's own work, starting each task and handling each "
		  "timer, %.2f ms per task.",
		  measured, model, t, 1e3 * (measured - model), 1e3 * (measured - model) / t);
}

static void blocking_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	double t = quiz_param(rs, "blocking", "tasks", 1);

	sb_printf(out,
		  "blocking took %.2f s against the model's %.2f s: the loop slept through each "
		  "wait in turn, and each of the %.0f sleeps ended %.2f ms late on average (the "
		  "timer's slack and the wakeup).",
		  measured, model, t, 1e3 * (measured - model) / t);
}

static const struct quiz_question questions[] = {
    {"await_wall_s", "await",
     "await: one event-loop thread runs {tasks} tasks, each awaiting a wait of {wait} s. How "
     "many seconds does the run take?",
     "s", 0, 100000, QUIZ_REL, 0.25, await_model, await_wall, await_gap, false},
    {"blocking_wall_s", "blocking",
     "blocking: the same tasks, but each blocks the loop for its wait (a blocking sleep "
     "instead of an awaited timer). How many seconds?",
     "s", 0, 100000, QUIZ_REL, 0.25, blocking_model, blocking_wall, blocking_gap, false},
};

const struct quiz quiz_03_event_loop = {
    .demo = "03_event_loop",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};

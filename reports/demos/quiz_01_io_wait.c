// SPDX-License-Identifier: GPL-2.0
/* 01_io_wait's questions (docs/predict.md): how long a pool of 5 threads
 * takes, and how much sooner 20 threads finish than one. The model: the
 * waits go in rounds of at most one per thread, ceil(tasks / threads)
 * rounds of one wait each (figures.h fig_rounds_of). */
#include <math.h>
#include <stdio.h>

#include "figures.h"
#include "predict.h"

static const struct quiz_size sizes[] = {
    {"tasks", 50, 10, 30, 80, 5, 6, 16, 2, 0, NULL, false},
    {"wait", 0.2, 0.05, 0.1, 0.3, 0.05, 0.03, 0.08, 0.01, 2, NULL, false},
};

/* The limit of @variant's pool, its rule said in @rule. */
static double limit_of(const struct run_set *rs, const char *variant, struct sbuf *rule)
{
	const struct run *r = quiz_run(rs, variant);
	struct fig_rounds f;

	if (!r)
		return -1;
	f = fig_rounds_of(r);
	if (f.limit_s <= 0)
		return -1;
	if (rule)
		sb_printf(rule, "%.0f rounds of at most %.0f waits at once, %.2f s each: %.2f s",
			  f.rounds, f.per_round, f.wait_s, f.limit_s);
	return f.limit_s;
}

static double t5_model(const struct run_set *rs, struct sbuf *rule)
{
	return limit_of(rs, "threads-5", rule);
}

static double t20_model(const struct run_set *rs, struct sbuf *rule)
{
	/* serial: no pool (workers 0), one wait after another */
	double tasks = quiz_param(rs, "serial", "tasks", -1);
	double s = tasks * quiz_param(rs, "serial", "wait_s", -1);
	double t = limit_of(rs, "threads-20", NULL);

	if (tasks <= 0 || s <= 0 || t <= 0)
		return -1;
	sb_printf(rule,
		  "serial's %.0f waits one after another over threads-20's: %.2f s / %.2f s (",
		  tasks, s, t);
	limit_of(rs, "threads-20", rule);
	sb_add(rule, ")");
	return s / t;
}

static double t5_wall(const struct run_set *rs)
{
	const struct variant *v = run_set_variant(rs, "threads-5");

	return v ? v->m[M_WALL_S].med : -1;
}

static double t20_speedup(const struct run_set *rs)
{
	double s = fig_speedup(run_set_variant(rs, "serial"), run_set_variant(rs, "threads-20"));

	return s > 0 ? s : -1;
}

static void t5_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	struct fig_rounds f = fig_rounds_of(quiz_run(rs, "threads-5"));

	sb_printf(out,
		  "threads-5 took %.2f s against the model's %.2f s, %.2f s more over %.0f rounds "
		  "(%.1f ms a round): each request also connects, is sent, answered by the delay "
		  "server and read back, and each thread wakes up after its wait.",
		  measured, model, measured - model, f.rounds,
		  1e3 * (measured - model) / (f.rounds > 0 ? f.rounds : 1));
}

static void t20_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct variant *s = run_set_variant(rs, "serial"),
			     *t = run_set_variant(rs, "threads-20");

	sb_printf(out,
		  "threads-20 finished %.1f× sooner than serial (%.2f s against %.2f s), the model "
		  "%.1f×: serial pays each request's own cost once per task, threads-20 once per "
		  "round, so the measured ratio %s the model's.",
		  measured, t->m[M_WALL_S].med, s->m[M_WALL_S].med, model,
		  measured > model ? "passes" : "falls short of");
}

static const struct quiz_question questions[] = {
    {"threads5_wall_s", "threads-5",
     "threads-5: {tasks} tasks each wait {wait} s for a reply, on a pool of 5 threads. How "
     "many seconds does the whole run take?",
     "s", 0, 100000, QUIZ_REL, 0.25, t5_model, t5_wall, t5_gap, false},
    {"threads20_speedup", "threads-20",
     "threads-20: the same tasks on 20 threads. How many times sooner than serial (one task "
     "at a time) does it finish?",
     "x", 0.01, 10000, QUIZ_REL, 0.25, t20_model, t20_speedup, t20_gap, false},
};

const struct quiz quiz_01_io_wait = {
    .demo = "01_io_wait",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};

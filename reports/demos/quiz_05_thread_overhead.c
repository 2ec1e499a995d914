// SPDX-License-Identifier: GPL-2.0
/* 05_thread_overhead's questions (docs/predict.md): the speed-up of a pool
 * of 8 and of 64 threads over one thread. The model: threads that cost
 * nothing; the waits go in ceil(tasks / threads) rounds, and any CPU work
 * runs on at most min(threads, CPUs) CPUs (the demo's limit_s). */
#include <math.h>
#include <stdio.h>

#include "figures.h"
#include "predict.h"

static const struct quiz_size sizes[] = {
    {"tasks", 200, 64, 100, 300, 20, 32, 96, 16, 0, NULL, false},
    {"wait", 0.05, 0.02, 0.03, 0.08, 0.01, 0.01, 0.03, 0.005, 3, NULL, false},
};

/* A pool of @n threads that cost nothing: its wall for this run's sizes. */
static double limit_s(const struct run_set *rs, const char *variant, double n)
{
	double tasks = quiz_param(rs, variant, "tasks", -1);
	double wait = quiz_param(rs, variant, "wait_s", -1);
	double cpu = quiz_param(rs, variant, "cpu_us", 0) / 1e6;
	double busy = fmin(n, (double)fig_cpus(rs));

	if (tasks <= 0 || wait < 0)
		return -1;
	return fmax(ceil(tasks / n) * (wait + cpu), tasks * cpu / busy);
}

static double model_at(const struct run_set *rs, const char *variant, double n, struct sbuf *rule)
{
	double one = limit_s(rs, variant, 1), many = limit_s(rs, variant, n);
	double tasks = quiz_param(rs, variant, "tasks", 0);

	if (one <= 0 || many <= 0)
		return -1;
	sb_printf(rule,
		  "threads that cost nothing: %.0f tasks take %.0f rounds on 1 thread and %.0f on "
		  "%.0f, %.2f s against %.3f s",
		  tasks, tasks, ceil(tasks / n), n, one, many);
	return one / many;
}

static double m8(const struct run_set *rs, struct sbuf *rule)
{
	return model_at(rs, "threads-8", 8, rule);
}

static double m64(const struct run_set *rs, struct sbuf *rule)
{
	return model_at(rs, "threads-64", 64, rule);
}

/* The page's scaling curve's speed-up of the pool of @n (fig_scaling). */
static double speedup_at(const struct run_set *rs, double n)
{
	struct fig_scale_point pts[FIG_SCALE_MAX];
	size_t k = fig_scaling(rs, false, pts, FIG_SCALE_MAX);

	for (size_t i = 0; i < k; i++)
		if (pts[i].workers == n && pts[i].speedup > 0)
			return pts[i].speedup;
	return -1;
}

static double s8(const struct run_set *rs)
{
	return speedup_at(rs, 8);
}

static double s64(const struct run_set *rs)
{
	return speedup_at(rs, 64);
}

static void gap_at(const struct run_set *rs, double n, double model, double measured,
		   struct sbuf *out)
{
	struct fig_scale_point pts[FIG_SCALE_MAX];
	size_t k = fig_scaling(rs, false, pts, FIG_SCALE_MAX);

	for (size_t i = 0; i < k; i++) {
		if (pts[i].workers != n)
			continue;
		sb_printf(out,
			  "threads-%.0f took %.3f s against %.3f s for threads that cost nothing "
			  "(%.0f%% of that pace), so %.1f× where the model says %.1f×: each thread "
			  "is created, woken for each task and scheduled on %d CPUs, and the "
			  "requests' own costs grow with the pool.",
			  n, pts[i].wall, pts[i].limit, 100 * pts[i].efficiency, measured, model,
			  fig_cpus(rs));
		return;
	}
}

static void g8(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	gap_at(rs, 8, model, measured, out);
}

static void g64(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	gap_at(rs, 64, model, measured, out);
}

static const struct quiz_question questions[] = {
    {"speedup_8", "threads-8",
     "threads-8: {tasks} tasks each wait {wait} s, on a pool of 8 threads ({cpus} CPUs). How "
     "many times sooner than a pool of 1 does it finish?",
     "x", 0.01, 10000, QUIZ_REL, 0.25, m8, s8, g8, false},
    {"speedup_64", "threads-64",
     "threads-64: the same on 64 threads. How many times sooner than 1 thread?", "x", 0.01, 10000,
     QUIZ_REL, 0.25, m64, s64, g64, true},
};

const struct quiz quiz_05_thread_overhead = {
    .demo = "05_thread_overhead",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};

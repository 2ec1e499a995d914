// SPDX-License-Identifier: GPL-2.0
/* 02_cpu_bound's questions (docs/predict.md): the speed-up of threads under
 * the GIL and of processes over serial, the CPUs the GIL variant keeps busy,
 * and how often the GIL changes hands. The models: Amdahl's law (the GIL
 * leaves no part of the work in parallel; processes all of it, in whole
 * tasks), the bound min(workers, CPUs), the switch interval. */
#include <math.h>
#include <stdio.h>

#include "figures.h"
#include "predict.h"
#include "sums.h"

#define SER "serial"
#define GIL "threads-gil"
#define PROC "processes"

static double workers_dflt(int cpus)
{
	return cpus / 2 > 2 ? cpus / 2 : 2; /* demos/02_cpu_bound.c's default */
}

static const struct quiz_size sizes[] = {
    {.opt = "workers",
     .lo = 2,
     .hi = 6,
     .step = 1,
     .quick_lo = 2,
     .quick_hi = 4,
     .quick_step = 1,
     .dflt_of = workers_dflt},
    {"tasks", 8, 4, 6, 16, 1, 4, 8, 1, 0, NULL, false},
    {"n", 30000000, 10000000, 20000000, 40000000, 5000000, 5000000, 15000000, 5000000, 0, NULL,
     false},
    {"switch-interval", 5, 5, 2, 10, 1, 2, 10, 1, 0, NULL, false},
};

static const struct variant *var(const struct run_set *rs, const char *name)
{
	return run_set_variant(rs, name);
}

/* ---- the models ---------------------------------------------------------- */

static double gil_speedup_model(const struct run_set *rs, struct sbuf *rule)
{
	double w = quiz_param(rs, GIL, "workers", -1);

	if (w <= 0)
		return -1;
	sb_printf(rule,
		  "Amdahl's law with no part in parallel: the GIL lets one of the %.0f threads "
		  "compute at a time, so 1 / (1 + 0/%.0f) = 1×",
		  w, w);
	return 1;
}

/* Processes: every task in parallel, but in whole tasks: ceil(tasks / bound)
 * rounds where serial needs tasks. */
static double proc_speedup_model(const struct run_set *rs, struct sbuf *rule)
{
	const struct variant *v = var(rs, PROC);
	double tasks = quiz_param(rs, PROC, "tasks", -1), bound, rounds;

	if (!v || tasks <= 0)
		return -1;
	bound = fig_bound(rs, v->rep);
	rounds = ceil(tasks / bound);
	sb_printf(rule,
		  "Amdahl's law with all the work in parallel, in whole tasks: %.0f tasks on "
		  "min(%.0f workers, %d CPUs) = %.0f at a time take %.0f rounds where serial takes "
		  "%.0f: %.0f / %.0f",
		  tasks, fig_workers(v->rep), fig_cpus(rs), bound, rounds, tasks, tasks, rounds);
	return tasks / rounds;
}

static double gil_cpus_model(const struct run_set *rs, struct sbuf *rule)
{
	const struct variant *v = var(rs, GIL);

	if (!v)
		return -1;
	sb_printf(rule,
		  "the bound min(%.0f workers, %d CPUs) = %.0f, but the GIL lets one thread "
		  "compute at a time: 1 CPU",
		  fig_workers(v->rep), fig_cpus(rs), fig_bound(rs, v->rep));
	return 1;
}

static double handoff_model(const struct run_set *rs, struct sbuf *rule)
{
	const struct variant *v = var(rs, GIL);
	double interval = v ? fig_switch_interval_ns(v->rep) : 0;

	if (interval <= 0)
		return -1;
	sb_printf(rule,
		  "one handoff per switch interval (%.0f ms) while another thread waits: "
		  "1 s / %.0f ms",
		  interval / 1e6, interval / 1e6);
	return 1e9 / interval;
}

/* ---- the measurements: the figures the page shows --------------------------- */

static double gil_speedup(const struct run_set *rs)
{
	double s = fig_speedup(var(rs, SER), var(rs, GIL));

	return s > 0 ? s : -1;
}

static double proc_speedup(const struct run_set *rs)
{
	double s = fig_speedup(var(rs, SER), var(rs, PROC));

	return s > 0 ? s : -1;
}

static double gil_cpus(const struct run_set *rs)
{
	const struct variant *v = var(rs, GIL);

	return v ? v->m[M_PARALLELISM].med : -1;
}

static double handoff_rate(const struct run_set *rs)
{
	const struct variant *v = var(rs, GIL);
	double rate = v ? fig_gil_handoff_rate(v->rep) : 0;

	return rate > 0 ? rate : -1;
}

/* ---- the gaps ------------------------------------------------------------- */

/* "; serial's threads waited X for a CPU against Y computing" for each of
 * the two variants a speed-up compares that waited; returns how many. */
static int cpu_waits_of(const struct run_set *rs, const char *a, const char *b, struct sbuf *out)
{
	int n = 0;

	for (const char *v = a; v; v = v == a ? b : NULL) {
		struct sbuf w = SBUF_INIT;

		if (quiz_cpu_waits(rs, v, &w)) {
			sb_printf(out, "%s%s", n ? ", and " : "", sb_str(&w));
			n++;
		}
		sb_free(&w);
	}
	return n;
}

static void gil_speedup_gap(const struct run_set *rs, double model, double measured,
			    struct sbuf *out)
{
	const struct variant *s = var(rs, SER), *g = var(rs, GIL);
	struct state_sum ws = state_sum_of(g->rep, "worker");
	char d1[32];

	sb_printf(out, "threads-gil took %.2f s against serial's %.2f s (%.2f×, the model %.0f×): ",
		  g->m[M_WALL_S].med, s->m[M_WALL_S].med, measured, model);
	if (cpu_waits_of(rs, SER, GIL, out)) {
		sb_add(out,
		       ": other programs on the host, or the tracer, held the CPUs, so the two "
		       "walls measure the host's load as much as the lock.");
		return;
	}
	sb_printf(out,
		  "its threads computed one at a time and spent %s blocked on the lock; the GIL "
		  "changed hands %.0f times, each handoff a wakeup and a switch serial never pays.",
		  fig_dur(d1, sizeof(d1), (double)ws.ns[ST_LOCK]), fig_gil_handoffs(g->rep));
}

static void proc_speedup_gap(const struct run_set *rs, double model, double measured,
			     struct sbuf *out)
{
	const struct variant *p = var(rs, PROC);
	double par = p->m[M_PARALLELISM].med, bound = fig_bound(rs, p->rep);

	sb_printf(out,
		  "processes reached %.2f× against the model's %.2f×, keeping %.2f CPUs busy "
		  "of its bound %.0f: ",
		  measured, model, par, bound);
	if (cpu_waits_of(rs, SER, PROC, out))
		sb_add(out, ": other programs on the host, or the tracer, held the CPUs, and a "
			    "speed-up compares two walls that waited differently.");
	else
		sb_add(out, "each worker starts as a process of its own, and the last round waits "
			    "for its slowest task.");
}

static void gil_cpus_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct variant *g = var(rs, GIL);

	sb_printf(out,
		  "threads-gil kept %.2f CPUs busy (%.2f s of CPU in %.2f s) against the model's "
		  "%.0f: ",
		  measured, g->m[M_CPU_S].med, g->m[M_WALL_S].med, model);
	if (quiz_cpu_waits(rs, GIL, out))
		sb_add(out, ", so even the one thread the GIL let compute often had no CPU.");
	else if (measured > model)
		sb_add(out, "the thread giving the GIL up and the one taking it run for a moment "
			    "together, at each of the handoffs.");
	else
		sb_add(out, "the handoffs leave the CPU idle for a moment, while the next holder "
			    "wakes up.");
}

static void handoff_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct variant *g = var(rs, GIL);

	sb_printf(out,
		  "The GIL changed hands %.0f times in %.2f s, %.0f a second against the "
		  "model's %.0f: ",
		  fig_gil_handoffs(g->rep), g->rep->m[M_WALL_S], measured, model);
	if (measured < 0.8 * model && quiz_cpu_waits(rs, GIL, out))
		sb_add(out, "; a thread that is not on a CPU neither asks for the GIL nor lets it "
			    "go, so it changed hands less often than once per interval.");
	else if (measured > 1.2 * model)
		sb_add(out, "more often than once per interval: the holder also let it go on its "
			    "own, between tasks and at the end.");
	else
		sb_add(out,
		       "a waiting thread asks only after a switch interval of waiting, and the "
		       "holder lets go at its next check, so a handoff comes a little later than "
		       "the interval.");
}

static const struct quiz_question questions[] = {
    {"gil_speedup", GIL,
     "threads-gil: {workers} threads run {tasks} CPU-bound tasks under one interpreter lock "
     "(the GIL) on {cpus} CPUs. How many times faster than serial (the same tasks on one "
     "thread) does it finish?",
     "x", 0.01, 1000, QUIZ_REL, 0.25, gil_speedup_model, gil_speedup, gil_speedup_gap, false},
    {"processes_speedup", PROC,
     "processes: {workers} processes, each with its own lock, run the same {tasks} tasks on "
     "{cpus} CPUs. How many times faster than serial?",
     "x", 0.01, 1000, QUIZ_REL, 0.25, proc_speedup_model, proc_speedup, proc_speedup_gap, false},
    {"gil_cpus_busy", GIL,
     "threads-gil: on average, how many CPUs does it keep busy (CPU time / wall time)?", "CPUs", 0,
     1024, QUIZ_ABS, 0.25, gil_cpus_model, gil_cpus, gil_cpus_gap, false},
    {"gil_handoffs_per_s", GIL,
     "threads-gil: with a switch interval of {switch-interval} ms, how many times a second does "
     "the GIL change hands?",
     "per s", 0, 1000000, QUIZ_REL, 0.25, handoff_model, handoff_rate, handoff_gap, false},
};

const struct quiz quiz_02_cpu_bound = {
    .demo = "02_cpu_bound",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};

/* SPDX-License-Identifier: GPL-2.0 */
/* The figures layer: every number the report derives from a run set is
 * computed here, once, and used by the tables, the charts, the explainers'
 * sentences and the terminal alike, so two parts of a report never disagree
 * about the same figure (docs/report.md "The figures layer").
 *
 * Raw measurements stay in runset.h (a variant's medians of wall, CPU time,
 * parallelism...). Here is what is made of them: the bound a variant can
 * reach, a quantile that can never pass the maximum, one lock over all its
 * futex words, the part of a blocked time spent on one lock, a duration in
 * the unit that reads well, a demo's scaling curve. */
#ifndef SCHEDLAB_FIGURES_H
#define SCHEDLAB_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"
#include "run_metrics.h"
#include "runset.h"

/* ---- the bound ---------------------------------------------------------- */

/* CPUs the demo could use: demo.json "cpus", the demo's own affinity mask
 * (lib/cpus.c; --cpus narrows it), the fewest over the runs. A traced command
 * writes no demo.json: the CPUs it was pinned to, else the host's. */
int fig_cpus(const struct run_set *rs);
/* The threads doing the demo's work: params.workers (0: the main thread,
 * so 1), else the demo's own threads that demo.json says completed tasks (one
 * event loop thread: 1), else threads named worker-*, else every thread. */
double fig_workers(const struct run *r);
/* min(workers, CPUs the demo could use): the parallelism no variant can
 * pass. The same number in the verdict, the tables, the charts and the
 * explainers. */
double fig_bound(const struct run_set *rs, const struct run *r);
/* A parallelism (CPU / wall) at or below this ran one thread at a time: one
 * CPU's worth, plus the start and the end a serial run also has. 02's
 * explainer and the CPython explainer both judge by it. */
#define SERIAL_PARALLELISM 1.25

/* ---- the variants a figure compares -------------------------------------- */

/* The variant named @name in the family of @rs: a run set of CPython's
 * variants only (explain_families hands the py-* ones over apart) calls its
 * serial base "py-serial", so fig_variant(rs, "serial") finds it there;
 * elsewhere the name as given. NULL when absent. */
const struct variant *fig_variant(const struct run_set *rs, const char *name);
/* How many times sooner @v finished than @base: base's median wall over
 * v's; 0 when either is missing or has no wall time. */
double fig_speedup(const struct variant *base, const struct variant *v);

/* A pool of @workers taking @tasks waits of wait_s each (01, 05): the waits
 * go in rounds of at most @workers requests; the limit is the time the
 * waits alone need (plus cpu_us per task when the demo states it). */
struct fig_rounds {
	double rounds;	  /* ceil(tasks / workers) */
	double per_round; /* requests in a full round: min(workers, tasks) */
	double wait_s;	  /* one wait */
	double limit_s;	  /* rounds × (wait + cpu per task); 0 when unknown */
};
struct fig_rounds fig_rounds_of(const struct run *r);

/* ---- the demo's measured section ---------------------------------------- */

/* Where a run's threads spent the demo's measured section (demo.json start_ns
 * to end_ns, from timeline.json): what the demo timed, without the tracer's
 * gate and exec before it nor an interpreter's start-up (CPython imports
 * for ~0.1 s of CPU before a py-* variant's first task). Without a timeline
 * or a section, the threads' whole lives and the median wall. */
struct fig_section {
	bool measured;		  /* from timeline.json over the section */
	double span_ns;		  /* the section's length (else the wall) */
	size_t task_threads;	  /* the threads that completed tasks (main in serial) */
	double task_ns[ST_COUNT]; /* their time in each state */
	double cpu_ns;		  /* every thread's running time */
};
struct fig_section fig_section_of(const struct variant *v);
/* The same for one run (@r->m[M_WALL_S] set: the fallback's span). */
struct fig_section fig_section_of_run(const struct run *r);
/* CPUs kept busy on average over the section: cpu_ns / span_ns. */
double fig_section_cpus(const struct fig_section *s);

/* ---- durations ---------------------------------------------------------- */

/* A duration in the unit that reads well: "10.0 s", "45.6 ms", "12.3 µs",
 * "850 ns" (gnuplot labels: fig_dur_ascii, "us"). */
const char *fig_dur(char *buf, size_t len, double ns);
const char *fig_dur_ascii(char *buf, size_t len, double ns);
/* A ratio as "16.5×" (one decimal under 100, none above). */
const char *fig_times(char *buf, size_t len, double x);

/* ---- locks -------------------------------------------------------------- */

/* One lock of a run: every futex word of the same name in the same process
 * summed (a condition variable waits on two words of its object), or one
 * unnamed word. */
struct fig_lock {
	char name[64]; /* the demo's name, or "" when not named */
	int pid;
	char addr[24]; /* the first word seen (the only one when unnamed) */
	size_t words;
	uint64_t waits, total_ns, max_ns;
};
/* The locks of @r, the most waited first; *n set. Free with free(). */
struct fig_lock *fig_locks(const struct run *r, size_t *n);

/* The part of @blocked_ns (a thread's time in one state) that went to calls
 * whose time was @part_call_ns out of @all_call_ns: call time runs from
 * entry to exit and includes waking up, so it is larger than the blocked
 * time it holds; the part is the same share of the blocked time, never more
 * than the whole. Without the syscall table (@all_call_ns 0: schedtrace ran
 * without --syscalls) a futex word's time is already its blocked waits: the
 * part is that, never more than the whole. */
double fig_part_of_blocked(double blocked_ns, double part_call_ns, double all_call_ns);

/* ---- per-demo curves ---------------------------------------------------- */

/* One pool of a scaling demo (05): its wall against the limit of a pool
 * whose threads cost nothing (demo.json limit_s). */
struct fig_scale_point {
	const struct variant *v;
	double workers, wall, limit;
	double speedup;	      /* the smallest pool's wall / this wall */
	double limit_speedup; /* the smallest pool's limit / this limit */
	double efficiency;    /* limit / wall: 1 when the threads cost nothing */
};
#define FIG_SCALE_MAX 32
/* The pools of @rs of one family (@python: the py-* variants, else the C
 * model's) by worker count, smallest first: a curve never mixes the two.
 * Returns how many (0 when fewer than two pools or the smallest has no
 * limit). */
size_t fig_scaling(const struct run_set *rs, bool python, struct fig_scale_point *pts, size_t max);

/* A time series of demo.json "samples" (04): t in s, and the named field. */
size_t fig_samples(const struct run *r, const char *field, double *t, double *v, size_t max);

/* A 04-style run's memory while its queue ran: the first and last RSS of
 * demo.json "samples" (what the lesson chart draws), else demo.json rss
 * start and end (taken before the threads started, so they include their
 * stacks); KiB, -1 when unknown. One figure for the verdict, the why and
 * the chart's caption. */
struct fig_rss {
	double start_kib, end_kib, growth_kib;
	bool sampled;
};
struct fig_rss fig_rss_of(const struct run *r);

/* The queue capacity of a 04-style run: demo.json queue.capacity, else
 * params.capacity; 0 unbounded, -1 when the run has no queue. */
double fig_capacity(const struct run *r);

/* ---- pipelines and streaming (06, 08; figures_stages.c) ----------------- */

/* One stage of a pipeline run (06): its threads by role, and its futex waits
 * on the queues' words demo.json names. Starved: waiting on its input
 * queue's not_empty; held back: waiting on its output queue's not_full; each
 * the part of the threads' lock time that word's futex calls hold
 * (fig_part_of_blocked). */
enum fig_stage_id { FIG_FETCH, FIG_BLOCKING, FIG_CPU, FIG_STAGES };
struct fig_stage {
	const char *name; /* "fetch", "blocking", "cpu" */
	size_t threads;
	uint64_t lifetime_ns, running_ns, runnable_ns, lock_ns;
	uint64_t starved_ns, held_ns;
	double busy;		  /* (lifetime - lock) / (threads x wall), 0..1: a lock
				   * wait (starved, held back, any other) is not busy */
	double running, runnable; /* the parts of busy running and waiting
				   * for a CPU, shares of threads x wall */
};
/* The three stages of @r: "loop" (fetch), "blocking-*", "cpu-*". */
void fig_stages(const struct run *r, struct fig_stage st[FIG_STAGES]);
/* The busiest stage, or -1 when no stage has threads. */
int fig_busiest_stage(const struct fig_stage st[FIG_STAGES]);

/* p99 latency over the nominal service time (08: demo.json latency.p99 over
 * params.service_us); 0 when either is missing. Past FIG_NOISY_LOW at a low
 * load, queueing cannot explain it: something delayed the workers. */
#define FIG_NOISY_LOW 5.0
double fig_p99_over_service(const struct run *r);

/* Share (0..1) of the worker-* threads' lifetime spent waiting on a queue's
 * not_empty condition, i.e. idle for want of work (08: the part of their lock
 * time those futex calls hold); -1 when the run has no workers or demo.json
 * names no queue. */
double fig_workers_idle(const struct run *r);

/* How often a run's interpreter lock changed hands (02): demo.json
 * gil.handoffs, else its threads' lock_acquires summed; and that over the
 * run's wall, per second (0 when either is missing). */
double fig_gil_handoffs(const struct run *r);
double fig_gil_handoff_rate(const struct run *r);
/* The lock's switch interval in ns: demo.json gil.switch_interval_ns, else
 * params.switch_interval_ms; 0 when neither. */
double fig_switch_interval_ns(const struct run *r);

/* The name of @f's word: the demo's own (demo.json "locks"), else the GIL's
 * words of any CPython process (cpython.h), else NULL. */
const char *futex_word_name(const struct run *r, const struct futex_acct *f);

#endif

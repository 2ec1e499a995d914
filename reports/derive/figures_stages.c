// SPDX-License-Identifier: GPL-2.0
/* The figures of the pipeline (06) and streaming (08) demos: a stage's busy
 * share, the workers' idle share. The explainers, the verdicts and the lesson
 * charts all read them from here (figures.h). */
#include "figures.h"

#include <math.h>
#include <string.h>

#include "sums.h"

static const char *const stage_names[FIG_STAGES] = {"fetch", "blocking", "cpu"};

static void stage_of(const struct run *r, struct fig_stage *s, int id, const char *role,
		     const char *in, const char *out)
{
	struct state_sum ss = state_sum_of(r, role);
	struct syscall_sum calls = syscall_sum_of(r, role, "futex");
	double wall = r->demo ? r->demo->wall_s * 1e9 : 0, work;

	memset(s, 0, sizeof(*s));
	s->name = stage_names[id];
	s->threads = ss.threads;
	s->lifetime_ns = ss.lifetime_ns;
	s->running_ns = ss.ns[ST_RUNNING];
	s->runnable_ns = ss.ns[ST_RUNNABLE];
	s->lock_ns = ss.ns[ST_LOCK];
	/* A futex call's time includes waking up: the part of the threads'
	 * blocked (lock) time each queue word holds is its share of their
	 * futex call time. */
	s->starved_ns =
	    in ? (uint64_t)fig_part_of_blocked((double)s->lock_ns, (double)futex_named(r, in).ns,
					       (double)calls.total_ns)
	       : 0;
	s->held_ns =
	    out ? (uint64_t)fig_part_of_blocked((double)s->lock_ns, (double)futex_named(r, out).ns,
						(double)calls.total_ns)
		: 0;
	/* Busy is working: running, waiting for a CPU, in its own blocking
	 * calls; never waiting for a lock, the queues' or any other. */
	work = (double)s->lifetime_ns - (double)s->lock_ns;
	if (s->threads && wall > 0) {
		double all = (double)s->threads * wall;

		s->busy = fmax(0, fmin(1, work / all));
		s->running = fmin(s->busy, (double)s->running_ns / all);
		s->runnable = fmin(s->busy - s->running, (double)s->runnable_ns / all);
	}
}

void fig_stages(const struct run *r, struct fig_stage st[FIG_STAGES])
{
	stage_of(r, &st[FIG_FETCH], FIG_FETCH, "loop", NULL, "blocking-stage queue not_full");
	stage_of(r, &st[FIG_BLOCKING], FIG_BLOCKING, "blocking-", "blocking-stage queue not_empty",
		 "cpu-stage queue not_full");
	stage_of(r, &st[FIG_CPU], FIG_CPU, "cpu-", "cpu-stage queue not_empty", NULL);
}

int fig_busiest_stage(const struct fig_stage st[FIG_STAGES])
{
	int best = -1;

	for (int k = 0; k < FIG_STAGES; k++)
		if (st[k].threads && (best < 0 || st[k].busy > st[best].busy))
			best = k;
	return best;
}

double fig_workers_idle(const struct run *r)
{
	struct state_sum w = state_sum_of(r, "worker-");
	struct syscall_sum calls = syscall_sum_of(r, "worker-", "futex");
	struct futex_by_name ne = futex_named(r, "not_empty");

	if (!w.lifetime_ns || !r->demo || !r->demo->nlocks)
		return -1;
	return fig_part_of_blocked((double)w.ns[ST_LOCK], (double)ne.ns, (double)calls.total_ns) /
	       (double)w.lifetime_ns;
}

double fig_p99_over_service(const struct run *r)
{
	double svc = demo_param(r->demo, "service_us", 0) * 1e3;
	double p99 = demo_num(r, "latency.p99", 0);

	return svc > 0 && p99 > 0 ? p99 / svc : 0;
}

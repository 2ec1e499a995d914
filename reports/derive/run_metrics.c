// SPDX-License-Identifier: GPL-2.0
/* The figures of a loaded run set, derived once (run_metrics.h). */
#include "run_metrics.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "thread_labels.h"
#include "thread_roles.h"
#include "wakes.h"

double median(const double *v, size_t n)
{
	double *c, m;
	size_t i, j;

	if (!n)
		return 0;
	c = calloc(n, sizeof(*c));
	if (!c) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	memcpy(c, v, n * sizeof(*c));
	for (i = 1; i < n; i++) /* insertion sort: a handful of repeats */
		for (j = i; j > 0 && c[j - 1] > c[j]; j--) {
			double t = c[j];

			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

uint64_t thread_stolen_ns(const struct sched_thread *t)
{
	if (!t->has_clock || t->clock_bpf_ns <= t->clock_sched_ns)
		return 0;
	return t->clock_bpf_ns - t->clock_sched_ns;
}

static void run_metrics(struct run *r)
{
	const struct sched_acct *s = &r->sched;
	uint64_t st[ST_COUNT] = {0}, life = 0, nv = 0, niv = 0, mig = 0, rqmax = 0, stolen = 0;
	struct fig_section sec;
	size_t i;
	int k;

	for (i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];

		for (k = 0; k < ST_COUNT; k++)
			st[k] += t->state_ns[k];
		life += t->lifetime_ns;
		stolen += thread_stolen_ns(t);
		nv += t->nvcsw;
		niv += t->nivcsw;
		mig += t->migrations;
	}
	for (i = 0; i < s->nprocs; i++) {
		if (s->procs[i].runq_max_ns > rqmax)
			rqmax = s->procs[i].runq_max_ns;
		/* Histograms of one collector share one bucket layout; if they
		 * did not, the merged percentiles would be wrong, so stop. */
		if (hist_merge(&r->runq, &s->procs[i].runq_hist))
			break;
	}
	r->m[M_WALL_S] = r->demo ? r->demo->wall_s : (double)(s->end_ns - s->start_ns) / 1e9;
	/* CPU time the threads really got: a stolen vCPU still looks "running" */
	r->m[M_STOLEN_S] = (double)stolen / 1e9;
	r->m[M_CPU_S] = (double)(st[ST_RUNNING] - (stolen < st[ST_RUNNING] ? stolen : 0)) / 1e9;
	/* Over the wall the demo measured, when the timeline says what ran in
	 * it: an interpreter's start-up (CPython's imports) and the tracer's
	 * gate are not the variant's work (the stolen share pro rata). */
	sec = fig_section_of_run(r);
	if (sec.measured && st[ST_RUNNING] > 0)
		r->m[M_CPU_S] =
		    sec.cpu_ns * (1 - fmin(1, (double)stolen / (double)st[ST_RUNNING])) / 1e9;
	r->m[M_PARALLELISM] = r->m[M_WALL_S] > 0 ? r->m[M_CPU_S] / r->m[M_WALL_S] : 0;
	r->m[M_NVCSW] = (double)nv;
	r->m[M_NIVCSW] = (double)niv;
	r->m[M_MIGRATIONS] = (double)mig;
	/* One quantile for one process or several merged: the collector's own
	 * (lib/hist.c), so the p50 of a single process is sched.json's p50_ns
	 * but for its rounding down to whole ns. */
	r->m[M_RUNQ_P50_NS] = hist_quantile_max(&r->runq, 0.50, (double)rqmax);
	r->m[M_RUNQ_P99_NS] = hist_quantile_max(&r->runq, 0.99, (double)rqmax);
	r->m[M_RUNQ_MAX_NS] = (double)rqmax;
	for (k = 0; k < ST_COUNT; k++)
		r->m[M_STATE0_S + k] = (double)st[k] / 1e9;
	r->m[M_LIFETIME_S] = (double)life / 1e9;
}

/* A variant's metrics over its repeats, and its representative run. */
static void variant_stats(struct run_set *rs)
{
	size_t i, j;

	for (j = 0; j < rs->nvariants; j++) {
		struct variant *v = &rs->variants[j];
		double *vals = calloc(v->nruns, sizeof(*vals));
		int m;

		if (!vals) {
			fprintf(stderr, "report: calloc: out of memory\n");
			abort();
		}

		for (m = 0; m < M_COUNT; m++) {
			v->m[m].min = v->m[m].max = v->runs[0]->m[m];
			for (i = 0; i < v->nruns; i++) {
				vals[i] = v->runs[i]->m[m];
				if (vals[i] < v->m[m].min)
					v->m[m].min = vals[i];
				if (vals[i] > v->m[m].max)
					v->m[m].max = vals[i];
			}
			v->m[m].med = median(vals, v->nruns);
		}
		/* The representative run: the one whose wall time is nearest the median. */
		v->rep = v->runs[0];
		for (i = 1; i < v->nruns; i++) {
			double d = v->runs[i]->m[M_WALL_S] - v->m[M_WALL_S].med;
			double b = v->rep->m[M_WALL_S] - v->m[M_WALL_S].med;

			if ((d < 0 ? -d : d) < (b < 0 ? -b : b))
				v->rep = v->runs[i];
		}
		free(vals);
	}
}

void run_set_derive(struct run_set *rs)
{
	char note[PATH_MAX * 3];
	size_t i;

	for (i = 0; i < rs->nruns; i++) {
		run_metrics(&rs->runs[i]);
		/* The critical path of the demo's measured section; a broken
		 * timeline is named where its picture is drawn, and the
		 * collector's path then stays. */
		window_path(&rs->runs[i], note, sizeof(note));
		thread_roles_infer(&rs->runs[i]);
		thread_labels_make(&rs->runs[i]);
	}
	variant_stats(rs);
}

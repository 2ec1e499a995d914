// SPDX-License-Identifier: GPL-2.0
#include "figures.h"
#include "sums.h"

#include "cpython.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roles.h"
#include "timeline_window.h"

/* ---- the bound ---------------------------------------------------------- */

/* CPUs in a list such as "0-3,6"; 0 when it does not parse. */
static int cpu_list_count(const char *s)
{
	int n = 0, a, b, used;

	while (*s) {
		if (sscanf(s, "%d%n", &a, &used) != 1)
			return 0;
		s += used;
		b = a;
		if (*s == '-') {
			if (sscanf(s + 1, "%d%n", &b, &used) != 1)
				return 0;
			s += 1 + used;
		}
		n += b >= a ? b - a + 1 : 0;
		if (*s == ',')
			s++;
		else if (*s)
			return 0;
	}
	return n;
}

int fig_cpus(const struct run_set *rs)
{
	int demo = 0, pinned;

	for (size_t i = 0; i < rs->nruns; i++) {
		const struct demo_result *d = rs->runs[i].demo;

		if (d && d->cpus > 0 && (!demo || d->cpus < demo))
			demo = d->cpus;
	}
	if (demo)
		return demo;
	pinned = rs->pinned_cpus[0] ? cpu_list_count(rs->pinned_cpus) : 0;
	return pinned > 0 && pinned < rs->cpus ? pinned : rs->cpus;
}

static size_t task_threads(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; r->demo && i < r->demo->nthreads; i++)
		n += r->demo->threads[i].pid == r->demo->pid && r->demo->threads[i].tasks > 0;
	return n;
}

static size_t threads_of_role(const struct run *r, const char *prefix)
{
	char role[ROLE_LEN];
	size_t i, n = 0;

	for (i = 0; i < r->sched.nthreads; i++)
		n += !strncmp(role_of(role, sizeof(role), r->sched.threads[i].comm), prefix,
			      strlen(prefix));
	return n;
}

double fig_workers(const struct run *r)
{
	double w = demo_param(r->demo, "workers", -1);
	size_t n;

	if (w == 0)
		return 1; /* workers 0: the work runs on the main thread */
	if (w > 0)
		return w;
	n = task_threads(r);
	if (n)
		return (double)n;
	n = threads_of_role(r, "worker");
	return n ? (double)n : (double)(r->sched.nthreads ? r->sched.nthreads : 1);
}

double fig_bound(const struct run_set *rs, const struct run *r)
{
	return fmin(fig_workers(r), (double)fig_cpus(rs));
}

/* ---- the variants a figure compares -------------------------------------- */

#define PY_PREFIX "py-"

const struct variant *fig_variant(const struct run_set *rs, const char *name)
{
	char py[80];
	size_t i;
	bool python = rs->nvariants > 0;

	for (i = 0; i < rs->nvariants; i++)
		python &= !strncmp(rs->variants[i].name, PY_PREFIX, strlen(PY_PREFIX));
	if (python && strncmp(name, PY_PREFIX, strlen(PY_PREFIX))) {
		snprintf(py, sizeof(py), "%s%s", PY_PREFIX, name);
		return run_set_variant(rs, py);
	}
	return run_set_variant(rs, name);
}

double fig_speedup(const struct variant *base, const struct variant *v)
{
	if (!base || !v || base->m[M_WALL_S].med <= 0 || v->m[M_WALL_S].med <= 0)
		return 0;
	return base->m[M_WALL_S].med / v->m[M_WALL_S].med;
}

struct fig_rounds fig_rounds_of(const struct run *r)
{
	struct fig_rounds f = {0};
	double workers = demo_param(r->demo, "workers", 0), tasks = demo_param(r->demo, "tasks", 0);
	double cpu = demo_param(r->demo, "cpu_us", 0) / 1e6;

	f.wait_s = demo_param(r->demo, "wait_s", 0);
	if (workers < 1 || tasks < 1)
		return f;
	f.rounds = ceil(tasks / workers);
	f.per_round = fmin(workers, tasks);
	f.limit_s = f.rounds * (f.wait_s + cpu);
	return f;
}

/* ---- the demo's measured section ---------------------------------------- */

static bool is_task_thread(const struct run *r, int tid)
{
	for (size_t i = 0; r->demo && i < r->demo->nthreads; i++)
		if (r->demo->threads[i].tid == tid)
			return r->demo->threads[i].pid == r->demo->pid &&
			       r->demo->threads[i].tasks > 0;
	return false;
}

struct fig_section fig_section_of(const struct variant *v)
{
	return fig_section_of_run(v->rep);
}

struct fig_section fig_section_of_run(const struct run *r)
{
	struct fig_section s = {0};
	struct tid_states *win = NULL;
	size_t nwin = 0, i;
	char err[256];

	if (r->demo && r->demo->end_ns > r->demo->start_ns &&
	    !timeline_window_states(r, r->demo->start_ns, r->demo->end_ns, &win, &nwin, err,
				    sizeof(err))) {
		s.measured = true;
		s.span_ns = (double)(r->demo->end_ns - r->demo->start_ns);
		for (i = 0; i < nwin; i++) {
			s.cpu_ns += win[i].ns[ST_RUNNING];
			if (!is_task_thread(r, win[i].tid))
				continue;
			s.task_threads++;
			for (int k = 0; k < ST_COUNT; k++)
				s.task_ns[k] += win[i].ns[k];
		}
		free(win);
		return s;
	}
	free(win);
	s.span_ns = r->m[M_WALL_S] * 1e9;
	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];

		s.cpu_ns += (double)t->state_ns[ST_RUNNING];
		if (!is_task_thread(r, t->tid))
			continue;
		s.task_threads++;
		for (int k = 0; k < ST_COUNT; k++)
			s.task_ns[k] += (double)t->state_ns[k];
	}
	return s;
}

double fig_section_cpus(const struct fig_section *s)
{
	return s->span_ns > 0 ? s->cpu_ns / s->span_ns : 0;
}

/* ---- durations ---------------------------------------------------------- */

static const char *dur(char *buf, size_t len, double ns, const char *us)
{
	double a = fabs(ns);

	if (a >= 1e9)
		snprintf(buf, len, "%.2f s", ns / 1e9);
	else if (a >= 1e6)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else if (a >= 1e3)
		snprintf(buf, len, "%.1f %s", ns / 1e3, us);
	else
		snprintf(buf, len, "%.0f ns", ns);
	return buf;
}

const char *fig_dur(char *buf, size_t len, double ns)
{
	return dur(buf, len, ns, "µs");
}

const char *fig_dur_ascii(char *buf, size_t len, double ns)
{
	return dur(buf, len, ns, "us");
}

const char *fig_times(char *buf, size_t len, double x)
{
	snprintf(buf, len, "%.*f×", x >= 100 ? 0 : 1, x);
	return buf;
}

/* ---- locks -------------------------------------------------------------- */

static int by_total_desc(const void *a, const void *b)
{
	const struct fig_lock *x = a, *y = b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

struct fig_lock *fig_locks(const struct run *r, size_t *n)
{
	struct fig_lock *l = calloc(r->sched.nfutex ? r->sched.nfutex : 1, sizeof(*l));
	size_t i, k;

	if (!l) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	*n = 0;
	for (i = 0; i < r->sched.nfutex; i++) {
		const struct futex_acct *f = &r->sched.futex[i];
		const char *name = futex_word_name(r, f);

		for (k = 0; name && k < *n; k++)
			if (l[k].pid == f->pid && !strcmp(l[k].name, name))
				break;
		if (!name || k == *n) {
			k = (*n)++;
			snprintf(l[k].name, sizeof(l[k].name), "%s", name ? name : "");
			snprintf(l[k].addr, sizeof(l[k].addr), "%s", f->addr);
			l[k].pid = f->pid;
		}
		l[k].words++;
		l[k].waits += f->count;
		l[k].total_ns += f->total_ns;
		if (f->max_ns > l[k].max_ns)
			l[k].max_ns = f->max_ns;
	}
	qsort(l, *n, sizeof(*l), by_total_desc);
	return l;
}

double fig_part_of_blocked(double blocked_ns, double part_call_ns, double all_call_ns)
{
	if (blocked_ns <= 0 || part_call_ns <= 0)
		return 0;
	if (all_call_ns <= 0) /* no syscall table: a word's time is its blocked waits */
		return fmin(blocked_ns, part_call_ns);
	return blocked_ns * fmin(1.0, part_call_ns / all_call_ns);
}

/* ---- per-demo curves ---------------------------------------------------- */

/* The demo's own limit_s, else the waits' rounds (fig_rounds_of). */
static double limit_of(const struct run *r)
{
	const json_t *x = r->demo ? json_object_get(r->demo->root, "limit_s") : NULL;

	if (json_is_number(x) && json_number_value(x) > 0)
		return json_number_value(x);
	return fig_rounds_of(r).limit_s;
}

static int by_workers(const void *a, const void *b)
{
	const struct fig_scale_point *x = a, *y = b;

	return x->workers < y->workers ? -1 : x->workers > y->workers;
}

size_t fig_scaling(const struct run_set *rs, bool python, struct fig_scale_point *pts, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nvariants && n < max; i++) {
		const struct variant *v = &rs->variants[i];
		double w = demo_param(v->rep->demo, "workers", 0);

		if ((strncmp(v->name, "py-", 3) == 0) != python)
			continue;
		if (w < 1 || v->m[M_WALL_S].med <= 0)
			continue;
		memset(&pts[n], 0, sizeof(pts[n]));
		pts[n].v = v;
		pts[n].workers = w;
		pts[n].wall = v->m[M_WALL_S].med;
		pts[n].limit = limit_of(v->rep);
		n++;
	}
	qsort(pts, n, sizeof(*pts), by_workers);
	if (n < 2 || pts[0].limit <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		pts[i].speedup = pts[0].wall / pts[i].wall;
		pts[i].limit_speedup = pts[i].limit > 0 ? pts[0].limit / pts[i].limit : 0;
		pts[i].efficiency = pts[i].limit > 0 ? pts[i].limit / pts[i].wall : 0;
	}
	return n;
}

size_t fig_samples(const struct run *r, const char *field, double *t, double *v, size_t max)
{
	const json_t *s = r->demo ? json_object_get(r->demo->root, "samples") : NULL;
	size_t i, n = 0;

	for (i = 0; json_is_array(s) && i < json_array_size(s) && n < max; i++) {
		const json_t *e = json_array_get(s, i);
		const json_t *x = json_object_get(e, "t_ns"), *y = json_object_get(e, field);

		if (!json_is_number(x) || !json_is_number(y))
			continue;
		t[n] = json_number_value(x) / 1e9;
		v[n] = json_number_value(y);
		n++;
	}
	return n;
}

struct fig_rss fig_rss_of(const struct run *r)
{
	const json_t *s = r->demo ? json_object_get(r->demo->root, "samples") : NULL;
	struct fig_rss m = {.start_kib = -1, .end_kib = -1, .growth_kib = -1};
	size_t i;

	for (i = 0; json_is_array(s) && i < json_array_size(s); i++) {
		const json_t *y = json_object_get(json_array_get(s, i), "rss_kib");

		if (!json_is_number(y))
			continue;
		if (m.start_kib < 0)
			m.start_kib = json_number_value(y);
		m.end_kib = json_number_value(y);
		m.sampled = true;
	}
	if (!m.sampled) {
		m.start_kib = demo_num(r, "rss.start_kib", -1);
		m.end_kib = demo_num(r, "rss.end_kib", -1);
	}
	if (m.start_kib >= 0 && m.end_kib >= 0)
		m.growth_kib = m.end_kib - m.start_kib;
	else
		m.growth_kib = demo_num(r, "rss.growth_kib", -1);
	return m;
}

double fig_capacity(const struct run *r)
{
	const json_t *q = r->demo ? json_object_get(r->demo->root, "queue") : NULL;
	const json_t *c = json_object_get(q, "capacity");

	if (json_is_number(c))
		return json_number_value(c);
	return demo_param(r->demo, "capacity", -1);
}

const char *futex_word_name(const struct run *r, const struct futex_acct *f)
{
	const char *name = demo_lock_name(r->demo, f->pid, f->addr);

	return name ? name : cpython_gil_name(f).name;
}

double fig_gil_handoffs(const struct run *r)
{
	double handoffs = demo_num(r, "gil.handoffs", -1);

	if (handoffs < 0) {
		handoffs = 0;
		for (size_t i = 0; r->demo && i < r->demo->nthreads; i++)
			handoffs += (double)r->demo->threads[i].lock_acquires;
	}
	return handoffs;
}

double fig_gil_handoff_rate(const struct run *r)
{
	double handoffs = fig_gil_handoffs(r), wall = r->m[M_WALL_S];

	return handoffs > 0 && wall > 0 ? handoffs / wall : 0;
}

double fig_switch_interval_ns(const struct run *r)
{
	double v = demo_num(r, "gil.switch_interval_ns", 0);

	if (v <= 0)
		v = demo_param(r->demo, "switch_interval_ms", 0) * 1e6;
	return v;
}

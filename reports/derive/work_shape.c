// SPDX-License-Identifier: GPL-2.0
/* The work's shape (work_shape.h): figures any run has, for the generic
 * rules that name a program's concurrency faults from the evidence alone. */
#include <stdio.h>
#include <string.h>

#include "sched_host.h"
#include "sched_wakes.h"
#include "work_shape.h"

bool is_poll_call(const char *syscall)
{
	static const char *const calls[] = {"epoll_wait", "epoll_pwait", "epoll_pwait2", "poll",
					    "ppoll",	  "select",	 "pselect6"};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(syscall, calls[i]))
			return true;
	return false;
}

/* The calls are few per thread: a small table, summed edge by edge. */
#define CALLS_MAX 16
struct call_sum {
	char name[32];
	uint64_t waits, ns;
};

bool loop_blocking_of(const struct run *r, const struct sched_thread *t, struct loop_blocking *out)
{
	struct call_sum calls[CALLS_MAX];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < r->sched.nwakes; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];
		size_t j;

		if (e->wakee_tid != t->tid || !e->syscall[0])
			continue;
		/* A child process's exit ending a wait4: the loop waited for work
		 * it started, which the join sentence tells (make -j reaps its
		 * compilers so), not a loop kept from its events. */
		if ((!strcmp(e->syscall, "wait4") || !strcmp(e->syscall, "waitid")) &&
		    e->kind == WK_THREAD && e->waker_pid != e->wakee_pid)
			continue;
		if (is_poll_call(e->syscall)) {
			out->poll_waits += e->count;
			out->poll_ns += e->blocked_ns;
			snprintf(out->poll_call, sizeof(out->poll_call), "%s", e->syscall);
			continue;
		}
		out->other_waits += e->count;
		out->other_ns += e->blocked_ns;
		for (j = 0; j < n && strcmp(calls[j].name, e->syscall); j++)
			;
		if (j == n && n < CALLS_MAX) {
			memset(&calls[n], 0, sizeof(calls[n]));
			snprintf(calls[n].name, sizeof(calls[n].name), "%s", e->syscall);
			n++;
		}
		if (j < n) {
			calls[j].waits += e->count;
			calls[j].ns += e->blocked_ns;
		}
	}
	for (size_t j = 0; j < n; j++)
		if (calls[j].ns > out->top_ns) {
			memcpy(out->top_call, calls[j].name, sizeof(out->top_call));
			out->top_waits = calls[j].waits;
			out->top_ns = calls[j].ns;
		}
	for (size_t j = 0; j < t->nsyscalls; j++)
		if (is_poll_call(t->syscalls[j].name) && t->syscalls[j].count) {
			out->poll_calls += t->syscalls[j].count;
			if (!out->poll_call[0])
				snprintf(out->poll_call, sizeof(out->poll_call), "%s",
					 t->syscalls[j].name);
		}
	return out->poll_waits > 0 || out->poll_calls > 0;
}

int run_cpus(const struct run *r)
{
	if (r->sched.host && r->sched.host->ncpus > 0)
		return r->sched.host->ncpus;
	return r->sched.cpus;
}

struct lone_worker lone_worker_of(const struct run *r)
{
	const struct sched_acct *s = &r->sched;
	struct lone_worker w = {.cpus = run_cpus(r)};
	uint64_t first = 0, last = 0;

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];

		if (!first || t->first_ns < first)
			first = t->first_ns;
		if (t->last_ns > last)
			last = t->last_ns;
		w.all_run_ns += t->state_ns[ST_RUNNING];
		if (!w.t || t->state_ns[ST_RUNNING] > w.run_ns) {
			w.t = t;
			w.run_ns = t->state_ns[ST_RUNNING];
		}
	}
	w.wall_ns = last > first ? last - first : 0;
	if (w.t) {
		w.demand_ns = w.run_ns + w.t->state_ns[ST_RUNNABLE];
		w.others = s->nthreads - 1;
	}
	return w;
}

struct memory_growth memory_growth_of(const struct run *r)
{
	const struct sched_acct *s = &r->sched;
	struct memory_growth g = {0};

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];

		/* a process's main thread often only waits for the others to end */
		if (t->tid != t->pid && (!g.last || t->last_ns > g.last->last_ns))
			g.last = t;
		if (!t->has_faults)
			continue;
		g.all_bytes += t->minflt * FAULT_PAGE_BYTES;
		if (!g.t || t->minflt > g.faults) {
			g.t = t;
			g.faults = t->minflt;
		}
	}
	g.bytes = g.faults * FAULT_PAGE_BYTES;
	if (g.t && g.last && g.last->last_ns > g.t->last_ns)
		g.ended_before_ns = g.last->last_ns - g.t->last_ns;
	return g;
}

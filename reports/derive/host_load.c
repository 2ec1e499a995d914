// SPDX-License-Identifier: GPL-2.0
/* The host's load and the tracer's cost (host_load.h). */
#include "host_load.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "sched_host.h"

enum host_verdict host_verdict(double other_ns, double capacity_ns, double waited_ns,
			       double demand_ns)
{
	bool waited = demand_ns > 0 && waited_ns >= HOST_WAIT_MIN_NS &&
		      waited_ns >= HOST_WAIT_SHARE * demand_ns;
	bool took = capacity_ns > 0 && other_ns >= HOST_CPU_MIN_NS &&
		    other_ns >= HOST_CPU_SHARE * capacity_ns;

	return waited || took ? HOST_BUSY : HOST_QUIET;
}

/* Other work summed by process name, the largest HOST_TOP names kept. */
static void add_taker(struct host_taker *all, size_t *n, size_t max, const struct host_proc *p)
{
	size_t k;

	for (k = 0; k < *n && strcmp(all[k].comm, p->comm); k++)
		;
	if (k == *n) {
		if (*n == max)
			return;
		snprintf(all[k].comm, sizeof(all[k].comm), "%s", p->comm);
		(*n)++;
	}
	all[k].procs += p->nproc;
	all[k].cpu_ns += (double)p->cpu_ns;
}

static void top_takers(struct host_load *h, const struct sched_host *sh)
{
	struct host_taker all[64];
	size_t n = 0, i, k;

	memset(all, 0, sizeof(all));
	for (i = 0; i < sh->nprocs; i++)
		add_taker(all, &n, sizeof(all) / sizeof(all[0]), &sh->procs[i]);
	h->nnames = n;
	for (k = 0; k < HOST_TOP && k < n; k++) {
		size_t best = k;

		for (i = k + 1; i < n; i++)
			if (all[i].cpu_ns > all[best].cpu_ns)
				best = i;
		struct host_taker t = all[k];

		all[k] = all[best];
		all[best] = t;
		h->top[h->ntop++] = all[k];
	}
}

struct host_load host_load_of(const struct run *r)
{
	const struct sched_host *sh = r->sched.host;
	struct host_load h = {.verdict = HOST_UNMEASURED};
	double runnable = 0;
	size_t i;

	if (!sh)
		return h;
	h.ncpus = sh->ncpus;
	h.span_ns = (double)(sh->to_ns - sh->from_ns);
	h.capacity_ns = h.span_ns * sh->ncpus;
	h.other_ns = (double)(sh->other_ns + sh->lost_ns);
	h.lost_ns = (double)sh->lost_ns;
	h.cpu_share = h.capacity_ns > 0 ? h.other_ns / h.capacity_ns : 0;
	for (i = 0; i < r->sched.nthreads; i++) {
		runnable += (double)r->sched.threads[i].state_ns[ST_RUNNABLE];
		h.demand_ns += (double)(r->sched.threads[i].state_ns[ST_RUNNING] +
					r->sched.threads[i].state_ns[ST_RUNNABLE]);
	}
	/* A wait that began before the command's window counts from its start
	 * there: never more than the threads' runnable time in it. */
	h.waited_ns = fmin((double)sh->run_waited_ns, runnable);
	h.runnable_ns = runnable;
	h.wait_share = h.demand_ns > 0 ? h.waited_ns / h.demand_ns : 0;
	top_takers(&h, sh);
	h.verdict = host_verdict(h.other_ns, h.capacity_ns, h.waited_ns, h.demand_ns);
	return h;
}

void host_takers(const struct host_load *h, size_t max, char *buf, size_t len)
{
	size_t k, n = 0, say = max < h->ntop ? max : h->ntop;
	char d[32];

	buf[0] = 0;
	for (k = 0; k < say && n < len; k++) {
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s", k ? ", " : "", h->top[k].comm,
				      fig_dur(d, sizeof(d), h->top[k].cpu_ns));
		if (h->top[k].procs > 1 && n < len)
			n +=
			    (size_t)snprintf(buf + n, len - n, " (%zu processes)", h->top[k].procs);
	}
	if (h->nnames > say && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", and others");
	if (h->lost_ns > 0 && n < len)
		snprintf(buf + n, len - n,
			 "; %s of it in processes past the collector's table, unnamed",
			 fig_dur(d, sizeof(d), h->lost_ns));
}

enum host_verdict host_load_set(const struct run_set *rs, const struct variant **worst)
{
	enum host_verdict v = HOST_UNMEASURED;
	double share = -1;
	size_t i;

	*worst = NULL;
	for (i = 0; i < rs->nvariants; i++) {
		struct host_load h = host_load_of(rs->variants[i].rep);

		if (h.verdict < v)
			continue;
		if (h.verdict > v) {
			v = h.verdict;
			share = -1;
		}
		if (h.wait_share + h.cpu_share > share) {
			share = h.wait_share + h.cpu_share;
			*worst = &rs->variants[i];
		}
	}
	return v;
}

struct tracer_cost tracer_cost_of(const struct run *r)
{
	const struct sched_host *sh = r->sched.host;
	struct tracer_cost c = {0};
	double wakeups = 0, syscalls = 0;
	size_t i;

	if (!sh)
		return c;
	c.measured = true;
	c.stats = sh->stats;
	c.why_not = sh->stats_why;
	c.procs_ns = (double)sh->tracer_ns;
	c.span_ns = (double)(sh->to_ns - sh->from_ns);
	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];

		c.run_cpu_ns += (double)t->state_ns[ST_RUNNING];
		c.switches += (double)(t->nvcsw + t->nivcsw);
		wakeups += (double)t->wakeups;
		for (size_t k = 0; k < t->nsyscalls; k++)
			syscalls += (double)t->syscalls[k].count;
	}
	if (!c.stats)
		return c;
	c.runs = (double)sh->prog_runs;
	c.run_ns = (double)sh->prog_run_ns;
	c.events_per_s = c.span_ns > 0 ? c.runs * 1e9 / c.span_ns : 0;
	c.ns_per_event = c.runs > 0 ? c.run_ns / c.runs : 0;
	c.cpu_share = c.run_cpu_ns > 0 ? c.run_ns / c.run_cpu_ns : 0;
	if (c.switches > 0)
		c.ns_per_switch = sh->switch_ns +
				  wakeups / c.switches * (sh->waking_ns + sh->wakeup_ns) +
				  syscalls / c.switches * (sh->sys_enter_ns + sh->sys_exit_ns);
	c.own_ns = c.ns_per_switch * c.switches;
	c.own_share = c.run_cpu_ns > 0 ? c.own_ns / c.run_cpu_ns : 0;
	return c;
}

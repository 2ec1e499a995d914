// SPDX-License-Identifier: GPL-2.0
/* sched.json's "other_work" and "tracer" (docs/formats.md). */
#include "sched_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int u64_of(const json_t *o, const char *key, const char *where, uint64_t *v, char *why,
		  size_t len)
{
	const json_t *e = json_object_get(o, key);

	if (!json_is_integer(e) || json_integer_value(e) < 0) {
		snprintf(why, len, "%s.%s: missing or not a count", where, key);
		return -1;
	}
	*v = (uint64_t)json_integer_value(e);
	return 0;
}

static int procs_of(const json_t *o, const char *where, struct host_proc **out, size_t *n,
		    char *why, size_t len)
{
	const json_t *arr = json_object_get(o, "processes"), *e;
	size_t i;

	if (!json_is_array(arr)) {
		snprintf(why, len, "%s.processes: missing or not a list", where);
		return -1;
	}
	*n = json_array_size(arr);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	json_array_foreach(arr, i, e)
	{
		struct host_proc *p = &(*out)[i];
		const char *comm = json_string_value(json_object_get(e, "comm"));
		uint64_t pid;

		if (!comm || u64_of(e, "pid", where, &pid, why, len) ||
		    u64_of(e, "cpu_ns", where, &p->cpu_ns, why, len)) {
			if (!comm)
				snprintf(why, len, "%s.processes[%zu].comm: missing", where, i);
			return -1;
		}
		p->pid = (int)pid;
		/* Files before rows were folded by name name one process each. */
		p->nproc = 1;
		if (json_object_get(e, "processes")) {
			uint64_t nproc;

			if (u64_of(e, "processes", where, &nproc, why, len))
				return -1;
			p->nproc = (size_t)nproc;
		}
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
		p->kthread = json_is_true(json_object_get(e, "kthread"));
	}
	return 0;
}

static int load_other(struct sched_host *h, const json_t *o, char *why, size_t len)
{
	const json_t *more = json_object_get(o, "more");
	uint64_t more_procs = 0;

	h->ncpus = (int)json_array_size(json_object_get(o, "cpus"));
	if (!h->ncpus) {
		snprintf(why, len, "other_work.cpus: missing or empty");
		return -1;
	}
	if (u64_of(o, "from_ns", "other_work", &h->from_ns, why, len) ||
	    u64_of(o, "to_ns", "other_work", &h->to_ns, why, len) ||
	    u64_of(o, "cpu_ns", "other_work", &h->other_ns, why, len) ||
	    u64_of(o, "run_waited_ns", "other_work", &h->run_waited_ns, why, len) ||
	    u64_of(o, "lost_ns", "other_work", &h->lost_ns, why, len) ||
	    u64_of(o, "unseen_switches", "other_work", &h->unseen, why, len) ||
	    u64_of(more, "cpu_ns", "other_work.more", &h->more_ns, why, len) ||
	    u64_of(more, "processes", "other_work.more", &more_procs, why, len) ||
	    procs_of(o, "other_work", &h->procs, &h->nprocs, why, len))
		return -1;
	h->more_procs = (size_t)more_procs;
	if (h->to_ns < h->from_ns) {
		snprintf(why, len, "other_work.to_ns is before from_ns");
		return -1;
	}
	return 0;
}

static int load_tracer(struct sched_host *h, const json_t *t, char *why, size_t len)
{
	const json_t *p = json_object_get(t, "programs");
	const char *s;

	if (u64_of(t, "cpu_ns", "tracer", &h->tracer_ns, why, len) ||
	    u64_of(t, "run_waited_ns", "tracer", &h->tracer_waited_ns, why, len) ||
	    procs_of(t, "tracer", &h->tracer_procs, &h->ntracer_procs, why, len))
		return -1;
	if (!json_is_object(p)) {
		snprintf(why, len, "tracer.programs: missing or not an object");
		return -1;
	}
	h->stats = json_is_true(json_object_get(p, "stats"));
	if (h->stats)
		return u64_of(p, "runs", "tracer.programs", &h->prog_runs, why, len) ||
		       u64_of(p, "run_ns", "tracer.programs", &h->prog_run_ns, why, len);
	s = json_string_value(json_object_get(p, "why"));
	snprintf(h->stats_why, sizeof(h->stats_why), "%s", s ? s : "the kernel did not count");
	return 0;
}

/* Mean ns per run of the program whose name starts @prefix ("sched_switch_btf"). */
static double prog_mean(const json_t *progs, const char *prefix)
{
	const json_t *e;
	size_t i, n = strlen(prefix);

	json_array_foreach(progs, i, e)
	{
		const char *name = json_string_value(json_object_get(e, "name"));
		double runs = (double)json_integer_value(json_object_get(e, "run_cnt"));
		double ns = (double)json_integer_value(json_object_get(e, "run_time_ns"));

		if (name && !strncmp(name, prefix, n) && name[n] == '_' && runs > 0)
			return ns / runs;
	}
	return 0;
}

int sched_host_load(struct sched_acct *s, const json_t *root, char *why, size_t len)
{
	const json_t *o = json_object_get(root, "other_work"), *t = json_object_get(root, "tracer");

	s->host = NULL;
	if (!o && !t)
		return 0;
	if (!json_is_object(o) || !json_is_object(t)) {
		snprintf(why, len, "\"other_work\" and \"tracer\" must come together, as objects");
		return -1;
	}
	s->host = calloc(1, sizeof(*s->host));
	if (!s->host) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (load_other(s->host, o, why, len) || load_tracer(s->host, t, why, len))
		return -1;
	if (s->host->stats) {
		const json_t *progs = json_object_get(root, "programs");

		s->host->switch_ns = prog_mean(progs, "sched_switch");
		s->host->waking_ns = prog_mean(progs, "sched_waking");
		s->host->wakeup_ns = prog_mean(progs, "sched_wakeup");
		s->host->sys_enter_ns = prog_mean(progs, "sys_enter");
		s->host->sys_exit_ns = prog_mean(progs, "sys_exit");
	}
	return 0;
}

void sched_host_free(struct sched_acct *s)
{
	if (!s->host)
		return;
	free(s->host->procs);
	free(s->host->tracer_procs);
	free(s->host);
	s->host = NULL;
}

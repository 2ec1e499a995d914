// SPDX-License-Identifier: GPL-2.0
/*
 * Other work on the run's CPUs, measured by the kernel half at every switch
 * there (docs/collector.md, "Other work"), and the tracer's own cost: the
 * CPU time of its processes and of its eBPF programs.
 */
#include "other_work.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "schedtrace.h"

/* The processes sched.json names; the rest are summed. */
#define OTHER_NAMED 20

int other_work_enable_stats(char *why, size_t len)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0)
		snprintf(why, len, "bpf_enable_stats(BPF_STATS_RUN_TIME): %s", strerror(errno));
	return fd;
}

void other_work_follow_cpus(struct other_work *ow, pid_t pid, uint8_t *skip, size_t nskip)
{
	cpu_set_t now;

	if (sched_getaffinity(pid, sizeof(now), &now))
		return; /* it has ended: the last mask read stands */
	if (CPU_EQUAL(&now, &ow->cpus))
		return;
	ow->cpus = now;
	for (size_t c = 0; c < nskip; c++)
		skip[c] = c < CPU_SETSIZE && !CPU_ISSET(c, &now);
}

void other_work_visit_cpus(const struct other_work *ow)
{
	cpu_set_t mine, one;

	if (sched_getaffinity(0, sizeof(mine), &mine))
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &ow->cpus))
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		/* Returns once this thread runs there: that CPU's holder switched out. */
		if (sched_setaffinity(0, sizeof(one), &one) && errno != EINVAL)
			fprintf(stderr, "schedtrace: sched_setaffinity(CPU %d): %s\n", c,
				strerror(errno));
	}
	if (sched_setaffinity(0, sizeof(mine), &mine))
		fprintf(stderr, "schedtrace: sched_setaffinity (restoring): %s\n", strerror(errno));
}

/* The process table, largest first. */
static int by_cpu_desc(const void *a, const void *b)
{
	const struct other_proc *x = a, *y = b;

	return x->cpu_ns < y->cpu_ns ? 1 : x->cpu_ns > y->cpu_ns ? -1 : (int)x->pid - (int)y->pid;
}

/* The process table as the map holds it now, into @procs (OTHER_PROCS rows). */
static size_t read_procs(int others_fd, struct other_proc *procs)
{
	__u32 key, next, *prev = NULL;
	struct st_other v;
	size_t n = 0;

	while (n < OTHER_PROCS && !bpf_map_get_next_key(others_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(others_fd, &key, &v))
			continue;
		struct other_proc *p = &procs[n++];

		p->pid = key;
		memcpy(p->comm, v.comm, sizeof(p->comm));
		p->comm[sizeof(p->comm) - 1] = 0;
		p->cpu_ns = v.cpu_ns;
		p->slices = v.slices;
		p->nproc = 1;
		p->tracer = v.tracer;
		p->kthread = v.kthread;
	}
	return n;
}

static struct other_proc *proc_in(struct other_proc *procs, size_t n, uint32_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/*
 * A holder still on its CPU at @at: its time to @at counted as if it
 * switched out then, in its process's row (made from /proc when its first
 * switch-out was never seen) and in the CPU's totals.
 */
static void close_holder(struct other_proc *procs, size_t *n, struct st_cpu_hold *h, uint64_t at)
{
	struct other_proc *p;
	uint64_t ns;

	if (!h->seen || !h->tid || at <= h->since)
		return;
	ns = at - h->since;
	p = proc_in(procs, *n, h->tgid);
	if (!p && *n < OTHER_PROCS) {
		char path[64];
		FILE *f;

		p = &procs[(*n)++];
		memset(p, 0, sizeof(*p));
		p->pid = h->tgid;
		p->nproc = 1;
		p->tracer = h->tgid == (uint32_t)getpid();
		snprintf(path, sizeof(path), "/proc/%u/comm", h->tgid);
		f = fopen(path, "r");
		if (!f || !fgets(p->comm, sizeof(p->comm), f))
			snprintf(p->comm, sizeof(p->comm), "pid %u", h->tgid);
		p->comm[strcspn(p->comm, "\n")] = 0;
		if (f)
			fclose(f);
	}
	if (!p) {
		h->lost_ns += ns;
		return;
	}
	p->cpu_ns += ns;
	p->slices++;
	if (p->tracer)
		h->tracer_ns += ns;
	else
		h->other_ns += ns;
}

/* The maps now, every holder closed at @at: per-CPU totals into @h, rows into @procs. */
static int read_maps(struct other_work *ow, struct st_cpu_hold *h, struct other_proc *procs,
		     size_t *n, uint64_t at)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(ow->hold_fd, &zero, h)) {
		fprintf(stderr, "schedtrace: bpf_map_lookup_elem(cpu_hold): %s\n", strerror(errno));
		return -1;
	}
	*n = read_procs(ow->others_fd, procs);
	for (int c = 0; c < ow->ncpus; c++)
		close_holder(procs, n, &h[c], at);
	return 0;
}

static int alloc_tables(struct other_work *ow)
{
	if (ow->procs)
		return 0;
	ow->ncpus = libbpf_num_possible_cpus();
	if (ow->ncpus <= 0) {
		fprintf(stderr, "schedtrace: libbpf_num_possible_cpus: %s\n", strerror(-ow->ncpus));
		return -1;
	}
	ow->procs = calloc(OTHER_PROCS, sizeof(*ow->procs));
	ow->base_procs = calloc(OTHER_PROCS, sizeof(*ow->base_procs));
	ow->base_cpu = calloc((size_t)ow->ncpus, sizeof(*ow->base_cpu));
	if (!ow->procs || !ow->base_procs || !ow->base_cpu) {
		fprintf(stderr, "schedtrace: other work: out of memory\n");
		return -1;
	}
	return 0;
}

void other_work_window(struct other_work *ow, uint64_t now_ns)
{
	if (alloc_tables(ow) ||
	    read_maps(ow, ow->base_cpu, ow->base_procs, &ow->nbase_procs, now_ns)) {
		ow->nbase_procs = 0;
		if (ow->base_cpu)
			memset(ow->base_cpu, 0, (size_t)ow->ncpus * sizeof(*ow->base_cpu));
		return;
	}
	ow->from_ns = now_ns;
}

/* @a less @b, never below 0 (a pid reused, a row the table dropped). */
static uint64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The row of @p's name (and kind) in @rows, made when missing; NULL: no room. */
static struct other_proc *row_of_name(struct other_proc **rows, size_t *n, size_t *cap,
				      const struct other_proc *p)
{
	struct other_proc *r;

	for (size_t i = 0; i < *n; i++) {
		r = &(*rows)[i];
		if (r->tracer == p->tracer && r->kthread == p->kthread && !strcmp(r->comm, p->comm))
			return r;
	}
	if (*n == *cap) {
		size_t want = *cap ? 2 * *cap : 64;
		struct other_proc *more = realloc(*rows, want * sizeof(**rows));

		if (!more)
			return NULL;
		*rows = more;
		*cap = want;
	}
	r = &(*rows)[(*n)++];
	*r = *p;
	r->cpu_ns = r->slices = 0;
	r->nproc = 0;
	return r;
}

/* Adds @p (one process or a group) to its name's row in @rows. */
static int fold_by_name(struct other_proc **rows, size_t *n, size_t *cap,
			const struct other_proc *p)
{
	struct other_proc *r = row_of_name(rows, n, cap, p);

	if (!r) {
		fprintf(stderr, "schedtrace: other work: out of memory\n");
		return -1;
	}
	r->cpu_ns += p->cpu_ns;
	r->slices += p->slices;
	r->nproc += p->nproc;
	/* A name one process had keeps its pid; a group has none. */
	r->pid = r->nproc == 1 ? p->pid : 0;
	return 0;
}

int other_work_harvest(struct other_work *ow)
{
	struct other_proc *live;
	struct st_other v;
	size_t n, i;

	if (!ow->from_ns || !ow->procs)
		return 0; /* the window has not opened: nothing is counted yet */
	live = calloc(OTHER_PROCS, sizeof(*live));
	if (!live) {
		fprintf(stderr, "schedtrace: other work: out of memory\n");
		return -1;
	}
	n = read_procs(ow->others_fd, live);
	for (i = 0; i < n; i++) {
		struct other_proc *p = &live[i];
		struct other_proc *b = proc_in(ow->base_procs, ow->nbase_procs, p->pid);

		/* A zombie still answers; it is taken once its parent reaps it. */
		if (!kill((pid_t)p->pid, 0) || errno != ESRCH)
			continue;
		/* Its last slices may have been added since read_procs: the final
		 * value, read and taken out in one step, so none is lost. */
		if (bpf_map_lookup_and_delete_elem(ow->others_fd, &p->pid, &v)) {
			if (errno != ENOENT)
				fprintf(
				    stderr,
				    "schedtrace: bpf_map_lookup_and_delete_elem(others, %u): %s\n",
				    p->pid, strerror(errno));
			continue;
		}
		p->cpu_ns = v.cpu_ns;
		p->slices = v.slices;
		if (b) {
			p->cpu_ns = minus(p->cpu_ns, b->cpu_ns);
			p->slices = minus(p->slices, b->slices);
			b->pid = 0; /* spent: a process reusing the pid starts from 0 */
		}
		if (p->cpu_ns && fold_by_name(&ow->gone, &ow->ngone, &ow->gone_cap, p))
			break;
	}
	free(live);
	return i < n ? -1 : 0;
}

/*
 * The table by name: every row of @ow->procs and of the ended processes
 * folded into one row per name, into @ow->procs (reallocated).
 */
static int fold_table(struct other_work *ow)
{
	struct other_proc *rows = NULL;
	size_t n = 0, cap = 0, i;

	for (i = 0; i < ow->nprocs; i++)
		if (ow->procs[i].cpu_ns && fold_by_name(&rows, &n, &cap, &ow->procs[i]))
			goto fail;
	for (i = 0; i < ow->ngone; i++)
		if (fold_by_name(&rows, &n, &cap, &ow->gone[i]))
			goto fail;
	free(ow->procs);
	ow->procs = rows;
	ow->nprocs = n;
	return 0;
fail:
	free(rows);
	return -1;
}

int other_work_read(struct other_work *ow, uint64_t end_ns)
{
	struct st_cpu_hold *h;
	size_t i, k = 0;

	ow->to_ns = end_ns;
	if (alloc_tables(ow))
		return -1;
	h = calloc((size_t)ow->ncpus, sizeof(*h));
	if (!h || read_maps(ow, h, ow->procs, &ow->nprocs, end_ns)) {
		free(h);
		return -1;
	}
	for (int c = 0; c < ow->ncpus; c++) {
		const struct st_cpu_hold *b = &ow->base_cpu[c];

		if (c < CPU_SETSIZE && !CPU_ISSET(c, &ow->cpus))
			continue;
		ow->other_ns += minus(h[c].other_ns, b->other_ns);
		ow->tracer_ns += minus(h[c].tracer_ns, b->tracer_ns);
		ow->lost_ns += minus(h[c].lost_ns, b->lost_ns);
		ow->run_waited_ns += minus(h[c].run_waited_ns, b->run_waited_ns);
		ow->tracer_waited_ns += minus(h[c].tracer_waited_ns, b->tracer_waited_ns);
		ow->unseen += minus(h[c].unseen, b->unseen);
	}
	free(h);
	for (i = 0; i < ow->nprocs; i++) {
		struct other_proc *p = &ow->procs[i];
		const struct other_proc *b = proc_in(ow->base_procs, ow->nbase_procs, p->pid);

		if (b) {
			p->cpu_ns = minus(p->cpu_ns, b->cpu_ns);
			p->slices = minus(p->slices, b->slices);
		}
		if (p->cpu_ns)
			ow->procs[k++] = *p;
	}
	ow->nprocs = k;
	if (fold_table(ow))
		return -1;
	qsort(ow->procs, ow->nprocs, sizeof(*ow->procs), by_cpu_desc);
	return 0;
}

static json_t *procs_json(const struct other_work *ow, bool tracer, uint64_t *rest_ns, size_t *rest)
{
	json_t *arr = json_array();
	size_t named = 0;

	*rest_ns = 0;
	*rest = 0;
	for (size_t i = 0; i < ow->nprocs; i++) {
		const struct other_proc *p = &ow->procs[i];

		if (p->tracer != tracer || !p->cpu_ns)
			continue;
		if (named++ >= OTHER_NAMED) {
			*rest_ns += p->cpu_ns;
			*rest += p->nproc;
			continue;
		}
		json_array_append_new(arr, json_pack("{s:I,s:s,s:I,s:I,s:I,s:b}", "pid",
						     (json_int_t)p->pid, "comm", p->comm,
						     "processes", (json_int_t)p->nproc, "cpu_ns",
						     (json_int_t)p->cpu_ns, "slices",
						     (json_int_t)p->slices, "kthread", p->kthread));
	}
	return arr;
}

int other_work_json(const struct other_work *ow, json_t *root)
{
	json_t *cpus = json_array(), *other, *tracer, *progs, *named, *tracer_named;
	uint64_t rest_ns, tracer_rest_ns;
	size_t rest, tracer_rest;

	named = procs_json(ow, false, &rest_ns, &rest);
	tracer_named = procs_json(ow, true, &tracer_rest_ns, &tracer_rest);

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &ow->cpus))
			json_array_append_new(cpus, json_integer(c));
	other = json_pack("{s:o,s:I,s:I,s:I,s:I,s:o,s:{s:I,s:I},s:I,s:I}", "cpus", cpus, "from_ns",
			  (json_int_t)ow->from_ns, "to_ns", (json_int_t)ow->to_ns, "cpu_ns",
			  (json_int_t)ow->other_ns, "run_waited_ns", (json_int_t)ow->run_waited_ns,
			  "processes", named, "more", "processes", (json_int_t)rest, "cpu_ns",
			  (json_int_t)rest_ns, "lost_ns", (json_int_t)ow->lost_ns,
			  "unseen_switches", (json_int_t)ow->unseen);
	if (ow->stats)
		progs = json_pack("{s:b,s:I,s:I}", "stats", 1, "runs", (json_int_t)ow->prog_runs,
				  "run_ns", (json_int_t)ow->prog_run_ns);
	else
		progs = json_pack("{s:b,s:s}", "stats", 0, "why", ow->stats_why);
	tracer =
	    json_pack("{s:I,s:I,s:o,s:I,s:o}", "cpu_ns", (json_int_t)ow->tracer_ns, "run_waited_ns",
		      (json_int_t)ow->tracer_waited_ns, "processes", tracer_named, "more_cpu_ns",
		      (json_int_t)tracer_rest_ns, "programs", progs);
	if (!other || !tracer || json_object_set_new(root, "other_work", other) ||
	    json_object_set_new(root, "tracer", tracer)) {
		fprintf(stderr, "schedtrace: sched.json: adding other_work and tracer failed\n");
		return -1;
	}
	return 0;
}

void other_work_free(struct other_work *ow)
{
	free(ow->base_cpu);
	free(ow->base_procs);
	ow->base_cpu = NULL;
	ow->base_procs = NULL;
	free(ow->procs);
	ow->procs = NULL;
	ow->nprocs = 0;
	free(ow->gone);
	ow->gone = NULL;
	ow->ngone = ow->gone_cap = 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Sums over a run's threads, futex words and syscalls (sums.h). */
#include "sums.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "json_path.h"
#include "roles.h"

/* Whether thread @t plays a role starting with @role_prefix (NULL: any). */
static bool has_role(const struct sched_thread *t, const char *role_prefix)
{
	char role[ROLE_LEN];

	role_of(role, sizeof(role), t->comm);
	return !role_prefix || !strncmp(role, role_prefix, strlen(role_prefix));
}

static void state_add(struct state_sum *ss, const struct sched_thread *t)
{
	int k;

	ss->threads++;
	for (k = 0; k < ST_COUNT; k++)
		ss->ns[k] += t->state_ns[k];
	ss->lifetime_ns += t->lifetime_ns;
}

struct state_sum state_sum_of(const struct run *r, const char *role_prefix)
{
	struct state_sum ss = {0};
	size_t i;

	for (i = 0; i < r->sched.nthreads; i++)
		if (has_role(&r->sched.threads[i], role_prefix))
			state_add(&ss, &r->sched.threads[i]);
	return ss;
}

double state_share(const struct state_sum *ss, enum st_thread_state s)
{
	return ss->lifetime_ns ? (double)ss->ns[s] / (double)ss->lifetime_ns : 0;
}

static int by_ns_desc(const void *a, const void *b)
{
	const struct futex_by_name *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

struct futex_sum futex_sum_of(const struct run *r)
{
	struct futex_sum fs = {0};
	size_t i, k, used = 0;

	for (i = 0; i < r->sched.nfutex; i++) {
		const struct futex_acct *f = &r->sched.futex[i];
		const char *name = futex_word_name(r, f);

		fs.all_count += f->count;
		fs.all_ns += f->total_ns;
		if (!name || !f->count)
			continue;
		fs.named_count += f->count;
		fs.named_ns += f->total_ns;
		for (k = 0; k < fs.nnames && strcmp(fs.by_name[k].name, name); k++)
			;
		if (k == fs.nnames) {
			if (k == FUTEX_NAMES_MAX)
				continue; /* counted in named_*, not listed */
			snprintf(fs.by_name[k].name, sizeof(fs.by_name[k].name), "%s", name);
			fs.nnames++;
		}
		fs.by_name[k].count += f->count;
		fs.by_name[k].ns += f->total_ns;
	}
	qsort(fs.by_name, fs.nnames, sizeof(fs.by_name[0]), by_ns_desc);
	for (k = 0; k < fs.nnames && used < sizeof(fs.names); k++) {
		char d[32];
		int n = snprintf(fs.names + used, sizeof(fs.names) - used, "%s%s %llu waits %s",
				 k ? ", " : "", fs.by_name[k].name,
				 (unsigned long long)fs.by_name[k].count,
				 fmt_ns(d, sizeof(d), (double)fs.by_name[k].ns));

		used += n > 0 ? (size_t)n : 0;
	}
	return fs;
}

struct futex_by_name futex_named(const struct run *r, const char *part)
{
	struct futex_by_name fb = {0};
	size_t i;

	snprintf(fb.name, sizeof(fb.name), "%s", part);
	for (i = 0; i < r->sched.nfutex; i++) {
		const struct futex_acct *f = &r->sched.futex[i];
		const char *name = futex_word_name(r, f);

		if (name && strstr(name, part)) {
			fb.count += f->count;
			fb.ns += f->total_ns;
		}
	}
	return fb;
}

struct state_sum state_sum_of_task_threads(const struct run *r)
{
	struct state_sum ss = {0};
	size_t i;

	for (i = 0; r->demo && i < r->demo->nthreads; i++) {
		const struct demo_thread *d = &r->demo->threads[i];
		const struct sched_thread *t;

		if (d->pid != r->demo->pid || !d->tasks)
			continue;
		t = sched_find_tid(&r->sched, d->tid);
		if (t)
			state_add(&ss, t);
	}
	return ss;
}

double runq_share(const struct state_sum *ss)
{
	double demand = (double)(ss->ns[ST_RUNNING] + ss->ns[ST_RUNNABLE]);

	return demand > 0 ? (double)ss->ns[ST_RUNNABLE] / demand : 0;
}

struct syscall_sum syscall_sum_of(const struct run *r, const char *role_prefix, const char *part)
{
	struct syscall_sum sum = {0};
	size_t i, j;

	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];

		if (!has_role(t, role_prefix))
			continue;
		for (j = 0; j < t->nsyscalls; j++) {
			const struct syscall_acct *sc = &t->syscalls[j];

			if (!strstr(sc->name, part))
				continue;
			sum.count += sc->count;
			sum.total_ns += sc->total_ns;
			if (sc->max_ns > sum.max_ns)
				sum.max_ns = sc->max_ns;
		}
	}
	return sum;
}

double demo_num(const struct run *r, const char *path, double dflt)
{
	return json_path_num(r->demo ? r->demo->root : NULL, path, dflt);
}

const char *fmt_ns(char *buf, size_t len, double ns)
{
	return fig_dur(buf, len, ns);
}

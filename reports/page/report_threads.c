// SPDX-License-Identifier: GPL-2.0
/* Where each thread's time went: a stacked bar per thread (per role when the
 * threads are many) and the per-thread table, for each variant's
 * representative run. */
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "report.h"
#include "process_tree.h"
#include "roles.h"
#include "thread_labels.h"

struct role_row {
	char role[ROLE_LEN];
	size_t threads;
	double s[ST_COUNT];
};

/* Sum the threads of @r by role, in order of first appearance. */
static size_t roles_of(const struct run *r, struct role_row *rows)
{
	size_t i, j, n = 0;
	int k;

	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		char role[ROLE_LEN];

		role_of(role, sizeof(role), t->comm);
		for (j = 0; j < n && strcmp(rows[j].role, role); j++)
			;
		if (j == n) {
			memset(&rows[n], 0, sizeof(rows[n]));
			memcpy(rows[n].role, role, sizeof(role));
			n++;
		}
		rows[j].threads++;
		for (k = 0; k < ST_COUNT; k++)
			rows[j].s[k] += (double)t->state_ns[k] / 1e9;
	}
	return n;
}

static void chart(struct report *rp, const struct run *r, bool by_role)
{
	size_t n = by_role ? 0 : r->sched.nthreads, i;
	struct role_row *rows = NULL;
	char **labels, name[200], title[200];
	double *v;
	int k;

	if (by_role) {
		rows = calloc(r->sched.nthreads, sizeof(*rows));
		if (!rows)
			abort();
		n = roles_of(r, rows);
	}
	labels = calloc(n, sizeof(*labels));
	v = calloc(n * ST_COUNT, sizeof(*v));
	if (!labels || !v)
		abort();
	for (i = 0; i < n; i++) {
		const struct sched_thread *t = by_role ? NULL : &r->sched.threads[i];

		labels[i] = by_role ? xasprintf("%s x%zu", rows[i].role, rows[i].threads)
				    : xasprintf("%s", thread_label_of(t));
		for (k = 0; k < ST_COUNT; k++)
			v[i * ST_COUNT + k] = by_role ? rows[i].s[k] : (double)t->state_ns[k] / 1e9;
	}
	snprintf(title, sizeof(title), "%s: time of each %s by state", r->variant,
		 by_role ? "role (threads summed)" : "thread");
	{
		struct bar_chart c = {.title = title,
				      .ylabel = "seconds",
				      .stacked = true,
				      .ngroups = n,
				      .nseries = ST_COUNT,
				      .group = (const char *const *)labels,
				      .series = state_names,
				      .color = state_colors(),
				      .v = v};

		chart_name(name, sizeof(name), "threads-", r->dir);
		report_chart(rp, &c, name, title);
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(v);
	free(rows);
}

static void role_table(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"role",    "threads", "running s", "runnable s",
					   "lock s",  "sleep s", "io s",      "disk s",
					   "other s", NULL};
	struct role_row *rows = calloc(r->sched.nthreads, sizeof(*rows));
	struct doc_block *t;
	size_t n, i;
	int k;

	if (!rows)
		abort();
	n = roles_of(r, rows);
	t = doc_table(&rp->doc, head);
	for (i = 0; i < n; i++) {
		doc_cell(t, "%s", rows[i].role);
		doc_cell(t, "%zu", rows[i].threads);
		for (k = 0; k < ST_COUNT; k++)
			doc_cell(t, "%.3f", rows[i].s[k]);
	}
	free(rows);
}

static void thread_table(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"thread",	  "tid",      "lifetime ms", "running ms",
					   "runnable ms", "lock ms",  "sleep ms",    "io ms",
					   "disk ms",	  "other ms", "vol",	     "invol",
					   "migrations",  "wakeups",  "page faults", NULL};
	struct doc_block *t = doc_table(&rp->doc, head);
	size_t i;
	int k;

	for (i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *s = &r->sched.threads[i];

		doc_cell(t, "%s%s", thread_label_of(s),
			 s->tid == s->pid && s->tid != r->sched.pid ? " (process)" : "");
		doc_cell(t, "%d", s->tid);
		doc_cell(t, "%.1f", (double)s->lifetime_ns / 1e6);
		for (k = 0; k < ST_COUNT; k++)
			doc_cell(t, "%.1f", (double)s->state_ns[k] / 1e6);
		doc_cell(t, "%llu", (unsigned long long)s->nvcsw);
		doc_cell(t, "%llu", (unsigned long long)s->nivcsw);
		doc_cell(t, "%llu", (unsigned long long)s->migrations);
		doc_cell(t, "%llu", (unsigned long long)s->wakeups);
		/* minor (+ major, when any: those waited for I/O), read off the task at its end */
		if (!s->has_faults)
			doc_cell(t, "-");
		else if (s->majflt)
			doc_cell(t, "%llu + %llu major", (unsigned long long)s->minflt,
				 (unsigned long long)s->majflt);
		else
			doc_cell(t, "%llu", (unsigned long long)s->minflt);
	}
}

/* Each process by its command, under the process that reaped it. */
static void process_table(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"process", "started by", "threads", "lifetime ms", NULL};
	size_t n, i;
	struct proc_node *p = process_tree(r, &n);
	struct doc_block *t;

	if (n < 2) {
		free(p);
		return;
	}
	doc_para(&rp->doc, "The processes, each under the one that reaped it (its wait4 or "
			   "waitid ended by the child's exit; \"not seen\": no such wait was seen, "
			   "shown under the command).");
	t = doc_table(&rp->doc, head);
	for (i = 0; i < n; i++) {
		const char *pl = thread_label_or(r, p[i].parent, "");

		doc_cell(t, "%.*s%s", 4 * p[i].depth > 80 ? 80 : 4 * p[i].depth,
			 "— — — — — — — — — — — — — — — — — — — — ", thread_label_of(p[i].first));
		if (!p[i].parent)
			doc_cell(t, "the command");
		else
			doc_cell(t, "%s%s", pl, p[i].parent_seen ? "" : " (not seen)");
		doc_cell(t, "%zu", p[i].threads);
		doc_cell(t, "%.1f", (double)p[i].first->lifetime_ns / 1e6);
	}
	free(p);
}

/* The roles the threads' behaviour showed, and how each was inferred. */
static void role_reasons(struct report *rp, const struct run *r)
{
	static const char *const head[] = {"thread", "role", "how it was inferred", NULL};
	struct doc_block *t = NULL;

	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *s = &r->sched.threads[i];

		if (!s->role[0] || !strcmp(s->role, "main") || !strcmp(s->role, "child"))
			continue;
		if (!t) {
			doc_para(&rp->doc, "Roles from behaviour (docs/report.md: how they are "
					   "found); a thread not listed showed too little to say.");
			t = doc_table(&rp->doc, head);
		}
		doc_cell(t, "%s", thread_label_of(s));
		doc_cell(t, "%s", s->role);
		doc_cell(t, "%s", s->role_why);
	}
}

void report_threads(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	size_t i;

	doc_para(&rp->doc,
		 "States (docs/architecture.md): running on a CPU; runnable, waiting in a run "
		 "queue; lock, blocked in a futex wait; sleep, in nanosleep; io, blocked on a file "
		 "descriptor; disk, uninterruptible; other, any other wait. Above %d threads the "
		 "chart groups them by role (the thread name with its digits as *). Page faults: "
		 "the thread's own count, read off it when it ended (minor: a fresh page or a "
		 "copy-on-write copy; major: waited for I/O); - when it did not end while traced.",
		 ROLES_ABOVE);
	for (i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;
		bool many = r->sched.nthreads > ROLES_ABOVE;

		doc_heading(&rp->doc, 3, "%s (run %s)", r->variant, r->dir);
		chart(rp, r, many);
		if (many) {
			role_table(rp, r);
			doc_para(&rp->doc,
				 "%zu threads, grouped by role (thread by thread: %s/sched.json).",
				 r->sched.nthreads, r->dir);
		} else {
			thread_table(rp, r);
		}
		role_reasons(rp, r);
		process_table(rp, r);
	}
}

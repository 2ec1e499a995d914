// SPDX-License-Identifier: GPL-2.0
/* Every thread of a run labelled apart (thread_labels.h). */
#include "thread_labels.h"

#include "sched_wakes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many threads of @s are called @comm. */
static size_t same_name(const struct sched_acct *s, const char *comm)
{
	size_t i, n = 0;

	for (i = 0; i < s->nthreads; i++)
		n += !strcmp(s->threads[i].comm, comm);
	return n;
}

/* The place of @t among its process's threads of the same name and role,
 * counted from 1 in tid order. */
static size_t rank_in_role(const struct sched_acct *s, const struct sched_thread *t)
{
	size_t i, k = 1;

	for (i = 0; i < s->nthreads; i++) {
		const struct sched_thread *o = &s->threads[i];

		if (o != t && o->pid == t->pid && o->tid != o->pid && o->tid < t->tid &&
		    !strcmp(o->comm, t->comm) && !strcmp(o->role, t->role))
			k++;
	}
	return k;
}

size_t thread_role_rank(const struct run *r, const struct sched_thread *t)
{
	return rank_in_role(&r->sched, t);
}

static void label_one(const struct sched_acct *s, struct sched_thread *t)
{
	if (same_name(s, t->comm) == 1)
		snprintf(t->label, sizeof(t->label), "%s", t->comm);
	else if (t->tid == s->pid)
		snprintf(t->label, sizeof(t->label), "%s main", t->comm);
	else if (t->tid == t->pid)
		snprintf(t->label, sizeof(t->label), "%s (process %d)", t->comm, t->pid);
	else if (t->role[0] && t->role_one)
		snprintf(t->label, sizeof(t->label), "%s %s (tid %d)", t->comm, t->role, t->tid);
	else if (t->role[0])
		snprintf(t->label, sizeof(t->label), "%s %s %zu (tid %d)", t->comm, t->role,
			 rank_in_role(s, t), t->tid);
	else
		snprintf(t->label, sizeof(t->label), "%s (tid %d)", t->comm, t->tid);
}

/* A tid the kernel reused within the run gives two threads the same label:
 * the later ones get " #2", " #3". */
static void keep_apart(struct sched_acct *s)
{
	size_t i, j, k;

	for (i = 0; i < s->nthreads; i++)
		for (j = i + 1, k = 2; j < s->nthreads; j++)
			if (!strcmp(s->threads[i].label, s->threads[j].label)) {
				char *l = s->threads[j].label;
				size_t n = strnlen(l, sizeof(s->threads[j].label));

				snprintf(l + n, sizeof(s->threads[j].label) - n, " #%zu", k++);
			}
}

/*
 * A role's reason names other threads as "{tid N}" (thread_roles.c: the
 * roles are found before the labels, which use them): each becomes that
 * thread's label, as every sentence names it.
 */
static void name_in_role_why(const struct run *r, struct sched_thread *t)
{
	char out[sizeof(t->role_why)];
	const char *p = t->role_why;
	size_t at = 0;

	while (*p && at + 1 < sizeof(out)) {
		int tid, used = 0;

		if (sscanf(p, "{tid %d}%n", &tid, &used) == 1 && used > 0) {
			at += (size_t)snprintf(out + at, sizeof(out) - at, "%s",
					       thread_label_or(r, tid, "a thread"));
			p += used;
			continue;
		}
		out[at++] = *p++;
	}
	out[at < sizeof(out) ? at : sizeof(out) - 1] = '\0';
	snprintf(t->role_why, sizeof(t->role_why), "%s", out);
}

void thread_labels_make(struct run *r)
{
	struct sched_acct *s = &r->sched;
	size_t i;

	for (i = 0; i < s->nthreads; i++)
		label_one(s, &s->threads[i]);
	keep_apart(s);
	for (i = 0; i < s->nthreads; i++)
		name_in_role_why(r, &s->threads[i]);
	for (i = 0; i < s->nwakes; i++) {
		struct wake_edge *e = &s->wakes[i];

		if (e->kind == WK_THREAD)
			snprintf(e->waker_label, sizeof(e->waker_label), "%s",
				 thread_label_or(r, e->waker_tid, e->waker));
		snprintf(e->wakee_label, sizeof(e->wakee_label), "%s",
			 thread_label_or(r, e->wakee_tid, e->wakee));
	}
}

const char *thread_label_of(const struct sched_thread *t)
{
	return t->label[0] ? t->label : t->comm;
}

const char *thread_label(const struct run *r, int tid)
{
	const struct sched_thread *t = sched_find_tid(&r->sched, tid);

	return t && t->label[0] ? t->label : NULL;
}

const char *thread_label_or(const struct run *r, int tid, const char *comm)
{
	const char *l = thread_label(r, tid);

	return l ? l : comm;
}

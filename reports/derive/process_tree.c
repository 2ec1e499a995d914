// SPDX-License-Identifier: GPL-2.0
/* The run's processes as a tree (process_tree.h). */
#include "process_tree.h"

#include <stdlib.h>
#include <string.h>

#include "sched_wakes.h"

/* The pid whose wait4/waitid the exit of a thread of @pid ended, or 0. */
static int reaper_of(const struct run *r, int pid)
{
	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];

		if (e->kind == WK_THREAD && e->waker_pid == pid && e->wakee_pid != pid &&
		    (!strcmp(e->syscall, "wait4") || !strcmp(e->syscall, "waitid")))
			return e->wakee_pid;
	}
	return 0;
}

/* Append @pid's children after it, depth first, children by pid. */
static void place(struct proc_node *all, size_t nall, int pid, int depth, struct proc_node *out,
		  size_t *n)
{
	for (size_t i = 0; i < nall; i++) {
		struct proc_node *p = &all[i];

		if (p->depth >= 0 || p->parent != pid)
			continue;
		p->depth = depth;
		out[(*n)++] = *p;
		place(all, nall, p->first->pid, depth + 1, out, n);
	}
}

struct proc_node *process_tree(const struct run *r, size_t *n)
{
	const struct sched_acct *s = &r->sched;
	struct proc_node *all = calloc(s->nthreads ? s->nthreads : 1, sizeof(*all)), *out;
	size_t nall = 0;
	int root = s->pid;

	*n = 0;
	if (!all)
		abort();
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];
		size_t j;

		for (j = 0; j < nall && all[j].first->pid != t->pid; j++)
			;
		if (j == nall) {
			all[nall].first = t;
			all[nall++].depth = -1;
		}
		if (t->tid == t->pid)
			all[j].first = t;
		all[j].threads++;
	}
	if (!sched_find_tid(s, root))
		root = nall ? all[0].first->pid : 0;
	for (size_t i = 0; i < nall; i++) {
		int pid = all[i].first->pid, parent = pid == root ? 0 : reaper_of(r, pid);
		bool known = false;

		for (size_t j = 0; parent && j < nall; j++)
			known |= all[j].first->pid == parent;
		all[i].parent_seen = parent && known;
		all[i].parent = pid == root ? 0 : known ? parent : root;
	}
	out = calloc(nall ? nall : 1, sizeof(*out));
	if (!out)
		abort();
	/* the root, then its tree; a cycle or a lost root leaves the rest */
	for (size_t i = 0; i < nall; i++)
		if (all[i].first->pid == root) {
			all[i].depth = 0;
			out[(*n)++] = all[i];
			place(all, nall, root, 1, out, n);
		}
	for (size_t i = 0; i < nall; i++)
		if (all[i].depth < 0) {
			all[i].depth = 1;
			out[(*n)++] = all[i];
		}
	free(all);
	return out;
}

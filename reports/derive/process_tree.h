/* SPDX-License-Identifier: GPL-2.0 */
/* The run's processes as a tree: a process's parent is the process whose
 * wait4/waitid its exit ended (sched.json "wakes": the parent reaped it).
 * A process no one was seen reaping (still running at the end, reaped
 * by init, or its reaping wait never blocked) hangs under the command's
 * first process, marked as such. */
#ifndef SCHEDLAB_PROCESS_TREE_H
#define SCHEDLAB_PROCESS_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "runset.h"

struct proc_node {
	const struct sched_thread *first; /* the process's first thread */
	int parent;			  /* its parent's pid; 0 for the root */
	bool parent_seen;		  /* the parent reaped it in a wait seen */
	int depth;			  /* 0 for the root */
	size_t threads;
};

/* The processes of @r in tree order (each after its parent, children by
 * pid), @n of them; NULL when the run has none. Free with free(). */
struct proc_node *process_tree(const struct run *r, size_t *n);

#endif

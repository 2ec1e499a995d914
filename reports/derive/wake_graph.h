/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wake graph of a run, made once from sched.json "wakes" for the "Who
 * woke whom" picture and its table: one node per thread (its label,
 * thread_labels.h), or per role when the run has many threads (the command's
 * main thread stays its own); a pool of WG_POOL_MIN threads or more
 * (thread_roles.h) is one node; one node per kind of context (the timer
 * interrupt, a softirq, another process's task). Edges are merged per
 * (waker, wakee, kind of wait); a node's waits ended by itself (threads of
 * one role waking each other) are one loop. The picture draws the edges
 * that ended WG_EDGE_MIN_SHARE of the waiting or more, at most WG_DRAWN_MAX
 * of them between at most WG_NODES_DRAWN_MAX nodes; the rest are the
 * table's.
 */
#ifndef SCHEDLAB_WAKE_GRAPH_H
#define SCHEDLAB_WAKE_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"

#define WG_EDGE_MIN_SHARE 0.01
#define WG_DRAWN_MAX 16
#define WG_NODES_DRAWN_MAX 12
#define WG_POOL_MIN 3 /* a pool of this many threads is one node */
#define WG_LABEL_LEN 96
#define WG_WHAT_LEN 256

struct wg_node {
	char label[WG_LABEL_LEN]; /* distinct among the graph's nodes */
	bool context;		  /* an interrupt, a softirq, a task outside the run */
	size_t nthreads;	  /* threads of the run it stands for (0: a context) */
};

struct wg_edge {
	size_t from, to;	   /* nodes[] */
	enum st_thread_state wait; /* the blocked state the wakeups ended */
	bool join;		   /* a wait for a thread to exit, not contention */
	char what[WG_WHAT_LEN];	   /* the kind of wait: "lock: g_lock", "io: read" */
	size_t nwhat;		   /* distinct waits merged in (words, syscalls) */
	uint64_t count, ns;	   /* waits ended, the waiting they ended */
	bool drawn;		   /* on the picture (else the table's only) */
};

struct wake_graph {
	struct wg_node *nodes;
	size_t nnodes;
	struct wg_edge *edges; /* the most waiting ended first */
	size_t nedges;
	size_t ndrawn, nodes_drawn;
	uint64_t total_ns;  /* all the waiting the edges ended */
	uint64_t folded_ns; /* of it, ended by the edges not drawn */
	bool by_role;	    /* threads grouped by role (many threads) */
};

/* Make @g from @r's wake edges. Returns 0, -1 when out of memory. */
int wake_graph_make(const struct run *r, struct wake_graph *g);
void wake_graph_free(struct wake_graph *g);

/* What a single wake edge's wait was on: "lock: g_lock in causes",
 * "join: the exit of worker-1", "address-space lock: mmap", "io: read". */
void wake_what(const struct run *r, const struct wake_edge *e, char *out, size_t len);

#endif

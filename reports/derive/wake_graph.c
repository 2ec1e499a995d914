// SPDX-License-Identifier: GPL-2.0
/* The wake graph: nodes, merged edges, and which of them the picture draws
 * (wake_graph.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roles.h"
#include "sched_wakes.h"
#include "thread_labels.h"
#include "wake_graph.h"
#include "wakes.h"

/* A node's identity while the graph is made: "t<tid>", "g<role>", "c<label>". */
struct node_key {
	char key[WG_LABEL_LEN + 2];
};

/* What an edge is merged by, and the distinct waits merged in so far. */
struct edge_acc {
	int kind;	 /* wait_kind(); -1 for a loop */
	uint64_t top_ns; /* its largest part's waiting: that part names the edge */
	char (*whats)[WG_WHAT_LEN];
	size_t nwhats, cap;
};

struct builder {
	const struct run *r;
	struct wake_graph *g;
	struct node_key *keys;
	size_t cap_nodes, cap_edges;
	struct edge_acc *acc; /* per edge */
};

/* The calls that change a process's memory map: an uninterruptible wait in
 * one is a wait for the address-space lock (mmap_lock), not for a disk. */
static bool maps_memory(const char *syscall)
{
	static const char *const calls[] = {"mmap", "munmap",  "mprotect", "mremap",
					    "brk",  "madvise", NULL};

	for (size_t i = 0; calls[i]; i++)
		if (!strcmp(syscall, calls[i]))
			return true;
	return false;
}

void wake_what(const struct run *r, const struct wake_edge *e, char *out, size_t len)
{
	char n[WG_WHAT_LEN - 16];

	if (e->futex[0] && word_join_tid(r, e->wakee_pid, e->futex))
		snprintf(out, len, "join: %s", word_name(r, e->wakee_pid, e->futex, n, sizeof(n)));
	else if (e->futex[0]) {
		word_name(r, e->wakee_pid, e->futex, n, sizeof(n));
		snprintf(out, len, "%s: %s", state_names[e->wait],
			 strncmp(n, "the lock at ", 12) ? n : "an unnamed futex word");
	} else if (e->syscall[0] && e->wait == ST_DISK && maps_memory(e->syscall))
		snprintf(out, len, "address-space lock: %s", e->syscall);
	else if (e->syscall[0])
		snprintf(out, len, "%s: %s", state_names[e->wait], e->syscall);
	else
		snprintf(out, len, "%s", state_names[e->wait]);
}

/* The kind of wait edges are merged by: joins apart from other lock waits,
 * the address-space lock apart from the disk, else the blocked state. */
static int wait_kind(const struct run *r, const struct wake_edge *e)
{
	if (e->futex[0] && word_join_tid(r, e->wakee_pid, e->futex))
		return ST_COUNT;
	if (e->syscall[0] && e->wait == ST_DISK && maps_memory(e->syscall))
		return ST_COUNT + 1;
	return (int)e->wait;
}

/* The tracer's own threads and a demo's sampler are not the lesson: off
 * the picture (the table keeps them). */
static bool tracer_node(const char *label)
{
	static const char *const names[] = {"schedtrace", "perf", "sampler", NULL};

	for (size_t i = 0; names[i]; i++)
		if (!strncmp(label, names[i], strlen(names[i])))
			return true;
	return false;
}

static void *grow(void *p, size_t *cap, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *q = realloc(p, c * size);

	if (q)
		*cap = c;
	return q;
}

/* The node of key @key, added with @label when new; (size_t)-1 when out of memory. */
static size_t node_of(struct builder *b, const char *key, const char *label, bool context)
{
	struct wake_graph *g = b->g;
	struct wg_node *n;

	for (size_t i = 0; i < g->nnodes; i++)
		if (!strcmp(b->keys[i].key, key))
			return i;
	if (g->nnodes == b->cap_nodes) {
		size_t cap = b->cap_nodes;
		void *nodes = grow(g->nodes, &cap, sizeof(*g->nodes));

		if (!nodes)
			return (size_t)-1;
		g->nodes = nodes;
		cap = b->cap_nodes;
		nodes = grow(b->keys, &cap, sizeof(*b->keys));
		if (!nodes)
			return (size_t)-1;
		b->keys = nodes;
		b->cap_nodes = cap;
	}
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	snprintf(n->label, sizeof(n->label), "%s", label);
	n->context = context;
	snprintf(b->keys[g->nnodes].key, sizeof(b->keys[0].key), "%s", key);
	return g->nnodes++;
}

/* The group a thread of a many-threaded run is drawn in: its name with
 * digits as '*', and its role when its behaviour showed one. */
static void group_of(const struct sched_thread *t, const char *comm, char *out, size_t len)
{
	char pattern[ROLE_LEN];

	role_of(pattern, sizeof(pattern), comm);
	if (t && t->role[0])
		snprintf(out, len, "%s %s", pattern, t->role);
	else
		snprintf(out, len, "%s", pattern);
}

/* The threads of pool @pool of @r (thread_roles.h), 0 when none. */
static size_t pool_size(const struct run *r, int pool)
{
	size_t n = 0;

	for (size_t i = 0; pool && i < r->sched.nthreads; i++)
		n += r->sched.threads[i].pool == pool;
	return n;
}

/*
 * A pool of WG_POOL_MIN threads or more is one node, whatever the run's
 * size: its threads do one job, and one box per thread crowds the picture
 * (node's two pools of four made twelve boxes, folded behind the table).
 * Labelled by its threads' numbers: "node worker 1-4 (4 threads)"; when
 * its threads have several names, by their pattern: "pool-* worker (20
 * threads)".
 */
static bool pool_node_key(const struct run *r, const struct sched_thread *t, char *key, size_t len)
{
	if (!t || !t->pool || pool_size(r, t->pool) < WG_POOL_MIN)
		return false;
	snprintf(key, len, "p%d", t->pool);
	return true;
}

static void pool_label(const struct run *r, int pool, char *out, size_t len)
{
	size_t lo = 0, hi = 0, n = 0;
	const struct sched_thread *first = NULL;
	bool one_name = true;
	char group[WG_LABEL_LEN];

	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		size_t k;

		if (t->pool != pool)
			continue;
		k = thread_role_rank(r, t);
		lo = !n || k < lo ? k : lo;
		hi = !n || k > hi ? k : hi;
		first = first ? first : t;
		one_name &= !strcmp(t->comm, first->comm);
		n++;
	}
	if (!first)
		return;
	if (one_name && hi - lo + 1 == n) {
		snprintf(out, len, "%.30s %.15s %zu-%zu (%zu threads)", first->comm, first->role,
			 lo, hi, n);
		return;
	}
	/* threads of several names: by name pattern and role, as a role group */
	group_of(first, first->comm, group, sizeof(group));
	snprintf(out, len, "%.70s (%zu threads)", group, n);
}

/* The node of the run's thread @tid (named @comm in the edge). */
static size_t thread_node(struct builder *b, int tid, const char *comm)
{
	const struct sched_thread *t = sched_find_tid(&b->r->sched, tid);
	char key[WG_LABEL_LEN + 2], group[WG_LABEL_LEN];

	if (tid != b->r->sched.pid && pool_node_key(b->r, t, key, sizeof(key))) {
		pool_label(b->r, t->pool, group, sizeof(group));
		return node_of(b, key, group, false);
	}
	/* the command's main thread stays its own node: the one that feeds */
	if (!b->g->by_role || !t || tid == b->r->sched.pid) {
		snprintf(key, sizeof(key), "t%d", tid);
		return node_of(b, key, thread_label_or(b->r, tid, comm), false);
	}
	group_of(t, t->comm, group, sizeof(group));
	snprintf(key, sizeof(key), "g%s", group);
	return node_of(b, key, group, false);
}

static size_t waker_node(struct builder *b, const struct wake_edge *e)
{
	char label[WG_LABEL_LEN], key[WG_LABEL_LEN + 2];

	if (e->kind == WK_THREAD)
		return thread_node(b, e->waker_tid, e->waker);
	waker_label(e, label, sizeof(label));
	snprintf(key, sizeof(key), "c%s", label);
	return node_of(b, key, label, true);
}

/* Count @what among the distinct waits edge accumulator @a merged. */
static int note_what(struct edge_acc *a, const char *what)
{
	for (size_t i = 0; i < a->nwhats; i++)
		if (!strcmp(a->whats[i], what))
			return 0;
	if (a->nwhats == a->cap) {
		size_t cap = a->cap;
		void *p = grow(a->whats, &cap, sizeof(*a->whats));

		if (!p)
			return -1;
		a->whats = p;
		a->cap = cap;
	}
	snprintf(a->whats[a->nwhats++], sizeof(a->whats[0]), "%s", what);
	return 0;
}

/* A new edge (from, to) of @kind; (size_t)-1 when out of memory. */
static size_t new_edge(struct builder *b, size_t from, size_t to, int kind)
{
	struct wake_graph *g = b->g;
	size_t k = g->nedges;

	if (k == b->cap_edges) {
		size_t cap = b->cap_edges;
		void *p = grow(g->edges, &cap, sizeof(*g->edges));

		if (!p)
			return (size_t)-1;
		g->edges = p;
		cap = b->cap_edges;
		p = grow(b->acc, &cap, sizeof(*b->acc));
		if (!p)
			return (size_t)-1;
		b->acc = p;
		b->cap_edges = cap;
	}
	memset(&g->edges[k], 0, sizeof(g->edges[k]));
	memset(&b->acc[k], 0, sizeof(b->acc[k]));
	g->edges[k].from = from;
	g->edges[k].to = to;
	g->edges[k].join = kind == ST_COUNT;
	b->acc[k].kind = kind;
	g->nedges++;
	return k;
}

/* Add wake edge @e to the edge (from, to, kind of wait), merged when it exists. */
static int add_edge(struct builder *b, const struct wake_edge *e, size_t from, size_t to)
{
	struct wake_graph *g = b->g;
	/* a node's waits ended by itself are one loop, whatever they were on */
	int kind = from == to ? -1 : wait_kind(b->r, e);
	struct wg_edge *x;
	char what[WG_WHAT_LEN];
	size_t k;

	wake_what(b->r, e, what, sizeof(what));
	for (k = 0; k < g->nedges; k++)
		if (g->edges[k].from == from && g->edges[k].to == to && b->acc[k].kind == kind)
			break;
	if (k == g->nedges && (k = new_edge(b, from, to, kind)) == (size_t)-1)
		return -1;
	if (note_what(&b->acc[k], what))
		return -1;
	x = &g->edges[k];
	x->nwhat = b->acc[k].nwhats;
	/* the edge says what its largest part was on */
	if (e->blocked_ns >= b->acc[k].top_ns) {
		b->acc[k].top_ns = e->blocked_ns;
		snprintf(x->what, sizeof(x->what), "%s", what);
		x->wait = e->wait;
	}
	x->count += e->count;
	x->ns += e->blocked_ns;
	g->total_ns += e->blocked_ns;
	return 0;
}

static int by_ns_desc(const void *a, const void *b)
{
	const struct wg_edge *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

/* How many of the @n nodes @on marks. */
static size_t count_marked(const bool *on, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += on[i];
	return k;
}

/* Whether edge @x may go on the picture that @on's nodes and g->ndrawn
 * edges already make. */
static bool fits(const struct wake_graph *g, const bool *on, const struct wg_edge *x)
{
	size_t more = !on[x->from] + (x->to != x->from && !on[x->to]);

	return !x->drawn && g->ndrawn < WG_DRAWN_MAX && !tracer_node(g->nodes[x->from].label) &&
	       !tracer_node(g->nodes[x->to].label) &&
	       count_marked(on, g->nnodes) + more <= WG_NODES_DRAWN_MAX;
}

static void draw_edge(struct wake_graph *g, bool *on, struct wg_edge *x)
{
	x->drawn = true;
	on[x->from] = on[x->to] = true;
	g->ndrawn++;
}

/* The edges the picture draws, within WG_DRAWN_MAX edges and
 * WG_NODES_DRAWN_MAX nodes, none of the tracer's: those that ended
 * WG_EDGE_MIN_SHARE of the waiting or more, the most first; then, so that
 * every thread that waited is on it, the largest edge into each thread the
 * picture does not show yet. */
static int pick_drawn(struct wake_graph *g)
{
	bool *on = calloc(g->nnodes + 1, sizeof(*on));

	if (!on)
		return -1;
	for (size_t i = 0; i < g->nedges; i++)
		if ((double)g->edges[i].ns >= WG_EDGE_MIN_SHARE * (double)g->total_ns &&
		    fits(g, on, &g->edges[i]))
			draw_edge(g, on, &g->edges[i]);
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->nodes[g->edges[i].to].context && !on[g->edges[i].to] &&
		    fits(g, on, &g->edges[i]))
			draw_edge(g, on, &g->edges[i]);
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->edges[i].drawn)
			g->folded_ns += g->edges[i].ns;
	g->nodes_drawn = count_marked(on, g->nnodes);
	free(on);
	return 0;
}

/* Two nodes never share a label (a group named like a thread): the later
 * ones get " #2", " #3". */
static void keep_apart(struct wake_graph *g)
{
	for (size_t i = 0; i < g->nnodes; i++)
		for (size_t j = i + 1, k = 2; j < g->nnodes; j++)
			if (!strcmp(g->nodes[i].label, g->nodes[j].label)) {
				size_t n = strnlen(g->nodes[j].label, sizeof(g->nodes[j].label));

				snprintf(g->nodes[j].label + n, sizeof(g->nodes[j].label) - n,
					 " #%zu", k++);
			}
}

/* A group's label says how many threads it stands for; a group of one
 * thread is that thread, by its label. */
static void count_threads(struct builder *b)
{
	struct wake_graph *g = b->g;
	const struct sched_acct *s = &b->r->sched;

	if (!g->by_role)
		return;
	for (size_t k = 0; k < g->nnodes; k++)
		if (b->keys[k].key[0] == 'g')
			g->nodes[k].nthreads = 0;
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];
		char key[WG_LABEL_LEN + 2], group[WG_LABEL_LEN];

		if (t->tid == s->pid || pool_node_key(b->r, t, key, sizeof(key)))
			continue;
		group_of(t, t->comm, group, sizeof(group));
		snprintf(key, sizeof(key), "g%s", group);
		for (size_t k = 0; k < g->nnodes; k++)
			if (!strcmp(b->keys[k].key, key) && g->nodes[k].nthreads++ == 0)
				snprintf(g->nodes[k].label, sizeof(g->nodes[k].label), "%s",
					 thread_label_of(t));
	}
	for (size_t k = 0; k < g->nnodes; k++) {
		struct wg_node *n = &g->nodes[k];
		char group[WG_LABEL_LEN];

		if (b->keys[k].key[0] != 'g' || n->nthreads < 2)
			continue;
		snprintf(group, sizeof(group), "%s", b->keys[k].key + 1);
		snprintf(n->label, sizeof(n->label), "%.70s (%zu threads)", group, n->nthreads);
	}
}

int wake_graph_make(const struct run *r, struct wake_graph *g)
{
	struct builder b = {.r = r, .g = g};
	int rc = -1;

	memset(g, 0, sizeof(*g));
	g->by_role = r->sched.nthreads > ROLES_ABOVE;
	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];
		size_t from = waker_node(&b, e), to = thread_node(&b, e->wakee_tid, e->wakee);

		if (from == (size_t)-1 || to == (size_t)-1 || add_edge(&b, e, from, to))
			goto out;
	}
	for (size_t i = 0; i < g->nnodes; i++)
		g->nodes[i].nthreads = g->nodes[i].context ? 0
				       : b.keys[i].key[0] == 'p'
					   ? pool_size(r, atoi(b.keys[i].key + 1))
					   : 1;
	count_threads(&b);
	keep_apart(g);
	/* the edges' own order: the most waiting ended first */
	qsort(g->edges, g->nedges, sizeof(*g->edges), by_ns_desc);
	rc = pick_drawn(g);
out:
	free(b.keys);
	for (size_t k = 0; k < g->nedges && b.acc; k++)
		free(b.acc[k].whats);
	free(b.acc);
	if (rc)
		wake_graph_free(g);
	return rc;
}

void wake_graph_free(struct wake_graph *g)
{
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}

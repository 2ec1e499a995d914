// SPDX-License-Identifier: GPL-2.0
/* "Who woke whom": per variant, the wake graph (Graphviz: threads and the
 * contexts that woke them as nodes, an edge per waker, wakee and wait, as
 * wide as the waiting time it ended; threads grouped by role above
 * ROLES_ABOVE), the edges as a table, and the critical path as a sentence
 * and a bar (wakes.h has the figures). */
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "graph_svg.h"
#include "palette.h"
#include "report.h"
#include "roles.h"
#include "thread_labels.h"
#include "wakes.h"

#define MAX_EDGES 30
#define TABLE_ROWS 12
/* An edge that ended less than this share of the waiting stays in the
 * table, off the graph; a graph of more nodes folds behind the table. */
#define EDGE_MIN_SHARE 0.01
#define GRAPH_NODES_MAX 8

struct g_edge {
	char from[96], to[96], what[128];
	bool from_context;
	bool join; /* a wait for a thread to exit: drawn apart from lock waits */
	enum st_thread_state wait;
	uint64_t count, ns;
};

static int by_ns_desc(const void *a, const void *b)
{
	const struct g_edge *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

/* A thread's node: its label (thread_labels.h), or its role when the run has
 * many threads. */
static void thread_node(char *out, size_t len, const char *comm, const char *label, bool roles)
{
	if (roles)
		role_of(out, len, comm);
	else
		snprintf(out, len, "%s", label[0] ? label : comm);
}

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

/* What a wait was on: a futex word's name (words nobody named are one
 * "unnamed futex word"), else the syscall, else the state. */
static void wait_what(const struct run *r, const struct wake_edge *e, char *out, size_t len)
{
	char n[96];

	if (e->futex[0] && word_join_tid(r, e->wakee_pid, e->futex))
		snprintf(out, len, "join: %s", word_name(r, e->wakee_pid, e->futex, n, sizeof(n)));
	else if (e->futex[0]) {
		word_name(r, e->wakee_pid, e->futex, n, sizeof(n));
		snprintf(out, len, "%s: %.80s", state_names[e->wait],
			 strncmp(n, "the lock at ", 12) ? n : "an unnamed futex word");
	} else if (e->syscall[0] && e->wait == ST_DISK && maps_memory(e->syscall))
		snprintf(out, len, "address-space lock: %s", e->syscall);
	else if (e->syscall[0])
		snprintf(out, len, "%s: %s", state_names[e->wait], e->syscall);
	else
		snprintf(out, len, "%s", state_names[e->wait]);
}

static struct g_edge *graph_edges(const struct run *r, bool roles, size_t *n)
{
	struct g_edge *g = calloc(r->sched.nwakes + 1, sizeof(*g));
	size_t k;

	*n = 0;
	if (!g)
		return NULL;
	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];
		struct g_edge x = {.wait = e->wait, .count = e->count, .ns = e->blocked_ns};
		char what[128];

		x.from_context = e->kind != WK_THREAD;
		x.join = e->futex[0] && word_join_tid(r, e->wakee_pid, e->futex);
		if (x.from_context)
			waker_label(e, x.from, sizeof(x.from));
		else
			thread_node(x.from, sizeof(x.from), e->waker, e->waker_label, roles);
		thread_node(x.to, sizeof(x.to), e->wakee, e->wakee_label, roles);
		wait_what(r, e, what, sizeof(what));
		/* Grouped, the words of many threads' joins are one "join" wait. */
		if (roles && x.join)
			snprintf(what, sizeof(what), "join: the exit of %s", x.from);
		snprintf(x.what, sizeof(x.what), "%s", what);
		for (k = 0; k < *n; k++)
			if (!strcmp(g[k].from, x.from) && !strcmp(g[k].to, x.to) &&
			    !strcmp(g[k].what, x.what))
				break;
		if (k == *n)
			g[(*n)++] = x;
		else {
			g[k].count += x.count;
			g[k].ns += x.ns;
		}
	}
	qsort(g, *n, sizeof(*g), by_ns_desc);
	return g;
}

/* The tracer's own threads and a demo's sampler are not the lesson: off
 * the graph (the table keeps them). */
static bool off_graph(const char *node)
{
	static const char *const names[] = {"schedtrace", "perf", "sampler", NULL};

	for (size_t i = 0; names[i]; i++)
		if (!strncmp(node, names[i], strlen(names[i])))
			return true;
	return false;
}

/* The edges the graph draws, moved to the front of @g (by_ns order kept):
 * at most MAX_EDGES, each EDGE_MIN_SHARE of the waiting or more, none of the
 * tracer's. Returns how many; *@nodes, how many nodes they join. */
static size_t graph_pick(struct g_edge *g, size_t n, size_t *nodes)
{
	uint64_t total = 0;
	size_t shown = 0;
	char seen[2 * MAX_EDGES][64];

	for (size_t i = 0; i < n; i++)
		total += g[i].ns;
	for (size_t i = 0; i < n && shown < MAX_EDGES; i++) {
		struct g_edge x = g[i];

		if ((double)x.ns < EDGE_MIN_SHARE * (double)total || off_graph(x.from) ||
		    off_graph(x.to))
			continue;
		memmove(&g[shown + 1], &g[shown], (i - shown) * sizeof(*g));
		g[shown++] = x;
	}
	*nodes = 0;
	for (size_t i = 0; i < shown; i++)
		for (int end = 0; end < 2; end++) {
			const char *v = end ? g[i].to : g[i].from;
			size_t k;

			for (k = 0; k < *nodes && strcmp(seen[k], v); k++)
				;
			if (k == *nodes && *nodes < 2 * MAX_EDGES)
				snprintf(seen[(*nodes)++], sizeof(seen[0]), "%s", v);
		}
	return shown;
}

static void draw_graph(struct report *rp, const struct run *r, const struct g_edge *g, size_t n,
		       size_t shown)
{
	struct sbuf s = SBUF_INIT, cap = SBUF_INIT;
	char a[96], b[96], c[128], d[32], name[200], rel[300], path[4400], err[512];
	double max = shown ? (double)g[0].ns : 1;

	sb_add(&s, "digraph wakes {\n rankdir=LR; bgcolor=\"white\";\n"
		   " node [fontname=\"sans\", fontsize=11, style=filled, fillcolor=\"#eef5ee\"];\n"
		   " edge [fontname=\"sans\", fontsize=9];\n");
	for (size_t i = 0; i < shown; i++)
		if (g[i].from_context)
			sb_printf(&s,
				  " \"%s\" [shape=box, style=\"filled,dashed\", "
				  "fillcolor=\"#f2f2f2\"];\n",
				  dot_label(a, sizeof(a), g[i].from));
	for (size_t i = 0; i < shown; i++) {
		/* A join is waiting for work to finish, not contention: grey, dashed. */
		const char *color = g[i].join ? "#555555" : state_color(g[i].wait);

		sb_printf(&s,
			  " \"%s\" -> \"%s\" [label=\"%s\\n%llu wait%s, %s\", color=\"%s\", "
			  "fontcolor=\"%s\", style=%s, penwidth=%.1f];\n",
			  dot_label(a, sizeof(a), g[i].from), dot_label(b, sizeof(b), g[i].to),
			  dot_label(c, sizeof(c), g[i].what), (unsigned long long)g[i].count,
			  g[i].count == 1 ? "" : "s", fig_dur_ascii(d, sizeof(d), (double)g[i].ns),
			  color, color, g[i].join ? "dashed" : "solid",
			  1.0 + 5.0 * (double)g[i].ns / (max > 0 ? max : 1));
	}
	sb_add(&s, "}\n");
	chart_name(name, sizeof(name), "wakes-", r->dir);
	snprintf(rel, sizeof(rel), "charts/%s.svg", name);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	if (graph_svg(s.s, path, err, sizeof(err))) {
		doc_note(&rp->doc, "wake graph of %s not drawn: %s", r->variant, err);
		rp->nchart_errors++;
	} else {
		sb_printf(&cap,
			  "Who woke whom in %s: each arrow from the waker to the thread it "
			  "woke, as wide as the waiting it ended; the widest is what this "
			  "variant's threads waited on most.",
			  r->variant);
		if (n > shown)
			sb_printf(&cap,
				  " %zu smaller edges (under %.0f%% of the waiting each, or the "
				  "tracer's and the sampler's) are only in the table.",
				  n - shown, 100 * EDGE_MIN_SHARE);
		doc_chart(&rp->doc, rel, sb_str(&cap));
	}
	sb_free(&s);
	sb_free(&cap);
}

/* Every edge, the most waiting first (graph_pick moved the drawn ones to
 * the front: the table sorts a copy). */
static void edge_table(struct report *rp, const struct g_edge *edges, size_t n)
{
	static const char *const head[] = {"woken", "by", "wait", "waits", "waiting ended", NULL};
	struct doc_block *t = doc_table(&rp->doc, head);
	struct g_edge *g = calloc(n + 1, sizeof(*g));
	char d[32];

	if (!g)
		abort();
	memcpy(g, edges, n * sizeof(*g));
	qsort(g, n, sizeof(*g), by_ns_desc);

	for (size_t i = 0; i < n && i < TABLE_ROWS; i++) {
		doc_cell(t, "%s", g[i].to);
		doc_cell(t, "%s", g[i].from);
		doc_cell(t, "%s", g[i].what);
		doc_cell(t, "%llu", (unsigned long long)g[i].count);
		doc_cell(t, "%s", fig_dur(d, sizeof(d), (double)g[i].ns));
	}
	free(g);
}

static void path_bar(struct report *rp, const struct run *r)
{
	const struct crit_path *p = r->sched.cpath;
	const char *series[8], *colors[8], *group[1] = {r->variant};
	char labels[8][112], name[200];
	double v[8];
	size_t k = 0;
	double rest = 0;

	for (size_t i = 0; i < p->nby; i++) {
		double ms = (double)p->by[i].ns / 1e6;

		if (k < 7 && (double)p->by[i].ns >= CRIT_NAME_SHARE * (double)p->covered_ns) {
			snprintf(labels[k], sizeof(labels[k]), "%s %s",
				 thread_label_or(r, p->by[i].tid, p->by[i].comm),
				 state_names[p->by[i].state]);
			series[k] = labels[k];
			colors[k] = state_color(p->by[i].state);
			v[k++] = ms;
		} else {
			rest += ms;
		}
	}
	if (rest > 0) {
		series[k] = "the rest";
		colors[k] = PALETTE_ABSENT;
		v[k++] = rest;
	}
	struct bar_chart c = {
	    .title = "The critical path: what the wall time waited on",
	    .ylabel = "ms",
	    .stacked = true,
	    .ngroups = 1,
	    .nseries = k,
	    .group = group,
	    .series = series,
	    .color = colors,
	    .v = v,
	};
	chart_name(name, sizeof(name), "critical-path-", r->dir);
	report_chart(rp, &c, name, "The critical path, by thread and state");
}

static void variant_section(struct report *rp, const struct run *r)
{
	bool roles = r->sched.nthreads > ROLES_ABOVE;
	struct g_edge *g;
	char sent[512];
	size_t n;

	doc_heading(&rp->doc, 3, "%s", r->variant);
	if (!r->sched.nwakes) {
		doc_para(&rp->doc,
			 "%s: no wakeups recorded (sched.json has no \"wakes\": a "
			 "collector before wake edges, or no thread ever waited).",
			 r->variant);
	} else {
		g = graph_edges(r, roles, &n);
		if (g) {
			size_t nodes, shown = graph_pick(g, n, &nodes);

			/* the page stays a lesson: the figures behind the picture
			 * fold; a graph too busy to read folds behind the table */
			if (nodes > GRAPH_NODES_MAX) {
				edge_table(rp, g, n);
				doc_fold(&rp->doc, "%s: who woke whom, as a graph (%zu nodes)",
					 r->variant, nodes);
				draw_graph(rp, r, g, n, shown);
				doc_unfold(&rp->doc);
			} else {
				draw_graph(rp, r, g, n, shown);
				doc_fold(&rp->doc, "%s: who woke whom, as a table", r->variant);
				edge_table(rp, g, n);
				doc_unfold(&rp->doc);
			}
		}
		free(g);
	}
	if (crit_sentence(r, sent, sizeof(sent))) {
		doc_para(&rp->doc, "In %s, %s.", r->variant, sent);
		doc_fold(&rp->doc, "%s: the critical path as a chart", r->variant);
		path_bar(rp, r);
		doc_unfold(&rp->doc);
	} else {
		doc_para(&rp->doc,
			 "%s: no critical path (it needs the timeline: trace without "
			 "--no-timeline).",
			 r->variant);
	}
}

/* The kinds of waker the run's wake edges have. */
static void waker_kinds(const struct run_set *rs, bool seen[NR_WAKER_KINDS])
{
	memset(seen, 0, NR_WAKER_KINDS * sizeof(*seen));
	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		for (size_t k = 0; r && k < r->sched.nwakes; k++)
			if ((unsigned)r->sched.wakes[k].kind < NR_WAKER_KINDS)
				seen[r->sched.wakes[k].kind] = true;
	}
}

void report_wakes(struct report *rp)
{
	bool seen[NR_WAKER_KINDS];
	struct sbuf who = SBUF_INIT;

	doc_heading(&rp->doc, 2, "Who woke whom");
	/* Only the wakers this run has: the paragraph says what applies here. */
	waker_kinds(rp->rs, seen);
	if (seen[WK_THREAD] || seen[WK_FORK])
		sb_add(&who, ", another thread (releasing a lock, answering, exiting)");
	if (seen[WK_HARDIRQ])
		sb_add(&who, ", a timer's interrupt (a sleep's end, a timed wait)");
	if (seen[WK_SOFTIRQ])
		sb_add(&who, ", a softirq (network, block)");
	if (seen[WK_KTHREAD])
		sb_add(&who, ", a kernel thread");
	if (seen[WK_PROCESS])
		sb_add(&who, ", another process");
	doc_para(&rp->doc,
		 "Each wait a thread ended was ended by someone:%s. An arrow goes from the waker "
		 "to the woken thread, as wide as the waiting it ended. The critical path "
		 "walks back from the demo's main thread at the end: what each moment of the "
		 "timed section waited on (the kernel words: see Words, at the end of the "
		 "page).",
		 who.len ? sb_str(&who) + 1 : "");
	sb_free(&who);
	/* the telling variants on the page, the others folded */
	for (size_t i = 0; i < rp->rs->nvariants; i++)
		if (variant_featured(rp->rs, rp->rs->variants[i].name))
			variant_section(rp, rp->rs->variants[i].rep);
	bool folded = false;
	for (size_t i = 0; i < rp->rs->nvariants; i++) {
		if (variant_featured(rp->rs, rp->rs->variants[i].name))
			continue;
		if (!folded)
			doc_fold(&rp->doc, "Who woke whom in the other variants");
		folded = true;
		variant_section(rp, rp->rs->variants[i].rep);
	}
	if (folded)
		doc_unfold(&rp->doc);
}

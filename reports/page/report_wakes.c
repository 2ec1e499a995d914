// SPDX-License-Identifier: GPL-2.0
/* "Who woke whom": per variant, the wake graph (derive/wake_graph.h makes
 * it, draw/wake_graph_svg.h draws it), its edges as a table, and the
 * critical path as a sentence and a bar (wakes.h has the figures). */
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "palette.h"
#include "report.h"
#include "thread_labels.h"
#include "wake_graph.h"
#include "wake_graph_svg.h"
#include "wakes.h"

#define TABLE_ROWS 12
/* A picture of more nodes than this folds behind the table. */
#define GRAPH_NODES_MAX 8

static void draw_graph(struct report *rp, const struct run *r, const struct wake_graph *g)
{
	struct sbuf cap = SBUF_INIT;
	char name[200], rel[300], path[4400], err[512], d[32];

	chart_name(name, sizeof(name), "wakes-", r->dir);
	snprintf(rel, sizeof(rel), "charts/%s.svg", name);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	if (wake_graph_svg(g, path, err, sizeof(err))) {
		doc_note(&rp->doc, "wake graph of %s not drawn: %s", r->variant, err);
		rp->nchart_errors++;
		return;
	}
	sb_printf(&cap,
		  "Who woke whom in %s: each arrow from the waker to the thread it "
		  "woke, as wide as the waiting it ended; the widest is what this "
		  "variant's threads waited on most.",
		  r->variant);
	if (g->by_role)
		sb_add(&cap, " Threads are grouped by name and role (the main thread apart).");
	/* the rules of wake_graph.h, in a reader's words */
	if (g->nedges > g->ndrawn)
		sb_printf(&cap,
			  " %zu smaller edge%s (%s of the waiting in all) %s only in the "
			  "table: the picture keeps each thread's largest and those over "
			  "%.0f%% of the waiting, at most %d arrows.",
			  g->nedges - g->ndrawn, g->nedges - g->ndrawn == 1 ? "" : "s",
			  fig_dur(d, sizeof(d), (double)g->folded_ns),
			  g->nedges - g->ndrawn == 1 ? "is" : "are", 100 * WG_EDGE_MIN_SHARE,
			  WG_DRAWN_MAX);
	doc_chart(&rp->doc, rel, sb_str(&cap));
	sb_free(&cap);
}

/* Every edge, the most waiting first; past TABLE_ROWS, one row sums the rest. */
static void edge_table(struct report *rp, const struct wake_graph *g)
{
	static const char *const head[] = {"woken", "by", "wait", "waits", "waiting ended", NULL};
	struct doc_block *t = doc_table(&rp->doc, head);
	uint64_t count = 0, ns = 0;
	char d[32];

	for (size_t i = 0; i < g->nedges; i++) {
		const struct wg_edge *x = &g->edges[i];

		if (i >= TABLE_ROWS) {
			count += x->count;
			ns += x->ns;
			continue;
		}
		doc_cell(t, "%s", g->nodes[x->to].label);
		doc_cell(t, "%s",
			 x->from == x->to ? "(itself, or its own threads)"
					  : g->nodes[x->from].label);
		if (x->nwhat > 1)
			doc_cell(t, "%s (and %zu more)", x->what, x->nwhat - 1);
		else
			doc_cell(t, "%s", x->what);
		doc_cell(t, "%llu", (unsigned long long)x->count);
		doc_cell(t, "%s", fig_dur(d, sizeof(d), (double)x->ns));
	}
	if (g->nedges > TABLE_ROWS) {
		doc_cell(t, "%zu more edge%s", g->nedges - TABLE_ROWS,
			 g->nedges - TABLE_ROWS == 1 ? "" : "s");
		doc_cell(t, " ");
		doc_cell(t, " ");
		doc_cell(t, "%llu", (unsigned long long)count);
		doc_cell(t, "%s", fig_dur(d, sizeof(d), (double)ns));
	}
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
	struct wake_graph g;
	char sent[512];

	doc_heading(&rp->doc, 3, "%s", r->variant);
	if (!r->sched.nwakes) {
		doc_para(&rp->doc,
			 "%s: no wakeups recorded (sched.json has no \"wakes\": a "
			 "collector before wake edges, or no thread ever waited).",
			 r->variant);
	} else if (wake_graph_make(r, &g)) {
		doc_note(&rp->doc, "wake graph of %s not made: out of memory", r->variant);
	} else {
		/* the page stays a lesson: the figures behind the picture fold;
		 * a graph too busy to read folds behind the table */
		if (g.nodes_drawn > GRAPH_NODES_MAX) {
			edge_table(rp, &g);
			doc_fold(&rp->doc, "%s: who woke whom, as a graph (%zu nodes)", r->variant,
				 g.nodes_drawn);
			draw_graph(rp, r, &g);
			doc_unfold(&rp->doc);
		} else {
			draw_graph(rp, r, &g);
			doc_fold(&rp->doc, "%s: who woke whom, as a table", r->variant);
			edge_table(rp, &g);
			doc_unfold(&rp->doc);
		}
		wake_graph_free(&g);
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
		 "walks back from %s: what each moment of the %s waited on (the kernel words: "
		 "see Words, at the end of the page).",
		 who.len ? sb_str(&who) + 1 : "",
		 rp->rs->is_demo ? "the demo's main thread at the end" : "the last thread to end",
		 rp->rs->is_demo ? "timed section" : "run");
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

// SPDX-License-Identifier: GPL-2.0
/* The wake graph (derive/wake_graph.h) as a DOT program for dot: threads as
 * rounded boxes, contexts (interrupts, tasks outside the run) as dashed
 * grey boxes, each drawn edge an arrow as wide as the waiting it ended,
 * labelled with what the wait was on. Labels are edge labels, which dot
 * lays out as boxes of their own between the ranks: they never overlap one
 * another; long ones are wrapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "graph_svg.h"
#include "palette.h"
#include "sbuf.h"
#include "wake_graph_svg.h"

/* Wrap @s into lines of about @width characters, broken at spaces, as a
 * DOT string's "\n"s; escaped for a double-quoted DOT string. */
static void wrapped(struct sbuf *out, const char *s, size_t width, size_t max_lines)
{
	char esc[512];
	size_t col = 0, lines = 1;

	dot_label(esc, sizeof(esc), s);
	for (const char *p = esc; *p; p++) {
		/* the space before a word that would pass the width ends the line */
		if (*p == ' ' && col && col + 1 + strcspn(p + 1, " ") > width) {
			if (lines == max_lines) {
				sb_add(out, " ...");
				return;
			}
			sb_add(out, "\\n");
			col = 0;
			lines++;
			continue;
		}
		sb_printf(out, "%c", *p);
		col++;
	}
}

static void edge_label(struct sbuf *s, const struct wake_graph *g, const struct wg_edge *x)
{
	char d[32];

	if (x->from == x->to)
		sb_add(s, g->nodes[x->from].nthreads > 1 ? "woken by one another: "
							 : "woken by itself: ");
	/* the picture's label at most three lines: the table has it whole */
	wrapped(s, x->what, 28, 3);
	if (x->nwhat > 1)
		sb_printf(s, " (+%zu more)", x->nwhat - 1);
	/* an empty last line: dot sets a label's box on its edge, and the
	 * text would touch a wide arrow */
	sb_printf(s, "\\n%llu wait%s, %s\\n ", (unsigned long long)x->count,
		  x->count == 1 ? "" : "s", fig_dur_ascii(d, sizeof(d), (double)x->ns));
}

void wake_graph_dot(struct sbuf *s, const struct wake_graph *g)
{
	double max = 1;
	bool *on;

	for (size_t i = 0; i < g->nedges; i++)
		if (g->edges[i].drawn && (double)g->edges[i].ns > max)
			max = (double)g->edges[i].ns;
	sb_add(s, "digraph wakes {\n rankdir=LR; bgcolor=\"white\"; nodesep=0.5; ranksep=0.7;\n"
		  " node [fontname=\"sans\", fontsize=11, shape=box, style=\"rounded,filled\", "
		  "fillcolor=\"#eef5ee\"];\n"
		  " edge [fontname=\"sans\", fontsize=9];\n");
	on = calloc(g->nnodes + 1, sizeof(*on));
	for (size_t i = 0; on && i < g->nedges; i++)
		if (g->edges[i].drawn)
			on[g->edges[i].from] = on[g->edges[i].to] = true;
	for (size_t i = 0; on && i < g->nnodes; i++) {
		if (!on[i])
			continue;
		sb_printf(s, " n%zu [label=\"", i);
		wrapped(s, g->nodes[i].label, 24, 3);
		sb_printf(s, "\"%s];\n",
			  g->nodes[i].context ? ", style=\"filled,dashed\", fillcolor=\"#f2f2f2\""
					      : "");
	}
	free(on);
	for (size_t i = 0; i < g->nedges; i++) {
		const struct wg_edge *x = &g->edges[i];
		/* a join is waiting for work to finish, not contention: grey, dashed */
		const char *color = x->join ? "#555555" : state_color(x->wait);

		if (!x->drawn)
			continue;
		sb_printf(s, " n%zu -> n%zu [label=\"", x->from, x->to);
		edge_label(s, g, x);
		sb_printf(s, "\", color=\"%s\", fontcolor=\"%s\", style=%s, penwidth=%.1f];\n",
			  color, color, x->join ? "dashed" : "solid",
			  1.0 + 3.0 * (double)x->ns / max);
	}
	sb_add(s, "}\n");
}

int wake_graph_svg(const struct wake_graph *g, const char *svg_path, char *err, size_t errlen)
{
	struct sbuf s = SBUF_INIT;
	int rc;

	wake_graph_dot(&s, g);
	rc = graph_svg(sb_str(&s), svg_path, err, errlen);
	sb_free(&s);
	return rc;
}

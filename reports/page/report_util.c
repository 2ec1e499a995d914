// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "charts.h"
#include "palette.h"
#include "demo_module.h"
#include "report.h"
#include "timeline_svg.h"

void cell_metric(struct doc_block *t, const struct variant *v, enum metric m, double scale,
		 int prec)
{
	const struct stat3 *s = &v->m[m];

	if (v->nruns > 1)
		doc_cell(t, "%.*f (%.*f-%.*f)", prec, s->med * scale, prec, s->min * scale, prec,
			 s->max * scale);
	else
		doc_cell(t, "%.*f", prec, s->med * scale);
}

const char *const *state_colors(void)
{
	static const char *c[ST_COUNT];
	int k;

	for (k = 0; k < ST_COUNT; k++)
		c[k] = state_color((enum st_thread_state)k);
	return c;
}

void chart_name(char *out, size_t len, const char *prefix, const char *dir)
{
	size_t i = (size_t)snprintf(out, len, "%s", prefix);

	for (; *dir && i + 1 < len; dir++, i++) {
		char c = *dir;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.';

		out[i] = plain ? c : '_';
	}
	if (i < len)
		out[i] = '\0';
}

void report_chart(struct report *rp, const struct bar_chart *c, const char *name,
		  const char *caption)
{
	char path[4400], rel[300], err[512];

	snprintf(rel, sizeof(rel), "charts/%s.svg", name);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	if (bar_chart_svg(c, path, err, sizeof(err))) {
		doc_note(&rp->doc, "chart \"%s\" not drawn: %s", caption, err);
		rp->nchart_errors++;
		return;
	}
	doc_chart(&rp->doc, rel, caption);
}

void report_xy_chart(struct report *rp, const struct xy_chart *c, const char *name,
		     const char *caption)
{
	char path[4400], rel[300], err[512];

	snprintf(rel, sizeof(rel), "charts/%s.svg", name);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	if (xy_chart_svg(c, path, err, sizeof(err))) {
		doc_note(&rp->doc, "chart \"%s\" not drawn: %s", caption, err);
		rp->nchart_errors++;
		return;
	}
	doc_chart(&rp->doc, rel, caption);
}

void report_shared_timeline(struct report *rp, const char *title, const char *caption)
{
	const struct run_set *rs = rp->rs;
	const struct run **runs = calloc(rs->nvariants ? rs->nvariants : 1, sizeof(*runs));
	char path[4400], err[512];
	size_t i;
	FILE *f;
	int rc;

	if (!runs)
		abort();
	for (i = 0; i < rs->nvariants; i++)
		runs[i] = rs->variants[i].rep;
	snprintf(path, sizeof(path), "%s/charts/lesson-timeline.svg", rs->dir);
	f = fopen(path, "w");
	if (!f) {
		doc_note(&rp->doc, "%s: cannot create: %s", path, strerror(errno));
		free(runs);
		return;
	}
	rc = timeline_shared_svg(runs, rs->nvariants, title, f, err, sizeof(err));
	if (fclose(f) && !rc) {
		rc = -1;
		snprintf(err, sizeof(err), "charts/lesson-timeline.svg: write failed: %s",
			 strerror(errno));
	}
	if (rc)
		unlink(path);
	if (rc < 0)
		doc_note(&rp->doc, "the variants' shared timeline was not drawn: %s", err);
	else if (rc > 0)
		doc_para(&rp->doc, "No timeline.json in these runs (traced with --no-timeline), so "
				   "no picture of the variants side by side.");
	else
		doc_chart(&rp->doc, "charts/lesson-timeline.svg", caption);
	free(runs);
}

/* The variants whose pictures tell each demo's story (its module's
 * featured list); the page shows those and folds the others' (a page of
 * seven timelines is not read). */
#define FEATURED_DEFAULT 3

bool variant_featured(const struct run_set *rs, const char *variant)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;
	char key[80], list[256];
	size_t i;

	snprintf(key, sizeof(key), ",%s,", variant);
	if (m && m->featured) {
		snprintf(list, sizeof(list), ",%s", m->featured);
		return strstr(list, key) != NULL;
	}
	for (i = 0; i < rs->nvariants && i < FEATURED_DEFAULT; i++)
		if (!strcmp(rs->variants[i].name, variant))
			return true;
	return false;
}

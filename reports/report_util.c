// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "palette.h"
#include "report.h"

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
		c[k] = state_color((enum state)k);
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

// SPDX-License-Identifier: GPL-2.0
/* The timeline picture of each variant's representative run (timeline_svg.c
 * draws it from timeline.json); the whole timeline opens in Perfetto. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "timeline_svg.h"

static void one(struct report *rp, const struct run *r)
{
	char name[200], rel[260], path[4600], err[512];
	FILE *f;
	int rc;

	chart_name(name, sizeof(name), "timeline-", r->dir);
	snprintf(rel, sizeof(rel), "charts/%s.svg", name);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	f = fopen(path, "w");
	if (!f) {
		doc_note(&rp->doc, "%s: timeline picture not drawn: %s: %s", r->dir, path,
			 strerror(errno));
		return;
	}
	err[0] = '\0';
	rc = timeline_svg(r, f, err, sizeof(err));
	if (fclose(f) && !rc) {
		rc = -1;
		snprintf(err, sizeof(err), "%s: write failed: %s", rel, strerror(errno));
	}
	if (rc) {
		unlink(path);
		if (rc > 0)
			doc_para(&rp->doc,
				 "%s: no timeline.json in this run (traced without "
				 "--timeline), so no picture.",
				 r->dir);
		else
			doc_note(&rp->doc, "%s: timeline picture not drawn: %s", r->dir, err);
		return;
	}
	doc_chart(&rp->doc, rel, r->variant);
}

void report_timelines(struct report *rp)
{
	size_t i;

	doc_heading(&rp->doc, 2, "Timelines");
	doc_para(&rp->doc, "What each thread was doing over time, colored by state, over a window "
			   "chosen to show the pattern; the full timeline of a run is its "
			   "timeline.json (open it in https://ui.perfetto.dev).");
	for (i = 0; i < rp->rs->nvariants; i++)
		one(rp, rp->rs->variants[i].rep);
}

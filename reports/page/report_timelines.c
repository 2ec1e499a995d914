// SPDX-License-Identifier: GPL-2.0
/* The timeline picture of each variant's representative run (timeline_svg.c
 * draws it from timeline.json); the whole timeline opens in Perfetto. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo_module.h"
#include "report.h"
#include "timeline_svg.h"

const char *timeline_caption(const char *demo, const char *variant)
{
	const struct demo_module *m = demo_module_for(demo);
	const struct timeline_caption *c;

	for (c = m ? m->captions : NULL; c && c->variant; c++)
		if (!strncmp(variant, c->variant, strlen(c->variant)))
			return c->caption;
	return NULL;
}

static const char *caption_of(const struct run_set *rs, const struct run *r)
{
	return rs->is_demo ? timeline_caption(rs->demo, r->variant) : NULL;
}

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
	{
		const char *what = caption_of(rp->rs, r);
		char *cap =
		    what ? xasprintf("%s: %s.", r->variant, what) : xasprintf("%s", r->variant);

		doc_chart(&rp->doc, rel, cap);
		free(cap);
	}
}

void report_timelines(struct report *rp)
{
	bool folded;
	size_t i;

	doc_heading(&rp->doc, 2, "Timelines");
	doc_para(&rp->doc, "What each thread was doing over time, colored by state, over a window "
			   "chosen to show the pattern; the full timeline of a run is its "
			   "timeline.json, and the perfetto-*.json beside this page the same "
			   "with this page's thread names (open either in "
			   "https://ui.perfetto.dev: the links are under Commands and files).");
	for (i = 0; i < rp->rs->nvariants; i++)
		if (variant_featured(rp->rs, rp->rs->variants[i].name))
			one(rp, rp->rs->variants[i].rep);
	for (i = 0, folded = false; i < rp->rs->nvariants; i++) {
		if (variant_featured(rp->rs, rp->rs->variants[i].name))
			continue;
		if (!folded)
			doc_fold(&rp->doc, "The other variants' timelines");
		folded = true;
		one(rp, rp->rs->variants[i].rep);
	}
	if (folded)
		doc_unfold(&rp->doc);
}

// SPDX-License-Identifier: GPL-2.0
/* What was not measured, and why: trace's own notes, optional inputs found
 * unreadable, runs without a timeline or stacks. Nothing when all was. */
#include "report.h"

void report_notes(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct doc_block *l = NULL;
	size_t i;

	for (i = 0; i < rs->nnotes; i++) {
		if (!l)
			l = doc_links(&rp->doc);
		doc_item(l, NULL, "%s", rs->notes[i]);
	}
	for (i = 0; i < json_array_size(rs->load_notes); i++) {
		if (!l)
			l = doc_links(&rp->doc);
		doc_item(l, NULL, "%s", json_string_value(json_array_get(rs->load_notes, i)));
	}
	for (i = 0; i < rs->nruns; i++) {
		const struct run *r = &rs->runs[i];

		if (r->has_timeline && r->has_folded)
			continue;
		if (!l)
			l = doc_links(&rp->doc);
		doc_item(l, NULL, "%s: %s%s%s not recorded (no picture or stacks for this run)",
			 r->dir, r->has_timeline ? "" : "timeline.json",
			 !r->has_timeline && !r->has_folded ? " and " : "",
			 r->has_folded ? "" : "offcpu.folded");
	}
}

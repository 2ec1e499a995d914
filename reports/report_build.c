// SPDX-License-Identifier: GPL-2.0
/* The report's document, top to bottom: PARTIAL when it is, the host, the
 * headline, the notes (what was not measured), the why, then the sections. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

static void host(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	const char *k;
	const json_t *v;
	char tools[512] = "";
	size_t n = 0;

	json_object_foreach((json_t *)rs->tools, k, v)
	{
		int w = snprintf(tools + n, sizeof(tools) - n, "%s%s %s", n ? ", " : "", k,
				 json_is_string(v) ? json_string_value(v) : "absent");

		if (w < 0 || (size_t)w >= sizeof(tools) - n)
			break;
		n += (size_t)w;
	}
	doc_para(&rp->doc, "Host %s: %d CPUs (%s), kernel %s%s%s. Traced %s%s.%s%s", rs->hostname,
		 rs->cpus, rs->cpu_model, rs->kernel,
		 rs->pinned_cpus[0] ? "; demo pinned to CPUs " : "", rs->pinned_cpus, rs->stamp,
		 rs->quick ? " with --quick (small sizes)" : "", n ? " Tools: " : "", tools);
}

/* Everything the reader must know was not measured: trace's own notes,
 * optional inputs that were unreadable, files a pass promised but left out. */
static void notes(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct doc_block *l = NULL;
	size_t i;

	for (i = 0; i < rs->nnotes; i++) {
		if (!l) {
			doc_heading(&rp->doc, 2, "Notes");
			l = doc_links(&rp->doc);
		}
		doc_item(l, NULL, "%s", rs->notes[i]);
	}
	for (i = 0; i < json_array_size(rs->load_notes); i++) {
		if (!l) {
			doc_heading(&rp->doc, 2, "Notes");
			l = doc_links(&rp->doc);
		}
		doc_item(l, NULL, "%s", json_string_value(json_array_get(rs->load_notes, i)));
	}
	for (i = 0; i < rs->nruns; i++) {
		const struct run *r = &rs->runs[i];

		if (r->has_timeline && r->has_folded)
			continue;
		if (!l) {
			doc_heading(&rp->doc, 2, "Notes");
			l = doc_links(&rp->doc);
		}
		doc_item(l, NULL, "%s: %s%s%s not recorded (no picture or stacks for this run)",
			 r->dir, r->has_timeline ? "" : "timeline.json",
			 !r->has_timeline && !r->has_folded ? " and " : "",
			 r->has_folded ? "" : "offcpu.folded");
	}
}

static void why(struct report *rp)
{
	struct doc_block *l;
	size_t i;

	doc_heading(&rp->doc, 2, "Why");
	if (!rp->why->n) {
		doc_para(&rp->doc, "The explainer found nothing it could state past its thresholds "
				   "in these figures.");
		return;
	}
	l = doc_links(&rp->doc);
	for (i = 0; i < rp->why->n; i++)
		doc_item(l, NULL, "%s", rp->why->s[i]);
}

int report_build(struct report *rp, char *err, size_t errlen)
{
	const struct run_set *rs = rp->rs;
	size_t i, partial = 0;

	snprintf(rp->charts_dir, sizeof(rp->charts_dir), "%s/charts", rs->dir);
	if (mkdir(rp->charts_dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", rp->charts_dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < rs->nruns; i++)
		partial += rs->runs[i].partial;
	doc_heading(&rp->doc, 1, "%s%s: schedlab report, %s",
		    rs->partial || partial ? "PARTIAL " : "", rs->is_demo ? rs->demo : rs->command,
		    rs->stamp);
	if (rs->partial || partial)
		doc_note(&rp->doc,
			 "PARTIAL: the trace was interrupted; %zu of %zu runs are incomplete and "
			 "variants that had not run yet are absent. Figures cover what ran.",
			 partial, rs->nruns);
	host(rp);
	doc_heading(&rp->doc, 2, "Headline");
	report_headline(rp, &rp->doc);
	notes(rp);
	why(rp);
	report_variants(rp);
	report_threads(rp);
	report_runq(rp);
	report_syscalls(rp);
	report_futex(rp);
	report_timelines(rp);
	report_checks(rp);
	report_files(rp);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* What the report knows of one demo, in one place: its module,
 * reports/demos/NN_name.c, exports one struct demo_module, listed on one
 * line of reports/demos/registry.c. Nothing else in the report names a
 * demo: the explainers, the lesson chart, the Results table's key figure,
 * the featured variants, the timelines' captions and the cause sentences
 * are looked up here by the run's demo name.
 *
 * A new demo's report: write reports/demos/NN_name.c (copy a short one,
 * 01_io_wait.c), add its line to registry.c; its name is the one in
 * demos/catalogue.tsv (docs/architecture.md, "Adding a demo"). */
#ifndef SCHEDLAB_DEMO_MODULE_H
#define SCHEDLAB_DEMO_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "explain.h"

struct report;
struct sbuf;

/* What to see in a variant's timeline: the first row whose variant starts
 * with @variant ("" any). Colors: reports/draw/palette.h. */
struct timeline_caption {
	const char *variant, *caption;
};

struct demo_module {
	const char *demo; /* the catalogue's name, meta.json "demo" */
	/* The why and the verdict (explain.h); explainer.demo is @demo. */
	struct explainer explainer;
	/* Optional: who ended the waits the demo is about, for a variant's
	 * representative run (explain_causes.c adds the generic causes). */
	void (*causes)(const struct run *r, struct sentences *out);
	/* Optional: the one picture the demo exists to show, under the verdict. */
	void (*lesson)(struct report *rp);
	/* Optional, required when the catalogue's line names sizes: the
	 * chapter's lesson in this run's own sizes (a --quick run does not use
	 * the chapter's), written into @buf; verdict_of() calls it. */
	void (*lesson_line)(const struct run_set *rs, char *buf, size_t len);
	/* Optional: the lesson's comparison for the Key result, the report's
	 * headline row and the index's Results table alike ("blocking 0.52 s
	 * against await 0.057 s, 9.1×"), appended to @out from the figures
	 * the verdict uses, so the two never differ. Nothing appended: the
	 * generic Key result (report_headline.c). */
	void (*key_result)(const struct run_set *rs, struct sbuf *out);
	/* Optional: the demo.json field the Results table shows instead of the
	 * wall time ("max_backlog"), and its label ("backlog"). */
	const char *key_figure, *key_label;
	/* Optional: the variants whose pictures the page shows, each followed
	 * by a comma ("serial,threads-5,"); NULL: the first three. */
	const char *featured;
	/* Optional: timeline captions, ended by a row of NULLs. */
	const struct timeline_caption *captions;
};

/* The module of demo @demo, or NULL (a traced command, an unknown demo). */
const struct demo_module *demo_module_for(const char *demo);

/* The table itself (reports/demos/registry.c). */
extern const struct demo_module *const demo_modules[];
extern const size_t ndemo_modules;

/* The per-demo cause sentences' thresholds (docs/explainers.md): a claim
 * needs CAUSE_MIN_WAITS waits, CAUSE_DEMO_SHARE of them ended the way the
 * demo says, or the critical path's CAUSE_PATH_SHARE. */
#define CAUSE_MIN_WAITS 5
#define CAUSE_DEMO_SHARE 0.90
#define CAUSE_PATH_SHARE 0.70

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The report: a run set (runset.h), its cross-checks (checks.h) and the
 * explainer's sentences (explain.h) turned into one document (doc.h), one
 * section per file (report_*.c). docs/report.md says how to read each. */
#ifndef SCHEDLAB_REPORT_H
#define SCHEDLAB_REPORT_H

#include <stddef.h>

#include "checks.h"
#include "doc.h"
#include "explain.h"
#include "runset.h"

struct report {
	const struct run_set *rs;
	const struct check_list *checks;
	const struct sentences *why;
	struct doc doc;
	/* Charts: drawn into RUN_DIR/charts/; when one cannot be drawn the
	 * section says so in a note instead of leaving a hole. */
	char charts_dir[4200];
	int nchart_errors;
};

/* Build the whole document. Returns 0, or -1 with @err set when the charts
 * folder cannot be made. */
int report_build(struct report *rp, char *err, size_t errlen);

/* The sections, in the order the report shows them. */
void report_headline(struct report *rp, struct doc *d);
void report_variants(struct report *rp);
void report_threads(struct report *rp);
void report_runq(struct report *rp);
void report_syscalls(struct report *rp);
void report_futex(struct report *rp);
void report_checks(struct report *rp);
void report_timelines(struct report *rp);
void report_files(struct report *rp);

/* Helpers the sections share (report_util.c). */

/* The cell text of metric @m of @v: "1.23" or, with repeats, "1.23 (1.20-1.31)";
 * values are multiplied by @scale and printed with @prec decimals. */
void cell_metric(struct doc_block *t, const struct variant *v, enum metric m, double scale,
		 int prec);
/* Draw @c into charts/@name.svg and add it to the document with @caption;
 * on failure add a note saying why. */
struct bar_chart;
void report_chart(struct report *rp, const struct bar_chart *c, const char *name,
		  const char *caption);
/* A name fit for a file in charts/: the run's dir with anything unusual as '_'. */
void chart_name(char *out, size_t len, const char *prefix, const char *dir);
/* The workers a run's bound counts: params.workers, else threads named
 * worker-*, else every thread of the run. */
double run_workers(const struct run *r);
/* min(workers, CPUs the demo could use): the parallelism no variant can beat. */
double run_bound(const struct run_set *rs, const struct run *r);

/* The state colors of palette.h as an array, for a chart's series. */
const char *const *state_colors(void);

#endif

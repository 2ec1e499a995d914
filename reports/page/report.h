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
#include "figures.h"
#include "runset.h"
#include "sbuf.h"

struct quiz_grades;

struct report {
	const struct run_set *rs;
	const struct check_list *checks;
	const struct sentences *why; /* every sentence, the groups in order (the terminal) */
	const struct why *whyg;	     /* the same in groups (the page); NULL: one list */
	const struct verdicts *verdict;
	const struct quiz_grades *grades; /* the student's predictions graded, or NULL */
	struct doc doc;
	/* Charts: drawn into RUN_DIR/charts/; when one cannot be drawn the
	 * section says so in a note instead of leaving a hole. */
	char charts_dir[4200];
	int nchart_errors;
};

/* Build the whole document. Returns 0, or -1 with @err set when the charts
 * folder cannot be made. */
int report_build(struct report *rp, char *err, size_t errlen);

/*
 * The sections. Their order, and which are folded away as reference
 * material, is the list in report_build.c: to add a section, write
 * reports/report_NAME.c with a function below and add one line there.
 */
void report_predict(struct report *rp); /* the predictions graded (predict.h) */
void report_verdict(struct report *rp); /* one sentence per variant, the host */
void report_trust(struct report *rp);	/* checks, lost events, host noise */
void report_lesson(struct report *rp);	/* the demo's own chart (its module's) */
void report_why(struct report *rp);	/* the explainer's sentences */
void report_timelines(struct report *rp);
/* What to see in @demo's timeline of @variant, from its module's captions
 * (its py-* variants have their own: CPython sleeps where the C demo asks a
 * server); NULL when none. */
const char *timeline_caption(const char *demo, const char *variant);
void report_wakes(struct report *rp); /* who woke whom, the critical path */
void report_headline(struct report *rp, struct doc *d);
void report_variants(struct report *rp);
void report_host(struct report *rp); /* other work on the CPUs, tracing's cost */
void report_threads(struct report *rp);
void report_runq(struct report *rp);
void report_syscalls(struct report *rp);
void report_futex(struct report *rp);
void report_checks(struct report *rp);
void report_kernel(struct report *rp); /* eBPF against the kernel, thread by thread */
void report_notes(struct report *rp);  /* what was not measured */
void report_words(struct report *rp);  /* the kernel words the page uses */
void report_files(struct report *rp);
/* The run's timeline.json copied to @out_path with the report's thread
 * labels as the tracks' names, for Perfetto (report_perfetto.c); *@nflows
 * the wake flows it has. 0, or -1 with @err. */
int perfetto_write(const struct run *r, const char *out_path, size_t *nflows, char *err,
		   size_t errlen);

/* The key result of the chapter's Results table: each variant's median wall
 * time ("serial 10.008s vs threads-20 0.607s"), or the demo's own key figure
 * (04: the backlog). */
void headline_key(const struct run_set *rs, struct sbuf *key);

/* results/index.{html,md}: the chapter's Results table for this host, one
 * row per run folder, each linked to its report (report_index.c). Returns 0,
 * or -1 with @err (an input that cannot be loaded: exit 2; a file that
 * cannot be written: *@fatal set, exit 1). */
int report_index(const char *out_dir, char *const *run_dirs, size_t n, bool *fatal, char *err,
		 size_t errlen);
/* OUT_DIR/class.{html,md}: many students' run folders (@dirs: run folders
 * or folders holding them) on one page, each lesson's figures by CPU count
 * (report_class.c). Same returns as report_index; a folder that does not
 * load is listed on the page, not fatal. */
int report_class(const char *out_dir, char *const *dirs, size_t n, bool *fatal, char *err,
		 size_t errlen);
/* Two runs of one demo side by side, what changed and why
 * (report_compare.c); writes DIR_B/compare.{html,md} and prints the
 * summary. Same returns as report_index. */
int report_compare(const char *dir_a, const char *dir_b, bool *fatal, char *err, size_t errlen);

/* The trust line as plain text (the page and the terminal say the same). */
void trust_text(const struct report *rp, struct sbuf *out, bool *warn);
/* Why the trust line warns, in a few words each ("2 cross-checks failed; a
 * busy host: ..."), and whether it does: built by the same function as the
 * line, so the index's Trust column agrees with the report it links. */
void trust_caution(const struct report *rp, struct sbuf *out, bool *warn);

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
struct xy_chart;
void report_xy_chart(struct report *rp, const struct xy_chart *c, const char *name,
		     const char *caption);
/* The variants' representative runs on one time axis (timeline_svg.h
 * timeline_shared_svg), under @caption. */
void report_shared_timeline(struct report *rp, const char *title, const char *caption);
/* Whether @variant's pictures (timeline, wake graph) go on the page or fold
 * under "the other variants": each demo's telling variants, else the first
 * three. */
bool variant_featured(const struct run_set *rs, const char *variant);
/* A name fit for a file in charts/: the run's dir with anything unusual as '_'. */
void chart_name(char *out, size_t len, const char *prefix, const char *dir);
/* The state colors of palette.h as an array, for a chart's series. */
const char *const *state_colors(void);

#endif

// SPDX-License-Identifier: GPL-2.0
/* The report's document, top to bottom. A student reads the lesson first:
 * the verdict, whether to trust this run, the demo's own chart, why, and the
 * timelines; the reference material (tables, checks, commands) follows,
 * folded. The order is the list below and nowhere else. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

struct section {
	const char *name;
	/* NULL: shown on the page; else folded under this summary line */
	const char *fold;
	void (*build)(struct report *rp);
};

static const struct section sections[] = {
    {"predict", NULL, report_predict},
    {"verdict", NULL, report_verdict},
    {"trust", NULL, report_trust},
    {"lesson", NULL, report_lesson},
    {"why", NULL, report_why},
    {"timelines", NULL, report_timelines},
    {"wakes", NULL, report_wakes},
    /* reference material */
    {"variants", "Per variant: wall, CPU time, switches, run-queue waits", report_variants},
    {"threads", "Per thread: where each thread's time went", report_threads},
    {"syscalls", "System calls: the longest in total", report_syscalls},
    {"futex", "Lock waits (futex), per lock", report_futex},
    {"runq", "Waiting for a CPU: run-queue latency", report_runq},
    {"host", "Other work on the CPUs, and what tracing cost", report_host},
    {"checks", "Cross-checks: eBPF against independent accounts", report_checks},
    {"kernel", "Kernel accounting, thread by thread", report_kernel},
    {"notes", "What was not measured", report_notes},
    {"files", "Commands and files", report_files},
    {"words", "Words: the kernel's terms this page uses", report_words},
};

static void why_list(struct report *rp, const struct sentences *s)
{
	struct doc_block *l = doc_links(&rp->doc);

	for (size_t i = 0; i < s->n; i++)
		doc_item(l, NULL, "%s", s->s[i]);
}

/* The lesson's sentences and the host's first; the further evidence folded
 * under its title, one fold per group, every sentence kept. */
void report_why(struct report *rp)
{
	const struct why *w = rp->whyg;

	doc_heading(&rp->doc, 2, "Why");
	if (!rp->why->n) {
		doc_para(&rp->doc, "The explainer found nothing it could state past its thresholds "
				   "in these figures.");
		return;
	}
	if (!w) {
		why_list(rp, rp->why);
	} else {
		if (w->g[WHY_LESSON].n)
			why_list(rp, &w->g[WHY_LESSON]);
		if (w->g[WHY_HOST].n)
			why_list(rp, &w->g[WHY_HOST]);
		for (int k = WHY_PYTHON; k < WHY_GROUPS; k++) {
			if (!w->g[k].n)
				continue;
			doc_fold(&rp->doc, "%s (%zu sentence%s)", why_group_titles[k], w->g[k].n,
				 w->g[k].n == 1 ? "" : "s");
			why_list(rp, &w->g[k]);
			doc_unfold(&rp->doc);
		}
	}
	doc_para(&rp->doc, "Each sentence is computed from this run and made only past a "
			   "threshold (docs/explainers.md lists them); a phenomenon the figures "
			   "do not show is left out.");
}

int report_build(struct report *rp, char *err, size_t errlen)
{
	const struct run_set *rs = rp->rs;
	size_t i, partial = 0, before;

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
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct section *s = &sections[i];

		if (!s->fold) {
			s->build(rp);
			continue;
		}
		doc_fold(&rp->doc, "%s", s->fold);
		before = rp->doc.n;
		s->build(rp);
		if (rp->doc.n == before) { /* nothing to fold: no empty box */
			doc_free_last(&rp->doc);
			continue;
		}
		doc_unfold(&rp->doc);
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Run-queue latency (wakeup or preemption to running) of every variant,
 * histograms side by side, with the percentiles. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "charts.h"
#include "figures.h"
#include "palette.h"
#include "report.h"

/*
 * The chart folds the collector's fine buckets (8 per power of two) into one
 * bar group per power of two: a few dozen readable groups instead of a
 * hundred unreadable ones. The table keeps the exact percentiles.
 */
static int octave(uint64_t ns)
{
	int o = 0;

	while (ns >>= 1)
		o++;
	return o;
}

/* A power of two of nanoseconds as a short label: "512 ns", "33 us", "1.0 ms". */
static char *octave_label(int o)
{
	double ns = (double)(1ULL << o);
	const char *unit = "ns";

	if (ns >= 1e9) {
		ns /= 1e9;
		unit = "s";
	} else if (ns >= 1e6) {
		ns /= 1e6;
		unit = "ms";
	} else if (ns >= 1e3) {
		ns /= 1e3;
		unit = "us"; /* gnuplot's svg labels drop the micro sign */
	}
	return ns < 10 ? xasprintf("%.1f %s", ns, unit) : xasprintf("%.0f %s", ns, unit);
}

/* Each variant's waits and their quantiles; every histogram merged into @all. */
static void runq_table(struct report *rp, struct hist *all)
{
	static const char *const head[] = {"Variant", "waits",	"p50 µs", "p90 µs",
					   "p99 µs",  "max µs", NULL};
	const struct run_set *rs = rp->rs;
	struct doc_block *t = doc_table(&rp->doc, head);

	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		doc_cell(t, "%s", r->variant);
		doc_cell(t, "%llu", (unsigned long long)hist_total(&r->runq));
		doc_cell(t, "%.1f", r->m[M_RUNQ_P50_NS] / 1e3);
		doc_cell(t, "%.1f", hist_quantile_max(&r->runq, 0.90, r->m[M_RUNQ_MAX_NS]) / 1e3);
		doc_cell(t, "%.1f", r->m[M_RUNQ_P99_NS] / 1e3);
		doc_cell(t, "%.1f", r->m[M_RUNQ_MAX_NS] / 1e3);
		if (hist_merge(all, &r->runq)) {
			doc_note(&rp->doc,
				 "%s: its run-queue histogram has other buckets than the "
				 "rest; it is left out of the chart",
				 r->dir);
		}
	}
}

/* One group per power of two from the shortest wait to the longest; each
 * variant's share of its own waits. */
static void runq_chart(struct report *rp, const struct hist *all)
{
	const struct run_set *rs = rp->rs;
	int lo_oct = octave(all->b[0].lo_ns);
	size_t i, j, k, ngroups = (size_t)(octave(all->b[all->n - 1].lo_ns) - lo_oct + 1);
	char **labels = calloc(ngroups, sizeof(*labels));
	const char **series = calloc(rs->nvariants, sizeof(*series));
	const char **colors = calloc(rs->nvariants, sizeof(*colors));
	double *v = calloc(ngroups * rs->nvariants, sizeof(*v));

	if (!labels || !series || !v || !colors)
		abort();
	for (j = 0; j < ngroups; j++)
		labels[j] = octave_label(lo_oct + (int)j);
	for (i = 0; i < rs->nvariants; i++) {
		const struct hist *h = &rs->variants[i].rep->runq;
		double total = (double)hist_total(h);

		series[i] = rs->variants[i].name;
		colors[i] = series_color(i);
		for (k = 0; k < h->n && total > 0; k++) {
			j = (size_t)(octave(h->b[k].lo_ns) - lo_oct);
			if (j < ngroups)
				v[j * rs->nvariants + i] += 100.0 * (double)h->b[k].count / total;
		}
	}
	struct bar_chart c = {.title = "Run-queue latency",
			      .ylabel = "% of waits",
			      .stacked = false,
			      .ngroups = ngroups,
			      .nseries = rs->nvariants,
			      .group = (const char *const *)labels,
			      .series = series,
			      .color = colors,
			      .v = v};

	report_chart(rp, &c, "runq",
		     "Run-queue latency: share of waits per bucket, each bucket from the "
		     "time it is labelled with to twice that");
	for (j = 0; j < ngroups; j++)
		free(labels[j]);
	free(labels);
	free(series);
	free(colors);
	free(v);
}

void report_runq(struct report *rp)
{
	struct hist all = {0};

	doc_para(&rp->doc, "How long a thread that could run waited for a CPU, each time "
			   "(eBPF, every process of the run). Bars: the share of waits in each "
			   "bucket, per variant.");
	runq_table(rp, &all);
	if (!all.n)
		doc_note(&rp->doc, "no run-queue waits were recorded");
	else
		runq_chart(rp, &all);
	hist_free(&all);
}

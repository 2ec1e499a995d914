// SPDX-License-Identifier: GPL-2.0
/* Run-queue latency (wakeup or preemption to running) of every variant,
 * histograms side by side, with the percentiles. */
#include <stdio.h>
#include <stdlib.h>

#include "charts.h"
#include "report.h"

/* "4-8 us", "1-2 ms": a bucket's range in the unit that fits it. */
static char *bucket_label(const struct hist_bucket *b)
{
	double lo = (double)b->lo_ns, hi = (double)b->hi_ns;

	if (hi <= 1e3)
		return xasprintf("%.0f-%.0f ns", lo, hi);
	if (hi <= 1e6)
		return xasprintf("%.4g-%.4g us", lo / 1e3, hi / 1e3);
	if (hi <= 1e9)
		return xasprintf("%.4g-%.4g ms", lo / 1e6, hi / 1e6);
	return xasprintf("%.4g-%.4g s", lo / 1e9, hi / 1e9);
}

void report_runq(struct report *rp)
{
	static const char *const head[] = {"Variant", "waits",	"p50 µs", "p90 µs",
					   "p99 µs",  "max µs", NULL};
	const struct run_set *rs = rp->rs;
	struct hist all = {0};
	const char **series;
	char **labels;
	struct doc_block *t;
	double *v;
	size_t i, j, k;

	doc_heading(&rp->doc, 2, "Run-queue latency");
	doc_para(&rp->doc, "How long a thread that could run waited for a CPU, each time "
			   "(eBPF, every process of the run). Bars: the share of waits in each "
			   "bucket, per variant.");
	t = doc_table(&rp->doc, head);
	for (i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		doc_cell(t, "%s", r->variant);
		doc_cell(t, "%llu", (unsigned long long)hist_total(&r->runq));
		doc_cell(t, "%.1f", r->m[M_RUNQ_P50_NS] / 1e3);
		doc_cell(t, "%.1f", hist_quantile(&r->runq, 0.90) / 1e3);
		doc_cell(t, "%.1f", r->m[M_RUNQ_P99_NS] / 1e3);
		doc_cell(t, "%.1f", r->m[M_RUNQ_MAX_NS] / 1e3);
		if (hist_merge(&all, &r->runq)) {
			doc_note(&rp->doc,
				 "%s: its run-queue histogram has other buckets than the "
				 "rest; it is left out of the chart",
				 r->dir);
		}
	}
	if (!all.n) {
		doc_note(&rp->doc, "no run-queue waits were recorded");
		return;
	}
	/* The buckets of every variant, each variant's share of its own waits. */
	labels = calloc(all.n, sizeof(*labels));
	series = calloc(rs->nvariants, sizeof(*series));
	v = calloc(all.n * rs->nvariants, sizeof(*v));
	if (!labels || !series || !v)
		abort();
	for (j = 0; j < all.n; j++)
		labels[j] = bucket_label(&all.b[j]);
	for (i = 0; i < rs->nvariants; i++) {
		const struct hist *h = &rs->variants[i].rep->runq;
		double total = (double)hist_total(h);

		series[i] = rs->variants[i].name;
		for (k = 0; k < h->n; k++)
			for (j = 0; j < all.n; j++)
				if (all.b[j].lo_ns == h->b[k].lo_ns && total > 0)
					v[j * rs->nvariants + i] =
					    100.0 * (double)h->b[k].count / total;
	}
	{
		struct bar_chart c = {.title = "Run-queue latency",
				      .ylabel = "% of waits",
				      .stacked = false,
				      .ngroups = all.n,
				      .nseries = rs->nvariants,
				      .group = (const char *const *)labels,
				      .series = series,
				      .v = v};

		report_chart(rp, &c, "runq", "Run-queue latency, share of waits per bucket");
	}
	for (j = 0; j < all.n; j++)
		free(labels[j]);
	free(labels);
	free(series);
	free(v);
	hist_free(&all);
}

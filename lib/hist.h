/* SPDX-License-Identifier: GPL-2.0 */
/* Latency histograms as sched.json writes them: the non-empty buckets
 * [lo_ns, hi_ns) with their counts, ascending. */
#ifndef SCHEDLAB_HIST_H
#define SCHEDLAB_HIST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct hist_bucket {
	uint64_t lo_ns;
	uint64_t hi_ns;
	uint64_t count;
};

struct hist {
	struct hist_bucket *b;
	size_t n;
};

/* Parse a "hist" array into @h. Returns 0, or -1 with a reason in @why
 * (buckets out of order, lo >= hi, a missing field). */
int hist_from_json(struct hist *h, const json_t *arr, char *why, size_t whylen);
uint64_t hist_total(const struct hist *h);
/* The @q quantile (0 < q <= 1) in ns: the bucket where the cumulative count
 * reaches q * total, interpolated linearly inside it (values are assumed
 * spread evenly over [lo, hi)). 0 for an empty histogram. */
double hist_quantile(const struct hist *h, double q);
/* The same, never above @max_ns when @max_ns > 0: the histogram interpolates
 * inside its bucket, which can reach past the longest value actually seen.
 * The one quantile of run-queue waits: sched.json's p50_ns, p90_ns, p99_ns
 * (the collector) and the report's, of one process or several merged. */
double hist_quantile_max(const struct hist *h, double q, double max_ns);
/* Add every bucket of @src into @dst; buckets with the same [lo, hi) merge,
 * the result stays sorted. Returns 0, or -1 when two buckets overlap without
 * being equal (histograms with different bucket layouts). */
int hist_merge(struct hist *dst, const struct hist *src);
void hist_free(struct hist *h);

#endif

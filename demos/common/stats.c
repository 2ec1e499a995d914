// SPDX-License-Identifier: GPL-2.0
#include "stats.h"
#include "result.h"

#include <stdlib.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void u64_sort(uint64_t *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_u64);
}

uint64_t u64_percentile(const uint64_t *v, size_t n, double p)
{
	/* The smallest value with at least p% of the values at or below it. */
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (!n)
		return 0;
	if (rank < 1)
		rank = 1;
	return v[(rank > n ? n : rank) - 1];
}

json_t *durations_json(uint64_t *v, size_t n)
{
	json_t *o = json_object();
	uint64_t sum = 0;

	if (!o)
		abort();
	u64_sort(v, n);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	json_set_int(o, "count", (long long)n);
	json_set_int(o, "min", n ? (long long)v[0] : 0);
	json_set_int(o, "p50", (long long)u64_percentile(v, n, 50));
	json_set_int(o, "p95", (long long)u64_percentile(v, n, 95));
	json_set_int(o, "p99", (long long)u64_percentile(v, n, 99));
	json_set_int(o, "max", n ? (long long)v[n - 1] : 0);
	json_set_int(o, "mean", n ? (long long)(sum / n) : 0);
	return o;
}

json_t *latency_json(const uint64_t *sorted, size_t n)
{
	json_t *o = json_object();
	uint64_t sum = 0;

	if (!o)
		abort();
	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	json_set_int(o, "count", (long long)n);
	json_set_int(o, "mean_ns", n ? (long long)(sum / n) : 0);
	json_set_int(o, "p50_ns", (long long)u64_percentile(sorted, n, 50));
	json_set_int(o, "p95_ns", (long long)u64_percentile(sorted, n, 95));
	json_set_int(o, "p99_ns", (long long)u64_percentile(sorted, n, 99));
	json_set_int(o, "max_ns", n ? (long long)sorted[n - 1] : 0);
	return o;
}

double pct_above(uint64_t got, uint64_t limit)
{
	return limit ? 100.0 * ((double)got - (double)limit) / (double)limit : 0.0;
}

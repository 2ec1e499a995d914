/* SPDX-License-Identifier: GPL-2.0 */
/* Summaries of measured durations, shared by the demos so that every p50 or
 * p99 in a demo.json means the same thing (nearest rank), and the distance
 * of a measurement from its physical limit. */
#ifndef SCHEDLAB_STATS_H
#define SCHEDLAB_STATS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Sort @n values in ascending order. */
void u64_sort(uint64_t *v, size_t n);
/* The nearest-rank @p-th percentile (0 < p <= 100) of the sorted @v; 0 when
 * @n is 0. */
uint64_t u64_percentile(const uint64_t *v, size_t n, double p);
/* {count, min, p50, p95, p99, max, mean} of @n values, which it sorts in place;
 * every figure 0 when @n is 0. Never NULL. */
json_t *durations_json(uint64_t *v, size_t n);
/* {count, mean_ns, p50_ns, p95_ns, p99_ns, max_ns} of @n latencies already
 * sorted; every figure 0 when @n is 0. Never NULL. */
json_t *latency_json(const uint64_t *sorted, size_t n);
/* How far @got is above @limit, in percent of @limit (negative below it);
 * 0 when @limit is 0. */
double pct_above(uint64_t got, uint64_t limit);

#endif

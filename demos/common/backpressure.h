/* SPDX-License-Identifier: GPL-2.0 */
/* 04_backpressure's run (demos/04_backpressure.c runs it) and its demo.json
 * (docs/demos/04_backpressure.md), written in result_backpressure.c: what the
 * program and its JSON writing share. */
#ifndef SCHEDLAB_BACKPRESSURE_H
#define SCHEDLAB_BACKPRESSURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "queue.h"

struct params {
	uint64_t duration_ns;
	int produce_ms;
	int consume_ms;
	int capacity;
	int payload;
	bool work_cpu;
	bool quick;
};

struct sample {
	uint64_t t_ns; /* since the start */
	uint64_t backlog;
	long rss_kib;
};

struct run {
	const struct params *p;
	struct queue q;
	uint64_t start_ns, deadline_ns;
	uint64_t produced;
	/* Filled by the consumer: the queueing latency of each item it took. */
	uint64_t *latency;
	size_t nlatency, max_latency;
	uint64_t consumed;
	unsigned long touched; /* payload bytes read, so the work uses them */
	struct sample *samples;
	size_t nsamples, max_samples;
};

struct summary {
	uint64_t produced, consumed, backlog, max_backlog;
	uint64_t p50, p99, max_lat;
	long peak_kib, start_kib, end_kib;
	uint64_t end_ns, oldest_age_ns;
};

/* The variant's figures into @res (result_new's, its "params" empty): a
 * queue of params.capacity items when @bounded, else no bound. */
void backpressure_json(json_t *res, bool bounded, struct run *r, const struct summary *sum);

#endif

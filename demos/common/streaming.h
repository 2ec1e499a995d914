/* SPDX-License-Identifier: GPL-2.0 */
/* 08_streaming's run (demos/08_streaming.c runs it) and its demo.json
 * (docs/demos/08_streaming.md), written in result_streaming.c: what the
 * program and its JSON writing share. */
#ifndef SCHEDLAB_STREAMING_H
#define SCHEDLAB_STREAMING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "queue.h"

#define MAX_WORKERS 256

struct params {
	int workers;
	uint64_t service_ns;
	bool service_cpu; /* busy CPU; else a blocking sleep (a backend call) */
	uint64_t duration_ns;
	int capacity; /* the bounded variant's queue */
	unsigned long long seed;
	bool quick;
};

struct request {
	uint64_t arrival_ns; /* when it was due (the Poisson schedule) */
	uint64_t enq_ns;     /* when the client queued it */
	uint64_t start_ns;   /* a worker took it */
	uint64_t done_ns;
	bool rejected;
};

struct run {
	const struct params *p;
	struct queue q;
	double rate; /* arrivals per second */
	uint64_t start_ns, deadline_ns;
	struct request *req;
	struct queue_item *items;
	size_t max_req, nreq;
	uint64_t rejected;
	struct queue_item pill[MAX_WORKERS];
};

/* The measured figures of one run, for the table and demo.json. */
struct summary {
	int load; /* % of capacity offered */
	bool bounded;
	double capacity;	    /* requests per second the pool can serve */
	const char *capacity_bound; /* what bounds it: "workers" or "cpus" */
	double rate, throughput;
	uint64_t arrivals, rejected, max_depth;
	uint64_t p50, p95, p99, max, wait_p99, service_p50, service_p99, late_p99;
	double wait_mean;
	uint64_t first_p50, last_p50; /* latency of the first and last windows */
};

/* The run's figures from its request log into @s and into @res
 * (result_new's, its "params" empty), the run having ended at @end. The
 * caller sets s->load, s->bounded, s->capacity and s->capacity_bound. */
void streaming_json(json_t *res, struct run *r, int cpus, uint64_t end, struct summary *s);

#endif

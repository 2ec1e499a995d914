// SPDX-License-Identifier: GPL-2.0
/* 08_streaming's figures and demo.json (streaming.h). */
#include "streaming.h"
#include "clock.h"
#include "result.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Latency by window of queueing time and queue depth at each window's end, so the
 * report can show whether latency settles or grows for as long as the run
 * lasts. Depth at t = requests accepted by t minus requests started by t. */
static json_t *windows_json(const struct run *r, uint64_t win, struct summary *s)
{
	size_t n = r->nreq, a = 0, b = 0, nstart = 0, accepted_total = 0;
	uint64_t *starts = calloc(n + 1, sizeof(*starts)), *lat = calloc(n + 1, sizeof(*lat));
	uint64_t span = r->deadline_ns - r->start_ns;
	json_t *arr = json_array();

	if (!starts || !lat || !arr) {
		fprintf(stderr, "calloc(windows): out of memory\n");
		abort();
	}
	for (size_t i = 0; i < n; i++)
		if (!r->req[i].rejected)
			starts[nstart++] = r->req[i].start_ns;
	u64_sort(starts, nstart);
	/* Requests are counted in the queue from when the client queued them
	 * (arrivals are in schedule order; the client queues them in order). */
	for (uint64_t t0 = 0; t0 < span; t0 += win) {
		uint64_t end = r->start_ns + (t0 + win < span ? t0 + win : span);
		size_t nl = 0, arrivals = 0, rejected = 0;
		json_t *o = json_object();

		if (!o)
			abort();
		for (; a < n && r->req[a].enq_ns < end; a++, arrivals++) {
			if (r->req[a].rejected) {
				rejected++;
				continue;
			}
			accepted_total++;
			lat[nl++] = r->req[a].done_ns - r->req[a].arrival_ns;
		}
		while (b < nstart && starts[b] < end)
			b++;
		u64_sort(lat, nl);
		json_set_int(o, "t_ns", (long long)(end - r->start_ns));
		json_set_int(o, "arrivals", (long long)arrivals);
		json_set_int(o, "rejected", (long long)rejected);
		json_set_int(o, "depth", (long long)(accepted_total - b));
		json_set_int(o, "p50_ns", (long long)u64_percentile(lat, nl, 50));
		json_set_int(o, "p99_ns", (long long)u64_percentile(lat, nl, 99));
		if (json_array_append_new(arr, o))
			abort();
		if (accepted_total - b > s->max_depth)
			s->max_depth = accepted_total - b;
		if (t0 == 0)
			s->first_p50 = u64_percentile(lat, nl, 50);
		s->last_p50 = u64_percentile(lat, nl, 50);
	}
	free(starts);
	free(lat);
	return arr;
}

/* One summary object per latency part, over the accepted requests. */
static json_t *part_json(const struct run *r, int part, uint64_t *buf, uint64_t *p50, uint64_t *p95,
			 uint64_t *p99, uint64_t *max)
{
	size_t n = 0;
	json_t *o;

	for (size_t i = 0; i < r->nreq; i++) {
		const struct request *q = &r->req[i];

		if (q->rejected)
			continue;
		buf[n++] = part == 0   ? q->done_ns - q->arrival_ns
			   : part == 1 ? q->start_ns - q->arrival_ns
				       : q->done_ns - q->start_ns;
	}
	o = durations_json(buf, n);
	*p50 = u64_percentile(buf, n, 50);
	if (p95)
		*p95 = u64_percentile(buf, n, 95);
	if (p99)
		*p99 = u64_percentile(buf, n, 99);
	if (max)
		*max = n ? buf[n - 1] : 0;
	return o;
}

static void params_json(json_t *params, const struct params *p, const struct summary *s)
{
	json_set_int(params, "workers", p->workers);
	json_set_int(params, "service_us", (long long)(p->service_ns / NSEC_PER_USEC));
	json_set_str(params, "service", p->service_cpu ? "cpu" : "sleep");
	json_set_real(params, "duration_s", ns_to_s(p->duration_ns));
	json_set_int(params, "load_pct", s->load);
	json_set_int(params, "capacity", s->bounded ? p->capacity : 0);
	json_set_int(params, "seed", (long long)p->seed);
	json_set_new(params, "quick", json_boolean(p->quick));
}

/*
 * The accepted requests into @s: the mean wait, the client's lateness
 * (p99 of arrival to queueing, its sorted values left in @buf), the
 * throughput within the run. Returns the workers' busy time.
 */
static uint64_t summarize(const struct run *r, uint64_t *buf, struct summary *s)
{
	uint64_t busy = 0, done_in = 0;
	size_t nlate = 0;

	for (size_t i = 0; i < r->nreq; i++) {
		const struct request *q = &r->req[i];

		if (q->rejected)
			continue;
		busy += q->done_ns - q->start_ns;
		s->wait_mean += (double)(q->start_ns - q->arrival_ns);
		done_in += q->done_ns <= r->deadline_ns;
		buf[nlate++] = q->enq_ns - q->arrival_ns;
	}
	u64_sort(buf, nlate);
	s->late_p99 = u64_percentile(buf, nlate, 99);
	s->wait_mean = nlate ? s->wait_mean / (double)nlate : 0;
	s->rate = r->rate;
	s->arrivals = r->nreq;
	s->rejected = r->rejected;
	s->throughput = done_in / ns_to_s(r->p->duration_ns);
	return busy;
}

void streaming_json(json_t *res, struct run *r, int cpus, uint64_t end, struct summary *s)
{
	const struct params *p = r->p;
	uint64_t *buf = calloc(r->nreq + 1, sizeof(*buf)), busy, late_p99, dummy;
	uint64_t win =
	    p->duration_ns / 20 > 50 * NSEC_PER_MSEC ? p->duration_ns / 20 : 50 * NSEC_PER_MSEC;
	json_t *o, *locks;

	if (!buf) {
		fprintf(stderr, "calloc(latencies): out of memory\n");
		abort();
	}
	params_json(result_params(res), p, s);
	result_set_wall(res, r->start_ns, end);
	json_set_int(res, "cpus_usable", cpus);
	json_set_real(res, "capacity_per_s", s->capacity);
	json_set_str(res, "capacity_bound", s->capacity_bound);
	json_set_real(res, "rate_per_s", r->rate);

	busy = summarize(r, buf, s);
	late_p99 = s->late_p99;
	json_set_int(res, "arrivals", (long long)r->nreq);
	json_set_int(res, "accepted", (long long)(r->nreq - r->rejected));
	json_set_int(res, "rejected", (long long)r->rejected);
	json_set_int(res, "completed", (long long)(r->nreq - r->rejected));
	json_set_real(res, "throughput_per_s", s->throughput);
	/* The workers' own account of their busy time: service over their
	 * time available from the first arrival to the last answer. */
	json_set_real(res, "utilization",
		      end > r->start_ns ? (double)busy / ((double)p->workers * (end - r->start_ns))
					: 0);
	json_set_int(res, "client_late_p99_ns", (long long)late_p99);

	json_set_new(res, "latency", part_json(r, 0, buf, &s->p50, &s->p95, &s->p99, &s->max));
	json_set_new(res, "wait", part_json(r, 1, buf, &dummy, NULL, &s->wait_p99, NULL));
	json_set_new(res, "service",
		     part_json(r, 2, buf, &s->service_p50, NULL, &s->service_p99, NULL));
	json_set_real(res, "p99_ms", round(s->p99 / 1e4) / 100); /* the headline */
	json_set_new(res, "windows", windows_json(r, win, s));
	json_set_int(res, "max_depth", (long long)s->max_depth);

	o = json_set_object(res, "queue");
	json_set_int(o, "capacity", (long long)r->q.capacity);
	json_set_int(o, "max_len", (long long)r->q.max_len);
	locks = json_array();
	if (!locks)
		abort();
	queue_add_locks(&r->q, locks);
	json_set_new(res, "locks", locks);
	result_add_threads(res);
	free(buf);
}

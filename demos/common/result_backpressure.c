// SPDX-License-Identifier: GPL-2.0
/* 04_backpressure's demo.json (backpressure.h). */
#include "backpressure.h"
#include "clock.h"
#include "result.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static void params_json(json_t *params, const struct params *p, bool bounded)
{
	json_set_real(params, "duration_s", ns_to_s(p->duration_ns));
	json_set_int(params, "produce_ms", p->produce_ms);
	json_set_int(params, "consume_ms", p->consume_ms);
	json_set_int(params, "capacity", bounded ? p->capacity : 0);
	json_set_int(params, "payload_bytes", p->payload);
	json_set_str(params, "work", p->work_cpu ? "cpu" : "sleep");
	json_set_new(params, "quick", json_boolean(p->quick));
}

static void rss_json(json_t *o, const struct summary *sum)
{
	struct rusage ru;

	json_set_int(o, "start_kib", sum->start_kib);
	json_set_int(o, "end_kib", sum->end_kib);
	json_set_int(o, "peak_kib", sum->peak_kib);
	/* What this variant added: earlier variants' freed memory may stay
	 * in the process (malloc arenas), so the start is not zero. */
	json_set_int(o, "growth_kib", sum->peak_kib - sum->start_kib);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		json_set_int(o, "maxrss_kib", ru.ru_maxrss);
	else
		perror("getrusage(RUSAGE_SELF)");
}

static json_t *samples_json(const struct run *r)
{
	json_t *arr = json_array();

	if (!arr)
		abort();
	for (size_t i = 0; i < r->nsamples; i++) {
		json_t *s = json_object();

		if (!s)
			abort();
		json_set_int(s, "t_ns", (long long)r->samples[i].t_ns);
		json_set_int(s, "backlog", (long long)r->samples[i].backlog);
		json_set_int(s, "rss_kib", r->samples[i].rss_kib);
		if (json_array_append_new(arr, s))
			abort();
	}
	return arr;
}

void backpressure_json(json_t *res, bool bounded, struct run *r, const struct summary *sum)
{
	json_t *q, *locks = json_array();

	params_json(result_params(res), r->p, bounded);
	result_set_wall(res, r->start_ns, sum->end_ns);
	json_set_int(res, "produced", (long long)sum->produced);
	json_set_int(res, "consumed", (long long)sum->consumed);
	json_set_int(res, "backlog", (long long)sum->backlog);
	json_set_int(res, "max_backlog", (long long)sum->max_backlog);
	json_set_int(res, "oldest_age_ns", (long long)sum->oldest_age_ns);
	q = json_set_object(res, "queue");
	json_set_int(q, "capacity", bounded ? r->p->capacity : 0);
	json_set_int(q, "put_waits", (long long)r->q.put_waits);
	json_set_int(q, "put_wait_ns", (long long)r->q.put_wait_ns);
	json_set_new(res, "latency", latency_json(r->latency, r->nlatency));
	rss_json(json_set_object(res, "rss"), sum);
	json_set_new(res, "samples", samples_json(r));
	if (!locks)
		abort();
	queue_add_locks(&r->q, locks);
	json_set_new(res, "locks", locks);
	result_add_threads(res);
}

// SPDX-License-Identifier: GPL-2.0
/* 08's lesson: latency against load, the queueing hockey stick (the variants
 * under capacity, with the bounded queue at 110% beside them), and latency
 * over the run at 110%, unbounded against bounded (demo.json windows). */
#include <stdio.h>
#include <stdlib.h>

#include "charts.h"
#include "explain.h"
#include "figures.h"
#include "lesson.h"
#include "palette.h"
#include "report.h"

#define POINTS_MAX 16
#define WINDOWS_MAX 1024

static double load_of(const struct run *r)
{
	return demo_param(r->demo, "load_pct", -1);
}

static bool bounded(const struct run *r)
{
	return demo_param(r->demo, "capacity", 0) > 0;
}

/* p50, p95, p99 against the load of the unbounded runs under capacity, and
 * the bounded run's p99 above it. */
static void hockey_stick(struct report *rp)
{
	static const char *const keys[] = {"latency.p50", "latency.p95", "latency.p99"};
	static const char *const names[] = {"p50", "p95", "p99"};
	const struct run_set *rs = rp->rs;
	double x[POINTS_MAX], y[3][POINTS_MAX], bx[1], by[1], noisy;
	const struct run *lowest = NULL;
	struct xy_series s[4];
	size_t i, n = 0, ns = 0, nb = 0;

	for (i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		if (!r->demo || load_of(r) < 0)
			continue;
		if (bounded(r) && load_of(r) > 100 && !nb) {
			bx[0] = load_of(r);
			by[0] = demo_num(r, "latency.p99", 0) / 1e6;
			nb = 1;
		} else if (!bounded(r) && load_of(r) < 100 && n < POINTS_MAX) {
			x[n] = load_of(r);
			if (!lowest || load_of(r) < load_of(lowest))
				lowest = r;
			for (int k = 0; k < 3; k++)
				y[k][n] = demo_num(r, keys[k], 0) / 1e6;
			n++;
		}
	}
	if (n < 2)
		return;
	noisy = fig_p99_over_service(lowest);
	for (int k = 0; k < 3; k++)
		s[ns++] = (struct xy_series){.title = names[k],
					     .color = series_color((size_t)k),
					     .style = XY_LINESPOINTS,
					     .n = n,
					     .x = x,
					     .y = y[k]};
	if (nb)
		s[ns++] = (struct xy_series){.title = "p99, bounded queue",
					     .color = series_color(3),
					     .style = XY_LINESPOINTS,
					     .n = 1,
					     .x = bx,
					     .y = by};
	struct xy_chart c = {.title = "Latency against load",
			     .xlabel = "offered load, % of capacity (workers / service time)",
			     .ylabel = "latency (ms)",
			     .nseries = ns,
			     .series = s};
	report_xy_chart(
	    rp, &c, "lesson",
	    noisy >= FIG_NOISY_LOW
		? "Latency against load: queueing keeps p99 low at low load and makes it climb "
		  "steeply near 100% (the hockey stick), but here p99 was high even at the "
		  "lowest load: the host delayed the workers (see the trust line), so read the "
		  "shape with care. Above capacity a bounded queue keeps p99 bounded (the lone "
		  "point at 110%) by rejecting what does not fit."
		: "Latency against load: below capacity p99 stays low, then climbs steeply as "
		  "the load nears 100% (the hockey stick: a burst finds every worker busy and "
		  "waits). Above capacity a bounded queue keeps p99 bounded (the lone point at "
		  "110%) by rejecting what does not fit.");
}

/* The p50 of each window of the run at the load above capacity. */
static void over_time(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct xy_series s[4];
	double *buf[8] = {0};
	size_t i, ns = 0, k = 0;

	for (i = 0; i < rs->nvariants && ns < 4; i++) {
		const struct run *r = rs->variants[i].rep;
		const json_t *w = r->demo ? json_object_get(r->demo->root, "windows") : NULL;
		double *t, *y;
		size_t j, n = 0;

		if (!json_is_array(w) || load_of(r) <= 100)
			continue;
		t = buf[k++] = calloc(WINDOWS_MAX, sizeof(double));
		y = buf[k++] = calloc(WINDOWS_MAX, sizeof(double));
		if (!t || !y)
			abort();
		for (j = 0; j < json_array_size(w) && n < WINDOWS_MAX; j++) {
			const json_t *e = json_array_get(w, j);

			if (json_number_value(json_object_get(e, "p50_ns")) <= 0)
				continue;
			t[n] = json_number_value(json_object_get(e, "t_ns")) / 1e9;
			y[n++] = json_number_value(json_object_get(e, "p50_ns")) / 1e6;
		}
		if (n)
			s[ns++] = (struct xy_series){.title = rs->variants[i].name,
						     .color = series_color(i),
						     .style = XY_LINESPOINTS,
						     .n = n,
						     .x = t,
						     .y = y};
	}
	if (ns) {
		struct xy_chart c = {.title = "Above capacity: latency over the run",
				     .xlabel = "seconds since the first arrival",
				     .ylabel = "median latency of the requests queued then (ms)",
				     .nseries = ns,
				     .series = s};

		report_xy_chart(rp, &c, "lesson-over-time",
				"At 110% of capacity: with an unbounded queue the median latency "
				"climbs for as long as the run lasts (there is no steady state); "
				"with a bounded queue it stays flat.");
	}
	for (i = 0; i < k; i++)
		free(buf[i]);
}

static void draw(struct report *rp)
{
	hockey_stick(rp);
	over_time(rp);
}

const struct lesson lesson_08_streaming = {"08_streaming", draw};

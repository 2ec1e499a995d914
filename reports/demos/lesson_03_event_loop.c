// SPDX-License-Identifier: GPL-2.0
/* 03's lesson: how late each task finished (demo.json task_times), both
 * loops on one scale, and the loop thread of each on one time axis. */
#include <stdio.h>
#include <stdlib.h>

#include "charts.h"
#include "lesson.h"
#include "palette.h"
#include "report.h"

static void lateness(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct xy_series s[8];
	double *buf[16] = {0};
	struct sbuf cap = SBUF_INIT;
	size_t i, j, n = 0, k = 0;
	char d[32];

	sb_add(&cap, "How late each task finished after its timer was due, in the order the loop "
		     "got them, both loops on one scale:");
	for (i = 0; i < rs->nvariants && n < 8; i++) {
		const struct variant *v = &rs->variants[i];
		const json_t *tt =
		    v->rep->demo ? json_object_get(v->rep->demo->root, "task_times") : NULL;
		size_t m = json_array_size(tt);
		double *x, *y, max = 0;

		if (!m)
			continue;
		x = buf[k++] = calloc(m, sizeof(double));
		y = buf[k++] = calloc(m, sizeof(double));
		if (!x || !y)
			abort();
		for (j = 0; j < m; j++) {
			const json_t *l = json_object_get(json_array_get(tt, j), "lateness_ns");

			x[j] = (double)j + 1;
			y[j] = json_is_number(l) ? json_number_value(l) / 1e9 : 0;
			if (y[j] > max)
				max = y[j];
		}
		s[n++] = (struct xy_series){.title = v->name,
					    .color = series_color(i),
					    .style = XY_LINESPOINTS,
					    .n = m,
					    .x = x,
					    .y = y};
		sb_printf(&cap, "%s %s at most %s", n > 1 ? "," : "", v->name,
			  fig_dur(d, sizeof(d), max * 1e9));
	}
	sb_add(&cap, ". A loop that awaits runs every task on time; a loop that blocks makes "
		     "each task wait for all the sleeps before it.");
	if (n) {
		struct xy_chart c = {.title = "How late each task finished",
				     .xlabel = "task, in the order the loop got them",
				     .ylabel = "seconds late",
				     .nseries = n,
				     .series = s};

		report_xy_chart(rp, &c, "lesson", sb_str(&cap));
	}
	for (i = 0; i < k; i++)
		free(buf[i]);
	sb_free(&cap);
}

static void draw(struct report *rp)
{
	lateness(rp);
	report_shared_timeline(
	    rp, "Both loops on one time axis",
	    "The loop thread of each variant from its start. await: one long wait in epoll_wait "
	    "(io, dark blue) while every timer runs at once, then a few wakeups. blocking: one "
	    "sleep (light blue) per task, each after the other, a wakeup between them.");
}

const struct lesson lesson_03_event_loop = {"03_event_loop", draw};

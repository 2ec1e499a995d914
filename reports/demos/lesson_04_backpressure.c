// SPDX-License-Identifier: GPL-2.0
/* 04's lesson: the queue's backlog and the process's memory over time, the
 * unbounded queue against the bounded one (demo.json samples). */
#include <stdio.h>
#include <stdlib.h>

#include "charts.h"
#include "lesson.h"
#include "palette.h"
#include "report.h"

#define SAMPLES_MAX 4096

static void draw(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct xy_series s[16];
	double *buf[16] = {0};
	struct sbuf cap = SBUF_INIT;
	char title[2][96];
	size_t i, n = 0, k = 0;

	sb_add(&cap, "Solid lines: items waiting in the queue (left axis); dashed: the process's "
		     "memory, RSS (right axis), same color per variant.");
	for (i = 0; i < rs->nvariants && n + 2 <= 16; i++) {
		const struct variant *v = &rs->variants[i];
		double cap_items = fig_capacity(v->rep), *t, *b, *t2, *m;
		size_t nb, nm, j;

		t = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		b = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		t2 = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		m = buf[k++] = calloc(SAMPLES_MAX, sizeof(double));
		if (!t || !b || !t2 || !m)
			abort();
		nb = fig_samples(v->rep, "backlog", t, b, SAMPLES_MAX);
		nm = fig_samples(v->rep, "rss_kib", t2, m, SAMPLES_MAX);
		for (j = 0; j < nm; j++)
			m[j] /= 1024;
		if (!nb)
			continue;
		snprintf(title[0], sizeof(title[0]), "%s backlog", v->name);
		s[n++] = (struct xy_series){.title = xasprintf("%s backlog", v->name),
					    .color = series_color(i),
					    .style = XY_LINES,
					    .n = nb,
					    .x = t,
					    .y = b};
		if (nm)
			s[n++] = (struct xy_series){.title = xasprintf("%s memory", v->name),
						    .color = series_color(i),
						    .style = XY_DASHED,
						    .right = true,
						    .n = nm,
						    .x = t2,
						    .y = m};
		if (cap_items > 0)
			sb_printf(
			    &cap,
			    " %s: a queue of %.0f, its backlog at most %.0f, memory %+.1f MiB.",
			    v->name, cap_items, demo_num(v->rep, "max_backlog", b[nb - 1]),
			    (m[nm ? nm - 1 : 0] - m[0]));
		else if (cap_items == 0)
			sb_printf(&cap,
				  " %s: no limit, the backlog reached %.0f, memory %+.1f MiB.",
				  v->name, b[nb - 1], nm ? m[nm - 1] - m[0] : 0);
	}
	(void)title;
	if (n) {
		struct xy_chart c = {.title = "Backlog and memory over time",
				     .xlabel = "seconds since the producer started",
				     .ylabel = "items waiting in the queue",
				     .y2label = "memory (RSS), MiB",
				     .nseries = n,
				     .series = s};

		report_xy_chart(rp, &c, "lesson", sb_str(&cap));
	}
	for (i = 0; i < n; i++)
		free((char *)s[i].title);
	for (i = 0; i < k; i++)
		free(buf[i]);
	sb_free(&cap);
}

const struct lesson lesson_04_backpressure = {"04_backpressure", draw};

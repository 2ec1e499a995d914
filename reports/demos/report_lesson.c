// SPDX-License-Identifier: GPL-2.0
/* The lesson chart: the one picture each demo exists to show, right under
 * the verdict. One function per demo (lesson_NN.c); a demo without one gets
 * none. To add one: write reports/lesson_NN_name.c and list it below. */
#include <string.h>

#include "lesson.h"
#include "report.h"

static const struct lesson *const lessons[] = {
    &lesson_01_io_wait,	     &lesson_02_cpu_bound,	 &lesson_03_event_loop,
    &lesson_04_backpressure, &lesson_05_thread_overhead, &lesson_06_hybrid_pipeline,
    &lesson_07_costs,	     &lesson_08_streaming,
};

void report_lesson(struct report *rp)
{
	size_t i;

	if (!rp->rs->is_demo)
		return;
	for (i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++)
		if (!strcmp(lessons[i]->demo, rp->rs->demo)) {
			lessons[i]->draw(rp);
			return;
		}
}

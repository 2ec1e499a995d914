// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 05_thread_overhead. */
#include "lesson.h"
#include "report.h"

static void draw(struct report *rp)
{
	(void)rp;
}

const struct lesson lesson_05_thread_overhead = {"05_thread_overhead", draw};

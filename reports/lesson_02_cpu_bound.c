// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 02_cpu_bound. */
#include "lesson.h"
#include "report.h"

static void draw(struct report *rp)
{
	(void)rp;
}

const struct lesson lesson_02_cpu_bound = {"02_cpu_bound", draw};

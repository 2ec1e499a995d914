// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 03_event_loop. */
#include "lesson.h"
#include "report.h"

static void draw(struct report *rp)
{
	(void)rp;
}

const struct lesson lesson_03_event_loop = {"03_event_loop", draw};

// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 01_io_wait. */
#include "lesson.h"
#include "report.h"

static void draw(struct report *rp)
{
	(void)rp;
}

const struct lesson lesson_01_io_wait = {"01_io_wait", draw};

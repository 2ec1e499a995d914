// SPDX-License-Identifier: GPL-2.0
/* The lesson chart of 04_backpressure. */
#include "lesson.h"
#include "report.h"

static void draw(struct report *rp)
{
	(void)rp;
}

const struct lesson lesson_04_backpressure = {"04_backpressure", draw};

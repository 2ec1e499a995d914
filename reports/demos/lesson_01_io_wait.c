// SPDX-License-Identifier: GPL-2.0
/* 01's lesson: the variants on one time axis, a lane per thread that made
 * the requests: serial's one thread waits for each answer in turn, a pool's
 * threads wait at the same time and finish sooner. */
#include <stdio.h>

#include "lesson.h"
#include "report.h"

static void draw(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct sbuf cap = SBUF_INIT;
	size_t i;

	sb_add(&cap, "Blue is waiting for an answer (io, sleep), green is computing. Serial's "
		     "single thread waits for one answer after another; a pool's threads wait at "
		     "the same time, so the same waits end sooner:");
	for (i = 0; i < rs->nvariants; i++)
		sb_printf(&cap, "%s %s %.2f s", i ? "," : "", rs->variants[i].name,
			  rs->variants[i].m[M_WALL_S].med);
	sb_add(&cap, ". Almost no green anywhere: the threads overlap their waits, they do not "
		     "compute in parallel.");
	report_shared_timeline(
	    rp, "Every variant on one time axis: the threads that made the requests", sb_str(&cap));
	sb_free(&cap);
}

const struct lesson lesson_01_io_wait = {"01_io_wait", draw};

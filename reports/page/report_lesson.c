// SPDX-License-Identifier: GPL-2.0
/* The lesson chart: the one picture each demo exists to show, right under
 * the verdict, drawn by its module (demo_module.h); a demo without one gets
 * none. */
#include "demo_module.h"
#include "report.h"

void report_lesson(struct report *rp)
{
	const struct demo_module *m = rp->rs->is_demo ? demo_module_for(rp->rs->demo) : NULL;

	if (m && m->lesson)
		m->lesson(rp);
}

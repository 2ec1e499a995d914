/* SPDX-License-Identifier: GPL-2.0 */
/* One color per thread state, shared by every picture of the report (the
 * stacked bars, the timeline, the legends), so a state looks the same
 * everywhere. Indexed by enum state (runset.h). */
#ifndef SCHEDLAB_PALETTE_H
#define SCHEDLAB_PALETTE_H

#include "runset.h"

/* The colors as "#rrggbb". Chosen so the two on-CPU-ish states (running
 * green, runnable orange) stand out from the blocked ones, and lock (red)
 * from the other waits. */
static inline const char *state_color(enum state s)
{
	static const char *const colors[ST_COUNT] = {
	    [ST_RUNNING] = "#2ca02c", [ST_RUNNABLE] = "#ff7f0e", [ST_LOCK] = "#d62728",
	    [ST_SLEEP] = "#1f77b4",   [ST_IO] = "#9467bd",	 [ST_DISK] = "#8c564b",
	    [ST_OTHER] = "#9e9e9e",
	};

	return (unsigned)s < ST_COUNT ? colors[s] : "#000000";
}

/* The lane background where a thread did not exist yet or any more. */
#define PALETTE_ABSENT "#f2f2f2"

#endif

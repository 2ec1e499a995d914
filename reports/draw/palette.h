/* SPDX-License-Identifier: GPL-2.0 */
/* One color per thread state, shared by every picture of the report (the
 * stacked bars, the timeline, the legends), so a state looks the same
 * everywhere; and the colors of a chart's series (variants). Both from the
 * Okabe-Ito palette, which readers with any common color-vision deficiency
 * tell apart (no red against green). Indexed by enum st_thread_state (runset.h). */
#ifndef SCHEDLAB_PALETTE_H
#define SCHEDLAB_PALETTE_H

#include <stddef.h>

#include "runset.h"

/* running bluish green, runnable orange: the on-CPU-ish states; lock
 * vermillion, set apart from the other waits (blues, purple, grey). */
static inline const char *state_color(enum st_thread_state s)
{
	static const char *const colors[ST_COUNT] = {
	    [ST_RUNNING] = "#009e73", [ST_RUNNABLE] = "#e69f00", [ST_LOCK] = "#d55e00",
	    [ST_SLEEP] = "#56b4e9",   [ST_IO] = "#0072b2",	 [ST_DISK] = "#cc79a7",
	    [ST_OTHER] = "#999999",
	};

	return (unsigned)s < ST_COUNT ? colors[s] : "#000000";
}

/* The @i-th series of a chart (a variant, a measure), cycling. */
static inline const char *series_color(size_t i)
{
	static const char *const colors[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
					     "#56b4e9", "#d55e00", "#000000", "#f0e442"};

	return colors[i % (sizeof(colors) / sizeof(colors[0]))];
}

/* The lane background where a thread did not exist yet or any more. */
#define PALETTE_ABSENT "#f2f2f2"

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* offcpu.folded: off-CPU time by stack and state (docs/formats.md). */
#ifndef OFFCPU_H
#define OFFCPU_H

#include <stdio.h>
#include "sched_snapshot.h"
#include "symbolize.h"

/*
 * Reads the offcpu map ((thread, user stack, kernel stack, state) -> ns),
 * the threads' own slots in @snap (st_thread.offcpu_slot) and the stack
 * map, and writes one folded line per distinct
 * "comm;user frames;kernel frames;[state]" with its weight in microseconds.
 * Returns 0, or -1 with a message.
 */
int offcpu_write(FILE *f, int offcpu_fd, int stacks_fd, const struct sched_snapshot *snap,
		 struct symbolizer *sym);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The one CPU count: the CPUs the calling thread may run on (its affinity
 * mask, which `trace --cpus N` narrows with taskset), not the host's. The
 * demos' bounds, demo.json "cpus" and sched.json "cpus" all come from here,
 * and the report reads demo.json's; nothing assumes a number. */
#ifndef SCHEDLAB_CPUS_H
#define SCHEDLAB_CPUS_H

/* CPUs in the calling thread's affinity mask; the online CPUs if it cannot
 * be read (after printing why). At least 1. */
int cpus_usable(void);
/* The CPUs in that mask, at most @max of them, in order, into @cpus; returns
 * how many (0 after printing why it could not be read). */
int cpus_allowed(int *cpus, int max);

#endif

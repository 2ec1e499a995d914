/* SPDX-License-Identifier: GPL-2.0 */
/* The CPUs a demo may run on: its affinity mask (a trace with --cpus pins
 * it), not the host's count. Bounds that depend on CPUs use this; nothing
 * assumes a number. */
#ifndef SCHEDLAB_CPUS_H
#define SCHEDLAB_CPUS_H

/* CPUs in the calling thread's affinity mask; the online CPUs if it cannot
 * be read (after printing why). */
int cpus_usable(void);

#endif

// SPDX-License-Identifier: GPL-2.0
#include "cpus.h"

#include <sched.h>
#include <stdio.h>
#include <unistd.h>

int cpus_usable(void)
{
	cpu_set_t set;
	long online;

	if (!sched_getaffinity(0, sizeof(set), &set))
		return CPU_COUNT(&set);
	perror("sched_getaffinity");
	online = sysconf(_SC_NPROCESSORS_ONLN);
	return online > 0 ? (int)online : 1;
}

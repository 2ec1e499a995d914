// SPDX-License-Identifier: GPL-2.0
#include "cpus.h"

#include <sched.h>
#include <stdio.h>
#include <unistd.h>

int cpus_usable(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("sched_getaffinity");
		return (int)sysconf(_SC_NPROCESSORS_ONLN);
	}
	return CPU_COUNT(&set);
}

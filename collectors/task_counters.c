// SPDX-License-Identifier: GPL-2.0
/* Counters the kernel keeps outside the BPF maps, read from /proc. */
#include <stdio.h>
#include <unistd.h>
#include "task_counters.h"

uint64_t steal_now_ns(void)
{
	unsigned long long v[8] = {};
	FILE *f = fopen("/proc/stat", "r");
	long hz = sysconf(_SC_CLK_TCK);
	int n;

	if (!f)
		return 0;
	/* cpu user nice system idle iowait irq softirq steal */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	return n == 8 && hz > 0 ? v[7] * (1000000000ULL / (unsigned long long)hz) : 0;
}

int read_task_counters(pid_t pid, struct run_info *run)
{
	char path[64], line[256];
	unsigned long long run_ns, wait_ns, slices, v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu %llu %llu", &run_ns, &wait_ns, &slices);
	fclose(f);
	if (n != 3)
		return -1;
	run->before.run_ns = run_ns;
	run->before.wait_ns = wait_ns;
	run->before.timeslices = slices;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1)
			run->before.nvcsw = v;
		else if (sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
			run->before.nivcsw = v;
	}
	fclose(f);
	run->before.valid = true;
	return 0;
}

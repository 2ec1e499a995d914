/* SPDX-License-Identifier: GPL-2.0 */
/* What the kernel counts outside the BPF maps: steal time, a task's schedstat. */
#ifndef TASK_COUNTERS_H
#define TASK_COUNTERS_H

#include <stdint.h>
#include <sys/types.h>
#include "sched_json.h"

/* Steal time of all CPUs so far (/proc/stat "cpu" line), ns; 0 if unknown. */
uint64_t steal_now_ns(void);

/* The kernel's counters of a thread now (/proc/PID/schedstat and status) into run->before. */
int read_task_counters(pid_t pid, struct run_info *run);

#endif

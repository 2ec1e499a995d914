/* SPDX-License-Identifier: GPL-2.0 */
/* The figures every run and variant carries, derived once after loading:
 * a run's metrics (struct run m[], its merged run-queue histogram), the
 * critical path of a demo's measured section, a variant's median, min and
 * max over its repeats and its representative run. */
#ifndef SCHEDLAB_RUN_METRICS_H
#define SCHEDLAB_RUN_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "runset.h"

/* Derive every run's and variant's figures of a loaded @rs. */
void run_set_derive(struct run_set *rs);

/*
 * Time @t was on a CPU by the tracepoints' clock that its own task clock
 * (se.sum_exec_runtime) did not count over the same slices: the hypervisor
 * took the vCPU (steal) or interrupts ran. 0 without a "clock" block, and
 * never negative (the task clock runs ahead on woken slices, see
 * docs/collector.md "The two clocks").
 */
uint64_t thread_stolen_ns(const struct sched_thread *t);
/* The median of @n values (sorted copy); 0 when n == 0. */
double median(const double *v, size_t n);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The cross-checks: every eBPF figure against an independent account of the
 * same run (the kernel's schedstat and rusage, perf stat, perf sched), the
 * conservation of each thread's states, and lost events. Each check carries
 * its figures and a verdict; the tolerances are the functions below so the
 * tests and docs/report.md can state them exactly. */
#ifndef SCHEDLAB_CHECKS_H
#define SCHEDLAB_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"

/* The scheduler clock runs a few µs per timeslice ahead of bpf_ktime_get_ns
 * on these VMs (MACHINE-NOTES), so every allowance against the kernel's or
 * perf's times grows by this much per timeslice. */
#define SLICE_ALLOWANCE_NS 10000.0

/* |eBPF running - schedstat run_ns| may be max(2% of ref, 2 ms) + 10 µs per slice. */
double tol_running_ns(double ref_ns, uint64_t slices);
/* |eBPF runnable - schedstat wait_ns| may be max(5% of ref, 2 ms) + 10 µs per slice. */
double tol_runnable_ns(double ref_ns, uint64_t slices);
/* Switch counts (eBPF vs rusage) may differ by 2. */
#define COUNT_SLACK 2
/* Context switches eBPF vs perf stat: max(2% of perf's count, 2). */
double tol_perf_switches(double ref);
/* Conservation: |sum of states - lifetime| <= 1% of lifetime + 1 µs. */
double tol_conservation_ns(double lifetime_ns);
bool within(double a, double b, double tol);
/* eBPF against a kernel snapshot: below by at most @tol, above by at most
 * @tol + @extra (time the snapshot could not see, struct thread_check). */
bool within_above(double ebpf, double ref, double tol, double extra);

enum verdict { V_PASS, V_FAIL, V_NA };

struct check {
	char name[80];
	char run[128];	   /* the run's dir */
	char figures[768]; /* what was compared, with numbers */
	enum verdict verdict;
};

/* One thread's comparison with the kernel's own accounting (for the table). */
struct thread_check {
	int tid;
	char comm[32];
	char label[80]; /* thread_labels.h: told apart from every other thread */
	double ebpf_run_ns, ref_run_ns, tol_run_ns;
	/* How much more eBPF may see than the kernel's snapshot: the host's
	 * irq/softirq/steal time during the pass (the task clock leaves it out)
	 * plus the thread's life after it took its own accounting. */
	double extra_ns;
	/* The scheduler clock minus eBPF's over the slices both timed (sched.json
	 * "clock"), added to eBPF's running time before the comparison; 0 without it. */
	double clock_ns;
	uint64_t clock_slices;
	double ebpf_wait_ns, ref_wait_ns, tol_wait_ns;
	uint64_t slices;
	uint64_t ebpf_nv, ref_nv, ebpf_niv, ref_niv;
	/* switch-ins eBPF saw beyond the snapshot's timeslices: the slices of
	 * the thread's life after its own accounting */
	uint64_t extra_switches;
	bool ok_run, ok_wait, ok_nv, ok_niv;
};

struct check_list {
	struct check *c;
	size_t n;
	struct thread_check *t; /* every run's threads, grouped by run */
	size_t nt;
	char (*t_run)[128]; /* the run each t[] row belongs to */
};

/* Page faults a thread may take after reading its own rusage (returning,
 * exiting): the collector's count may exceed the thread's by this much. */
#define FAULTS_AFTER_END 64
/* eBPF page faults vs getrusage, per demo thread (checks_faults.c); false
 * when no thread has both counts (nothing to compare). */
bool check_faults(const struct run *r, struct check *c);

/* Who ended a wait, against what can end it (checks_wakers.c): an untimed
 * futex wait only a wake on its word (a thread of the waiter's process for a
 * private word, any task for a shared one); a sleep only a timer (hardirq
 * timer, timer or hrtimer softirq); a disk wait the block layer (block
 * softirq, device interrupt, a kernel thread) or a task that held what it
 * waited for; a read a task, a softirq other than the timers', a device
 * interrupt or a kernel thread. Other waits are not judged. */
enum ender_rule { ER_NONE, ER_UNTIMED_FUTEX, ER_SLEEP, ER_DISK, ER_READ, ER_COUNT };
struct wake_edge;
enum ender_rule ender_rule(const struct wake_edge *e);
bool ender_can_end(const struct wake_edge *e);
/* The row: each judged wait's ender one that can end it; fails when more
 * failed than the run's program misses (a sched_waking the kernel skipped
 * names no waker). False when the run has no wake edges (nothing to check). */
bool check_wakers(const struct run *r, struct check *c);

/* Run every check on every run of @rs. */
void checks_run(const struct run_set *rs, struct check_list *out);
size_t checks_failed(const struct check_list *cl);
void checks_free(struct check_list *cl);
const char *verdict_name(enum verdict v);

#endif

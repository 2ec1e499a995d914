/* SPDX-License-Identifier: GPL-2.0 */
/* Why threads waited, as sched.json says it: "wakes" (who ended each wait)
 * and "critical_path", loaded into a run's sched_acct (docs/formats.md,
 * docs/collector.md). The figures made of them are derive/wakes.h's. */
#ifndef SCHEDLAB_SCHED_WAKES_H
#define SCHEDLAB_SCHED_WAKES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"

/* One wakes[] entry: the waits of wakee that waker ended. */
struct wake_edge {
	enum st_waker_kind kind;  /* bpf/schedtrace.h */
	int waker_tid, waker_pid; /* 0 for contexts */
	char waker[32];		  /* comm; "timer", "device" (hardirq); softirq vector name */
	char host[32]; /* softirq: the traced thread whose syscall ran it (loopback), "" */
	int wakee_tid, wakee_pid;
	char wakee[32];
	enum st_thread_state wait; /* the blocked state the wakeup ended */
	char syscall[32];	   /* "" outside a syscall */
	char futex[24];		   /* "0x..." lower-cased, "" unless a futex wait */
	/* a futex wait as asked for (wait.futex_timeout, futex_private): known
	 * only from a collector that records them */
	bool futex_op_known, futex_timeout, futex_private;
	char futex_op[24]; /* wait.futex_op: "FUTEX_WAIT", "FUTEX_WAIT_BITSET"...; "" unknown */
	bool signal; /* the wake was a signal's delivery (sched.json "signal") */
	uint64_t count, blocked_ns, max_ns;
	/* of count, woken before the wakee's switch-out (0 when not recorded) */
	uint64_t woken_before_switch_out;
	/* derived (reports/derive/thread_labels.c): the labels of a traced
	 * waker and of the wakee, "" for a context */
	char waker_label[80], wakee_label[80];
};

struct crit_share {
	int tid;
	char comm[32];
	enum st_thread_state state;
	uint64_t ns;
};

struct crit_path {
	uint64_t start_ns, end_ns, covered_ns;
	int end_tid;
	/* walked over the demo's measured section from its main thread at the
	 * end (window_path.c); false: the collector's, from the last thread to end */
	bool measured;
	struct crit_share *by; /* largest first */
	size_t nby;
};

/* Load "wakes" and "critical_path" of sched.json @root (both optional).
 * Returns 0, or -1 with @err set when present but malformed. */
int wakes_load(struct sched_acct *s, const json_t *root, char *err, size_t len);
void wakes_free(struct sched_acct *s);

#endif

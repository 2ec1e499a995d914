/* SPDX-License-Identifier: GPL-2.0 */
/* Why threads waited: the figures made once of sched.json "wakes" (who
 * ended each wait) and "critical_path" (load/sched_wakes.h) for the "Who
 * woke whom" section and the explainers' cause sentences (docs/formats.md,
 * docs/collector.md). */
#ifndef SCHEDLAB_WAKES_H
#define SCHEDLAB_WAKES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"
#include "sched_wakes.h"

/* The critical path of the demo's measured section (demo.json start_ns to
 * end_ns), walked back from the demo's main thread at its end on
 * timeline.json's slices, in place of the collector's (which starts at the
 * last thread to end: a teardown). Returns 0, 1 when it cannot be taken
 * (no demo section, no timeline naming wakers, main not alive at the end:
 * the collector's path stays), -1 with @err on a broken timeline. */
int window_path(struct run *r, char *err, size_t errlen);

/* ---- figures ---------------------------------------------------------- */

/* Who ended a wait, for a reader: "worker-1", "the timer interrupt", "a
 * device interrupt", "softirq net_rx", "kworker/0:1 (kernel thread)",
 * "bash (process 812)", "the idle CPU", "no one seen". */
const char *waker_label(const struct wake_edge *e, char *buf, size_t len);

/* The tid whose exit the futex word (pid, addr) waits for (a join), or 0. */
int word_join_tid(const struct run *r, int pid, const char *addr);
/* A futex word's name: the demo's own (demo.json "locks"); a join, "the exit
 * of worker-3"; an ELF symbol, demangled, "the mutex g_lock in causes", or a
 * field of it, "the condition variable cond (its signal word at +44) in
 * node", "the X object's field at +8 in P"; else by the threads that use it
 * and how (holders.h), "the mutex waiter-1 and waiter-2 wait on (in causes's
 * heap at 0x...)", "the word main waits on until worker 1 signals it (...)";
 * "the lock at 0x... in process P" when nothing is known. */
const char *word_name(const struct run *r, int pid, const char *addr, char *buf, size_t len);
/* The same, for a sentence that already names the word's threads: a word in
 * no named object by its kind and place, "the mutex in xz's heap at 0x...". */
const char *word_name_short(const struct run *r, int pid, const char *addr, char *buf, size_t len);
/* Where a word in no named object lies: "in xz's heap at 0x55d0c2a1f088",
 * "at 0x7f3b65c19990 in process 812" (anonymous memory: a thread's stack, an arena). */
const char *word_where(const struct run *r, const struct futex_acct *f, char *buf, size_t len);

/* Waits ended, summed over the edges that match: wakee's role prefix (NULL:
 * any), wait state (-1: any), waker kind (-1: any), waker's role prefix
 * (NULL: any; only thread-like wakers match one), and join (-1: any, 0: not
 * a join word, 1: a join word). other_only: the waker is not the wakee. */
struct wake_filter {
	const char *wakee_role;
	int wait;
	int kind;
	const char *waker_role;
	int join;
	const char *futex_name_part; /* the word's name (the demo's, or CPython's GIL) contains this
					(NULL: any) */
	bool other_only;
};
struct wake_tally {
	uint64_t count, blocked_ns;
};
struct wake_tally wake_tally_of(const struct run *r, const struct wake_filter *f);

/* The path's share (0..1) of thread/role @role_prefix (NULL: all) in state
 * @st (-1: any); 0 without a path. */
double crit_share_of(const struct run *r, const char *role_prefix, int st);

#endif

/* The critical path in one sentence: "the critical path (the chain of running
 * and waiting that set the 1.20 s from exec to the last thread's end) was
 * 62% worker-1 running, 20% worker-2 running, 9% main sleep". Shares under
 * CRIT_NAME_SHARE are summed as "the rest". Returns false without a path. */
#define CRIT_NAME_SHARE 0.05
bool crit_sentence(const struct run *r, char *buf, size_t len);

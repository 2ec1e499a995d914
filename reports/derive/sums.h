/* SPDX-License-Identifier: GPL-2.0 */
/* Sums over a run's threads, futex words and syscalls, by role: the figures
 * the explainers, the verdicts and the lesson charts share. */
#ifndef SCHEDLAB_SUMS_H
#define SCHEDLAB_SUMS_H

#include <stddef.h>
#include <stdint.h>

#include "runset.h"

/* Per-state time summed over the threads of @r whose role (comm with digits
 * as '*', reports/roles.h) starts with @role_prefix (NULL: every thread). */
struct state_sum {
	size_t threads;
	uint64_t ns[ST_COUNT];
	uint64_t lifetime_ns;
};
struct state_sum state_sum_of(const struct run *r, const char *role_prefix);
/* Share (0..1) of lifetime in state @s; 0 when lifetime is 0. */
double state_share(const struct state_sum *ss, enum st_thread_state s);
/* Run-queue share: runnable / (running + runnable), the part of the CPU
 * demand spent waiting for a CPU; 0 without demand. */
double runq_share(const struct state_sum *ss);

/* Futex waits of @r, split into those on an address demo.json names and the
 * rest; the named ones also per name (a lock has several futex words: a
 * condition variable's signal words, its mutex), largest time first. */
#define FUTEX_NAMES_MAX 8
struct futex_by_name {
	char name[64];
	uint64_t count, ns;
};
struct futex_sum {
	uint64_t named_count, named_ns;
	uint64_t all_count, all_ns;
	struct futex_by_name by_name[FUTEX_NAMES_MAX];
	size_t nnames;
	char names[256]; /* "GIL cond 105 waits 517 ms, GIL mutex 36 waits 62.7 ms" */
};
struct futex_sum futex_sum_of(const struct run *r);
/* Waits on the futex words whose demo.json name contains @part ("not_full"). */
struct futex_by_name futex_named(const struct run *r, const char *part);

/* Per-state time of the threads that did the demo's work: the threads of the
 * demo's own process that demo.json says completed tasks (main in a serial
 * run, the workers in a pool). */
struct state_sum state_sum_of_task_threads(const struct run *r);

/* Calls to the syscalls whose name contains @part, over the threads whose
 * role starts with @role_prefix (NULL: all). */
struct syscall_sum {
	uint64_t count, total_ns, max_ns;
};
struct syscall_sum syscall_sum_of(const struct run *r, const char *role_prefix, const char *part);

/* A number in demo.json by a dotted path from the root ("gil.handoffs",
 * "rss.growth_kib"), or @dflt when absent or not a number. */
double demo_num(const struct run *r, const char *path, double dflt);

/* Text of a duration: "1.23 s", "45.6 ms", "12.3 µs", "850 ns". */
const char *fmt_ns(char *buf, size_t len, double ns);

#endif

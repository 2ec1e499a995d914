/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF maps held when tracing stopped, copied into plain arrays: the
 * one thing the writers (sched.json with its causes, timeline.json's track
 * names, offcpu.folded's thread names) read, so they need neither root nor
 * libbpf.
 */
#ifndef SCHED_SNAPSHOT_H
#define SCHED_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "schedtrace.h"

struct snap_thread {
	uint32_t tid;
	/*
	 * The account, closed: every interval ends at last_ns (the final
	 * switch-out; the end of tracing for a thread still alive), so the
	 * states sum to last_ns - first_ns.
	 */
	struct st_thread t;
};

struct snap_syscall {
	struct st_syscall_key key;
	struct st_syscall s;
};

struct snap_futex {
	struct st_futex_key key;
	struct st_futex f;
};

struct snap_holder {
	struct st_holder_key key;
	struct st_holder h;
};

struct snap_tcp {
	struct st_tcp_key key;
	uint64_t n;
};

struct snap_wake {
	struct st_wake_key key;
	struct st_wake w;
};

struct sched_snapshot {
	struct snap_thread *threads; /* sorted by tid */
	size_t nthreads;
	struct snap_syscall *syscalls; /* the map's and the threads' own slots, merged */
	size_t nsyscalls;
	struct snap_futex *futexes;
	size_t nfutexes;
	struct snap_holder *holders; /* waits on a mutex, by (word, waiter, owner) */
	size_t nholders;
	struct snap_tcp *tcp; /* TCP listens and connects, by (process, port, role) */
	size_t ntcp;
	struct snap_wake *wakes; /* the map's and the threads' own slots, merged; by key */
	size_t nwakes;
	uint64_t lost[NR_LOST];
	/* Private: tids alive at the end and their live accounts (tp_btf). */
	struct snap_thread *live;
	size_t nlive;
};

/* The maps a snapshot reads (file descriptors); live is -1 with raw_tp. */
struct sched_maps {
	int live;
	int ended; /* the kernel half's preallocated table of ended threads; -1 with raw_tp */
	int threads;
	int traced;
	int syscalls;
	int futexes;
	int holders;
	int tcp_ends;
	int wakes;
	int lost;
};

/*
 * While the programs are still attached: the threads of the traced
 * processes that are still alive, and (tp_btf) their live accounts, read
 * from task storage through a pidfd. 0, or -1 with a message.
 */
int snapshot_live(struct sched_snapshot *s, const struct sched_maps *maps);

/*
 * Once detached: the ended threads' accounts, syscalls, futexes, wake edges
 * and lost counters; every account closed at end_ns (alive) or at its end.
 * 0 or -1.
 */
int snapshot_maps(struct sched_snapshot *s, const struct sched_maps *maps, uint64_t end_ns);

/*
 * Move ended threads' accounts from the kernel half's preallocated `ended`
 * table into `threads`, freeing its elements for the next threads to end.
 * While the programs are attached (@all false) only accounts final for
 * over a millisecond at @now_ns move: the kernel writes the final account
 * in place over the provisional one, and a younger one may be mid-copy.
 * Detached, @all moves every account. The number moved, or -1 with a
 * message.
 */
int snapshot_drain_ended(const struct sched_maps *maps, uint64_t now_ns, bool all);

/*
 * Closes one account: an open interval ends at end_ns (alive at the end of
 * tracing) or, for a thread whose final switch-out was never seen, at its
 * exit (counted in lost). Plain arithmetic, for the snapshot and the tests.
 */
void snapshot_close_thread(struct st_thread *t, bool alive, uint64_t end_ns, uint64_t *lost);

/*
 * Adds a thread's own syscall slots to s->syscalls, merged into an equal
 * (tid, nr) among its first nsorted entries (sorted), else appended. 0 or -1.
 */
int snapshot_add_slots(struct sched_snapshot *s, size_t nsorted, uint32_t tid,
		       const struct st_thread *t);

/*
 * Adds a thread's own wake edge (st_thread.wake_slot, the last one, not yet
 * in the wakes map) to s->wakes, merged into an equal key among its first
 * nsorted entries (sorted by key), else appended. 0 or -1.
 */
int snapshot_add_wake_slot(struct sched_snapshot *s, size_t nsorted, const struct st_thread *t);

const struct snap_thread *snapshot_thread(const struct sched_snapshot *s, uint32_t tid);

void snapshot_free(struct sched_snapshot *s);

#endif

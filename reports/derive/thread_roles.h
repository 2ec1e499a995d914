/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each thread of a run did, inferred from its behaviour (sched.json's
 * states and "wakes"), not from its name: sched_thread.role and role_why.
 *
 *   main	the command's first thread, when nothing below fits it
 *   child	the first thread of another process (one the command started)
 *   event loop	most of its waits, or of its waiting, in epoll_wait/poll/select
 *		(ROLE_LOOP_SHARE),
 *		fewer than half of them ended by a signal (make waits for
 *		its children in pselect6: SIGCHLD ends it)
 *   worker	one of a pool: ≥ 2 threads of one process, each alive through
 *		ROLE_POOL_LIFE of its process, that wait on futex words in
 *		common, or of one name (digits aside) whose futex waits the
 *		same thread mostly ended (ROLE_FED_WAITS each at least: a
 *		JVM's service threads, each its own, are not a pool)
 *   feeder	the thread that ended most of a pool's waits (unless it is main,
 *		or another role fits it); sched_thread.fed_by names it
 *   I/O	most of its life waiting for I/O (ROLE_IO_SHARE)
 *
 * Each role needs ROLE_MIN_WAITS waits of its kind (a pool: its threads'
 * together): with thinner evidence a thread keeps no role and is labelled
 * by its tid (thread_labels.h).
 */
#ifndef SCHEDLAB_THREAD_ROLES_H
#define SCHEDLAB_THREAD_ROLES_H

#include "runset.h"

#define ROLE_MIN_WAITS 3
#define ROLE_LOOP_SHARE 0.5
#define ROLE_POOL_SHARE 0.5
#define ROLE_POOL_LIFE 0.25
#define ROLE_FED_WAITS 2
#define ROLE_IO_SHARE 0.5

/* Fill role and role_why of every thread of @r (before thread_labels_make). */
void thread_roles_infer(struct run *r);
/* True when @t's role is @role. */
bool thread_is(const struct sched_thread *t, const char *role);

#endif

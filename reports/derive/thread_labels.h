/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One label per thread of a run, different from every other thread's and the
 * same wherever the report names the thread (tables, timeline lanes,
 * sentences, the wake graph, Perfetto's tracks).
 *
 * How to call it: run_set_derive() labels every run once
 * (thread_labels_make); then
 *
 *	const char *l = thread_label(r, tid);   // NULL: not a thread of r
 *	l = thread_label_or(r, tid, comm);      // never NULL: else @comm
 *
 * A thread whose name no other thread of the run has keeps it ("worker-3",
 * "make"). Threads that share a name are told apart: the command's first
 * thread is "xz main"; another process's first thread "cc1 (process 812)";
 * any other thread by its role when its behaviour showed one
 * (thread_roles.h), numbered by tid within the role, and always with its
 * tid: "xz worker 1 (tid 24862)", or without a role "node (tid 24870)".
 */
#ifndef SCHEDLAB_THREAD_LABELS_H
#define SCHEDLAB_THREAD_LABELS_H

#include <stddef.h>

#include "runset.h"

#define THREAD_LABEL_LEN 80

/* Label every thread of @r (after thread_roles_infer, whose roles it uses),
 * and each wake edge's traced waker and wakee (wake_edge.waker_label,
 * wakee_label). */
void thread_labels_make(struct run *r);
/* @t's number within its role among its process's threads of its name, as
 * its label gives it ("xz worker 2": 2). */
size_t thread_role_rank(const struct run *r, const struct sched_thread *t);
/* @t's label; its comm before the run was labelled. */
const char *thread_label_of(const struct sched_thread *t);
/* The label of thread @tid of @r, or NULL when @r has no such thread. */
const char *thread_label(const struct run *r, int tid);
/* The label of thread @tid, or @comm for a task outside the run. */
const char *thread_label_or(const struct run *r, int tid, const char *comm);

#endif

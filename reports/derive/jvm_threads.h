/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JVM's threads told apart: in a process the collector saw start a JVM
 * (sched.json jvm.jvms, collectors/jvm.h), the thread JNI_CreateJavaVM
 * returned in, where java's launcher runs the program's main(), and the
 * threads HotSpot starts for itself, by the names it gives them:
 *
 *   main()        the thread that created the JVM (measured: the uprobe on
 *                 JNI_CreateJavaVM's return)
 *   JIT compiler  "C1 CompilerThread<n>", "C2 CompilerThread<n>"
 *   GC            "GC Thread#<n>", "G1 ...", "ZGC"'s "Z...", "Shenandoah..."
 *   VM thread     "VM Thread": safepoints and the VM's own operations
 *   JVM service   Reference Handler, Finalizer, Signal Dispatcher, Service
 *                 Thread, Monitor Deflation, Sweeper, Notification Thread,
 *                 Common-Cleaner, VM Periodic Task Thread, Attach Listener,
 *                 ArchiveWorkerThread
 *
 * (the kernel keeps 15 characters of a name: "C2 CompilerThre"). Every
 * other thread of the process is the program's. The names are HotSpot's;
 * a program that named its own thread "VM Thread" would be misread.
 */
#ifndef SCHEDLAB_JVM_THREADS_H
#define SCHEDLAB_JVM_THREADS_H

#include <stdbool.h>

#include "runset.h"

/* The JVM of process @pid, or NULL when the collector saw none start there. */
const struct sched_jvm *jvm_of(const struct sched_acct *s, int pid);

/* True when @t is one of a JVM's own threads (JIT compiler, GC, VM
 * thread, service thread; not main()). Roles must be set. */
bool jvm_own_thread(const struct sched_thread *t);

/* True when every wait on word @f was a JVM's own thread's (JIT compiler,
 * GC, VM thread, service thread): the JVM idling between its tasks, not the
 * program. Roles must be set (jvm_threads_mark). */
bool jvm_own_word(const struct run *r, const struct futex_acct *f);

/* Set the role of every JVM thread of @r that has one (thread_roles.c). */
void jvm_threads_mark(struct run *r);

#endif

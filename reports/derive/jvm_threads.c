// SPDX-License-Identifier: GPL-2.0
/* A JVM's threads told apart (jvm_threads.h). */
#include "jvm_threads.h"

#include <stdio.h>
#include <string.h>

#include "sched_wakes.h"

/* HotSpot's names for its own threads, as prefixes of the kernel's 15 characters. */
static const struct {
	const char *prefix, *role, *why;
} hotspot[] = {
    {"C1 CompilerThre", "JIT compiler", "HotSpot's C1 JIT compiler thread (its name)"},
    {"C2 CompilerThre", "JIT compiler", "HotSpot's C2 JIT compiler thread (its name)"},
    {"GC Thread#", "GC", "a garbage collector thread of HotSpot's (its name)"},
    {"G1 ", "GC", "a thread of HotSpot's G1 garbage collector (its name)"},
    {"ZDirector", "GC", "a thread of HotSpot's Z garbage collector (its name)"},
    {"ZDriver", "GC", "a thread of HotSpot's Z garbage collector (its name)"},
    {"ZWorker", "GC", "a thread of HotSpot's Z garbage collector (its name)"},
    {"Shenandoah", "GC", "a thread of HotSpot's Shenandoah garbage collector (its name)"},
    {"VM Thread", "VM thread", "HotSpot's VM thread: safepoints, the VM's own operations"},
    {"VM Periodic Tas", "JVM service", "HotSpot's periodic task thread (its name)"},
    {"Reference Handl", "JVM service", "the JVM's reference handler (its name)"},
    {"Finalizer", "JVM service", "the JVM's finalizer (its name)"},
    {"Signal Dispatch", "JVM service", "the JVM's signal dispatcher (its name)"},
    {"Service Thread", "JVM service", "HotSpot's service thread (its name)"},
    {"Monitor Deflati", "JVM service", "HotSpot's monitor deflation thread (its name)"},
    {"Sweeper thread", "JVM service", "HotSpot's code cache sweeper (its name)"},
    {"Notification Th", "JVM service", "HotSpot's notification thread (its name)"},
    {"Common-Cleaner", "JVM service", "the JDK's common cleaner (its name)"},
    {"Attach Listener", "JVM service", "the JVM's attach listener (its name)"},
    {"ArchiveWorkerTh", "JVM service", "HotSpot's class data archive worker (its name)"},
};

const struct sched_jvm *jvm_of(const struct sched_acct *s, int pid)
{
	for (size_t i = 0; i < s->njvms; i++)
		if (s->jvms[i].pid == pid)
			return &s->jvms[i];
	return NULL;
}

static int hotspot_name(const char *comm)
{
	for (size_t i = 0; i < sizeof(hotspot) / sizeof(hotspot[0]); i++)
		if (!strncmp(comm, hotspot[i].prefix, strlen(hotspot[i].prefix)))
			return (int)i;
	return -1;
}

bool jvm_own_thread(const struct sched_thread *t)
{
	for (size_t i = 0; i < sizeof(hotspot) / sizeof(hotspot[0]); i++)
		if (!strcmp(t->role, hotspot[i].role))
			return true;
	return false;
}

bool jvm_own_word(const struct run *r, const struct futex_acct *f)
{
	const struct sched_acct *s = &r->sched;
	size_t n = 0;

	if (!jvm_of(s, f->pid))
		return false;
	for (size_t i = 0; i < s->nwakes; i++) {
		const struct wake_edge *e = &s->wakes[i];
		const struct sched_thread *t;

		if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr))
			continue;
		t = sched_find_tid(s, e->wakee_tid);
		if (!t || !jvm_own_thread(t))
			return false;
		n++;
	}
	return n > 0;
}

void jvm_threads_mark(struct run *r)
{
	struct sched_acct *s = &r->sched;

	for (size_t i = 0; i < s->nthreads; i++) {
		struct sched_thread *t = &s->threads[i];
		const struct sched_jvm *j = jvm_of(s, t->pid);
		int k;

		if (!j)
			continue;
		if (t->tid == j->creator_tid && t->tid != t->pid) {
			snprintf(t->role, sizeof(t->role), "main()");
			snprintf(t->role_why, sizeof(t->role_why),
				 "the JVM was created in it (JNI_CreateJavaVM returned there): "
				 "java's launcher runs the program's main() in it");
			t->role_one = true;
		} else if ((k = hotspot_name(t->comm)) >= 0) {
			snprintf(t->role, sizeof(t->role), "%s", hotspot[k].role);
			snprintf(t->role_why, sizeof(t->role_why), "%s", hotspot[k].why);
		}
	}
}

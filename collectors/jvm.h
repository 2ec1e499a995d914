/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HotSpot's Java monitors, the user half (docs/collector.md, "Java
 * monitors"). A contended `synchronized` parks each waiter on its own
 * per-thread word, so glibc's mutex owner says nothing; instead, when the
 * command runs a JVM whose libjvm.so has the symbols, uprobes on the
 * contended path of a monitor enter (ObjectMonitor::EnterI, ReenterI) tell
 * the kernel half which monitor a thread waits for, and the monitor's owner
 * is read through the JVM's own table of its fields (gHotSpotVMStructs),
 * read here from the process once the JVM is up (EV_JVM).
 */
#ifndef JVM_H
#define JVM_H

#include <jansson.h>
#include <stdbool.h>
#include "schedtrace.h"

struct schedtrace_bpf;
struct jvm;

/*
 * The JVM the command runs, if any: the first word of @argv (each argument
 * split at blanks too, for `sh -c "java ..."`) that resolves (through PATH)
 * to a program with a HotSpot beside it (DIR/../lib/server/libjvm.so).
 * Never NULL unless out of memory.
 */
struct jvm *jvm_find(char *const argv[]);
void jvm_free(struct jvm *j);

/* Whether the monitor probes should be loaded (a libjvm.so was found). */
bool jvm_wanted(const struct jvm *j);

/*
 * Attaches the monitor probes to the libjvm.so found. A failure (a stripped
 * libjvm.so without the symbols, @mode "raw_tp") is not the run's: it is
 * kept and said in sched.json's jvm block, and the run goes on without them.
 */
void jvm_attach(struct jvm *j, struct schedtrace_bpf *skel, const char *mode);

/* EV_JVM: a traced JVM is up; its monitors' layout goes into the jvms map. */
void jvm_event(struct jvm *j, const struct st_event *e);

/* sched.json "jvm": what was found and attached, or NULL when no JVM was. */
json_t *jvm_json(const struct jvm *j);

#endif

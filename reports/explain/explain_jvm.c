// SPDX-License-Identifier: GPL-2.0
/*
 * A JVM's shape (explain.h, explain_jvm): in a process the collector saw
 * start a JVM, the program's threads and the JVM's own (jvm_threads.h), each
 * group with its CPU time, so a reader sees how much of the run was the
 * program and how much the JIT compilers, the collector of garbage and the
 * VM's other threads.
 */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "figures.h"
#include "jvm_threads.h"
#include "thread_labels.h"

#define NAMED 3

/* The JVM's groups, in the order said; NULL: the program's threads. */
static const char *const groups[] = {NULL, "JIT compiler", "GC", "VM thread", "JVM service"};
static const char *const group_names[] = {"the program's threads", "JIT compilers", "GC threads",
					  "the VM thread", "service threads"};

/* Is @t of group @g: the program's (not the launcher's first thread), or a JVM role. */
static bool in_group(const struct sched_thread *t, size_t g)
{
	if (!groups[g])
		return t->tid != t->pid && !jvm_own_thread(t);
	return !strcmp(t->role, groups[g]);
}

/* "JIT compilers (C1 CompilerThre, C2 CompilerThre) 45.2 ms": "" when none. */
static size_t group_part(const struct sched_acct *s, int pid, size_t g, char *buf, size_t len)
{
	char names[256] = "", d[32];
	size_t n = 0, used = 0;
	uint64_t run = 0;

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];

		if (t->pid != pid || !in_group(t, g))
			continue;
		run += t->state_ns[ST_RUNNING];
		if (n < NAMED)
			used += (size_t)snprintf(names + used,
						 used < sizeof(names) ? sizeof(names) - used : 0,
						 "%s%s", n ? ", " : "", thread_label_of(t));
		n++;
	}
	buf[0] = '\0';
	if (n > NAMED)
		snprintf(names + used, used < sizeof(names) ? sizeof(names) - used : 0,
			 " and %zu other%s", n - NAMED, n - NAMED == 1 ? "" : "s");
	if (n)
		snprintf(buf, len, "%s (%s) ran %s", group_names[g], names,
			 fig_dur(d, sizeof(d), (double)run));
	return n;
}

void explain_jvm(const struct run *r, const char *prefix, struct sentences *out)
{
	const struct sched_acct *s = &r->sched;

	for (size_t k = 0; k < s->njvms; k++) {
		char parts[5][400], line[2048];
		size_t used = 0, np = 0;
		bool program = false; /* the first part is the program's threads */

		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
			if (group_part(s, s->jvms[k].pid, g, parts[np], sizeof(parts[np]))) {
				program |= !groups[g];
				np++;
			}
		if (!np)
			continue;
		for (size_t p = 0; p < np; p++)
			used += (size_t)snprintf(
			    line + used, used < sizeof(line) ? sizeof(line) - used : 0, "%s%s",
			    p == (program ? 1u : 0u) ? (p ? "; the JVM's own: " : "the JVM's own: ")
			    : p			     ? ", "
						     : "",
			    parts[p]);
		sentences_add(out,
			      "%sShape: a JVM (process %d): %s (the JVM's threads told by the "
			      "names HotSpot gives them).",
			      prefix, s->jvms[k].pid, line);
	}
}

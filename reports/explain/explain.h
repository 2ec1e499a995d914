/* SPDX-License-Identifier: GPL-2.0 */
/* The *why* section: one explainer per demo turns a run set into sentences.
 *
 * Rules every explainer follows (docs/explainers.md):
 *   - each sentence is computed from the data and cites its figures;
 *   - a claim is made only past a threshold the sentence states;
 *   - when the data does not show the phenomenon, the sentence is omitted
 *     (fed a run where it is absent, an explainer must not claim it).
 *
 * A demo's explainer is part of its module (reports/demos/NN_name.c,
 * demo_module.h); a traced command's is explain_command. */
#ifndef SCHEDLAB_EXPLAIN_H
#define SCHEDLAB_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"
#include "sums.h"

struct sentences {
	char **s;
	size_t n;
};

void sentences_add(struct sentences *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sentences_free(struct sentences *s);

/* The verdict at the top of a report: one plain sentence per variant tied to
 * the chapter's concept, and, apart, every way this run contradicts what the
 * demo exists to show (said plainly in the trust line instead of the lesson). */
struct verdicts {
	/* The chapter's lesson for this run: the demo's lesson_line, else the
	 * catalogue's line (meta.json "summary"); "" when neither. */
	char lesson[256];
	struct sentences lines;
	struct sentences doubts;
};

struct explainer {
	const char *demo; /* meta.json "demo", or "command" for a traced command */
	void (*explain)(const struct run_set *rs, struct sentences *out);
	/* Optional: the demo's verdict; without one, verdict_of() states each
	 * variant's wall, CPU time and parallelism against its bound. */
	void (*verdict)(const struct run_set *rs, struct verdicts *out);
	/* Its lesson speaks of CPython itself (02): it reads the py-* variants
	 * with the model's and sets them side by side (explain_cpython.c). */
	bool reads_python;
};

extern const struct explainer explain_command;

/* The explainer for @rs: its demo module's, else the generic command
 * explainer (which reads any run set). */
const struct explainer *explainer_for(const struct run_set *rs);
/* The Why, in groups a student reads in this order: the demo's lesson (its
 * explainer on the C variants, or on all of them when it speaks of CPython
 * itself, as 02's does), what the host took from the run, then the further
 * evidence: CPython's own variants (py-*: the same explainer on them, and
 * each beside its C namesake), and the causes (who ended the waits, the
 * critical path). The report shows the first two and folds the rest. */
enum why_group { WHY_LESSON, WHY_HOST, WHY_PYTHON, WHY_CAUSES, WHY_GROUPS };
struct why {
	struct sentences g[WHY_GROUPS];
};
/* The fold's title of each further group ("" for those shown). */
extern const char *const why_group_titles[WHY_GROUPS];
void explain_why(const struct run_set *rs, struct why *w);
void why_free(struct why *w);
/* Every sentence of @w appended to @out, the groups in their order. */
void why_flat(const struct why *w, struct sentences *out);
/* Every sentence for @rs, the groups one after the other in their order:
 * the terminal prints the first few, the lesson's. */
void explain_run_set(const struct run_set *rs, struct sentences *out);
/* The verdict of @rs: its explainer's, or the generic one. */
void verdict_of(const struct run_set *rs, struct verdicts *out);
void verdict_free(struct verdicts *v);
/* Why threads waited: joins, turns on a lock, the demo's wake causes and the
 * critical path, from sched.json wakes and critical_path (explain_causes.c). */
void explain_causes(const struct run_set *rs, struct sentences *out);
/* Who held the lock: one futex word's chain in a sentence (no final period),
 * for every explainer that names a contended word (explain_holders.c):
 *   "xz main waited 1.20 s on a mutex in xz's heap at 0x... (68 waits), held
 *   by xz worker 2 as 60 of them began (read from the mutex at each wait),
 *   which, while it held the lock (310 ms of those waits' 1.20 s), was
 *   running (83%), waiting for a CPU (16%)";
 * for a word no wait read as a held mutex (a condition variable, a
 * semaphore), who signalled it and no holder. False for a join or a word
 * with nothing known. */
bool lock_chain_sentence(const struct run *r, const struct futex_acct *f, char *buf, size_t len);
/* Time the host took from running threads, when it is a visible share. */
void explain_host(const struct run_set *rs, struct sentences *out);
/* The generic explainer applied to one run, its sentences prefixed with
 * @prefix (e.g. "threads-gil: "); for demos without their own explainer. */
void explain_generic_run(const struct run *r, const char *prefix, struct sentences *out);
/* The program's shape in words (a pool and its feeder, an event loop, a
 * pipeline, a process tree, loopback, the disk) and what bounded the run
 * (explain_shape.c). */
void explain_shape(const struct run *r, const char *prefix, struct sentences *out);
/* In each process that ran a JVM, its program's threads and the JVM's own
 * (JIT compilers, GC, the VM thread, service threads), with their CPU time
 * (explain_jvm.c). */
void explain_jvm(const struct run *r, const char *prefix, struct sentences *out);
/* Generic rules any program's run is read with, each in its own file: an
 * event loop blocked outside its poll call (explain_loop.c), one thread
 * doing all the work on several CPUs (explain_lone_worker.c), memory a
 * thread grew (explain_memory.c). Each says nothing below its threshold. */
void explain_loop_blocking(const struct run *r, const char *prefix, struct sentences *out);
void explain_lone_worker(const struct run *r, const char *prefix, struct sentences *out);
void explain_memory(const struct run *r, const char *prefix, struct sentences *out);

#endif

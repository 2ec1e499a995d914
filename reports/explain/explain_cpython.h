/* SPDX-License-Identifier: GPL-2.0 */
/* Real CPython beside its C model: the GIL of a CPython process, named from
 * its futex words (cpython.h), measured the same way as the model's lock, and
 * the sentences that compare the two. Used by the demos' explainers (02's
 * threads-gil against py-threads, the convoy variants) and by the generic
 * explainer for any traced python3 command. docs/cpython.md. */
#ifndef SCHEDLAB_EXPLAIN_CPYTHON_H
#define SCHEDLAB_EXPLAIN_CPYTHON_H

#include <stdbool.h>
#include <stdint.h>

#include "explain.h"

/* A claim of contention on the GIL needs the waits on its words to be at
 * least this share of the waiting threads' lifetime. */
#define GIL_CONTENDED_SHARE 0.10

/* The GIL as one run shows it: from the futex words named the GIL's (the
 * model's demo.json "locks", or CPython's _PyRuntime), over the threads whose
 * role starts with @role ("worker"; NULL: every thread). */
struct gil_figures {
	bool named;		  /* some futex word was named the GIL's */
	char why_not[1024];	  /* when not named and CPython was seen: why, plainly */
	char where[1024];	  /* CPython: which object, headers and offsets named it */
	uint64_t waits, wait_ns;  /* futex waits on the GIL's words, whole process:
				   * the calls' own times, waking up included */
	struct state_sum threads; /* the threads of @role */
	/* The GIL's part of their blocked lock time (fig_part_of_blocked): the
	 * figure 02's lock sentence gives; a busy host's wait for a CPU after
	 * the wake is not in it. */
	double blocked_ns;
	double wait_share;		 /* blocked_ns / their lifetime */
	double parallelism;		 /* the variant's CPU / wall */
	double handoffs, handoffs_per_s; /* demo.json gil.handoffs; < 0 when unknown */
	double interval_ns;		 /* the switch interval; 0 when unknown */
	/* their GIL waits ended by a wakeup, and those another of them ended
	 * (sched.json wakes[]); without wake edges, their wakeups and those
	 * whose top waker was another of them */
	uint64_t wakeups, by_other;
	bool by_other_exact, from_wakes;
};

struct gil_figures gil_figures_of(const struct variant *v, const char *role);

/* Sentences for one run of a CPython process (a py-* variant, or a traced
 * command): the GIL named with its figures, or plainly why it cannot be;
 * contention claimed only at GIL_CONTENDED_SHARE. @prefix starts each one
 * ("py-threads: "). Says nothing when no CPython was seen. */
void explain_cpython_gil(const struct run *r, const char *prefix, const char *role,
			 struct sentences *out);

/* 02: the model's threads-gil and CPython's py-threads side by side, one
 * sentence each for what agrees and what differs, with figures. */
void explain_model_vs_cpython(const struct variant *model, const struct variant *real,
			      struct sentences *out);

/* The convoy variants (convoy, py-convoy): the I/O thread's response times
 * alone and with CPU-bound threads, and the GIL waits that follow its
 * wakeups. */
void explain_convoy(const struct variant *v, struct sentences *out);

/* Run @e on @rs. A demo's explainer that does not speak of the py-*
 * variants (all but 02's) runs once on its C variants and once on its
 * py-* ones, each a family of its own (a curve, a "best" variant, a serial
 * base never mixes the two interpreters); then each py-* variant is set
 * beside its C namesake (py-threads-20 beside threads-20): wall times, the
 * state its working threads spent most of their life in, and CPython's GIL. */
void explain_families(const struct explainer *e, const struct run_set *rs, struct sentences *out);
/* The same, the C family's sentences into @lesson and CPython's (its family,
 * and each py-* beside its C namesake) into @python. */
void explain_families_split(const struct explainer *e, const struct run_set *rs,
			    struct sentences *lesson, struct sentences *python);

/* The same for a verdict: @fn (the demo's, or the generic one) on each
 * family apart. */
void verdict_families(const struct explainer *e, const struct run_set *rs,
		      void (*fn)(const struct run_set *rs, struct verdicts *out),
		      struct verdicts *out);

#endif

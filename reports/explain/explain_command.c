// SPDX-License-Identifier: GPL-2.0
/* The generic explainer: what any traced command's threads did. It knows
 * nothing of the program, so it only reads states, syscalls, futexes and the
 * run queue:
 *   - the dominant states of each process (those ≥ 10% of its threads' lives),
 *     the longest-lived processes first, those under 1% of all threads'
 *     lifetime left out;
 *   - the syscalls and futex words that took ≥ 1% of all threads' lifetime;
 *   - whether run-queue wait says the CPUs were short: runnable time as a
 *     share of CPU demand (running + runnable), ≥ 10% says short, < 10% not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "jvm_threads.h"
#include "wakes.h"
#include "explain_cpython.h"
#include "figures.h"
#include "holders.h"

#define DOMINANT_SHARE 0.10
#define BLOCKING_SHARE 0.01
#define SHORT_CPU_SHARE 0.10
#define MAX_PROCS 5
#define BIG_SHARE 0.01
#define MAX_ITEMS 3

struct sys_total {
	const char *name;
	uint64_t count, total_ns;
	struct hist hist;
};

static int by_total_desc(const void *a, const void *b)
{
	const struct sys_total *x = a, *y = b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

/* One process of the run: its threads' states summed. */
struct proc_sum {
	int pid;
	const char *comm;
	size_t nthreads;
	uint64_t st[ST_COUNT], life;
};

static int by_life_desc(const void *a, const void *b)
{
	const struct proc_sum *x = a, *y = b;

	return x->life < y->life ? 1 : x->life > y->life ? -1 : 0;
}

/* The states of @p past DOMINANT_SHARE, largest first: "lock 65% (8.85 s), ...". */
static size_t dominant_states(const struct proc_sum *p, char *line, size_t len)
{
	uint64_t st[ST_COUNT];
	size_t n = 0, used = 0;
	char d[32];

	memcpy(st, p->st, sizeof(st));
	line[0] = '\0';
	for (;;) {
		int best = -1, k;

		for (k = 0; k < ST_COUNT; k++)
			if (st[k] && (best < 0 || st[k] > st[best]))
				best = k;
		if (best < 0 || (double)st[best] / (double)p->life < DOMINANT_SHARE)
			return n;
		used += (size_t)snprintf(line + used, used < len ? len - used : 0,
					 "%s%s %.0f%% (%s)", n ? ", " : "", state_names[best],
					 100.0 * (double)st[best] / (double)p->life,
					 fmt_ns(d, sizeof(d), (double)st[best]));
		if (used >= len)
			used = len - 1;
		n++;
		st[best] = 0;
	}
}

/* The processes that lived longest first (a launcher's short-lived helpers,
 * under BIG_SHARE of all the threads' lifetime, are left out), at most
 * MAX_PROCS of them. */
static void processes(const struct run *r, const char *prefix, struct sentences *out)
{
	const struct sched_acct *s = &r->sched;
	struct proc_sum *ps = calloc(s->nthreads ? s->nthreads : 1, sizeof(*ps));
	uint64_t all = 0;
	size_t i, j, np = 0;
	int k;

	if (!ps)
		abort();
	for (i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];

		for (j = 0; j < np && ps[j].pid != t->pid; j++)
			;
		if (j == np) {
			ps[np].pid = t->pid;
			ps[np++].comm = t->comm;
		}
		if (t->tid == t->pid)
			ps[j].comm = t->comm;
		ps[j].nthreads++;
		ps[j].life += t->lifetime_ns;
		all += t->lifetime_ns;
		for (k = 0; k < ST_COUNT; k++)
			ps[j].st[k] += t->state_ns[k];
	}
	qsort(ps, np, sizeof(*ps), by_life_desc);
	for (i = 0; i < np && i < MAX_PROCS; i++) {
		char line[512], d[32];
		size_t n;

		if (!ps[i].life || (double)ps[i].life < BIG_SHARE * (double)all)
			break;
		n = dominant_states(&ps[i], line, sizeof(line));
		if (n)
			sentences_add(
			    out,
			    "%sProcess %d (%s, %zu thread%s) spent its threads' %s of life "
			    "mostly %s: %s (states ≥ %.0f%% of lifetime listed).",
			    prefix, ps[i].pid, ps[i].comm, ps[i].nthreads,
			    ps[i].nthreads == 1 ? "" : "s",
			    fmt_ns(d, sizeof(d), (double)ps[i].life),
			    n == 1 ? "in one state" : "in these states", line,
			    100 * DOMINANT_SHARE);
	}
	free(ps);
}

static void syscalls(const struct run *r, const char *prefix, uint64_t life, struct sentences *out)
{
	const struct sched_acct *s = &r->sched;
	struct sys_total *tot = NULL;
	size_t ntot = 0, i, j, k;
	char line[768], d1[32], d2[32], p99[48];
	size_t used = 0, n = 0;

	for (i = 0; i < s->nthreads; i++)
		for (j = 0; j < s->threads[i].nsyscalls; j++) {
			const struct syscall_acct *sc = &s->threads[i].syscalls[j];

			for (k = 0; k < ntot; k++)
				if (!strcmp(tot[k].name, sc->name))
					break;
			if (k == ntot) {
				struct sys_total *p = realloc(tot, (ntot + 1) * sizeof(*tot));

				if (!p)
					abort();
				tot = p;
				memset(&tot[ntot], 0, sizeof(tot[0]));
				tot[ntot++].name = sc->name;
			}
			tot[k].count += sc->count;
			tot[k].total_ns += sc->total_ns;
			if (hist_merge(&tot[k].hist, &sc->hist))
				hist_free(&tot[k].hist);
		}
	if (ntot)
		qsort(tot, ntot, sizeof(*tot), by_total_desc);
	line[0] = '\0';
	for (k = 0; k < ntot && n < MAX_ITEMS; k++) {
		if (!life || (double)tot[k].total_ns / (double)life < BLOCKING_SHARE)
			break;
		p99[0] = '\0';
		/* No histogram, no percentile; one call is its own. The histogram's
		 * buckets are powers of two: no call is longer than all of them. */
		if (hist_total(&tot[k].hist) && tot[k].count > 1) {
			double q = hist_quantile(&tot[k].hist, 0.99);

			if (q > (double)tot[k].total_ns)
				q = (double)tot[k].total_ns;
			snprintf(p99, sizeof(p99), " (p99 %s)", fmt_ns(d2, sizeof(d2), q));
		}
		used += (size_t)snprintf(line + used, used < sizeof(line) ? sizeof(line) - used : 0,
					 "%s%s %s in %llu call%s%s", n ? ", " : "", tot[k].name,
					 fmt_ns(d1, sizeof(d1), (double)tot[k].total_ns),
					 (unsigned long long)tot[k].count,
					 tot[k].count == 1 ? "" : "s", p99);
		if (used >= sizeof(line))
			used = sizeof(line) - 1;
		n++;
	}
	if (n)
		sentences_add(out,
			      "%sThe syscalls that took the most time: %s (each ≥ %.0f%% of all "
			      "threads' lifetime, %s).",
			      prefix, line, 100 * BLOCKING_SHARE,
			      fmt_ns(d1, sizeof(d1), (double)life));
	for (k = 0; k < ntot; k++)
		hist_free(&tot[k].hist);
	free(tot);
}

static int futex_desc(const void *a, const void *b)
{
	const struct futex_acct *x = *(const struct futex_acct *const *)a;
	const struct futex_acct *y = *(const struct futex_acct *const *)b;

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

static void futexes(const struct run *r, const char *prefix, uint64_t life, struct sentences *out)
{
	const struct sched_acct *s = &r->sched;
	const struct futex_acct **f;
	char line[768], d1[32], d2[32], chain[768];
	size_t i, j, used = 0, n = 0;

	if (!s->nfutex || !life)
		return;
	f = calloc(s->nfutex, sizeof(*f));
	if (!f)
		abort();
	for (i = 0; i < s->nfutex; i++)
		f[i] = &s->futex[i];
	qsort(f, s->nfutex, sizeof(*f), futex_desc);
	line[0] = '\0';
	for (i = 0; i < s->nfutex && n < MAX_ITEMS; i++) {
		const char *name = futex_word_name(r, f[i]);
		char wn[256];

		if ((double)f[i]->total_ns / (double)life < BLOCKING_SHARE || !f[i]->count)
			break;
		/* A join is waiting for a thread to finish, said apart (explain_causes.c). */
		if (f[i]->join_tid)
			continue;
		/* A JVM's own threads idling between tasks: the JVM sentence says them. */
		if (jvm_own_word(r, f[i]))
			continue;
		/* A lock's other word (a condition variable's), said with the first. */
		for (j = 0; j < i && !word_same_lock(r, f[j], f[i]->pid, f[i]->addr); j++)
			;
		if (j < i)
			continue;
		/* Its holder and what it did, or who signalled it: a sentence of its own. */
		if (lock_chain_sentence(r, f[i], chain, sizeof(chain))) {
			sentences_add(out, "%s%s.", prefix, chain);
			continue;
		}
		/* Unnamed by the demo: its ELF symbol, or "the lock at 0x.. in process P"
		 * (wakes.h). */
		if (name)
			snprintf(wn, sizeof(wn), "%s in pid %d", name, f[i]->pid);
		else
			word_name(r, f[i]->pid, f[i]->addr, wn, sizeof(wn));
		used += (size_t)snprintf(
		    line + used, used < sizeof(line) ? sizeof(line) - used : 0,
		    "%s%s: %llu wait%s, %s in all, mean %s", n ? "; " : "", wn,
		    (unsigned long long)f[i]->count, f[i]->count == 1 ? "" : "s",
		    fmt_ns(d1, sizeof(d1), (double)f[i]->total_ns),
		    fmt_ns(d2, sizeof(d2), (double)f[i]->total_ns / (double)f[i]->count));
		if (used >= sizeof(line))
			used = sizeof(line) - 1;
		n++;
	}
	if (n)
		sentences_add(
		    out,
		    "%sThreads blocked longest on %s (each ≥ %.0f%% of all threads' lifetime).",
		    prefix, line, 100 * BLOCKING_SHARE);
	free(f);
}

static void run_queue(const struct run *r, const char *prefix, const struct state_sum *ss,
		      struct sentences *out)
{
	double demand = (double)(ss->ns[ST_RUNNING] + ss->ns[ST_RUNNABLE]), share;
	char d1[32], d2[32], d3[32];

	if (demand <= 0)
		return;
	share = (double)ss->ns[ST_RUNNABLE] / demand;
	if (share >= SHORT_CPU_SHARE)
		sentences_add(out,
			      "%sThe CPUs were short: threads waited %s in run queues against %s "
			      "running, %.0f%% of their CPU demand (threshold ≥ %.0f%%); run-queue "
			      "latency p99 %s.",
			      prefix, fmt_ns(d1, sizeof(d1), (double)ss->ns[ST_RUNNABLE]),
			      fmt_ns(d2, sizeof(d2), (double)ss->ns[ST_RUNNING]), 100 * share,
			      100 * SHORT_CPU_SHARE, fmt_ns(d3, sizeof(d3), r->m[M_RUNQ_P99_NS]));
	else
		sentences_add(
		    out,
		    "%sThe CPUs were not short: run-queue waits were %s against %s running, "
		    "%.1f%% of CPU demand (below the %.0f%% threshold).",
		    prefix, fmt_ns(d1, sizeof(d1), (double)ss->ns[ST_RUNNABLE]),
		    fmt_ns(d2, sizeof(d2), (double)ss->ns[ST_RUNNING]), 100 * share,
		    100 * SHORT_CPU_SHARE);
}

void explain_generic_run(const struct run *r, const char *prefix, struct sentences *out)
{
	struct state_sum ss = state_sum_of(r, NULL);

	explain_shape(r, prefix, out);
	processes(r, prefix, out);
	explain_lone_worker(r, prefix, out);
	explain_loop_blocking(r, prefix, out);
	explain_memory(r, prefix, out);
	syscalls(r, prefix, ss.lifetime_ns, out);
	futexes(r, prefix, ss.lifetime_ns, out);
	explain_cpython_gil(r, prefix, NULL, out);
	run_queue(r, prefix, &ss, out);
}

static void explain(const struct run_set *rs, struct sentences *out)
{
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		char prefix[80] = "";

		if (rs->nvariants > 1)
			snprintf(prefix, sizeof(prefix), "%s: ", rs->variants[i].name);
		explain_generic_run(rs->variants[i].rep, prefix, out);
	}
}

const struct explainer explain_command = {"command", explain, NULL, false};

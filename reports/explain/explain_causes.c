// SPDX-License-Identifier: GPL-2.0
/* Cause sentences, for every report (demos and commands alike): who ended the
 * waits (sched.json "wakes") and what set the wall (the critical path). Each
 * claim is made only past its threshold (docs/explainers.md):
 *   - joins: a thread's waits on other threads' exit words, when they are
 *     JOIN_MIN_SHARE of its life: "main waited 1.51 s for its workers to
 *     finish", never called lock contention;
 *   - turns (commands): a futex word two or more threads waited on, whose
 *     waits other waiters of it ended for TURNS_SHARE of the count, and
 *     which held TURNS_MIN_SHARE of the waiters' lives; below TURNS_SHARE,
 *     the same word's top wakers ("ended by holder 1, waiter-2 1");
 *   - the critical path, per variant, naming the shares >= CRIT_NAME_SHARE;
 *   - per demo, its module's own (demo_module.h causes): 02 the GIL's waits
 *     ended by the other worker or the switch interval's timer, 04 the
 *     producer woken by the consumer as slots free, 03 the blocked loop
 *     woken only by its sleep's timer, 01 the workers' waits ended by the
 *     replies; each at CAUSE_DEMO_SHARE of the waits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_module.h"
#include "explain.h"
#include "figures.h"
#include "holders.h"
#include "roles.h"
#include "thread_labels.h"
#include "wakes.h"

#define JOIN_MIN_SHARE 0.10
#define TURNS_SHARE 0.80
#define TURNS_MIN_SHARE 0.05
#define MIN_WAITS_TURNS 2
#define NAMED_WAKERS 3

static const char *prefix(const struct run_set *rs, const struct run *r, char *buf, size_t len)
{
	if (rs->nvariants > 1)
		snprintf(buf, len, "%s: ", r->variant);
	else
		buf[0] = '\0';
	return buf;
}

/* Joins: per waiting thread, its waits on its threads' exit words. */
static void joins(const struct run_set *rs, const struct run *r, struct sentences *out)
{
	char p[80], d[32], who[160];

	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		uint64_t ns = 0, waits = 0;
		size_t nj = 0, used = 0;
		bool workers = true, procs = false; /* all worker-* threads; a child process */
		char role[ROLE_LEN];

		who[0] = '\0';
		for (size_t k = 0; k < r->sched.nwakes; k++) {
			const struct wake_edge *e = &r->sched.wakes[k];

			/* pthread_join's word, or a parent's wait4 ended by its child's exit */
			bool join = e->futex[0] && word_join_tid(r, e->wakee_pid, e->futex);
			bool reap = e->kind == WK_THREAD && e->waker_pid != e->wakee_pid &&
				    (!strcmp(e->syscall, "wait4") || !strcmp(e->syscall, "waitid"));

			if (e->wakee_tid != t->tid || !(join || reap))
				continue;
			ns += e->blocked_ns;
			waits += e->count;
			workers &= !strncmp(role_of(role, sizeof(role), e->waker), "worker", 6);
			procs |= reap;
			if (nj++ < 3)
				used += (size_t)snprintf(
				    who + used, used < sizeof(who) ? sizeof(who) - used : 0, "%s%s",
				    nj > 1 ? ", " : "",
				    e->waker_label[0] ? e->waker_label : e->waker);
			if (used >= sizeof(who))
				used = sizeof(who) - 1;
		}
		if (!nj || (double)ns < JOIN_MIN_SHARE * (double)t->lifetime_ns)
			continue;
		sentences_add(out,
			      "%s%s waited %s (%.0f%% of its life) for %s to finish: %llu "
			      "wait%s ended by the exit of the %s waited for (%s%s). That is "
			      "waiting for work to be done, not lock contention.",
			      prefix(rs, r, p, sizeof(p)), thread_label_of(t),
			      fig_dur(d, sizeof(d), (double)ns),
			      100.0 * (double)ns / (double)t->lifetime_ns,
			      workers ? "its workers"
			      : procs ? "the threads and processes it started"
				      : "the threads it started",
			      (unsigned long long)waits, waits == 1 ? "" : "s",
			      workers ? "worker"
			      : procs ? "one"
				      : "thread",
			      who, nj > 3 ? ", ..." : "");
	}
}

/* Who ended the waits on a word, when they did not take turns: its top
 * wakers, each once with all the waits it ended (a waker of several
 * waiters is in one edge per waiter). */
static void released_by(const struct run_set *rs, const struct run *r, const struct futex_acct *f,
			const char *who, size_t nw, uint64_t ns, uint64_t all,
			struct sentences *out)
{
	struct {
		char label[64];
		uint64_t count;
	} by[16];
	char p[80], d[32], name[128], list[256], wl[64];
	size_t used = 0, nby = 0;
	bool named[16] = {false};

	for (size_t k = 0; k < r->sched.nwakes; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];
		size_t j;

		if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr))
			continue;
		waker_label(e, wl, sizeof(wl));
		for (j = 0; j < nby && strcmp(by[j].label, wl); j++)
			;
		if (j == nby) {
			if (nby == sizeof(by) / sizeof(by[0]))
				continue;
			snprintf(by[nby].label, sizeof(by[nby].label), "%s", wl);
			by[nby++].count = 0;
		}
		by[j].count += e->count;
	}
	list[0] = '\0';
	for (size_t n = 0; n < NAMED_WAKERS && n < nby; n++) {
		size_t top = nby;

		for (size_t j = 0; j < nby; j++)
			if (!named[j] && (top == nby || by[j].count > by[top].count))
				top = j;
		named[top] = true;
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s%s (%llu)", n ? ", " : "", by[top].label,
					 (unsigned long long)by[top].count);
		if (used >= sizeof(list))
			used = sizeof(list) - 1;
	}
	if (nby > NAMED_WAKERS) {
		uint64_t rest = 0;

		for (size_t j = 0; j < nby; j++)
			rest += named[j] ? 0 : by[j].count;
		snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
			 ", others (%llu)", (unsigned long long)rest);
	}
	sentences_add(
	    out, "%s%s%s waited %s on %s (futex, %llu waits); the waits were ended by %s.",
	    prefix(rs, r, p, sizeof(p)), who, nw > 3 ? " and others" : "",
	    fig_dur(d, sizeof(d), (double)ns),
	    word_name_short(r, f->pid, f->addr, name, sizeof(name)), (unsigned long long)all, list);
}

/* Turns: a word several threads waited on, each wait ended by another of them. */
static void turns(const struct run_set *rs, const struct run *r, struct sentences *out)
{
	char p[80], d[32], name[128], who[160];

	for (size_t w = 0; w < r->sched.nfutex; w++) {
		const struct futex_acct *f = &r->sched.futex[w];
		uint64_t all = 0, by_waiter = 0, ns = 0, life = 0;
		int waiters[8];
		size_t nw = 0, used = 0;

		if (f->join_tid)
			continue;
		for (size_t k = 0; k < r->sched.nwakes; k++) {
			const struct wake_edge *e = &r->sched.wakes[k];
			size_t j;

			if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr))
				continue;
			all += e->count;
			ns += e->blocked_ns;
			for (j = 0; j < nw && waiters[j] != e->wakee_tid; j++)
				;
			if (j == nw && nw < 8)
				waiters[nw++] = e->wakee_tid;
		}
		if (nw < 2 || all < MIN_WAITS_TURNS)
			continue;
		for (size_t k = 0; k < r->sched.nwakes; k++) {
			const struct wake_edge *e = &r->sched.wakes[k];

			if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr) ||
			    e->kind != WK_THREAD || e->waker_tid == e->wakee_tid)
				continue;
			for (size_t j = 0; j < nw; j++)
				if (waiters[j] == e->waker_tid)
					by_waiter += e->count;
		}
		for (size_t j = 0; j < nw; j++) {
			const struct sched_thread *t = sched_find_tid(&r->sched, waiters[j]);

			life += t ? t->lifetime_ns : 0;
			if (j < 3 && t)
				used += (size_t)snprintf(
				    who + used, used < sizeof(who) ? sizeof(who) - used : 0, "%s%s",
				    j ? (j + 1 == nw ? " and " : ", ") : "", thread_label_of(t));
			if (used >= sizeof(who))
				used = sizeof(who) - 1;
		}
		if ((double)ns < TURNS_MIN_SHARE * (double)life)
			continue;
		if ((double)by_waiter < TURNS_SHARE * (double)all) {
			released_by(rs, r, f, who, nw, ns, all, out);
			continue;
		}
		sentences_add(
		    out,
		    "%s%s%s waited %s on %s (futex, %llu waits), %.0f%% of the waits ended "
		    "by another of them releasing it: they took turns.",
		    prefix(rs, r, p, sizeof(p)), who, nw > 3 ? " and others" : "",
		    fig_dur(d, sizeof(d), (double)ns),
		    word_name_short(r, f->pid, f->addr, name, sizeof(name)),
		    (unsigned long long)all, 100.0 * (double)by_waiter / (double)all);
	}
}

static void critical(const struct run_set *rs, const struct run *r, struct sentences *out)
{
	char p[80], s[512];

	if (!crit_sentence(r, s, sizeof(s)))
		return;
	prefix(rs, r, p, sizeof(p));
	if (!p[0])
		s[0] = (char)(s[0] - 'a' + 'A');
	sentences_add(out, "%s%s.", p, s);
}

/*
 * Who held the lock, in a demo's run (a command's are said with its words,
 * explain_command.c): each word whose waits are TURNS_MIN_SHARE of its
 * waiters' lives and that has a holder or is the GIL.
 */
static void holders(const struct run_set *rs, const struct run *r, struct sentences *out)
{
	char p[80], s[768];

	for (size_t w = 0; w < r->sched.nfutex; w++) {
		const struct futex_acct *f = &r->sched.futex[w];
		uint64_t life = 0;
		int seen[16];
		size_t n = 0;

		for (size_t k = 0; k < r->sched.nwakes && n < 16; k++) {
			const struct wake_edge *e = &r->sched.wakes[k];
			const struct sched_thread *t;
			size_t j;

			if (!e->futex[0] || !word_same_lock(r, f, e->wakee_pid, e->futex))
				continue;
			for (j = 0; j < n && seen[j] != e->wakee_tid; j++)
				;
			if (j < n)
				continue;
			seen[n++] = e->wakee_tid;
			t = sched_find_tid(&r->sched, e->wakee_tid);
			life += t ? t->lifetime_ns : 0;
		}
		/* One sentence per lock: a named word's siblings are said with the first. */
		for (size_t v = 0; v < w && life; v++)
			if (word_same_lock(r, f, r->sched.futex[v].pid, r->sched.futex[v].addr))
				life = 0;
		if (!life || (double)f->total_ns < TURNS_MIN_SHARE * (double)life ||
		    !lock_chain_sentence(r, f, s, sizeof(s)))
			continue;
		sentences_add(out, "%s%s.", prefix(rs, r, p, sizeof(p)), s);
	}
}

void explain_causes(const struct run_set *rs, struct sentences *out)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;

	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		if (!rs->is_demo)
			turns(rs, r, out);
		else if (m && m->causes)
			m->causes(r, out);
		if (rs->is_demo)
			holders(rs, r, out);
		joins(rs, r, out);
		critical(rs, r, out);
	}
}

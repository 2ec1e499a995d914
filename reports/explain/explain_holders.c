// SPDX-License-Identifier: GPL-2.0
/*
 * Who held the lock, as a chain in one sentence (explain.h,
 * lock_chain_sentence): the waiters, the word, its holder and what the
 * holder did while they waited; or, for a word no wait read as a held
 * mutex, who signalled it, with no holder claimed (docs/report.md, "Who
 * held the lock").
 */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "figures.h"
#include "holders.h"
#include "thread_labels.h"
#include "wakes.h"

/* A holder's state share is named from this share of the waits' time. */
#define HOLDER_STATE_SHARE 0.05

/* What a thread in each state was doing, for a reader. */
static const char *const doing[NR_STATES] = {
    [ST_RUNNING] = "running",	      [ST_RUNNABLE] = "waiting for a CPU",
    [ST_LOCK] = "waiting on a lock",  [ST_SLEEP] = "sleeping",
    [ST_IO] = "waiting on I/O",	      [ST_DISK] = "waiting on the disk",
    [ST_OTHER] = "blocked otherwise",
};

/* "running (83%) and waiting for a CPU (16%)": the holder's states over the
 * waits (@known: the part of their time it lived), largest first, each
 * >= HOLDER_STATE_SHARE of it. */
static size_t holder_doing(const struct word_holders *h, uint64_t known, char *buf, size_t len)
{
	bool used_st[NR_STATES] = {false};
	size_t n = 0, at = 0;

	buf[0] = '\0';
	for (;;) {
		int best = -1;

		for (int st = 0; st < NR_STATES; st++)
			if (!used_st[st] && (best < 0 || h->owner_ns[st] > h->owner_ns[best]))
				best = st;
		if (best < 0 || !known ||
		    (double)h->owner_ns[best] < HOLDER_STATE_SHARE * (double)known)
			break;
		used_st[best] = true;
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s (%.0f%%)",
				       n ? ", " : "", doing[best],
				       100.0 * (double)h->owner_ns[best] / (double)known);
		n++;
	}
	return n;
}

/* Waiters named in the list; the rest are counted ("and 3 others"). */
#define WAITERS_NAMED 3
#define WAITERS_SEEN 256

/* The waiters of @f as a list, its waits and their time. */
static void waiters(const struct run *r, const struct futex_acct *f, char *buf, size_t len,
		    uint64_t *ns)
{
	int seen[WAITERS_SEEN];
	size_t n = 0, at = 0, more;

	*ns = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < r->sched.nwakes; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];
		size_t j;

		if (!e->futex[0] || !word_same_lock(r, f, e->wakee_pid, e->futex))
			continue;
		*ns += e->blocked_ns;
		/* A thread woken by several others is in several edges: once here. */
		for (j = 0; j < n && seen[j] != e->wakee_tid; j++)
			;
		if (j == n && n < WAITERS_SEEN)
			seen[n++] = e->wakee_tid;
	}
	more = n > WAITERS_NAMED ? n - WAITERS_NAMED : 0;
	for (size_t j = 0; j < n && j < WAITERS_NAMED; j++)
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s",
				       !j		     ? ""
				       : j + 1 == n && !more ? " and "
							     : ", ",
				       thread_label_or(r, seen[j], ""));
	if (more)
		snprintf(buf + at, at < len ? len - at : 0, " and %zu other%s", more,
			 more == 1 ? "" : "s");
}

/*
 * The GIL's condition variable (the demo's and CPython's, "GIL cond"): its
 * holder signals it as it drops the GIL (drop_gil), so the thread that
 * ended a wait held the GIL until then; a wait its timeout ended is the
 * switch interval passing, the waiter then asking the holder to drop it.
 */
static bool gil_sentence(const struct run *r, const struct futex_acct *f,
			 const struct word_holders *h, const char *who, uint64_t ns, char *buf,
			 size_t len)
{
	char d[32];
	int at =
	    snprintf(buf, len,
		     "%s waited %s on the GIL (GIL cond, %llu wait%s): the GIL's holder "
		     "signals it as it drops the GIL, so the thread that ended a wait held "
		     "the GIL until then: %s for %llu of them",
		     who, fig_dur(d, sizeof(d), (double)ns), (unsigned long long)h->waits,
		     h->waits == 1 ? "" : "s", thread_label_or(r, h->signaller_tid, "a thread"),
		     (unsigned long long)h->signalled);

	(void)f;
	if (at > 0 && (size_t)at < len && h->signaller2_tid)
		at += snprintf(buf + at, len - (size_t)at, ", %s for %llu",
			       thread_label_or(r, h->signaller2_tid, "a thread"),
			       (unsigned long long)h->signalled2);
	if (at > 0 && (size_t)at < len && h->timed_out)
		snprintf(buf + at, len - (size_t)at,
			 "; the wait's own timeout ended %llu (the switch interval passed, and "
			 "the waiter asked the holder to drop it)",
			 (unsigned long long)h->timed_out);
	return true;
}

/*
 * Over what the holder's states were measured: ", while it held the lock
 * (247.2 ms of those waits' 547.5 ms),", from its wait's start to its first
 * release of the lock after (docs/collector.md, "Who held the lock"); from
 * an older collector, the whole waits. @known: the time its states cover.
 */
static void holder_span(const struct word_holders *h, uint64_t known, char *buf, size_t len)
{
	char held[32], all[32];
	int at;

	if (!h->tenure) {
		/* The holder's time is known while it lived: shares of that. */
		if ((double)known < 0.95 * (double)h->owner_blocked_ns)
			snprintf(buf, len, " over the %s of those waits it lived through",
				 fig_dur(held, sizeof(held), (double)known));
		else
			snprintf(buf, len, " over those waits");
		return;
	}
	at = snprintf(buf, len, ", while it held the lock (%s of those waits' %s",
		      fig_dur(held, sizeof(held), (double)h->owner_held_ns),
		      fig_dur(all, sizeof(all), (double)h->owner_blocked_ns));
	if (at > 0 && (size_t)at < len && h->owner_unknown)
		at += snprintf(buf + at, len - (size_t)at,
			       "; not followed to its release in %llu of them",
			       (unsigned long long)h->owner_unknown);
	if (at > 0 && (size_t)at < len)
		snprintf(buf + at, len - (size_t)at, "),");
}

bool lock_chain_sentence(const struct run *r, const struct futex_acct *f, char *buf, size_t len)
{
	struct word_holders h;
	char who[256], name[256], d[32], what[160], lived[192];
	uint64_t ns, known;

	word_holders_of(r, f, &h);
	if (h.kind != WORD_MUTEX && h.kind != WORD_SIGNAL)
		return false;
	waiters(r, f, who, sizeof(who), &ns);
	if (!who[0])
		return false;
	word_name_short(r, f->pid, f->addr, name, sizeof(name));
	/* An unnamed condition variable's two signal words: one lock. */
	if (h.kind == WORD_SIGNAL && h.nwords == 2 && !f->symbol[0] && !futex_word_name(r, f))
		snprintf(name, sizeof(name), "the condition variable whose two signal words are %s",
			 word_where(r, f, what, sizeof(what)));
	if (h.kind == WORD_SIGNAL && !strcmp(name, "GIL cond"))
		return gil_sentence(r, f, &h, who, ns, buf, len);
	if (h.kind == WORD_SIGNAL) {
		int at = snprintf(
		    buf, len,
		    f->java_monitor ? "%s waited %s to enter %s (a synchronized block or method, "
				      "%llu wait%s), whose owner no wait could read in the JVM, so "
				      "no holder is named: %s released it to %llu of the waits"
				    : "%s waited %s on %s (%llu wait%s), which no wait read as a "
				      "held mutex, so no holder is named: %s signalled %llu of the "
				      "waits",
		    who, fig_dur(d, sizeof(d), (double)ns), name, (unsigned long long)h.waits,
		    h.waits == 1 ? "" : "s", thread_label_or(r, h.signaller_tid, "a thread"),
		    (unsigned long long)h.signalled);
		if (at > 0 && (size_t)at < len && h.signaller2_tid)
			at += snprintf(buf + at, len - (size_t)at, ", %s %llu",
				       thread_label_or(r, h.signaller2_tid, "a thread"),
				       (unsigned long long)h.signalled2);
		if (at > 0 && (size_t)at < len && h.timed_out)
			snprintf(buf + at, len - (size_t)at, ", the wait's own timeout ended %llu",
				 (unsigned long long)h.timed_out);
		return true;
	}
	known = 0;
	for (int st = 0; st < NR_STATES; st++)
		known += h.owner_ns[st];
	holder_span(&h, known, lived, sizeof(lived));
	if (!holder_doing(&h, known, what, sizeof(what)))
		snprintf(what, sizeof(what), "in no state long enough to name");
	snprintf(buf, len,
		 "%s waited %s %s %s (%s%llu wait%s), held by %s as %llu of them began (read from "
		 "the %s at each wait%s), which%s was %s",
		 who, fig_dur(d, sizeof(d), (double)ns), f->java_monitor ? "to enter" : "on", name,
		 f->java_monitor ? "a synchronized block or method, " : "",
		 (unsigned long long)f->count, f->count == 1 ? "" : "s",
		 thread_label_or(r, h.owner_tid, "a thread"), (unsigned long long)h.owner_waits,
		 f->java_monitor ? "monitor's owner in the JVM" : "mutex",
		 h.nowners > 1 ? "; other threads held it for the rest" : "", lived, what);
	return true;
}

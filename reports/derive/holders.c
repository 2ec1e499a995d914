// SPDX-License-Identifier: GPL-2.0
/* Who held the lock (holders.h). */
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "holders.h"
#include "sched_wakes.h"

const struct futex_acct *word_find(const struct run *r, int pid, const char *addr)
{
	for (size_t i = 0; i < r->sched.nfutex; i++)
		if (r->sched.futex[i].pid == pid && !strcmp(r->sched.futex[i].addr, addr))
			return &r->sched.futex[i];
	return NULL;
}

/* Every wait on @f was asked with FUTEX_WAIT_BITSET (there was one). */
static bool bitset_only(const struct run *r, const struct futex_acct *f)
{
	size_t n = 0;

	for (size_t k = 0; k < r->sched.nwakes; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];

		if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr))
			continue;
		if (strcmp(e->futex_op, "FUTEX_WAIT_BITSET"))
			return false;
		n++;
	}
	return n > 0;
}

/*
 * glibc's condition variable sleeps on its two signal words __g_signals[0]
 * and [1], at +40 and +44 of the 8-aligned object: two words 4 bytes apart,
 * the lower 8-aligned, neither read as a mutex by any wait (owners were
 * looked for), both waited on with FUTEX_WAIT_BITSET only, are one.
 */
static bool cond_pair(const struct run *r, const struct futex_acct *a, const struct futex_acct *b)
{
	unsigned long long x = strtoull(a->addr, NULL, 16), y = strtoull(b->addr, NULL, 16);
	unsigned long long lo = x < y ? x : y;

	return (x > y ? x - y : y - x) == 4 && lo % 8 == 0 && a->holders_known &&
	       b->holders_known && !a->nholders && !b->nholders && !a->join_tid && !b->join_tid &&
	       !a->symbol[0] && !b->symbol[0] && bitset_only(r, a) && bitset_only(r, b);
}

bool word_same_lock(const struct run *r, const struct futex_acct *f, int pid, const char *addr)
{
	const struct futex_acct *o;
	const char *name, *other;

	if (pid != f->pid)
		return false;
	if (!strcmp(addr, f->addr))
		return true;
	o = word_find(r, pid, addr);
	if (!o)
		return false;
	name = futex_word_name(r, f);
	other = futex_word_name(r, o);
	if (name || other)
		return name && other && !strcmp(name, other);
	return cond_pair(r, f, o);
}

/* The owner with the most blocked time behind it, summed over its waiters. */
static void top_owner(const struct futex_acct *f, struct word_holders *out)
{
	for (size_t i = 0; i < f->nholders; i++) {
		const struct lock_holder *h = &f->holders[i];
		uint64_t ns = 0;
		bool seen = false;

		out->owned_waits += h->waits;
		out->owned_ns += h->blocked_ns;
		for (size_t k = 0; k < i; k++)
			seen |= f->holders[k].owner_tid == h->owner_tid;
		if (seen)
			continue;
		out->nowners++;
		for (size_t k = i; k < f->nholders; k++)
			if (f->holders[k].owner_tid == h->owner_tid)
				ns += f->holders[k].blocked_ns;
		if (ns <= out->owner_blocked_ns)
			continue;
		out->owner_tid = h->owner_tid;
		out->owner_blocked_ns = ns;
	}
	out->tenure = out->owner_tid != 0;
	for (size_t i = 0; i < f->nholders; i++) {
		const struct lock_holder *h = &f->holders[i];

		if (h->owner_tid != out->owner_tid)
			continue;
		out->owner_waits += h->waits;
		out->tenure &= h->tenure;
		out->owner_held_ns += h->held_ns;
		out->owner_unknown += h->owner_unknown;
		for (int st = 0; st < NR_STATES; st++)
			out->owner_ns[st] += h->owner_ns[st];
	}
}

/* Who ended the word's waits: its top signalling thread, the timeouts. */
static void signallers(const struct run *r, const struct futex_acct *f, struct word_holders *out)
{
	struct {
		int tid;
		uint64_t n;
	} by[16];
	size_t nby = 0;

	for (size_t k = 0; k < r->sched.nwakes; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];
		size_t j;

		if (!e->futex[0] || !word_same_lock(r, f, e->wakee_pid, e->futex))
			continue;
		out->ended += e->count;
		if (e->kind == WK_HARDIRQ || (e->kind == WK_SOFTIRQ && !e->host[0]))
			out->timed_out += e->futex_timeout ? e->count : 0;
		if (e->kind != WK_THREAD || e->waker_tid == e->wakee_tid)
			continue;
		out->woken_by_threads += e->count;
		for (j = 0; j < nby && by[j].tid != e->waker_tid; j++)
			;
		if (j == nby) {
			if (nby == sizeof(by) / sizeof(by[0]))
				continue;
			by[nby].tid = e->waker_tid;
			by[nby++].n = 0;
		}
		by[j].n += e->count;
	}
	for (size_t j = 0; j < nby; j++)
		if (by[j].n > out->signalled) {
			out->signalled = by[j].n;
			out->signaller_tid = by[j].tid;
		}
	for (size_t j = 0; j < nby; j++)
		if (by[j].tid != out->signaller_tid && by[j].n > out->signalled2) {
			out->signalled2 = by[j].n;
			out->signaller2_tid = by[j].tid;
		}
	for (size_t i = 0; i < r->sched.nfutex; i++)
		if (word_same_lock(r, f, r->sched.futex[i].pid, r->sched.futex[i].addr)) {
			out->waits += r->sched.futex[i].count;
			out->nwords++;
		}
}

void word_holders_of(const struct run *r, const struct futex_acct *f, struct word_holders *out)
{
	memset(out, 0, sizeof(*out));
	top_owner(f, out);
	signallers(r, f, out);
	if (out->owned_waits)
		out->kind = WORD_MUTEX;
	else if (f->join_tid)
		out->kind = WORD_JOIN;
	/* No owner read: a signal word only if owners were looked for. */
	else if (out->woken_by_threads && f->holders_known)
		out->kind = WORD_SIGNAL;
}

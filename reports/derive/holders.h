/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who held the locks threads waited on, and what kind of word each futex
 * word is, made once of sched.json futex[].holders and wakes[] for every
 * sentence that names them (docs/report.md, "Who held the lock").
 *
 * A word is a mutex when a wait on it read it as a locked glibc mutex whose
 * owner was another thread of the process (the collector's claim); a join
 * when it is a thread's exit word; a signal word (a condition variable, a
 * semaphore or the like) when neither and other threads ended its waits;
 * else unknown. Only a mutex has a holder; a signal word has the threads
 * that signalled it.
 */
#ifndef SCHEDLAB_HOLDERS_H
#define SCHEDLAB_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runset.h"

enum word_kind { WORD_UNKNOWN, WORD_MUTEX, WORD_JOIN, WORD_SIGNAL };

struct word_holders {
	enum word_kind kind;
	uint64_t owned_waits, owned_ns; /* waits with an owner read, and their time */
	size_t nowners;
	int owner_tid; /* the owner over most of owned_ns, 0 when none */
	uint64_t owner_waits, owner_blocked_ns;
	/*
	 * tenure: the owner was followed only while it held the lock (every
	 * wait's file says so): owner_held_ns of owner_blocked_ns, and
	 * owner_ns what it did then; owner_unknown waits it was not followed
	 * over. Else (older collectors) owner_ns spans the whole waits.
	 */
	bool tenure;
	uint64_t owner_held_ns, owner_unknown;
	uint64_t owner_ns[NR_STATES];
	int signaller_tid; /* WORD_SIGNAL: the thread that ended most waits */
	uint64_t signalled, woken_by_threads, timed_out, ended;
	int signaller2_tid; /* the one after it, 0 when none */
	uint64_t signalled2;
	uint64_t waits; /* the lock's waits: the word's, with its siblings' */
	size_t nwords;	/* its words: 2 for a condition variable's two signal words */
};

/* The holders of word @f of run @r and its kind. */
void word_holders_of(const struct run *r, const struct futex_acct *f, struct word_holders *out);
/* Is the word (pid, addr) part of @f's lock: @f itself, or a word the demo
 * or CPython named the same (a condition variable's two signal words, both
 * "GIL cond"), or, unnamed, the other signal word of the same glibc
 * condition variable (4 bytes apart, no holder, FUTEX_WAIT_BITSET waits)? */
bool word_same_lock(const struct run *r, const struct futex_acct *f, int pid, const char *addr);
/* The word (pid, addr) of @r, or NULL. */
const struct futex_acct *word_find(const struct run *r, int pid, const char *addr);

#endif

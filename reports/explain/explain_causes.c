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
 *   - per demo: 02 the GIL's waits ended by the other worker or the switch
 *     interval's timer, 04 the producer woken by the consumer as slots free,
 *     03 the blocked loop woken only by its sleep's timer, 01 the workers'
 *     waits ended by the replies; each at DEMO_SHARE of the waits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "figures.h"
#include "roles.h"
#include "wakes.h"

#define JOIN_MIN_SHARE 0.10
#define TURNS_SHARE 0.80
#define TURNS_MIN_SHARE 0.05
#define DEMO_SHARE 0.90
#define PACE_SHARE 0.80
#define PATH_SHARE 0.70
#define MIN_WAITS 5
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
				    nj > 1 ? ", " : "", e->waker);
			if (used >= sizeof(who))
				used = sizeof(who) - 1;
		}
		if (!nj || (double)ns < JOIN_MIN_SHARE * (double)t->lifetime_ns)
			continue;
		sentences_add(out,
			      "%s%s waited %s (%.0f%% of its life) for %s to finish: %llu "
			      "wait%s ended by the exit of the %s waited for (%s%s). That is "
			      "waiting for work to be done, not lock contention.",
			      prefix(rs, r, p, sizeof(p)), t->comm,
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

/* Who ended the waits on a word, when they did not take turns: its top wakers. */
static void released_by(const struct run_set *rs, const struct run *r, const struct futex_acct *f,
			const char *who, size_t nw, uint64_t ns, uint64_t all,
			struct sentences *out)
{
	char p[80], d[32], name[128], list[256], wl[64];
	const struct wake_edge *top[NAMED_WAKERS] = {NULL};
	size_t used = 0;

	for (size_t k = 0; k < r->sched.nwakes; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];

		if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr))
			continue;
		for (size_t j = 0; j < NAMED_WAKERS; j++)
			if (!top[j] || e->count > top[j]->count) {
				memmove(&top[j + 1], &top[j],
					(NAMED_WAKERS - j - 1) * sizeof(top[0]));
				top[j] = e;
				break;
			}
	}
	list[0] = '\0';
	for (size_t j = 0; j < NAMED_WAKERS && top[j]; j++) {
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s%s (%llu)", j ? ", " : "",
					 waker_label(top[j], wl, sizeof(wl)),
					 (unsigned long long)top[j]->count);
		if (used >= sizeof(list))
			used = sizeof(list) - 1;
	}
	sentences_add(
	    out, "%s%s%s waited %s on %s (futex, %llu waits); the waits were ended by %s.",
	    prefix(rs, r, p, sizeof(p)), who, nw > 3 ? " and others" : "",
	    fig_dur(d, sizeof(d), (double)ns), word_name(r, f->pid, f->addr, name, sizeof(name)),
	    (unsigned long long)all, list);
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
				    j ? (j + 1 == nw ? " and " : ", ") : "", t->comm);
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
		    word_name(r, f->pid, f->addr, name, sizeof(name)), (unsigned long long)all,
		    100.0 * (double)by_waiter / (double)all);
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

/* 02: who ended the workers' GIL waits. */
static void gil_turns(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"worker", ST_LOCK, -1, NULL, 0, "GIL", false};
	struct wake_filter other = {"worker", ST_LOCK, WK_THREAD, "worker", 0, "GIL", true};
	struct wake_filter timer = {"worker", ST_LOCK, WK_HARDIRQ, NULL, 0, "GIL", false};
	struct wake_tally a = wake_tally_of(r, &all), o = wake_tally_of(r, &other),
			  t = wake_tally_of(r, &timer);

	if (a.count < MIN_WAITS || (double)(o.count + t.count) < DEMO_SHARE * (double)a.count ||
	    !o.count)
		return;
	if ((double)o.count >= DEMO_SHARE * (double)a.count)
		sentences_add(
		    out,
		    "%s: each GIL wait was ended by the other worker releasing it (%llu of "
		    "%llu waits).",
		    r->variant, (unsigned long long)o.count, (unsigned long long)a.count);
	else
		sentences_add(
		    out,
		    "%s: every GIL wait was ended by the other worker releasing the GIL "
		    "(%llu of %llu) or by the switch interval's timer (%llu: the waiter's "
		    "timed wait ran out, and it then asked the holder to let go): the two "
		    "workers took turns, never ran together.",
		    r->variant, (unsigned long long)o.count, (unsigned long long)a.count,
		    (unsigned long long)t.count);
	if (crit_share_of(r, "worker", ST_RUNNING) + crit_share_of(r, "worker", ST_RUNNABLE) >=
	    PATH_SHARE)
		sentences_add(out,
			      "%s: the two workers alternate; the critical path is their running "
			      "time plus the handoffs and waits for a CPU (%.0f%% of it).",
			      r->variant,
			      100 * (crit_share_of(r, "worker", ST_RUNNING) +
				     crit_share_of(r, "worker", ST_RUNNABLE)));
}

/* 04: the producer held back by a full queue, released by the consumer. */
static void paced(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"producer", ST_LOCK, -1, NULL, 0, "not_full", false};
	struct wake_filter cons = {"producer", ST_LOCK,	   WK_THREAD, "consumer",
				   0,	       "not_full", false};
	struct wake_tally a = wake_tally_of(r, &all), c = wake_tally_of(r, &cons);
	double path = crit_share_of(r, "consumer", -1),
	       prod = crit_share_of(r, "producer", ST_LOCK);
	double timed = crit_share_of(r, "sampler", ST_SLEEP) + crit_share_of(r, "main", ST_SLEEP);

	if (a.count >= MIN_WAITS && (double)c.count >= PACE_SHARE * (double)a.count)
		sentences_add(out,
			      "%s: the producer was woken by the consumer %llu times, each time a "
			      "slot freed: the consumer sets the pace.",
			      r->variant, (unsigned long long)c.count);
	if (path < PATH_SHARE && timed >= PATH_SHARE)
		sentences_add(
		    out,
		    "%s: the run lasts a fixed time: %.0f%% of the critical path is a "
		    "sleep until the demo's deadline (main or the sampler), so neither "
		    "the producer nor the consumer sets the wall; the producer's waits for "
		    "a free slot are %s the path.",
		    r->variant, 100 * timed, prod < 0.05 ? "off" : "on");
	if (path >= PATH_SHARE)
		sentences_add(
		    out,
		    "%s: %.0f%% of the critical path is the consumer (its %.0f%% sleeping "
		    "is its work per item, which the demo simulates with a sleep); the "
		    "producer's waits for a free slot are %s the path.",
		    r->variant, 100 * path, 100 * crit_share_of(r, "consumer", ST_SLEEP),
		    prod < 0.05 ? "off" : "on");
}

/* 03: the blocked loop, woken only by its own sleeps ending. */
static void loop_sleeps(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"loop", -1, -1, NULL, -1, NULL, false};
	struct wake_filter tim = {"loop", ST_SLEEP, WK_HARDIRQ, NULL, -1, NULL, false};
	struct wake_tally a = wake_tally_of(r, &all), t = wake_tally_of(r, &tim);

	if (a.count >= MIN_WAITS && (double)t.count >= DEMO_SHARE * (double)a.count)
		sentences_add(out,
			      "%s: the loop was woken only by its own sleep ending (%llu of %llu "
			      "wakeups by the timer interrupt): while it slept no task's timer "
			      "could run.",
			      r->variant, (unsigned long long)t.count, (unsigned long long)a.count);
}

/* 01: the workers' waits for replies ended by the replies. */
static void replies(const struct run *r, struct sentences *out)
{
	struct wake_filter all = {"worker", ST_IO, -1, NULL, -1, NULL, false};
	struct wake_filter net = {"worker", ST_IO, WK_SOFTIRQ, NULL, -1, NULL, false};
	struct wake_filter srv = {"worker", ST_IO, WK_THREAD, "server", -1, NULL, false};
	struct wake_tally a = wake_tally_of(r, &all), n = wake_tally_of(r, &net),
			  s = wake_tally_of(r, &srv);

	if (a.count < MIN_WAITS || (double)(n.count + s.count) < DEMO_SHARE * (double)a.count)
		return;
	sentences_add(out,
		      "%s: the workers' %llu waits for I/O were ended by the server's replies "
		      "(%llu by the loopback softirq that delivered them, %llu by a server "
		      "thread directly).",
		      r->variant, (unsigned long long)a.count, (unsigned long long)n.count,
		      (unsigned long long)s.count);
}

void explain_causes(const struct run_set *rs, struct sentences *out)
{
	for (size_t i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;

		if (!rs->is_demo)
			turns(rs, r, out);
		else if (!strcmp(rs->demo, "02_cpu_bound") &&
			 (strstr(r->variant, "gil") || !strcmp(r->variant, "py-threads")))
			gil_turns(r, out);
		else if (!strcmp(rs->demo, "04_backpressure"))
			paced(r, out);
		else if (!strcmp(rs->demo, "03_event_loop"))
			loop_sleeps(r, out);
		else if (!strcmp(rs->demo, "01_io_wait"))
			replies(r, out);
		joins(rs, r, out);
		critical(rs, r, out);
	}
}

// SPDX-License-Identifier: GPL-2.0
/* Roles from behaviour (thread_roles.h): each thread's waits, as sched.json
 * "wakes" records who ended them, read for the shape of a main thread, a
 * pool and its feeder, an event loop, an I/O thread, a child process. */
#include "thread_roles.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "holders.h"
#include "jvm_threads.h"
#include "roles.h"
#include "sched_wakes.h"
#include "wakes.h"
#include "work_shape.h"

bool thread_is(const struct sched_thread *t, const char *role)
{
	return !strcmp(t->role, role);
}

static void set_role(struct sched_thread *t, const char *role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_role(struct sched_thread *t, const char *role, const char *fmt, ...)
{
	va_list ap;

	snprintf(t->role, sizeof(t->role), "%s", role);
	va_start(ap, fmt);
	vsnprintf(t->role_why, sizeof(t->role_why), fmt, ap);
	va_end(ap);
}

static bool is_timer(const struct wake_edge *e)
{
	return (e->kind == WK_HARDIRQ && !strcmp(e->waker, "timer")) ||
	       (e->kind == WK_SOFTIRQ &&
		(!strcmp(e->waker, "timer") || !strcmp(e->waker, "hrtimer")));
}

/* A futex wait for a lock or a condition, not for a thread's exit, nor to
 * enter a Java monitor: a monitor's threads take it in turn, and whoever
 * released it ended their waits; that is contention, not work handed out
 * (explain_holders.c says it). Nor one a JVM's own thread ended (the VM
 * thread resuming the program's threads after a safepoint, a GC thread
 * after a collection): the JVM stopped them, it did not feed them. */
static bool futex_wait(const struct run *r, const struct wake_edge *e)
{
	const struct futex_acct *f;
	const struct sched_thread *w;

	if (!e->futex[0] || e->wait != ST_LOCK || word_join_tid(r, e->wakee_pid, e->futex))
		return false;
	f = word_find(r, e->wakee_pid, e->futex);
	if (f && f->java_monitor)
		return false;
	w = e->kind == WK_THREAD ? sched_find_tid(&r->sched, e->waker_tid) : NULL;
	return !w || !jvm_own_thread(w);
}

/* An event loop: most of its waiting in the poll family. */
static void event_loop(const struct run *r, struct sched_thread *t)
{
	uint64_t all_ns = 0, poll_ns = 0, waits = 0, polls = 0, timer = 0, net = 0, signals = 0;
	const char *call = "";

	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];

		if (e->wakee_tid != t->tid)
			continue;
		all_ns += e->blocked_ns;
		waits += e->count;
		if (!is_poll_call(e->syscall))
			continue;
		poll_ns += e->blocked_ns;
		polls += e->count;
		timer += is_timer(e) ? e->count : 0;
		signals += e->signal ? e->count : 0;
		net += (e->kind == WK_SOFTIRQ && !strcmp(e->waker, "net_rx")) ||
			       (e->kind == WK_HARDIRQ && !strcmp(e->waker, "device"))
			   ? e->count
			   : 0;
		call = e->syscall;
	}
	/* most of its waits, or most of its waiting, in the poll call (a few
	 * long waits at start-up or exit do not hide a loop); a wait a signal
	 * ends (make's pselect, ended by SIGCHLD) is a wait for children */
	if (polls < ROLE_MIN_WAITS || 2 * signals >= polls ||
	    ((double)polls < ROLE_LOOP_SHARE * (double)waits &&
	     (double)poll_ns < ROLE_LOOP_SHARE * (double)all_ns))
		return;
	set_role(t, "event loop",
		 "%llu of its %llu waits were in %s (%.0f%% of its waiting time), %llu ended by a "
		 "timer, %llu by the network or a device",
		 (unsigned long long)polls, (unsigned long long)waits, call,
		 100.0 * (double)poll_ns / (double)all_ns, (unsigned long long)timer,
		 (unsigned long long)net);
}

/* @t's futex waits: how many, the thread that ended most of them and how
 * many it ended, the word it waited on most and how often. */
struct futex_habit {
	uint64_t waits, by_top, on_top;
	int top_waker;
	char top_word[24];
};

static struct futex_habit habit_of(const struct run *r, const struct sched_thread *t)
{
	struct futex_habit h = {0};

	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];
		uint64_t by = 0, on = 0;

		if (e->wakee_tid != t->tid || !futex_wait(r, e))
			continue;
		h.waits += e->count;
		/* the same waker and the same word over all of @t's edges */
		for (size_t j = 0; j < r->sched.nwakes; j++) {
			const struct wake_edge *o = &r->sched.wakes[j];

			if (o->wakee_tid != t->tid || !futex_wait(r, o))
				continue;
			if (e->kind == WK_THREAD && o->kind == WK_THREAD &&
			    o->waker_tid == e->waker_tid)
				by += o->count;
			if (!strcmp(o->futex, e->futex))
				on += o->count;
		}
		if (e->kind == WK_THREAD && e->waker_tid != t->tid && by > h.by_top) {
			h.by_top = by;
			h.top_waker = e->waker_tid;
		}
		if (on > h.on_top) {
			h.on_top = on;
			snprintf(h.top_word, sizeof(h.top_word), "%s", e->futex);
		}
	}
	if ((double)h.by_top < ROLE_POOL_SHARE * (double)h.waits)
		h.top_waker = 0;
	return h;
}

/* A pool candidate: not a process's first thread, no role yet, and alive
 * through ROLE_POOL_LIFE of its process's first thread's life (a thread
 * started per request and gone is not a pool's). */
static bool may_pool(const struct sched_acct *s, const struct sched_thread *t)
{
	const struct sched_thread *first = sched_find_tid(s, t->pid);
	uint64_t life = first ? first->lifetime_ns : s->end_ns - s->start_ns;

	return t->tid != t->pid && !t->role[0] &&
	       (double)t->lifetime_ns >= ROLE_POOL_LIFE * (double)life;
}

/* Whether threads @a and @b waited on a futex word in common. */
static bool share_word(const struct run *r, const struct sched_thread *a,
		       const struct sched_thread *b, char *word, size_t len)
{
	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];

		if (e->wakee_tid != a->tid || !futex_wait(r, e))
			continue;
		for (size_t j = 0; j < r->sched.nwakes; j++) {
			const struct wake_edge *o = &r->sched.wakes[j];

			if (o->wakee_tid == b->tid && futex_wait(r, o) &&
			    !strcmp(o->futex, e->futex)) {
				snprintf(word, len, "%s", e->futex);
				return true;
			}
		}
	}
	return false;
}

/* The thread that ended most (ROLE_POOL_SHARE) of pool @p's futex waits, or 0. */
static int pool_feeder(const struct run *r, int p, uint64_t *fed, uint64_t *waits)
{
	const struct sched_acct *s = &r->sched;
	int best = 0;

	*fed = *waits = 0;
	for (size_t i = 0; i < s->nwakes; i++) {
		const struct wake_edge *e = &s->wakes[i];
		const struct sched_thread *w = sched_find_tid(s, e->wakee_tid);
		uint64_t by = 0;

		if (!w || w->pool != p || !futex_wait(r, e))
			continue;
		*waits += e->count;
		if (e->kind != WK_THREAD)
			continue;
		for (size_t j = 0; j < s->nwakes; j++) {
			const struct wake_edge *o = &s->wakes[j];
			const struct sched_thread *x = sched_find_tid(s, o->wakee_tid);

			if (x && x->pool == p && futex_wait(r, o) && o->kind == WK_THREAD &&
			    o->waker_tid == e->waker_tid)
				by += o->count;
		}
		if (by > *fed) {
			*fed = by;
			best = e->waker_tid;
		}
	}
	if (!best || (double)*fed < ROLE_POOL_SHARE * (double)*waits)
		return 0;
	{
		const struct sched_thread *f = sched_find_tid(s, best);

		/* a thread of the pool itself does not feed it */
		if (f && f->pool == p)
			return 0;
	}
	return best;
}

/* Threads of one name, digits aside (roles.h: worker-1 and worker-2). */
static bool alike(const struct sched_thread *a, const struct sched_thread *b)
{
	char ra[ROLE_LEN], rb[ROLE_LEN];

	return !strcmp(role_of(ra, sizeof(ra), a->comm), role_of(rb, sizeof(rb), b->comm));
}

/* Mark pool @p: the threads of @s whose mark[] is @m. */
static size_t mark_pool(struct sched_acct *s, const size_t *mark, size_t m, int p)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nthreads; i++)
		if (mark[i] == m) {
			s->threads[i].pool = p;
			n++;
		}
	return n;
}

/* Threads of one process that wait on futex words in common (a shared
 * queue's mutex and condition), or whose waits the same thread mostly
 * ended: a pool, each numbered. */
static int pools(struct run *r, struct futex_habit *h)
{
	struct sched_acct *s = &r->sched;
	size_t *mark = calloc(s->nthreads ? s->nthreads : 1, sizeof(*mark));
	char(*word)[24] = calloc(s->nthreads ? s->nthreads : 1, sizeof(*word));
	int npool = 0;

	if (!mark || !word)
		abort();
	/* components of "waited on a word in common", grown from each thread */
	for (size_t i = 0; i < s->nthreads; i++) {
		bool grew = true;

		if (!may_pool(s, &s->threads[i]) || mark[i] || !h[i].waits)
			continue;
		mark[i] = i + 1;
		while (grew) {
			grew = false;
			for (size_t j = 0; j < s->nthreads; j++) {
				if (mark[j] || !may_pool(s, &s->threads[j]) ||
				    s->threads[j].pid != s->threads[i].pid)
					continue;
				for (size_t k = 0; k < s->nthreads && !mark[j]; k++)
					if (mark[k] == i + 1 &&
					    share_word(r, &s->threads[k], &s->threads[j], word[i],
						       sizeof(word[i]))) {
						mark[j] = i + 1;
						grew = true;
					}
			}
		}
	}
	/* threads left alone: the same thread ended most of their waits */
	for (size_t i = 0; i < s->nthreads; i++) {
		size_t n = 0;

		for (size_t j = 0; j < s->nthreads; j++)
			n += mark[j] == mark[i];
		if (!mark[i] || n > 1 || !h[i].top_waker || h[i].by_top < ROLE_FED_WAITS)
			continue;
		for (size_t j = 0; j < s->nthreads; j++)
			if (j != i && may_pool(s, &s->threads[j]) &&
			    h[j].top_waker == h[i].top_waker && h[j].by_top >= ROLE_FED_WAITS &&
			    alike(&s->threads[i], &s->threads[j]) &&
			    s->threads[j].pid == s->threads[i].pid) {
				size_t m = 0;

				for (size_t k = 0; k < s->nthreads; k++)
					m += mark[k] == mark[j];
				if (m == 1 || !mark[j])
					mark[j] = mark[i];
			}
	}
	for (size_t i = 0; i < s->nthreads; i++) {
		uint64_t waits = 0, fed;
		size_t n = 0;
		int p, feeder;

		if (!mark[i] || s->threads[i].pool)
			continue;
		for (size_t j = 0; j < s->nthreads; j++)
			if (mark[j] == mark[i]) {
				n++;
				waits += h[j].waits;
			}
		if (n < 2 || waits < ROLE_MIN_WAITS)
			continue;
		p = ++npool;
		mark_pool(s, mark, mark[i], p);
		feeder = pool_feeder(r, p, &fed, &waits);
		for (size_t j = 0; j < s->nthreads; j++) {
			struct sched_thread *b = &s->threads[j];
			const struct sched_thread *f = feeder ? sched_find_tid(s, feeder) : NULL;

			if (b->pool != p)
				continue;
			b->fed_by = feeder;
			snprintf(b->pool_word, sizeof(b->pool_word), "%s", word[mark[i] - 1]);
			if (f)
				set_role(b, "worker",
					 "one of %zu threads of process %d whose futex waits "
					 "{tid %d} mostly ended (%llu of the pool's %llu)",
					 n, b->pid, feeder, (unsigned long long)fed,
					 (unsigned long long)waits);
			else
				set_role(b, "worker",
					 "one of %zu threads of process %d waiting on futex words "
					 "in common (%llu waits)",
					 n, b->pid, (unsigned long long)waits);
		}
	}
	free(mark);
	free(word);
	return npool;
}

/* The thread that ended most of a pool's waits feeds it. */
static void feeders(struct run *r)
{
	struct sched_acct *s = &r->sched;

	for (size_t i = 0; i < s->nthreads; i++) {
		struct sched_thread *w = &s->threads[i], *f;
		size_t n = 0;

		if (!w->pool || !w->fed_by ||
		    !(f = (struct sched_thread *)sched_find_tid(s, w->fed_by)) || f->role[0])
			continue;
		for (size_t j = 0; j < s->nthreads; j++)
			n += s->threads[j].pool == w->pool;
		set_role(f, "feeder", "it ended most futex waits of a pool of %zu threads", n);
	}
}

static void io_thread(struct sched_thread *t)
{
	uint64_t io = t->state_ns[ST_IO] + t->state_ns[ST_DISK];

	if (t->role[0] || !t->lifetime_ns || t->nvcsw < ROLE_MIN_WAITS ||
	    (double)io < ROLE_IO_SHARE * (double)t->lifetime_ns)
		return;
	set_role(t, "I/O", "it waited for I/O %.0f%% of its life",
		 100.0 * (double)io / (double)t->lifetime_ns);
}

void thread_roles_infer(struct run *r)
{
	struct sched_acct *s = &r->sched;
	struct futex_habit *h = calloc(s->nthreads ? s->nthreads : 1, sizeof(*h));
	size_t i;

	if (!h)
		abort();
	for (i = 0; i < s->nthreads; i++) {
		struct sched_thread *t = &s->threads[i];

		t->role[0] = t->role_why[0] = t->pool_word[0] = '\0';
		t->role_one = false;
		t->pool = t->fed_by = 0;
	}
	/* A JVM's own threads are what HotSpot made them, whatever they wait on. */
	jvm_threads_mark(r);
	for (i = 0; i < s->nthreads; i++) {
		struct sched_thread *t = &s->threads[i];

		if (t->role[0])
			continue;
		event_loop(r, t);
		if (t->role[0])
			continue;
		if (t->tid == s->pid)
			set_role(t, "main", "the command's first thread");
		else if (t->tid == t->pid)
			set_role(t, "child",
				 "the first thread of process %d, one the command started", t->pid);
	}
	for (i = 0; i < s->nthreads; i++)
		h[i] = habit_of(r, &s->threads[i]);
	pools(r, h);
	feeders(r);
	for (i = 0; i < s->nthreads; i++)
		io_thread(&s->threads[i]);
	free(h);
}

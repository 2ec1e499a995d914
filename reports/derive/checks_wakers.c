// SPDX-License-Identifier: GPL-2.0
/* Every wait's ender one that can end it (checks.h, check_wakers): the
 * collector names who ended each wait (sched.json wakes[]); some enders are
 * impossible for some waits, whatever the program did, so one seen there is
 * the tracer's mistake, never the program's. What this kernel shows for each
 * kind of wait is measured in docs/collector.md ("Who woke whom"). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "thread_labels.h"
#include "wakes.h"

/* The read family: a thread blocked here waits for data on a descriptor. */
static bool is_read_call(const char *sc)
{
	static const char *const calls[] = {"read",    "readv",	   "pread64", "preadv",
					    "preadv2", "recvfrom", "recvmsg", "recvmmsg"};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(sc, calls[i]))
			return true;
	return false;
}

static bool is_timer(const struct wake_edge *e)
{
	return (e->kind == WK_HARDIRQ && !strcmp(e->waker, "timer")) ||
	       (e->kind == WK_SOFTIRQ &&
		(!strcmp(e->waker, "timer") || !strcmp(e->waker, "hrtimer")));
}

static bool is_task(const struct wake_edge *e)
{
	return e->kind == WK_THREAD || e->kind == WK_PROCESS;
}

enum ender_rule ender_rule(const struct wake_edge *e)
{
	if (e->signal)
		return ER_NONE; /* a signal ends any interruptible wait */
	if (e->futex[0])
		return e->futex_op_known && !e->futex_timeout ? ER_UNTIMED_FUTEX : ER_NONE;
	if (e->wait == ST_SLEEP)
		return ER_SLEEP;
	if (e->wait == ST_DISK)
		return ER_DISK;
	if (e->wait == ST_IO && is_read_call(e->syscall))
		return ER_READ;
	return ER_NONE;
}

/* Waits whose waker went unseen that the row lets pass: one per switch
 * the kernel did not report, and 1% of the waits judged (@n, by rule). */
static unsigned long long unseen_allowed(const struct sched_acct *s, const unsigned long long *n)
{
	unsigned long long judged = 0;

	for (int k = ER_UNTIMED_FUTEX; k < ER_COUNT; k++)
		judged += n[k];
	return s->lost_switch_in_missed + judged / 100;
}

bool ender_can_end(const struct wake_edge *e)
{
	switch (ender_rule(e)) {
	case ER_UNTIMED_FUTEX:
		/* A wake on the word: a thread of the waiter's own process for a
		 * private word, any task for a shared one. */
		if (e->futex_private)
			return e->kind == WK_THREAD && e->waker_pid == e->wakee_pid;
		return is_task(e);
	case ER_SLEEP:
		return is_timer(e);
	case ER_DISK:
		/* The block layer (its softirq, the device's interrupt, a kworker
		 * completing the request), or a task that held what the thread
		 * waited for (a page lock; a vfork child's exec). */
		return (e->kind == WK_SOFTIRQ && !strcmp(e->waker, "block")) ||
		       (e->kind == WK_HARDIRQ && !strcmp(e->waker, "device")) ||
		       e->kind == WK_KTHREAD || is_task(e);
	case ER_READ:
		/* The writer (a task), a softirq bringing data (net_rx, block), a
		 * device interrupt or a kernel thread (a kworker completing a disk
		 * read, a tty's flush): never a timer, never the idle task. */
		return is_task(e) || e->kind == WK_KTHREAD ||
		       (e->kind == WK_HARDIRQ && !strcmp(e->waker, "device")) ||
		       (e->kind == WK_SOFTIRQ && !is_timer(e));
	case ER_NONE:
	default:
		return true;
	}
}

static const char *const rule_names[] = {
    [ER_UNTIMED_FUTEX] = "untimed futex waits by a thread",
    [ER_SLEEP] = "sleeps by a timer",
    [ER_DISK] = "disk waits by the block layer or a task",
    [ER_READ] = "reads by a task, a softirq, a device or a kernel thread",
};

/* printf onto the end of @buf (silently cut at @len). */
static void cat(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + l, len - l, fmt, ap);
	va_end(ap);
}

/* "worker-1 lock in futex on GIL mutex (0x7ffc...) ended by the
 * idle CPU x3" */
static void describe(const struct run *r, const struct wake_edge *e, char *buf, size_t len)
{
	char who[64], wn[256], word[320] = "";

	/* whole: a name cut short leaves its parenthesis open */
	if (e->futex[0])
		snprintf(word, sizeof(word), " on %s (%s)",
			 word_name(r, e->wakee_pid, e->futex, wn, sizeof(wn)), e->futex);
	snprintf(buf, len, "%s %s%s%s%s ended by %s x%llu",
		 thread_label_or(r, e->wakee_tid, e->wakee), state_names[e->wait],
		 e->syscall[0] ? " in " : "", e->syscall, word, waker_label(e, who, sizeof(who)),
		 (unsigned long long)e->count);
}

bool check_wakers(const struct run *r, struct check *c)
{
	const struct sched_acct *s = &r->sched;
	unsigned long long n[ER_COUNT] = {0}, bad[ER_COUNT] = {0}, failed = 0, unknown = 0,
			   signals = 0, unseen = 0;
	char edges[480] = "", one[200];
	size_t shown = 0, more = 0;

	snprintf(c->name, sizeof(c->name), "every wait ended by something that can end it");
	snprintf(c->run, sizeof(c->run), "%s", r->dir);
	c->verdict = V_NA;
	if (!s->nwakes)
		return false; /* a collector without wake edges: nothing to check */
	for (size_t i = 0; i < s->nwakes; i++) {
		const struct wake_edge *e = &s->wakes[i];
		enum ender_rule k = ender_rule(e);

		if (e->signal)
			signals += e->count;
		else if (e->futex[0] && !e->futex_op_known)
			unknown += e->count;
		if (k == ER_NONE)
			continue;
		/* Its waker hidden by a switch the kernel did not report: not judged. */
		if (e->kind == WK_NONE) {
			unseen += e->count;
			continue;
		}
		n[k] += e->count;
		if (ender_can_end(e))
			continue;
		bad[k] += e->count;
		failed += e->count;
		if (shown++ < 3) {
			describe(r, e, one, sizeof(one));
			cat(edges, sizeof(edges), "%s%s", shown > 1 ? "; " : "", one);
		} else {
			more++;
		}
	}
	for (int k = ER_UNTIMED_FUTEX; k < ER_COUNT; k++)
		if (n[k])
			cat(c->figures, sizeof(c->figures), "%s%s: %llu/%llu",
			    c->figures[0] ? "; " : "", rule_names[k], n[k] - bad[k], n[k]);
	if (!c->figures[0])
		cat(c->figures, sizeof(c->figures),
		    "no untimed futex wait, sleep, disk wait or read ended in this run");
	else
		c->verdict = failed <= s->lost_prog_misses && unseen <= unseen_allowed(s, n)
				 ? V_PASS
				 : V_FAIL;
	if (failed) {
		cat(c->figures, sizeof(c->figures), "; %llu failed: %s", failed, edges);
		if (more)
			cat(c->figures, sizeof(c->figures), "; and %zu more edges", more);
		if (c->verdict == V_PASS)
			cat(c->figures, sizeof(c->figures),
			    " (no more than the %llu program misses: a sched_waking the kernel did "
			    "not run the collector's program for names no waker)",
			    (unsigned long long)s->lost_prog_misses);
	}
	if (unseen)
		cat(c->figures, sizeof(c->figures),
		    "; %llu waits whose waker went unseen (a wakeup delivered late with its "
		    "sched_waking missed), not judged; at most %llu allowed: one per missed "
		    "switch-in (%llu) and 1%% of the waits judged",
		    unseen, unseen_allowed(s, n), (unsigned long long)s->lost_switch_in_missed);
	if (signals)
		cat(c->figures, sizeof(c->figures),
		    "; %llu waits ended by a signal's delivery, not judged (a signal ends any "
		    "interruptible wait)",
		    signals);
	if (unknown)
		cat(c->figures, sizeof(c->figures),
		    "; %llu futex waits not checked (this sched.json does not say whether they "
		    "had a timeout)",
		    unknown);
	return true;
}

// SPDX-License-Identifier: GPL-2.0
/* The figures made of sched.json "wakes" and "critical_path" (wakes.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demangle.h"
#include "figures.h"
#include "holders.h"
#include "roles.h"
#include "thread_labels.h"
#include "wakes.h"

const char *waker_label(const struct wake_edge *e, char *buf, size_t len)
{
	switch (e->kind) {
	case WK_THREAD:
		snprintf(buf, len, "%s", e->waker_label[0] ? e->waker_label : e->waker);
		break;
	case WK_PROCESS:
		snprintf(buf, len, "%s (process %d)", e->waker, e->waker_pid);
		break;
	case WK_KTHREAD:
		snprintf(buf, len, "%s (kernel thread)", e->waker);
		break;
	case WK_HARDIRQ:
		snprintf(buf, len, "%s",
			 !strcmp(e->waker, "timer") ? "timer interrupt" : "device interrupt");
		break;
	case WK_SOFTIRQ:
		if (e->host[0])
			snprintf(buf, len, "softirq %s in %s", e->waker, e->host);
		else
			snprintf(buf, len, "softirq %s", e->waker);
		break;
	case WK_IDLE:
		snprintf(buf, len, "the idle CPU");
		break;
	default:
		snprintf(buf, len, "no one seen");
		break;
	}
	return buf;
}

int word_join_tid(const struct run *r, int pid, const char *addr)
{
	const struct futex_acct *f = word_find(r, pid, addr);

	return f ? f->join_tid : 0;
}

/* The name of process @pid: its command ("xz"), "process P" when unknown. */
static const char *process_name(const struct run *r, int pid, char *buf, size_t len)
{
	for (size_t i = 0; i < r->sched.nprocs; i++)
		if (r->sched.procs[i].pid == pid) {
			snprintf(buf, len, "%s", r->sched.procs[i].comm);
			return buf;
		}
	snprintf(buf, len, "process %d", pid);
	return buf;
}

const char *word_where(const struct run *r, const struct futex_acct *f, char *buf, size_t len)
{
	char proc[40];

	process_name(r, f->pid, proc, sizeof(proc));
	if (!strcmp(f->region, "heap") || !strcmp(f->region, "stack"))
		snprintf(buf, len, "in %s's %s at %s", proc, f->region, f->addr);
	else
		snprintf(buf, len, "at %s in process %d", f->addr, f->pid);
	return buf;
}

/* "xz main and xz worker 1", "node main, node (tid 812) and 3 others": the
 * threads whose waits on word @f other threads (or a timeout) ended. */
static size_t waiters_of(const struct run *r, const struct futex_acct *f, char *buf, size_t len)
{
	int tids[64];
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < r->sched.nwakes && n < 64; k++) {
		const struct wake_edge *e = &r->sched.wakes[k];
		size_t j;

		if (e->wakee_pid != f->pid || strcmp(e->futex, f->addr))
			continue;
		for (j = 0; j < n && tids[j] != e->wakee_tid; j++)
			;
		if (j == n)
			tids[n++] = e->wakee_tid;
	}
	for (size_t j = 0; j < n && j < 3; j++) {
		const char *sep = !j ? "" : j + 1 == n || j == 2 ? " and " : ", ";

		if (j == 2 && n > 3) {
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
						 " and %zu others", n - 2);
			break;
		}
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", sep,
					 thread_label_or(r, tids[j], ""));
	}
	return n;
}

/*
 * A word in a named object: the object itself at offset 0, else its field.
 * A glibc condition variable's futex words are its __g_signals at +40 and
 * +44 (sysdeps/nptl/bits/thread-shared-types.h, struct __pthread_cond_s).
 */
static void symbol_name(const struct futex_acct *f, const struct word_holders *h, char *buf,
			size_t len)
{
	const char *base = strrchr(f->object, '/');
	char sym[192];

	base = base ? base + 1 : f->object;
	demangle(f->symbol, sym, sizeof(sym));
	if (!f->symbol_offset)
		snprintf(buf, len, "%s%s in %s", h->kind == WORD_MUTEX ? "the mutex " : "", sym,
			 base);
	else if (h->kind == WORD_SIGNAL && (f->symbol_offset == 40 || f->symbol_offset == 44))
		snprintf(buf, len, "the condition variable %s (its signal word at +%llu) in %s",
			 sym, (unsigned long long)f->symbol_offset, base);
	else
		snprintf(buf, len, "the %s object's field at +%llu in %s", sym,
			 (unsigned long long)f->symbol_offset, base);
}

/* A word in no named object: by the threads that use it and how, and where. */
static void anonymous_name(const struct run *r, const struct futex_acct *f,
			   const struct word_holders *h, char *buf, size_t len)
{
	char who[160], where[96];
	size_t nw = waiters_of(r, f, who, sizeof(who));

	word_where(r, f, where, sizeof(where));
	if (!nw) {
		snprintf(buf, len, "the %s %s", h->kind == WORD_MUTEX ? "mutex" : "lock", where);
		return;
	}
	if (h->kind == WORD_MUTEX)
		snprintf(buf, len, "the mutex %s wait%s on (%s)", who, nw == 1 ? "s" : "", where);
	else if (h->kind == WORD_SIGNAL)
		snprintf(buf, len, "the word %s wait%s on until %s signals it (%s)", who,
			 nw == 1 ? "s" : "", thread_label_or(r, h->signaller_tid, "a thread"),
			 where);
	else
		snprintf(buf, len, "the word %s wait%s on (%s)", who, nw == 1 ? "s" : "", where);
}

static const char *word_name_as(const struct run *r, int pid, const char *addr, bool brief,
				char *buf, size_t len);

const char *word_name(const struct run *r, int pid, const char *addr, char *buf, size_t len)
{
	return word_name_as(r, pid, addr, false, buf, len);
}

const char *word_name_short(const struct run *r, int pid, const char *addr, char *buf, size_t len)
{
	return word_name_as(r, pid, addr, true, buf, len);
}

static const char *word_name_as(const struct run *r, int pid, const char *addr, bool brief,
				char *buf, size_t len)
{
	const struct futex_acct *f = word_find(r, pid, addr);
	/* The demo's names (and CPython's GIL) first: futex_word_name. */
	const char *name = f ? futex_word_name(r, f) : demo_lock_name(r->demo, pid, addr);
	const struct sched_thread *t;
	struct word_holders h;

	if (name) {
		snprintf(buf, len, "%s", name);
		return buf;
	}
	if (!f) {
		snprintf(buf, len, "the lock at %s in process %d", addr, pid);
		return buf;
	}
	word_holders_of(r, f, &h);
	/* A Java monitor lives on the JVM's heap: no symbol, and it is no mutex. */
	if (f->java_monitor) {
		char where[96];

		snprintf(buf, len, "the Java monitor %s", word_where(r, f, where, sizeof(where)));
	} else if (f->join_tid) {
		t = sched_find_tid(&r->sched, f->join_tid);
		snprintf(buf, len, "the exit of %s", t ? thread_label_of(t) : "a thread");
	} else if (f->symbol[0]) {
		symbol_name(f, &h, buf, len);
	} else if (brief) {
		char where[96];

		snprintf(buf, len, "%s %s",
			 h.kind == WORD_MUTEX	 ? "the mutex"
			 : h.kind == WORD_SIGNAL ? "the word"
						 : "the lock",
			 word_where(r, f, where, sizeof(where)));
	} else {
		anonymous_name(r, f, &h, buf, len);
	}
	return buf;
}

static bool role_is(const char *comm, const char *prefix)
{
	char role[ROLE_LEN];

	if (!prefix)
		return true;
	role_of(role, sizeof(role), comm);
	return !strncmp(role, prefix, strlen(prefix));
}

struct wake_tally wake_tally_of(const struct run *r, const struct wake_filter *f)
{
	struct wake_tally t = {0, 0};

	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];
		bool threadlike =
		    e->kind == WK_THREAD || e->kind == WK_PROCESS || e->kind == WK_KTHREAD;

		if (!role_is(e->wakee, f->wakee_role) ||
		    (f->wait >= 0 && (int)e->wait != f->wait) ||
		    (f->kind >= 0 && (int)e->kind != f->kind) ||
		    (f->waker_role && (!threadlike || !role_is(e->waker, f->waker_role))) ||
		    (f->other_only && threadlike && e->waker_tid == e->wakee_tid))
			continue;
		if (f->join >= 0 && (e->futex[0] ? word_join_tid(r, e->wakee_pid, e->futex) != 0
						 : false) != (f->join == 1))
			continue;
		if (f->futex_name_part) {
			/* the demo's names, and CPython's GIL (futex_word_name) */
			const struct futex_acct *w =
			    e->futex[0] ? word_find(r, e->wakee_pid, e->futex) : NULL;
			const char *n = w ? futex_word_name(r, w)
					: e->futex[0]
					    ? demo_lock_name(r->demo, e->wakee_pid, e->futex)
					    : NULL;

			if (!n || !strstr(n, f->futex_name_part))
				continue;
		}
		t.count += e->count;
		t.blocked_ns += e->blocked_ns;
	}
	return t;
}

double crit_share_of(const struct run *r, const char *role_prefix, int st)
{
	const struct crit_path *p = r->sched.cpath;
	uint64_t ns = 0;

	if (!p || !p->covered_ns)
		return 0;
	for (size_t i = 0; i < p->nby; i++)
		if (role_is(p->by[i].comm, role_prefix) && (st < 0 || (int)p->by[i].state == st))
			ns += p->by[i].ns;
	return (double)ns / (double)p->covered_ns;
}

bool crit_sentence(const struct run *r, char *buf, size_t len)
{
	const struct crit_path *p = r->sched.cpath;
	size_t used, named = 0;
	double rest = 0;
	char d[32];

	if (!p || !p->covered_ns || !p->nby)
		return false;
	used = (size_t)snprintf(
	    buf, len,
	    p->measured ? "the critical path of the %s the demo timed (walking back from "
			  "its main thread at the end, what each moment waited on) was "
			: "the critical path (walking back from the last thread to end, "
			  "what each moment of the %s waited on) was ",
	    fig_dur(d, sizeof(d), (double)p->covered_ns));
	for (size_t i = 0; i < p->nby && used < len; i++) {
		double s = (double)p->by[i].ns / (double)p->covered_ns;

		if (s < CRIT_NAME_SHARE || named == 4) {
			rest += s;
			continue;
		}
		used += (size_t)snprintf(
		    buf + used, len - used, "%s%.0f%% %s %s", named ? ", " : "", 100 * s,
		    thread_label_or(r, p->by[i].tid, p->by[i].comm), state_names[p->by[i].state]);
		named++;
	}
	if (used < len && rest >= 0.005)
		snprintf(buf + used, len - used, ", %.0f%% the rest", 100 * rest);
	return named > 0;
}

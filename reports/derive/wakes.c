// SPDX-License-Identifier: GPL-2.0
/* The figures made of sched.json "wakes" and "critical_path" (wakes.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
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

static const struct futex_acct *find_word(const struct run *r, int pid, const char *addr)
{
	for (size_t i = 0; i < r->sched.nfutex; i++)
		if (r->sched.futex[i].pid == pid && !strcmp(r->sched.futex[i].addr, addr))
			return &r->sched.futex[i];
	return NULL;
}

int word_join_tid(const struct run *r, int pid, const char *addr)
{
	const struct futex_acct *f = find_word(r, pid, addr);

	return f ? f->join_tid : 0;
}

const char *word_name(const struct run *r, int pid, const char *addr, char *buf, size_t len)
{
	const struct futex_acct *f = find_word(r, pid, addr);
	/* The demo's names (and CPython's GIL) first: futex_word_name. */
	const char *name = f ? futex_word_name(r, f) : demo_lock_name(r->demo, pid, addr);
	const struct sched_thread *t;

	if (name) {
		snprintf(buf, len, "%s", name);
	} else if (f && f->join_tid) {
		t = sched_find_tid(&r->sched, f->join_tid);
		snprintf(buf, len, "the exit of %s", t ? thread_label_of(t) : "a thread");
	} else if (f && f->symbol[0]) {
		const char *base = strrchr(f->object, '/');

		base = base ? base + 1 : f->object;
		if (f->symbol_offset)
			snprintf(buf, len, "%s+%llu in %s", f->symbol,
				 (unsigned long long)f->symbol_offset, base);
		else
			snprintf(buf, len, "%s in %s", f->symbol, base);
	} else {
		snprintf(buf, len, "the lock at %s in process %d", addr, pid);
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
			    e->futex[0] ? find_word(r, e->wakee_pid, e->futex) : NULL;
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

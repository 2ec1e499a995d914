// SPDX-License-Identifier: GPL-2.0
/* sched.json "wakes" and "critical_path" loaded, and the figures made of
 * them (wakes.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "roles.h"
#include "wakes.h"

static const char *str_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static int int_of(const json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

static uint64_t u64_of(const json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));

	return v > 0 ? (uint64_t)v : 0;
}

static enum waker_kind kind_of(const char *s)
{
	static const char *const names[] = {"thread",  "process", "kthread",
					    "hardirq", "softirq", "idle"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return (enum waker_kind)i;
	return WAKER_UNKNOWN;
}

static enum st_thread_state state_of(const char *s)
{
	for (int k = 0; k < ST_COUNT; k++)
		if (!strcmp(s, state_names[k]))
			return (enum st_thread_state)k;
	return ST_OTHER;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int load_edges(struct sched_acct *s, const json_t *arr, char *err, size_t len)
{
	size_t i;

	if (!json_is_array(arr)) {
		snprintf(err, len, "\"wakes\" is not an array");
		return -1;
	}
	s->nwakes = json_array_size(arr);
	s->wakes = calloc(s->nwakes ? s->nwakes : 1, sizeof(*s->wakes));
	if (!s->wakes) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (i = 0; i < s->nwakes; i++) {
		const json_t *e = json_array_get(arr, i), *w = json_object_get(e, "waker"),
			     *we = json_object_get(e, "wakee"), *wt = json_object_get(e, "wait");
		struct wake_edge *x = &s->wakes[i];

		if (!json_is_object(w) || !json_is_object(we) || !json_is_object(wt) ||
		    !json_is_integer(json_object_get(e, "count"))) {
			snprintf(err, len, "wakes[%zu]: needs waker, wakee, wait and count", i);
			return -1;
		}
		x->kind = kind_of(str_of(w, "kind"));
		x->waker_tid = int_of(w, "tid");
		x->waker_pid = int_of(w, "pid");
		snprintf(x->waker, sizeof(x->waker), "%s",
			 x->kind == WAKER_HARDIRQ   ? str_of(w, "irq")
			 : x->kind == WAKER_SOFTIRQ ? str_of(w, "softirq")
						    : str_of(w, "comm"));
		if (json_is_object(json_object_get(w, "in_thread")))
			snprintf(x->host, sizeof(x->host), "%s",
				 str_of(json_object_get(w, "in_thread"), "comm"));
		x->wakee_tid = int_of(we, "tid");
		x->wakee_pid = int_of(we, "pid");
		snprintf(x->wakee, sizeof(x->wakee), "%s", str_of(we, "comm"));
		x->wait = state_of(str_of(wt, "state"));
		snprintf(x->syscall, sizeof(x->syscall), "%s", str_of(wt, "syscall"));
		snprintf(x->futex, sizeof(x->futex), "%s", str_of(wt, "futex"));
		lower(x->futex);
		x->count = u64_of(e, "count");
		x->blocked_ns = u64_of(e, "blocked_ns");
		x->max_ns = u64_of(e, "max_ns");
	}
	return 0;
}

static int by_ns_desc(const void *a, const void *b)
{
	const struct crit_share *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

static int load_path(struct sched_acct *s, const json_t *cp, char *err, size_t len)
{
	const json_t *by = json_object_get(cp, "by");
	struct crit_path *p;
	size_t i;

	if (!json_is_object(cp) || !json_is_array(by)) {
		snprintf(err, len, "\"critical_path\" needs \"by\"");
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->by = calloc(json_array_size(by) + 1, sizeof(*p->by)))) {
		free(p);
		snprintf(err, len, "out of memory");
		return -1;
	}
	s->cpath = p;
	p->start_ns = u64_of(cp, "start_ns");
	p->end_ns = u64_of(cp, "end_ns");
	p->covered_ns = u64_of(cp, "covered_ns");
	p->end_tid = int_of(cp, "end_tid");
	p->nby = json_array_size(by);
	for (i = 0; i < p->nby; i++) {
		const json_t *e = json_array_get(by, i);

		p->by[i].tid = int_of(e, "tid");
		snprintf(p->by[i].comm, sizeof(p->by[i].comm), "%s", str_of(e, "comm"));
		p->by[i].state = state_of(str_of(e, "state"));
		p->by[i].ns = u64_of(e, "ns");
	}
	qsort(p->by, p->nby, sizeof(*p->by), by_ns_desc);
	return 0;
}

int wakes_load(struct sched_acct *s, const json_t *root, char *err, size_t len)
{
	const json_t *w = json_object_get(root, "wakes"),
		     *cp = json_object_get(root, "critical_path");

	if (w && load_edges(s, w, err, len))
		return -1;
	if (cp && !json_is_null(cp) && load_path(s, cp, err, len))
		return -1;
	return 0;
}

void wakes_free(struct sched_acct *s)
{
	free(s->wakes);
	s->wakes = NULL;
	s->nwakes = 0;
	if (s->cpath)
		free(s->cpath->by);
	free(s->cpath);
	s->cpath = NULL;
}

const char *waker_label(const struct wake_edge *e, char *buf, size_t len)
{
	switch (e->kind) {
	case WAKER_THREAD:
		snprintf(buf, len, "%s", e->waker);
		break;
	case WAKER_PROCESS:
		snprintf(buf, len, "%s (process %d)", e->waker, e->waker_pid);
		break;
	case WAKER_KTHREAD:
		snprintf(buf, len, "%s (kernel thread)", e->waker);
		break;
	case WAKER_HARDIRQ:
		snprintf(buf, len, "%s",
			 !strcmp(e->waker, "timer") ? "timer interrupt" : "device interrupt");
		break;
	case WAKER_SOFTIRQ:
		if (e->host[0])
			snprintf(buf, len, "softirq %s in %s", e->waker, e->host);
		else
			snprintf(buf, len, "softirq %s", e->waker);
		break;
	case WAKER_IDLE:
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
		snprintf(buf, len, "the exit of %s", t ? t->comm : "a thread");
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
		    e->kind == WAKER_THREAD || e->kind == WAKER_PROCESS || e->kind == WAKER_KTHREAD;

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
		used +=
		    (size_t)snprintf(buf + used, len - used, "%s%.0f%% %s %s", named ? ", " : "",
				     100 * s, p->by[i].comm, state_names[p->by[i].state]);
		named++;
	}
	if (used < len && rest >= 0.005)
		snprintf(buf + used, len - used, ", %.0f%% the rest", 100 * rest);
	return named > 0;
}

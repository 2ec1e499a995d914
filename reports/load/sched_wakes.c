// SPDX-License-Identifier: GPL-2.0
/* sched.json "wakes" and "critical_path" loaded (sched_wakes.h). */
#include "sched_wakes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_names.h"

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
		x->kind = waker_kind_of(str_of(w, "kind"));
		x->waker_tid = int_of(w, "tid");
		x->waker_pid = int_of(w, "pid");
		snprintf(x->waker, sizeof(x->waker), "%s",
			 x->kind == WK_HARDIRQ	 ? str_of(w, "irq")
			 : x->kind == WK_SOFTIRQ ? str_of(w, "softirq")
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
		x->futex_op_known = json_is_boolean(json_object_get(wt, "futex_timeout"));
		x->futex_timeout = json_is_true(json_object_get(wt, "futex_timeout"));
		if (json_is_string(json_object_get(wt, "futex_op")))
			snprintf(x->futex_op, sizeof(x->futex_op), "%s",
				 json_string_value(json_object_get(wt, "futex_op")));
		x->futex_private = json_is_true(json_object_get(wt, "futex_private"));
		x->signal = json_is_true(json_object_get(e, "signal"));
		x->count = u64_of(e, "count");
		x->woken_before_switch_out = u64_of(e, "woken_before_switch_out");
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

// SPDX-License-Identifier: GPL-2.0
/* timeline.json read one event at a time (timeline.h). */
#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "sched_names.h"

static int set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "report: realloc(%zu): out of memory\n", n);
		abort();
	}
	return p;
}

static size_t hash_tid(int tid, size_t cap)
{
	return ((size_t)(unsigned)tid * 2654435761u) & (cap - 1);
}

static void rehash(struct timeline *tl)
{
	size_t i, h;

	free(tl->hash);
	tl->hcap = tl->hcap ? tl->hcap * 2 : 64;
	tl->hash = calloc(tl->hcap, sizeof(*tl->hash));
	if (!tl->hash) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	for (i = 0; i < tl->n; i++) {
		for (h = hash_tid(tl->t[i].tid, tl->hcap); tl->hash[h];
		     h = (h + 1) & (tl->hcap - 1))
			;
		tl->hash[h] = i + 1;
	}
}

static struct thread_track *track_of(struct timeline *tl, int tid, int pid)
{
	struct thread_track *t;
	size_t h;

	if (tl->hcap)
		for (h = hash_tid(tid, tl->hcap); tl->hash[h]; h = (h + 1) & (tl->hcap - 1))
			if (tl->t[tl->hash[h] - 1].tid == tid)
				return &tl->t[tl->hash[h] - 1];
	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? tl->cap * 2 : 32;
		tl->t = xrealloc(tl->t, tl->cap * sizeof(*tl->t));
	}
	t = &tl->t[tl->n++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = pid;
	snprintf(t->name, sizeof(t->name), "tid %d", tid);
	if (2 * tl->n > tl->hcap) {
		rehash(tl);
	} else {
		for (h = hash_tid(tid, tl->hcap); tl->hash[h]; h = (h + 1) & (tl->hcap - 1))
			;
		tl->hash[h] = tl->n;
	}
	return t;
}

void timeline_free(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		free(tl->t[i].s);
	free(tl->t);
	free(tl->hash);
}

/* args.waker_kind, waker, host of a slice (timeline.json since the collector
 * wrote them): who ended the wait a runnable slice follows; args.holder:
 * who held the mutex a lock slice waited on. */
static void take_waker(struct slice *s, const json_t *args)
{
	const json_t *k = json_object_get(args, "waker_kind");

	s->waker_kind = WK_NONE;
	s->waker = s->host = 0;
	s->holder = (unsigned int)json_integer_value(json_object_get(args, "holder"));
	if (!json_is_string(k))
		return;
	s->waker_kind = (unsigned char)waker_kind_of(json_string_value(k));
	s->waker = (unsigned int)json_integer_value(json_object_get(args, "waker"));
	s->host = (unsigned int)json_integer_value(json_object_get(args, "host"));
}

/* One event object of traceEvents. */
static int take_event(struct timeline *tl, const json_t *e, size_t idx, char *why, size_t whylen)
{
	const json_t *ph = json_object_get(e, "ph"), *tid = json_object_get(e, "tid");
	const json_t *pid = json_object_get(e, "pid");
	struct thread_track *t;

	if (!json_is_string(ph))
		return 0; /* not an event this picture uses */
	if (!strcmp(json_string_value(ph), "X")) {
		const json_t *ts = json_object_get(e, "ts"), *dur = json_object_get(e, "dur");
		const json_t *name = json_object_get(e, "name");
		struct slice *s;

		if (!json_is_integer(tid) || !json_is_number(ts) || !json_is_number(dur) ||
		    !json_is_string(name)) {
			snprintf(
			    why, whylen,
			    "event %zu: a slice (\"ph\":\"X\") needs \"name\", \"tid\", \"ts\" "
			    "and \"dur\"",
			    idx);
			return -1;
		}
		if (json_number_value(dur) < 0 || json_number_value(ts) < 0) {
			snprintf(why, whylen, "event %zu: negative \"ts\" or \"dur\"", idx);
			return -1;
		}
		t = track_of(tl, (int)json_integer_value(tid),
			     json_is_integer(pid) ? (int)json_integer_value(pid) : 0);
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->s = xrealloc(t->s, t->cap * sizeof(*t->s));
		}
		s = &t->s[t->n++];
		s->ts = json_number_value(ts);
		s->dur = json_number_value(dur);
		s->state = (unsigned char)state_of(json_string_value(name));
		take_waker(s, json_object_get(e, "args"));
		tl->nslices++;
	} else if (!strcmp(json_string_value(ph), "M") && json_is_integer(tid) &&
		   json_is_string(json_object_get(e, "name")) &&
		   !strcmp(json_string_value(json_object_get(e, "name")), "thread_name")) {
		const json_t *n = json_object_get(json_object_get(e, "args"), "name");

		if (!json_is_string(n))
			return 0;
		t = track_of(tl, (int)json_integer_value(tid),
			     json_is_integer(pid) ? (int)json_integer_value(pid) : 0);
		snprintf(t->name, sizeof(t->name), "%s", json_string_value(n));
	}
	return 0;
}

/* The end of the JSON value starting at @p (an object), or NULL. */
static const char *object_end(const char *p, const char *end)
{
	int depth = 0;
	bool in_str = false;

	for (; p < end; p++) {
		if (in_str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		if (*p == '"')
			in_str = true;
		else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return NULL;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Parse the trace in @buf: either {"traceEvents": [...], ...} or a bare array. */
static int parse(struct timeline *tl, const char *buf, size_t len, char *why, size_t whylen)
{
	const char *p = skip_ws(buf, buf + len), *end = buf + len;
	size_t idx = 0;

	if (p < end && *p == '{') {
		p = memmem(p, (size_t)(end - p), "\"traceEvents\"", 13);
		if (!p) {
			snprintf(why, whylen, "no \"traceEvents\" array");
			return -1;
		}
		p = skip_ws(p + 13, end);
		if (p < end && *p == ':')
			p = skip_ws(p + 1, end);
	}
	if (p >= end || *p != '[') {
		snprintf(why, whylen, "not a Chrome trace: expected an array of events at byte %zu",
			 (size_t)(p - buf));
		return -1;
	}
	for (p++;; idx++) {
		const char *e;
		json_error_t jerr;
		json_t *ev;

		while (p < end &&
		       (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p < end && *p == ']')
			return 0;
		if (p >= end || *p != '{') {
			snprintf(why, whylen, "event %zu: expected an object at byte %zu%s", idx,
				 (size_t)(p - buf), p >= end ? " (file cut short)" : "");
			return -1;
		}
		e = object_end(p, end);
		if (!e) {
			snprintf(why, whylen, "event %zu at byte %zu never ends (file cut short)",
				 idx, (size_t)(p - buf));
			return -1;
		}
		ev = json_loadb(p, (size_t)(e - p), 0, &jerr);
		if (!ev) {
			snprintf(why, whylen, "event %zu at byte %zu: %s", idx, (size_t)(p - buf),
				 jerr.text);
			return -1;
		}
		if (take_event(tl, ev, idx, why, whylen)) {
			json_decref(ev);
			return -1;
		}
		json_decref(ev);
		p = e;
	}
}

static int by_ts(const void *a, const void *b)
{
	double x = ((const struct slice *)a)->ts, y = ((const struct slice *)b)->ts;

	return x < y ? -1 : x > y;
}

int timeline_load(struct timeline *tl, const char *path, char *err, size_t errlen)
{
	char why[256];
	struct stat st;
	void *map;
	size_t i;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return set_err(err, errlen, "%s: open: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		rc = set_err(err, errlen, "%s: fstat: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	if (st.st_size == 0) {
		close(fd);
		return set_err(err, errlen, "%s: empty file (the collector wrote no timeline)",
			       path);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return set_err(err, errlen, "%s: mmap: %s", path, strerror(errno));
	rc = parse(tl, map, (size_t)st.st_size, why, sizeof(why));
	munmap(map, (size_t)st.st_size);
	if (rc)
		return set_err(err, errlen, "%s: %s", path, why);
	if (!tl->nslices)
		return set_err(err, errlen, "%s: no state slices (\"ph\":\"X\") in the trace",
			       path);
	for (i = 0; i < tl->n; i++) {
		struct thread_track *t = &tl->t[i];

		if (!t->n)
			continue;
		qsort(t->s, t->n, sizeof(*t->s), by_ts);
		t->first = t->s[0].ts;
		t->last = 0;
		for (size_t j = 0; j < t->n; j++)
			t->last = fmax(t->last, t->s[j].ts + t->s[j].dur);
	}
	return 0;
}

int timeline_load_run(const struct run *r, struct timeline *tl, char *err, size_t errlen)
{
	char path[PATH_MAX + 200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/timeline.json", r->path);
	if (!r->has_timeline || (stat(path, &st) && errno == ENOENT))
		return 1;
	if (timeline_load(tl, path, err, errlen)) {
		timeline_free(tl);
		return -1;
	}
	return 0;
}

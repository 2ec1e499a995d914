// SPDX-License-Identifier: GPL-2.0
/*
 * Streams the Chrome trace event format: a slice ("ph":"X") is written as
 * soon as the thread leaves the state, so memory stays bounded by the number
 * of threads, not events. Track names ("ph":"M") come at the end, when every
 * comm is known; the format does not care about order.
 */
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "timeline.h"

struct open_slice {
	uint32_t tid;
	uint32_t pid;
	int32_t cpu;
	uint8_t state;
	uint64_t start_ns;
};

struct timeline {
	FILE *f;
	uint64_t start_ns;
	void *slices; /* tsearch tree of struct open_slice, by tid */
	size_t n;
	bool first;
};

static int cmp_slice(const void *a, const void *b)
{
	uint32_t x = ((const struct open_slice *)a)->tid, y = ((const struct open_slice *)b)->tid;

	return x < y ? -1 : x > y;
}

struct timeline *timeline_open(FILE *f, uint64_t start_ns)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl) {
		fprintf(stderr, "schedtrace: timeline: out of memory\n");
		return NULL;
	}
	tl->f = f;
	tl->start_ns = start_ns;
	tl->first = true;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	return tl;
}

static double us(const struct timeline *tl, uint64_t ns)
{
	return ns > tl->start_ns ? (double)(ns - tl->start_ns) / 1000.0 : 0.0;
}

static void sep(struct timeline *tl)
{
	if (!tl->first)
		fputs(",\n", tl->f);
	tl->first = false;
}

static void write_slice(struct timeline *tl, const struct open_slice *s, uint64_t end_ns)
{
	if (s->state >= NR_STATES || end_ns < s->start_ns)
		return;
	sep(tl);
	fprintf(tl->f,
		"{\"name\":\"%s\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":%.3f,\"dur\":%.3f",
		state_names[s->state], s->pid, s->tid, us(tl, s->start_ns),
		(double)(end_ns - s->start_ns) / 1000.0);
	if (s->cpu >= 0)
		fprintf(tl->f, ",\"args\":{\"cpu\":%d}", s->cpu);
	fputc('}', tl->f);
}

void timeline_event(struct timeline *tl, const struct st_event *e)
{
	struct open_slice key = {.tid = e->tid}, *s, **found;

	found = tfind(&key, &tl->slices, cmp_slice);
	if (found) {
		s = *found;
		write_slice(tl, s, e->ts);
	} else {
		s = calloc(1, sizeof(*s));
		if (!s)
			return;
		s->tid = e->tid;
		if (!tsearch(s, &tl->slices, cmp_slice)) {
			free(s);
			return;
		}
		tl->n++;
	}
	s->pid = e->pid;
	s->state = e->state;
	s->cpu = e->cpu;
	s->start_ns = e->ts;
}

static struct timeline *walk_tl;
static uint64_t walk_end;

static void close_one(const void *node, VISIT which, int depth)
{
	(void)depth;
	if (which == postorder || which == leaf)
		write_slice(walk_tl, *(struct open_slice *const *)node, walk_end);
}

static void meta(struct timeline *tl, const char *what, uint32_t pid, uint32_t tid,
		 const char *name, size_t len)
{
	json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:{s:s%}}", "name", what, "ph", "M", "pid",
			      (json_int_t)pid, "tid", (json_int_t)tid, "args", "name", name, len);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	if (s) {
		sep(tl);
		fputs(s, tl->f);
	}
	free(s);
	json_decref(j);
}

int timeline_close(struct timeline *tl, const struct sched_snapshot *snap, uint64_t end_ns)
{
	int err;

	walk_tl = tl;
	walk_end = end_ns;
	twalk(tl->slices, close_one);
	for (size_t i = 0; i < snap->nthreads; i++) {
		const struct st_thread *t = &snap->threads[i].t;
		uint32_t tid = snap->threads[i].tid;
		size_t len = strnlen(t->comm, sizeof(t->comm));

		if (tid == t->pid)
			meta(tl, "process_name", t->pid, tid, t->comm, len);
		meta(tl, "thread_name", t->pid, tid, t->comm, len);
	}
	fputs("\n]}\n", tl->f);
	err = ferror(tl->f) ? -1 : 0;
	if (err)
		fprintf(stderr, "schedtrace: writing timeline.json failed\n");
	tdestroy(tl->slices, free);
	free(tl);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Streams the Chrome trace event format: a slice ("ph":"X") is written as
 * soon as the thread leaves the state, so memory stays bounded by the number
 * of threads, not events. Track names ("ph":"M") come at the end, when every
 * comm is known; the format does not care about order.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "causes.h"
#include "timeline.h"

/*
 * The command's window opens at its exec (EV_WINDOW), after the slices of
 * its wait at the gate have closed: while the command has only its first
 * thread, its closed slices are held back, so a window opening later drops
 * them and moves the origin (ts 0) to the exec.
 */
#define HOLD_MAX 4096

struct timeline {
	FILE *f;
	uint64_t start_ns;  /* the origin: ts 0 */
	uint64_t window_ns; /* slices before it are not the command's */
	bool first;
	bool holding;
	uint64_t flows; /* wake flows written: the next one's id */
	uint32_t hold_tid;
	struct interval held[HOLD_MAX];
	uint64_t held_end[HOLD_MAX];
	size_t nheld;
};

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
	tl->holding = true;
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

/*
 * Who woke whom, as Perfetto draws it: a flow from the traced waker's slice
 * at the wakeup, or where the waker last ran when it had stopped by then
 * (intervals.h, flow_ns) ("s", bound to the waker's slice that encloses ts) to the
 * woken thread's slice that begins there ("f" without "bp": the next slice
 * on its track, the runnable one written right after it). Only wakeups
 * inside the window: one before it was clipped to the window's start.
 */
static void emit_wake_flow(struct timeline *tl, const struct interval *s)
{
	if (s->state != ST_RUNNABLE || !s->waker_pid || s->start_ns < tl->window_ns ||
	    (s->waker_kind != WK_THREAD && s->waker_kind != WK_FORK))
		return;
	tl->flows++;
	sep(tl);
	fprintf(tl->f,
		"{\"name\":\"wakeup\",\"cat\":\"wake\",\"ph\":\"s\",\"id\":%llu,"
		"\"pid\":%u,\"tid\":%u,\"ts\":%.3f},\n",
		(unsigned long long)tl->flows, s->waker_pid, s->waker,
		us(tl, s->flow_ns > tl->window_ns ? s->flow_ns : tl->window_ns));
	fprintf(tl->f,
		"{\"name\":\"wakeup\",\"cat\":\"wake\",\"ph\":\"f\",\"id\":%llu,"
		"\"pid\":%u,\"tid\":%u,\"ts\":%.3f}",
		(unsigned long long)tl->flows, s->pid, s->tid, us(tl, s->start_ns));
}

static void emit_slice(struct timeline *tl, const struct interval *s, uint64_t end_ns)
{
	uint64_t start = s->start_ns > tl->window_ns ? s->start_ns : tl->window_ns;
	/* who woke it: said of a runnable slice only */
	uint8_t waker_kind = s->state == ST_RUNNABLE ? s->waker_kind : WK_NONE;

	if (s->state >= NR_STATES || end_ns < start || (end_ns == start && start == tl->window_ns))
		return;
	emit_wake_flow(tl, s);
	sep(tl);
	fprintf(tl->f,
		"{\"name\":\"%s\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":%.3f,\"dur\":%.3f",
		state_names[s->state], s->pid, s->tid, us(tl, start),
		(double)(end_ns - start) / 1000.0);
	/* args: the CPU, and who ended the wait this slice follows (the
	 * report walks the critical path of a demo's measured section on them) */
	fputs(",\"args\":{", tl->f);
	if (s->cpu >= 0)
		fprintf(tl->f, "\"cpu\":%d%s", s->cpu, waker_kind != WK_NONE ? "," : "");
	if (waker_kind != WK_NONE && waker_kind < NR_WAKER_KINDS)
		fprintf(tl->f, "\"waker_kind\":\"%s\",\"waker\":%u,\"host\":%u",
			waker_kind_names[waker_kind], s->waker, s->host);
	/* a lock wait: who owned the mutex as it began (the path may go there) */
	if (s->state == ST_LOCK && s->holder)
		fprintf(tl->f, "%s\"holder\":%u", s->cpu >= 0 ? "," : "", s->holder);
	fputs("}}", tl->f);
}

static void release_held(struct timeline *tl)
{
	for (size_t i = 0; i < tl->nheld; i++)
		emit_slice(tl, &tl->held[i], tl->held_end[i]);
	tl->nheld = 0;
	tl->holding = false;
}

void timeline_slice(struct timeline *tl, const struct interval *s, uint64_t end_ns)
{
	if (tl->holding && tl->nheld < HOLD_MAX) {
		tl->held[tl->nheld] = *s;
		tl->held_end[tl->nheld++] = end_ns;
		return;
	}
	if (tl->holding)
		release_held(tl);
	emit_slice(tl, s, end_ns);
}

void timeline_window(struct timeline *tl, uint32_t tid, uint64_t ts)
{
	(void)tid;
	tl->window_ns = ts;
	/* Moving ts 0 is only safe while nothing has been written. */
	if (tl->holding)
		tl->start_ns = ts;
}

void timeline_event(struct timeline *tl, const struct st_event *e, const struct interval *ended)
{
	/* A second thread: the command runs; what is held is written. */
	if (tl->holding && !tl->hold_tid)
		tl->hold_tid = e->tid;
	else if (tl->holding && e->tid != tl->hold_tid)
		release_held(tl);
	if (ended)
		timeline_slice(tl, ended, e->ts);
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

int timeline_close(struct timeline *tl, const struct sched_snapshot *snap)
{
	int err;

	if (tl->holding)
		release_held(tl);
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
	free(tl);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
#include "perfparse.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t n, size_t size)
{
	void *q = realloc(p, (n + 1) * size);

	if (!q) {
		fprintf(stderr, "report: realloc: out of memory\n");
		abort();
	}
	return q;
}

int perf_stat_parse(FILE *f, struct perf_stat *ps, char *why, size_t whylen)
{
	json_error_t jerr;
	json_t *root, *events, *schema, *e;
	const char *name;

	memset(ps, 0, sizeof(*ps));
	root = json_loadf(f, 0, &jerr);
	if (!root) {
		snprintf(why, whylen, "corrupt JSON at line %d column %d: %s", jerr.line,
			 jerr.column, jerr.text);
		return -1;
	}
	schema = json_object_get(root, "schema");
	events = json_object_get(root, "events");
	if (!json_is_integer(schema) || json_integer_value(schema) != 1) {
		snprintf(why, whylen, "no \"schema\": 1 (docs/formats.md, perf-stat.json)");
		goto bad;
	}
	if (!json_is_object(events)) {
		snprintf(why, whylen, "\"events\" is not an object");
		goto bad;
	}
	json_object_foreach(events, name, e)
	{
		struct perf_counter pc = {0};
		const json_t *v = json_object_get(e, "value"), *unit = json_object_get(e, "unit");

		if (!json_is_object(e) || (!json_is_number(v) && !json_is_null(v))) {
			snprintf(why, whylen, "events.%s has no number or null \"value\"", name);
			goto bad;
		}
		snprintf(pc.event, sizeof(pc.event), "%s", name);
		if (json_is_string(unit))
			snprintf(pc.unit, sizeof(pc.unit), "%s", json_string_value(unit));
		pc.counted = json_is_number(v);
		pc.value = pc.counted ? json_number_value(v) : 0;
		ps->c = grow(ps->c, ps->n, sizeof(*ps->c));
		ps->c[ps->n++] = pc;
	}
	if (!ps->n) {
		snprintf(why, whylen, "no counters in it");
		goto bad;
	}
	ps->partial = json_is_true(json_object_get(root, "partial"));
	e = json_object_get(root, "before_enable");
	if (json_is_object(e) && json_is_integer(json_object_get(e, "nvcsw")) &&
	    json_is_integer(json_object_get(e, "nivcsw"))) {
		ps->has_before = true;
		ps->before_nvcsw = (double)json_integer_value(json_object_get(e, "nvcsw"));
		ps->before_nivcsw = (double)json_integer_value(json_object_get(e, "nivcsw"));
	}
	json_decref(root);
	ps->present = true;
	return 0;
bad:
	json_decref(root);
	perf_stat_free(ps);
	return -1;
}

const struct perf_counter *perf_stat_find(const struct perf_stat *ps, const char *event)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		/* perf may suffix the modifier it added, e.g. "context-switches:u" */
		size_t l = strlen(event);

		if (!strncmp(ps->c[i].event, event, l) &&
		    (ps->c[i].event[l] == '\0' || ps->c[i].event[l] == ':'))
			return &ps->c[i];
	}
	return NULL;
}

void perf_stat_free(struct perf_stat *ps)
{
	free(ps->c);
	memset(ps, 0, sizeof(*ps));
}

int timehist_parse_row(const char *line, struct timehist_row *r)
{
	const char *lb, *rb, *p;
	long long parent, count;
	int tid, pid, used = 0;
	size_t clen;

	memset(r, 0, sizeof(*r));
	while (*line == ' ')
		line++;
	/* The comm may hold spaces and brackets: the task id is the last
	 * "[...]" before the numbers. */
	rb = strstr(line, "] ");
	if (!rb)
		return -1;
	while ((p = strstr(rb + 1, "] ")))
		rb = p;
	for (lb = rb; lb > line && *lb != '['; lb--)
		;
	if (*lb != '[' || lb == line)
		return -1;
	if (sscanf(lb, "[%d/%d]", &tid, &pid) == 2) {
		r->tid = tid;
		r->pid = pid;
	} else if (sscanf(lb, "[%d]", &tid) == 1) {
		r->tid = r->pid = tid;
	} else {
		return -1;
	}
	if (sscanf(rb + 1, "%lld %lld %lf %lf %lf %lf %lf%n", &parent, &count, &r->run_ms,
		   &r->sleep_ms, &r->iowait_ms, &r->preempt_ms, &r->delay_ms, &used) != 7)
		return -1;
	for (p = rb + 1 + used; *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			return -1;
	if (count < 0)
		return -1;
	r->sched_in = (uint64_t)count;
	clen = (size_t)(lb - line);
	if (clen >= sizeof(r->comm))
		clen = sizeof(r->comm) - 1;
	memcpy(r->comm, line, clen);
	r->comm[clen] = '\0';
	return 0;
}

int timehist_parse(FILE *f, struct timehist *th, char *why, size_t whylen)
{
	char *line = NULL;
	size_t cap = 0;
	bool in_summary = false;

	memset(th, 0, sizeof(*th));
	while (getline(&line, &cap, f) >= 0) {
		struct timehist_row r;

		if (strstr(line, "Wait-time summary") || strstr(line, "Runtime summary")) {
			in_summary = true;
			continue;
		}
		if (!in_summary)
			continue;
		if (strstr(line, "Idle stats:"))
			break;
		if (timehist_parse_row(line, &r))
			continue;
		th->rows = grow(th->rows, th->n, sizeof(*th->rows));
		th->rows[th->n++] = r;
	}
	free(line);
	if (!in_summary) {
		snprintf(why, whylen,
			 "no \"Wait-time summary\" table (was it made with -s --state?)");
		timehist_free(th);
		return -1;
	}
	th->present = true;
	return 0;
}

const struct timehist_row *timehist_find_tid(const struct timehist *th, int tid)
{
	size_t i;

	for (i = 0; i < th->n; i++)
		if (th->rows[i].tid == tid)
			return &th->rows[i];
	return NULL;
}

void timehist_free(struct timehist *th)
{
	free(th->rows);
	memset(th, 0, sizeof(*th));
}

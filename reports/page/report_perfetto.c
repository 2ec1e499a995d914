// SPDX-License-Identifier: GPL-2.0
/*
 * The timeline for Perfetto with the report's thread labels: a copy of the
 * run's timeline.json (the collector's, left as it was) whose thread_name
 * events carry the labels the page uses (thread_labels.h) in place of the
 * comms, flows and slices unchanged. The collector cannot write the labels
 * (they come from the report's roles); the report cannot write the flows
 * (they need every wakeup): each writes its part (docs/formats.md).
 *
 * The copy goes line by line: the collector writes the opening line, one
 * event per line (with its separating comma) and the closing "]}".
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "thread_labels.h"

#define THREAD_NAME_EVENT "{\"name\":\"thread_name\",\"ph\":\"M\""

/* One event line without its newline and separating comma; NULL for the
 * opening and closing lines and for the collector's thread names. */
static char *event_of(char *line, bool first)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ','))
		line[--n] = '\0';
	if (first || !n || line[0] != '{' ||
	    !strncmp(line, THREAD_NAME_EVENT, sizeof(THREAD_NAME_EVENT) - 1))
		return NULL;
	return line;
}

static int write_labels(FILE *out, const struct run *r, bool *any)
{
	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		json_t *j =
		    json_pack("{s:s,s:s,s:i,s:i,s:{s:s}}", "name", "thread_name", "ph", "M", "pid",
			      t->pid, "tid", t->tid, "args", "name", thread_label_of(t));
		char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

		json_decref(j);
		if (!s)
			return -1;
		fprintf(out, "%s%s", *any ? ",\n" : "", s);
		*any = true;
		free(s);
	}
	return 0;
}

static int copy_events(FILE *in, FILE *out, const struct run *r, size_t *nflows, char *err,
		       size_t errlen)
{
	char *line = NULL, *ev;
	size_t cap = 0;
	bool first = true, any = false;
	int rc = 0;

	while (getline(&line, &cap, in) >= 0) {
		if (first && !strstr(line, "\"traceEvents\":[")) {
			snprintf(err, errlen,
				 "timeline.json does not open as the collector writes it");
			rc = -1;
			break;
		}
		if (first)
			fputs(line, out);
		ev = event_of(line, first);
		first = false;
		if (ev) {
			fprintf(out, "%s%s", any ? ",\n" : "", ev);
			any = true;
			*nflows += strstr(ev, "\"ph\":\"s\"") != NULL;
		}
	}
	free(line);
	if (!rc && ferror(in)) {
		snprintf(err, errlen, "reading timeline.json: %s", strerror(errno));
		rc = -1;
	}
	if (!rc && write_labels(out, r, &any)) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	fputs("\n]}\n", out);
	return rc;
}

int perfetto_write(const struct run *r, const char *out_path, size_t *nflows, char *err,
		   size_t errlen)
{
	char in_path[PATH_MAX + 200], tmp[PATH_MAX + 16];
	FILE *in, *out;
	int rc;

	snprintf(in_path, sizeof(in_path), "%s/timeline.json", r->path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
	in = fopen(in_path, "r");
	if (!in) {
		snprintf(err, errlen, "%s: %s", in_path, strerror(errno));
		return -1;
	}
	out = fopen(tmp, "w");
	if (!out) {
		snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
		fclose(in);
		return -1;
	}
	*nflows = 0;
	rc = copy_events(in, out, r, nflows, err, errlen);
	fclose(in);
	if (fclose(out) && !rc) {
		snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (!rc && rename(tmp, out_path)) {
		snprintf(err, errlen, "rename %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc)
		unlink(tmp);
	return rc;
}

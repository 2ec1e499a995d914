// SPDX-License-Identifier: GPL-2.0
#include "result.h"
#include "clock.h"
#include "cpus.h"
#include "stats.h"
#include "threads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void json_set_new(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v)) {
		fprintf(stderr, "json_object_set_new(%s): out of memory\n", key);
		abort();
	}
}

json_t *json_set_object(json_t *obj, const char *key)
{
	json_t *o = json_object();

	json_set_new(obj, key, o);
	return o;
}

void json_set_int(json_t *obj, const char *key, long long v)
{
	json_set_new(obj, key, json_integer(v));
}

void json_set_real(json_t *obj, const char *key, double v)
{
	json_set_new(obj, key, json_real(v));
}

void json_set_str(json_t *obj, const char *key, const char *v)
{
	json_set_new(obj, key, json_string(v));
}

json_t *result_new(const char *demo, const char *variant)
{
	json_t *res = json_object();

	if (!res)
		abort();
	json_set_int(res, "schema", RESULT_SCHEMA);
	json_set_str(res, "demo", demo);
	json_set_str(res, "variant", variant);
	json_set_new(res, "params", json_object());
	json_set_int(res, "cpus", cpus_usable());
	json_set_int(res, "pid", getpid());
	return res;
}

json_t *result_new_set(const char *demo)
{
	json_t *set = json_object();

	if (!set)
		abort();
	json_set_int(set, "schema", RESULT_SCHEMA);
	json_set_str(set, "demo", demo);
	json_set_new(set, "runs", json_array());
	return set;
}

void result_add_run(json_t *set, json_t *run)
{
	if (!run || json_array_append_new(json_object_get(set, "runs"), run))
		abort();
}

int result_finish(json_t *res, const char *path)
{
	int rc = path && result_write(res, path) ? 1 : 0;

	json_decref(res);
	return rc;
}

json_t *result_params(json_t *res)
{
	return json_object_get(res, "params");
}

void result_set_wall(json_t *res, uint64_t start_ns, uint64_t end_ns)
{
	json_set_int(res, "start_ns", (long long)start_ns);
	json_set_int(res, "end_ns", (long long)end_ns);
	json_set_real(res, "wall_s", ns_to_s(end_ns - start_ns));
}

static json_t *thread_json(const struct thread_record *r)
{
	json_t *t = json_object(), *ss = json_object(), *ru = json_object();

	if (!t || !ss || !ru)
		abort();
	json_set_int(t, "tid", r->tid);
	json_set_int(t, "pid", r->pid);
	json_set_str(t, "name", r->name);
	json_set_int(t, "start_ns", (long long)r->start_ns);
	json_set_int(t, "end_ns", (long long)r->end_ns);
	json_set_int(ss, "run_ns", (long long)r->run_ns);
	json_set_int(ss, "wait_ns", (long long)r->wait_ns);
	json_set_int(ss, "timeslices", (long long)r->timeslices);
	json_set_new(t, "schedstat", ss);
	json_set_int(ru, "nvcsw", r->nvcsw);
	json_set_int(ru, "nivcsw", r->nivcsw);
	json_set_int(ru, "minflt", r->minflt);
	json_set_int(ru, "majflt", r->majflt);
	json_set_new(t, "rusage", ru);
	json_set_int(t, "tasks", (long long)r->tasks);
	if (r->lock_acquires || r->lock_wait_ns) {
		json_set_int(t, "lock_wait_ns", (long long)r->lock_wait_ns);
		json_set_int(t, "lock_acquires", (long long)r->lock_acquires);
	}
	json_set_new(t, "ended", json_boolean(r->ended));
	return t;
}

void result_set_limit(json_t *res, uint64_t limit_ns, uint64_t wall_ns)
{
	json_set_real(res, "limit_s", ns_to_s(limit_ns));
	json_set_real(res, "from_limit_pct", pct_above(wall_ns, limit_ns));
}

void result_add_threads(json_t *res)
{
	json_t *arr = json_array();

	if (!arr)
		abort();
	for (unsigned int i = 0; i < threads_count(); i++)
		if (json_array_append_new(arr, thread_json(threads_get(i))))
			abort();
	json_set_new(res, "threads", arr);
}

int result_write(json_t *res, const char *path)
{
	char tmp[4096];

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, getpid()) >= (int)sizeof(tmp)) {
		fprintf(stderr, "result_write: path too long: %s\n", path);
		return -1;
	}
	if (json_dump_file(res, tmp, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(9))) {
		fprintf(stderr, "json_dump_file(%s): %s\n", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, "rename(%s, %s): %s\n", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

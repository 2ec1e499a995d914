/* SPDX-License-Identifier: GPL-2.0 */
/* Run folders for the explainer tests, built in C: each test states the few
 * figures its claim rests on, the builder fills in the rest of the files as
 * docs/formats.md describes them, writes meta.json, demo.json, sched.json
 * (and perf-stat.json when asked) into a temporary folder, and loads it with
 * the report's own run_set_load, so the explainers read exactly what they
 * read in a real report. #included by tests/unit/test_explain_*.c. */
#ifndef SCHEDLAB_EXPLAIN_FIXTURE_H
#define SCHEDLAB_EXPLAIN_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "explain.h"
#include "run_metrics.h"
#include "sbuf.h"

#define MS(x) ((json_int_t)((x)*1e6))
#define FX_START_NS 1000000000LL
#define FX_MAX_RUNS 16

struct fx_run {
	char variant[64];
	json_t *demo, *sched;
	json_t *perf_demo;   /* perf-sched-demo.json (the perf pass's result), NULL none */
	char perf_stat[512]; /* perf-stat.json text, "" for none */
	bool no_demo;	     /* interrupted before the demo wrote demo.json */
	char *timeline;	     /* timeline.json text (owned), NULL for none */
};

struct fx {
	char dir[64];
	char demo[64];
	char summary[256]; /* meta.json "summary", the catalogue's line; "" none */
	int cpus;
	struct fx_run runs[FX_MAX_RUNS];
	size_t n;
	struct run_set rs;
	bool loaded;
	struct sentences why;
	char *text; /* every sentence, one per line */
	struct verdicts verdict;
	char *vtext; /* the verdict's lines, then its doubts, one per line */
};

static inline json_t *fx_obj(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (!j)
		fail_msg("fixture JSON: %s: %s", e.text, text);
	return j;
}

static inline void fx_init(struct fx *f, const char *demo, int cpus)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->demo, sizeof(f->demo), "%s", demo);
	f->cpus = cpus;
	snprintf(f->dir, sizeof(f->dir), "/tmp/schedlab-explain-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
}

/* A variant whose demo measured @wall_s; @params is a JSON object text. The
 * demo's main process is pid 1000 + 100 × its index. */
static inline struct fx_run *fx_variant(struct fx *f, const char *variant, double wall_s,
					const char *params)
{
	struct fx_run *r;
	json_int_t pid = 1000 + 100 * (json_int_t)f->n;
	json_int_t end = FX_START_NS + (json_int_t)(wall_s * 1e9);

	assert_true(f->n < FX_MAX_RUNS);
	r = &f->runs[f->n++];
	snprintf(r->variant, sizeof(r->variant), "%s", variant);
	r->demo = json_pack("{s:i,s:s,s:s,s:o,s:i,s:I,s:I,s:I,s:f,s:[],s:[]}", "schema", 1, "demo",
			    f->demo, "variant", variant, "params", fx_obj(params), "cpus", f->cpus,
			    "pid", pid, "start_ns", (json_int_t)FX_START_NS, "end_ns", end,
			    "wall_s", wall_s, "threads", "locks");
	r->sched = json_pack("{s:i,s:s,s:I,s:i,s:i,s:b,s:I,s:I,s:{s:i,s:i,s:i,s:i},s:[],s:[],s:[]}",
			     "schema", 1, "tool", "schedtrace", "pid", pid, "exit_status", 0,
			     "cpus", f->cpus, "partial", 0, "start_ns", (json_int_t)FX_START_NS,
			     "end_ns", end, "lost", "ringbuf", 0, "map_full", 0, "stack_misses", 0,
			     "stack_collisions", 0, "threads", "processes", "futex");
	assert_non_null(r->demo);
	assert_non_null(r->sched);
	return r;
}

static inline json_int_t fx_pid(const struct fx_run *r)
{
	return json_integer_value(json_object_get(r->demo, "pid"));
}

/* Merge the object text @json into demo.json's root, one level deep. */
static inline void fx_demo_set(struct fx_run *r, const char *json)
{
	json_t *o = fx_obj(json);

	assert_int_equal(json_object_update(r->demo, o), 0);
	json_decref(o);
}

/* The state times of a thread, in ms. */
struct fx_states {
	double running, runnable, lock, sleep, io, disk, other;
};

/* A thread in sched.json (and in demo.json, with @tasks, when @in_demo).
 * Returns its sched.json object, for syscalls and switch counts. */
static inline json_t *fx_thread_ex(struct fx_run *r, int tid, int pid, const char *comm,
				   struct fx_states s, int tasks, bool in_demo)
{
	json_int_t life = MS(s.running) + MS(s.runnable) + MS(s.lock) + MS(s.sleep) + MS(s.io) +
			  MS(s.disk) + MS(s.other);
	json_t *t = json_pack(
	    "{s:i,s:i,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:i,s:i,"
	    "s:i,s:i,s:b,s:[]}",
	    "tid", tid, "pid", pid, "comm", comm, "first_ns", (json_int_t)FX_START_NS, "last_ns",
	    FX_START_NS + life, "lifetime_ns", life, "running_ns", MS(s.running), "runnable_ns",
	    MS(s.runnable), "lock_ns", MS(s.lock), "sleep_ns", MS(s.sleep), "io_ns", MS(s.io),
	    "disk_ns", MS(s.disk), "other_ns", MS(s.other), "nvcsw", 0, "nivcsw", 0, "timeslices",
	    1, "migrations", 0, "wakeups", 0, "exited", 1, "syscalls");

	assert_non_null(t);
	assert_int_equal(json_array_append_new(json_object_get(r->sched, "threads"), t), 0);
	if (in_demo) {
		json_t *d =
		    json_pack("{s:i,s:i,s:s,s:I,s:I,s:{s:I,s:I,s:i},s:{s:i,s:i},s:i,s:b}", "tid",
			      tid, "pid", pid, "name", comm, "start_ns", (json_int_t)FX_START_NS,
			      "end_ns", FX_START_NS + life, "schedstat", "run_ns", MS(s.running),
			      "wait_ns", MS(s.runnable), "timeslices", 1, "rusage", "nvcsw", 0,
			      "nivcsw", 0, "tasks", tasks, "ended", 1);

		assert_non_null(d);
		assert_int_equal(json_array_append_new(json_object_get(r->demo, "threads"), d), 0);
	}
	return t;
}

/* A thread of the demo's main process. */
static inline json_t *fx_thread(struct fx_run *r, int tid, const char *comm, struct fx_states s,
				int tasks)
{
	return fx_thread_ex(r, tid, (int)fx_pid(r), comm, s, tasks, true);
}

static inline void fx_syscall(json_t *thread, const char *name, json_int_t count, double total_ms)
{
	json_t *sc =
	    json_pack("{s:s,s:i,s:I,s:i,s:I,s:I,s:[]}", "name", name, "nr", 0, "count", count,
		      "errors", 0, "total_ns", MS(total_ms), "max_ns", MS(total_ms), "hist");

	assert_non_null(sc);
	assert_int_equal(json_array_append_new(json_object_get(thread, "syscalls"), sc), 0);
}

static inline void fx_futex(struct fx_run *r, const char *addr, json_int_t count, double total_ms)
{
	json_t *e = json_pack("{s:I,s:s,s:I,s:I,s:I}", "pid", fx_pid(r), "addr", addr, "count",
			      count, "total_ns", MS(total_ms), "max_ns", MS(total_ms));

	assert_non_null(e);
	assert_int_equal(json_array_append_new(json_object_get(r->sched, "futex"), e), 0);
}

static inline void fx_lock(struct fx_run *r, const char *name, const char *addr)
{
	json_t *e = json_pack("{s:s,s:s,s:I}", "name", name, "addr", addr, "pid", fx_pid(r));

	assert_non_null(e);
	assert_int_equal(json_array_append_new(json_object_get(r->demo, "locks"), e), 0);
}

/* A sched.json wakes[] entry: @waker is the waker's JSON object text; @syscall
 * and @futex may be NULL. Returns the entry, for fields a test adds. */
static inline json_t *fx_wake(struct fx_run *r, const char *waker, int wakee,
			      const char *wakee_comm, const char *state, const char *syscall,
			      const char *futex, json_int_t count, double ms)
{
	json_t *wakes = json_object_get(r->sched, "wakes"), *wait, *e;

	if (!wakes) {
		wakes = json_array();
		json_object_set_new(r->sched, "wakes", wakes);
	}
	wait = json_pack("{s:s}", "state", state);
	if (syscall)
		json_object_set_new(wait, "syscall", json_string(syscall));
	if (futex)
		json_object_set_new(wait, "futex", json_string(futex));
	e = json_pack("{s:o,s:{s:i,s:I,s:s},s:o,s:I,s:I,s:I,s:[]}", "waker", fx_obj(waker), "wakee",
		      "tid", wakee, "pid", fx_pid(r), "comm", wakee_comm, "wait", wait, "count",
		      count, "blocked_ns", MS(ms), "max_ns", MS(ms), "hist");
	assert_non_null(e);
	json_array_append_new(wakes, e);
	return e;
}

/* The run queue of the main process: @p99_ms as every percentile. */
static inline void fx_runq(struct fx_run *r, double p99_ms)
{
	json_t *e =
	    json_pack("{s:I,s:s,s:{s:i,s:I,s:I,s:I,s:I,s:I,s:[]}}", "pid", fx_pid(r), "comm",
		      "main", "runq", "count", 1, "sum_ns", MS(p99_ms), "max_ns", MS(p99_ms),
		      "p50_ns", MS(p99_ms), "p90_ns", MS(p99_ms), "p99_ns", MS(p99_ms), "hist");

	assert_non_null(e);
	assert_int_equal(json_array_append_new(json_object_get(r->sched, "processes"), e), 0);
}

/* perf-stat.json as collectors/wrappers/perf-stat writes it (docs/formats.md). */
static inline void fx_page_faults(struct fx_run *r, long faults)
{
	snprintf(r->perf_stat, sizeof(r->perf_stat),
		 "{\"schema\": 1, \"tool\": \"perf stat\", \"perf_version\": \"6.1\", "
		 "\"pid\": %lld, \"scope\": \"process tree\", \"partial\": false, \"events\": "
		 "{\"page-faults\": {\"value\": %ld, \"unit\": \"\", \"runtime_ns\": 1, "
		 "\"pcnt_running\": 100}}}\n",
		 (long long)fx_pid(r), faults);
}

/* sched.json "critical_path" over the run's first second: @by, its
 * shares ([{tid, comm, state, ns}], largest first). */
static inline void fx_path(struct fx_run *r, const char *by)
{
	json_object_set_new(r->sched, "critical_path",
			    json_pack("{s:I,s:I,s:I,s:i,s:o,s:[]}", "start_ns",
				      (json_int_t)FX_START_NS, "end_ns", FX_START_NS + MS(1000),
				      "covered_ns", MS(1000), "end_tid", (int)fx_pid(r), "by",
				      fx_obj(by), "segments"));
}

static inline void fx_write(const char *dir, const char *name, const json_t *j)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (json_dump_file(j, path, JSON_INDENT(1)))
		fail_msg("json_dump_file %s failed", path);
}

/* Every sentence on a line of its own, the text starting with a newline, so
 * "\nbounded:" finds a sentence that begins with it. */
static inline const char *fx_join(struct fx *f)
{
	size_t i, len = 2;

	for (i = 0; i < f->why.n; i++)
		len += strlen(f->why.s[i]) + 1;
	free(f->text); /* a test may ask for the text again */
	f->text = calloc(1, len);
	assert_non_null(f->text);
	strcat(f->text, "\n");
	for (i = 0; i < f->why.n; i++) {
		strcat(f->text, f->why.s[i]);
		strcat(f->text, "\n");
	}
	return f->text;
}

/* Write the folder, load it, run the explainer; returns every sentence, one
 * per line (owned by @f). */
static inline const char *fx_explain(struct fx *f)
{
	json_t *meta, *runs = json_array();
	char err[512], sub[160];
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct fx_run *r = &f->runs[i];

		/* Every process of the run has a run-queue entry. */
		if (!json_array_size(json_object_get(r->sched, "processes")))
			fx_runq(r, 0.01);
		snprintf(sub, sizeof(sub), "%s/%s", f->dir, r->variant);
		assert_int_equal(mkdir(sub, 0700), 0);
		if (r->no_demo)
			json_object_set_new(r->sched, "partial", json_true());
		else
			fx_write(sub, "demo.json", r->demo);
		if (r->perf_demo)
			fx_write(sub, "perf-sched-demo.json", r->perf_demo);
		fx_write(sub, "sched.json", r->sched);
		if (r->timeline) {
			FILE *p;

			snprintf(sub, sizeof(sub), "%s/%s/timeline.json", f->dir, r->variant);
			p = fopen(sub, "w");
			assert_non_null(p);
			fputs(r->timeline, p);
			assert_int_equal(fclose(p), 0);
		}
		if (r->perf_stat[0]) {
			FILE *p;

			snprintf(sub, sizeof(sub), "%s/%s/perf-stat.json", f->dir, r->variant);
			p = fopen(sub, "w");
			assert_non_null(p);
			fputs(r->perf_stat, p);
			assert_int_equal(fclose(p), 0);
		}
		json_array_append_new(runs, json_pack("{s:s,s:i,s:s,s:i,s:b}", "variant",
						      r->variant, "repeat", 1, "dir", r->variant,
						      "exit_status", 0, "partial", r->no_demo));
	}
	meta =
	    json_pack("{s:i,s:s,s:s,s:s,s:b,s:b,s:{s:i,s:s,s:s,s:s},s:o}", "schema", 1, "kind",
		      strcmp(f->demo, "command") ? "demo" : "command", "demo", f->demo, "stamp",
		      "20261125T000000Z", "partial", 0, "quick", 1, "host", "cpus", f->cpus,
		      "cpu_model", "test", "kernel", "6.18", "hostname", "fixture", "runs", runs);
	assert_non_null(meta);
	if (f->summary[0])
		json_object_set_new(meta, "summary", json_string(f->summary));
	if (!strcmp(f->demo, "command"))
		json_object_set_new(meta, "command", json_pack("[s,s]", "my-program", "--flag"));
	fx_write(f->dir, "meta.json", meta);
	json_decref(meta);
	if (run_set_load(&f->rs, f->dir, err, sizeof(err)))
		fail_msg("run_set_load: %s", err);
	run_set_derive(&f->rs);
	f->loaded = true;
	explain_run_set(&f->rs, &f->why);
	verdict_of(&f->rs, &f->verdict);
	return fx_join(f);
}

/* The verdict of the folder fx_explain() loaded: "\nline\n...", the doubts
 * after a line "doubts:". */
static inline const char *fx_verdict(struct fx *f)
{
	struct sbuf s = SBUF_INIT;
	size_t i;

	sb_add(&s, "\n");
	for (i = 0; i < f->verdict.lines.n; i++)
		sb_printf(&s, "%s\n", f->verdict.lines.s[i]);
	sb_add(&s, "doubts:\n");
	for (i = 0; i < f->verdict.doubts.n; i++)
		sb_printf(&s, "%s\n", f->verdict.doubts.s[i]);
	free(f->vtext);
	f->vtext = strdup(sb_str(&s));
	sb_free(&s);
	assert_non_null(f->vtext);
	return f->vtext;
}

static inline void fx_free(struct fx *f)
{
	char cmd[128];
	size_t i;

	for (i = 0; i < f->n; i++) {
		json_decref(f->runs[i].demo);
		json_decref(f->runs[i].sched);
		json_decref(f->runs[i].perf_demo);
		free(f->runs[i].timeline);
	}
	if (f->loaded)
		run_set_free(&f->rs);
	sentences_free(&f->why);
	verdict_free(&f->verdict);
	free(f->text);
	free(f->vtext);
	if (!f->dir[0])
		return; /* a recorded folder: nothing of ours to remove */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir); /* our own mkdtemp folder */
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", f->dir);
}

/* @rel (tests/fixtures/...) from the repository root, whether the test runs
 * there (tests/run) or elsewhere with an absolute __FILE__. */
static inline void fx_repo_path(char *out, size_t len, const char *rel)
{
	const char *slash = strrchr(__FILE__, '/');

	if (!access(rel, R_OK) || __FILE__[0] != '/' || !slash)
		snprintf(out, len, "%s", rel);
	else /* __FILE__ is TOP/tests/unit/explain_fixture.h */
		snprintf(out, len, "%.*s/../../%s", (int)(slash - __FILE__), __FILE__, rel);
}

/* Explain a recorded run folder under tests/fixtures/explain/ (@f is only
 * used to hold the result; fx_free releases it). */
static inline const char *fx_explain_recorded(struct fx *f, const char *rel)
{
	char dir[4096], err[512];

	memset(f, 0, sizeof(*f));
	fx_repo_path(dir, sizeof(dir), rel);
	if (run_set_load(&f->rs, dir, err, sizeof(err)))
		fail_msg("run_set_load: %s", err);
	run_set_derive(&f->rs);
	f->loaded = true;
	explain_run_set(&f->rs, &f->why);
	verdict_of(&f->rs, &f->verdict);
	return fx_join(f);
}

/* The claim with @phrase is made (present) or not (absent); on failure the
 * sentences are printed, so the failing test says what was claimed. */
#define assert_claim(text, phrase)                                                                 \
	do {                                                                                       \
		if (!strstr((text), (phrase)))                                                     \
			fail_msg("claim \"%s\" not made; sentences:\n%s", (phrase), (text));       \
	} while (0)
#define assert_no_claim(text, phrase)                                                              \
	do {                                                                                       \
		if (strstr((text), (phrase)))                                                      \
			fail_msg("claim \"%s\" made though its data is absent; sentences:\n%s",    \
				 (phrase), (text));                                                \
	} while (0)

#endif

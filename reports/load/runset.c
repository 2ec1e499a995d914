// SPDX-License-Identifier: GPL-2.0
#include "runset.h"

#include "sched_host.h"
#include "sched_wakes.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Where a loader is and where its complaint goes. */
struct ld {
	char file[PATH_MAX]; /* as the user should see it */
	char *err;
	size_t errlen;
};

static int fail(struct ld *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct ld *l, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errlen, "%s: %s", l->file, msg);
	return -1;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "report: calloc(%zu, %zu): out of memory\n", n, size);
		abort();
	}
	return p;
}

static void free_demo(struct demo_result *d);

static int req_u64(struct ld *l, const json_t *o, const char *key, const char *where, uint64_t *v)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return fail(l, "%s has no \"%s\"", where, key);
	if (!json_is_integer(x) || json_integer_value(x) < 0)
		return fail(l, "%s: \"%s\" is not a non-negative integer", where, key);
	*v = (uint64_t)json_integer_value(x);
	return 0;
}

/* An optional count: absent is 0, present must be a non-negative integer. */
static int opt_u64(struct ld *l, const json_t *o, const char *key, const char *where, uint64_t *v)
{
	*v = 0;
	return json_object_get(o, key) ? req_u64(l, o, key, where, v) : 0;
}

static int req_int(struct ld *l, const json_t *o, const char *key, const char *where, int *v)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return fail(l, "%s has no \"%s\"", where, key);
	if (!json_is_integer(x))
		return fail(l, "%s: \"%s\" is not an integer", where, key);
	*v = (int)json_integer_value(x);
	return 0;
}

static int req_str(struct ld *l, const json_t *o, const char *key, const char *where, char *out,
		   size_t len)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return fail(l, "%s has no \"%s\"", where, key);
	if (!json_is_string(x))
		return fail(l, "%s: \"%s\" is not a string", where, key);
	snprintf(out, len, "%s", json_string_value(x));
	return 0;
}

/* An optional string (absent or null: ""). */
static void opt_name(const json_t *v, char *out, size_t len)
{
	snprintf(out, len, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static int req_bool(struct ld *l, const json_t *o, const char *key, const char *where, bool *v)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return fail(l, "%s has no \"%s\"", where, key);
	if (!json_is_boolean(x))
		return fail(l, "%s: \"%s\" is not true or false", where, key);
	*v = json_is_true(x);
	return 0;
}

static const json_t *req_arr(struct ld *l, const json_t *o, const char *key, const char *where)
{
	json_t *x = json_object_get(o, key);

	if (!x) {
		fail(l, "%s has no \"%s\"", where, key);
		return NULL;
	}
	if (!json_is_array(x)) {
		fail(l, "%s: \"%s\" is not an array", where, key);
		return NULL;
	}
	return x;
}

static const json_t *req_obj(struct ld *l, const json_t *o, const char *key, const char *where)
{
	json_t *x = json_object_get(o, key);

	if (!x) {
		fail(l, "%s has no \"%s\"", where, key);
		return NULL;
	}
	if (!json_is_object(x)) {
		fail(l, "%s: \"%s\" is not an object", where, key);
		return NULL;
	}
	return x;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Load a JSON object from @path; l->file names it in complaints. */
static json_t *load_json(struct ld *l, const char *path)
{
	json_error_t jerr;
	json_t *j;

	if (!is_file(path)) {
		if (errno == ENOENT || !errno)
			fail(l, "missing (a required file of the run folder)");
		else
			fail(l, "cannot stat: %s", strerror(errno));
		return NULL;
	}
	j = json_load_file(path, 0, &jerr);
	if (!j) {
		fail(l, "corrupt JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		fail(l, "not a JSON object");
		json_decref(j);
		return NULL;
	}
	return j;
}

static int check_schema(struct ld *l, const json_t *j)
{
	int schema;

	if (req_int(l, j, "schema", "the file", &schema))
		return -1;
	if (schema != 1)
		return fail(l, "schema %d, this report reads schema 1", schema);
	return 0;
}

static int load_syscalls(struct ld *l, struct sched_thread *t, const json_t *arr, const char *where)
{
	char w[160], why[160];
	size_t i;

	t->nsyscalls = json_array_size(arr);
	t->syscalls = xcalloc(t->nsyscalls, sizeof(*t->syscalls));
	for (i = 0; i < t->nsyscalls; i++) {
		const json_t *e = json_array_get(arr, i);
		struct syscall_acct *s = &t->syscalls[i];

		snprintf(w, sizeof(w), "%s syscalls[%zu]", where, i);
		if (req_str(l, e, "name", w, s->name, sizeof(s->name)) ||
		    req_u64(l, e, "count", w, &s->count) ||
		    req_u64(l, e, "errors", w, &s->errors) ||
		    req_u64(l, e, "total_ns", w, &s->total_ns) ||
		    req_u64(l, e, "max_ns", w, &s->max_ns))
			return -1;
		if (hist_from_json(&s->hist, json_object_get(e, "hist"), why, sizeof(why)))
			return fail(l, "%s: %s", w, why);
	}
	return 0;
}

static int load_thread(struct ld *l, struct sched_thread *t, const json_t *e, size_t i)
{
	static const char *const keys[ST_COUNT] = {
	    "running_ns", "runnable_ns", "lock_ns", "sleep_ns", "io_ns", "disk_ns", "other_ns"};
	const json_t *k, *sc;
	char w[96];
	int s;

	snprintf(w, sizeof(w), "threads[%zu]", i);
	if (!json_is_object(e))
		return fail(l, "%s is not an object", w);
	if (req_int(l, e, "tid", w, &t->tid) || req_int(l, e, "pid", w, &t->pid) ||
	    req_str(l, e, "comm", w, t->comm, sizeof(t->comm)))
		return -1;
	snprintf(w, sizeof(w), "threads[%zu] (tid %d)", i, t->tid);
	for (s = 0; s < ST_COUNT; s++)
		if (req_u64(l, e, keys[s], w, &t->state_ns[s]))
			return -1;
	if (req_u64(l, e, "first_ns", w, &t->first_ns) ||
	    req_u64(l, e, "last_ns", w, &t->last_ns) ||
	    req_u64(l, e, "lifetime_ns", w, &t->lifetime_ns) ||
	    req_u64(l, e, "nvcsw", w, &t->nvcsw) || req_u64(l, e, "nivcsw", w, &t->nivcsw) ||
	    req_u64(l, e, "timeslices", w, &t->timeslices) ||
	    req_u64(l, e, "migrations", w, &t->migrations) ||
	    req_u64(l, e, "wakeups", w, &t->wakeups) || req_bool(l, e, "exited", w, &t->exited))
		return -1;
	/* optional: the thread's page faults, the kernel's own counters */
	if (json_object_get(e, "minflt")) {
		if (req_u64(l, e, "minflt", w, &t->minflt) ||
		    req_u64(l, e, "majflt", w, &t->majflt))
			return -1;
		t->has_faults = true;
	}
	k = json_object_get(e, "top_waker");
	if (json_is_object(k)) {
		t->top_waker_tid = (int)json_integer_value(json_object_get(k, "tid"));
		t->top_waker_count = (uint64_t)json_integer_value(json_object_get(k, "count"));
		t->top_waker_exact = json_is_true(json_object_get(k, "exact"));
		opt_name(json_object_get(k, "comm"), t->top_waker_comm, sizeof(t->top_waker_comm));
	}
	k = json_object_get(e, "kernel");
	if (k) {
		char kw[128];

		snprintf(kw, sizeof(kw), "%s kernel", w);
		if (!json_is_object(k))
			return fail(l, "%s is not an object", kw);
		if (req_u64(l, k, "sum_exec_runtime_ns", kw, &t->kernel.sum_exec_runtime_ns) ||
		    req_u64(l, k, "run_delay_ns", kw, &t->kernel.run_delay_ns) ||
		    req_u64(l, k, "pcount", kw, &t->kernel.pcount) ||
		    req_u64(l, k, "nvcsw", kw, &t->kernel.nvcsw) ||
		    req_u64(l, k, "nivcsw", kw, &t->kernel.nivcsw))
			return -1;
		t->kernel.present = true;
	}
	k = json_object_get(e, "clock");
	if (k) {
		char kw[128];

		snprintf(kw, sizeof(kw), "%s clock", w);
		if (!json_is_object(k))
			return fail(l, "%s is not an object", kw);
		if (req_u64(l, k, "slices", kw, &t->clock_slices) ||
		    req_u64(l, k, "bpf_running_ns", kw, &t->clock_bpf_ns) ||
		    req_u64(l, k, "sched_running_ns", kw, &t->clock_sched_ns))
			return -1;
		t->has_clock = true;
	}
	t->ended_at_switch = json_is_true(json_object_get(e, "ended_at_switch"));
	t->has_irq_steal = json_is_integer(json_object_get(e, "irq_steal_ns"));
	if (opt_u64(l, e, "irq_steal_ns", w, &t->irq_steal_ns) ||
	    opt_u64(l, e, "exit_switches", w, &t->exit_switches) ||
	    opt_u64(l, e, "runnable_asleep_ns", w, &t->runnable_asleep_ns) ||
	    opt_u64(l, e, "queued_asleep_ns", w, &t->queued_asleep_ns))
		return -1;
	sc = req_arr(l, e, "syscalls", w);
	if (!sc)
		return -1;
	return load_syscalls(l, t, sc, w);
}

/* sched.json "lost": what the collector could not record. */
static int load_lost(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *lost = req_obj(l, j, "lost", "the file");

	if (!lost || req_u64(l, lost, lost_names[LOST_RINGBUF], "lost", &s->lost_ringbuf) ||
	    req_u64(l, lost, lost_names[LOST_MAP_FULL], "lost", &s->lost_map_full) ||
	    req_u64(l, lost, lost_names[LOST_STACK_MISS], "lost", &s->lost_stack_misses) ||
	    req_u64(l, lost, lost_names[LOST_STACK_COLLISION], "lost", &s->lost_stack_collisions) ||
	    opt_u64(l, lost, "prog_misses", "lost", &s->lost_prog_misses) ||
	    opt_u64(l, lost, lost_names[LOST_SWITCH_IN], "lost", &s->lost_switch_in_missed) ||
	    opt_u64(l, lost, lost_names[LOST_SWITCH_OUT], "lost", &s->lost_switch_out_missed) ||
	    opt_u64(l, lost, lost_names[LOST_WAKEUP], "lost", &s->lost_wakeup_missed))
		return -1;
	return 0;
}

/* sched.json "before" (optional): the first thread's counters at the start. */
static int load_before(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *b;

	if (!json_object_get(j, "before"))
		return 0;
	b = req_obj(l, j, "before", "the file");
	if (!b || req_int(l, b, "tid", "before", &s->before.tid) ||
	    req_u64(l, b, "run_ns", "before", &s->before.run_ns) ||
	    req_u64(l, b, "wait_ns", "before", &s->before.wait_ns) ||
	    req_u64(l, b, "timeslices", "before", &s->before.timeslices) ||
	    req_u64(l, b, "nvcsw", "before", &s->before.nvcsw) ||
	    req_u64(l, b, "nivcsw", "before", &s->before.nivcsw))
		return -1;
	s->before.present = true;
	return 0;
}

static int load_threads(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *arr = req_arr(l, j, "threads", "the file");

	if (!arr)
		return -1;
	if (!json_array_size(arr))
		return fail(l, "\"threads\" is empty: the collector saw no thread of the command");
	s->nthreads = json_array_size(arr);
	s->threads = xcalloc(s->nthreads, sizeof(*s->threads));
	for (size_t i = 0; i < s->nthreads; i++)
		if (load_thread(l, &s->threads[i], json_array_get(arr, i), i))
			return -1;
	return 0;
}

/* sched.json "processes": each one's run-queue latency. */
static int load_processes(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *arr = req_arr(l, j, "processes", "the file");
	char w[96], why[160];

	if (!arr)
		return -1;
	s->nprocs = json_array_size(arr);
	s->procs = xcalloc(s->nprocs, sizeof(*s->procs));
	for (size_t i = 0; i < s->nprocs; i++) {
		const json_t *e = json_array_get(arr, i), *rq;
		struct sched_process *p = &s->procs[i];

		snprintf(w, sizeof(w), "processes[%zu]", i);
		if (req_int(l, e, "pid", w, &p->pid) ||
		    req_str(l, e, "comm", w, p->comm, sizeof(p->comm)))
			return -1;
		snprintf(w, sizeof(w), "processes[%zu].runq", i);
		rq = req_obj(l, e, "runq", w);
		if (!rq || req_u64(l, rq, "count", w, &p->runq_count) ||
		    req_u64(l, rq, "sum_ns", w, &p->runq_sum_ns) ||
		    req_u64(l, rq, "max_ns", w, &p->runq_max_ns) ||
		    req_u64(l, rq, "p50_ns", w, &p->runq_p50_ns) ||
		    req_u64(l, rq, "p90_ns", w, &p->runq_p90_ns) ||
		    req_u64(l, rq, "p99_ns", w, &p->runq_p99_ns))
			return -1;
		if (hist_from_json(&p->runq_hist, json_object_get(rq, "hist"), why, sizeof(why)))
			return fail(l, "%s: %s", w, why);
	}
	return 0;
}

/* sched.json futex[].holders (optional): who owned the mutex as each wait began,
 * and (held_ns, owner_unknown: newer collectors) until when. */
static int load_holders(struct ld *l, const json_t *arr, const char *where, struct futex_acct *f)
{
	char w[128];

	if (!json_is_array(arr))
		return 0;
	f->holders_known = true;
	f->nholders = json_array_size(arr);
	f->holders = xcalloc(f->nholders ? f->nholders : 1, sizeof(*f->holders));
	for (size_t i = 0; i < f->nholders; i++) {
		const json_t *e = json_array_get(arr, i), *states;
		struct lock_holder *h = &f->holders[i];

		snprintf(w, sizeof(w), "%s.holders[%zu]", where, i);
		states = json_object_get(e, "owner_ns");
		if (req_int(l, json_object_get(e, "waiter"), "tid", w, &h->waiter_tid) ||
		    req_int(l, json_object_get(e, "owner"), "tid", w, &h->owner_tid) ||
		    req_u64(l, e, "waits", w, &h->waits) ||
		    req_u64(l, e, "blocked_ns", w, &h->blocked_ns))
			return -1;
		h->tenure = json_object_get(e, "held_ns") != NULL;
		if (h->tenure && (req_u64(l, e, "held_ns", w, &h->held_ns) ||
				  req_u64(l, e, "owner_unknown", w, &h->owner_unknown)))
			return -1;
		for (int st = 0; st < NR_STATES; st++) {
			const json_t *v = json_object_get(states, state_names[st]);

			if (json_is_integer(v) && json_integer_value(v) > 0)
				h->owner_ns[st] = (uint64_t)json_integer_value(v);
		}
	}
	return 0;
}

/* sched.json "futex": the futex words waited on, named where the collector could. */
static int load_futexes(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *arr = req_arr(l, j, "futex", "the file");
	char w[96];

	if (!arr)
		return -1;
	s->nfutex = json_array_size(arr);
	s->futex = xcalloc(s->nfutex, sizeof(*s->futex));
	for (size_t i = 0; i < s->nfutex; i++) {
		const json_t *e = json_array_get(arr, i),
			     *off = json_object_get(e, "symbol_offset");
		struct futex_acct *f = &s->futex[i];

		snprintf(w, sizeof(w), "futex[%zu]", i);
		if (req_int(l, e, "pid", w, &f->pid) ||
		    req_str(l, e, "addr", w, f->addr, sizeof(f->addr)) ||
		    req_u64(l, e, "count", w, &f->count) ||
		    req_u64(l, e, "total_ns", w, &f->total_ns) ||
		    req_u64(l, e, "max_ns", w, &f->max_ns))
			return -1;
		/* null when the word is in no symbol */
		if (json_is_integer(off) && json_integer_value(off) >= 0)
			f->symbol_offset = (uint64_t)json_integer_value(off);
		lower(f->addr);
		opt_name(json_object_get(e, "object"), f->object, sizeof(f->object));
		opt_name(json_object_get(e, "symbol"), f->symbol, sizeof(f->symbol));
		opt_name(json_object_get(e, "region"), f->region, sizeof(f->region));
		if (json_is_integer(json_object_get(e, "join_tid")))
			f->join_tid = (int)json_integer_value(json_object_get(e, "join_tid"));
		f->java_monitor = json_is_true(json_object_get(e, "java_monitor"));
		if (load_holders(l, json_object_get(e, "holders"), w, f))
			return -1;
	}
	return 0;
}

/* sched.json jvm (optional): the JVM found, its probes, the JVMs seen start. */
static int load_jvms(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *jvm = json_object_get(j, "jvm"), *e;
	size_t i;

	if (!json_is_object(jvm))
		return 0;
	s->jvm_found = true;
	s->jvm_probes = json_is_true(json_object_get(jvm, "monitor_probes"));
	opt_name(json_object_get(jvm, "why"), s->jvm_why, sizeof(s->jvm_why));
	json_array_foreach(json_object_get(jvm, "jvms"), i, e)
	{
		const json_t *pid = json_object_get(e, "pid"),
			     *tid = json_object_get(e, "created_by");
		struct sched_jvm *m = &s->jvms[s->njvms];

		if (!json_is_integer(pid))
			return fail(l, "jvm.jvms[%zu].pid is not an integer", i);
		if (s->njvms == sizeof(s->jvms) / sizeof(s->jvms[0]))
			break;
		m->pid = (int)json_integer_value(pid);
		m->creator_tid = json_is_integer(tid) ? (int)json_integer_value(tid) : 0;
		m->owner_read = json_is_true(json_object_get(e, "owner_read"));
		opt_name(json_object_get(e, "why"), m->why, sizeof(m->why));
		s->njvms++;
	}
	return 0;
}

/* The top of sched.json: the command, its window, whether it was cut short. */
static int load_sched_head(struct ld *l, const json_t *j, struct sched_acct *s)
{
	if (check_schema(l, j) || req_int(l, j, "pid", "the file", &s->pid) ||
	    req_int(l, j, "exit_status", "the file", &s->exit_status) ||
	    req_int(l, j, "cpus", "the file", &s->cpus) ||
	    req_bool(l, j, "partial", "the file", &s->partial) ||
	    req_u64(l, j, "start_ns", "the file", &s->start_ns) ||
	    req_u64(l, j, "end_ns", "the file", &s->end_ns))
		return -1;
	if (s->end_ns < s->start_ns)
		return fail(l, "end_ns is before start_ns");
	s->syscalls_traced = true; /* files from before the option counted them always */
	if (json_object_get(j, "syscalls_traced") &&
	    req_bool(l, j, "syscalls_traced", "the file", &s->syscalls_traced))
		return -1;
	return 0;
}

/* sched.json "tcp" (optional): each traced process's listens and connects by port. */
static int load_tcp(struct ld *l, const json_t *j, struct sched_acct *s)
{
	const json_t *arr = json_object_get(j, "tcp");
	char w[64];

	if (!json_is_array(arr))
		return 0;
	s->ntcp = json_array_size(arr);
	s->tcp = xcalloc(s->ntcp ? s->ntcp : 1, sizeof(*s->tcp));
	for (size_t i = 0; i < s->ntcp; i++) {
		const json_t *e = json_array_get(arr, i);
		struct tcp_end *t = &s->tcp[i];
		uint64_t port;

		snprintf(w, sizeof(w), "tcp[%zu]", i);
		if (req_int(l, e, "pid", w, &t->pid) || req_u64(l, e, "port", w, &port) ||
		    req_u64(l, e, "listens", w, &t->listens) ||
		    req_u64(l, e, "connects", w, &t->connects) ||
		    req_u64(l, e, "established", w, &t->established))
			return -1;
		t->port = (unsigned)port;
	}
	return 0;
}

static int load_sched(struct ld *l, struct sched_acct *s, const char *path)
{
	json_t *j = load_json(l, path);
	char why[160];
	int rc = -1;

	if (!j)
		return -1;
	if (load_sched_head(l, j, s) || load_lost(l, j, s) || load_before(l, j, s) ||
	    load_threads(l, j, s) || load_processes(l, j, s) || load_futexes(l, j, s) ||
	    load_tcp(l, j, s) || load_jvms(l, j, s))
		goto out;
	if (wakes_load(s, j, why, sizeof(why))) {
		fail(l, "%s: %s", path, why);
		goto out;
	}
	if (sched_host_load(s, j, why, sizeof(why))) {
		fail(l, "%s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

/* One demo.json threads[] entry: the thread's own accounting of itself. */
static int load_demo_thread(struct ld *l, const json_t *e, const char *w, struct demo_thread *t)
{
	const json_t *ss, *ru;

	if (!json_is_object(e))
		return fail(l, "%s is not an object", w);
	if (req_int(l, e, "tid", w, &t->tid) || req_int(l, e, "pid", w, &t->pid) ||
	    req_str(l, e, "name", w, t->name, sizeof(t->name)) ||
	    req_u64(l, e, "start_ns", w, &t->start_ns) || req_u64(l, e, "end_ns", w, &t->end_ns) ||
	    req_u64(l, e, "tasks", w, &t->tasks) || req_bool(l, e, "ended", w, &t->ended))
		return -1;
	ss = req_obj(l, e, "schedstat", w);
	ru = ss ? req_obj(l, e, "rusage", w) : NULL;
	if (!ru || req_u64(l, ss, "run_ns", "schedstat", &t->run_ns) ||
	    req_u64(l, ss, "wait_ns", "schedstat", &t->wait_ns) ||
	    req_u64(l, ss, "timeslices", "schedstat", &t->timeslices) ||
	    req_u64(l, ru, "nvcsw", "rusage", &t->nvcsw) ||
	    req_u64(l, ru, "nivcsw", "rusage", &t->nivcsw))
		return -1;
	/* optional: the thread's page faults (demos built since 07) */
	if (json_object_get(ru, "minflt")) {
		if (req_u64(l, ru, "minflt", "rusage", &t->minflt) ||
		    req_u64(l, ru, "majflt", "rusage", &t->majflt))
			return -1;
		t->has_faults = true;
	}
	if (json_object_get(e, "lock_wait_ns")) {
		if (req_u64(l, e, "lock_wait_ns", w, &t->lock_wait_ns) ||
		    req_u64(l, e, "lock_acquires", w, &t->lock_acquires))
			return -1;
		t->has_lock = true;
	}
	return 0;
}

/* demo.json "locks" (optional): the demo's names for its futex words. */
static int load_demo_locks(struct ld *l, struct demo_result *d)
{
	const json_t *arr = json_object_get(d->root, "locks");
	char w[96];

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return fail(l, "\"locks\" is not an array");
	d->nlocks = json_array_size(arr);
	d->locks = xcalloc(d->nlocks, sizeof(*d->locks));
	for (size_t i = 0; i < d->nlocks; i++) {
		const json_t *e = json_array_get(arr, i), *obj = json_object_get(e, "object");
		struct demo_lock *k = &d->locks[i];

		snprintf(w, sizeof(w), "locks[%zu]", i);
		if (req_str(l, e, "name", w, k->name, sizeof(k->name)) ||
		    req_str(l, e, "addr", w, k->addr, sizeof(k->addr)) ||
		    req_int(l, e, "pid", w, &k->pid))
			return -1;
		lower(k->addr);
		if (json_is_string(obj))
			k->object = strtoull(json_string_value(obj), NULL, 16);
	}
	return 0;
}

static int load_demo(struct ld *l, struct demo_result *d, const char *path)
{
	const json_t *arr;
	char w[96];

	d->root = load_json(l, path);
	if (!d->root)
		return -1;
	if (check_schema(l, d->root) ||
	    req_str(l, d->root, "demo", "the file", d->demo, sizeof(d->demo)) ||
	    req_str(l, d->root, "variant", "the file", d->variant, sizeof(d->variant)) ||
	    req_int(l, d->root, "cpus", "the file", &d->cpus) ||
	    req_int(l, d->root, "pid", "the file", &d->pid) ||
	    req_u64(l, d->root, "start_ns", "the file", &d->start_ns) ||
	    req_u64(l, d->root, "end_ns", "the file", &d->end_ns))
		return -1;
	if (!json_is_number(json_object_get(d->root, "wall_s")))
		return fail(l, "the file has no number \"wall_s\"");
	d->wall_s = json_number_value(json_object_get(d->root, "wall_s"));
	if (d->wall_s <= 0)
		return fail(l, "\"wall_s\" is %g: a run takes some time", d->wall_s);
	d->params = req_obj(l, d->root, "params", "the file");
	if (!d->params)
		return -1;
	arr = req_arr(l, d->root, "threads", "the file");
	if (!arr)
		return -1;
	d->nthreads = json_array_size(arr);
	d->threads = xcalloc(d->nthreads, sizeof(*d->threads));
	for (size_t i = 0; i < d->nthreads; i++) {
		snprintf(w, sizeof(w), "threads[%zu]", i);
		if (load_demo_thread(l, json_array_get(arr, i), w, &d->threads[i]))
			return -1;
	}
	return load_demo_locks(l, d);
}

/* An optional input: absent is fine (the report says so), present but
 * unreadable is reported as a note in the report, never fatal. */
static void load_optional(struct run *r, const char *rel, char *note, size_t notelen,
			  struct run_set *rs)
{
	char path[PATH_MAX * 2], why[200] = "";
	FILE *f;

	(void)rs;
	note[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", r->path, rel);
	if (!is_file(path))
		return;
	f = fopen(path, "r");
	if (!f) {
		snprintf(note, notelen, "%s/%s: cannot open: %s", r->dir, rel, strerror(errno));
		return;
	}
	if (!strcmp(rel, "perf-stat.json")) {
		if (perf_stat_parse(f, &r->pstat, why, sizeof(why)))
			snprintf(note, notelen, "%s/%s: unreadable, ignored: %s", r->dir, rel, why);
	} else if (!strcmp(rel, "perf-sched-timehist.txt")) {
		if (timehist_parse(f, &r->timehist, why, sizeof(why)))
			snprintf(note, notelen, "%s/%s: unreadable, ignored: %s", r->dir, rel, why);
	}
	fclose(f);
}

static void group_variants(struct run_set *rs)
{
	size_t i, j;

	rs->variants = xcalloc(rs->nruns, sizeof(*rs->variants));
	for (i = 0; i < rs->nruns; i++) {
		struct run *r = &rs->runs[i];
		struct variant *v = NULL;

		for (j = 0; j < rs->nvariants; j++)
			if (!strcmp(rs->variants[j].name, r->variant))
				v = &rs->variants[j];
		if (!v) {
			v = &rs->variants[rs->nvariants++];
			snprintf(v->name, sizeof(v->name), "%s", r->variant);
			v->runs = xcalloc(rs->nruns, sizeof(*v->runs));
		}
		v->runs[v->nruns++] = r;
	}
}

/* A run's dir must stay inside the run folder: it names a subdirectory,
 * never a path. */
static bool safe_dir(const char *d)
{
	if (!*d || !strcmp(d, ".") || !strcmp(d, ".."))
		return false;
	for (; *d; d++)
		if (*d == '/' || (unsigned char)*d < 0x20)
			return false;
	return true;
}

/* meta.json "kind": a demo by name, or a command by its argv. */
static int load_kind(struct run_set *rs, struct ld *l, const char *kind)
{
	const json_t *argv;
	size_t i, n = 0;

	if (!strcmp(kind, "demo")) {
		rs->is_demo = true;
		return req_str(l, rs->meta, "demo", "the file", rs->demo, sizeof(rs->demo));
	}
	if (strcmp(kind, "command"))
		return fail(l, "\"kind\" is \"%s\": expected \"demo\" or \"command\"", kind);
	argv = req_arr(l, rs->meta, "command", "the file");
	if (!argv)
		return -1;
	if (!json_array_size(argv))
		return fail(l, "\"command\" is empty");
	for (i = 0; i < json_array_size(argv); i++) {
		const json_t *a = json_array_get(argv, i);

		if (!json_is_string(a))
			return fail(l, "command[%zu] is not a string", i);
		n += (size_t)snprintf(rs->command + n,
				      n < sizeof(rs->command) ? sizeof(rs->command) - n : 0, "%s%s",
				      i ? " " : "", json_string_value(a));
		if (n >= sizeof(rs->command))
			n = sizeof(rs->command) - 1;
	}
	return 0;
}

/* meta.json "host", and the optional strings and notes beside it. */
static int load_host(struct run_set *rs, struct ld *l)
{
	const json_t *host = req_obj(l, rs->meta, "host", "the file"), *x;

	if (!host || req_int(l, host, "cpus", "host", &rs->cpus) ||
	    req_str(l, host, "cpu_model", "host", rs->cpu_model, sizeof(rs->cpu_model)) ||
	    req_str(l, host, "kernel", "host", rs->kernel, sizeof(rs->kernel)) ||
	    req_str(l, host, "hostname", "host", rs->hostname, sizeof(rs->hostname)))
		return -1;
	if (rs->cpus < 1)
		return fail(l, "host.cpus is %d", rs->cpus);
	x = json_object_get(rs->meta, "tools");
	rs->tools = json_is_object(x) ? x : NULL;
	x = json_object_get(rs->meta, "pinned_cpus");
	if (json_is_string(x))
		snprintf(rs->pinned_cpus, sizeof(rs->pinned_cpus), "%s", json_string_value(x));
	x = json_object_get(rs->meta, "trace_command");
	if (json_is_string(x))
		snprintf(rs->trace_command, sizeof(rs->trace_command), "%s", json_string_value(x));
	x = json_object_get(rs->meta, "summary");
	if (json_is_string(x))
		snprintf(rs->summary, sizeof(rs->summary), "%s", json_string_value(x));
	x = json_object_get(rs->meta, "notes");
	if (json_is_array(x)) {
		rs->notes = xcalloc(json_array_size(x), sizeof(*rs->notes));
		for (size_t i = 0; i < json_array_size(x); i++)
			if (json_is_string(json_array_get(x, i)))
				rs->notes[rs->nnotes++] = json_string_value(json_array_get(x, i));
	}
	return 0;
}

/* meta.json runs[i]: a variant's repeat and the folder it is in. */
static int load_meta_run(struct run_set *rs, struct ld *l, const json_t *e, size_t i)
{
	struct run *r = &rs->runs[i];
	const json_t *x;
	char w[32];

	snprintf(w, sizeof(w), "runs[%zu]", i);
	if (!json_is_object(e))
		return fail(l, "%s is not an object", w);
	if (req_str(l, e, "variant", w, r->variant, sizeof(r->variant)) ||
	    req_int(l, e, "repeat", w, &r->repeat) ||
	    req_str(l, e, "dir", w, r->dir, sizeof(r->dir)) ||
	    req_int(l, e, "exit_status", w, &r->exit_status) ||
	    req_bool(l, e, "partial", w, &r->partial))
		return -1;
	if (!safe_dir(r->dir))
		return fail(l, "%s: \"dir\" must name a folder inside the run folder", w);
	x = json_object_get(e, "host_stolen_ns");
	r->host_stolen_ns =
	    json_is_integer(x) && json_integer_value(x) >= 0 ? (double)json_integer_value(x) : -1;
	x = json_object_get(e, "commands");
	r->commands = json_is_object(x) ? x : NULL;
	snprintf(r->path, sizeof(r->path), "%s/%s", rs->dir, r->dir);
	return 0;
}

static int load_meta(struct run_set *rs, struct ld *l)
{
	char kind[32], path[PATH_MAX + 16];
	const json_t *runs;

	snprintf(path, sizeof(path), "%s/meta.json", rs->dir);
	rs->meta = load_json(l, path);
	if (!rs->meta || check_schema(l, rs->meta) ||
	    req_str(l, rs->meta, "kind", "the file", kind, sizeof(kind)) ||
	    req_str(l, rs->meta, "stamp", "the file", rs->stamp, sizeof(rs->stamp)) ||
	    req_bool(l, rs->meta, "partial", "the file", &rs->partial) ||
	    req_bool(l, rs->meta, "quick", "the file", &rs->quick) || load_kind(rs, l, kind) ||
	    load_host(rs, l))
		return -1;
	runs = req_arr(l, rs->meta, "runs", "the file");
	if (!runs)
		return -1;
	if (!json_array_size(runs))
		return fail(l, "\"runs\" is empty: nothing to report");
	rs->nruns = json_array_size(runs);
	rs->runs = xcalloc(rs->nruns, sizeof(*rs->runs));
	for (size_t i = 0; i < rs->nruns; i++)
		if (load_meta_run(rs, l, json_array_get(runs, i), i))
			return -1;
	return 0;
}

static void note_add(struct run_set *rs, json_t *extra, const char *msg)
{
	json_t *s = json_string(msg);

	if (!s || json_array_append_new(extra, s)) {
		fprintf(stderr, "report: json_array_append_new: out of memory\n");
		abort();
	}
	(void)rs;
}

/* A run's demo.json, checked against meta.json; a partial run may lack it,
 * and a note says so. */
static int load_run_demo(struct run_set *rs, const char *dir, struct ld *l, struct run *r)
{
	char path[PATH_MAX * 2], note[PATH_MAX * 3];

	if (!rs->is_demo)
		return 0;
	snprintf(path, sizeof(path), "%s/demo.json", r->path);
	if (r->partial && !is_file(path)) {
		/* Interrupted before the demo could write its result: the
		 * collector's account stands alone, and the report says so. */
		snprintf(note, sizeof(note),
			 "%s: no demo.json (the demo was stopped before it wrote its "
			 "result): wall is the tracing window, no kernel self-accounting",
			 r->dir);
		note_add(rs, rs->load_notes, note);
		return 0;
	}
	r->demo = xcalloc(1, sizeof(*r->demo));
	snprintf(l->file, sizeof(l->file), "%s/%s/demo.json", dir, r->dir);
	if (load_demo(l, r->demo, path))
		return -1;
	if (strcmp(r->demo->demo, rs->demo))
		return fail(l, "is demo \"%s\" but meta.json says \"%s\"", r->demo->demo, rs->demo);
	if (strcmp(r->demo->variant, r->variant))
		return fail(l, "is variant \"%s\" but meta.json says \"%s\"", r->demo->variant,
			    r->variant);
	return 0;
}

/* The optional files of a run: a broken one is a note, never an error. */
static void load_run_optional(struct run_set *rs, struct run *r)
{
	char path[PATH_MAX * 2], note[PATH_MAX * 3];

	load_optional(r, "perf-stat.json", note, sizeof(note), rs);
	if (*note)
		note_add(rs, rs->load_notes, note);
	snprintf(path, sizeof(path), "%s/perf-sched-demo.json", r->path);
	if (rs->is_demo && is_file(path)) {
		struct ld pl = {.err = note, .errlen = sizeof(note)};

		snprintf(pl.file, sizeof(pl.file), "%s/perf-sched-demo.json", r->dir);
		r->perf_demo = xcalloc(1, sizeof(*r->perf_demo));
		if (load_demo(&pl, r->perf_demo, path)) {
			note_add(rs, rs->load_notes, note);
			free_demo(r->perf_demo);
			r->perf_demo = NULL;
		}
	}
	load_optional(r, "perf-sched-timehist.txt", note, sizeof(note), rs);
	if (*note)
		note_add(rs, rs->load_notes, note);
	snprintf(path, sizeof(path), "%s/timeline.json", r->path);
	r->has_timeline = is_file(path);
	snprintf(path, sizeof(path), "%s/offcpu.folded", r->path);
	r->has_folded = is_file(path);
	snprintf(path, sizeof(path), "%s/perf-sched-latency.txt", r->path);
	r->has_sched_latency = is_file(path);
	snprintf(path, sizeof(path), "%s/perf-trace-summary.txt", r->path);
	r->has_trace_summary = is_file(path);
}

static int load_all(struct run_set *rs, const char *dir, char *err, size_t errlen)
{
	struct ld l = {.err = err, .errlen = errlen};
	char path[PATH_MAX * 2];
	size_t i, j;

	memset(rs, 0, sizeof(*rs));
	snprintf(rs->dir, sizeof(rs->dir), "%s", dir);
	snprintf(l.file, sizeof(l.file), "%s/meta.json", dir);
	if (load_meta(rs, &l))
		return -1;
	rs->load_notes = json_array();
	if (!rs->load_notes) {
		fprintf(stderr, "report: json_array: out of memory\n");
		abort();
	}
	for (i = 0; i < rs->nruns; i++) {
		struct run *r = &rs->runs[i];

		snprintf(l.file, sizeof(l.file), "%s/%s/sched.json", dir, r->dir);
		snprintf(path, sizeof(path), "%s/sched.json", r->path);
		if (load_sched(&l, &r->sched, path))
			return -1;
		if (r->sched.partial)
			r->partial = true;
		if (load_run_demo(rs, dir, &l, r))
			return -1;
		load_run_optional(rs, r);
		for (j = 0; j < i; j++)
			if (!strcmp(rs->runs[j].dir, r->dir)) {
				snprintf(l.file, sizeof(l.file), "%s/meta.json", dir);
				return fail(&l, "runs[%zu] and runs[%zu] share the folder \"%s\"",
					    j, i, r->dir);
			}
	}
	group_variants(rs);
	return 0;
}

int run_set_load(struct run_set *rs, const char *dir, char *err, size_t errlen)
{
	if (load_all(rs, dir, err, errlen)) {
		run_set_free(rs); /* what was loaded before the error */
		return -1;
	}
	return 0;
}

static void free_sched(struct sched_acct *s)
{
	size_t i, j;

	for (i = 0; i < s->nthreads; i++) {
		for (j = 0; j < s->threads[i].nsyscalls; j++)
			hist_free(&s->threads[i].syscalls[j].hist);
		free(s->threads[i].syscalls);
	}
	free(s->threads);
	for (i = 0; i < s->nprocs; i++)
		hist_free(&s->procs[i].runq_hist);
	free(s->procs);
	for (i = 0; i < s->nfutex; i++)
		free(s->futex[i].holders);
	free(s->futex);
	free(s->tcp);
	wakes_free(s);
	sched_host_free(s);
}

static void free_demo(struct demo_result *d)
{
	if (!d)
		return;
	json_decref(d->root);
	free(d->threads);
	free(d->locks);
	free(d);
}

void run_set_free(struct run_set *rs)
{
	size_t i;

	for (i = 0; i < rs->nruns; i++) {
		struct run *r = &rs->runs[i];

		free_sched(&r->sched);
		free_demo(r->demo);
		free_demo(r->perf_demo);
		perf_stat_free(&r->pstat);
		timehist_free(&r->timehist);
		hist_free(&r->runq);
	}
	free(rs->runs);
	for (i = 0; i < rs->nvariants; i++)
		free(rs->variants[i].runs);
	free(rs->variants);
	free(rs->notes);
	json_decref(rs->meta);
	json_decref(rs->load_notes);
	memset(rs, 0, sizeof(*rs));
}

const struct variant *run_set_variant(const struct run_set *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nvariants; i++)
		if (!strcmp(rs->variants[i].name, name))
			return &rs->variants[i];
	return NULL;
}

const struct sched_thread *sched_find_tid(const struct sched_acct *s, int tid)
{
	size_t i;

	for (i = 0; i < s->nthreads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

const struct demo_thread *demo_find_tid(const struct demo_result *d, int tid)
{
	size_t i;

	for (i = 0; d && i < d->nthreads; i++)
		if (d->threads[i].tid == tid)
			return &d->threads[i];
	return NULL;
}

/* The largest pthread object (a condition variable, 48 bytes on x86-64 and
 * arm64 glibc); a word further from every object's start is not one of them. */
#define PTHREAD_OBJECT_MAX 48

const char *demo_lock_name(const struct demo_result *d, int pid, const char *addr)
{
	unsigned long long a = strtoull(addr, NULL, 16), best_obj = 0;
	const char *best = NULL;
	size_t i;

	for (i = 0; d && i < d->nlocks; i++)
		if (d->locks[i].pid == pid && !strcasecmp(d->locks[i].addr, addr))
			return d->locks[i].name;
	for (i = 0; d && i < d->nlocks; i++) {
		unsigned long long o = d->locks[i].object;

		if (d->locks[i].pid == pid && o && a >= o && a < o + PTHREAD_OBJECT_MAX &&
		    o >= best_obj) {
			best_obj = o;
			best = d->locks[i].name;
		}
	}
	return best;
}

double demo_param(const struct demo_result *d, const char *key, double dflt)
{
	const json_t *x;

	if (!d || !d->params)
		return dflt;
	x = json_object_get(d->params, key);
	if (json_is_number(x))
		return json_number_value(x);
	if (json_is_boolean(x))
		return json_is_true(x);
	return dflt;
}

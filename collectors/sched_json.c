// SPDX-License-Identifier: GPL-2.0
/*
 * Writes sched.json from a snapshot of the maps (sched_snapshot.h) with
 * jansson: a plain writer, no BPF call, so it is tested without root
 * (tests/unit/test_sched_json.c). The snapshot has closed every account, so
 * each thread's states sum to its lifetime.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hist.h"
#include "schedtrace.h"
#include "causes.h"
#include "other_work.h"
#include "sched_json.h"
#include "syscall_names.h"

/* jansson integers are signed 64-bit; our counters never get near 2^63. */
#define JINT(v) json_integer((json_int_t)(v))

static int set_new(json_t *obj, const char *key, json_t *val)
{
	if (!val || json_object_set_new(obj, key, val)) {
		fprintf(stderr, "schedtrace: json_object_set_new(%s) failed\n", key);
		return -1;
	}
	return 0;
}

static json_t *hist_json(const __u64 *slots, unsigned int n, bool log2_only)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; i < n; i++) {
		uint64_t lo, hi;
		json_t *b;

		if (!slots[i])
			continue;
		if (log2_only) {
			lo = i ? 1ULL << i : 0;
			hi = 1ULL << (i + 1);
		} else {
			lo = hist_slot_lo(i);
			hi = hist_slot_hi(i);
		}
		b = json_pack("{s:I,s:I,s:I}", "lo_ns", (json_int_t)lo, "hi_ns", (json_int_t)hi,
			      "count", (json_int_t)slots[i]);
		json_array_append_new(arr, b);
	}
	return arr;
}

/* Run-queue latency of one process: its threads' histograms added up. */
struct proc_runq {
	uint32_t pid;
	const char *comm;
	size_t comm_len;
	uint64_t count, sum_ns, max_ns;
	__u64 slots[HIST_SLOTS];
};

/* The q-quantile of a process's run-queue waits: lib/hist.c's, the one the
 * report computes too, over the buckets sched.json lists; the open top slot
 * ends at the longest wait seen. Rounded down to whole ns. */
static uint64_t runq_quantile(const struct proc_runq *h, double q)
{
	struct hist_bucket b[HIST_SLOTS];
	struct hist hist = {.b = b};

	for (unsigned int i = 0; i < HIST_SLOTS; i++) {
		uint64_t lo = hist_slot_lo(i);

		if (!h->slots[i])
			continue;
		b[hist.n++] = (struct hist_bucket){
		    .lo_ns = lo,
		    .hi_ns = i + 1 < HIST_SLOTS ? hist_slot_hi(i)
						: (h->max_ns > lo ? h->max_ns : lo + 1),
		    .count = h->slots[i]};
	}
	return (uint64_t)hist_quantile_max(&hist, q, (double)h->max_ns);
}

static json_t *runq_json(const struct proc_runq *h)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "count", (json_int_t)h->count, "sum_ns",
			      (json_int_t)h->sum_ns, "max_ns", (json_int_t)h->max_ns, "p50_ns",
			      (json_int_t)runq_quantile(h, 0.50), "p90_ns",
			      (json_int_t)runq_quantile(h, 0.90), "p99_ns",
			      (json_int_t)runq_quantile(h, 0.99));

	set_new(o, "hist", hist_json(h->slots, HIST_SLOTS, false));
	return o;
}

/* Per-slice means, rounded toward zero; 0 without slices. */
static json_t *per_slice(int64_t sum, uint64_t n)
{
	return JINT(n ? sum / (int64_t)n : 0);
}

static json_t *top_waker_json(const struct st_thread *t)
{
	const struct st_waker_slot *top = NULL;

	for (int i = 0; i < TOP_WAKERS; i++)
		if (t->wakers[i].count && (!top || t->wakers[i].count > top->count))
			top = &t->wakers[i];
	if (!top)
		return NULL;
	return json_pack("{s:I,s:s%,s:I,s:b}", "tid", (json_int_t)top->tid, "comm", top->comm,
			 strnlen(top->comm, sizeof(top->comm)), "count", (json_int_t)top->count,
			 "exact", !t->waker_evictions);
}

/*
 * The two cuts of the same completed slices (docs/collector.md, "The two
 * cuts"): the collector's, at the tracepoints, and the scheduler's own, by
 * its counters read at each switch. Their difference per slice, and where
 * it comes from: slices that began with a wakeup, slices ended by a
 * preemption, and the arrival lags.
 */
static json_t *clock_json(const struct st_thread *t)
{
	uint64_t slices = t->woken_slices + t->preempted_slices;
	int64_t run_dev = (int64_t)t->sched_running_ns - (int64_t)t->slice_running_ns;
	int64_t sum_dev = (int64_t)(t->sched_running_ns + t->sched_runnable_ns) -
			  (int64_t)(t->slice_running_ns + t->slice_runnable_ns);
	json_t *c = json_object();

	set_new(c, "slices", JINT(slices));
	set_new(c, "bpf_running_ns", JINT(t->slice_running_ns));
	set_new(c, "sched_running_ns", JINT(t->sched_running_ns));
	set_new(c, "bpf_runnable_ns", JINT(t->slice_runnable_ns));
	set_new(c, "sched_runnable_ns", JINT(t->sched_runnable_ns));
	set_new(c, "deviation_per_slice_ns", per_slice(run_dev, slices));
	set_new(c, "sum_deviation_per_slice_ns", per_slice(sum_dev, slices));
	set_new(c, "woken_slices", JINT(t->woken_slices));
	set_new(c, "preempted_slices", JINT(t->preempted_slices));
	set_new(c, "woken_deviation_ns", per_slice(t->dev_woken_sum, t->woken_slices));
	set_new(c, "preempted_end_deviation_ns", per_slice(t->dev_preempted_sum, t->nivcsw));
	/* Means; the clocks' common offset cancels in their difference. */
	if (t->woken_slices) {
		set_new(c, "arrival_lag_woken_ns", per_slice(t->lag_woken_sum, t->woken_slices));
		set_new(c, "wait_woken_ns", JINT(t->woken_wait_sum / t->woken_slices));
	}
	if (t->preempted_slices)
		set_new(c, "arrival_lag_preempted_ns",
			per_slice(t->lag_preempted_sum, t->preempted_slices));
	if (t->wake_lags) {
		set_new(c, "wake_lag_ns", per_slice(t->wake_lag_sum, t->wake_lags));
		set_new(c, "wake_lags", JINT(t->wake_lags));
	}
	return c;
}

static json_t *thread_json(uint32_t tid, const struct st_thread *t)
{
	json_t *o = json_object(), *w;

	set_new(o, "tid", JINT(tid));
	set_new(o, "pid", JINT(t->pid));
	set_new(o, "comm", json_stringn(t->comm, strnlen(t->comm, sizeof(t->comm))));
	set_new(o, "first_ns", JINT(t->first_ns));
	set_new(o, "last_ns", JINT(t->last_ns));
	set_new(o, "lifetime_ns", JINT(t->last_ns - t->first_ns));
	set_new(o, "exit_ns", t->exit_ns ? JINT(t->exit_ns) : json_null());
	for (int s = 0; s < NR_STATES; s++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_ns", state_names[s]);
		set_new(o, key, JINT(t->state_total_ns[s]));
	}
	set_new(o, "sched_running_ns", JINT(t->sched_running_ns));
	set_new(o, "sched_runnable_ns", JINT(t->sched_runnable_ns));
	set_new(o, "irq_steal_ns", JINT(t->irq_steal_ns));
	set_new(o, "queued_asleep_ns", JINT(t->queued_asleep_ns));
	set_new(o, "nvcsw", JINT(t->nvcsw));
	set_new(o, "nivcsw", JINT(t->nivcsw));
	set_new(o, "exit_switches", JINT(t->exit_switches));
	set_new(o, "timeslices", JINT(t->timeslices));
	set_new(o, "migrations", JINT(t->migrations));
	set_new(o, "wakeups", JINT(t->wakeups));
	set_new(o, "runnable_asleep_ns", JINT(t->runnable_asleep_ns));
	set_new(o, "exited", json_boolean(t->ended || t->exit_ns));
	set_new(o, "ended_at_switch", json_boolean(t->ended && t->last_ns != t->exit_ns));
	w = top_waker_json(t);
	if (w)
		set_new(o, "top_waker", w);
	if (t->ended || t->exit_ns)
		set_new(o, "kernel",
			json_pack("{s:I,s:I,s:I,s:I,s:I}", "sum_exec_runtime_ns",
				  (json_int_t)t->kernel.sum_exec_runtime_ns, "run_delay_ns",
				  (json_int_t)t->kernel.run_delay_ns, "pcount",
				  (json_int_t)t->kernel.pcount, "nvcsw",
				  (json_int_t)t->kernel.nvcsw, "nivcsw",
				  (json_int_t)t->kernel.nivcsw));
	if (t->ended || t->exit_ns) {
		set_new(o, "minflt", JINT(t->kernel.min_flt));
		set_new(o, "majflt", JINT(t->kernel.maj_flt));
	}
	if (t->nvcsw + t->nivcsw)
		set_new(o, "clock", clock_json(t));
	set_new(o, "syscalls", json_array());
	return o;
}

static json_t *syscall_json(const struct snap_syscall *e)
{
	const char *name = syscall_name(e->key.nr);
	char buf[32];
	json_t *o;

	if (!name) {
		snprintf(buf, sizeof(buf), "syscall_%u", e->key.nr);
		name = buf;
	}
	o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "name", name, "nr", (json_int_t)e->key.nr,
		      "count", (json_int_t)e->s.count, "errors", (json_int_t)e->s.errors,
		      "total_ns", (json_int_t)e->s.total_ns, "max_ns", (json_int_t)e->s.max_ns);
	set_new(o, "hist", hist_json(e->s.slots, SYS_SLOTS, true));
	return o;
}

static int cmp_syscall_total(const void *a, const void *b)
{
	const struct snap_syscall *x = *(const struct snap_syscall *const *)a;
	const struct snap_syscall *y = *(const struct snap_syscall *const *)b;

	return x->s.total_ns > y->s.total_ns ? -1 : x->s.total_ns < y->s.total_ns;
}

/* A thread's syscalls, the longest total first. */
static int thread_syscalls(json_t *arr, const struct sched_snapshot *s, uint32_t tid)
{
	const struct snap_syscall **v;
	size_t n = 0;

	for (size_t i = 0; i < s->nsyscalls; i++)
		n += s->syscalls[i].key.tid == tid;
	if (!n)
		return 0;
	v = calloc(n, sizeof(*v));
	if (!v)
		return -1;
	n = 0;
	for (size_t i = 0; i < s->nsyscalls; i++)
		if (s->syscalls[i].key.tid == tid)
			v[n++] = &s->syscalls[i];
	qsort(v, n, sizeof(*v), cmp_syscall_total);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, syscall_json(v[i]));
	free(v);
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	uint32_t x = ((const struct proc_runq *)a)->pid, y = ((const struct proc_runq *)b)->pid;

	return x < y ? -1 : x > y;
}

/* Run-queue latency per process, from its threads' own histograms. */
static json_t *processes_json(const struct sched_snapshot *s)
{
	struct proc_runq *p = calloc(s->nthreads ? s->nthreads : 1, sizeof(*p));
	json_t *arr = json_array();
	size_t n = 0;

	if (!p)
		return NULL;
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct st_thread *t = &s->threads[i].t;
		struct proc_runq *h = NULL;

		for (size_t j = 0; j < n && !h; j++)
			if (p[j].pid == t->pid)
				h = &p[j];
		if (!h) {
			h = &p[n++];
			h->pid = t->pid;
		}
		/* The process's name: its main thread's (the thread whose tid is the pid). */
		if (s->threads[i].tid == t->pid || !h->comm) {
			h->comm = t->comm;
			h->comm_len = strnlen(t->comm, sizeof(t->comm));
		}
		h->count += t->runq.count;
		h->sum_ns += t->runq.sum_ns;
		if (t->runq.max_ns > h->max_ns)
			h->max_ns = t->runq.max_ns;
		for (int k = 0; k < HIST_SLOTS; k++)
			h->slots[k] += t->runq.slots[k];
	}
	qsort(p, n, sizeof(*p), cmp_pid);
	for (size_t j = 0; j < n; j++)
		if (p[j].count)
			json_array_append_new(
			    arr, json_pack("{s:I,s:s%,s:o}", "pid", (json_int_t)p[j].pid, "comm",
					   p[j].comm, p[j].comm_len, "runq", runq_json(&p[j])));
	free(p);
	return arr;
}

static json_t *futexes_json(const struct sched_snapshot *s)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < s->nfutexes; i++) {
		const struct snap_futex *e = &s->futexes[i];
		char addr[32];

		json_t *o;

		snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)e->key.uaddr);
		o = json_pack("{s:I,s:s,s:I,s:I,s:I}", "pid", (json_int_t)e->key.pid, "addr", addr,
			      "count", (json_int_t)e->f.count, "total_ns",
			      (json_int_t)e->f.total_ns, "max_ns", (json_int_t)e->f.max_ns);
		/* The address is a Java monitor's, its waits those to enter it (jvm.h). */
		if (o && (e->f.flags & FW_MONITOR))
			json_object_set_new(o, "java_monitor", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

/* The command's first thread, if the snapshot has it. */
static const struct st_thread *root_thread(const struct sched_snapshot *s,
					   const struct run_info *run)
{
	const struct snap_thread *t = snapshot_thread(s, (uint32_t)run->pid);

	return t ? &t->t : NULL;
}

uint64_t run_window_end(uint64_t exit_ns, uint64_t attach_ns, uint64_t stop_ns, const char **from)
{
	if (exit_ns && exit_ns > attach_ns) {
		*from = "exit";
		return exit_ns;
	}
	*from = "collector";
	return stop_ns;
}

static json_t *run_json(json_t *root, const struct sched_snapshot *s, const struct run_info *run,
			uint64_t window_ns)
{
	const struct st_thread *rt = root_thread(s, run);
	json_t *argv = json_array(), *progs = json_array();

	for (char *const *a = run->argv; *a; a++)
		json_array_append_new(argv, json_string(*a));
	set_new(root, "schema", JINT(1));
	set_new(root, "tool", json_string("schedtrace"));
	set_new(root, "command", argv);
	set_new(root, "pid", JINT(run->pid));
	set_new(root, "uid", JINT(run->uid));
	set_new(root, "gid", JINT(run->gid));
	set_new(root, "exit_status", JINT(run->exit_status));
	set_new(root, "partial", json_boolean(run->partial));
	/* The command's window opens at its exec (causes.h); the probes attached before. */
	set_new(root, "start_ns", JINT(window_ns ? window_ns : run->start_ns));
	set_new(root, "attach_ns", JINT(run->start_ns));
	set_new(root, "end_ns", JINT(run->end_ns));
	set_new(root, "end_from", json_string(run->end_from ? run->end_from : "collector"));
	set_new(root, "cpus", JINT(run->cpus));
	set_new(root, "attach", json_string(run->attach_mode));
	set_new(root, "syscalls_traced", json_boolean(run->syscalls_traced));
	set_new(root, "steal_ns", JINT(run->steal_ns));
	for (int i = 0; i < run->nprogs; i++)
		json_array_append_new(progs, json_pack("{s:s,s:I,s:I}", "name", run->progs[i].name,
						       "run_cnt", (json_int_t)run->progs[i].run_cnt,
						       "run_time_ns",
						       (json_int_t)run->progs[i].run_time_ns));
	set_new(root, "programs", progs);
	set_new(root, "collector_peak_rss_kib", JINT(run->peak_rss_kib));
	if (window_ns && rt && rt->window_ns)
		set_new(root, "before",
			json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "tid", (json_int_t)run->pid,
				  "run_ns", (json_int_t)rt->at_exec.sum_exec_runtime_ns, "wait_ns",
				  (json_int_t)rt->at_exec.run_delay_ns, "timeslices",
				  (json_int_t)rt->at_exec.pcount, "nvcsw",
				  (json_int_t)rt->at_exec.nvcsw, "nivcsw",
				  (json_int_t)rt->at_exec.nivcsw));
	else if (run->before.valid)
		set_new(root, "before",
			json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "tid", (json_int_t)run->pid,
				  "run_ns", (json_int_t)run->before.run_ns, "wait_ns",
				  (json_int_t)run->before.wait_ns, "timeslices",
				  (json_int_t)run->before.timeslices, "nvcsw",
				  (json_int_t)run->before.nvcsw, "nivcsw",
				  (json_int_t)run->before.nivcsw));
	return root;
}

/* Why threads waited (causes.h): futex words named, wake edges, the critical path. */
static void add_causes(json_t *root, const struct sched_snapshot *s, struct causes *c,
		       uint64_t start_ns, uint64_t end_ns)
{
	json_t *futex = json_object_get(root, "futex"), *e;
	size_t i;

	json_array_foreach(futex, i, e)
	{
		const struct snap_futex *f = &s->futexes[i];

		causes_futex_fields(c, e, s, f->key.pid, f->key.uaddr);
	}
	set_new(root, "wakes", causes_wakes_json(s));
	set_new(root, "critical_path", causes_critical_path_json(c, s, start_ns, end_ns));
}

/*
 * The traced processes' TCP ends, one row per (process, port): its listens
 * on the port, its connect attempts to it and how many were established.
 */
static json_t *tcp_json(const struct sched_snapshot *s)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < s->ntcp; i++) {
		const struct st_tcp_key *k = &s->tcp[i].key;
		uint64_t by[NR_TCP_ENDS] = {0};
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= s->tcp[j].key.pid == k->pid && s->tcp[j].key.port == k->port;
		if (seen)
			continue;
		for (size_t j = i; j < s->ntcp; j++)
			if (s->tcp[j].key.pid == k->pid && s->tcp[j].key.port == k->port &&
			    s->tcp[j].key.role < NR_TCP_ENDS)
				by[s->tcp[j].key.role] += s->tcp[j].n;
		json_array_append_new(
		    arr, json_pack("{s:I,s:I,s:I,s:I,s:I}", "pid", (json_int_t)k->pid, "port",
				   (json_int_t)k->port, "listens", (json_int_t)by[TCP_END_LISTEN],
				   "connects", (json_int_t)by[TCP_END_CONNECT], "established",
				   (json_int_t)by[TCP_END_ESTABLISHED]));
	}
	return arr;
}

json_t *sched_json(const struct sched_snapshot *s, const struct run_info *run,
		   struct causes *causes, const struct other_work *other)
{
	const struct st_thread *rt = root_thread(s, run);
	uint64_t window_ns = rt ? run->window_ns : 0;
	json_t *root = run_json(json_object(), s, run, window_ns), *threads = json_array();
	json_t *lost = json_object();
	uint64_t slices = 0;
	int64_t dev = 0, sum_dev = 0;

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct st_thread *t = &s->threads[i].t;
		json_t *o = thread_json(s->threads[i].tid, t);

		if (thread_syscalls(json_object_get(o, "syscalls"), s, s->threads[i].tid)) {
			json_decref(o);
			json_decref(threads);
			json_decref(lost);
			json_decref(root);
			return NULL;
		}
		json_array_append_new(threads, o);
		slices += t->woken_slices + t->preempted_slices;
		dev += (int64_t)t->sched_running_ns - (int64_t)t->slice_running_ns;
		sum_dev += (int64_t)(t->sched_running_ns + t->sched_runnable_ns) -
			   (int64_t)(t->slice_running_ns + t->slice_runnable_ns);
	}
	for (int k = 0; k < NR_LOST; k++)
		set_new(lost, lost_names[k], JINT(s->lost[k]));
	set_new(lost, "prog_misses", JINT(run->prog_misses));
	set_new(root, "lost", lost);
	set_new(root, "clock",
		json_pack("{s:I,s:I,s:I,s:I}", "slices", (json_int_t)slices, "sched_minus_bpf_ns",
			  (json_int_t)dev, "deviation_per_slice_ns",
			  (json_int_t)(slices ? dev / (int64_t)slices : 0),
			  "sum_deviation_per_slice_ns",
			  (json_int_t)(slices ? sum_dev / (int64_t)slices : 0)));
	set_new(root, "threads", threads);
	set_new(root, "processes", processes_json(s));
	set_new(root, "tcp", tcp_json(s));
	/* In the snapshot's order: futex[i] is s->futexes[i] (the causes add their names). */
	set_new(root, "futex", futexes_json(s));
	add_causes(root, s, causes, window_ns ? window_ns : run->start_ns, run->end_ns);
	if (other && other_work_json(other, root)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int sched_json_dump(FILE *f, json_t *doc)
{
	int err = json_dumpf(doc, f, JSON_INDENT(1) | JSON_SORT_KEYS);

	if (err)
		fprintf(stderr, "schedtrace: json_dumpf(sched.json) failed\n");
	else
		fputc('\n', f);
	return err ? -1 : 0;
}

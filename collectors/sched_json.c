// SPDX-License-Identifier: GPL-2.0
/*
 * Reads the BPF maps once tracing stopped and writes sched.json with
 * jansson. Open intervals (threads alive at the end) are closed at end_ns
 * here, so every thread's states sum to its lifetime.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <jansson.h>
#include "schedtrace.h"
#include "sched_json.h"
#include "causes.h"
#include "syscall_names.h"

const char *const state_names[] = {
    [ST_RUNNING] = "running", [ST_RUNNABLE] = "runnable",
    [ST_LOCK] = "lock",	      [ST_SLEEP] = "sleep",
    [ST_IO] = "io",	      [ST_DISK] = "disk",
    [ST_OTHER] = "other",     [ST_EXITED] = "exited",
};

/* The keys of sched.json "lost", indexed by enum st_lost_kind (docs/formats.md). */
const char *const lost_names[NR_LOST] = {
    [LOST_RINGBUF] = "ringbuf",
    [LOST_MAP_FULL] = "map_full",
    [LOST_STACK_MISS] = "stack_misses",
    [LOST_STACK_COLLISION] = "stack_collisions",
    [LOST_SWITCH_IN] = "switch_in_missed",
    [LOST_SWITCH_OUT] = "switch_out_missed",
    [LOST_WAKEUP] = "wakeup_missed",
    [LOST_MAP_BUSY] = "map_busy",
    [LOST_TID_REUSED] = "tid_reused",
};

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

int read_lost(int lost_fd, uint64_t *lost)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;

	if (ncpus <= 0) {
		fprintf(stderr, "schedtrace: libbpf_num_possible_cpus: %s\n", strerror(-ncpus));
		return -1;
	}
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return -1;
	for (__u32 k = 0; k < NR_LOST; k++) {
		lost[k] = 0;
		if (bpf_map_lookup_elem(lost_fd, &k, vals)) {
			fprintf(stderr, "schedtrace: bpf_map_lookup_elem(lost): %s\n",
				strerror(errno));
			free(vals);
			return -1;
		}
		for (int c = 0; c < ncpus; c++)
			lost[k] += vals[c];
	}
	free(vals);
	return 0;
}

uint64_t steal_now_ns(void)
{
	unsigned long long v[8] = {};
	FILE *f = fopen("/proc/stat", "r");
	long hz = sysconf(_SC_CLK_TCK);
	int n;

	if (!f)
		return 0;
	/* cpu user nice system idle iowait irq softirq steal */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	return n == 8 && hz > 0 ? v[7] * (1000000000ULL / (unsigned long long)hz) : 0;
}

int read_task_counters(pid_t pid, struct run_info *run)
{
	char path[64], line[256];
	unsigned long long run_ns, wait_ns, slices, v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu %llu %llu", &run_ns, &wait_ns, &slices);
	fclose(f);
	if (n != 3)
		return -1;
	run->before.run_ns = run_ns;
	run->before.wait_ns = wait_ns;
	run->before.timeslices = slices;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1)
			run->before.nvcsw = v;
		else if (sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
			run->before.nivcsw = v;
	}
	fclose(f);
	run->before.valid = true;
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

/* The q-quantile, interpolated inside its bucket and capped at the max seen. */
static uint64_t hist_quantile(const struct st_runq *h, double q)
{
	double want = q * (double)h->count, seen = 0;

	if (!h->count)
		return 0;
	for (unsigned int i = 0; i < HIST_SLOTS; i++) {
		double lo, hi, v;

		if (!h->slots[i])
			continue;
		if (seen + (double)h->slots[i] >= want) {
			lo = (double)hist_slot_lo(i);
			hi = i + 1 < HIST_SLOTS ? (double)hist_slot_lo(i + 1) : lo * 2;
			v = lo + (hi - lo) * (want - seen) / (double)h->slots[i];
			return v > (double)h->max_ns ? h->max_ns : (uint64_t)v;
		}
		seen += (double)h->slots[i];
	}
	return h->max_ns;
}

static json_t *runq_json(const struct st_runq *h)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "count", (json_int_t)h->count, "sum_ns",
			      (json_int_t)h->sum_ns, "max_ns", (json_int_t)h->max_ns, "p50_ns",
			      (json_int_t)hist_quantile(h, 0.50), "p90_ns",
			      (json_int_t)hist_quantile(h, 0.90), "p99_ns",
			      (json_int_t)hist_quantile(h, 0.99));

	json_object_set_new(o, "hist", hist_json(h->slots, HIST_SLOTS, false));
	return o;
}

/* Index of thread objects by tid, for attaching syscalls. */
struct tid_obj {
	uint32_t tid;
	json_t *obj;
};

static int cmp_tid(const void *a, const void *b)
{
	uint32_t x = ((const struct tid_obj *)a)->tid, y = ((const struct tid_obj *)b)->tid;

	return x < y ? -1 : x > y;
}

static struct tid_obj *find_tid(struct tid_obj *idx, size_t n, uint32_t tid)
{
	struct tid_obj key = {.tid = tid};

	return bsearch(&key, idx, n, sizeof(*idx), cmp_tid);
}

static json_t *thread_json(uint32_t tid, const struct st_thread *t, uint64_t end_ns,
			   uint64_t *slices_out, int64_t *dev_out)
{
	uint64_t total[NR_STATES], last = t->exited ? t->last_ns : end_ns;
	uint64_t switches_out = t->nvcsw + t->nivcsw;
	json_t *o;

	memcpy(total, t->state_total_ns, sizeof(total));
	if (!t->exited && t->state < NR_STATES && end_ns > t->state_ns)
		total[t->state] += end_ns - t->state_ns;
	if (last < t->first_ns)
		last = t->first_ns;
	o = json_object();
	set_new(o, "tid", JINT(tid));
	set_new(o, "pid", JINT(t->pid));
	set_new(o, "comm", json_stringn(t->comm, strnlen(t->comm, sizeof(t->comm))));
	set_new(o, "first_ns", JINT(t->first_ns));
	set_new(o, "last_ns", JINT(last));
	set_new(o, "lifetime_ns", JINT(last - t->first_ns));
	for (int s = 0; s < NR_STATES; s++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_ns", state_names[s]);
		set_new(o, key, JINT(total[s]));
	}
	set_new(o, "nvcsw", JINT(t->nvcsw));
	set_new(o, "nivcsw", JINT(t->nivcsw));
	set_new(o, "timeslices", JINT(t->timeslices));
	set_new(o, "migrations", JINT(t->migrations));
	set_new(o, "wakeups", JINT(t->wakeups));
	set_new(o, "runnable_asleep_ns",
		JINT(t->runnable_asleep_ns +
		     (!t->exited && t->asleep && t->state == ST_RUNNABLE && end_ns > t->state_ns
			  ? end_ns - t->state_ns
			  : 0)));
	set_new(o, "exited", json_boolean(t->exited));
	{
		const struct st_waker_slot *top = NULL;

		for (int i = 0; i < TOP_WAKERS; i++)
			if (t->wakers[i].count && (!top || t->wakers[i].count > top->count))
				top = &t->wakers[i];
		if (top)
			set_new(o, "top_waker",
				json_pack("{s:I,s:s%,s:I,s:b}", "tid", (json_int_t)top->tid, "comm",
					  top->comm, strnlen(top->comm, sizeof(top->comm)), "count",
					  (json_int_t)top->count, "exact", !t->waker_evictions));
	}
	if (t->exited)
		set_new(o, "kernel",
			json_pack("{s:I,s:I,s:I,s:I,s:I}", "sum_exec_runtime_ns",
				  (json_int_t)t->kernel.sum_exec_runtime_ns, "run_delay_ns",
				  (json_int_t)t->kernel.run_delay_ns, "pcount",
				  (json_int_t)t->kernel.pcount, "nvcsw",
				  (json_int_t)t->kernel.nvcsw, "nivcsw",
				  (json_int_t)t->kernel.nivcsw));
	/*
	 * The scheduler clock's view of the same completed slices: the sum of
	 * se.sum_exec_runtime deltas between our switch-in and switch-out.
	 */
	if (switches_out) {
		int64_t dev = (int64_t)t->sched_running_ns - (int64_t)t->slice_running_ns;
		json_t *c =
		    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "slices", (json_int_t)switches_out,
			      "bpf_running_ns", (json_int_t)t->slice_running_ns, "sched_running_ns",
			      (json_int_t)t->sched_running_ns, "deviation_per_slice_ns",
			      (json_int_t)(dev / (int64_t)switches_out), "woken_slices",
			      (json_int_t)t->woken_slices, "preempted_slices",
			      (json_int_t)t->preempted_slices);

		/* Means; the clocks' common offset cancels in their difference. */
		if (t->woken_slices) {
			set_new(c, "arrival_lag_woken_ns",
				JINT(t->lag_woken_sum / (int64_t)t->woken_slices));
			set_new(c, "wait_woken_ns", JINT(t->woken_wait_sum / t->woken_slices));
		}
		if (t->preempted_slices)
			set_new(c, "arrival_lag_preempted_ns",
				JINT(t->lag_preempted_sum / (int64_t)t->preempted_slices));
		set_new(o, "clock", c);
		*slices_out += switches_out;
		*dev_out += dev;
	}
	set_new(o, "syscalls", json_array());
	return o;
}

static int cmp_syscall_total(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "total_ns"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "total_ns"));

	return x > y ? -1 : x < y;
}

static void sort_syscalls(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v;

	if (n < 2)
		return;
	v = calloc(n, sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), cmp_syscall_total);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

int sched_json_write(FILE *f, const struct sched_maps *maps, const struct run_info *run)
{
	json_t *root = json_object(), *threads = json_array(), *procs = json_array();
	json_t *futexes = json_array(), *argv = json_array(), *lostj;
	struct tid_obj *idx = NULL;
	size_t nidx = 0, cap = 0;
	uint64_t lost[NR_LOST], slices = 0;
	int64_t dev = 0;
	__u32 key, next, *prev = NULL, root_key = (__u32)run->pid;
	uint64_t window_ns = causes_window_ns(run->causes);
	struct st_thread root_t = {};
	int err;

	if (bpf_map_lookup_elem(maps->threads, &root_key, &root_t))
		window_ns = 0;

	/* Threads. */
	while (!bpf_map_get_next_key(maps->threads, prev, &next)) {
		struct st_thread t;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(maps->threads, &key, &t))
			continue;
		if (nidx == cap) {
			cap = cap ? cap * 2 : 256;
			idx = realloc(idx, cap * sizeof(*idx));
			if (!idx) {
				fprintf(stderr, "schedtrace: out of memory\n");
				return -1;
			}
		}
		idx[nidx].tid = key;
		idx[nidx].obj = thread_json(key, &t, run->end_ns, &slices, &dev);
		nidx++;
	}
	qsort(idx, nidx, sizeof(*idx), cmp_tid);
	for (size_t i = 0; i < nidx; i++)
		json_array_append(threads, idx[i].obj);

	/* Syscalls, attached to their threads. */
	{
		struct st_syscall_key k, nk, *pk = NULL;
		struct st_syscall s;

		while (!bpf_map_get_next_key(maps->syscalls, pk, &nk)) {
			struct tid_obj *to;
			const char *name;
			char buf[32];
			json_t *o;

			k = nk;
			pk = &k;
			if (bpf_map_lookup_elem(maps->syscalls, &k, &s))
				continue;
			to = find_tid(idx, nidx, k.tid);
			if (!to)
				continue;
			name = syscall_name(k.nr);
			if (!name) {
				snprintf(buf, sizeof(buf), "syscall_%u", k.nr);
				name = buf;
			}
			o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "name", name, "nr",
				      (json_int_t)k.nr, "count", (json_int_t)s.count, "errors",
				      (json_int_t)s.errors, "total_ns", (json_int_t)s.total_ns,
				      "max_ns", (json_int_t)s.max_ns);
			json_object_set_new(o, "hist", hist_json(s.slots, SYS_SLOTS, true));
			json_array_append_new(json_object_get(to->obj, "syscalls"), o);
		}
		for (size_t i = 0; i < nidx; i++)
			sort_syscalls(json_object_get(idx[i].obj, "syscalls"));
	}

	/* Run-queue latency per process. */
	{
		__u32 k, nk, *pk = NULL;
		struct st_runq *h = malloc(sizeof(*h));

		if (!h)
			return -1;
		while (!bpf_map_get_next_key(maps->runq, pk, &nk)) {
			struct tid_obj *to;
			json_t *comm;

			k = nk;
			pk = &k;
			if (bpf_map_lookup_elem(maps->runq, &k, h))
				continue;
			to = find_tid(idx, nidx, k);
			comm = to ? json_incref(json_object_get(to->obj, "comm")) : json_string("");
			json_array_append_new(procs,
					      json_pack("{s:I,s:o,s:o}", "pid", (json_int_t)k,
							"comm", comm, "runq", runq_json(h)));
		}
		free(h);
	}

	/* Futex waits per (process, address). */
	{
		struct st_futex_key k, nk, *pk = NULL;
		struct st_futex fs;

		while (!bpf_map_get_next_key(maps->futexes, pk, &nk)) {
			char addr[32];

			k = nk;
			pk = &k;
			if (bpf_map_lookup_elem(maps->futexes, &k, &fs))
				continue;
			json_t *o;

			snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)k.uaddr);
			o = json_pack("{s:I,s:s,s:I,s:I,s:I}", "pid", (json_int_t)k.pid, "addr",
				      addr, "count", (json_int_t)fs.count, "total_ns",
				      (json_int_t)fs.total_ns, "max_ns", (json_int_t)fs.max_ns);
			causes_futex_fields(run->causes, o, k.pid, k.uaddr, maps->threads);
			json_array_append_new(futexes, o);
		}
	}

	if (read_lost(maps->lost, lost))
		return -1;
	lostj = json_object();
	for (int k = 0; k < NR_LOST; k++)
		set_new(lostj, lost_names[k], JINT(lost[k]));
	set_new(lostj, "prog_misses", JINT(run->prog_misses));

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
	set_new(root, "cpus", JINT(run->cpus));
	set_new(root, "attach", json_string(run->attach_mode));
	set_new(root, "lost", lostj);
	set_new(root, "clock",
		json_pack("{s:I,s:I,s:I}", "slices", (json_int_t)slices, "sched_minus_bpf_ns",
			  (json_int_t)dev, "deviation_per_slice_ns",
			  (json_int_t)(slices ? dev / (int64_t)slices : 0)));
	set_new(root, "steal_ns", JINT(run->steal_ns));
	{
		json_t *progs = json_array();

		for (int i = 0; i < run->nprogs; i++)
			json_array_append_new(
			    progs, json_pack("{s:s,s:I,s:I}", "name", run->progs[i].name, "run_cnt",
					     (json_int_t)run->progs[i].run_cnt, "run_time_ns",
					     (json_int_t)run->progs[i].run_time_ns));
		set_new(root, "programs", progs);
	}
	set_new(root, "collector_peak_rss_kib", JINT(run->peak_rss_kib));
	if (window_ns && root_t.window_ns)
		set_new(root, "before",
			json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "tid", (json_int_t)run->pid,
				  "run_ns", (json_int_t)root_t.at_exec.sum_exec_runtime_ns,
				  "wait_ns", (json_int_t)root_t.at_exec.run_delay_ns, "timeslices",
				  (json_int_t)root_t.at_exec.pcount, "nvcsw",
				  (json_int_t)root_t.at_exec.nvcsw, "nivcsw",
				  (json_int_t)root_t.at_exec.nivcsw));
	else if (run->before.valid)
		set_new(root, "before",
			json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "tid", (json_int_t)run->pid,
				  "run_ns", (json_int_t)run->before.run_ns, "wait_ns",
				  (json_int_t)run->before.wait_ns, "timeslices",
				  (json_int_t)run->before.timeslices, "nvcsw",
				  (json_int_t)run->before.nvcsw, "nivcsw",
				  (json_int_t)run->before.nivcsw));
	set_new(root, "threads", threads);
	set_new(root, "processes", procs);
	set_new(root, "futex", futexes);
	set_new(root, "wakes", causes_wakes_json(run->causes, maps->wakes, maps->threads));
	set_new(root, "critical_path",
		causes_critical_path_json(run->causes, maps->threads,
					  window_ns ? window_ns : run->start_ns, run->end_ns));

	err = json_dumpf(root, f, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (err)
		fprintf(stderr, "schedtrace: json_dumpf(sched.json) failed\n");
	else
		fputc('\n', f);
	for (size_t i = 0; i < nidx; i++)
		json_decref(idx[i].obj);
	free(idx);
	json_decref(root);
	return err ? -1 : 0;
}

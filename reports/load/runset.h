/* SPDX-License-Identifier: GPL-2.0 */
/* A run folder (results/DEMO/STAMP/) loaded and checked: meta.json, and for
 * each run its demo.json, sched.json and the optional perf outputs. Every
 * other part of the report (tables, charts, cross-checks, explainers) reads
 * only these structures. The file formats are in docs/formats.md. */
#ifndef SCHEDLAB_RUNSET_H
#define SCHEDLAB_RUNSET_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "hist.h"
#include "perfparse.h"

struct wake_edge;
struct crit_path;

/*
 * The thread states of docs/formats.md, in the order the report shows them,
 * and their names (state_names[], lost_names[]): the collector's own table,
 * beside its enums in bpf/schedtrace.h.
 */
#include "schedtrace.h"
#define ST_COUNT NR_STATES

struct syscall_acct {
	char name[32];
	uint64_t count, errors, total_ns, max_ns;
	struct hist hist;
};

struct kernel_counts {
	bool present;
	uint64_t sum_exec_runtime_ns, run_delay_ns, pcount, nvcsw, nivcsw;
};

/* One thread of sched.json. */
struct sched_thread {
	int tid, pid;
	char comm[32];
	uint64_t state_ns[ST_COUNT];
	uint64_t first_ns, last_ns, lifetime_ns;
	uint64_t nvcsw, nivcsw, timeslices, migrations, wakeups;
	/* optional "top_waker": the task that woke it most (tid 0 when absent);
	 * count is exact when top_waker_exact, else an upper bound */
	int top_waker_tid;
	char top_waker_comm[32];
	uint64_t top_waker_count;
	bool top_waker_exact;
	bool exited;
	/* optional "minflt", "majflt": page faults, read off the task (task->min_flt,
	 * maj_flt) when the thread ended or tracing stopped */
	bool has_faults;
	uint64_t minflt, majflt;
	struct kernel_counts kernel;
	/* optional "clock": the completed slices timed by both clocks, eBPF's and
	 * the scheduler's (read off the task at each switch), so the report can
	 * show the scheduler clock's extra time per slice measured, not assumed */
	bool has_clock;
	uint64_t clock_slices, clock_bpf_ns, clock_sched_ns;
	/* optional: the account ends at the final switch-out, where "kernel"
	 * was read (final); interrupt and steal time inside its running slices
	 * (measured per thread); switches after its exit began */
	bool ended_at_switch, has_irq_steal;
	uint64_t irq_steal_ns, exit_switches;
	/* optional: runnable time after a preemption on the way to sleep, which
	 * the kernel's run_delay never counts (collector.md, "The two clocks") */
	uint64_t runnable_asleep_ns;
	/* optional: sleep the kernel's run_delay counts as wait (a stale
	 * sched_info.last_queued at the wakeup, measured by the collector) */
	uint64_t queued_asleep_ns;
	struct syscall_acct *syscalls;
	size_t nsyscalls;
	/* derived (reports/derive/thread_roles.c, thread_labels.c): the role
	 * the thread's behaviour shows ("" when the evidence is thin), how it
	 * was inferred, and the thread's label, different from every other
	 * thread's of the run; read them with thread_label() */
	char role[16];
	char role_why[192];
	bool role_one; /* a role one thread of its process has: no rank in its label */
	/* a pool worker: its pool's number (1, 2.. in the run, 0 none), the
	 * futex word the pool waits on ("" when it is the waker they share),
	 * and the thread that ended most of its waits (0 none) */
	int pool, fed_by;
	char pool_word[24];
	char label[80];
};

struct sched_process {
	int pid;
	char comm[32];
	uint64_t runq_count, runq_sum_ns, runq_max_ns, runq_p50_ns, runq_p90_ns, runq_p99_ns;
	struct hist runq_hist;
};

/* sched.json futex[].holders: waits on a mutex whose owner was read at the
 * wait, per (waiter, owner), and the owner's time per state over them. */
struct lock_holder {
	int waiter_tid, owner_tid;
	uint64_t waits, blocked_ns;
	/* tenure: the file has held_ns, the owner followed only until it released
	 * the lock; else (older collectors) owner_ns spans the whole waits */
	bool tenure;
	uint64_t held_ns, owner_unknown;
	uint64_t owner_ns[NR_STATES];
};

/* A traced process's TCP end on a port: its listens on it, its connect
 * attempts to it, and how many of those were established. */
struct tcp_end {
	int pid;
	unsigned port;
	uint64_t listens, connects, established;
};

struct futex_acct {
	int pid;
	char addr[24]; /* "0x..." as the file gave it, lower-cased */
	uint64_t count, total_ns, max_ns;
	/* optional (collectors/futex_names): the mapped file holding the word
	 * and the ELF symbol containing it, "" when unknown; the tid whose
	 * clear_child_tid word it is, 0 when none */
	char object[512];
	char symbol[256];
	char region[16]; /* optional: "heap", "stack", "anonymous" outside a file, else "" */
	uint64_t symbol_offset;
	int join_tid;
	/* optional "holders": empty when no wait read the word as a locked mutex */
	struct lock_holder *holders;
	size_t nholders;
	bool holders_known; /* the file has "holders" (a collector that reads owners) */
	/* optional "java_monitor": addr is a Java monitor's (HotSpot's
	 * ObjectMonitor), its waits those of threads entering it contended */
	bool java_monitor;
};

/* sched.json "before" (optional): the command's first thread's kernel
 * counters when tracing began, so its schedstat is compared from then. */
struct counters_before {
	bool present;
	int tid;
	uint64_t run_ns, wait_ns, timeslices, nvcsw, nivcsw;
};

struct sched_acct {
	int pid, exit_status, cpus;
	bool partial;
	bool syscalls_traced; /* optional "syscalls_traced": false without --syscalls */
	uint64_t start_ns, end_ns;
	uint64_t lost_ringbuf, lost_map_full, lost_stack_misses, lost_stack_collisions;
	/* optional in "lost": programs that did not run, and switches the
	 * collector missed and repaired (0 when the file does not say) */
	uint64_t lost_prog_misses, lost_switch_in_missed, lost_switch_out_missed,
	    lost_wakeup_missed;
	struct counters_before before;
	struct sched_thread *threads;
	size_t nthreads;
	struct sched_process *procs;
	size_t nprocs;
	struct futex_acct *futex;
	size_t nfutex;
	/* sched.json "tcp" (optional): the traced processes' TCP ends */
	struct tcp_end *tcp;
	size_t ntcp;
	/* optional "wakes" and "critical_path" (wakes.h): why threads waited */
	struct wake_edge *wakes;
	size_t nwakes;
	struct crit_path *cpath; /* NULL when absent or null */
	/* optional "other_work" and "tracer" (sched_host.h): NULL when absent */
	struct sched_host *host;
	/* optional "jvm".jvms (collectors/jvm.h): the JVMs seen up, each with
	 * the thread JNI_CreateJavaVM returned in (0 when not said) */
	struct sched_jvm {
		int pid, creator_tid;
		bool owner_read;
		char why[160]; /* why the owner was not read, "" when it was */
	} jvms[8];
	size_t njvms;
	/* optional "jvm": the command ran a JVM (jvm_found), whether the
	 * monitor probes attached, and why not */
	bool jvm_found, jvm_probes;
	char jvm_why[256];
};

/* One thread of demo.json: the kernel's own accounting of itself. */
struct demo_thread {
	int tid, pid;
	char name[32];
	uint64_t start_ns, end_ns;
	uint64_t run_ns, wait_ns, timeslices;
	uint64_t nvcsw, nivcsw;
	bool has_faults; /* rusage minflt, majflt: its page faults */
	uint64_t minflt, majflt;
	uint64_t tasks;
	bool has_lock;
	uint64_t lock_wait_ns, lock_acquires;
	bool ended;
};

struct demo_lock {
	char name[64];
	char addr[24]; /* lower-cased */
	int pid;
	/* optional "object": the start of the pthread object holding the word; a
	 * condition variable waits on more than one word of it, and every word
	 * inside the object belongs to the same lock. 0 when absent. */
	unsigned long long object;
};

struct demo_result {
	json_t *root; /* the whole file, for demo-specific fields */
	char demo[64], variant[64];
	const json_t *params; /* borrowed from root; an object */
	int cpus, pid;
	double wall_s;
	uint64_t start_ns, end_ns;
	struct demo_thread *threads;
	size_t nthreads;
	struct demo_lock *locks;
	size_t nlocks;
};

/* The metrics the per-variant table shows; a run has each once, a variant
 * has the median, min and max over its repeats. */
enum metric {
	M_WALL_S,
	M_CPU_S,
	M_PARALLELISM,
	M_NVCSW,
	M_NIVCSW,
	M_MIGRATIONS,
	M_RUNQ_P50_NS,
	M_RUNQ_P99_NS,
	M_RUNQ_MAX_NS,
	M_STATE0_S, /* M_STATE0_S + enum st_thread_state: seconds in that state, all threads */
	M_LIFETIME_S = M_STATE0_S + ST_COUNT,
	/* running time the kernel's task clock did not count: the hypervisor's
	 * steal and interrupts (thread_stolen_ns) */
	M_STOLEN_S,
	M_COUNT
};

struct run {
	char variant[64];
	char dir[128];
	char path[PATH_MAX + 160]; /* RUN_DIR/dir */
	int repeat;
	int exit_status;
	bool partial;		  /* meta says so, or sched.json does */
	const json_t *commands;	  /* borrowed from meta; object or NULL */
	struct demo_result *demo; /* NULL for kind=command */
	struct sched_acct sched;
	struct perf_stat pstat;	  /* .present false when perf-stat.json is absent */
	struct timehist timehist; /* .present false when absent */
	/* perf-sched-demo.json: the demo's own result in the perf sched pass, or NULL */
	struct demo_result *perf_demo;
	bool has_timeline, has_folded, has_sched_latency, has_trace_summary;
	struct hist runq; /* every process's run-queue histogram merged */
	/* meta "host_stolen_ns": irq + softirq + steal time of all CPUs during the
	 * eBPF pass, which the kernel's task clock leaves out; -1 when absent */
	double host_stolen_ns;
	double m[M_COUNT]; /* derived: run_set_derive */
};

struct stat3 {
	double med, min, max;
};

/* The runs of one variant, in meta order. */
struct variant {
	char name[64];
	struct run **runs;
	size_t nruns;
	/* derived (run_set_derive): the metrics over the repeats, and the
	 * representative run, the one with the median wall time */
	struct stat3 m[M_COUNT];
	struct run *rep;
};

struct run_set {
	char dir[PATH_MAX];
	json_t *meta;
	bool is_demo;
	char demo[64];	    /* kind=demo */
	char command[1024]; /* kind=command: argv joined with spaces */
	char stamp[64];
	bool partial, quick;
	int cpus; /* host.cpus */
	char cpu_model[128], kernel[128], hostname[128];
	char pinned_cpus[64]; /* "" when not pinned */
	char trace_command[1024];
	char summary[256];   /* meta "summary": the catalogue's one line, "" when absent */
	const json_t *tools; /* object or NULL */
	const char **notes;  /* meta.json "notes" */
	size_t nnotes;
	json_t *load_notes; /* array of strings: optional inputs found unreadable */
	struct run *runs;
	size_t nruns;
	struct variant *variants;
	size_t nvariants;
};

/* Load RUN_DIR: the files as they are, the runs grouped by variant; every
 * figure made of them is derived after (derive/run_metrics.h
 * run_set_derive). Returns 0, or -1 after writing "FILE: what is wrong" into
 * @err (the caller prints it and exits 2): a required file missing or
 * corrupt is never papered over. */
int run_set_load(struct run_set *rs, const char *dir, char *err, size_t errlen);
void run_set_free(struct run_set *rs);

/* Lookups used by the report and the explainers. */
const struct variant *run_set_variant(const struct run_set *rs, const char *name);
const struct sched_thread *sched_find_tid(const struct sched_acct *s, int tid);
const struct demo_thread *demo_find_tid(const struct demo_result *d, int tid);
/* The demo's name for the futex word (pid, addr), or NULL: the lock whose
 * named word it is, else the lock whose pthread object holds it (a condition
 * variable's other signal word), so one lock is one name. */
const char *demo_lock_name(const struct demo_result *d, int pid, const char *addr);
/* params.KEY as a number, or @dflt when absent or not a number. */
double demo_param(const struct demo_result *d, const char *key, double dflt);

#endif

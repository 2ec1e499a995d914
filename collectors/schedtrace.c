// SPDX-License-Identifier: GPL-2.0
/*
 * schedtrace: run a command under the scheduler tracepoints and write where
 * each of its threads spent its time (DIR/sched.json), optionally every
 * state change (DIR/timeline.json) and off-CPU stacks (DIR/offcpu.folded).
 *
 * Order matters: load the programs, fork the command stopped, put its pid
 * in the traced set, attach, then release it, so its exec and everything
 * after is seen. Links are never pinned: when this process ends, however it
 * ends, the kernel detaches everything.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "schedtrace.h"
#include "schedtrace.skel.h"
#include "causes.h"
#include "child.h"
#include "intervals.h"
#include "jvm.h"
#include "offcpu.h"
#include "other_work.h"
#include "sched_json.h"
#include "sched_snapshot.h"
#include "spool.h"
#include "cpus.h"
#include "symbolize.h"
#include "syscall_names.h"
#include "task_counters.h"
#include "timeline.h"

/*
 * Exit statuses of the collector itself (docs/collector.md). Once CMD ran,
 * the status is CMD's; these are chosen away from the small numbers
 * commands usually return.
 */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 2,	      /* bad options */
	EXIT_BPF = 70,	      /* loading or attaching the programs failed */
	EXIT_NO_BTF = 71,     /* the kernel has no BTF: CO-RE cannot work */
	EXIT_NO_TRACEFS = 72, /* no tracefs: the scheduler tracepoints cannot be checked */
	EXIT_NO_DIR = 73,     /* -o DIR cannot be created or written */
	EXIT_WRITE = 74,      /* the command ran, but writing or reading back the results failed */
	EXIT_START = 75,      /* the command could not be started (pipe, fork, signal handlers) */
	EXIT_READER = 76,     /* the ring buffer reader or the symbolizer could not be set up */
	EXIT_NO_PRIV = 77,    /* not root, nor CAP_BPF + CAP_PERFMON */
	EXIT_CANNOT_RUN = 126,
	EXIT_NOT_FOUND = 127,
};

static struct options {
	const char *outdir;
	const char *user;
	bool timeline;
	bool stacks;
	bool kernel_stacks; /* --kernel-stacks: walk the kernel's stack too */
	bool raw_tp;
	bool syscalls;	  /* --syscalls: time every syscall (off: no program on them) */
	int verbose;	  /* -v progress and libbpf info, -vv libbpf debug */
	pid_t tracer_pid; /* --tracer-pid: what descends from it is the tracer's own */
	double duration_s;
	char **argv;
} opts;

const char *argp_program_version = "schedtrace 1.0";
static const char doc[] =
    "Run CMD and record where each of its threads spends its time, with eBPF.\n"
    "\n"
    "Writes DIR/sched.json (per thread: running, runnable, lock, sleep, io, disk,\n"
    "other; switches, migrations, wakeups; run-queue latency per process;\n"
    "futex waits; with --syscalls each syscall's time), DIR/timeline.json with\n"
    "--timeline (Chrome trace format: Perfetto, chrome://tracing) and\n"
    "DIR/offcpu.folded with --stacks (flamegraph.pl, speedscope). Needs root\n"
    "(sudo); CMD runs as the invoking user, or as --user USER. The exit status\n"
    "is CMD's (128+signal if killed).\n"
    "\n"
    "EXAMPLES:\n"
    "  sudo schedtrace -o /tmp/run -- build/demos/02_cpu_bound --variant threads-gil --quick\n"
    "  sudo schedtrace -o /tmp/run --timeline --stacks -- python3 my.py\n"
    "  sudo schedtrace -o /tmp/run --syscalls -- curl -s https://example.org\n"
    "  sudo schedtrace -o /tmp/run --user nobody --duration 5 -- sha256sum /dev/zero\n"
    "\n"
    "OPTIONS:"
    "\vEXIT STATUS: the command's once it ran (128+signal if killed); else\n"
    "  2 bad options, or no one but root to run the command as (use sudo or --user)\n"
    "  70 loading or attaching the eBPF programs failed\n"
    "  71 the kernel has no BTF      72 no tracefs, or a tracepoint is missing\n"
    "  73 DIR cannot be written      74 writing the results failed\n"
    "  75 the command could not be started (pipe, fork)\n"
    "  76 the ring buffer reader or the symbolizer failed\n"
    "  77 not root (nor CAP_BPF + CAP_PERFMON)\n"
    "  126 CMD is not executable     127 CMD not found\n"
    "\n"
    "Formats: docs/formats.md. How it works, and how its figures compare with\n"
    "the kernel's schedstat: docs/collector.md.";
static const char args_doc[] = "-o DIR -- CMD [ARGS...]";

enum {
	OPT_TIMELINE = 1000,
	OPT_STACKS,
	OPT_KERNEL_STACKS,
	OPT_USER,
	OPT_DURATION,
	OPT_RAW_TP,
	OPT_SYSCALLS,
	OPT_NO_SYSCALLS,
	OPT_TRACER_PID,
};

static const struct argp_option options[] = {
    {"output", 'o', "DIR", 0, "Write the results into DIR (created if missing)", 0},
    {"timeline", OPT_TIMELINE, NULL, 0, "Also write every state change to DIR/timeline.json", 0},
    {"stacks", OPT_STACKS, NULL, 0,
     "Also write off-CPU stacks to DIR/offcpu.folded: the user stack at each switch-out", 0},
    {"kernel-stacks", OPT_KERNEL_STACKS, NULL, 0,
     "With --stacks (implied), the kernel's stack too: about as much again per switch-out", 0},
    {"user", OPT_USER, "USER", 0,
     "Run CMD as USER (name or uid; 'root' only when asked for explicitly)", 0},
    {"duration", OPT_DURATION, "S", 0,
     "Stop after S seconds: SIGTERM to CMD, results marked partial", 0},
    {"syscalls", OPT_SYSCALLS, NULL, 0,
     "Also time every syscall (DIR/sched.json's per-thread syscall table): a program on "
     "every syscall of every task on the host, the costliest counter (docs/collector.md, "
     "Cost); without it blocked states and futex waits are still named",
     0},
    {"no-syscalls", OPT_NO_SYSCALLS, NULL, 0,
     "The default, kept for older scripts: no program on the syscalls", 0},
    {"tracer-pid", OPT_TRACER_PID, "PID", 0,
     "Count the processes descending from PID (the script that started the tracing "
     "and its perf) as the tracer's own, apart from other work on the CPUs",
     0},
    {"raw-tp", OPT_RAW_TP, NULL, 0,
     "Use the raw_tp programs even where tp_btf loads (tests the fallback)", 0},
    {"verbose", 'v', NULL, 0,
     "Print progress (events/s) and lost events to stderr; twice: libbpf debug output", 0},
    {},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'o':
		opts.outdir = arg;
		break;
	case OPT_TIMELINE:
		opts.timeline = true;
		break;
	case OPT_STACKS:
		opts.stacks = true;
		break;
	case OPT_KERNEL_STACKS:
		opts.stacks = opts.kernel_stacks = true;
		break;
	case OPT_RAW_TP:
		opts.raw_tp = true;
		break;
	case OPT_SYSCALLS:
		opts.syscalls = true;
		break;
	case OPT_NO_SYSCALLS: /* the default since --syscalls; accepted so old scripts run */
		break;
	case OPT_USER:
		opts.user = arg;
		break;
	case OPT_DURATION:
		errno = 0;
		opts.duration_s = strtod(arg, &end);
		if (errno || end == arg || *end || opts.duration_s <= 0)
			argp_error(state, "--duration %s: want a positive number of seconds", arg);
		break;
	case OPT_TRACER_PID:
		errno = 0;
		opts.tracer_pid = (pid_t)strtol(arg, &end, 10);
		if (errno || end == arg || *end || opts.tracer_pid <= 0)
			argp_error(state, "--tracer-pid %s: want a process id", arg);
		break;
	case 'v':
		opts.verbose++;
		break;
	case ARGP_KEY_ARG:
		/* The first non-option is CMD; the rest is its own arguments. */
		opts.argv = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (!opts.argv)
			argp_error(state, "no command given: schedtrace -o DIR -- CMD [ARGS]");
		if (!opts.outdir)
			argp_error(state, "no output folder given: -o DIR");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && opts.verbose < 2)
		return 0;
	if (level == LIBBPF_INFO && opts.verbose < 1)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* root, or CAP_BPF and CAP_PERFMON (tracing programs need both). */
static bool privileged(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {};
	int bpf = 39, perfmon = 38; /* CAP_BPF, CAP_PERFMON (headers may predate them) */

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data))
		return false;
	return (data[bpf / 32].effective & (1U << (bpf % 32))) &&
	       (data[perfmon / 32].effective & (1U << (perfmon % 32)));
}

/*
 * Where the kernel's BTF is: the default, or $SCHEDTRACE_BTF (the tests point
 * it at a missing file to see the error).
 */
static const char *btf_path = "/sys/kernel/btf/vmlinux";

/* The tracepoints the programs attach to, as tracefs lists them. */
static const char *const tracepoints[] = {
    "sched/sched_switch",	"sched/sched_waking",	      "sched/sched_wakeup",
    "sched/sched_wakeup_new",	"sched/sched_process_fork",   "sched/sched_process_exec",
    "sched/sched_process_exit", "raw_syscalls/sys_enter",     "raw_syscalls/sys_exit",
    "irq/softirq_entry",	"irq/softirq_exit",	      "irq/irq_handler_entry",
    "irq/irq_handler_exit",	"timer/hrtimer_expire_entry", "timer/hrtimer_expire_exit",
    "sock/inet_sock_set_state",
};

/*
 * The raw tracepoints attach by name without tracefs, but tracefs is where
 * the kernel says which tracepoints exist: a kernel without it (or without
 * one of ours) gets one clear message instead of an attach error.
 * $SCHEDTRACE_TRACEFS overrides the mount point (for the tests).
 */
static int check_tracepoints(void)
{
	const char *env = getenv("SCHEDTRACE_TRACEFS");
	const char *dirs[] = {env, "/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	const char *dir = NULL;
	char path[512];

	for (size_t i = env ? 0 : 1; i < (env ? 1 : 3) && !dir; i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, R_OK | X_OK))
			dir = dirs[i];
	}
	if (!dir) {
		fprintf(stderr,
			"schedtrace: tracefs is not mounted (looked for %s/events): mount it "
			"with 'mount -t tracefs nodev /sys/kernel/tracing'\n",
			env ? env : "/sys/kernel/tracing");
		return -1;
	}
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/%s", dir, tracepoints[i]);
		if (access(path, F_OK)) {
			fprintf(stderr, "schedtrace: %s: %s: this kernel lacks the tracepoint %s\n",
				path, strerror(errno), tracepoints[i]);
			return -1;
		}
	}
	return 0;
}

/* Does the kernel's sched_switch tracepoint pass prev_state (4 arguments)? */
static bool switch_has_state_arg(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_type *t;
	bool four = false;
	int id;

	if (!btf)
		return false;
	id = btf__find_by_name_kind(btf, "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	if (id > 0) {
		t = btf__type_by_id(btf, id);
		t = btf__type_by_id(btf, t->type); /* pointer */
		if (t && btf_is_ptr(t))
			t = btf__type_by_id(btf, t->type);
		/* void *__data, bool preempt, prev, next, prev_state */
		four = t && btf_is_func_proto(t) && btf_vlen(t) >= 5;
	}
	btf__free(btf);
	return four;
}

static void choose_programs(struct schedtrace_bpf *skel, bool btf, bool jvm)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
	{
		const char *sec = bpf_program__section_name(prog);

		bool mine = btf ? !strncmp(sec, "tp_btf/", 7) : !strncmp(sec, "raw_tp/", 7);

		/* The Java monitor probes (jvm.h): only for a command running a JVM. */
		if (!strncmp(sec, "uprobe", 6) || !strncmp(sec, "uretprobe", 9))
			mine = btf && jvm;
		/* Without --syscalls the syscall tracepoints get no program at all. */
		if (!opts.syscalls && (strstr(sec, "/sys_enter") || strstr(sec, "/sys_exit")))
			mine = false;
		bpf_program__set_autoload(prog, mine);
	}
}

/*
 * Loads tp_btf (with the Java monitor probes when @jvm), then tp_btf without
 * them (a kernel that refuses them keeps everything else), then raw_tp.
 */
static struct schedtrace_bpf *open_and_load(const char **mode, bool jvm)
{
	for (int attempt = opts.raw_tp ? 2 : jvm ? 0 : 1; attempt < 3; attempt++) {
		bool btf = attempt < 2, with_jvm = attempt == 0;
		struct schedtrace_bpf *skel = schedtrace_bpf__open();
		int err;

		if (!skel) {
			fprintf(stderr, "schedtrace: schedtrace_bpf__open: %s\n", strerror(errno));
			return NULL;
		}
		skel->rodata->want_timeline = opts.timeline;
		skel->rodata->want_stacks = opts.stacks;
		skel->rodata->want_kernel_stacks = opts.kernel_stacks;
		skel->rodata->want_syscalls = opts.syscalls;
		skel->rodata->switch_has_state_arg = switch_has_state_arg();
		skel->rodata->tracer_tgid = (__u32)getpid();
		skel->rodata->tracer_root = (__u32)opts.tracer_pid;
		syscall_classes((uint8_t *)skel->rodata->syscall_class, MAX_SYSCALL_NR);
		if (!opts.stacks) {
			/* No stacks wanted: don't pay for the stack map's memory. */
			bpf_map__set_max_entries(skel->maps.stacks, 1);
		}
		/* Without them, the ring buffer carries only new futex words and the exec. */
		if (!opts.timeline && !opts.stacks)
			bpf_map__set_max_entries(skel->maps.events, 64 << 10);
		skel->rodata->ringbuf_wake_bytes = bpf_map__max_entries(skel->maps.events) / 4;
		choose_programs(skel, btf, with_jvm);
		/* raw_tp keeps live accounts in the threads hash: no task storage needed. */
		bpf_map__set_autocreate(skel->maps.live, btf);
		if (!btf) /* nor the preallocated table of ended threads (20 MiB) */
			bpf_map__set_max_entries(skel->maps.ended, 1);
		err = schedtrace_bpf__load(skel);
		if (!err) {
			*mode = btf ? "tp_btf" : "raw_tp";
			return skel;
		}
		fprintf(stderr, "schedtrace: schedtrace_bpf__load (%s%s): %s%s\n",
			btf ? "tp_btf" : "raw_tp", with_jvm ? " with the Java monitor probes" : "",
			strerror(-err),
			with_jvm ? ", trying without them"
			: btf	 ? ", trying raw_tp"
				 : "");
		schedtrace_bpf__destroy(skel);
	}
	return NULL;
}

/* mkdir -p; *created: the last component did not exist before. */
static int make_dir(const char *path, bool *created)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	*created = !mkdir(buf, 0755);
	if (!*created && errno != EEXIST)
		return -1;
	return 0;
}

/* Result files belong to whoever invoked us through sudo. */
static void give_to_invoker(const char *path)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");

	if (geteuid() != 0 || !u || !g)
		return;
	if (chown(path, (uid_t)strtoul(u, NULL, 10), (gid_t)strtoul(g, NULL, 10)))
		fprintf(stderr, "schedtrace: chown(%s): %s\n", path, strerror(errno));
}

static volatile sig_atomic_t got_signal;
static volatile pid_t child_pid;

static void on_signal(int sig)
{
	got_signal = sig;
	if (child_pid > 0)
		kill(child_pid, sig);
}

struct loop_state {
	struct causes *causes;
	struct intervals *iv; /* --timeline: feeds the timeline and the critical path */
	struct timeline *tl;
	struct symbolizer *sym;
	struct other_work *other;
	struct spool *spool; /* --timeline: the state changes, replayed once the command ended */
	struct jvm *jvm;
	uint64_t events;
};

static void on_one_event(struct loop_state *ls, const struct st_event *e);
static void on_stream_event(void *ctx, const struct st_event *e);

/* A state change ends its thread's interval: one slice of the timeline, one
 * interval of the critical path. */
static void on_state(struct loop_state *ls, const struct st_event *e)
{
	struct interval ended;
	bool has = intervals_event(ls->iv, e, &ended);

	if (ls->tl)
		timeline_event(ls->tl, e, has ? &ended : NULL);
	if (has)
		causes_interval(ls->causes, &ended, e->ts);
}

/*
 * What must be done while the command runs happens here; the state changes
 * (the timeline, the critical path) are spooled and replayed after it.
 */
static int on_event(void *ctx, void *data, size_t size)
{
	struct loop_state *ls = ctx;
	const struct st_event *e = data;

	if (size < sizeof(*e))
		return 0;
	ls->events += e->type == EV_SWITCH ? 2 : 1; /* state changes, as --verbose says */
	on_one_event(ls, e);
	if (e->type == EV_STATE || e->type == EV_SWITCH || e->type == EV_WINDOW) {
		if (ls->spool)
			spool_add(ls->spool, e);
		else
			on_stream_event(ls, e);
	}
	return 0;
}

/*
 * A record of the stream, in the kernel's order. An EV_SWITCH record (two
 * traced threads at one switch) is the two state changes it stands for:
 * out, then in.
 */
static void on_stream_event(void *ctx, const struct st_event *e)
{
	struct loop_state *ls = ctx;
	struct st_event half;

	if (e->type == EV_WINDOW) {
		causes_event(ls->causes, e);
		if (ls->tl)
			timeline_window(ls->tl, e->tid, e->ts);
		return;
	}
	if (!ls->iv)
		return;
	if (e->type == EV_STATE) {
		on_state(ls, e);
		return;
	}
	half = *e;
	half.type = EV_STATE;
	half.ppid = half.exec = 0;
	on_state(ls, &half);
	half.state = ST_RUNNING;
	half.tid = e->ppid;
	half.pid = e->exec;
	half.addr = 0; /* the holder is the switched-out side's */
	on_state(ls, &half);
}

/* Tracing stopped: the intervals still open end at @end_ns. */
struct ended_at {
	struct loop_state *ls;
	uint64_t end_ns;
};

static void end_interval(void *ctx, const struct interval *i)
{
	const struct ended_at *at = ctx;

	if (at->ls->tl)
		timeline_slice(at->ls->tl, i, at->end_ns);
	causes_interval(at->ls->causes, i, at->end_ns);
}

/* The spooled state changes first, then the intervals still open end at @end_ns. */
static int end_intervals(struct loop_state *ls, uint64_t end_ns)
{
	struct ended_at at = {ls, end_ns};
	int err = ls->spool ? spool_replay(ls->spool, on_stream_event, ls) : 0;

	intervals_end_all(ls->iv, end_interval, &at);
	return err;
}

/* What cannot wait: a process's maps and futex words are read while it lives. */
static void on_one_event(struct loop_state *ls, const struct st_event *e)
{
	if (e->type == EV_FUTEX)
		causes_event(ls->causes, e);
	else if (e->type == EV_WINDOW)
		other_work_window(ls->other, now_ns());
	else if (e->type == EV_PROC && ls->sym)
		symbolizer_note_process(ls->sym, (pid_t)e->pid, (pid_t)e->ppid);
	else if (e->type == EV_JVM)
		jvm_event(ls->jvm, e);
}

/*
 * From each loaded program's bpf_prog_info: the runs the kernel skipped
 * because the program was already running on that CPU (recursion_misses:
 * events lost), and run_cnt/run_time_ns (counted while bpf_enable_stats'
 * fd is open, or the sysctl kernel.bpf_stats_enabled is 1).
 */
static void read_prog_info(struct schedtrace_bpf *skel, struct run_info *run)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);
		struct prog_stat *ps;

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
			fprintf(stderr, "schedtrace: bpf_obj_get_info_by_fd(%s): %s\n",
				bpf_program__name(prog), strerror(errno));
			continue;
		}
		if (opts.verbose && info.recursion_misses)
			fprintf(stderr, "schedtrace: %s: %llu runs skipped\n",
				bpf_program__name(prog), (unsigned long long)info.recursion_misses);
		run->prog_misses += info.recursion_misses;
		if (run->nprogs >= (int)(sizeof(run->progs) / sizeof(run->progs[0])))
			continue;
		ps = &run->progs[run->nprogs++];
		snprintf(ps->name, sizeof(ps->name), "%s", bpf_program__name(prog));
		ps->run_cnt = info.run_cnt;
		ps->run_time_ns = info.run_time_ns;
	}
}

/* VmHWM of this process, KiB (0 if unreadable). */
static uint64_t peak_rss_kib(void)
{
	unsigned long long v = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/*
 * Waits (up to a second) until the forked child sleeps on the go pipe, so
 * the state we start it in is true and the kernel's counters read before
 * the release hold no wait still in progress.
 */
static void wait_child_blocked(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		size_t n;

		if (!f)
			return;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		/* "S": asleep, on the pipe; it does nothing else before that. */
		p = strrchr(buf, ')');
		if (!p || (p[1] == ' ' && p[2] == 'S'))
			return;
		usleep(1000);
	}
}

/* An output file; created files are handed to the invoker in cleanup(). */
struct output {
	char path[4096];
	FILE *f;
};

/* Everything one run holds, released in one place: cleanup(). */
struct session {
	bool dir_created; /* -o DIR did not exist: it is handed to the invoker */
	struct output sched, timeline, folded;
	struct schedtrace_bpf *skel;
	const char *mode;
	struct ring_buffer *rb;
	struct loop_state ls;
	struct identity id;
	struct child child;
	bool child_running; /* started and not reaped: cleanup kills it */
	int wait_status;
	uint64_t steal0;
	struct run_info run;
	struct sched_maps maps;
	struct sched_snapshot snap;
	struct other_work other; /* other work on the run's CPUs, the tracer's cost */
	struct jvm *jvm;	 /* the JVM the command runs, for its monitors (jvm.h) */
	int stats_fd;		 /* the programs' run time is counted while it is open */
};

/* Privilege, BTF, tracefs and who runs the command. */
static int check_system(struct session *s)
{
	if (!privileged()) {
		fprintf(stderr, "schedtrace: loading eBPF programs needs root (or CAP_BPF and "
				"CAP_PERFMON): run it with sudo\n");
		return EXIT_NO_PRIV;
	}
	if (access(btf_path, R_OK)) {
		fprintf(stderr,
			"schedtrace: %s: %s: this kernel has no BTF "
			"(CONFIG_DEBUG_INFO_BTF=y is needed)\n",
			btf_path, strerror(errno));
		return EXIT_NO_BTF;
	}
	if (check_tracepoints())
		return EXIT_NO_TRACEFS;
	if (identity_resolve(&s->id, opts.user))
		return EXIT_USAGE;
	return EXIT_OK;
}

static int open_output(struct output *o, const char *name)
{
	snprintf(o->path, sizeof(o->path), "%s/%s", opts.outdir, name);
	o->f = fopen(o->path, "w");
	if (!o->f) {
		fprintf(stderr, "schedtrace: cannot write %s: %s (choose a writable -o DIR)\n",
			o->path, strerror(errno));
		return EXIT_NO_DIR;
	}
	return EXIT_OK;
}

static int open_outputs(struct session *s)
{
	if (make_dir(opts.outdir, &s->dir_created)) {
		fprintf(stderr, "schedtrace: cannot create %s: %s (choose a writable -o DIR)\n",
			opts.outdir, strerror(errno));
		return EXIT_NO_DIR;
	}
	/* A folder we made belongs to the invoker at once: the command writes there too. */
	if (s->dir_created)
		give_to_invoker(opts.outdir);
	if (open_output(&s->sched, "sched.json") ||
	    (opts.timeline && open_output(&s->timeline, "timeline.json")) ||
	    (opts.stacks && open_output(&s->folded, "offcpu.folded")))
		return EXIT_NO_DIR;
	return EXIT_OK;
}

static int load(struct session *s)
{
	s->jvm = jvm_find(opts.argv);
	if (!s->jvm) {
		fprintf(stderr, "schedtrace: out of memory\n");
		return EXIT_BPF;
	}
	s->skel = open_and_load(&s->mode, jvm_wanted(s->jvm));
	if (!s->skel)
		return EXIT_BPF;
	s->maps.live = s->mode[0] == 't' ? bpf_map__fd(s->skel->maps.live) : -1;
	s->maps.ended = s->mode[0] == 't' ? bpf_map__fd(s->skel->maps.ended) : -1;
	s->maps.threads = bpf_map__fd(s->skel->maps.threads);
	s->maps.traced = bpf_map__fd(s->skel->maps.traced);
	s->maps.syscalls = bpf_map__fd(s->skel->maps.syscalls);
	s->maps.futexes = bpf_map__fd(s->skel->maps.futexes);
	s->maps.holders = bpf_map__fd(s->skel->maps.holders);
	s->maps.tcp_ends = bpf_map__fd(s->skel->maps.tcp_ends);
	s->maps.wakes = bpf_map__fd(s->skel->maps.wakes);
	s->maps.lost = bpf_map__fd(s->skel->maps.lost);
	s->other.hold_fd = bpf_map__fd(s->skel->maps.cpu_hold);
	s->other.others_fd = bpf_map__fd(s->skel->maps.others);
	s->ls.other = &s->other;
	s->ls.jvm = s->jvm;
	return EXIT_OK;
}

/* What reads the programs' output while they run: the ring buffer, the symbolizer. */
static int open_readers(struct session *s)
{
	if (opts.stacks) {
		s->ls.sym = symbolizer_new();
		if (!s->ls.sym)
			return EXIT_READER;
	}
	s->ls.causes = causes_new(opts.timeline);
	if (!s->ls.causes)
		return EXIT_READER;
	if (opts.timeline && (!(s->ls.iv = intervals_new()) || !(s->ls.spool = spool_new())))
		return EXIT_READER;
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_event, &s->ls, NULL);
	if (!s->rb) {
		fprintf(stderr, "schedtrace: ring_buffer__new: %s\n", strerror(errno));
		return EXIT_READER;
	}
	return EXIT_OK;
}

/*
 * SIGINT and SIGTERM are caught from the start (a background job inherits
 * SIGINT ignored; loading takes about a second): one that arrives before the
 * command runs is passed on as soon as it does. SIGPIPE is ignored: Ctrl-C
 * on `... | tee log` kills the reader of our stderr too, and a message
 * written to it then must fail, not kill us before the results are written
 * (the command gets SIGPIPE back, child.c).
 */
static int catch_signals(void)
{
	struct sigaction sa = {}, ign = {.sa_handler = SIG_IGN};

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGPIPE, &ign, NULL)) {
		fprintf(stderr, "schedtrace: sigaction: %s\n", strerror(errno));
		return EXIT_START;
	}
	return EXIT_OK;
}

/* Forks the command, stopped; signals to us are forwarded to it from now on. */
static int start_command(struct session *s)
{
	if (child_start(&s->child, opts.argv, &s->id))
		return EXIT_START;
	s->child_running = true;
	child_pid = s->child.pid;
	wait_child_blocked(s->child.pid);
	/* What the kernel counted for the child before we watched (it was forked first). */
	if (read_task_counters(s->child.pid, &s->run))
		fprintf(stderr, "schedtrace: reading /proc/%d/schedstat: %s\n", (int)s->child.pid,
			strerror(errno));
	return EXIT_OK;
}

/* The command's first account, and its pid in the traced set. */
static int insert_child(struct session *s)
{
	struct st_thread t = {};
	__u32 key = (__u32)s->child.pid;
	__u8 one = 1;
	int err, pidfd = -1;

	if (bpf_map_update_elem(s->maps.traced, &key, &one, BPF_ANY)) {
		fprintf(stderr, "schedtrace: bpf_map_update_elem(traced): %s\n", strerror(errno));
		return EXIT_BPF;
	}
	t.first_ns = now_ns();
	t.state_ns = t.first_ns;
	t.state = ST_OTHER; /* blocked on the go pipe until released */
	t.sys_nr = -1;
	t.last_cpu = -1;
	t.pid = key;
	t.user_stack = ST_NO_STACK_YET;
	t.kern_stack = ST_NO_STACK_YET;
	for (int i = 0; i < SYS_CACHE; i++)
		t.sys[i].nr = -1;
	/* The kernel's counters as tracing begins: its cut is measured from here. */
	t.sched_sum_at_out = s->run.before.run_ns;
	t.sched_delay_at_out = s->run.before.wait_ns;
	snprintf(t.comm, sizeof(t.comm), "%s", "schedtrace");
	if (s->maps.live >= 0) {
		pidfd = (int)syscall(SYS_pidfd_open, s->child.pid, 0);
		if (pidfd < 0) {
			fprintf(stderr, "schedtrace: pidfd_open(%d): %s\n", (int)s->child.pid,
				strerror(errno));
			return EXIT_BPF;
		}
		err = bpf_map_update_elem(s->maps.live, &pidfd, &t, BPF_NOEXIST);
		close(pidfd);
	} else {
		err = bpf_map_update_elem(s->maps.threads, &key, &t, BPF_NOEXIST);
	}
	if (err) {
		fprintf(stderr, "schedtrace: bpf_map_update_elem(%s): %s\n",
			s->maps.live >= 0 ? "live" : "threads", strerror(errno));
		return EXIT_BPF;
	}
	return EXIT_OK;
}

static int attach(struct session *s)
{
	int err, ret = insert_child(s);

	if (ret)
		return ret;
	s->skel->bss->root_tid = (__u32)s->child.pid; /* its exec opens the command's window */
	s->stats_fd = other_work_enable_stats(s->other.stats_why, sizeof(s->other.stats_why));
	s->other.stats = s->stats_fd >= 0;
	if (sched_getaffinity(s->child.pid, sizeof(s->other.cpus), &s->other.cpus))
		CPU_ZERO(&s->other.cpus);
	s->other.from_ns = now_ns();
	s->skel->bss->attach_ns = s->other.from_ns;
	err = schedtrace_bpf__attach(s->skel);
	if (err) {
		fprintf(stderr, "schedtrace: schedtrace_bpf__attach: %s\n", strerror(-err));
		return EXIT_BPF;
	}
	jvm_attach(s->jvm, s->skel, s->mode);
	/* Every CPU's holder seen from here: the window's baseline knows them all. */
	other_work_visit_cpus(&s->other);
	s->run.start_ns = now_ns();
	if (opts.timeline) {
		s->ls.tl = timeline_open(s->timeline.f, s->run.start_ns);
		if (!s->ls.tl)
			return EXIT_WRITE;
	}
	if (s->ls.sym)
		symbolizer_note_process(s->ls.sym, s->child.pid, getpid());
	return EXIT_OK;
}

/* Lets the command exec: 127 not found, 126 not executable. */
static int release_command(struct session *s)
{
	int err;

	s->steal0 = steal_now_ns();
	err = child_release(&s->child);
	if (!err) {
		if (got_signal) /* it came while we were setting up */
			kill(s->child.pid, got_signal);
		return EXIT_OK;
	}
	waitpid(s->child.pid, NULL, 0);
	s->child_running = false;
	fprintf(stderr, "schedtrace: %s: %s\n", opts.argv[0],
		err == ENOENT ? "command not found" : strerror(err));
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}

/* --duration: SIGTERM at the deadline, SIGKILL 2 s later. */
static void enforce_duration(struct session *s, uint64_t now, uint64_t deadline, uint64_t *kill_at)
{
	if (deadline && now >= deadline && !*kill_at) {
		if (opts.verbose)
			fprintf(stderr, "schedtrace: --duration reached, stopping %s\n",
				opts.argv[0]);
		s->run.partial = true;
		kill(s->child.pid, SIGTERM);
		*kill_at = now + 2000000000ULL;
	}
	if (*kill_at && now >= *kill_at) {
		kill(s->child.pid, SIGKILL);
		*kill_at = ~0ULL;
	}
}

/*
 * The command was reaped: its parent is told at exit_notify(), before its
 * last thread's final switch-out (MACHINE-NOTES: 0.74 ms median, 7.3 ms
 * seen for a main thread, longer if preempted). Waits up to 200 ms for the
 * kernel half to stamp it (window_end_ns).
 */
static void wait_window_end(const struct session *s)
{
	const volatile __u64 *end = &s->skel->bss->window_end_ns;

	for (int i = 0; i < 200 && !*end; i++)
		usleep(1000);
}

/* Until the command ends: drain the ring buffer, refresh maps, report progress. */
static void run_loop(struct session *s)
{
	uint64_t deadline = 0, kill_at = 0, last_report, last_refresh, last_harvest,
		 last_events = 0, stop_ns;
	int err;

	if (opts.duration_s > 0)
		deadline = s->run.start_ns + (uint64_t)(opts.duration_s * 1e9);
	last_report = last_refresh = last_harvest = s->run.start_ns;
	for (;;) {
		pid_t w;
		uint64_t now;

		if (s->rb) {
			/* The programs wake us only when the buffer fills: poll, then drain. */
			err = ring_buffer__poll(s->rb, 20);
			if (err >= 0)
				err = ring_buffer__consume(s->rb);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "schedtrace: ring_buffer__poll: %s\n",
					strerror(-err));
				break;
			}
		} else {
			usleep(20000);
		}
		other_work_follow_cpus(&s->other, s->child.pid, s->skel->bss->skip_cpu, MAX_CPUS);
		w = waitpid(s->child.pid, &s->wait_status, WNOHANG);
		if (w == s->child.pid) {
			s->child_running = false;
			break;
		}
		if (w < 0 && errno != EINTR) {
			fprintf(stderr, "schedtrace: waitpid: %s\n", strerror(errno));
			break;
		}
		now = now_ns();
		/* Free the kernel's preallocated elements of threads that ended. */
		if (snapshot_drain_ended(&s->maps, now, false) < 0)
			break;
		enforce_duration(s, now, deadline, &kill_at);
		/* Ended processes leave the other-work table, named, for those to come. */
		if (now - last_harvest >= 1000000000ULL) {
			if (other_work_harvest(&s->other) < 0)
				break;
			last_harvest = now;
		}
		/* Libraries mapped after exec must be known before the process ends. */
		if (s->ls.sym && now - last_refresh >= 100000000ULL) {
			symbolizer_refresh(s->ls.sym);
			last_refresh = now;
		}
		if (opts.verbose && now - last_report >= 1000000000ULL) {
			fprintf(stderr, "schedtrace: %.1f s, %.0f events/s\n",
				(double)(now - s->run.start_ns) / 1e9,
				(double)(s->ls.events - last_events) * 1e9 /
				    (double)(now - last_report));
			last_events = s->ls.events;
			last_report = now;
		}
	}
	other_work_visit_cpus(&s->other);
	stop_ns = now_ns();
	if (!s->child_running)
		wait_window_end(s);
	s->run.end_ns =
	    run_window_end(s->skel->bss->window_end_ns, s->run.start_ns, stop_ns, &s->run.end_from);
	if (opts.verbose)
		fprintf(stderr, "schedtrace: the window ends at the %s, %+.1f ms from the reap\n",
			s->run.end_from, ((double)s->run.end_ns - (double)stop_ns) / 1e6);
	s->run.steal_ns = steal_now_ns() - s->steal0;
	/* Stopped by a signal, or by an error while the command still ran. */
	if (got_signal || s->child_running)
		s->run.partial = true;
}

/* Other work and the tracer's cost, once the programs are detached. */
static int read_other_work(struct session *s)
{
	struct other_work *ow = &s->other;

	if (ow->stats) {
		for (int i = 0; i < s->run.nprogs; i++) {
			ow->prog_runs += s->run.progs[i].run_cnt;
			ow->prog_run_ns += s->run.progs[i].run_time_ns;
		}
	}
	return other_work_read(ow, s->run.end_ns);
}

/*
 * Live accounts while attached (task storage is readable only while its
 * thread lives), then detach, drain, and read what the ended threads left.
 */
static int collect(struct session *s)
{
	int ret = EXIT_OK;

	if (snapshot_live(&s->snap, &s->maps))
		ret = EXIT_WRITE;
	schedtrace_bpf__detach(s->skel);
	if (s->rb)
		ring_buffer__consume(s->rb);
	if (!ret && snapshot_drain_ended(&s->maps, 0, true) < 0)
		ret = EXIT_WRITE;
	if (!ret && snapshot_maps(&s->snap, &s->maps, s->run.end_ns))
		ret = EXIT_WRITE;
	read_prog_info(s->skel, &s->run);
	if (!ret && read_other_work(s))
		ret = EXIT_WRITE;
	return ret;
}

static void print_lost(const struct session *s)
{
	fprintf(stderr, "schedtrace: lost:");
	for (int k = 0; k < NR_LOST; k++)
		fprintf(stderr, " %s %llu", lost_names[k], (unsigned long long)s->snap.lost[k]);
	fprintf(stderr, ", prog_misses %llu\n", (unsigned long long)s->run.prog_misses);
}

/* The result files; the command's exit status, or EXIT_WRITE. */
static int write_outputs(struct session *s)
{
	const int st = s->wait_status;
	json_t *doc;
	int ret;

	s->run.argv = opts.argv;
	s->run.pid = s->child.pid;
	s->run.uid = s->id.uid;
	s->run.gid = s->id.gid;
	s->run.exit_status = WIFEXITED(st)     ? WEXITSTATUS(st)
			     : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
					       : 1;
	s->run.cpus = cpus_usable();
	s->run.attach_mode = s->mode;
	s->run.syscalls_traced = opts.syscalls;
	s->run.peak_rss_kib = peak_rss_kib();
	ret = s->run.exit_status;
	if (collect(s))
		return EXIT_WRITE;
	if (end_intervals(&s->ls, s->run.end_ns))
		ret = EXIT_WRITE;
	s->run.window_ns = causes_window_ns(s->ls.causes);
	doc = sched_json(&s->snap, &s->run, s->ls.causes, &s->other);
	if (doc && jvm_wanted(s->jvm))
		json_object_set_new(doc, "jvm", jvm_json(s->jvm));
	if (!doc || sched_json_dump(s->sched.f, doc))
		ret = EXIT_WRITE;
	json_decref(doc);
	if (s->ls.tl && timeline_close(s->ls.tl, &s->snap))
		ret = EXIT_WRITE;
	s->ls.tl = NULL;
	if (s->folded.f && offcpu_write(s->folded.f, bpf_map__fd(s->skel->maps.offcpu),
					bpf_map__fd(s->skel->maps.stacks), &s->snap, s->ls.sym))
		ret = EXIT_WRITE;
	if (opts.verbose)
		print_lost(s);
	return ret;
}

static int close_output(struct output *o)
{
	int err = 0;

	if (!o->f)
		return 0;
	if (fclose(o->f)) {
		fprintf(stderr, "schedtrace: fclose(%s): %s\n", o->path, strerror(errno));
		err = -1;
	}
	o->f = NULL;
	give_to_invoker(o->path);
	return err;
}

/* The one cleanup path: whatever phase failed, nothing stays behind. */
static int cleanup(struct session *s, int ret)
{
	if (s->child_running) {
		kill(s->child.pid, SIGKILL);
		waitpid(s->child.pid, NULL, 0);
	}
	if (s->ls.tl) { /* a run that failed before writing: end the JSON anyway */
		end_intervals(&s->ls, now_ns());
		timeline_close(s->ls.tl, &s->snap);
	}
	ring_buffer__free(s->rb);
	jvm_free(s->jvm);
	schedtrace_bpf__destroy(s->skel);
	symbolizer_free(s->ls.sym);
	causes_free(s->ls.causes);
	intervals_free(s->ls.iv);
	spool_free(s->ls.spool);
	snapshot_free(&s->snap);
	other_work_free(&s->other);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	/* Once results were written, a file that does not close is a failed write. */
	if ((close_output(&s->sched) | close_output(&s->timeline) | close_output(&s->folded)) &&
	    s->run.end_ns)
		ret = EXIT_WRITE;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct argp argp = {options, parse_arg, args_doc, doc, NULL, NULL, NULL};
	static struct session s = {.stats_fd = -1};
	int ret;

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL))
		return EXIT_USAGE;
	libbpf_set_print(libbpf_print);
	if (getenv("SCHEDTRACE_BTF"))
		btf_path = getenv("SCHEDTRACE_BTF");

	ret = catch_signals();
	if (!ret)
		ret = check_system(&s);
	if (!ret)
		ret = open_outputs(&s);
	if (!ret)
		ret = load(&s);
	if (!ret)
		ret = open_readers(&s);
	if (!ret)
		ret = start_command(&s);
	if (!ret)
		ret = attach(&s);
	if (!ret)
		ret = release_command(&s);
	if (!ret) {
		run_loop(&s);
		ret = write_outputs(&s);
	}
	return cleanup(&s, ret);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedtrace: the layouts both halves share (BPF maps, ring buffer events)
 * and the histogram bucket arithmetic, which must be identical on both sides.
 */
#ifndef SCHEDTRACE_H
#define SCHEDTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TASK_COMM_LEN 16
#define MAX_SYSCALL_NR 512
/*
 * Preallocated accounts of threads that ended and the user half has not yet
 * moved (it moves them every 20 ms): more ending in one poll fall back to
 * an allocating insert (docs/collector.md, "Cost").
 */
#define ENDED_SLOTS 4096

/* One vocabulary for thread states (docs/formats.md, docs/collector.md). */
enum st_thread_state {
	ST_RUNNING,
	ST_RUNNABLE,
	ST_LOCK,
	ST_SLEEP,
	ST_IO,
	ST_DISK,
	ST_OTHER,
	NR_STATES,
	ST_EXITED = NR_STATES, /* only in ring buffer events: the thread ended */
};

/* What a syscall in progress means for a thread that blocks inside it. */
enum st_syscall_class {
	SC_NONE,
	SC_FUTEX, /* futex(2): a lock wait when the op is a WAIT/LOCK op */
	SC_LOCK,  /* futex_waitv(2) */
	SC_SLEEP,
	SC_IO,
};

/* Per-CPU counters of what could not be recorded (indices of the lost map). */
enum st_lost_kind {
	LOST_RINGBUF,
	LOST_MAP_FULL,
	LOST_STACK_MISS,
	LOST_STACK_COLLISION,
	LOST_SWITCH_IN,	 /* switched out while not seen switched in */
	LOST_SWITCH_OUT, /* switched in while not seen switched out */
	LOST_WAKEUP,	 /* switched in from a blocked state: its wakeup was not seen */
	LOST_MAP_BUSY,	 /* a map insert refused because the bucket was locked (-EBUSY) */
	LOST_TID_REUSED, /* a new thread whose tid is already in the threads map */
	/*
	 * A thread began its exit but its final switch-out (TASK_DEAD) was never
	 * seen: its account ends at sched_process_exit. Counted by the user half.
	 */
	LOST_EXIT_SWITCH,
	NR_LOST,
};

#ifndef __bpf__
/*
 * The names of the states and of the lost kinds, as sched.json,
 * timeline.json and the report spell them (docs/formats.md), beside the
 * enums they name: the one table the collector and the report use.
 */
static const char *const state_names[NR_STATES + 1] = {
    [ST_RUNNING] = "running", [ST_RUNNABLE] = "runnable",
    [ST_LOCK] = "lock",	      [ST_SLEEP] = "sleep",
    [ST_IO] = "io",	      [ST_DISK] = "disk",
    [ST_OTHER] = "other",     [ST_EXITED] = "exited",
};

static const char *const lost_names[NR_LOST] = {
    [LOST_RINGBUF] = "ringbuf",
    [LOST_MAP_FULL] = "map_full",
    [LOST_STACK_MISS] = "stack_misses",
    [LOST_STACK_COLLISION] = "stack_collisions",
    [LOST_SWITCH_IN] = "switch_in_missed",
    [LOST_SWITCH_OUT] = "switch_out_missed",
    [LOST_WAKEUP] = "wakeup_missed",
    [LOST_MAP_BUSY] = "map_busy",
    [LOST_TID_REUSED] = "tid_reused",
    [LOST_EXIT_SWITCH] = "exit_switch_missed",
};
#endif

/* The kernel's own accounting, read off the task_struct at its final switch-out. */
struct st_kernel {
	__u64 sum_exec_runtime_ns;
	__u64 run_delay_ns;
	__u64 pcount;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 min_flt; /* page faults served without I/O (fresh page, copy on write) */
	__u64 maj_flt; /* page faults that waited for I/O */
};

/*
 * Who wakes a thread: the TOP_WAKERS most frequent wakers, kept with the
 * space-saving algorithm (a new waker takes the slot of the least counted
 * one, with that count + 1). Exact while a thread has at most TOP_WAKERS
 * distinct wakers; beyond, any waker with more than 1/TOP_WAKERS of the
 * wakeups is still there, its count an upper bound.
 */
#define TOP_WAKERS 4
struct st_waker_slot {
	__u32 tid;
	__u32 count;
	char comm[TASK_COMM_LEN];
};

/*
 * Who ended a wait (wake edges, docs/collector.md): the task that called
 * try_to_wake_up(), or the context it ran in. From an interrupt the context
 * is named, not the task it interrupted.
 */
enum st_waker_kind {
	WK_NONE,    /* not seen */
	WK_THREAD,  /* a traced thread: id is its tid */
	WK_PROCESS, /* a task of an untraced process: id is its tid, comm kept */
	WK_KTHREAD, /* a kernel thread (kworker, ksoftirqd...): id is its tid */
	WK_HARDIRQ, /* hard interrupt context: id HARDIRQ_TIMER (an hrtimer expiring) or _DEVICE */
	WK_SOFTIRQ, /* softirq context: id is the vector (NET_RX, TIMER, BLOCK...) */
	WK_IDLE,    /* the idle task outside interrupt context */
	WK_FORK,    /* a new thread's first run queue entry: id is its parent's tid */
	NR_WAKER_KINDS,
};

#ifndef __bpf__
/* Their names, as sched.json "wakes", timeline.json args.waker_kind and the
 * report spell them: the one table the collector and the report use. */
static const char *const waker_kind_names[NR_WAKER_KINDS] = {
    [WK_NONE] = "unknown",    [WK_THREAD] = "thread",	[WK_PROCESS] = "process",
    [WK_KTHREAD] = "kthread", [WK_HARDIRQ] = "hardirq", [WK_SOFTIRQ] = "softirq",
    [WK_IDLE] = "idle",	      [WK_FORK] = "fork",
};
#endif

enum { HARDIRQ_DEVICE, HARDIRQ_TIMER };

/* The waker as sched_waking saw it, kept until sched_wakeup. */
struct st_waker {
	__u32 id;
	__u32 pid; /* tgid of a task waker, or of the traced thread a softirq ran in */
	__u8 kind;
	/*
	 * An unblocked signal was pending on the wakee when it was woken: the
	 * wake was the signal's delivery (a kill, a timer's signal), which can
	 * end any interruptible wait, not the event the wait was for.
	 */
	__u8 signal;
	__u8 pad[2];
	/*
	 * A softirq run inside a traced thread's syscall (loopback networking:
	 * the sender's send runs the receiver's NET_RX inline): that thread's
	 * tid, the likely cause; 0 otherwise (an interrupt's softirq, ksoftirqd).
	 */
	__u32 host;
	char comm[TASK_COMM_LEN];
};

/* wakes map: (wakee, waker, what the wakee waited on) -> the waits it ended. */
#define NO_SYSCALL 0xffff
struct st_wake_key {
	__u32 wakee;
	__u32 waker;	   /* see st_waker_kind */
	__u8 waker_kind;   /* enum st_waker_kind */
	__u8 wait_state;   /* the blocked state: ST_LOCK, ST_SLEEP, ST_IO, ST_DISK, ST_OTHER */
	__u16 sys_nr;	   /* the syscall the wakee blocked in, NO_SYSCALL outside one */
	__u32 host;	   /* WK_SOFTIRQ: the traced thread it ran in (st_waker.host), else 0 */
	__u64 futex_uaddr; /* the futex word of a futex wait, else 0 */
	__u8 futex_cmd;	   /* a futex wait's op & FUTEX_CMD_MASK (FUTEX_WAIT...), else 0 */
	__u8 futex_flags;  /* a futex wait's FW_TIMEOUT, FW_PRIVATE, else 0 */
	__u8 signal;	   /* st_waker.signal: ended by a signal's delivery */
	__u8 pad[5];
};

/* How a futex wait was asked for (st_wake_key.futex_flags, st_thread.futex_flags). */
enum {
	FW_TIMEOUT = 1 << 0, /* a timeout was passed: a timer may end the wait */
	FW_PRIVATE = 1 << 1, /* FUTEX_PRIVATE_FLAG: only the waiter's own process can wake it */
	/*
	 * The wait was inside a contended Java monitor enter (HotSpot's
	 * ObjectMonitor::EnterI/ReenterI, st_thread.monitor): futex_uaddr is
	 * then the monitor's address, not the thread's own park word.
	 */
	FW_MONITOR = 1 << 2,
};

#define WAKE_SLOTS 40 /* log2 buckets of the blocked time */
struct st_wake {
	__u64 count;
	__u64 blocked_ns; /* sum of the waits these wakeups ended */
	__u64 max_ns;
	__u32 waker_pid;
	__u32 pad;
	char waker_comm[TASK_COMM_LEN];
	__u64 slots[WAKE_SLOTS];
	/*
	 * Of these waits, those whose waker sched_waking saw while the wakee
	 * still ran: its sched_wakeup came later, on the wakee's CPU, over
	 * whatever ran there (docs/collector.md, "Who woke whom").
	 */
	__u64 woken_before_switch_out;
};

/*
 * The wake edge a thread's waits went to last, kept in its own account: a
 * wakeup on the same edge adds to memory the handler already holds, and
 * only a wakeup on another edge moves this one into the wakes map (a
 * flush; so does publishing the account). The user half adds what is
 * here to the map's edges.
 */
struct st_wake_slot {
	struct st_wake_key key;
	struct st_wake w; /* w.count 0: empty */
};

/*
 * Histograms: log2 buckets, each power of two split into 8 linear
 * sub-buckets, so a bucket is at most 12.5% wide and percentiles read from it
 * are within that of the truth. Values below 8 ns get a bucket each.
 */
#define HIST_SUB_BITS 3
#define HIST_SUB (1 << HIST_SUB_BITS)
#define HIST_SLOTS 320 /* up to 2^41 ns, about 36 minutes */

static inline int hist_log2(__u64 v)
{
	int r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

static inline __u32 hist_slot(__u64 v)
{
	int e;
	__u32 slot;

	if (v < HIST_SUB)
		return (__u32)v;
	e = hist_log2(v);
	slot = (__u32)(e - HIST_SUB_BITS + 1) * HIST_SUB +
	       (__u32)((v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
	return slot < HIST_SLOTS ? slot : HIST_SLOTS - 1;
}

/* [lo, hi) of a slot, the inverse of hist_slot. */
static inline __u64 hist_slot_lo(__u32 slot)
{
	__u32 e;

	if (slot < HIST_SUB)
		return slot;
	e = slot / HIST_SUB - 1 + HIST_SUB_BITS;
	return (__u64)(HIST_SUB + slot % HIST_SUB) << (e - HIST_SUB_BITS);
}

static inline __u64 hist_slot_hi(__u32 slot)
{
	return slot + 1 < HIST_SLOTS ? hist_slot_lo(slot + 1) : ~0ULL;
}

/* Run-queue latency of one thread (summed per process by the user half). */
struct st_runq {
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;
	__u32 slots[HIST_SLOTS];
};

/* syscalls map: (tid, nr) -> latency. Plain log2 buckets. */
#define SYS_SLOTS 40
struct st_syscall_key {
	__u32 tid;
	__u32 nr;
};

struct st_syscall {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
	__u64 slots[SYS_SLOTS];
};

/*
 * The syscalls a thread made, kept in the thread's own record: SYS_CACHE
 * slots, direct-mapped by number (nr % SYS_CACHE), so sys_exit updates
 * memory it already holds instead of a hash map. A syscall whose slot holds
 * another number moves that one into the syscalls map (an eviction); the
 * user half adds both.
 */
#define SYS_CACHE 16
struct st_sys_slot {
	__s32 nr; /* -1: empty */
	__u32 count;
	__u32 errors;
	__u32 pad;
	__u64 total_ns;
	__u64 max_ns;
	__u32 slots[SYS_SLOTS];
};

/*
 * --stacks: a thread's off-CPU time in each state under the stacks taken
 * at its last switch-out, kept in its own account (st_thread.offcpu_slot,
 * one per state): an interval under the same stacks adds to memory the
 * handler already holds, and only one under other stacks moves the slot
 * into the offcpu map (so does publishing the account). The user half adds
 * what is here to the map's lines.
 */
struct st_offcpu_slot {
	__s32 user_stack;
	__s32 kern_stack;
	__u64 ns; /* 0: empty */
};

/* A thread's release of a contended mutex: the word, when, its time per state then. */
#define RELEASE_SLOTS 4
struct st_release {
	__u64 uaddr;
	__u64 ns;
	__u64 state_total_ns[NR_STATES];
};

/*
 * A thread's account. Live, it is the thread's task-local storage (the
 * `live` map; raw_tp fallback: the `threads` hash); once the thread ended
 * (its final switch-out, state TASK_DEAD) it is copied into `threads`,
 * where the user half reads it. Its presence means "traced".
 */
struct st_thread {
	__u64 first_ns;
	__u64 last_ns;	/* the final switch-out; 0 while alive */
	__u64 exit_ns;	/* sched_process_exit: the exit began (0: not yet) */
	__u64 state_ns; /* when the current state began */
	__u64 state_total_ns[NR_STATES];
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 exit_switches; /* switches out after exit_ns (the final one included) */
	__u64 timeslices;
	__u64 migrations;
	__u64 wakeups;
	/*
	 * Runnable time after a preemption that caught the thread on its way to
	 * sleep (state already not TASK_RUNNING): it waits in the run queue,
	 * but the kernel's sched_info does not queue it, so schedstat wait_ns
	 * leaves this time out.
	 */
	__u64 runnable_asleep_ns;
	/* syscall in progress */
	__u64 sys_start_ns;
	__u64 futex_uaddr;
	__u8 futex_cmd;	  /* for futex_uaddr: see st_wake_key */
	__u8 futex_flags; /* for futex_uaddr: FW_TIMEOUT, FW_PRIVATE */
	__u8 pad_futex[6];
	/*
	 * The Java monitor (HotSpot's ObjectMonitor*) this thread is entering
	 * on the contended path, between the uprobes on EnterI (or ReenterI)
	 * and their return; 0 outside one.
	 */
	__u64 monitor;
	/*
	 * A futex wait on a word shaped like a locked glibc mutex (or a PI
	 * lock): the tid that owned it, read at the blocking switch-out, and
	 * that owner's time per state then (its open state included), so the
	 * wakeup can tell what the owner did over the wait. 0: no owner known.
	 */
	__u32 lock_owner;
	__u32 owner_rel_seq; /* that owner's rel_seq then: its releases since are its later ones */
	__u64 owner_at_wait[NR_STATES];
	/*
	 * This thread's last RELEASE_SLOTS releases of a contended mutex (it
	 * woke a waiter of the word, or queued on the word itself): a waiter that
	 * found it holding the lock ends its tenure at the first one after the
	 * wait began (add_holder_wait). rel_seq counts them; release n is in
	 * rel[(n - 1) % RELEASE_SLOTS].
	 */
	__u32 rel_seq;
	__u32 pad_rel;
	struct st_release rel[RELEASE_SLOTS];
	__s32 sys_nr; /* -1: none */
	__u8 sys_class;
	__u8 state;
	__u8 ended;	/* its final switch-out was seen: the account is final */
	__u8 asleep;	/* the current runnable interval began with a preemption mid-sleep */
	__s32 last_cpu; /* -1: never ran while traced */
	__u32 pid;	/* tgid */
	/* stack ids taken at the last switch-out (--stacks) */
	__s32 user_stack;
	__s32 kern_stack;
	/*
	 * The scheduler's own cut of the same life: se.sum_exec_runtime and
	 * sched_info.run_delay read at every switch-in and switch-out. Their
	 * deltas over the completed slices are the kernel's running and
	 * runnable, beside the collector's (docs/collector.md, "The two cuts").
	 */
	__u64 sched_sum_at_in;
	__u64 sched_sum_at_out;	  /* se.sum_exec_runtime at the last switch-out */
	__u64 sched_delay_at_out; /* sched_info.run_delay at the last switch-out */
	__u64 sched_running_ns;	  /* sum of se.sum_exec_runtime deltas per slice */
	__u64 sched_runnable_ns;  /* sum of sched_info.run_delay deltas per slice */
	__u64 slice_running_ns;	  /* the same completed slices by bpf_ktime_get_ns */
	__u64 slice_runnable_ns;  /* runnable intervals ended by those slices' switch-ins */
	/*
	 * Interrupt and steal time inside the thread's running slices: the
	 * growth of the CPU's rq->clock - rq->clock_task over each slice. The
	 * kernel's task clock (se.sum_exec_runtime) leaves it out, the
	 * tracepoints' clock does not.
	 */
	__u64 irq_steal_ns;
	__u64 irq_steal_at_in; /* rq->clock - rq->clock_task at the switch-in */
	/*
	 * Run-queue wait the kernel counts before the thread was woken: at
	 * sched_wakeup, the run queue's clock minus sched_info.last_queued when
	 * that stamp is older than the wakeup (the scheduler had the sleeping
	 * thread queued: docs/collector.md, "Sleep the kernel counts as wait").
	 */
	__u64 queued_asleep_ns;
	/*
	 * Per wakeup: bpf_ktime_get_ns at sched_wakeup minus the run queue's
	 * clock as the wakeup updated it before the enqueue. Less the two
	 * clocks' common offset (the same lag at a preemption's switch-in,
	 * arrival_lag_preempted), it is how long before the tracepoint the
	 * kernel's wait began: the part of running + runnable the kernel counts
	 * and the tracepoints cannot.
	 */
	__s64 wake_lag_sum;
	__u64 wake_lags;
	/*
	 * Where the clocks part (docs/collector.md): per completed slice,
	 * bpf_ktime_get_ns at our switch-in minus the scheduler's own arrival
	 * stamp (sched_info.last_arrival), summed separately for slices that
	 * began with a wakeup and slices that began after a preemption; and
	 * the wait before the woken ones by our clock.
	 */
	__s64 lag_woken_sum;
	__s64 lag_preempted_sum;
	__u64 woken_wait_sum;
	/* Slices ended by a preemption (runnable at switch-out): their running deviation. */
	__s64 dev_preempted_sum;
	__s64 dev_woken_sum;
	__u32 woken_slices;
	__u32 preempted_slices;
	__u8 woken;	  /* the current runnable interval began with a wakeup */
	__u8 slice_woken; /* the current running slice followed a wakeup */
	/*
	 * Switched in straight from a blocked state (its wakeup never seen):
	 * the blocked state charged for the interval, the interval's length,
	 * and sched_info.run_delay at the switch-out that began it. The next
	 * switch-out moves what run_delay grew since (the wait this arrival
	 * ended, and any sleep it counted as wait) from the blocked state to
	 * runnable.
	 */
	__u8 missed_wake_state;
	__u8 pad2[5];
	__u64 missed_wake_gap_ns;
	__u64 missed_wake_delay_ns;
	__u64 runnable_open_ns; /* runnable time of the slice now running (for slice_runnable_ns) */
	char comm[TASK_COMM_LEN];
	struct st_kernel kernel; /* read at the final switch-out (at exit until then) */
	struct st_waker_slot wakers[TOP_WAKERS];
	/* sched_waking runs in the waker's context, sched_wakeup maybe not: */
	struct st_waker_slot waking; /* the waker seen by sched_waking (count: 1 if pending) */
	/*
	 * timeslices when sched_waking saw it. A waking seen while the thread
	 * still ran (it had set its sleep state, its switch-out not yet seen)
	 * belongs to the blocked state that switch-out begins; one from an
	 * earlier slice is stale (docs/collector.md, "Who woke whom").
	 */
	__u64 waking_slice;
	__u64 waking_ns; /* when: a missed switch-in's repair tells one from the slice it rebuilt */
	__u8 waking_on_cpu; /* that waking came while the thread still counted as running */
	__u8 pad_waking[7];
	__u64 waker_evictions;	       /* slots taken over: the counts are upper bounds */
	struct st_wake_slot wake_slot; /* the last wake edge, not yet in the wakes map */
	struct st_offcpu_slot offcpu_slot[NR_STATES]; /* --stacks: not yet in the offcpu map */
	/* Wake edges and the command's window (issue 9). */
	struct st_waker waker;	  /* sched_waking's view of the pending wakeup */
	__u64 clear_child_tid;	  /* the word the kernel clears and wakes at exit (a join) */
	__u64 window_ns;	  /* exec of the command: its accounting began again here */
	struct st_kernel at_exec; /* the kernel's counters at that exec (the baseline) */
	struct st_runq runq;
	struct st_sys_slot sys[SYS_CACHE];
};

/* futex map: (tgid, user address) -> waits. */
struct st_futex_key {
	__u32 pid;
	__u32 pad;
	__u64 uaddr;
};

struct st_futex {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u8 flags; /* FW_MONITOR: the key's address is a Java monitor's */
	__u8 pad[7];
};

/*
 * jvms map: pid -> where that JVM keeps a monitor's owner, read by the user
 * half from HotSpot's own table of its fields (gHotSpotVMStructs,
 * collectors/jvm.c) once the JVM is up: ObjectMonitor::_owner (the owning
 * JavaThread*), its _osthread (OSThread*), and that one's _thread_id (the
 * kernel's tid).
 */
struct st_jvm {
	__u64 owner_off;
	__u64 osthread_off;
	__u64 thread_id_off;
};

/*
 * holders map: (process, word, waiter, owner) -> the waits of @waiter on a
 * mutex @owner held as the wait began (st_thread.lock_owner), and what the
 * owner did meanwhile: its time per state over those waits.
 */
struct st_holder_key {
	__u32 pid;
	__u32 waiter;
	__u32 owner;
	__u32 pad;
	__u64 uaddr;
};

struct st_holder {
	__u64 count;
	__u64 blocked_ns;
	/*
	 * Of the waits whose owner's tenure was seen: how much of them the
	 * owner held the lock (from the wait's start to its first release of
	 * the word after it, or to the wakeup when none came first), and its
	 * time per state over that. owner_unknown: the waits without (the owner
	 * ended first, or released RELEASE_SLOTS more times before the wakeup).
	 */
	__u64 held_ns;
	__u64 owner_unknown;
	__u64 owner_ns[NR_STATES];
};

/*
 * tcp_ends map: the TCP ends a traced process opened, by (process, port,
 * role), from sock:inet_sock_set_state in the process's own context: a
 * listen on its local port, a connect attempt to a remote port, and of
 * those attempts the ones that were established. How many of each.
 */
enum { TCP_END_LISTEN, TCP_END_CONNECT, TCP_END_ESTABLISHED, NR_TCP_ENDS };

struct st_tcp_key {
	__u32 pid;
	__u16 port; /* the listening port, or the port connected to */
	__u8 role;  /* TCP_END_* */
	__u8 pad;
};

/* offcpu map (--stacks): off-CPU time by (thread, stacks, state). */
struct st_offcpu_key {
	__u32 pid;
	__u32 tid;
	__s32 user_stack;
	__s32 kern_stack;
	__u32 state;
	__u32 pad;
};

#define MAX_STACK_DEPTH 64
/* Stack ids before the thread's first switch-out (bpf_get_stackid errors are -errno). */
#define ST_NO_STACK_YET (-1000)
/* The kernel stack id when it was not asked for (schedtrace --stacks without --kernel-stacks). */
#define ST_KERNEL_STACK_NOT_ASKED (-1001)

/*
 * Other work on the run's CPUs (docs/collector.md, "Other work"): whatever
 * ran there that is neither the traced command nor the idle task. Per CPU,
 * the task holding it and since when (stamped at every switch the program
 * sees there) and the totals; per process, the CPU time it took, in a table
 * of OTHER_PROCS (time of processes beyond it is counted as lost).
 */
#define OTHER_PROCS 1024
#define MAX_CPUS 1024

struct st_cpu_hold {
	__u64 since;   /* the last switch seen on this CPU: its holder's switch-in */
	__u64 stretch; /* the switch-in that began the holders outside the run, one after another */
	__u32 tid;     /* the holder when it is outside the run (0: idle, traced) */
	__u32 tgid;
	__u8 seen;	  /* a switch on this CPU was seen since attach */
	__u8 tracer_only; /* the stretch so far was held by the tracer's processes alone */
	__u8 pad[6];
	__u64 other_ns;		/* CPU time of other work on this CPU */
	__u64 tracer_ns;	/* CPU time of the tracer's own processes (schedtrace, perf) */
	__u64 lost_ns;		/* CPU time of processes the table had no room for */
	__u64 run_waited_ns;	/* run-queue waits of the run that other work's stretch ended */
	__u64 tracer_waited_ns; /* the same behind the tracer's processes */
	__u64 unseen;		/* a holder's switch-out the kernel did not report */
};

struct st_other {
	__u64 cpu_ns;
	__u64 slices;
	__u32 ppid;
	__u8 tracer;  /* schedtrace itself, or a descendant of --tracer-pid */
	__u8 kthread; /* a kernel thread */
	__u8 pad[2];
	char comm[TASK_COMM_LEN]; /* the process's (its group leader's) name */
};

/* Ring buffer events. */
enum st_event_type {
	EV_STATE,  /* a thread changed state (--timeline) */
	EV_PROC,   /* a traced process appeared or exec'd: snapshot its maps */
	EV_FUTEX,  /* a futex word seen for the first time: name it while the process lives */
	EV_WINDOW, /* the command exec'd: its window begins at ts */
	/*
	 * A switch between two traced threads (--timeline): one record for
	 * both state changes. tid/pid/state: the thread switched out and its
	 * new state; ppid/exec: the tid and pid of the thread switched in
	 * (now running). Half the ring-buffer work of two EV_STATE records.
	 */
	EV_SWITCH,
	EV_JVM, /* a traced JVM is up (JNI_CreateJavaVM returned): read its layout */
};

struct st_event {
	__u8 type;
	__u8 state;
	__u8 waker_kind; /* EV_STATE to runnable: who ended the wait (enum st_waker_kind) */
	__u8 pad;
	__s32 cpu;
	__u32 tid;
	__u32 pid;
	__u64 ts;
	__u32 ppid; /* EV_PROC: the parent (whose maps a fork shares); EV_STATE: the waker's id */
	__u32 exec; /* EV_PROC: 1 after exec, 0 after fork; EV_STATE: st_waker.host */
	/*
	 * EV_FUTEX: the word's address. EV_STATE and EV_SWITCH into lock: the
	 * mutex owner read at the wait (st_thread.lock_owner), 0 when none.
	 */
	__u64 addr;
};

#endif /* SCHEDTRACE_H */

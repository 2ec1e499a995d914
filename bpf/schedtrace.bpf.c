// SPDX-License-Identifier: GPL-2.0
/*
 * schedtrace: where the threads of one command spend their time.
 *
 * Every traced thread carries its account in task-local storage (the `live`
 * map): its presence is the filter, and finding it is a pointer load off the
 * task, for traced threads and the machine's others alike. When a thread
 * ends (its final switch-out, TASK_DEAD) the account is copied into the
 * `threads` hash, which the user half reads. The raw_tp fallback, for
 * kernels where tp_btf (and so a typed task pointer) is not available,
 * keeps the live account in `threads` itself. A thread is in exactly one state at a time
 * (running, runnable, lock, sleep, io, disk, other); each transition closes
 * the current interval into state_total_ns, so the states sum to the
 * lifetime by construction.
 *
 * Every program exists twice: tp_btf (typed, cheaper) and raw_tp (the
 * fallback where tp_btf does not load); user space picks one set with
 * bpf_program__set_autoload().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "schedtrace.h"

#define MAX_THREADS 65536
#define TASK_RUNNING 0
#define TASK_UNINTERRUPTIBLE 0x2
#define TASK_DEAD 0x80
#define TASK_NOLOAD 0x400
#define PF_KTHREAD 0x00200000
#define ENOSYS_NR 38 /* errno's ENOSYS: x86-64 keeps -ENOSYS in ax during a syscall */

/* futex(2) ops that wait: WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2 */
#define FUTEX_CMD_MASK 127
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_OP_WAITS ((1 << 0) | (1 << 6) | (1 << 9) | (1 << 11) | (1 << 13))

/* Set by user space before load. */
const volatile bool want_timeline = false;
const volatile bool want_stacks = false;
/* --kernel-stacks: the kernel's stack too, the dearer of the two walks. */
const volatile bool want_kernel_stacks = false;
/* true (schedtrace --syscalls): the syscall programs are attached. false (the
 * default): none is; a blocked thread's syscall is read from its registers at
 * the switch-out instead. */
const volatile bool want_syscalls = false;
const volatile bool switch_has_state_arg = true; /* 4-argument sched_switch */
const volatile __u8 syscall_class[MAX_SYSCALL_NR] = {};
/* Wake the ring buffer's reader only past this much unread data (it also polls). */
const volatile __u64 ringbuf_wake_bytes = 1 << 20;
/* The command's first thread: its exec opens the command's window (set before attach). */
__u32 root_tid = 0;
/*
 * The command's end as the kernel saw it: the final switch-out (TASK_DEAD)
 * of the last thread of root_tid's process, 0 until then. The user half
 * reaps the command later, by as much as its ring buffer is behind: this is
 * where the window ends (docs/collector.md, "The window's end").
 */
__u64 window_end_ns = 0;
/* The tracer's own processes: schedtrace, and what descends from tracer_root
 * (scripts/trace: its perf); their CPU time is the tracer's, not other work. */
const volatile __u32 tracer_tgid = 0;
const volatile __u32 tracer_root = 0;
/* Set before attach: a CPU's holder seen first switching out held it since then. */
__u64 attach_ns = 0;
/*
 * Set at the first key inserted into a keyed map (lookup_or_init): until
 * then the maps the window's start clears are empty, and it need not visit
 * their buckets (1-3 ms of the command's first thread).
 */
bool keyed_maps_used = false;
/* CPUs the command may not use (its affinity, read while it runs): not counted. */
__u8 skip_cpu[MAX_CPUS];

/*
 * tp_btf programs read task fields directly (the pointers are BTF-typed,
 * a plain load); raw_tp programs must go through bpf_probe_read_kernel.
 * btf is a constant in each program, so only one branch is compiled.
 */
#define TASK_READ(btf, p, field) ((btf) ? (p)->field : BPF_CORE_READ(p, field))

/* The live account of task @p (thread @tid), or NULL: not traced. */
#define THREAD_OF(btf, p, tid)                                                                     \
	((struct st_thread *)((btf) ? bpf_task_storage_get(&live, (p), 0, 0)                       \
				    : bpf_map_lookup_elem(&threads, &(tid))))

/* Processes being traced (tgid); the fork handler adds children. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} traced SEC(".maps");

/* Live accounts, one per traced thread (tp_btf programs). */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct st_thread);
} live SEC(".maps");

/* Ended threads' accounts, by tid (raw_tp programs: every account). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_THREADS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct st_thread);
} threads SEC(".maps");

/*
 * Accounts as the kernel half publishes them (provisional at the exit,
 * final at the last switch-out), preallocated: an insert takes a free
 * element where the allocating `threads` hash spent about 15 us allocating
 * 5 KB per thread. The user half moves the final ones to `threads`.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ENDED_SLOTS);
	__type(key, __u32);
	__type(value, struct st_thread);
} ended SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_syscall_key);
	__type(value, struct st_syscall);
} syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_futex_key);
	__type(value, struct st_futex);
} futexes SEC(".maps");

/* The traced processes' TCP listens and connects (st_tcp_key): a few per port. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct st_tcp_key);
	__type(value, __u64);
} tcp_ends SEC(".maps");

/* A traced process's connect in progress: the socket -> its tcp_ends key. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct st_tcp_key);
} tcp_connecting SEC(".maps");

/* Where each traced JVM keeps a monitor's owner (st_jvm), by pid: few. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct st_jvm);
} jvms SEC(".maps");

/* Waits on a mutex and its owner (st_holder_key): few, one per pair met. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct st_holder_key);
	__type(value, struct st_holder);
} holders SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_offcpu_key);
	__type(value, __u64);
} offcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, 16384);
} stacks SEC(".maps");

/* Wake edges: who ended which waits of the traced threads. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct st_wake_key);
	__type(value, struct st_wake);
} wakes SEC(".maps");

/*
 * The interrupt context this CPU is in, kept by the irq and hrtimer
 * tracepoints (preempt_count is not readable here: data symbols are not in
 * kallsyms), so a wakeup from it names the context.
 */
struct cpu_context {
	__u32 softirq; /* the vector being served + 1, 0: none */
	__u16 hardirq; /* nesting of device interrupt handlers */
	__u16 hrtimer; /* nesting of hrtimer expiries (timers, sleeps' ends) */
	__u32 records; /* timeline records this CPU submitted (see stream_flags) */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_context);
} cpu_ctx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

/* Other work on the run's CPUs: who holds each CPU, and per process its CPU time. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct st_cpu_hold);
} cpu_hold SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OTHER_PROCS);
	__type(key, __u32);
	__type(value, struct st_other);
} others SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_LOST);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Zeroed values to insert from (too big for the BPF stack). */
static struct st_syscall zero_sys;
static struct st_thread zero_thread;
static struct st_wake zero_wake;
static struct st_holder zero_holder;

static __always_inline void count_lost(__u32 kind)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &kind);

	if (v)
		(*v)++;
}

/* Insert-if-absent then look up; counts a full map. */
static __always_inline void *lookup_or_init(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);
	long err;

	if (v)
		return v;
	keyed_maps_used = true; /* before the insert: never clear while a key is in */
	err = bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	if (err && err != -17 /* EEXIST: another CPU won the race */) {
		count_lost(err == -16 /* EBUSY */ ? LOST_MAP_BUSY : LOST_MAP_FULL);
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

/* Two wake edges' keys equal (the key is 32 bytes, no implicit padding). */
static __always_inline bool same_wake_key(const struct st_wake_key *a, const struct st_wake_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	_Static_assert(sizeof(*a) == 4 * sizeof(__u64), "st_wake_key is four words");
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

/*
 * The thread's last wake edge into the wakes map, and the slot emptied.
 * Plain adds: the key holds the wakee, and one task's wakeups are
 * serialized by the scheduler (its pi_lock, its run queue's lock); the
 * other flushes (publish, the window's opening) run in the thread itself.
 */
static __always_inline void flush_wake_slot(struct st_wake_slot *s)
{
	struct st_wake *w;

	if (!s->w.count)
		return;
	w = lookup_or_init(&wakes, &s->key, &zero_wake);
	if (w) {
		if (!w->count) {
			w->waker_pid = s->w.waker_pid;
			__builtin_memcpy(w->waker_comm, s->w.waker_comm, TASK_COMM_LEN);
		}
		w->count += s->w.count;
		w->woken_before_switch_out += s->w.woken_before_switch_out;
		w->blocked_ns += s->w.blocked_ns;
		if (s->w.max_ns > w->max_ns)
			w->max_ns = s->w.max_ns;
		for (int i = 0; i < WAKE_SLOTS; i++)
			w->slots[i] += s->w.slots[i];
	}
	__builtin_memset(&s->w, 0, sizeof(s->w));
}

/*
 * Submit flags for a timeline record. No wakeup per record: waking the
 * reader on every switch makes it preempt the traced threads, each
 * preemption another record (a feedback loop measured at ~80 000 extra
 * switches/s). The reader polls every 20 ms; it is woken only when a
 * quarter of the buffer waits unread. Asking the buffer how much waits
 * reads the reader's position, a cache line the reader writes: every 64th
 * record of a CPU asks, well before a quarter of the buffer can fill.
 */
static __always_inline __u64 stream_flags(void)
{
	__u32 zero = 0;
	struct cpu_context *cc = bpf_map_lookup_elem(&cpu_ctx, &zero);

	if (cc && (cc->records++ & 63))
		return BPF_RB_NO_WAKEUP;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > ringbuf_wake_bytes
		   ? BPF_RB_FORCE_WAKEUP
		   : BPF_RB_NO_WAKEUP;
}

/* One timeline record: a thread's new state, and who woke it or who came in. */
static __always_inline void stream_event(__u8 type, __u8 state, __u32 tid, __u32 pid, __u64 now,
					 __s32 cpu, __u8 waker_kind, __u32 ppid, __u32 exec,
					 __u32 holder)
{
	struct st_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost(LOST_RINGBUF);
		return;
	}
	e->type = type;
	e->state = state;
	e->waker_kind = waker_kind;
	e->pad = 0;
	e->cpu = cpu;
	e->tid = tid;
	e->pid = pid;
	e->ts = now;
	e->ppid = ppid;
	e->exec = exec;
	e->addr = holder;
	bpf_ringbuf_submit(e, stream_flags());
}

static __always_inline void emit_state(__u32 tid, struct st_thread *t, __u8 state, __u64 now,
				       __s32 cpu, const struct st_waker *w)
{
	if (!want_timeline)
		return;
	stream_event(EV_STATE, state, tid, t->pid, now, cpu, w ? w->kind : WK_NONE, w ? w->id : 0,
		     w && w->kind == WK_SOFTIRQ ? w->host : 0,
		     state == ST_LOCK ? t->lock_owner : 0);
}

/*
 * A record the reader must act on at once (it names a process's futex words
 * and maps while the process lives): reserved and zeroed, stamped @now, or
 * NULL with the loss counted. The caller fills the rest and submits it with
 * BPF_RB_FORCE_WAKEUP.
 */
static __always_inline struct st_event *urgent_event(__u8 type, __u32 tid, __u32 pid, __u64 now)
{
	struct st_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost(LOST_RINGBUF);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->tid = tid;
	e->pid = pid;
	e->ts = now;
	return e;
}

/* A new futex word: user space names it from the process's maps while it lives. */
static __always_inline void emit_futex(__u32 tid, __u32 pid, __u64 addr)
{
	struct st_event *e = urgent_event(EV_FUTEX, tid, pid, bpf_ktime_get_ns());

	if (!e)
		return;
	e->addr = addr;
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

/* One wait on the thread's futex word: a futex(2) call's length, or under
 * without --syscalls the blocked interval. A new word is named by user space. */
static __always_inline void add_futex_wait(__u32 tid, struct st_thread *t, __u64 delta)
{
	struct st_futex_key fk = {.pid = t->pid, .uaddr = t->futex_uaddr};
	struct st_futex *f, fzero = {};

	f = bpf_map_lookup_elem(&futexes, &fk);
	if (!f) {
		fzero.flags = t->futex_flags & FW_MONITOR;
		f = lookup_or_init(&futexes, &fk, &fzero);
		emit_futex(tid, t->pid, t->futex_uaddr);
	}
	if (f) {
		__sync_fetch_and_add(&f->count, 1);
		__sync_fetch_and_add(&f->total_ns, delta);
		if (delta > f->max_ns)
			f->max_ns = delta;
	}
}

/*
 * Who owns the lock a futex wait is for. glibc's pthread_mutex_t
 * (sysdeps/nptl/bits/struct_mutex.h) keeps the futex word __lock at offset 0
 * and the owner's tid __owner at offset 8; a contended lock's waiter sleeps
 * in FUTEX_WAIT while the word says locked (1, or 2: with waiters;
 * nptl/lowlevellock.c). A PI lock's word is the owner's tid itself.
 */
#define MUTEX_OWNER_OFFSET 8
#define FUTEX_WAIT_CMD 0
#define FUTEX_LOCK_PI_CMD 6
#define FUTEX_LOCK_PI2_CMD 13
#define FUTEX_TID_MASK 0x3fffffff

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

/* @t's time per state at @now, its open state included, into @out. */
static __always_inline void times_at(const struct st_thread *t, __u64 now, __u64 *out)
{
	for (int s = 0; s < NR_STATES; s++)
		out[s] = t->state_total_ns[s] +
			 (s == t->state && now > t->state_ns ? now - t->state_ns : 0);
}

/*
 * The traced thread @owner of process @pid, alive: its time per state at
 * @now into @out, and its releases so far into @rel_seq. False when it is
 * not one.
 */
static __always_inline bool owner_times_at(__u32 owner, __u32 pid, __u64 now, __u64 *out,
					   __u32 *rel_seq)
{
	struct task_struct *o = bpf_task_from_pid((s32)owner);
	struct st_thread *ot;
	bool ok = false;

	if (!o)
		return false;
	ot = o->tgid == (int)pid ? bpf_task_storage_get(&live, o, 0, 0) : NULL;
	if (ot && !ot->ended) {
		times_at(ot, now, out);
		*rel_seq = ot->rel_seq;
		ok = true;
	}
	bpf_task_release(o);
	return ok;
}

/*
 * The tid owning the Java monitor @t is entering, read through the JVM's own
 * structures (st_jvm: monitor->_owner->_osthread->_thread_id), 0 when the
 * JVM's layout is not known yet or a read fails. The owner word may hold a
 * stack lock's address instead of a JavaThread* for a moment after the
 * monitor inflates: the tid read then is checked like any other (a live
 * traced thread of the same process) and, being garbage, is not one.
 */
static __always_inline __u32 monitor_owner(const struct st_thread *t)
{
	struct st_jvm *j = bpf_map_lookup_elem(&jvms, &t->pid);
	__u64 owner = 0, os = 0;
	__s32 tid = 0;

	if (!j || !j->owner_off ||
	    bpf_probe_read_user(&owner, sizeof(owner), (const void *)(t->monitor + j->owner_off)) ||
	    !owner ||
	    bpf_probe_read_user(&os, sizeof(os), (const void *)(owner + j->osthread_off)) || !os ||
	    bpf_probe_read_user(&tid, sizeof(tid), (const void *)(os + j->thread_id_off)))
		return 0;
	return tid > 0 ? (__u32)tid : 0;
}

/*
 * @t released the contended mutex at @uaddr at @now: kept in its ring, for
 * the waiters that found it holding the lock (owner_tenure). Written only
 * in @t's own context (its wake of a waiter, its own wait).
 */
static __always_inline void note_release(struct st_thread *t, __u64 uaddr, __u64 now)
{
	struct st_release *r = &t->rel[t->rel_seq & (RELEASE_SLOTS - 1)];

	r->uaddr = uaddr;
	r->ns = now;
	times_at(t, now, r->state_total_ns);
	t->rel_seq++;
}

/*
 * At the switch-out into a futex wait (tp_btf only): one read of the
 * waiter's own memory, in its own context. The owner is claimed only when
 * the word reads as a locked mutex and the tid at __owner is another live
 * traced thread of the same process; a condition variable's or any other
 * word claims none (docs/collector.md, "Who held the lock"). A thread that
 * queues on a mutex another holds does not hold it: if it did before, that
 * is its release.
 */
static __always_inline void note_lock_owner(__u32 tid, struct st_thread *t, __u64 now)
{
	__u32 word[3] = {};
	__u32 owner = 0;

	t->lock_owner = 0;
	if (t->state != ST_LOCK || !t->futex_uaddr)
		return;
	if (t->futex_flags & FW_MONITOR)
		owner = monitor_owner(t);
	else if (bpf_probe_read_user(word, sizeof(word), (const void *)t->futex_uaddr))
		return;
	else if (t->futex_cmd == FUTEX_LOCK_PI_CMD || t->futex_cmd == FUTEX_LOCK_PI2_CMD)
		owner = word[0] & FUTEX_TID_MASK;
	else if (t->futex_cmd == FUTEX_WAIT_CMD && (word[0] == 1 || word[0] == 2))
		owner = word[MUTEX_OWNER_OFFSET / 4];
	if (!owner || owner == tid || owner > FUTEX_TID_MASK)
		return;
	if (owner_times_at(owner, t->pid, now, t->owner_at_wait, &t->owner_rel_seq)) {
		t->lock_owner = owner;
		note_release(t, t->futex_uaddr, now);
	}
}

/*
 * sched_waking, in the waker's context: a traced thread of the process
 * woke @t from a wait on an owned mutex, so it released that word (glibc's
 * unlock wakes one waiter when the word says some wait).
 */
static __always_inline void note_waker_release(const struct st_thread *t, __u64 now)
{
	struct st_thread *w;

	if (t->state != ST_LOCK || !t->lock_owner || t->waker.kind != WK_THREAD ||
	    t->waker.pid != t->pid)
		return;
	w = bpf_task_storage_get(&live, bpf_get_current_task_btf(), 0, 0);
	if (w && !w->ended)
		note_release(w, t->futex_uaddr, now);
}

enum { TENURE_UNKNOWN, TENURE_SEEN };

/*
 * How long @t's lock owner held the lock over @t's wait, ending @now: to
 * its first release of the word after the wait began, else to @now. Its
 * time per state at that end into @out, the end into @end_ns. Unknown when
 * the owner is gone, or released RELEASE_SLOTS more times since (its ring
 * no longer holds the first release).
 */
static __always_inline int owner_tenure(const struct st_thread *t, __u64 now, __u64 *out,
					__u64 *end_ns)
{
	struct task_struct *o = bpf_task_from_pid((s32)t->lock_owner);
	struct st_thread *ot;
	int seen = TENURE_UNKNOWN;
	__u32 since;

	if (!o)
		return TENURE_UNKNOWN;
	ot = o->tgid == (int)t->pid ? bpf_task_storage_get(&live, o, 0, 0) : NULL;
	since = ot ? ot->rel_seq - t->owner_rel_seq : RELEASE_SLOTS + 1;
	for (int i = 0; i < RELEASE_SLOTS && since <= RELEASE_SLOTS; i++) {
		const struct st_release *r;

		if ((__u32)i >= since)
			break;
		r = &ot->rel[(t->owner_rel_seq + i) & (RELEASE_SLOTS - 1)];
		if (r->uaddr != t->futex_uaddr)
			continue;
		for (int s = 0; s < NR_STATES; s++)
			out[s] = r->state_total_ns[s];
		*end_ns = r->ns;
		seen = TENURE_SEEN;
		break;
	}
	if (seen == TENURE_UNKNOWN && ot && !ot->ended && since <= RELEASE_SLOTS) {
		times_at(ot, now, out);
		*end_ns = now;
		seen = TENURE_SEEN;
	}
	bpf_task_release(o);
	return seen;
}

/* A wait on an owned mutex ends: counted with what its owner did while it held the lock. */
static __always_inline void add_holder_wait(__u32 tid, struct st_thread *t, __u64 now)
{
	struct st_holder_key key = {
	    .pid = t->pid, .waiter = tid, .owner = t->lock_owner, .uaddr = t->futex_uaddr};
	__u64 at_end[NR_STATES] = {}, end_ns = now;
	struct st_holder *h;
	int seen = owner_tenure(t, now, at_end, &end_ns);

	h = lookup_or_init(&holders, &key, &zero_holder);
	if (!h)
		return;
	/* Plain adds: the key holds the waiter, whose wakeups are serialized. */
	h->count++;
	h->blocked_ns += now > t->state_ns ? now - t->state_ns : 0;
	if (seen == TENURE_UNKNOWN) {
		h->owner_unknown++;
		return;
	}
	h->held_ns += end_ns > t->state_ns ? end_ns - t->state_ns : 0;
	for (int s = 0; s < NR_STATES; s++)
		if (at_end[s] > t->owner_at_wait[s])
			h->owner_ns[s] += at_end[s] - t->owner_at_wait[s];
}

/* A syscall argument: a plain load off a typed pointer (tp_btf), else probe-read. */
#define SYSCALL_ARG(btf, n, regs)                                                                  \
	((btf) ? PT_REGS_PARM##n##_SYSCALL(regs) : PT_REGS_PARM##n##_CORE_SYSCALL(regs))

/*
 * The syscall @t is in: its number, its class for the blocked state, and
 * for a futex wait the word (@regs: the syscall's user registers).
 */
static __always_inline void note_syscall(struct st_thread *t, long id, struct pt_regs *regs,
					 const bool btf)
{
	__u8 cls =
	    id >= 0 && id < MAX_SYSCALL_NR ? syscall_class[id & (MAX_SYSCALL_NR - 1)] : SC_NONE;

	t->sys_nr = id;
	t->futex_uaddr = 0;
	if (cls == SC_FUTEX) {
		int op = (int)SYSCALL_ARG(btf, 2, regs);

		cls = SC_NONE;
		if ((1 << (op & FUTEX_CMD_MASK)) & FUTEX_OP_WAITS) {
			cls = SC_LOCK;
			t->futex_uaddr = SYSCALL_ARG(btf, 1, regs);
			t->futex_cmd = op & FUTEX_CMD_MASK;
			/* Only a timeout lets something other than a wake end the wait. */
			t->futex_flags = (SYSCALL_ARG(btf, 4, regs) ? FW_TIMEOUT : 0) |
					 (op & FUTEX_PRIVATE_FLAG ? FW_PRIVATE : 0);
			/* Inside a contended monitor enter the thread waits for the
			 * monitor, whatever word it parks on. */
			if (t->monitor) {
				t->futex_uaddr = t->monitor;
				t->futex_flags |= FW_MONITOR;
			}
		}
	}
	t->sys_class = cls;
}

/*
 * Without --syscalls: the syscall a thread blocks in, from its user registers at
 * the switch-out, where sys_enter would have noted it. On x86-64 the entry
 * code keeps the number in orig_ax and -ENOSYS in ax until the call returns;
 * an exception (a page fault) keeps its error code in orig_ax but the user's
 * ax, so the pair tells a syscall from a fault. Elsewhere, and under raw_tp
 * (no bpf_task_pt_regs), the state falls back to the task state alone.
 */
static __always_inline void note_syscall_from_regs(struct st_thread *t, struct task_struct *p,
						   const bool btf)
{
	t->sys_nr = -1;
	t->sys_class = SC_NONE;
	t->futex_uaddr = 0;
#if defined(__TARGET_ARCH_x86)
	if (btf) {
		/* A typed pointer: plain loads, no probe-read helper calls on the switch. */
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
		long nr = (long)regs->orig_ax;

		if (nr >= 0 && (long)regs->ax == -ENOSYS_NR)
			note_syscall(t, nr, regs, btf);
	}
#endif
}

static __always_inline __u8 blocked_state(struct st_thread *t, unsigned int prev_state)
{
	switch (t->sys_class) {
	case SC_LOCK:
		return ST_LOCK;
	case SC_SLEEP:
		return ST_SLEEP;
	case SC_IO:
		return ST_IO;
	default:
		break;
	}
	if ((prev_state & TASK_UNINTERRUPTIBLE) && !(prev_state & TASK_NOLOAD))
		return ST_DISK;
	return ST_OTHER;
}

static __always_inline void take_stacks(void *ctx, struct st_thread *t)
{
	long id;

	if (!want_stacks)
		return;
	id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	if (id < 0)
		count_lost(id == -17 ? LOST_STACK_COLLISION : LOST_STACK_MISS);
	t->user_stack = id;
	if (!want_kernel_stacks) {
		/* The kernel's side of a wait is named by its state and syscall already. */
		t->kern_stack = ST_KERNEL_STACK_NOT_ASKED;
		return;
	}
	id = bpf_get_stackid(ctx, &stacks, 0);
	if (id < 0)
		count_lost(id == -17 ? LOST_STACK_COLLISION : LOST_STACK_MISS);
	t->kern_stack = id;
}

/* A thread's off-CPU slot of @state into the offcpu map, and the slot emptied. */
static __always_inline void flush_offcpu_slot(__u32 tid, __u32 pid, __u8 state,
					      struct st_offcpu_slot *s)
{
	struct st_offcpu_key key = {
	    .pid = pid,
	    .tid = tid,
	    .user_stack = s->user_stack,
	    .kern_stack = s->kern_stack,
	    .state = state,
	};
	__u64 zero = 0, *v;

	if (!s->ns)
		return;
	v = lookup_or_init(&offcpu, &key, &zero);
	if (v)
		__sync_fetch_and_add(v, s->ns);
	s->ns = 0;
}

static __always_inline void flush_offcpu_slots(__u32 tid, struct st_thread *t)
{
	if (!want_stacks)
		return;
	for (__u8 i = 0; i < NR_STATES; i++)
		flush_offcpu_slot(tid, t->pid, i, &t->offcpu_slot[i]);
}

/*
 * Off-CPU time in state, charged to the stacks taken at the last
 * switch-out: in the thread's slot for the state while the stacks are the
 * slot's.
 */
static __always_inline void add_offcpu(__u32 tid, struct st_thread *t, __u8 state, __u64 delta)
{
	struct st_offcpu_slot *s;

	if (state >= NR_STATES)
		return;
	s = &t->offcpu_slot[state];
	if (s->ns && (s->user_stack != t->user_stack || s->kern_stack != t->kern_stack))
		flush_offcpu_slot(tid, t->pid, state, s);
	if (!s->ns) {
		s->user_stack = t->user_stack;
		s->kern_stack = t->kern_stack;
	}
	s->ns += delta;
}

/*
 * Close the current interval and open one in the new state. With --stacks
 * every off-CPU interval also goes to the offcpu map under its own state,
 * so offcpu.folded's totals per state equal sched.json's.
 */
static __always_inline void change_state(__u32 tid, struct st_thread *t, __u8 state, __u64 now)
{
	__u8 old = t->state;

	if (old < NR_STATES && now > t->state_ns) {
		t->state_total_ns[old] += now - t->state_ns;
		if (old == ST_RUNNABLE && t->asleep)
			t->runnable_asleep_ns += now - t->state_ns;
		if (want_stacks && old != ST_RUNNING)
			add_offcpu(tid, t, old, now - t->state_ns);
	}
	t->state = state;
	t->state_ns = now;
	t->asleep = 0;
	t->woken = 0;
}

static __always_inline void set_state_by(__u32 tid, struct st_thread *t, __u8 state, __u64 now,
					 __s32 cpu, const struct st_waker *w)
{
	change_state(tid, t, state, now);
	emit_state(tid, t, state, now, cpu, w);
}

static __always_inline void set_state(__u32 tid, struct st_thread *t, __u8 state, __u64 now,
				      __s32 cpu)
{
	set_state_by(tid, t, state, now, cpu, NULL);
}

/*
 * The command's first thread, held at the gate since insert_child stamped it
 * (ST_OTHER from its first stamp): its release is no wakeup the tracepoints
 * owed us, so it is no missed one either.
 */
static __always_inline bool held_at_gate(const struct st_thread *t)
{
	return t->state == ST_OTHER && t->first_ns == t->state_ns;
}

/* The thread's own run-queue histogram: no map lookup on the switch. */
static __always_inline void add_runq(struct st_thread *t, __u64 delta)
{
	__u32 slot = hist_slot(delta);

	t->runq.count++;
	t->runq.sum_ns += delta;
	if (delta > t->runq.max_ns)
		t->runq.max_ns = delta;
	if (slot < HIST_SLOTS)
		t->runq.slots[slot]++;
}

/* Before 5.14 the field was `long state`: a CO-RE flavor finds it there. */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline unsigned int task_state(struct task_struct *t)
{
	struct task_struct___pre514 *old = (void *)t;

	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return (unsigned int)BPF_CORE_READ(old, state);
}

/*
 * Switched out while we believed it off CPU: the sched_switch that put it on
 * a CPU was never seen by this program. This VM's kernel does not report
 * switches out of some tasks (its init's threads, sometimes the idle task),
 * and whatever that switch-in ended was unseen with it (docs/collector.md,
 * "Lost events"). The kernel's own counters say what the interval held:
 * se.sum_exec_runtime grew by how long it ran since its last switch-out and
 * sched_info.run_delay by the run-queue wait that arrival ended. So the
 * interval is split by them instead of being charged whole to the state we
 * last saw, and the event is counted as lost.
 */
static __always_inline void repair_missed_switch_in(__u32 tid, struct st_thread *t, __u64 sum,
						    __u64 delay, __u64 now, __s32 cpu)
{
	__u64 ran = sum - t->sched_sum_at_out, gap = now - t->state_ns, wait;

	count_lost(LOST_SWITCH_IN);
	if (t->state >= NR_STATES || now < t->state_ns)
		return;
	if (ran > gap)
		ran = gap;
	if (t->state == ST_RUNNABLE) {
		wait = gap - ran;
	} else {
		/* Still blocked: its wakeup went unseen too. */
		if (!held_at_gate(t))
			count_lost(LOST_WAKEUP);
		wait = delay > t->sched_delay_at_out ? delay - t->sched_delay_at_out : 0;
		if (wait > gap - ran)
			wait = gap - ran;
		if (wait)
			set_state(tid, t, ST_RUNNABLE, now - ran - wait, cpu);
	}
	if (wait)
		add_runq(t, wait);
	t->runnable_open_ns = wait;
	t->slice_woken = 0;
	set_state(tid, t, ST_RUNNING, now - ran, cpu);
	t->timeslices++;
	t->slice_running_ns += ran;
	t->sched_running_ns += ran;
	/*
	 * A waking seen during the slice just rebuilt (the thread ran unseen,
	 * then began to block, and its waker came before this switch-out)
	 * names the waker of the wait this switch-out begins: move its stamp
	 * to the rebuilt slice, or the wakeup, delivered later over the idle
	 * task, would be credited to that. A waking from before the slice (the
	 * one that woke it) stays stale.
	 */
	if (t->waking.count && t->waking_slice + 1 == t->timeslices && t->waking_ns >= now - ran) {
		t->waking_slice = t->timeslices;
		t->waking_on_cpu = 1;
	}
}

/* The scheduler's arrival stamp of the current slice; sched_info needs CONFIG_SCHED_INFO. */
static __always_inline __u64 last_arrival(struct task_struct *p, const bool btf)
{
	if (!bpf_core_field_exists(p->sched_info))
		return 0;
	return TASK_READ(btf, p, sched_info.last_arrival);
}

/* The kernel's total run-queue wait of @p (schedstat's wait_ns); 0 without CONFIG_SCHED_INFO. */
static __always_inline __u64 run_delay(struct task_struct *p, const bool btf)
{
	if (!bpf_core_field_exists(p->sched_info))
		return 0;
	return TASK_READ(btf, p, sched_info.run_delay);
}

/*
 * A thread switched in with no wakeup seen had its whole wait charged to the
 * blocked state. The scheduler adds the wait that arrival ended to
 * sched_info.run_delay right after the switch tracepoint, so by the thread's
 * next switch-out (or exit) the kernel says how long it was runnable: what
 * run_delay grew since the switch-out that began the interval (sleep it
 * counted as wait included: note_queued_asleep), at most the interval,
 * moves from the blocked state to runnable.
 */
static __always_inline void repair_missed_wakeup(struct st_thread *t, __u64 delay_now)
{
	__u8 s = t->missed_wake_state;
	__u64 w = delay_now - t->missed_wake_delay_ns;

	if (w > t->missed_wake_gap_ns)
		w = t->missed_wake_gap_ns;
	t->missed_wake_gap_ns = 0;
	if (!delay_now || s >= NR_STATES || delay_now < t->missed_wake_delay_ns)
		return;
	if (w > t->state_total_ns[s])
		w = t->state_total_ns[s];
	t->state_total_ns[s] -= w;
	t->state_total_ns[ST_RUNNABLE] += w;
	add_runq(t, w);
}

/* The kernel's own counters of @p, final when read at its TASK_DEAD switch-out. */
static __always_inline void read_kernel(struct st_thread *t, struct task_struct *p, const bool btf)
{
	t->kernel.sum_exec_runtime_ns = TASK_READ(btf, p, se.sum_exec_runtime);
	if (bpf_core_field_exists(p->sched_info)) {
		t->kernel.run_delay_ns = TASK_READ(btf, p, sched_info.run_delay);
		t->kernel.pcount = TASK_READ(btf, p, sched_info.pcount);
	}
	t->kernel.nvcsw = TASK_READ(btf, p, nvcsw);
	t->kernel.nivcsw = TASK_READ(btf, p, nivcsw);
	/* The thread's own page faults, the counters getrusage(RUSAGE_THREAD)
	 * reads: two loads once per thread, where a fault tracepoint would run
	 * a program on every fault of the traced command. */
	t->kernel.min_flt = TASK_READ(btf, p, min_flt);
	t->kernel.maj_flt = TASK_READ(btf, p, maj_flt);
}

/*
 * Put the account where the user half reads it: the preallocated `ended`
 * table, or `threads` when every element of `ended` is in use (the user
 * half has moved there what it took already). A tid reused within the run
 * (pid space wrapped) keeps the first thread's account.
 */
static __always_inline void publish(__u32 tid, struct st_thread *t, const bool btf)
{
	struct st_thread *old;
	long err;

	if (!btf)
		return; /* raw_tp: the hash is the live account */
	/* The copy carries nothing pending: what the live account adds later is its own. */
	flush_wake_slot(&t->wake_slot);
	flush_offcpu_slots(tid, t);
	old = bpf_map_lookup_elem(&ended, &tid);
	if (!old)
		old = bpf_map_lookup_elem(&threads, &tid);
	if (old && old->first_ns != t->first_ns) {
		count_lost(LOST_TID_REUSED);
		return;
	}
	if (old) {
		/*
		 * The final record over the provisional one (sched_process_exit),
		 * in place: an update would allocate a new element, and at the
		 * final switch-out (interrupts off) the map's small cache of
		 * these large elements can be empty.
		 */
		bpf_probe_read_kernel(old, sizeof(*old), t);
		return;
	}
	err = bpf_map_update_elem(&ended, &tid, t, BPF_NOEXIST);
	if (err == -7 /* E2BIG: no free preallocated element */)
		err = bpf_map_update_elem(&threads, &tid, t, BPF_NOEXIST);
	if (err)
		count_lost(err == -16 /* EBUSY */ ? LOST_MAP_BUSY : LOST_MAP_FULL);
}

/*
 * A thread of the command's first process ended: once every thread of that
 * process has begun its exit (signal->live is 0: each decrements it in
 * do_exit, before its final switch-out), this switch-out may be the last,
 * and the latest such one is the command's end. Threads ending together on
 * two CPUs race here; the loser's stamp is microseconds earlier.
 */
static __always_inline void note_window_end(const struct st_thread *t, struct task_struct *p,
					    __u64 now, const bool btf)
{
	struct signal_struct *sig;

	if (t->pid != root_tid || now <= window_end_ns)
		return;
	sig = TASK_READ(btf, p, signal);
	if (sig && TASK_READ(btf, sig, live.counter) == 0)
		window_end_ns = now;
}

/*
 * The thread's final switch-out: after it, only its task_struct remains.
 * The kernel's counters are final here (sched_process_exit comes earlier,
 * before the address space and files are released: docs/collector.md).
 */
static __always_inline void end_thread(__u32 tid, struct st_thread *t, struct task_struct *p,
				       __u64 now, __s32 cpu, const bool btf)
{
	change_state(tid, t, ST_EXITED, now); /* the switch's record: handle_switch */
	t->last_ns = now;
	t->ended = 1;
	read_kernel(t, p, btf);
	publish(tid, t, btf);
	note_window_end(t, p, now, btf);
}

/*
 * rq->clock - rq->clock_task of the CPU @p runs on: the interrupt and steal
 * time the task clock has left out so far (CONFIG_IRQ_TIME_ACCOUNTING,
 * CONFIG_PARAVIRT_TIME_ACCOUNTING). __schedule() updated both just before
 * the switch tracepoint. The run queue is reached through the task's
 * cfs_rq (the per-CPU `runqueues` symbol is not in kallsyms here); without
 * group scheduling the field does not exist and this is 0.
 */
static __always_inline struct rq *task_rq(struct task_struct *p, const bool btf)
{
	struct cfs_rq *cfs = TASK_READ(btf, p, se.cfs_rq);

	if (!cfs || !bpf_core_field_exists(cfs->rq))
		return NULL;
	return TASK_READ(btf, cfs, rq);
}

static __always_inline __u64 rq_irq_steal(struct task_struct *p, const bool btf)
{
	struct rq *rq = task_rq(p, btf);

	if (!rq)
		return 0;
	return TASK_READ(btf, rq, clock) - TASK_READ(btf, rq, clock_task);
}

/*
 * At sched_wakeup the wakeup has just updated the run queue's clock and
 * stamped the enqueue (sched_info.last_queued): the two are equal, unless
 * the stamp is older, from a time the scheduler already had the sleeping
 * thread queued (EEVDF's delayed dequeue keeps it queued, and moving it to
 * another run queue stamps it). That much of the kernel's run_delay is
 * sleep. A second move while it still sleeps adds the time since the first
 * stamp to run_delay at once (sched_info_dequeue()) and stamps again: so
 * whatever run_delay grew since the switch-out that began this sleep is
 * sleep too (one thread of 05's Python pools came out 45.7 ms short of
 * run_delay when only the last stamp was read: issue 21).
 */
static __always_inline void note_queued_asleep(struct st_thread *t, struct task_struct *p,
					       __u64 now, const bool btf)
{
	struct rq *rq;
	__u64 queued, clock, delay;

	if (!bpf_core_field_exists(p->sched_info))
		return;
	delay = run_delay(p, btf);
	if (delay > t->sched_delay_at_out)
		t->queued_asleep_ns += delay - t->sched_delay_at_out;
	queued = TASK_READ(btf, p, sched_info.last_queued);
	rq = queued ? task_rq(p, btf) : NULL;
	if (!rq)
		return;
	clock = TASK_READ(btf, rq, clock);
	if (clock > queued)
		t->queued_asleep_ns += clock - queued;
	t->wake_lag_sum += (__s64)(now - clock);
	t->wake_lags++;
}

static __always_inline void switch_out(void *ctx, bool preempt, struct task_struct *prev, __u32 tid,
				       struct st_thread *t, unsigned int prev_state, __s32 cpu,
				       __u64 now, const bool btf)
{
	__u64 sum = TASK_READ(btf, prev, se.sum_exec_runtime);
	__u64 delay = run_delay(prev, btf);
	bool runnable = preempt || prev_state == TASK_RUNNING;

	if (t->state == ST_RUNNING) {
		__s64 lag = (__s64)(t->state_ns - last_arrival(prev, btf));
		__s64 dev = (__s64)(sum - t->sched_sum_at_in) - (__s64)(now - t->state_ns);
		__u64 steal = rq_irq_steal(prev, btf);

		t->slice_running_ns += now - t->state_ns;
		t->sched_running_ns += sum - t->sched_sum_at_in;
		/* Not below the switch-in's stamp: that may be another run queue's
		 * (a switch-in the kernel did not report), whose clocks differ. */
		if (steal > t->irq_steal_at_in)
			t->irq_steal_ns += steal - t->irq_steal_at_in;
		if (t->slice_woken) {
			t->lag_woken_sum += lag;
			t->woken_slices++;
			t->dev_woken_sum += dev;
		} else {
			t->lag_preempted_sum += lag;
			t->preempted_slices++;
		}
		if (runnable)
			t->dev_preempted_sum += dev;
	} else {
		repair_missed_switch_in(tid, t, sum, delay, now, cpu);
	}
	/* The wait that ended at this slice's arrival, by each cut. */
	t->slice_runnable_ns += t->runnable_open_ns;
	t->sched_runnable_ns += delay - t->sched_delay_at_out;
	t->runnable_open_ns = 0;
	if (t->exit_ns)
		t->exit_switches++;
	t->sched_sum_at_out = sum;
	t->sched_delay_at_out = delay;
	if (t->missed_wake_gap_ns)
		repair_missed_wakeup(t, delay);
	if (prev_state & TASK_DEAD) {
		t->nvcsw++; /* the kernel counts the last switch as voluntary */
		end_thread(tid, t, prev, now, cpu, btf);
		return;
	}
	take_stacks(ctx, t);
	if (runnable) {
		t->nivcsw++;
		change_state(tid, t, ST_RUNNABLE, now);
		t->asleep = preempt && prev_state != TASK_RUNNING;
	} else {
		t->nvcsw++;
		if (!want_syscalls)
			note_syscall_from_regs(t, prev, btf);
		change_state(tid, t, blocked_state(t, prev_state), now);
		if (btf)
			note_lock_owner(tid, t, now);
	}
}

static __always_inline void switch_in(struct task_struct *next, __u32 tid, struct st_thread *t,
				      __s32 cpu, __u64 now, const bool btf)
{
	__u64 delta = now - t->state_ns;

	if (t->state == ST_RUNNABLE) {
		add_runq(t, delta);
		t->runnable_open_ns = delta;
	} else if (t->state == ST_RUNNING) {
		count_lost(LOST_SWITCH_OUT); /* its switch-out was never seen */
	} else if (!held_at_gate(t)) {
		count_lost(LOST_WAKEUP); /* blocked until now: no wakeup seen */
		t->missed_wake_state = t->state;
		t->missed_wake_gap_ns = delta;
		/* From the switch-out that began the interval: run_delay may
		 * have grown while it slept queued (note_queued_asleep). */
		t->missed_wake_delay_ns = t->sched_delay_at_out;
	}
	t->slice_woken = t->state == ST_RUNNABLE && t->woken;
	if (t->slice_woken)
		t->woken_wait_sum += delta;
	t->timeslices++;
	if (t->last_cpu >= 0 && t->last_cpu != cpu)
		t->migrations++;
	t->last_cpu = cpu;
	t->lock_owner = 0;
	t->sched_sum_at_in = TASK_READ(btf, next, se.sum_exec_runtime);
	t->irq_steal_at_in = rq_irq_steal(next, btf);
	if (!want_syscalls) { /* no sys_exit will clear what the switch-out noted */
		t->sys_nr = -1;
		t->sys_class = SC_NONE;
		t->futex_uaddr = 0;
	}
	change_state(tid, t, ST_RUNNING, now);
}

/*
 * Is @p one of the tracer's own processes: schedtrace, or a descendant of
 * tracer_root? Asked once per process, when its first switch-out is counted.
 */
static __always_inline bool of_tracer(struct task_struct *p, const bool btf)
{
	for (int i = 0; i < 16 && p; i++) {
		__u32 tgid = TASK_READ(btf, p, tgid);

		if (tgid == tracer_tgid || (tracer_root && tgid == tracer_root))
			return true;
		if (tgid <= 1)
			return false;
		p = TASK_READ(btf, p, real_parent);
	}
	return false;
}

/* The process entry of other work's task @p: found, or made (NULL: the table is full). */
static __always_inline struct st_other *other_of(struct task_struct *p, __u32 tgid, const bool btf)
{
	struct st_other *o = bpf_map_lookup_elem(&others, &tgid), fresh = {};
	struct task_struct *leader;

	if (o)
		return o;
	leader = TASK_READ(btf, p, group_leader);
	if (leader)
		BPF_CORE_READ_STR_INTO(&fresh.comm, leader, comm);
	else
		BPF_CORE_READ_STR_INTO(&fresh.comm, p, comm);
	fresh.ppid = BPF_CORE_READ(p, real_parent, tgid);
	fresh.tracer = of_tracer(p, btf);
	fresh.kthread = !!(TASK_READ(btf, p, flags) & PF_KTHREAD);
	bpf_map_update_elem(&others, &tgid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&others, &tgid);
}

/*
 * Other work switched out of this CPU: the time it held it goes to its
 * process. From its switch-in when that was seen; from attach when no
 * switch was seen here before (it held the CPU as tracing began); when
 * another holder's switch-out went unreported (docs/collector.md, "Lost
 * events"), the interval goes to this one if that holder was outside the
 * run too, else nowhere, and is counted. Returns whether the interval was
 * counted.
 */
static __always_inline bool charge_holder(struct st_cpu_hold *h, struct task_struct *prev,
					  __u32 prev_tid, __u64 now, const bool btf)
{
	__u32 tgid = TASK_READ(btf, prev, tgid);
	__u64 from = h->seen ? h->since : attach_ns;
	struct st_other *o;

	if (h->seen && h->tid != prev_tid) {
		h->unseen++;
		if (!h->tid)
			return false;
	}
	/* Nothing after the command's end: the tracer's catch-up is not the run's. */
	if (window_end_ns && now > window_end_ns)
		now = window_end_ns;
	if (!from || now <= from)
		return false;
	o = other_of(prev, tgid, btf);
	if (!o) { /* other work, unnamed */
		h->lost_ns += now - from;
		h->tracer_only = 0;
		return true;
	}
	__sync_fetch_and_add(&o->cpu_ns, now - from);
	__sync_fetch_and_add(&o->slices, 1);
	if (o->tracer) {
		h->tracer_ns += now - from;
	} else {
		h->other_ns += now - from;
		h->tracer_only = 0;
	}
	return true;
}

/*
 * Who holds this CPU from now (every switch on the run's CPUs): stamps for
 * the next switch-out, and other work's time when it leaves. A traced
 * thread switched in after other work had waited in the run queue while
 * that work held the CPU: the overlap of its wait with the stretch of other
 * work that just ended is the run's wait behind other work (a lower bound:
 * a wait on one CPU while other work held another is not seen).
 */
static __always_inline void note_holder(struct task_struct *prev, struct task_struct *next,
					__u32 prev_tid, __u32 next_tid, bool prev_other,
					bool next_other, __u64 waited_from, __u64 now,
					const bool btf)
{
	__u32 zero = 0, cpu = bpf_get_smp_processor_id();
	struct st_cpu_hold *h;
	__u64 stretch;

	h = bpf_map_lookup_elem(&cpu_hold, &zero);
	if (!h)
		return;
	/*
	 * Between the run's threads and the idle task, with no other work
	 * stamped: nothing to stamp (since counts only for other work's
	 * holder). The common switch of a traced program, kept off the
	 * global data's page.
	 */
	if (!prev_other && !next_other && h->seen && !h->tid)
		return;
	if (skip_cpu[cpu & (MAX_CPUS - 1)])
		return;
	if (!now)
		now = bpf_ktime_get_ns();
	/* A stretch of other work begins: held as tracing began, or from now. */
	if (!h->seen || (next_other && !prev_other)) {
		h->stretch = h->seen ? now : attach_ns;
		h->tracer_only = 1;
	}
	stretch = h->stretch;
	if (prev_other) {
		/* The wait is this stretch's only when its holder was seen. */
		if (charge_holder(h, prev, prev_tid, now, btf) && waited_from && now > stretch) {
			__u64 w = now - (waited_from > stretch ? waited_from : stretch);

			if (h->tracer_only)
				h->tracer_waited_ns += w;
			else
				h->run_waited_ns += w;
		}
	}
	if (next_other) {
		h->tid = next_tid;
		h->tgid = TASK_READ(btf, next, tgid);
	} else {
		h->tid = 0;
		h->tgid = 0;
	}
	h->since = now;
	h->seen = 1;
}

/*
 * One record per switch for --timeline: both sides' state changes when both
 * are traced (EV_SWITCH), else the one traced side's (EV_STATE).
 */
static __always_inline void emit_switch(__u32 prev_tid, struct st_thread *prev, __u32 next_tid,
					struct st_thread *next, __u64 now, __s32 cpu)
{
	if (!want_timeline)
		return;
	if (prev && next)
		stream_event(EV_SWITCH, prev->state, prev_tid, prev->pid, now, cpu, WK_NONE,
			     next_tid, next->pid, prev->state == ST_LOCK ? prev->lock_owner : 0);
	else if (prev)
		emit_state(prev_tid, prev, prev->state, now, cpu, NULL);
	else if (next)
		emit_state(next_tid, next, ST_RUNNING, now, cpu, NULL);
}

static __always_inline int handle_switch(void *ctx, bool preempt, struct task_struct *prev,
					 struct task_struct *next, unsigned int prev_state,
					 const bool btf)
{
	__u32 prev_tid = TASK_READ(btf, prev, pid);
	__u32 next_tid = TASK_READ(btf, next, pid);
	struct st_thread *out, *in;
	__u64 now = 0, waited_from = 0;
	__s32 cpu = 0;

	out = THREAD_OF(btf, prev, prev_tid);
	if (out && !out->ended) {
		now = bpf_ktime_get_ns();
		cpu = bpf_get_smp_processor_id();
		switch_out(ctx, preempt, prev, prev_tid, out, prev_state, cpu, now, btf);
	} else {
		out = NULL;
	}
	in = THREAD_OF(btf, next, next_tid);
	if (in && !in->ended) {
		if (!now) {
			now = bpf_ktime_get_ns();
			cpu = bpf_get_smp_processor_id();
		}
		if (in->state == ST_RUNNABLE)
			waited_from = in->state_ns;
		switch_in(next, next_tid, in, cpu, now, btf);
	} else {
		in = NULL;
	}
	emit_switch(prev_tid, out, next_tid, in, now, cpu);
	note_holder(prev, next, prev_tid, next_tid, prev_tid && !out, next_tid && !in, waited_from,
		    now, btf);
	return 0;
}

/*
 * Who runs on this CPU now: an interrupt context, the idle task, a kernel
 * thread, a traced thread or another process's task.
 */
static __always_inline void current_waker(struct st_waker *w, const bool btf)
{
	struct task_struct *cur =
	    btf ? bpf_get_current_task_btf() : (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 zero = 0, tid = (__u32)id;
	struct cpu_context *cc = bpf_map_lookup_elem(&cpu_ctx, &zero);

	w->id = 0;
	w->pid = 0;
	w->comm[0] = '\0';
	if (cc && (cc->hrtimer || cc->hardirq)) {
		w->kind = WK_HARDIRQ;
		w->id = cc->hrtimer ? HARDIRQ_TIMER : HARDIRQ_DEVICE;
		return;
	}
	w->host = 0;
	if (cc && cc->softirq) {
		/* Under tp_btf a live thread's account is in task storage; the
		 * threads hash holds only ended ones there. */
		struct st_thread *host = tid ? THREAD_OF(btf, cur, tid) : NULL;

		w->kind = WK_SOFTIRQ;
		w->id = cc->softirq - 1;
		/* In a traced thread's syscall: it ran the softirq itself (loopback send). */
		if (host && host->sys_nr >= 0) {
			w->host = tid;
			w->pid = id >> 32;
			bpf_get_current_comm(w->comm, sizeof(w->comm));
		}
		return;
	}
	if (!tid) {
		w->kind = WK_IDLE;
		return;
	}
	w->id = tid;
	w->pid = id >> 32;
	bpf_get_current_comm(w->comm, sizeof(w->comm));
	if (TASK_READ(btf, cur, flags) & PF_KTHREAD)
		w->kind = WK_KTHREAD;
	else if (THREAD_OF(btf, cur, tid))
		w->kind = WK_THREAD;
	else
		w->kind = WK_PROCESS;
}

/*
 * A signal the wakee does not block is pending as it is woken: signal
 * delivery queues the signal, then wakes the thread (signal_wake_up), so
 * this wake is the signal's.
 */
static __always_inline __u8 woken_by_signal(struct task_struct *p, const bool btf)
{
	struct signal_struct *sig = TASK_READ(btf, p, signal);
	__u64 pending = TASK_READ(btf, p, pending.signal.sig[0]);

	if (sig)
		pending |= TASK_READ(btf, sig, shared_pending.signal.sig[0]);
	return (pending & ~TASK_READ(btf, p, blocked.sig[0])) != 0;
}

/*
 * The wait that ends now: count it on its (wakee, waker, what it waited on)
 * edge, in the thread's own slot while the edge is the last one's.
 */
static __always_inline void add_wake_edge(__u32 tid, struct st_thread *t, __u64 now,
					  bool named_early)
{
	struct st_wake_key key = {
	    .wakee = tid,
	    .waker = t->waker.id,
	    .waker_kind = t->waker.kind,
	    .wait_state = t->state,
	    .sys_nr = t->sys_nr >= 0 ? (__u16)t->sys_nr : NO_SYSCALL,
	    .host = t->waker.kind == WK_SOFTIRQ ? t->waker.host : 0,
	    .futex_uaddr = t->futex_uaddr,
	    .futex_cmd = t->futex_uaddr ? t->futex_cmd : 0,
	    .futex_flags = t->futex_uaddr ? t->futex_flags : 0,
	    .signal = t->waker.signal,
	};
	struct st_wake_slot *s = &t->wake_slot;
	__u64 delta = now > t->state_ns ? now - t->state_ns : 0;
	__u32 slot = hist_log2(delta);

	if (s->w.count && !same_wake_key(&s->key, &key))
		flush_wake_slot(s);
	if (!s->w.count) {
		s->key = key;
		s->w.waker_pid = t->waker.pid;
		__builtin_memcpy(s->w.waker_comm, t->waker.comm, TASK_COMM_LEN);
	}
	s->w.count++;
	if (named_early)
		s->w.woken_before_switch_out++;
	s->w.blocked_ns += delta;
	if (delta > s->w.max_ns)
		s->w.max_ns = delta;
	if (slot < WAKE_SLOTS)
		s->w.slots[slot]++;
}

/* sched_waking saw this wakeup's waker: one seen since the thread's last switch-in. */
static __always_inline bool waking_pending(const struct st_thread *t)
{
	return t->waking.count && t->waking_slice == t->timeslices && t->waker.kind != WK_NONE;
}

static __always_inline int handle_wakeup(struct task_struct *p, const bool btf)
{
	__u32 tid = TASK_READ(btf, p, pid);
	struct st_thread *t = THREAD_OF(btf, p, tid);
	__u32 waker, least = ~0U, pending;
	int slot = 0;
	__u64 now;

	if (!t || t->ended)
		return 0;
	/*
	 * Woken while still on its CPU (or already queued): no state change,
	 * and the waking it answers is spent (ttwu_runnable: it never blocked).
	 */
	if (t->state == ST_RUNNING || t->state == ST_RUNNABLE) {
		t->waking.count = 0;
		return 0;
	}
	t->wakeups++;
	now = bpf_ktime_get_ns();
	note_queued_asleep(t, p, now, btf);
	pending = waking_pending(t);
	if (!pending) {
		current_waker(&t->waker, btf);
		/*
		 * Every sched_waking is kept, and it runs in the waker's own
		 * context: a wakeup with none pending over the idle task or
		 * another program came late, through the wake list, and its
		 * waking went unseen or was spoilt by a switch the kernel did not
		 * report. Its waker is unknown, not what happened to run here.
		 */
		if (t->waker.kind == WK_IDLE || t->waker.kind == WK_PROCESS)
			t->waker.kind = WK_NONE;
	}
	/*
	 * Read here, not at sched_waking: a signal is queued before its
	 * wake and stays pending until the wakee runs, so it is pending at
	 * both (one read a wakeup instead of two).
	 */
	t->waker.signal = woken_by_signal(p, btf);
	add_wake_edge(tid, t, now, pending && t->waking_on_cpu);
	if (btf && t->lock_owner && t->state == ST_LOCK)
		add_holder_wait(tid, t, now);
	if (!want_syscalls && t->futex_uaddr)
		add_futex_wait(tid, t, now > t->state_ns ? now - t->state_ns : 0);
	set_state_by(tid, t, ST_RUNNABLE, now, TASK_READ(btf, p, wake_cpu), &t->waker);
	t->waker.kind = WK_NONE;
	t->woken = 1;
	t->waking.count = 0;

	/*
	 * The waker: the task sched_waking saw (try_to_wake_up() runs in the
	 * waker's context, while sched_wakeup may run on the wakee's CPU, in an
	 * IPI, over the idle task); else the current task (an interrupt's
	 * victim when woken from IRQ). Kept in the thread's own slots: no map
	 * lookup on this path.
	 */
	waker = pending ? t->waking.tid : (__u32)bpf_get_current_pid_tgid();
	for (int i = 0; i < TOP_WAKERS; i++) {
		if (t->wakers[i].count && t->wakers[i].tid == waker) {
			t->wakers[i].count++;
			return 0;
		}
		if (t->wakers[i].count < least) {
			least = t->wakers[i].count;
			slot = i;
		}
	}
	if (least)
		t->waker_evictions++;
	slot &= TOP_WAKERS - 1;
	t->wakers[slot].tid = waker;
	t->wakers[slot].count = least + 1;
	if (pending)
		__builtin_memcpy(t->wakers[slot].comm, t->waking.comm, TASK_COMM_LEN);
	else
		bpf_get_current_comm(t->wakers[slot].comm, sizeof(t->wakers[slot].comm));
	return 0;
}

/*
 * try_to_wake_up() begins, in the waker's context: who wakes a traced thread.
 * Kept even while the thread still counts as running: it may have set its
 * sleep state and be on its way through its switch-out on another CPU. Then
 * try_to_wake_up() queues the wakeup on that CPU's wake list, and
 * sched_wakeup fires there after the switch, in an IPI over the idle task or
 * whatever runs there: only this moment names the waker. Stamped with the
 * slice, so that a waking not followed by a block (its sched_wakeup seen
 * while running, or a later slice's) is never used.
 */
static __always_inline int handle_waking(struct task_struct *p, const bool btf)
{
	__u32 tid = TASK_READ(btf, p, pid);
	struct st_thread *t = THREAD_OF(btf, p, tid);

	if (!t || t->ended)
		return 0;
	t->waking.tid = (__u32)bpf_get_current_pid_tgid();
	t->waking.count = 1;
	t->waking_slice = t->timeslices;
	t->waking_ns = bpf_ktime_get_ns();
	t->waking_on_cpu = t->state == ST_RUNNING;
	current_waker(&t->waker, btf);
	if (btf)
		note_waker_release(t, t->waking_ns);
	/* A task waker's name is read once (current_waker), an interrupt's victim's here. */
	if (t->waker.comm[0])
		__builtin_memcpy(t->waking.comm, t->waker.comm, TASK_COMM_LEN);
	else
		bpf_get_current_comm(t->waking.comm, sizeof(t->waking.comm));
	return 0;
}

static __always_inline void emit_proc(__u32 pid, __u32 ppid, __u32 exec)
{
	struct st_event *e;

	if (!want_stacks)
		return;
	e = urgent_event(EV_PROC, pid, pid, bpf_ktime_get_ns());
	if (!e)
		return;
	e->ppid = ppid;
	e->exec = exec;
	/* The reader must see a new process at once, while its maps can be read. */
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

/* A new account for @child: task storage (tp_btf) or a hash entry (raw_tp). */
static __always_inline struct st_thread *new_thread(struct task_struct *child, __u32 tid,
						    const bool btf, const bool final)
{
	long err;

	if (btf) {
		struct st_thread *t =
		    bpf_task_storage_get(&live, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (!t && final)
			count_lost(LOST_MAP_FULL);
		return t;
	}
	err = bpf_map_update_elem(&threads, &tid, &zero_thread, BPF_NOEXIST);
	if (err) {
		count_lost(err == -17	? LOST_TID_REUSED
			   : err == -16 ? LOST_MAP_BUSY
					: LOST_MAP_FULL);
		return NULL;
	}
	return bpf_map_lookup_elem(&threads, &tid);
}

static __always_inline int begin_thread(struct task_struct *child, __u32 tid, __u32 tgid,
					const bool btf, const bool final);

static __always_inline int handle_fork(struct task_struct *parent, struct task_struct *child,
				       const bool btf)
{
	__u32 ptgid = TASK_READ(btf, parent, tgid);
	__u32 tid = TASK_READ(btf, child, pid);
	__u32 tgid = TASK_READ(btf, child, tgid);
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&traced, &ptgid))
		return 0;
	if (tgid != ptgid) {
		if (bpf_map_update_elem(&traced, &tgid, &one, BPF_ANY))
			count_lost(LOST_MAP_FULL);
		emit_proc(tgid, ptgid, 0);
	}
	return begin_thread(child, tid, tgid, btf, !btf);
}

/*
 * A traced process's new thread: its account, from zero. Task storage can
 * refuse to create (bpf_task_storage_get returns NULL while another holder
 * of this CPU's storage lock was preempted here), so with @final false a
 * refusal is not yet counted: sched_wakeup_new, which follows at once in
 * wake_up_new_task(), tries again and counts a second refusal.
 */
static __always_inline int begin_thread(struct task_struct *child, __u32 tid, __u32 tgid,
					const bool btf, const bool final)
{
	struct st_thread *t;
	__u64 now;

	t = new_thread(child, tid, btf, final);
	if (!t)
		return 0;
	now = bpf_ktime_get_ns();
	t->first_ns = now;
	t->state_ns = now;
	/* A new task is queued by wake_up_new_task() right after this. */
	t->state = ST_RUNNABLE;
	t->sys_nr = -1;
	t->last_cpu = -1;
	t->pid = tgid;
	t->user_stack = ST_NO_STACK_YET;
	t->kern_stack = ST_NO_STACK_YET;
	for (int i = 0; i < SYS_CACHE; i++)
		t->sys[i].nr = -1;
	/* The kernel's counters start from zero in a new task (sched_fork()). */
	t->sched_sum_at_out = TASK_READ(btf, child, se.sum_exec_runtime);
	t->sched_delay_at_out = run_delay(child, btf);
	BPF_CORE_READ_STR_INTO(&t->comm, child, comm);
	/* CLONE_CHILD_CLEARTID: the word pthread_join waits on for this thread. */
	t->clear_child_tid = (__u64)BPF_CORE_READ(child, clear_child_tid);
	t->waker.kind = WK_FORK;
	t->waker.id = (__u32)bpf_get_current_pid_tgid();
	emit_state(tid, t, ST_RUNNABLE, now, -1, &t->waker);
	t->waker.kind = WK_NONE;
	return 0;
}

/*
 * A new task is queued: a traced thread whose account the fork handler could
 * not create (task storage refused) gets it now, a moment later.
 */
static __always_inline int handle_wakeup_new(struct task_struct *p, const bool btf)
{
	__u32 tid = TASK_READ(btf, p, pid);
	__u32 tgid = TASK_READ(btf, p, tgid);

	if (btf && !THREAD_OF(btf, p, tid) && bpf_map_lookup_elem(&traced, &tgid))
		begin_thread(p, tid, tgid, btf, true);
	return handle_wakeup(p, btf);
}

/* Drop what a thread recorded before the command's window opened. */
static long drop_syscalls(struct bpf_map *map, struct st_syscall_key *key, void *v, __u32 *tid)
{
	if (key->tid == *tid)
		bpf_map_delete_elem(map, key);
	return 0;
}

static long drop_futexes(struct bpf_map *map, struct st_futex_key *key, void *v, __u32 *pid)
{
	if (key->pid == *pid)
		bpf_map_delete_elem(map, key);
	return 0;
}

static long drop_holders(struct bpf_map *map, struct st_holder_key *key, void *v, __u32 *pid)
{
	if (key->pid == *pid)
		bpf_map_delete_elem(map, key);
	return 0;
}

static long drop_offcpu(struct bpf_map *map, struct st_offcpu_key *key, void *v, __u32 *tid)
{
	if (key->tid == *tid)
		bpf_map_delete_elem(map, key);
	return 0;
}

static long drop_wakes(struct bpf_map *map, struct st_wake_key *key, void *v, __u32 *tid)
{
	if (key->wakee == *tid)
		bpf_map_delete_elem(map, key);
	return 0;
}

/*
 * The command's life starts at its exec: the fork, the wait at the gate and
 * the exec itself were the tracer's doing. The first thread's account starts
 * again here (it is the process's only thread: exec has ended the others),
 * its syscalls, futex waits, run-queue waits, off-CPU stacks and wake edges
 * so far are dropped, and the kernel's counters now are its baseline (and
 * the start of the scheduler's cut). A wrapper that execs again moves the
 * window again.
 */
static __always_inline void open_window(__u32 tid, struct st_thread *t, struct task_struct *p,
					const bool btf)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 slice_start = t->state_ns; /* exec runs mid-slice, switched in then */
	bool was_running = t->state == ST_RUNNING;
	__u64 steal_now = rq_irq_steal(p, btf);
	__u32 pid = t->pid;
	struct st_event *e;

	for (int i = 0; i < NR_STATES; i++)
		t->state_total_ns[i] = 0;
	t->nvcsw = t->nivcsw = t->timeslices = t->migrations = t->wakeups = 0;
	t->runnable_asleep_ns = 0;
	t->sched_running_ns = t->slice_running_ns = 0;
	t->sched_runnable_ns = t->slice_runnable_ns = 0;
	t->irq_steal_ns = t->queued_asleep_ns = 0;
	t->wake_lag_sum = t->wake_lags = 0;
	t->dev_woken_sum = t->dev_preempted_sum = 0;
	t->lag_woken_sum = t->lag_preempted_sum = 0;
	t->woken_wait_sum = 0;
	t->woken_slices = t->preempted_slices = 0;
	t->missed_wake_gap_ns = 0;
	t->waker_evictions = 0;
	__builtin_memset(t->wakers, 0, sizeof(t->wakers));
	/* Dropped, as their entries in wakes and offcpu are. */
	__builtin_memset(&t->wake_slot.w, 0, sizeof(t->wake_slot.w));
	for (int i = 0; i < NR_STATES; i++)
		t->offcpu_slot[i].ns = 0;
	t->runq.count = t->runq.sum_ns = t->runq.max_ns = 0;
	for (int i = 0; i < HIST_SLOTS; i++) {
		t->runq.slots[i] = 0;
		asm volatile("" ::: "memory"); /* a loop, not a memset the BPF target lacks */
	}
	for (int i = 0; i < SYS_CACHE; i++) {
		t->sys[i].nr = -1;
		t->sys[i].count = 0;
	}
	t->first_ns = now;
	t->window_ns = now;
	t->state = ST_RUNNING; /* exec runs on its CPU */
	t->state_ns = now;
	t->sys_nr = -1; /* execve itself is not the command's */
	t->sys_class = SC_NONE;
	t->futex_uaddr = 0;
	read_kernel(t, p, btf);
	/*
	 * se.sum_exec_runtime is as of the last update_curr(), up to a tick
	 * behind mid-slice: bring it to now, from its value at this slice's
	 * switch-in and the slice's length so far less the interrupt time the
	 * task clock leaves out, so the kernel's run since the exec starts
	 * where the collector's does (a stale baseline showed as 1.8-3.9 ms
	 * more kernel run than collector run, under one 4 ms tick).
	 */
	if (was_running && now > slice_start) {
		__u64 irq = steal_now - t->irq_steal_at_in;
		__u64 ran = now - slice_start;
		__u64 sum = t->sched_sum_at_in + (ran > irq ? ran - irq : 0);

		if (sum > t->kernel.sum_exec_runtime_ns)
			t->kernel.sum_exec_runtime_ns = sum;
	}
	t->at_exec = t->kernel;
	__builtin_memset(&t->kernel, 0, sizeof(t->kernel));
	t->sched_sum_at_in = t->at_exec.sum_exec_runtime_ns;
	t->sched_sum_at_out = t->at_exec.sum_exec_runtime_ns;
	t->sched_delay_at_out = t->at_exec.run_delay_ns;
	t->irq_steal_at_in = steal_now;
	t->runnable_open_ns = 0;
	t->slice_woken = 0;
	/* Every bucket is visited: only when something was ever inserted. */
	if (keyed_maps_used) {
		bpf_for_each_map_elem(&syscalls, drop_syscalls, &tid, 0);
		bpf_for_each_map_elem(&futexes, drop_futexes, &pid, 0);
		bpf_for_each_map_elem(&holders, drop_holders, &pid, 0);
		bpf_for_each_map_elem(&offcpu, drop_offcpu, &tid, 0);
		bpf_for_each_map_elem(&wakes, drop_wakes, &tid, 0);
	}
	e = urgent_event(EV_WINDOW, tid, pid, now);
	if (!e)
		return;
	e->cpu = bpf_get_smp_processor_id();
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

static __always_inline int handle_exec(struct task_struct *p, const bool btf)
{
	__u32 tid = TASK_READ(btf, p, pid);
	struct st_thread *t = THREAD_OF(btf, p, tid);

	if (!t)
		return 0;
	BPF_CORE_READ_STR_INTO(&t->comm, p, comm);
	if (tid == root_tid)
		open_window(tid, t, p, btf);
	emit_proc(t->pid, 0, 1);
	return 0;
}

/*
 * The exit begins; the thread still runs (mm, files, the parent's
 * notification) until its final switch-out, which ends its account. The
 * counters read here are provisional, and the account is published now
 * too: if that switch-out is not seen, the user half still has the thread
 * (ended at exit_ns, counted in lost.exit_switch_missed).
 */
static __always_inline int handle_exit(struct task_struct *p, const bool btf)
{
	__u32 tid = TASK_READ(btf, p, pid);
	struct st_thread *t = THREAD_OF(btf, p, tid);

	if (!t || t->ended)
		return 0;
	t->exit_ns = bpf_ktime_get_ns();
	BPF_CORE_READ_STR_INTO(&t->comm, p, comm);
	read_kernel(t, p, btf);
	publish(tid, t, btf);
	return 0;
}

static __always_inline struct st_thread *current_thread(const bool btf)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return THREAD_OF(btf, bpf_get_current_task_btf(), tid);
}

static __always_inline int handle_sys_enter(struct pt_regs *regs, long id, const bool btf)
{
	struct st_thread *t = current_thread(btf);

	if (!t)
		return 0;
	t->sys_start_ns = bpf_ktime_get_ns();
	note_syscall(t, id, regs, btf);
	return 0;
}

/* A syscall slot taken by another number: its figures move to the syscalls map. */
static __always_inline void evict_syscall(__u32 tid, struct st_sys_slot *c)
{
	struct st_syscall_key key = {.tid = tid, .nr = (__u32)c->nr};
	struct st_syscall *s = lookup_or_init(&syscalls, &key, &zero_sys);

	if (s) {
		s->count += c->count;
		s->errors += c->errors;
		s->total_ns += c->total_ns;
		if (c->max_ns > s->max_ns)
			s->max_ns = c->max_ns;
		for (int i = 0; i < SYS_SLOTS; i++)
			s->slots[i] += c->slots[i];
	}
	__builtin_memset(c, 0, sizeof(*c));
}

static __always_inline int handle_sys_exit(long ret, const bool btf)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct st_thread *t = current_thread(btf);
	struct st_sys_slot *c;
	__s32 nr;
	__u64 delta;
	__u32 slot;

	if (!t || t->sys_nr < 0)
		return 0;
	delta = bpf_ktime_get_ns() - t->sys_start_ns;
	nr = t->sys_nr;
	c = &t->sys[nr & (SYS_CACHE - 1)];
	if (c->nr != nr) {
		if (c->count)
			evict_syscall(tid, c);
		c->nr = nr;
	}
	c->count++;
	if (ret < 0)
		c->errors++;
	c->total_ns += delta;
	if (delta > c->max_ns)
		c->max_ns = delta;
	slot = hist_log2(delta);
	if (slot < SYS_SLOTS)
		c->slots[slot]++;
	if (t->futex_uaddr)
		add_futex_wait(tid, t, delta);
	t->sys_nr = -1;
	t->sys_class = SC_NONE;
	t->futex_uaddr = 0;
	return 0;
}

/*
 * A TCP socket changes state (sock:inet_sock_set_state): a traced process
 * that listens, or connects, in its own context (listen(), connect()). A
 * connect's outcome comes later, in whatever context the answer is handled
 * (on loopback, the client's own send): found again by the socket. A few
 * events per connection, none on any other path; the client and server of
 * a loopback pair are named from these (docs/collector.md, "TCP ends").
 */
static __always_inline int handle_sock_state(const struct sock *sk, int oldstate, int newstate,
					     const bool btf)
{
	__u64 skaddr = (__u64)sk, zero = 0, *n;
	struct st_tcp_key key = {}, *k;

	if (TASK_READ(btf, sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	if (newstate == TCP_LISTEN || (newstate == TCP_SYN_SENT && oldstate == TCP_CLOSE)) {
		key.pid = bpf_get_current_pid_tgid() >> 32;
		if (!bpf_map_lookup_elem(&traced, &key.pid))
			return 0;
		key.role = newstate == TCP_LISTEN ? TCP_END_LISTEN : TCP_END_CONNECT;
		key.port = newstate == TCP_LISTEN
			       ? TASK_READ(btf, sk, __sk_common.skc_num)
			       : __builtin_bswap16(TASK_READ(btf, sk, __sk_common.skc_dport));
		if (key.role == TCP_END_CONNECT &&
		    bpf_map_update_elem(&tcp_connecting, &skaddr, &key, BPF_ANY))
			count_lost(LOST_MAP_FULL);
	} else if (oldstate == TCP_SYN_SENT) {
		k = bpf_map_lookup_elem(&tcp_connecting, &skaddr);
		if (!k)
			return 0;
		key = *k;
		bpf_map_delete_elem(&tcp_connecting, &skaddr);
		if (newstate != TCP_ESTABLISHED)
			return 0;
		key.role = TCP_END_ESTABLISHED;
	} else {
		return 0;
	}
	n = lookup_or_init(&tcp_ends, &key, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

/* Where this CPU is: entering (+1) or leaving (-1) a handler; a softirq by vector. */
enum { CTX_SOFTIRQ, CTX_HARDIRQ, CTX_HRTIMER };

static __always_inline int set_context(int what, int delta, __u32 vec)
{
	__u32 zero = 0;
	struct cpu_context *cc = bpf_map_lookup_elem(&cpu_ctx, &zero);

	if (!cc)
		return 0;
	if (what == CTX_SOFTIRQ)
		cc->softirq = delta > 0 ? vec + 1 : 0;
	else if (what == CTX_HARDIRQ)
		cc->hardirq = delta > 0 ? cc->hardirq + 1 : cc->hardirq ? cc->hardirq - 1 : 0;
	else
		cc->hrtimer = delta > 0 ? cc->hrtimer + 1 : cc->hrtimer ? cc->hrtimer - 1 : 0;
	return 0;
}

/*
 * Every program twice, from one definition: tp_btf (SFX btf; typed
 * arguments, task fields read with plain loads) and raw_tp (SFX raw; the
 * fallback where tp_btf does not load, fields read with
 * bpf_probe_read_kernel). User space loads one set.
 */
#define DEFINE_PROGRAMS(KIND, SFX, BTF)                                                            \
	SEC(#KIND "/sched_switch")                                                                 \
	int BPF_PROG(sched_switch_##SFX, bool preempt, struct task_struct *prev,                   \
		     struct task_struct *next)                                                     \
	{                                                                                          \
		/* The 4th argument (prev_state) exists since 5.18; before, read the task. */      \
		unsigned int prev_state =                                                          \
		    switch_has_state_arg ? (unsigned int)ctx[3] : task_state(prev);                \
                                                                                                   \
		return handle_switch(ctx, preempt, prev, next, prev_state, BTF);                   \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sched_waking")                                                                 \
	int BPF_PROG(sched_waking_##SFX, struct task_struct *p)                                    \
	{                                                                                          \
		return handle_waking(p, BTF);                                                      \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sched_wakeup")                                                                 \
	int BPF_PROG(sched_wakeup_##SFX, struct task_struct *p)                                    \
	{                                                                                          \
		return handle_wakeup(p, BTF);                                                      \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sched_wakeup_new")                                                             \
	int BPF_PROG(sched_wakeup_new_##SFX, struct task_struct *p)                                \
	{                                                                                          \
		return handle_wakeup_new(p, BTF);                                                  \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sched_process_fork")                                                           \
	int BPF_PROG(sched_process_fork_##SFX, struct task_struct *parent,                         \
		     struct task_struct *child)                                                    \
	{                                                                                          \
		return handle_fork(parent, child, BTF);                                            \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sched_process_exec")                                                           \
	int BPF_PROG(sched_process_exec_##SFX, struct task_struct *p)                              \
	{                                                                                          \
		return handle_exec(p, BTF);                                                        \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sched_process_exit")                                                           \
	int BPF_PROG(sched_process_exit_##SFX, struct task_struct *p)                              \
	{                                                                                          \
		return handle_exit(p, BTF);                                                        \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sys_enter")                                                                    \
	int BPF_PROG(sys_enter_##SFX, struct pt_regs *regs, long id)                               \
	{                                                                                          \
		return handle_sys_enter(regs, id, BTF);                                            \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/sys_exit")                                                                     \
	int BPF_PROG(sys_exit_##SFX, struct pt_regs *regs, long ret)                               \
	{                                                                                          \
		return handle_sys_exit(ret, BTF);                                                  \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/inet_sock_set_state")                                                          \
	int BPF_PROG(inet_sock_set_state_##SFX, const struct sock *sk, const int oldstate,         \
		     const int newstate)                                                           \
	{                                                                                          \
		return handle_sock_state(sk, oldstate, newstate, BTF);                             \
	}                                                                                          \
                                                                                                   \
	/* Exits before entries: attached in this order, no entry is counted without its exit. */  \
	SEC(#KIND "/softirq_exit")                                                                 \
	int BPF_PROG(softirq_exit_##SFX, unsigned int vec)                                         \
	{                                                                                          \
		return set_context(CTX_SOFTIRQ, -1, vec);                                          \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/softirq_entry")                                                                \
	int BPF_PROG(softirq_entry_##SFX, unsigned int vec)                                        \
	{                                                                                          \
		return set_context(CTX_SOFTIRQ, 1, vec);                                           \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/irq_handler_exit")                                                             \
	int BPF_PROG(irq_handler_exit_##SFX, int irq)                                              \
	{                                                                                          \
		return set_context(CTX_HARDIRQ, -1, 0);                                            \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/irq_handler_entry")                                                            \
	int BPF_PROG(irq_handler_entry_##SFX, int irq)                                             \
	{                                                                                          \
		return set_context(CTX_HARDIRQ, 1, 0);                                             \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/hrtimer_expire_exit")                                                          \
	int BPF_PROG(hrtimer_expire_exit_##SFX, void *timer)                                       \
	{                                                                                          \
		return set_context(CTX_HRTIMER, -1, 0);                                            \
	}                                                                                          \
                                                                                                   \
	SEC(#KIND "/hrtimer_expire_entry")                                                         \
	int BPF_PROG(hrtimer_expire_entry_##SFX, void *timer)                                      \
	{                                                                                          \
		return set_context(CTX_HRTIMER, 1, 0);                                             \
	}

DEFINE_PROGRAMS(tp_btf, btf, true)
DEFINE_PROGRAMS(raw_tp, raw, false)

/*
 * HotSpot's Java monitors (collectors/jvm.c attaches these to the command's
 * libjvm.so, and only then). A thread that finds a monitor taken spins, then
 * enters ObjectMonitor::EnterI (ReenterI after a wait()) and parks on its own
 * word until an exiting owner wakes it: the futex waits in between are waits
 * for the monitor (note_syscall). The uncontended path never comes here.
 */
SEC("uprobe")
int BPF_KPROBE(monitor_contended, void *monitor)
{
	struct st_thread *t = current_thread(true);

	if (t)
		t->monitor = (__u64)monitor;
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(monitor_entered)
{
	struct st_thread *t = current_thread(true);

	if (t)
		t->monitor = 0;
	return 0;
}

/* JNI_CreateJavaVM returned in a traced process: its table of fields is filled. */
SEC("uretprobe")
int BPF_KRETPROBE(jvm_created)
{
	struct st_thread *t = current_thread(true);
	struct st_event *e;

	if (!t)
		return 0;
	e = urgent_event(EV_JVM, (__u32)bpf_get_current_pid_tgid(), t->pid, bpf_ktime_get_ns());
	if (e)
		bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

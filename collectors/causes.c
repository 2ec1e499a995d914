// SPDX-License-Identifier: GPL-2.0
/*
 * Why threads waited, the user half (causes.h). A futex word is named from
 * its process's memory map, read when the kernel half first sees the word
 * (the waiter has just returned, so the process lives); the text is kept per
 * process, so words seen later still find their mapping after the process
 * is gone. The state intervals (intervals.h) are kept for the critical path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include "causes.h"
#include "critpath.h"
#include "futex_names.h"
#include "proc_maps.h"
#include "sched_json.h"
#include "syscall_names.h"

/* include/linux/interrupt.h, in vector order. */
const char *softirq_name(uint32_t vec)
{
	static const char *const names[] = {"hi",	"timer",   "net_tx", "net_rx",	"block",
					    "irq_poll", "tasklet", "sched",  "hrtimer", "rcu"};

	return vec < sizeof(names) / sizeof(names[0]) ? names[vec] : "unknown";
}

struct proc_maps {
	uint32_t pid;
	char *maps;
};

struct causes {
	struct futex_namer *fn;
	struct proc_maps *procs;
	size_t nprocs;
	bool keep;
	struct cp_interval *iv;
	size_t niv, cap;
	uint64_t window_ns;
	uint32_t window_tid;
};

struct causes *causes_new(bool keep_intervals)
{
	struct causes *c = calloc(1, sizeof(*c));

	if (!c || !(c->fn = futex_namer_new())) {
		fprintf(stderr, "schedtrace: causes: out of memory\n");
		free(c);
		return NULL;
	}
	c->keep = keep_intervals;
	return c;
}

void causes_free(struct causes *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nprocs; i++)
		free(c->procs[i].maps);
	free(c->procs);
	free(c->iv);
	futex_namer_free(c->fn);
	free(c);
}

uint64_t causes_window_ns(const struct causes *c)
{
	return c ? c->window_ns : 0;
}

static struct proc_maps *find_proc(struct causes *c, uint32_t pid)
{
	for (size_t i = 0; i < c->nprocs; i++)
		if (c->procs[i].pid == pid)
			return &c->procs[i];
	return NULL;
}

/* A new word: (re)read the process's map now, while it lives. */
static void note_futex(struct causes *c, uint32_t pid)
{
	struct proc_maps *p = find_proc(c, pid);
	char *maps = proc_maps_read((pid_t)pid, NULL);

	if (!maps)
		return; /* gone already: the last text read stays */
	if (!p) {
		struct proc_maps *np = realloc(c->procs, (c->nprocs + 1) * sizeof(*np));

		if (!np) {
			free(maps);
			return;
		}
		c->procs = np;
		p = &c->procs[c->nprocs++];
		p->pid = pid;
		p->maps = NULL;
	}
	free(p->maps);
	p->maps = maps;
}

void causes_interval(struct causes *c, const struct interval *s, uint64_t end)
{
	if (!c || !c->keep || s->state >= NR_STATES || end <= s->start_ns)
		return;
	if (c->niv == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 4096;
		struct cp_interval *n = realloc(c->iv, nc * sizeof(*n));

		if (!n)
			return;
		c->iv = n;
		c->cap = nc;
	}
	c->iv[c->niv++] = (struct cp_interval){s->start_ns,   end,	s->tid,	 s->state,
					       s->waker_kind, s->waker, s->host, s->holder};
}

void causes_event(struct causes *c, const struct st_event *e)
{
	if (!c)
		return;
	switch (e->type) {
	case EV_FUTEX:
		note_futex(c, e->pid);
		break;
	case EV_WINDOW:
		c->window_ns = e->ts;
		c->window_tid = e->tid;
		break;
	default:
		break;
	}
}

/* A traced thread's comm, NUL-terminated (the kernel's fills all 16 bytes
 * at most), "" for a thread the snapshot does not hold. */
static const char *comm_of(const struct snap_thread *t, char buf[TASK_COMM_LEN + 1])
{
	buf[0] = '\0';
	if (t) {
		memcpy(buf, t->t.comm, TASK_COMM_LEN);
		buf[TASK_COMM_LEN] = '\0';
	}
	return buf;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/*
 * The word's waits with a mutex owner read at the wait (st_holder): per
 * (waiter, owner), how long the owner held the lock over them and what it
 * did meanwhile, by state. Empty when
 * no wait on the word read as a locked mutex: a condition variable, a join,
 * a word not glibc's.
 */
static json_t *holders_json(const struct sched_snapshot *snap, uint32_t pid, uint64_t addr)
{
	json_t *arr = json_array();
	char wc[TASK_COMM_LEN + 1], oc[TASK_COMM_LEN + 1];

	for (size_t i = 0; i < snap->nholders; i++) {
		const struct snap_holder *h = &snap->holders[i];
		json_t *states = json_object();

		if (h->key.pid != pid || h->key.uaddr != addr || !h->h.count)
			continue;
		for (int st = 0; st < NR_STATES; st++)
			json_object_set_new(states, state_names[st],
					    json_integer((json_int_t)h->h.owner_ns[st]));
		json_array_append_new(
		    arr,
		    json_pack("{s:{s:I,s:s},s:{s:I,s:s},s:I,s:I,s:I,s:I,s:o}", "waiter", "tid",
			      (json_int_t)h->key.waiter, "comm",
			      comm_of(snapshot_thread(snap, h->key.waiter), wc), "owner", "tid",
			      (json_int_t)h->key.owner, "comm",
			      comm_of(snapshot_thread(snap, h->key.owner), oc), "waits",
			      (json_int_t)h->h.count, "blocked_ns", (json_int_t)h->h.blocked_ns,
			      "held_ns", (json_int_t)h->h.held_ns, "owner_unknown",
			      (json_int_t)h->h.owner_unknown, "owner_ns", states));
	}
	return arr;
}

void causes_futex_fields(struct causes *c, json_t *entry, const struct sched_snapshot *snap,
			 uint32_t pid, uint64_t addr)
{
	struct futex_name name = {};
	struct proc_maps *p = c ? find_proc(c, pid) : NULL;
	json_t *joins = json_array();

	if (p && p->maps)
		futex_name_from_maps(c->fn, p->maps, NULL, addr, &name);
	json_object_set_new(entry, "object", str_or_null(name.object));
	json_object_set_new(entry, "symbol", str_or_null(name.symbol));
	json_object_set_new(entry, "region", str_or_null(name.region));
	/* 0 without a symbol: readers take the offset as a number. */
	json_object_set_new(entry, "symbol_offset", json_integer((json_int_t)name.symbol_offset));
	/* A thread's clear_child_tid word: waiting on it is joining that thread. */
	for (size_t i = 0; i < snap->nthreads; i++)
		if (snap->threads[i].t.pid == pid && snap->threads[i].t.clear_child_tid == addr)
			json_array_append_new(joins, json_integer(snap->threads[i].tid));
	/* glibc reuses a finished thread's stack: the latest thread owns the word. */
	json_object_set(entry, "join_tid",
			json_array_size(joins) ? json_array_get(joins, json_array_size(joins) - 1)
					       : json_null());
	if (json_array_size(joins) > 1)
		json_object_set(entry, "join_tids", joins);
	json_decref(joins);
	json_object_set_new(entry, "holders", holders_json(snap, pid, addr));
}

/* The futex(2) command a wait was asked with, as futex(2) names it. */
static const char *futex_cmd_name(unsigned int cmd)
{
	switch (cmd) {
	case FUTEX_WAIT:
		return "FUTEX_WAIT";
	case FUTEX_LOCK_PI:
		return "FUTEX_LOCK_PI";
	case FUTEX_WAIT_BITSET:
		return "FUTEX_WAIT_BITSET";
	case FUTEX_WAIT_REQUEUE_PI:
		return "FUTEX_WAIT_REQUEUE_PI";
	case FUTEX_LOCK_PI2:
		return "FUTEX_LOCK_PI2";
	default:
		return NULL;
	}
}

static json_t *waker_json(const struct st_wake_key *k, const struct st_wake *w,
			  const struct sched_snapshot *snap)
{
	const char *kind =
	    k->waker_kind < NR_WAKER_KINDS ? waker_kind_names[k->waker_kind] : "unknown";
	json_t *o = json_pack("{s:s}", "kind", kind);
	char comm[TASK_COMM_LEN + 1];

	switch (k->waker_kind) {
	case WK_THREAD:
	case WK_PROCESS:
	case WK_KTHREAD: {
		const struct snap_thread *r = snapshot_thread(snap, k->waker);

		if (r) {
			comm_of(r, comm);
		} else {
			memcpy(comm, w->waker_comm, TASK_COMM_LEN);
			comm[TASK_COMM_LEN] = '\0';
		}
		json_object_set_new(o, "tid", json_integer(k->waker));
		json_object_set_new(o, "pid", json_integer(r ? r->t.pid : w->waker_pid));
		json_object_set_new(o, "comm", json_string(comm));
		break;
	}
	case WK_SOFTIRQ:
		json_object_set_new(o, "softirq", json_string(softirq_name(k->waker)));
		if (k->host) {
			const struct snap_thread *r = snapshot_thread(snap, k->host);

			/* the traced thread whose syscall ran it: loopback's sender */
			json_object_set_new(o, "in_thread",
					    json_pack("{s:I,s:I,s:s}", "tid", (json_int_t)k->host,
						      "pid",
						      (json_int_t)(r ? r->t.pid : w->waker_pid),
						      "comm", comm_of(r, comm)));
		}
		break;
	case WK_HARDIRQ:
		json_object_set_new(o, "irq",
				    json_string(k->waker == HARDIRQ_TIMER ? "timer" : "device"));
		break;
	default:
		break;
	}
	return o;
}

json_t *causes_wakes_json(const struct sched_snapshot *snap)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < snap->nwakes; i++) {
		const struct st_wake_key *k = &snap->wakes[i].key;
		const struct st_wake *w = &snap->wakes[i].w;
		const struct snap_thread *wakee;
		json_t *wait, *hist = json_array();
		char addr[32], comm[TASK_COMM_LEN + 1];

		if (!w->count)
			continue;
		wakee = snapshot_thread(snap, k->wakee);
		wait = json_pack("{s:s}", "state",
				 k->wait_state < NR_STATES ? state_names[k->wait_state] : "other");
		if (k->sys_nr != NO_SYSCALL) {
			const char *sn = syscall_name(k->sys_nr);

			json_object_set_new(wait, "syscall", sn ? json_string(sn) : json_null());
		}
		if (k->futex_uaddr) {
			snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)k->futex_uaddr);
			json_object_set_new(wait, "futex", json_string(addr));
			json_object_set_new(wait, "futex_op",
					    str_or_null(futex_cmd_name(k->futex_cmd)));
			json_object_set_new(wait, "futex_timeout",
					    json_boolean(k->futex_flags & FW_TIMEOUT));
			json_object_set_new(wait, "futex_private",
					    json_boolean(k->futex_flags & FW_PRIVATE));
		}
		for (int s = 0; s < WAKE_SLOTS; s++)
			if (w->slots[s])
				json_array_append_new(
				    hist, json_pack("{s:I,s:I,s:I}", "lo_ns",
						    (json_int_t)(s ? 1ULL << s : 0), "hi_ns",
						    (json_int_t)(1ULL << (s + 1)), "count",
						    (json_int_t)w->slots[s]));
		json_array_append_new(
		    arr,
		    json_pack("{s:o,s:{s:I,s:I,s:s},s:o,s:b,s:I,s:I,s:I,s:I,s:o}", "waker",
			      waker_json(k, w, snap), "wakee", "tid", (json_int_t)k->wakee, "pid",
			      (json_int_t)(wakee ? wakee->t.pid : 0), "comm", comm_of(wakee, comm),
			      "wait", wait, "signal", k->signal != 0, "count", (json_int_t)w->count,
			      "woken_before_switch_out", (json_int_t)w->woken_before_switch_out,
			      "blocked_ns", (json_int_t)w->blocked_ns, "max_ns",
			      (json_int_t)w->max_ns, "hist", hist));
	}
	return arr;
}

json_t *causes_critical_path_json(struct causes *c, const struct sched_snapshot *snap,
				  uint64_t start_ns, uint64_t end_ns)
{
	struct cp_path p;
	json_t *o, *by, *segs;
	size_t nsegs = 0;
	uint64_t totals[64][NR_STATES] = {{0}};
	uint32_t tids[64];
	size_t ntids = 0;

	if (!c || !c->keep)
		return json_null();
	if (critpath_compute(c->iv, c->niv, start_ns, end_ns, &p))
		return json_null();
	segs = json_array();
	for (size_t i = 0; i < p.n; i++) {
		const struct cp_segment *s = &p.seg[i];
		size_t t;

		for (t = 0; t < ntids && tids[t] != s->tid; t++)
			;
		if (t == ntids && ntids < 64)
			tids[ntids++] = s->tid;
		if (t < 64)
			totals[t][s->state] += s->end - s->start;
		if (nsegs++ < 4000)
			json_array_append_new(
			    segs,
			    json_pack("{s:I,s:s,s:I,s:I,s:s}", "tid", (json_int_t)s->tid, "state",
				      state_names[s->state], "start_ns", (json_int_t)s->start,
				      "end_ns", (json_int_t)s->end, "via",
				      waker_kind_names[s->via_kind < NR_WAKER_KINDS ? s->via_kind
										    : WK_NONE]));
	}
	by = json_array();
	for (size_t t = 0; t < ntids; t++) {
		char comm[TASK_COMM_LEN + 1];

		comm_of(snapshot_thread(snap, tids[t]), comm);

		for (int st = 0; st < NR_STATES; st++)
			if (totals[t][st])
				json_array_append_new(
				    by, json_pack("{s:I,s:s,s:s,s:I}", "tid", (json_int_t)tids[t],
						  "comm", comm, "state", state_names[st], "ns",
						  (json_int_t)totals[t][st]));
	}
	o = json_pack("{s:I,s:I,s:I,s:I,s:o,s:o,s:b}", "start_ns", (json_int_t)p.start_ns, "end_ns",
		      (json_int_t)p.end_ns, "end_tid", (json_int_t)p.end_tid, "covered_ns",
		      (json_int_t)p.covered_ns, "by", by, "segments", segs, "segments_truncated",
		      nsegs > 4000);
	critpath_free(&p);
	return o;
}

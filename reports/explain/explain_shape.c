// SPDX-License-Identifier: GPL-2.0
/* The program's shape in words, for any traced command: which of these the
 * run shows, each with the figures that show it (thresholds below):
 *   - a pool of threads and the thread that fed it (thread_roles.h);
 *   - an event loop, and whether it was kept from its events;
 *   - a pipeline of processes: one process's reads ended by another's writes;
 *   - a process tree (a build): SHAPE_TREE_PROCS processes or more, the
 *     longest-lived child named;
 *   - a client and a server over loopback: one process's waits ended by the
 *     network softirq run inside another process's send;
 *   - a writer waiting on the disk: SHAPE_DISK_SHARE of a thread's life;
 * and what bounded the run: the largest part of the critical path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "figures.h"
#include "host_load.h"
#include "thread_labels.h"
#include "thread_roles.h"
#include "wakes.h"
#include "work_shape.h"

#define SHAPE_TREE_PROCS 4
#define SHAPE_DISK_SHARE 0.20
#define SHAPE_LOOP_BUSY 0.50
#define SHAPE_PIPE_WAKES 3
#define SHAPE_BOUND_SHARE 0.30
/* One thread bounds a run only while the others kept less than this many
 * CPUs busy beside it, on average over the run. */
#define SHAPE_BESIDE_CPUS 0.5

/* The pools of @r, each fed or not: one sentence per pool. */
static void pools(const struct run *r, const char *prefix, struct sentences *out)
{
	const struct sched_acct *s = &r->sched;

	for (int p = 1;; p++) {
		uint64_t run_ns = 0, life = 0, fed = 0, waits = 0, collected = 0, coll_ns = 0;
		const struct sched_thread *first = NULL;
		char names[256] = "", d1[32], d2[32];
		size_t n = 0, used = 0;
		int feeder = 0;

		for (size_t i = 0; i < s->nthreads; i++) {
			const struct sched_thread *t = &s->threads[i];

			if (t->pool != p)
				continue;
			first = first ? first : t;
			feeder = !n || t->fed_by == feeder ? t->fed_by : 0;
			run_ns += t->state_ns[ST_RUNNING];
			life += t->lifetime_ns;
			if (n < 3)
				used += (size_t)snprintf(
				    names + used, used < sizeof(names) ? sizeof(names) - used : 0,
				    "%s%s", n ? ", " : "", thread_label_of(t));
			n++;
		}
		if (!first)
			return;
		for (size_t i = 0; i < s->nwakes; i++) {
			const struct wake_edge *e = &s->wakes[i];
			const struct sched_thread *wakee = sched_find_tid(s, e->wakee_tid);
			const struct sched_thread *waker =
			    e->kind == WK_THREAD ? sched_find_tid(s, e->waker_tid) : NULL;

			if (wakee && wakee->pool == p && e->futex[0]) {
				waits += e->count;
				fed += waker && waker->tid == feeder ? e->count : 0;
			}
			if (feeder && e->wakee_tid == feeder && waker && waker->pool == p) {
				collected += e->count;
				coll_ns += e->blocked_ns;
			}
		}
		if (feeder) {
			const char *fl = thread_label_or(r, feeder, "one thread");

			sentences_add(
			    out,
			    "%sShape: a pool of %zu threads (%s%s) fed by %s: it ended %llu "
			    "of their %llu futex waits; the pool ran %s, %.0f%% of its "
			    "threads' lives.",
			    prefix, n, names, n > 3 ? ", ..." : "", fl, (unsigned long long)fed,
			    (unsigned long long)waits, fig_dur(d1, sizeof(d1), (double)run_ns),
			    life ? 100.0 * (double)run_ns / (double)life : 0.0);
			if (collected)
				sentences_add(out,
					      "%s%s collected from the pool: %llu of its waits "
					      "(%s) %s ended by the pool's threads.",
					      prefix, fl, (unsigned long long)collected,
					      fig_dur(d2, sizeof(d2), (double)coll_ns),
					      collected == 1 ? "was" : "were");
		} else {
			char w[256]; /* word_name's whole: cut short, its parenthesis stays open */

			sentences_add(out,
				      "%sShape: a pool of %zu threads (%s%s) in process %d waiting "
				      "on one futex word, %s: %llu waits; the pool ran %s, %.0f%% "
				      "of its threads' lives.",
				      prefix, n, names, n > 3 ? ", ..." : "", first->pid,
				      word_name(r, first->pid, first->pool_word, w, sizeof(w)),
				      (unsigned long long)waits,
				      fig_dur(d1, sizeof(d1), (double)run_ns),
				      life ? 100.0 * (double)run_ns / (double)life : 0.0);
		}
	}
}

/* An event loop, and whether it was kept from its events. */
static void loops(const struct run *r, const char *prefix, struct sentences *out)
{
	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		uint64_t busy = t->state_ns[ST_RUNNING] + t->state_ns[ST_RUNNABLE];
		bool pool = false;
		char d1[32], d2[32], d3[32];

		if (!thread_is(t, "event loop"))
			continue;
		for (size_t j = 0; j < r->sched.nthreads; j++)
			pool |= r->sched.threads[j].pool && r->sched.threads[j].pid == t->pid;
		sentences_add(out, "%sShape: %s is an event loop%s: %s.", prefix,
			      thread_label_of(t), pool ? " with a thread pool beside it" : "",
			      t->role_why);
		if (t->lifetime_ns && (double)busy >= SHAPE_LOOP_BUSY * (double)t->lifetime_ns)
			sentences_add(out,
				      "%sThe loop was kept from its events: %s ran %s and waited "
				      "%s for a CPU, %.0f%% of its %s (≥ %.0f%%); meanwhile no "
				      "event it waits for was served.",
				      prefix, thread_label_of(t),
				      fig_dur(d1, sizeof(d1), (double)t->state_ns[ST_RUNNING]),
				      fig_dur(d2, sizeof(d2), (double)t->state_ns[ST_RUNNABLE]),
				      100.0 * (double)busy / (double)t->lifetime_ns,
				      fig_dur(d3, sizeof(d3), (double)t->lifetime_ns),
				      100 * SHAPE_LOOP_BUSY);
	}
}

static bool is_read(const char *syscall)
{
	return !strcmp(syscall, "read") || !strcmp(syscall, "readv") || !strcmp(syscall, "splice");
}

static bool is_pipe_write(const char *syscall)
{
	return !strcmp(syscall, "write") || !strcmp(syscall, "writev");
}

/* An edge between two processes over a pipe: the writer's and the
 * reader's tids (a read another's write ended, or a write another's read
 * made room for); false for any other edge. */
static bool pipe_link(const struct wake_edge *e, int *writer, int *reader)
{
	if (e->kind != WK_THREAD || e->waker_pid == e->wakee_pid || e->wait != ST_IO)
		return false;
	if (is_read(e->syscall)) {
		*writer = e->waker_tid;
		*reader = e->wakee_tid;
		return true;
	}
	if (is_pipe_write(e->syscall)) {
		*writer = e->wakee_tid;
		*reader = e->waker_tid;
		return true;
	}
	return false;
}

/* Processes each reading what another wrote: a pipeline. A link is said
 * once, at its first edge, with the waits of both ends summed. */
static void pipeline(const struct run *r, const char *prefix, struct sentences *out)
{
	char line[512] = "";
	size_t used = 0, links = 0;

	for (size_t i = 0; i < r->sched.nwakes; i++) {
		int w, rd, w2, rd2;
		uint64_t n = 0;
		bool first = true;

		if (!pipe_link(&r->sched.wakes[i], &w, &rd))
			continue;
		for (size_t j = 0; j < r->sched.nwakes; j++)
			if (pipe_link(&r->sched.wakes[j], &w2, &rd2) && w2 == w && rd2 == rd) {
				first &= j >= i;
				n += r->sched.wakes[j].count;
			}
		if (!first || n < SHAPE_PIPE_WAKES)
			continue;
		used += (size_t)snprintf(line + used, used < sizeof(line) ? sizeof(line) - used : 0,
					 "%s%s → %s (%llu waits ended between them)",
					 links ? ", " : "", thread_label_or(r, w, "?"),
					 thread_label_or(r, rd, "?"), (unsigned long long)n);
		links++;
	}
	if (links)
		sentences_add(out,
			      "%sShape: a pipeline of processes, each reading what another wrote "
			      "(a read ended by the writer, or a write by the reader making room): "
			      "%s.",
			      prefix, line);
}

/* Many processes: a tree, such as a build's; its longest-lived child. */
static void tree(const struct run *r, const char *prefix, struct sentences *out)
{
	const struct sched_thread *longest = NULL;
	size_t procs = 0;
	char d[32];

	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];

		if (t->tid != t->pid)
			continue;
		procs++;
		if (t->tid != r->sched.pid && (!longest || t->lifetime_ns > longest->lifetime_ns))
			longest = t;
	}
	if (procs < SHAPE_TREE_PROCS || !longest)
		return;
	sentences_add(out,
		      "%sShape: a tree of %zu processes (≥ %d), as a build or a script "
		      "starts them; the longest-lived child was %s, %s.",
		      prefix, procs, SHAPE_TREE_PROCS, thread_label_of(longest),
		      fig_dur(d, sizeof(d), (double)longest->lifetime_ns));
}

/* The network softirq's wakeups of @pid's threads (or, @pid 0, of the
 * processes @tcp names as connecting to @port other than @server). */
static uint64_t net_wakes(const struct run *r, int pid, int server, unsigned port)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];
		bool client = false;

		if (e->kind != WK_SOFTIRQ || strcmp(e->waker, "net_rx"))
			continue;
		for (size_t k = 0; !pid && k < r->sched.ntcp; k++)
			client |= r->sched.tcp[k].pid == e->wakee_pid &&
				  r->sched.tcp[k].port == port && r->sched.tcp[k].connects &&
				  e->wakee_pid != server;
		if (pid ? e->wakee_pid == pid : client)
			n += e->count;
	}
	return n;
}

/*
 * A client and a server over TCP, both traced (sched.json "tcp"): the
 * traced process that listened on the port traced processes connected to
 * most. Named as the kernel saw them: listen() and connect() in their own
 * contexts. False when no traced process connected to one that listened.
 */
static bool tcp_pair(const struct run *r, const char *prefix, struct sentences *out)
{
	const struct tcp_end *server = NULL;
	uint64_t best = 0, tries = 0, nclients = 0, nsame = 0;
	char clients[96], comm[40] = "";
	int one = 0;

	for (size_t i = 0; i < r->sched.ntcp; i++) {
		const struct tcp_end *l = &r->sched.tcp[i];
		uint64_t est = 0;

		if (!l->listens)
			continue;
		for (size_t k = 0; k < r->sched.ntcp; k++)
			if (r->sched.tcp[k].port == l->port && r->sched.tcp[k].pid != l->pid)
				est += r->sched.tcp[k].established;
		if (est > best) {
			best = est;
			server = l;
		}
	}
	if (!server)
		return false;
	for (size_t k = 0; k < r->sched.ntcp; k++) {
		const struct tcp_end *c = &r->sched.tcp[k];
		const char *name;

		if (c->port != server->port || c->pid == server->pid || !c->connects)
			continue;
		tries += c->connects;
		nclients++;
		one = c->pid;
		name = thread_label_or(r, c->pid, "");
		/* the clients' command: the first client's, kept while all share it */
		if (!comm[0])
			snprintf(comm, sizeof(comm), "%.*s", (int)strcspn(name, " "), name);
		nsame += !strncmp(name, comm, strlen(comm)) &&
			 (name[strlen(comm)] == '\0' || name[strlen(comm)] == ' ');
	}
	if (nclients == 1)
		snprintf(clients, sizeof(clients), "%s", thread_label_or(r, one, "a process"));
	else if (nsame == nclients && comm[0])
		snprintf(clients, sizeof(clients), "%llu %s processes",
			 (unsigned long long)nclients, comm);
	else
		snprintf(clients, sizeof(clients), "%llu processes", (unsigned long long)nclients);
	sentences_add(out,
		      "%sShape: a client and a server over TCP, both ends traced here (loopback): "
		      "%s listened on port %u, to which %s made %llu connection attempt%s, %llu "
		      "established; the network ended %llu waits of the server's threads and %llu "
		      "of the client%s'.",
		      prefix, thread_label_or(r, server->pid, "a process"), server->port, clients,
		      (unsigned long long)tries, tries == 1 ? "" : "s", (unsigned long long)best,
		      (unsigned long long)net_wakes(r, server->pid, server->pid, server->port),
		      (unsigned long long)net_wakes(r, 0, server->pid, server->port),
		      nclients == 1 ? "" : "s");
	return true;
}

/* A client and a server: the network ended waits of threads of two or
 * more traced processes, so both ends ran here (over loopback). Named by
 * their TCP ends when the collector saw them; else the two processes the
 * network woke most. */
static void loopback(const struct run *r, const char *prefix, struct sentences *out)
{
	int pids[2] = {0, 0};
	uint64_t n[2] = {0, 0}, all = 0;

	for (size_t i = 0; i < r->sched.nwakes; i++) {
		const struct wake_edge *e = &r->sched.wakes[i];
		int k;

		if (e->kind != WK_SOFTIRQ || strcmp(e->waker, "net_rx"))
			continue;
		all += e->count;
		/* the two processes the network woke most */
		k = e->wakee_pid == pids[0] ? 0 : e->wakee_pid == pids[1] ? 1 : -1;
		if (k < 0) {
			uint64_t c = 0;

			for (size_t j = 0; j < r->sched.nwakes; j++)
				c += r->sched.wakes[j].kind == WK_SOFTIRQ &&
					     !strcmp(r->sched.wakes[j].waker, "net_rx") &&
					     r->sched.wakes[j].wakee_pid == e->wakee_pid
					 ? r->sched.wakes[j].count
					 : 0;
			k = !pids[0] || c > n[0] ? 0 : !pids[1] || c > n[1] ? 1 : -1;
			if (k < 0)
				continue;
			if (k == 0) {
				pids[1] = pids[0];
				n[1] = n[0];
			}
			pids[k] = e->wakee_pid;
			n[k] = c;
		}
	}
	if (!pids[1] || all < SHAPE_PIPE_WAKES || tcp_pair(r, prefix, out))
		return;
	sentences_add(out,
		      "%sShape: a client and a server over the network, both ends traced here "
		      "(loopback): the network ended %llu waits of %s's threads and %llu of "
		      "%s's (%llu network wakeups in all).",
		      prefix, (unsigned long long)n[0], thread_label_or(r, pids[0], "a process"),
		      (unsigned long long)n[1], thread_label_or(r, pids[1], "a process"),
		      (unsigned long long)all);
}

static bool is_write(const char *syscall)
{
	static const char *const calls[] = {
	    "fsync", "fdatasync", "sync_file_range", "write", "pwrite64", "writev", "pwritev",
	    "msync", "sync",	  "syncfs",	     NULL};

	for (size_t i = 0; calls[i]; i++)
		if (!strcmp(syscall, calls[i]))
			return true;
	return false;
}

/* A writer waiting on the disk: its waits in write and sync calls. */
static void disk(const struct run *r, const char *prefix, struct sentences *out)
{
	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		/* judged against its time off the run queue: a busy host's CPU
		 * waits do not hide a disk wait */
		uint64_t waits = 0, ns = 0, top_ns = 0,
			 own = t->lifetime_ns - t->state_ns[ST_RUNNABLE];
		const char *call = "";
		char d[32];

		for (size_t j = 0; j < r->sched.nwakes; j++) {
			const struct wake_edge *e = &r->sched.wakes[j];

			if (e->wakee_tid != t->tid || e->wait != ST_DISK || !is_write(e->syscall))
				continue;
			waits += e->count;
			ns += e->blocked_ns;
			if (e->blocked_ns > top_ns) {
				top_ns = e->blocked_ns;
				call = e->syscall;
			}
		}
		if (!own || t->state_ns[ST_RUNNABLE] > t->lifetime_ns ||
		    (double)ns < SHAPE_DISK_SHARE * (double)own)
			continue;
		sentences_add(out,
			      "%sShape: a writer waiting on the disk: %s waited %s for it in write "
			      "and sync calls (%s the longest), %.0f%% of its life outside run "
			      "queues (≥ %.0f%%), %llu waits.",
			      prefix, thread_label_of(t), fig_dur(d, sizeof(d), (double)ns), call,
			      100.0 * (double)ns / (double)own, 100 * SHAPE_DISK_SHARE,
			      (unsigned long long)waits);
	}
}

/* What a state on the critical path says bounded the run, and how. */
static const struct {
	const char *what, *how;
} bound_words[ST_COUNT] = {
    [ST_RUNNABLE] = {"the CPUs", "waiting for a CPU"},
    [ST_LOCK] = {"a lock or a condition", "waiting on futex words"},
    [ST_DISK] = {"the disk", "waiting for it"},
};

/* Who held the CPUs the run waited for, the end of the bound's sentence:
 * other processes (the host's load, named in the trust line) or the run's
 * own threads, from the one measurement host_load_of makes. */
static void cpus_held_by(const struct run *r, char *buf, size_t len)
{
	struct host_load h = host_load_of(r);
	double behind = h.runnable_ns > 0 ? h.waited_ns / h.runnable_ns : 0;

	buf[0] = '\0';
	if (h.verdict == HOST_UNMEASURED || h.runnable_ns <= 0)
		return;
	if (behind >= 0.5)
		snprintf(buf, len,
			 ": other processes held them for %.0f%% of the run's waits for a CPU "
			 "(the trust line names them)",
			 100 * behind);
	else
		snprintf(buf, len,
			 ": the run's own threads held them; other processes for %.0f%% of its "
			 "waits for a CPU%s",
			 100 * behind,
			 h.verdict == HOST_BUSY ? " (the trust line names them)" : "");
}

/* What bounded the run: the largest part of the critical path, by state
 * over all threads, and the thread that had most of it. */
static void bounded(const struct run *r, const char *prefix, struct sentences *out)
{
	const struct crit_path *p = r->sched.cpath;
	uint64_t st[ST_COUNT] = {0};
	const struct crit_share *top[ST_COUNT] = {0};
	int best = 0;
	char d[32];

	if (!p || !p->covered_ns)
		return;
	for (size_t i = 0; i < p->nby; i++) {
		st[p->by[i].state] += p->by[i].ns;
		if (!top[p->by[i].state] || p->by[i].ns > top[p->by[i].state]->ns)
			top[p->by[i].state] = &p->by[i];
	}
	for (int k = 1; k < ST_COUNT; k++)
		if (st[k] > st[best])
			best = k;
	if (!top[best] || (double)st[best] < SHAPE_BOUND_SHARE * (double)p->covered_ns)
		return;
	double share = (double)st[best] / (double)p->covered_ns;
	double one = (double)top[best]->ns / (double)p->covered_ns;
	const char *who = thread_label_or(r, top[best]->tid, top[best]->comm);
	char what[48], held[160] = "";

	fig_dur(d, sizeof(d), (double)p->covered_ns);
	if (best == ST_RUNNING) {
		struct lone_worker w = lone_worker_of(r);
		const struct sched_thread *t = sched_find_tid(&r->sched, top[best]->tid);
		uint64_t its = t ? t->state_ns[ST_RUNNING] : 0;
		double beside = w.wall_ns && w.all_run_ns > its
				    ? (double)(w.all_run_ns - its) / (double)w.wall_ns
				    : 0;

		/* One thread bounds it only while the others ran beside it less
		 * than SHAPE_BESIDE_CPUS on average: xz's two workers each ran
		 * 96% of their lives, and the path was one of them. */
		if (one >= 0.5 * share && beside < SHAPE_BESIDE_CPUS) {
			sentences_add(out,
				      "%sWhat bounded the run: one thread on the critical path: "
				      "running made %.0f%% of the path's %s, %.0f%% of it %s's own "
				      "running.",
				      prefix, 100 * share, d, 100 * one, who);
			return;
		}
		/* the CPUs busy: the verdict's figure (run_metrics.c), said once */
		sentences_add(out,
			      "%sWhat bounded the run: computing: running made %.0f%% of the "
			      "critical path's %s (%.0f%% of it %s's own), while the run kept "
			      "%.2f CPUs busy on average of the %d it could use.",
			      prefix, 100 * share, d, 100 * one, who, r->m[M_PARALLELISM], w.cpus);
		return;
	}
	snprintf(what, sizeof(what), "waiting (%s)", state_names[best]);
	if (best == ST_RUNNABLE)
		cpus_held_by(r, held, sizeof(held));
	sentences_add(out,
		      "%sWhat bounded the run: %s: %.0f%% of the critical path's %s was %s (%s "
		      "the most, %.0f%%)%s.",
		      prefix, bound_words[best].what ? bound_words[best].what : what, 100 * share,
		      d, bound_words[best].how ? bound_words[best].how : "in that state", who,
		      100 * one, held);
}

void explain_shape(const struct run *r, const char *prefix, struct sentences *out)
{
	explain_jvm(r, prefix, out);
	pools(r, prefix, out);
	loops(r, prefix, out);
	pipeline(r, prefix, out);
	tree(r, prefix, out);
	loopback(r, prefix, out);
	disk(r, prefix, out);
	bounded(r, prefix, out);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Reads the BPF maps into a struct sched_snapshot, in two steps around the
 * detach: the live accounts while the programs run (a thread alive at the
 * end keeps its account in task storage, readable only while it lives),
 * then the ended threads' accounts, which the programs copied into the
 * threads hash at each final switch-out.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "sched_snapshot.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* a pidfd for one thread (Linux 6.9) */
#endif

static int cmp_thread(const void *a, const void *b)
{
	uint32_t x = ((const struct snap_thread *)a)->tid, y = ((const struct snap_thread *)b)->tid;

	return x < y ? -1 : x > y;
}

static int cmp_syscall(const void *a, const void *b)
{
	const struct st_syscall_key *x = &((const struct snap_syscall *)a)->key;
	const struct st_syscall_key *y = &((const struct snap_syscall *)b)->key;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int cmp_wake(const void *a, const void *b)
{
	return memcmp(&((const struct snap_wake *)a)->key, &((const struct snap_wake *)b)->key,
		      sizeof(struct st_wake_key));
}

/* Grows *v (of *n elements of size sz) by one; the new element is zeroed. */
static void *grow(void *v, size_t *n, size_t *cap, size_t sz)
{
	void *p = *(void **)v;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;

		p = realloc(p, c * sz);
		if (!p) {
			fprintf(stderr, "schedtrace: snapshot: out of memory\n");
			return NULL;
		}
		*(void **)v = p;
		*cap = c;
	}
	memset((char *)p + *n * sz, 0, sz);
	return (char *)p + (*n)++ * sz;
}

/* The largest key of a keyed map read_keyed reads. */
#define KEY_MAX 64

/*
 * Every entry of the hash map @fd into the array *@v (*@n of them): each
 * element @sz bytes, the key (@key_sz bytes) at its start and the value at
 * @value_at. An entry deleted between its key and its value is dropped.
 */
static int read_keyed(int fd, void *v, size_t *n, size_t sz, size_t key_sz, size_t value_at)
{
	unsigned char k[KEY_MAX], nk[KEY_MAX];
	bool first = true;
	size_t cap = 0;

	while (!bpf_map_get_next_key(fd, first ? NULL : k, nk)) {
		unsigned char *e = grow(v, n, &cap, sz);

		if (!e)
			return -1;
		memcpy(k, nk, key_sz);
		first = false;
		memcpy(e, k, key_sz);
		if (bpf_map_lookup_elem(fd, k, e + value_at))
			(*n)--;
	}
	return 0;
}

/* read_keyed for an array of struct T {KEY key; ... FIELD;} */
#define READ_KEYED(fd, arr, n, field)                                                              \
	read_keyed(fd, &(arr), &(n), sizeof(*(arr)), sizeof((arr)->key),                           \
		   offsetof(__typeof__(*(arr)), field))
_Static_assert(sizeof(struct st_futex_key) <= KEY_MAX, "futex key fits read_keyed");
_Static_assert(sizeof(struct st_holder_key) <= KEY_MAX, "holder key fits read_keyed");
_Static_assert(sizeof(struct st_tcp_key) <= KEY_MAX, "tcp key fits read_keyed");

/* The live account of thread tid through a pidfd, 0 if read. */
static int read_live(int live_fd, uint32_t tid, struct st_thread *t)
{
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)tid, PIDFD_THREAD), err;

	if (pidfd < 0)
		return -1;
	err = bpf_map_lookup_elem(live_fd, &pidfd, t);
	close(pidfd);
	return err;
}

int snapshot_live(struct sched_snapshot *s, const struct sched_maps *maps)
{
	uint32_t key, next, *prev = NULL;
	size_t cap = 0;

	while (!bpf_map_get_next_key(maps->traced, prev, &next)) {
		char path[64];
		struct dirent *d;
		DIR *dir;

		key = next;
		prev = &key;
		snprintf(path, sizeof(path), "/proc/%u/task", key);
		dir = opendir(path);
		if (!dir)
			continue; /* gone: its threads' accounts are in the threads hash */
		while ((d = readdir(dir))) {
			struct snap_thread *st;
			char *end;
			unsigned long tid = strtoul(d->d_name, &end, 10);

			if (*end || !tid)
				continue;
			st = grow(&s->live, &s->nlive, &cap, sizeof(*st));
			if (!st) {
				closedir(dir);
				return -1;
			}
			st->tid = (uint32_t)tid;
			/* A live account that cannot be read is marked empty (first_ns 0). */
			if (maps->live >= 0 && read_live(maps->live, st->tid, &st->t))
				memset(&st->t, 0, sizeof(st->t));
		}
		closedir(dir);
	}
	if (s->nlive)
		qsort(s->live, s->nlive, sizeof(*s->live), cmp_thread);
	return 0;
}

static const struct snap_thread *find_in(const struct snap_thread *v, size_t n, uint32_t tid)
{
	struct snap_thread key = {.tid = tid};

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_thread) : NULL;
}

const struct snap_thread *snapshot_thread(const struct sched_snapshot *s, uint32_t tid)
{
	return find_in(s->threads, s->nthreads, tid);
}

void snapshot_close_thread(struct st_thread *t, bool alive, uint64_t end_ns, uint64_t *lost)
{
	uint64_t at;

	if (t->ended)
		return;
	at = end_ns;
	if (!alive && t->exit_ns) {
		/* Exited, and its final switch-out was never seen: it ends at its exit. */
		at = t->exit_ns;
		lost[LOST_EXIT_SWITCH]++;
	}
	/*
	 * A process that outlived the command changed state after the window's
	 * end: what it counted so far stays (its states still sum to its life),
	 * closed at that change, not before it.
	 */
	if (alive && at < t->state_ns)
		at = t->state_ns;
	if (t->state < NR_STATES && at > t->state_ns) {
		t->state_total_ns[t->state] += at - t->state_ns;
		if (t->state == ST_RUNNABLE && t->asleep)
			t->runnable_asleep_ns += at - t->state_ns;
	}
	t->state_ns = at;
	t->last_ns = at < t->first_ns ? t->first_ns : at;
	t->ended = !alive;
}

int snapshot_add_slots(struct sched_snapshot *s, size_t nsorted, uint32_t tid,
		       const struct st_thread *t)
{
	size_t cap = s->nsyscalls; /* grow() reallocates on the first add */

	for (int i = 0; i < SYS_CACHE; i++) {
		const struct st_sys_slot *c = &t->sys[i];
		struct snap_syscall key = {.key = {.tid = tid, .nr = (uint32_t)c->nr}}, *e;

		if (!c->count || c->nr < 0)
			continue;
		e = nsorted ? bsearch(&key, s->syscalls, nsorted, sizeof(key), cmp_syscall) : NULL;
		if (!e) {
			e = grow(&s->syscalls, &s->nsyscalls, &cap, sizeof(*e));
			if (!e)
				return -1;
			e->key = key.key;
		}
		e->s.count += c->count;
		e->s.errors += c->errors;
		e->s.total_ns += c->total_ns;
		if (c->max_ns > e->s.max_ns)
			e->s.max_ns = c->max_ns;
		for (int k = 0; k < SYS_SLOTS; k++)
			e->s.slots[k] += c->slots[k];
	}
	return 0;
}

static int read_lost(int lost_fd, uint64_t *lost)
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
			if (errno == ENOENT)
				continue; /* a kind the programs never count (counted here) */
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

/* The ended accounts from the hash, and the live ones not ended since. */
static int read_threads(struct sched_snapshot *s, int threads_fd, uint64_t end_ns)
{
	uint32_t key, next, *prev = NULL;
	size_t cap = 0, nhash;

	while (!bpf_map_get_next_key(threads_fd, prev, &next)) {
		struct snap_thread *st = grow(&s->threads, &s->nthreads, &cap, sizeof(*st));
		const struct snap_thread *lv;

		if (!st)
			return -1;
		key = next;
		prev = &key;
		st->tid = key;
		if (bpf_map_lookup_elem(threads_fd, &key, &st->t)) {
			s->nthreads--;
			continue;
		}
		lv = find_in(s->live, s->nlive, key);
		/* Published at its exit, still in its exit when tracing stopped. */
		if (!st->t.ended && lv && lv->t.first_ns == st->t.first_ns)
			st->t = lv->t;
		snapshot_close_thread(&st->t, lv != NULL, end_ns, s->lost);
	}
	nhash = s->nthreads;
	if (nhash)
		qsort(s->threads, nhash, sizeof(*s->threads), cmp_thread);
	/* Alive at the end, never published: only in task storage. */
	for (size_t i = 0; i < s->nlive; i++) {
		const struct snap_thread *lv = &s->live[i];
		struct snap_thread *st;

		if (!lv->t.first_ns || find_in(s->threads, nhash, lv->tid))
			continue;
		st = grow(&s->threads, &s->nthreads, &cap, sizeof(*st));
		if (!st)
			return -1;
		*st = *lv;
		snapshot_close_thread(&st->t, true, end_ns, s->lost);
	}
	if (s->nthreads > nhash)
		qsort(s->threads, s->nthreads, sizeof(*s->threads), cmp_thread);
	return 0;
}

static int read_syscalls(struct sched_snapshot *s, int syscalls_fd)
{
	struct st_syscall_key k, nk, *pk = NULL;
	size_t cap = 0, nsorted;

	while (!bpf_map_get_next_key(syscalls_fd, pk, &nk)) {
		struct snap_syscall *e = grow(&s->syscalls, &s->nsyscalls, &cap, sizeof(*e));

		if (!e)
			return -1;
		k = nk;
		pk = &k;
		e->key = k;
		if (bpf_map_lookup_elem(syscalls_fd, &k, &e->s))
			s->nsyscalls--;
	}
	if (s->nsyscalls)
		qsort(s->syscalls, s->nsyscalls, sizeof(*s->syscalls), cmp_syscall);
	/* Each thread's own slots: what was never evicted into the map. */
	nsorted = s->nsyscalls;
	for (size_t i = 0; i < s->nthreads; i++)
		if (snapshot_add_slots(s, nsorted, s->threads[i].tid, &s->threads[i].t))
			return -1;
	if (s->nsyscalls > nsorted)
		qsort(s->syscalls, s->nsyscalls, sizeof(*s->syscalls), cmp_syscall);
	return 0;
}

int snapshot_add_wake_slot(struct sched_snapshot *s, size_t nsorted, const struct st_thread *t)
{
	const struct st_wake_slot *ws = &t->wake_slot;
	size_t cap = s->nwakes; /* grow() reallocates on the first add */
	struct snap_wake key = {.key = ws->key}, *e;

	if (!ws->w.count)
		return 0;
	e = nsorted ? bsearch(&key, s->wakes, nsorted, sizeof(key), cmp_wake) : NULL;
	if (!e) {
		e = grow(&s->wakes, &s->nwakes, &cap, sizeof(*e));
		if (!e)
			return -1;
		e->key = ws->key;
		e->w.waker_pid = ws->w.waker_pid;
		memcpy(e->w.waker_comm, ws->w.waker_comm, sizeof(e->w.waker_comm));
	}
	e->w.count += ws->w.count;
	e->w.woken_before_switch_out += ws->w.woken_before_switch_out;
	e->w.blocked_ns += ws->w.blocked_ns;
	if (ws->w.max_ns > e->w.max_ns)
		e->w.max_ns = ws->w.max_ns;
	for (int k = 0; k < WAKE_SLOTS; k++)
		e->w.slots[k] += ws->w.slots[k];
	return 0;
}

static int read_wakes(struct sched_snapshot *s, int wakes_fd)
{
	struct st_wake_key k, nk, *pk = NULL;
	size_t cap = 0, nsorted;

	while (!bpf_map_get_next_key(wakes_fd, pk, &nk)) {
		struct snap_wake *e = grow(&s->wakes, &s->nwakes, &cap, sizeof(*e));

		if (!e)
			return -1;
		k = nk;
		pk = &k;
		e->key = k;
		if (bpf_map_lookup_elem(wakes_fd, &k, &e->w))
			s->nwakes--;
	}
	if (s->nwakes)
		qsort(s->wakes, s->nwakes, sizeof(*s->wakes), cmp_wake);
	/* Each thread's last edge: what no later edge moved into the map. */
	nsorted = s->nwakes;
	for (size_t i = 0; i < s->nthreads; i++)
		if (snapshot_add_wake_slot(s, nsorted, &s->threads[i].t))
			return -1;
	if (s->nwakes > nsorted)
		qsort(s->wakes, s->nwakes, sizeof(*s->wakes), cmp_wake);
	return 0;
}

int snapshot_drain_ended(const struct sched_maps *maps, uint64_t now_ns, bool all)
{
	static uint32_t keys[ENDED_SLOTS];
	uint32_t key, *prev = NULL;
	size_t n = 0;
	int moved = 0;

	if (maps->ended < 0)
		return 0;
	/* The keys first: deleting while walking would restart the walk. */
	while (n < ENDED_SLOTS && !bpf_map_get_next_key(maps->ended, prev, &keys[n])) {
		key = keys[n++];
		prev = &key;
	}
	for (size_t i = 0; i < n; i++) {
		struct st_thread t;

		if (bpf_map_lookup_elem(maps->ended, &keys[i], &t))
			continue;
		if (!all && (!t.ended || !t.last_ns || t.last_ns + 1000000 > now_ns))
			continue;
		if (bpf_map_update_elem(maps->threads, &keys[i], &t, BPF_NOEXIST)) {
			if (errno != EEXIST) {
				fprintf(stderr,
					"schedtrace: bpf_map_update_elem(threads, %u): %s\n",
					keys[i], strerror(errno));
				return -1;
			}
			/* The kernel half never publishes a tid twice (tid_reused): say it. */
			fprintf(stderr,
				"schedtrace: thread %u has an account in both ended and threads; "
				"the one in threads is kept\n",
				keys[i]);
		}
		if (bpf_map_delete_elem(maps->ended, &keys[i]) && errno != ENOENT) {
			fprintf(stderr, "schedtrace: bpf_map_delete_elem(ended, %u): %s\n", keys[i],
				strerror(errno));
			return -1;
		}
		moved++;
	}
	return moved;
}

int snapshot_maps(struct sched_snapshot *s, const struct sched_maps *maps, uint64_t end_ns)
{
	if (read_lost(maps->lost, s->lost) || read_threads(s, maps->threads, end_ns) ||
	    read_syscalls(s, maps->syscalls) ||
	    READ_KEYED(maps->futexes, s->futexes, s->nfutexes, f) ||
	    READ_KEYED(maps->holders, s->holders, s->nholders, h) ||
	    READ_KEYED(maps->tcp_ends, s->tcp, s->ntcp, n) || read_wakes(s, maps->wakes))
		return -1;
	return 0;
}

void snapshot_free(struct sched_snapshot *s)
{
	free(s->threads);
	free(s->syscalls);
	free(s->futexes);
	free(s->holders);
	free(s->tcp);
	free(s->wakes);
	free(s->live);
	memset(s, 0, sizeof(*s));
}

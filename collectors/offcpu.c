// SPDX-License-Identifier: GPL-2.0
/*
 * Folded stacks, the input of flamegraph.pl and speedscope: frames from the
 * outermost to the innermost, separated by ';', then a space and the weight.
 * Threads of one comm with the same stacks fold into one line.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "schedtrace.h"
#include "offcpu.h"

struct folded {
	char *stack;
	uint64_t ns;
};

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_raw(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

/* One frame: ';' separates frames and ' ' ends the stack, so neither may be in a name. */
static void sb_frame(struct sbuf *b, const char *name)
{
	size_t start = b->len;

	sb_raw(b, ";", 1);
	sb_raw(b, name, strlen(name));
	if (b->oom)
		return;
	for (size_t i = start + 1; i < b->len; i++)
		if (b->s[i] == ';' || b->s[i] == ' ')
			b->s[i] = '_';
}

/* The tracing machinery's own frames, innermost in every kernel stack we take. */
static bool tracing_frame(const char *name)
{
	return !strncmp(name, "bpf_", 4) || !strncmp(name, "__bpf_", 6) ||
	       !strncmp(name, "__traceiter_", 12);
}

/* Appends ";frame" for each frame of stack id, outermost first. */
static void add_stack(struct sbuf *b, int stacks_fd, __s32 id, bool user, pid_t pid,
		      struct symbolizer *sym)
{
	__u64 ips[MAX_STACK_DEPTH] = {};
	__u32 key = (__u32)id;
	char name[256];
	int depth, innermost = 0, unknown_run = 0;

	if (id == ST_KERNEL_STACK_NOT_ASKED) /* --stacks without --kernel-stacks */
		return;
	if (id == ST_NO_STACK_YET) {
		/* Off CPU since it was created: never switched out, so no stack. */
		if (user)
			sb_frame(b, "[not yet run]");
		return;
	}
	if (id < 0 || bpf_map_lookup_elem(stacks_fd, &key, ips)) {
		sb_frame(b, user ? "[user stack lost]" : "[kernel stack lost]");
		return;
	}
	for (depth = 0; depth < MAX_STACK_DEPTH && ips[depth]; depth++)
		;
	if (!user) {
		while (innermost < depth) {
			symbolize_kernel(sym, innermost ? ips[innermost] - 1 : ips[innermost], name,
					 sizeof(name));
			if (!tracing_frame(name))
				break;
			innermost++;
		}
	}
	for (int i = depth - 1; i >= innermost; i--) {
		/* Every frame but the innermost is a return address: look inside the call. */
		__u64 addr = i ? ips[i] - 1 : ips[i];

		if (user)
			symbolize_user(sym, pid, addr, name, sizeof(name));
		else
			symbolize_kernel(sym, addr, name, sizeof(name));
		/* A frame-pointer walk through code built without them: one [unknown] says it. */
		if (!strcmp(name, "[unknown]") && unknown_run++)
			continue;
		if (strcmp(name, "[unknown]"))
			unknown_run = 0;
		sb_frame(b, name);
	}
}

static int cmp_folded(const void *a, const void *b)
{
	return strcmp(((const struct folded *)a)->stack, ((const struct folded *)b)->stack);
}

static void thread_comm(const struct sched_snapshot *snap, __u32 tid, char *comm)
{
	const struct snap_thread *t = snapshot_thread(snap, tid);

	if (!t)
		snprintf(comm, TASK_COMM_LEN, "%u", tid);
	else
		snprintf(comm, TASK_COMM_LEN, "%.*s", TASK_COMM_LEN - 1, t->t.comm);
}

/* One line of (thread, stacks, state) -> ns, appended to *lines. 0, or -1 out of memory. */
static int add_line(struct folded **lines, size_t *n, size_t *cap, const struct st_offcpu_key *k,
		    __u64 ns, int stacks_fd, const struct sched_snapshot *snap,
		    struct symbolizer *sym)
{
	char comm[TASK_COMM_LEN], state[32];
	struct sbuf b = {};

	thread_comm(snap, k->tid, comm);
	sb_raw(&b, comm, strlen(comm));
	for (size_t i = 0; i < b.len; i++)
		if (b.s[i] == ';' || b.s[i] == ' ')
			b.s[i] = '_';
	add_stack(&b, stacks_fd, k->user_stack, true, (pid_t)k->pid, sym);
	add_stack(&b, stacks_fd, k->kern_stack, false, 0, sym);
	snprintf(state, sizeof(state), "[%s]", k->state < NR_STATES ? state_names[k->state] : "?");
	sb_frame(&b, state);
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		struct folded *p = realloc(*lines, c * sizeof(*p));

		if (!p) {
			b.oom = true;
		} else {
			*lines = p;
			*cap = c;
		}
	}
	if (b.oom) {
		free(b.s);
		fprintf(stderr, "schedtrace: offcpu.folded: out of memory\n");
		return -1;
	}
	(*lines)[*n].stack = b.s;
	(*lines)[*n].ns = ns;
	(*n)++;
	return 0;
}

int offcpu_write(FILE *f, int offcpu_fd, int stacks_fd, const struct sched_snapshot *snap,
		 struct symbolizer *sym)
{
	struct st_offcpu_key k, nk, *pk = NULL;
	struct folded *lines = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	while (!err && !bpf_map_get_next_key(offcpu_fd, pk, &nk)) {
		__u64 ns;

		k = nk;
		pk = &k;
		if (bpf_map_lookup_elem(offcpu_fd, &k, &ns) || !ns)
			continue;
		err = add_line(&lines, &n, &cap, &k, ns, stacks_fd, snap, sym);
	}
	/* Each thread's own slots: what no interval under other stacks moved into the map. */
	for (size_t i = 0; !err && i < snap->nthreads; i++) {
		const struct snap_thread *st = &snap->threads[i];

		for (__u32 state = 0; !err && state < NR_STATES; state++) {
			const struct st_offcpu_slot *sl = &st->t.offcpu_slot[state];
			struct st_offcpu_key key = {
			    .pid = st->t.pid,
			    .tid = st->tid,
			    .user_stack = sl->user_stack,
			    .kern_stack = sl->kern_stack,
			    .state = state,
			};

			if (sl->ns)
				err =
				    add_line(&lines, &n, &cap, &key, sl->ns, stacks_fd, snap, sym);
		}
	}
	qsort(lines, n, sizeof(*lines), cmp_folded);
	for (size_t i = 0; i < n;) {
		uint64_t ns = 0;
		size_t j;

		for (j = i; j < n && !strcmp(lines[j].stack, lines[i].stack); j++)
			ns += lines[j].ns;
		/* Microseconds, rounded; a line under half a microsecond carries no weight. */
		if ((ns + 500) / 1000)
			fprintf(f, "%s %llu\n", lines[i].stack,
				(unsigned long long)((ns + 500) / 1000));
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i].stack);
	free(lines);
	if (ferror(f)) {
		fprintf(stderr, "schedtrace: writing offcpu.folded: %s\n", strerror(errno));
		err = -1;
	}
	return err;
}

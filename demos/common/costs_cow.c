// SPDX-License-Identifier: GPL-2.0
/* The cost of memory duplication. A process (cow-holder) fills a buffer of
 * BYTES, every page touched (first-touch page faults: a zeroed page each),
 * then forks twice: one child reads all of the buffer (cow-read), the other
 * writes all of it (cow-write). fork() copies no data, only the page tables,
 * and marks the pages read-only in both processes: a read costs nothing more,
 * a write takes a page fault that copies the 4 KiB page (copy on write).
 * Transparent huge pages are turned off on the buffer (MADV_NOHUGEPAGE), so
 * a fault is one 4 KiB page. Each child reports its own page faults
 * (getrusage), the time its pass took, its RSS and how much of it is private
 * (/proc/self/smaps_rollup): RSS counts the shared pages too. */
#include "costs.h"
#include "clock.h"
#include "result.h"
#include "threads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FILL, READ, WRITE, NPASS };

struct pass {
	uint64_t touch_ns, fork_ns, exit_ns, done_ns;
	long minflt, majflt;
	long rss_kib, pss_kib, private_kib, shared_kib;
	uint64_t sum;
};

struct cow {
	uint64_t bytes;
	long page;
	uint64_t *buf;
	struct pass pass[NPASS];
};

static const struct {
	const char *name, *label, *comm;
} passes[NPASS] = {
    {CE_FILL, "first touch (the holder fills it)", "cow-holder"},
    {CE_READ, "fork, the child reads it all", "cow-read"},
    {CE_WRITE, "fork, the child writes it all", "cow-write"},
};

/* Fields of /proc/self/smaps_rollup, in kB (-1 when unreadable). */
static void smaps_rollup(struct pass *ps)
{
	static const char *const names[] = {"Rss",	     "Pss",	     "Private_Clean",
					    "Private_Dirty", "Shared_Clean", "Shared_Dirty"};
	long v[6] = {-1, -1, -1, -1, -1, -1};
	char line[256];
	FILE *f = fopen("/proc/self/smaps_rollup", "re");

	if (!f) {
		fprintf(stderr, "fopen(/proc/self/smaps_rollup): %s\n", strerror(errno));
		ps->rss_kib = ps->pss_kib = ps->private_kib = ps->shared_kib = -1;
		return;
	}
	while (fgets(line, sizeof(line), f))
		for (int i = 0; i < 6; i++) {
			size_t len = strlen(names[i]);

			if (!strncmp(line, names[i], len) && line[len] == ':')
				v[i] = strtol(line + len + 1, NULL, 10);
		}
	fclose(f);
	ps->rss_kib = v[0];
	ps->pss_kib = v[1];
	ps->private_kib = v[2] + v[3];
	ps->shared_kib = v[4] + v[5];
}

static void faults(long *minflt, long *majflt)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru)) {
		perror("getrusage(RUSAGE_THREAD)");
		*minflt = *majflt = 0;
		return;
	}
	*minflt = ru.ru_minflt;
	*majflt = ru.ru_majflt;
}

/* One pass over the buffer, timed, its page faults counted. */
static void touch(struct cow *c, int kind)
{
	struct pass *ps = &c->pass[kind];
	size_t n = c->bytes / sizeof(uint64_t);
	long min0, maj0;
	uint64_t t0, sum = 0;

	faults(&min0, &maj0);
	t0 = now_ns();
	if (kind == READ)
		for (size_t i = 0; i < n; i++)
			sum += c->buf[i];
	else
		for (size_t i = 0; i < n; i++)
			c->buf[i] = i + (uint64_t)kind;
	ps->touch_ns = now_ns() - t0;
	faults(&ps->minflt, &ps->majflt);
	ps->minflt -= min0;
	ps->majflt -= maj0;
	ps->sum = sum;
	smaps_rollup(ps);
}

static int child(struct cow *c, int kind)
{
	struct thread_record *rec = thread_begin(passes[kind].comm);

	touch(c, kind);
	rec->tasks = c->bytes / (uint64_t)c->page;
	thread_end(rec);
	c->pass[kind].done_ns = now_ns();
	return 0;
}

static int fork_pass(struct cow *c, int kind)
{
	struct pass *ps = &c->pass[kind];
	uint64_t t0 = now_ns();
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0)
		_exit(child(c, kind));
	ps->fork_ns = now_ns() - t0;
	if (costs_wait(pid, passes[kind].comm))
		return -1;
	/* From the child's last act to its parent seeing it gone: the exit,
	 * which frees what the child owned (its copies, its page tables). */
	ps->exit_ns = now_ns() > ps->done_ns && ps->done_ns ? now_ns() - ps->done_ns : 0;
	return 0;
}

static int holder(void *arg)
{
	struct cow *c = arg;
	struct thread_record *rec = thread_begin(passes[FILL].comm);
	int err;

	c->buf = mmap(NULL, c->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->buf == MAP_FAILED) {
		fprintf(stderr, "mmap(%llu bytes): %s\n", (unsigned long long)c->bytes,
			strerror(errno));
		return 1;
	}
	if (madvise(c->buf, c->bytes, MADV_NOHUGEPAGE))
		perror("madvise(MADV_NOHUGEPAGE)"); /* a kernel without THP: fine */
	touch(c, FILL);
	fflush(NULL);
	err = fork_pass(c, READ) || fork_pass(c, WRITE);
	rec->tasks = 2;
	thread_end(rec);
	munmap(c->buf, c->bytes);
	return err;
}

int costs_cow(const struct costs_params *p, json_t *costs)
{
	struct cow *c = costs_shared(sizeof(*c));
	double mib = (double)p->cow_bytes / MIB;
	int pid, err;

	if (!c)
		return -1;
	c->bytes = p->cow_bytes;
	c->page = sysconf(_SC_PAGESIZE);
	err = costs_fork(holder, c, &pid) || costs_wait(pid, passes[FILL].comm);
	for (int k = 0; !err && k < NPASS; k++) {
		struct pass *ps = &c->pass[k];
		json_t *e = costs_entry(costs, COSTS_COW, passes[k].name, passes[k].label);

		json_set_new(e, COST_THREADS, json_pack("[s]", passes[k].comm));
		json_set_int(e, COST_BYTES, (long long)c->bytes);
		json_set_int(e, COST_PAGES, (long long)(c->bytes / (uint64_t)c->page));
		json_set_int(e, COST_PAGE_BYTES, c->page);
		json_set_int(e, COST_TOUCH_NS, (long long)ps->touch_ns);
		if (k != FILL) {
			json_set_int(e, COST_FORK_NS, (long long)ps->fork_ns);
			json_set_int(e, COST_EXIT_NS, (long long)ps->exit_ns);
		}
		json_set_int(e, COST_MINFLT, ps->minflt);
		json_set_int(e, COST_MAJFLT, ps->majflt);
		json_set_int(e, COST_RSS_KIB, ps->rss_kib);
		json_set_int(e, COST_PSS_KIB, ps->pss_kib);
		json_set_int(e, COST_PRIVATE_KIB, ps->private_kib);
		json_set_int(e, COST_SHARED_KIB, ps->shared_kib);
		printf("  %-34s %7.1f ms, %7ld page faults (%.2f per page); RSS %.0f MiB of which "
		       "private %.0f MiB",
		       passes[k].label, ps->touch_ns / 1e6, ps->minflt + ps->majflt,
		       (double)(ps->minflt + ps->majflt) * c->page / (double)c->bytes,
		       ps->rss_kib / 1024.0, ps->private_kib / 1024.0);
		if (k != FILL)
			printf("; fork %.2f ms", ps->fork_ns / 1e6);
		printf("\n");
	}
	if (err)
		fprintf(stderr, "cow: the fork of a %.0f MiB process failed\n", mib);
	costs_unshare(c, sizeof(*c));
	return err ? -1 : 0;
}

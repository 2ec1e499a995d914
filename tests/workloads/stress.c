// SPDX-License-Identifier: GPL-2.0
/*
 * stress: workloads that make a scheduler tracer's accounting hard, for the
 * collector's truth suite (tests/integration/collector_truth.sh). Each mode
 * prints, on stdout, how many processes and threads it created, so the suite
 * can tell whether any was missed.
 *
 *   stress exits [N]     N threads (default 64) that spin a little and exit
 *                        while CPU hogs (one per CPU) keep preempting them
 *   burst [N]            N threads (default 48) started at once, beside CPU
 *                        hogs (one per CPU), each 10 times burning 0.5 ms of
 *                        CPU and sleeping 20 ms, while a mover thread keeps
 *                        moving each between two CPUs (sched_setaffinity), as
 *                        the load balancer does: a thread that sleeps still
 *                        queued (EEVDF's delayed dequeue) is moved, and the
 *                        kernel counts part of its sleep as run-queue wait
 *   exec                 spins 10 ms, then execs itself ("exec again"), which
 *                        spins 1 ms and exits: the command's window
 *                        moves to that second exec, in the middle of a slice
 *                        (the kernel's run counter then lags by up to a tick)
 *   procs [N]            N short processes (default 200), forked one after
 *                        another, each exiting at once (a shell's life);
 *                        with STRESS_FINAL set, prints each one's final
 *                        schedstat ("final PID RUN_NS WAIT_NS SLICES"), read
 *                        between its death and its reaping
 *   wakeups [N]          N round trips (default 20000) between two threads over
 *                        pipes on one CPU, beside a CPU hog on that CPU: every
 *                        wakeup preempts (or is preempted by) someone
 *   disk DIR [N]         N writes of 64 KiB (default 200) to a file in DIR,
 *                        each followed by fdatasync: waits on the disk
 *   pairs T [N]          T threads (even, default 2) in T/2 pairs, N round trips
 *                        (default 20000) in all over pipes, all on CPU 0, one
 *                        pair at a time: the same switches whatever T is, for
 *                        make bench's cost per switch against the number of
 *                        traced threads; a pair that is done blocks until
 *                        the window closes, so no thread exits inside it.
 *                        Prints "elapsed_ns E switches S cpu_ns C": C is the
 *                        CPU time all its threads used in the timed window
 *                        (a tracer's handlers run in the traced threads, so
 *                        they count; other work on the machine does not).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static atomic_int stop_hogs;

static void die(const char *what)
{
	fprintf(stderr, "stress: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *hog(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop_hogs, memory_order_relaxed))
		n++;
	return NULL;
}

static void spin_us(long us)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < us);
}

static void *short_life(void *arg)
{
	spin_us((long)(size_t)arg);
	return NULL;
}

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(t, NULL, fn, arg);

	if (err) {
		errno = err;
		die("pthread_create");
	}
}

static int exits(int n)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t hogs[256], *t = calloc((size_t)n, sizeof(*t));

	if (!t)
		die("calloc");
	if (ncpu > 256)
		ncpu = 256;
	for (int i = 0; i < ncpu; i++)
		start(&hogs[i], hog, NULL);
	/* In waves of 8: each thread runs 0.5-4 ms, so it is preempted, often in its exit. */
	for (int i = 0; i < n; i += 8) {
		int k = n - i < 8 ? n - i : 8;

		for (int j = 0; j < k; j++)
			start(&t[i + j], short_life, (void *)(size_t)(500 + 500 * (j % 8)));
		for (int j = 0; j < k; j++)
			pthread_join(t[i + j], NULL);
	}
	atomic_store(&stop_hogs, 1);
	for (int i = 0; i < ncpu; i++)
		pthread_join(hogs[i], NULL);
	free(t);
	printf("processes 1 threads %d\n", 1 + ncpu + n);
	return 0;
}

/* Burn @us of this thread's CPU time (not wall time: the hogs share the CPU). */
static void burn_us(long us)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < us);
}

/* A burst: its threads' tids for the mover, how many still work, their release. */
struct burst {
	atomic_int *tids;
	int n;
	cpu_set_t cpu[2];
	atomic_int left;
	int release[2]; /* read before exiting: no tid the mover holds is reused */
};

struct burst_slot {
	struct burst *b;
	int i;
};

static void *burst_thread(void *arg)
{
	struct burst_slot *s = arg;
	struct timespec nap = {0, 20 * 1000 * 1000};
	char c;

	atomic_store(&s->b->tids[s->i], (int)syscall(SYS_gettid));
	for (int r = 0; r < 10; r++) {
		burn_us(500);
		nanosleep(&nap, NULL);
	}
	atomic_fetch_sub(&s->b->left, 1);
	if (read(s->b->release[0], &c, 1) != 1)
		die("burst release");
	return NULL;
}

/* Moves each thread of the burst to the other CPU, round after round, until all are done. */
static void *burst_mover(void *arg)
{
	struct burst *b = arg;

	for (unsigned int k = 0; atomic_load(&b->left); k++) {
		for (int i = 0; i < b->n; i++) {
			int tid = atomic_load(&b->tids[i]);

			if (tid && sched_setaffinity(tid, sizeof(cpu_set_t), &b->cpu[(k + i) & 1]))
				die("sched_setaffinity");
		}
		sched_yield();
	}
	return NULL;
}

/* The first two CPUs this process may use, each a set of its own; false with one. */
static bool two_cpus(cpu_set_t cpu[2])
{
	cpu_set_t all;
	int found = 0;

	if (sched_getaffinity(0, sizeof(all), &all))
		die("sched_getaffinity");
	for (int c = 0; c < CPU_SETSIZE && found < 2; c++)
		if (CPU_ISSET(c, &all)) {
			CPU_ZERO(&cpu[found]);
			CPU_SET(c, &cpu[found]);
			found++;
		}
	return found == 2;
}

static int burst(int n)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct burst b = {.n = n};
	struct burst_slot *slot = calloc((size_t)n, sizeof(*slot));
	pthread_t hogs[256], mover, *t = calloc((size_t)n, sizeof(*t));
	bool move = two_cpus(b.cpu);
	char c = 'x';

	b.tids = calloc((size_t)n, sizeof(*b.tids));
	if (!slot || !t || !b.tids)
		die("calloc");
	if (pipe(b.release))
		die("pipe");
	atomic_store(&b.left, n);
	if (ncpu > 256)
		ncpu = 256;
	for (int i = 0; i < ncpu; i++)
		start(&hogs[i], hog, NULL);
	for (int i = 0; i < n; i++) {
		slot[i] = (struct burst_slot){.b = &b, .i = i};
		start(&t[i], burst_thread, &slot[i]);
	}
	if (move) {
		start(&mover, burst_mover, &b);
		pthread_join(mover, NULL);
	}
	for (int i = 0; i < n; i++) /* a byte each: under a pipe's capacity */
		if (write(b.release[1], &c, 1) != 1)
			die("burst release");
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	atomic_store(&stop_hogs, 1);
	for (int i = 0; i < ncpu; i++)
		pthread_join(hogs[i], NULL);
	free(slot);
	free(t);
	free(b.tids);
	printf("processes 1 threads %d\n", 1 + ncpu + n + move);
	return 0;
}

/* Spins, then runs again from a new exec of itself, mid-slice. */
static int exec_again(bool again)
{
	char *const argv[] = {"stress", "exec", "again", NULL};
	char self[4096];
	ssize_t n;

	if (again) {
		spin_us(1000);
		printf("processes 1 threads 1\n");
		return 0;
	}
	/* Spins on the vDSO clock: a read of the thread's CPU clock would bring
	 * se.sum_exec_runtime up to date (update_curr) and hide the lag. */
	spin_us(10000);
	/* By its own path, so the new image keeps the name "stress". */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	self[n] = '\0';
	execv(self, argv);
	die(self);
	return 1;
}

/*
 * A dead child's schedstat, read before it is reaped: its final run and
 * wait (the kernel's counters stop at its last switch-out).
 */
static void print_final(pid_t p)
{
	unsigned long long run, wait, slices;
	char path[64];
	siginfo_t info;
	FILE *f;

	if (waitid(P_PID, (id_t)p, &info, WEXITED | WNOWAIT))
		die("waitid");
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)p);
	f = fopen(path, "r");
	if (f && fscanf(f, "%llu %llu %llu", &run, &wait, &slices) == 3)
		printf("final %d %llu %llu %llu\n", (int)p, run, wait, slices);
	if (f)
		fclose(f);
}

static int procs(int n)
{
	bool final = getenv("STRESS_FINAL") != NULL;

	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			die("fork");
		if (!p)
			_exit(0);
		if (final)
			print_final(p);
		if (waitpid(p, NULL, 0) < 0)
			die("waitpid");
	}
	printf("processes %d threads %d\n", 1 + n, 1 + n);
	return 0;
}

struct pingpong {
	int to[2], back[2];
	int rounds;
};

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void *ponger(void *arg)
{
	struct pingpong *p = arg;
	char c;

	pin_cpu0();
	for (int i = 0; i < p->rounds; i++) {
		if (read(p->to[0], &c, 1) != 1 || write(p->back[1], &c, 1) != 1)
			die("ponger read/write");
	}
	return NULL;
}

static void *pinned_hog(void *arg)
{
	pin_cpu0();
	return hog(arg);
}

static int wakeups(int n)
{
	struct pingpong p = {.rounds = n};
	pthread_t pong, h;
	char c = 'x';

	if (pipe(p.to) || pipe(p.back))
		die("pipe");
	pin_cpu0();
	start(&pong, ponger, &p);
	start(&h, pinned_hog, NULL);
	for (int i = 0; i < n; i++) {
		if (write(p.to[1], &c, 1) != 1 || read(p.back[0], &c, 1) != 1)
			die("pinger read/write");
	}
	pthread_join(pong, NULL);
	atomic_store(&stop_hogs, 1);
	pthread_join(h, NULL);
	printf("processes 1 threads 3\n");
	return 0;
}

static int disk(const char *dir, int n)
{
	static char buf[65536];
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/stress-disk.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		die(path);
	unlink(path);
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < n; i++) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write");
		if (fdatasync(fd))
			die("fdatasync");
	}
	close(fd);
	printf("processes 1 threads 1\n");
	return 0;
}

/* A pair plays its share of the round trips when its turn comes (a baton pipe). */
struct pair {
	int ping[2], pong[2];
	int rounds;
	int turn_in, turn_out; /* read to start, write to hand on (-1: none) */
	int release;	       /* read before returning: no thread exits in the timed window */
};

/*
 * A pair's thread is done: it blocks until the timed window has closed, so
 * thread exits (the kernel's and a tracer's per-thread work) stay out of
 * the cost per switch. Blocked, it makes no switch in the window.
 */
static void wait_release(const struct pair *p)
{
	char c;

	if (read(p->release, &c, 1) != 1)
		die("pair release");
}

static void *pair_pong(void *arg)
{
	struct pair *p = arg;
	char c;

	pin_cpu0();
	for (int i = 0; i < p->rounds; i++)
		if (read(p->ping[0], &c, 1) != 1 || write(p->pong[1], &c, 1) != 1)
			die("pair pong");
	wait_release(p);
	return NULL;
}

static void *pair_ping(void *arg)
{
	struct pair *p = arg;
	char c = 'x';

	pin_cpu0();
	if (p->turn_in >= 0 && read(p->turn_in, &c, 1) != 1)
		die("pair turn");
	for (int i = 0; i < p->rounds; i++)
		if (write(p->ping[1], &c, 1) != 1 || read(p->pong[0], &c, 1) != 1)
			die("pair ping");
	if (p->turn_out >= 0 && write(p->turn_out, &c, 1) != 1)
		die("pair hand-on");
	wait_release(p);
	return NULL;
}

static int pairs(int threads, int n)
{
	int np = threads / 2, done[2], release[2], go = -1;
	struct pair *p = calloc((size_t)np, sizeof(*p));
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	struct timespec a, b, ca, cb;
	char c = 'x';

	if (threads < 2 || threads % 2) {
		fprintf(stderr, "stress: pairs wants an even number of threads, 2 or more\n");
		return 2;
	}
	if (!p || !t)
		die("calloc");
	if (pipe(done) || pipe(release))
		die("pipe");
	for (int i = 0; i < np; i++) {
		int baton[2];

		if (pipe(p[i].ping) || pipe(p[i].pong) || pipe(baton))
			die("pipe");
		p[i].rounds = n / np + (i < n % np);
		p[i].turn_in = baton[0];
		p[i].release = release[0];
		if (i)
			p[i - 1].turn_out = baton[1];
		else
			go = baton[1]; /* the first pair starts when every thread exists */
	}
	p[np - 1].turn_out = done[1];
	for (int i = 0; i < np; i++) {
		start(&t[2 * i], pair_pong, &p[i]);
		start(&t[2 * i + 1], pair_ping, &p[i]);
	}
	/* Time from the first pair's start to the last one's hand-on. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (write(go, &c, 1) != 1)
		die("pairs go");
	if (read(done[0], &c, 1) != 1)
		die("pairs done");
	clock_gettime(CLOCK_MONOTONIC, &b);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
	for (int i = 0; i < threads; i++) /* a byte each: under a pipe's capacity */
		if (write(release[1], &c, 1) != 1)
			die("pairs release");
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("elapsed_ns %lld switches %d cpu_ns %lld\n",
	       (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec), 2 * n,
	       (long long)(cb.tv_sec - ca.tv_sec) * 1000000000LL + (cb.tv_nsec - ca.tv_nsec));
	free(p);
	free(t);
	return 0;
}

static int count(int argc, char **argv, int i, int def)
{
	char *end;
	long v;

	if (argc <= i)
		return def;
	v = strtol(argv[i], &end, 10);
	if (*end || v <= 0 || v > 1000000) {
		fprintf(stderr, "stress: '%s' is not a count (1 to 1000000)\n", argv[i]);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "exits"))
		return exits(count(argc, argv, 2, 64));
	if (!strcmp(mode, "burst"))
		return burst(count(argc, argv, 2, 48));
	if (!strcmp(mode, "exec"))
		return exec_again(argc > 2 && !strcmp(argv[2], "again"));
	if (!strcmp(mode, "procs"))
		return procs(count(argc, argv, 2, 200));
	if (!strcmp(mode, "wakeups"))
		return wakeups(count(argc, argv, 2, 20000));
	if (!strcmp(mode, "disk") && argc > 2)
		return disk(argv[2], count(argc, argv, 3, 200));
	if (!strcmp(mode, "pairs"))
		return pairs(count(argc, argv, 2, 2), count(argc, argv, 3, 20000));
	fprintf(
	    stderr,
	    "usage: stress exits [N] | burst [N] | exec | procs [N] | wakeups [N] | disk DIR [N] |"
	    " pairs T [N]\n"
	    "  workloads for the collector's truth suite (see the source's header)\n");
	return !strcmp(mode, "--help") || !strcmp(mode, "-h") ? 0 : 2;
}

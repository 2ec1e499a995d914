// SPDX-License-Identifier: GPL-2.0
/* The cost of a context switch: two parties, a and b, hand a token back and
 * forth (a round trip: a -> b -> a), either two threads of one process or two
 * processes, over a pipe (1 byte each way) or a futex word, both pinned to
 * one CPU (each hand-off is a context switch on that CPU) or to two CPUs
 * (each hand-off wakes a thread on the other CPU, which was idle). A round
 * trip is two hand-offs, so the time per switch is half a round trip. */
#include "costs.h"
#include "clock.h"
#include "cpus.h"
#include "result.h"
#include "threads.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct pingpong {
	bool processes, futex;
	int cpu_a, cpu_b;
	uint64_t round_trips;
	int ping[2], pong[2], go[2];
	uint32_t word; /* futex: 1 while the token is with b */
	uint64_t t0, t1;
	struct thread_record *rec_a, *rec_b;
	char name_a[16], name_b[16];
};

static long futex(uint32_t *w, int op, uint32_t val, bool shared)
{
	return syscall(SYS_futex, w, op | (shared ? 0 : FUTEX_PRIVATE_FLAG), val, NULL, NULL, 0);
}

/* Wait while *w == @val. */
static void futex_wait_while(uint32_t *w, uint32_t val, bool shared)
{
	while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == val)
		if (futex(w, FUTEX_WAIT, val, shared) && errno != EAGAIN && errno != EINTR) {
			perror("futex(FUTEX_WAIT)");
			return;
		}
}

static void futex_set_wake(uint32_t *w, uint32_t val, bool shared)
{
	__atomic_store_n(w, val, __ATOMIC_RELEASE);
	if (futex(w, FUTEX_WAKE, 1, shared) < 0)
		perror("futex(FUTEX_WAKE)");
}

static int byte_io(int fd, bool out)
{
	char c = 'x';
	ssize_t n;

	do
		n = out ? write(fd, &c, 1) : read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		fprintf(stderr, "%s(pipe): %s\n", out ? "write" : "read",
			n < 0 ? strerror(errno) : "end of file");
		return -1;
	}
	return 0;
}

static int side_a(void *arg)
{
	struct pingpong *pp = arg;
	int err = costs_pin(pp->cpu_a);

	pp->rec_a = thread_begin(pp->name_a);
	/* b is pinned and waiting once it says go */
	err = err || byte_io(pp->go[0], false);
	pp->t0 = now_ns();
	for (uint64_t i = 0; !err && i < pp->round_trips; i++) {
		if (pp->futex) {
			futex_set_wake(&pp->word, 1, pp->processes);
			futex_wait_while(&pp->word, 1, pp->processes);
		} else {
			err = byte_io(pp->ping[1], true) || byte_io(pp->pong[0], false);
		}
	}
	pp->t1 = now_ns();
	pp->rec_a->tasks = pp->round_trips;
	thread_end(pp->rec_a);
	return err;
}

static int side_b(void *arg)
{
	struct pingpong *pp = arg;
	int err = costs_pin(pp->cpu_b);

	pp->rec_b = thread_begin(pp->name_b);
	err = err || byte_io(pp->go[1], true);
	for (uint64_t i = 0; !err && i < pp->round_trips; i++) {
		if (pp->futex) {
			futex_wait_while(&pp->word, 0, pp->processes);
			futex_set_wake(&pp->word, 0, pp->processes);
		} else {
			err = byte_io(pp->ping[0], false) || byte_io(pp->pong[1], true);
		}
	}
	pp->rec_b->tasks = pp->round_trips;
	thread_end(pp->rec_b);
	return err;
}

static void *thread_a(void *arg)
{
	return side_a(arg) ? arg : NULL;
}

static void *thread_b(void *arg)
{
	return side_b(arg) ? arg : NULL;
}

static int run_threads(struct pingpong *pp)
{
	pthread_t a, b;
	void *ra = NULL, *rb = NULL;
	int rc = pthread_create(&b, NULL, thread_b, pp);

	if (rc) {
		fprintf(stderr, "pthread_create(%s): %s\n", pp->name_b, strerror(rc));
		return -1;
	}
	rc = pthread_create(&a, NULL, thread_a, pp);
	if (rc) {
		fprintf(stderr, "pthread_create(%s): %s\n", pp->name_a, strerror(rc));
		close(pp->go[1]); /* b's wait for a ends; it stops at its first hand-off */
		pthread_cancel(b);
		pthread_join(b, NULL);
		return -1;
	}
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	return ra || rb ? -1 : 0;
}

static int run_processes(struct pingpong *pp)
{
	int pa, pb, err;

	if (costs_fork(side_b, pp, &pb))
		return -1;
	if (costs_fork(side_a, pp, &pa)) {
		kill(pb, SIGKILL);
		costs_wait(pb, pp->name_b);
		return -1;
	}
	err = costs_wait(pa, pp->name_a);
	return costs_wait(pb, pp->name_b) || err ? -1 : 0;
}

static void close_pipes(struct pingpong *pp)
{
	int *fds[] = {pp->ping, pp->pong, pp->go};

	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 2; k++)
			if (fds[i][k] >= 0)
				close(fds[i][k]);
}

/* One mechanism: returns 0, or -1 after printing what failed. */
static int pingpong_run(const struct costs_params *p, json_t *costs, bool processes, bool futex,
			const int *cpus, int ncpus, bool cross)
{
	struct pingpong *pp = costs_shared(sizeof(*pp));
	const char *kind = processes ? CE_PROCESSES : CE_THREADS;
	const char *chan = futex ? CE_CHAN_FUTEX : CE_CHAN_PIPE;
	char name[64], label[96];
	json_t *e, *arr;
	uint64_t wall, switches;
	int err;

	cost_switch_entry(name, sizeof(name), processes, chan, cross);
	snprintf(label, sizeof(label), "%s, %s, %s", kind, chan,
		 cross ? "across 2 CPUs" : "same CPU");
	e = costs_entry(costs, COSTS_SWITCH, name, label);
	json_set_str(e, COST_KIND, kind);
	json_set_str(e, COST_CHANNEL, chan);
	json_set_str(e, COST_PLACEMENT, cross ? CE_CROSS : CE_SAME);
	if (!pp)
		return -1;
	if (cross && ncpus < 2) {
		json_set_str(e, COST_SKIPPED, "one CPU available: the cross-CPU case cannot run");
		printf("  %-34s skipped: only one CPU available\n", label);
		costs_unshare(pp, sizeof(*pp));
		return 0;
	}
	pp->processes = processes;
	pp->futex = futex;
	pp->round_trips = p->round_trips;
	pp->cpu_a = cpus[0];
	pp->cpu_b = cross ? cpus[1] : cpus[0];
	cost_switch_comm(pp->name_a, sizeof(pp->name_a), processes, chan, cross, 'a');
	cost_switch_comm(pp->name_b, sizeof(pp->name_b), processes, chan, cross, 'b');
	pp->ping[0] = pp->ping[1] = pp->pong[0] = pp->pong[1] = pp->go[0] = pp->go[1] = -1;
	if (pipe2(pp->ping, O_CLOEXEC) || pipe2(pp->pong, O_CLOEXEC) || pipe2(pp->go, O_CLOEXEC)) {
		perror("pipe2");
		close_pipes(pp);
		costs_unshare(pp, sizeof(*pp));
		return -1;
	}
	err = processes ? run_processes(pp) : run_threads(pp);
	close_pipes(pp);
	if (!err && (!pp->rec_a || !pp->rec_b || pp->t1 <= pp->t0))
		err = -1;
	if (err) {
		fprintf(stderr, "%s: the ping-pong failed\n", name);
		costs_unshare(pp, sizeof(*pp));
		return -1;
	}
	wall = pp->t1 - pp->t0;
	switches =
	    (uint64_t)(pp->rec_a->nvcsw + pp->rec_a->nivcsw + pp->rec_b->nvcsw + pp->rec_b->nivcsw);
	arr = json_pack("[i,i]", pp->cpu_a, pp->cpu_b);
	json_set_new(e, COST_CPUS, arr);
	arr = json_pack("[s,s]", pp->name_a, pp->name_b);
	json_set_new(e, COST_THREADS, arr);
	json_set_int(e, COST_ROUND_TRIPS, (long long)p->round_trips);
	json_set_int(e, COST_WALL_NS, (long long)wall);
	json_set_real(e, COST_RT_NS, (double)wall / (double)p->round_trips);
	json_set_real(e, COST_SWITCH_NS, (double)wall / (double)p->round_trips / 2);
	json_set_int(e, COST_SWITCHES, (long long)switches);
	json_set_real(e, COST_SWITCHES_PER_RT, (double)switches / (double)p->round_trips);
	printf("  %-34s %8.2f us per round trip, %7.2f us per switch; %.2f switches per round "
	       "trip (kernel)\n",
	       label, (double)wall / (double)p->round_trips / 1e3,
	       (double)wall / (double)p->round_trips / 2e3,
	       (double)switches / (double)p->round_trips);
	fflush(stdout);
	costs_unshare(pp, sizeof(*pp));
	return 0;
}

int costs_switch(const struct costs_params *p, json_t *costs)
{
	int cpus[2], ncpus = cpus_allowed(cpus, 2);

	if (ncpus < 1)
		return -1;
	for (int cross = 0; cross < 2; cross++)
		for (int futex = 0; futex < 2; futex++)
			for (int proc = 0; proc < 2; proc++)
				if (pingpong_run(p, costs, proc, futex, cpus, ncpus, cross))
					return -1;
	return 0;
}

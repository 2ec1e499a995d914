// SPDX-License-Identifier: GPL-2.0
/* The cost of starting a unit of concurrency and waiting for it to end,
 * each timed on its own, STARTS times:
 *   pthread_create + pthread_join   a thread that only names itself
 *   fork + waitpid                  a child process that only names itself
 *   posix_spawn + waitpid           a small program (/bin/true) run to its end
 * The started threads and children do no work and keep no record of their
 * own (reading their accounting would cost more than they do); the kernel
 * sees each of them, by name (th-start, fork-child, true), in sched.json. */
#include "costs.h"
#include "clock.h"
#include "result.h"
#include "stats.h"

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *empty_thread(void *arg)
{
	prctl(PR_SET_NAME, CE_THREAD_COMM);
	return arg;
}

static int start_thread(const struct costs_params *p)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, empty_thread, NULL);

	(void)p;
	if (rc) {
		fprintf(stderr, "pthread_create: %s\n", strerror(rc));
		return -1;
	}
	rc = pthread_join(t, NULL);
	if (rc)
		fprintf(stderr, "pthread_join: %s\n", strerror(rc));
	return rc ? -1 : 0;
}

static int start_fork(const struct costs_params *p)
{
	pid_t pid = fork();

	(void)p;
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_NAME, CE_FORK_COMM);
		_exit(0);
	}
	return costs_wait(pid, CE_FORK_COMM);
}

static int start_spawn(const struct costs_params *p)
{
	char *argv[] = {(char *)p->spawn_prog, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, p->spawn_prog, NULL, NULL, argv, environ);

	if (rc) {
		fprintf(stderr, "posix_spawn(%s): %s\n", p->spawn_prog, strerror(rc));
		return -1;
	}
	return costs_wait(pid, p->spawn_prog);
}

static const struct {
	const char *name, *label, *child;
	int (*start)(const struct costs_params *p);
} mechanisms[] = {
    {CE_THREAD, "pthread_create + join", CE_THREAD_COMM, start_thread},
    {CE_FORK, "fork + wait", CE_FORK_COMM, start_fork},
    {CE_SPAWN, "posix_spawn + wait", NULL, start_spawn},
};

int costs_startup(const struct costs_params *p, json_t *costs)
{
	uint64_t *each = calloc(p->starts, sizeof(*each));
	const char *base = strrchr(p->spawn_prog, '/');

	if (!each) {
		perror("calloc(start-up times)");
		return -1;
	}
	fflush(NULL); /* forked children must not repeat buffered output */
	for (size_t m = 0; m < sizeof(mechanisms) / sizeof(mechanisms[0]); m++) {
		json_t *e =
		    costs_entry(costs, COSTS_STARTUP, mechanisms[m].name, mechanisms[m].label);
		uint64_t t0 = now_ns(), sum = 0;
		const char *child = mechanisms[m].child ? mechanisms[m].child
				    : base		? base + 1
							: p->spawn_prog;

		for (unsigned int i = 0; i < p->starts; i++) {
			uint64_t s = now_ns();

			if (mechanisms[m].start(p)) {
				free(each);
				return -1;
			}
			each[i] = now_ns() - s;
			sum += each[i];
		}
		json_set_int(e, COST_COUNT, p->starts);
		json_set_int(e, COST_WALL_NS, (long long)(now_ns() - t0));
		json_set_real(e, COST_EACH_NS, (double)sum / p->starts);
		json_set_str(e, COST_CHILD_COMM, child);
		json_set_new(e, COST_DURATIONS, durations_json(each, p->starts));
		printf("  %-24s %9.1f us each (median %.1f us, p99 %.1f us) over %u starts of %s\n",
		       mechanisms[m].label, (double)sum / p->starts / 1e3,
		       (double)u64_percentile(each, p->starts, 50) / 1e3,
		       (double)u64_percentile(each, p->starts, 99) / 1e3, p->starts, child);
		fflush(stdout);
	}
	free(each);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the 07_costs families (costs.h). */
#include "costs.h"
#include "result.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int costs_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "sched_setaffinity(CPU %d): %s\n", cpu, strerror(errno));
		return -1;
	}
	return 0;
}

json_t *costs_entry(json_t *costs, const char *family, const char *name, const char *label)
{
	json_t *e = json_object();

	if (!e || json_array_append_new(costs, e))
		abort();
	json_set_str(e, COST_NAME, name);
	json_set_str(e, COST_FAMILY, family);
	json_set_str(e, COST_LABEL, label);
	return e;
}

void costs_params_json(json_t *params, const struct costs_params *p)
{
	json_set_int(params, "round_trips", (long long)p->round_trips);
	json_set_int(params, "starts", p->starts);
	json_set_int(params, "ipc_mib", (long long)(p->ipc_bytes / MIB));
	json_set_int(params, "chunk_kib", (long long)(p->chunk / 1024));
	json_set_int(params, "cow_mib", (long long)(p->cow_bytes / MIB));
	json_set_str(params, "spawn", p->spawn_prog);
	json_set_new(params, "quick", json_boolean(p->quick));
}

int costs_fork(int (*fn)(void *), void *arg, int *pid)
{
	fflush(NULL); /* a child must not write the parent's buffered output again */
	*pid = fork();
	if (*pid < 0) {
		perror("fork");
		return -1;
	}
	if (*pid == 0)
		_exit(fn(arg) ? 1 : 0);
	return 0;
}

int costs_wait(int pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "waitpid(%s): %s\n", what, strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "%s: %s %d\n", what, WIFEXITED(status) ? "exited with" : "killed by signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -1;
}

void *costs_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "mmap(%zu bytes, MAP_SHARED): %s\n", size, strerror(errno));
		return NULL;
	}
	return p;
}

void costs_unshare(void *p, size_t size)
{
	if (p && munmap(p, size))
		perror("munmap");
}

uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

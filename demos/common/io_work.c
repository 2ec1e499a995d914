// SPDX-License-Identifier: GPL-2.0
#include "io_work.h"
#include "cli.h"
#include "clock.h"
#include "pool.h"
#include "result.h"
#include "stats.h"
#include "threads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Workers do little but block: a small stack lets 1024 of them exist
 * without reserving gigabytes of address space. */
#define WORKER_STACK (256 * 1024)

enum io_kind io_kind_parse(const char *opt, const char *arg)
{
	if (!strcmp(arg, "socket"))
		return IO_SOCKET;
	if (!strcmp(arg, "sleep"))
		return IO_SLEEP;
	cli_die("%s: unknown kind of wait '%s'; use socket or sleep", opt, arg);
}

const char *io_kind_name(enum io_kind io)
{
	return io == IO_SOCKET ? "socket" : "sleep";
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)) {
		perror("clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
		abort();
	}
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

void burn_cpu_ns(uint64_t ns)
{
	uint64_t end = thread_cpu_ns() + ns;
	volatile uint64_t x = 0;

	/* Reading the CPU clock is a system call: check it every ~10 us. */
	while (thread_cpu_ns() < end)
		for (int i = 0; i < 5000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
}

struct conn_state {
	int fd;
};

static int worker_init(void *ctx, unsigned int worker, void **wstate)
{
	struct io_work *w = ctx;
	struct conn_state *c;

	(void)worker;
	if (w->io != IO_SOCKET)
		return 0;
	c = malloc(sizeof(*c));
	if (!c) {
		fprintf(stderr, "malloc: out of memory\n");
		return -1;
	}
	/* One persistent connection per worker, as a client library keeps. */
	c->fd = delay_connect(&w->server);
	if (c->fd < 0) {
		free(c);
		return -1;
	}
	*wstate = c;
	return 0;
}

static int run_task(void *ctx, void *wstate, unsigned int task)
{
	struct io_work *w = ctx;
	struct conn_state *c = wstate;

	(void)task;
	if (w->cpu_ns)
		burn_cpu_ns(w->cpu_ns);
	if (w->io == IO_SLEEP) {
		sleep_ns(w->wait_ns);
		return 0;
	}
	return delay_request(c->fd, w->wait_ns);
}

static void worker_fini(void *ctx, void *wstate)
{
	struct conn_state *c = wstate;

	(void)ctx;
	if (c) {
		close(c->fd);
		free(c);
	}
}

/* The per-task durations, summarised. */
static json_t *task_summary(const uint64_t *start, const uint64_t *end, unsigned int n)
{
	uint64_t *d = malloc((n ? n : 1) * sizeof(*d));
	json_t *o;

	if (!d) {
		fprintf(stderr, "task_summary: out of memory\n");
		abort();
	}
	for (unsigned int i = 0; i < n; i++)
		d[i] = end[i] - start[i];
	o = durations_json(d, n);
	free(d);
	return o;
}

/*
 * The tasks the pool's workers (this process's threads) completed; the
 * requests the delay server's threads (its own process) served and how many
 * threads it ran go into "server".
 */
static uint64_t count_tasks(const struct io_work *w, json_t *res)
{
	uint64_t done = 0, served = 0;
	unsigned int nserver = 0;

	for (unsigned int i = 0; i < threads_count(); i++) {
		struct thread_record *r = threads_get(i);

		if (r->pid == getpid()) {
			done += r->tasks;
		} else {
			served += r->tasks;
			nserver++;
		}
	}
	if (w->io == IO_SOCKET) {
		json_t *srv = json_object_get(res, "server");

		json_set_int(srv, "threads", nserver);
		json_set_int(srv, "requests", (long long)served);
	}
	return done;
}

int io_work_run(struct io_work *w, unsigned int workers, unsigned int tasks, json_t *res,
		uint64_t *wall_ns)
{
	uint64_t *tstart = calloc(tasks, sizeof(*tstart)), *tend = calloc(tasks, sizeof(*tend));
	struct thread_record *main_rec;
	struct pool_spec spec = {
	    .workers = workers,
	    .tasks = tasks,
	    .ctx = w,
	    .worker_init = worker_init,
	    .task = run_task,
	    .worker_fini = worker_fini,
	    .task_start_ns = tstart,
	    .task_end_ns = tend,
	    .stack_size = WORKER_STACK,
	};
	uint64_t start, end, done;
	int err = 0;

	if (!tstart || !tend) {
		fprintf(stderr, "calloc(%u tasks): out of memory\n", tasks);
		free(tstart);
		free(tend);
		return -1;
	}
	threads_reset();
	main_rec = thread_begin("main");
	spec.caller = main_rec;
	/* The service is started outside the measured section: it stands for
	 * a remote service that is already up. */
	if (w->io == IO_SOCKET && delay_server_start(&w->server, workers ? workers : 1)) {
		thread_end(main_rec);
		free(tstart);
		free(tend);
		return -1;
	}
	start = now_ns();
	err = pool_run(&spec);
	end = now_ns();
	if (w->io == IO_SOCKET) {
		json_t *srv = json_set_object(res, "server");

		json_set_int(srv, "pid", w->server.pid);
		json_set_int(srv, "port", w->server.port);
		if (delay_server_stop(&w->server))
			err = -1;
	}
	thread_end(main_rec);
	done = count_tasks(w, res);
	result_set_wall(res, start, end);
	result_add_threads(res);
	json_set_int(res, "tasks_done", (long long)done);
	json_set_new(res, "task_ns", task_summary(tstart, tend, err ? 0 : tasks));
	free(tstart);
	free(tend);
	if (!err && done != tasks) {
		fprintf(stderr, "only %llu of %u tasks were done\n", (unsigned long long)done,
			tasks);
		err = -1;
	}
	*wall_ns = end - start;
	return err;
}

void io_work_params_json(json_t *params, const struct io_work *w, unsigned int tasks,
			 unsigned int workers, bool cpu, bool quick)
{
	json_set_int(params, "tasks", tasks);
	json_set_real(params, "wait_s", ns_to_s(w->wait_ns));
	if (cpu)
		json_set_int(params, "cpu_us", (long long)(w->cpu_ns / NSEC_PER_USEC));
	json_set_str(params, "io", io_kind_name(w->io));
	json_set_int(params, "workers", workers);
	json_set_new(params, "quick", json_boolean(quick));
}

// SPDX-License-Identifier: GPL-2.0
#include "convoy.h"
#include "clock.h"
#include "gil.h"
#include "result.h"
#include "stats.h"
#include "threads.h"
#include "vm.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK 10000 /* a worker looks at the stop flag every CHUNK iterations */
#define NPHASES 2
static const char *const phase_names[NPHASES] = {"alone", "with_cpu"};

struct convoy {
	const struct convoy_params *p;
	struct gil *gil;
	const struct vm_program *prog;
	int req[2];	    /* request socketpair: [0] server, [1] client */
	int ctl[2];	    /* phase control: [0] main, [1] client */
	uint64_t *lat;	    /* MAP_SHARED: NPHASES x requests response times */
	uint64_t *gil_wait; /* NPHASES x requests: the server's lock waits per request (after its
			       recv and its send) */
	int stop;	    /* the workers' stop flag */
	int failed;
};

struct worker {
	struct convoy *c;
	int idx;
	pthread_t thread;
};

/* One byte each way; a short count or an error ends the run. */
static int send_byte(int fd, char b)
{
	ssize_t n;

	while ((n = send(fd, &b, 1, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

static int recv_byte(int fd, char *b)
{
	ssize_t n;

	while ((n = recv(fd, b, 1, 0)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

/* The client process: a phase starts on a byte from main, its requests go
 * out on a fixed schedule, and "d" tells main the phase is over. */
static void client(struct convoy *c)
{
	struct thread_record *rec = thread_begin("client");
	char b;

	for (int ph = 0; ph < NPHASES; ph++) {
		uint64_t next;

		if (recv_byte(c->ctl[1], &b))
			break;
		next = now_ns();
		for (unsigned int i = 0; i < c->p->requests; i++) {
			struct timespec ts;
			uint64_t t0;

			next += c->p->period_ns;
			ts = ns_to_timespec(next);
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
				;
			t0 = now_ns();
			if (send_byte(c->req[1], 'q') || recv_byte(c->req[1], &b)) {
				perror("convoy client: request");
				_exit(1);
			}
			c->lat[ph * c->p->requests + i] = now_ns() - t0;
			rec->tasks++;
		}
		if (send_byte(c->ctl[1], 'd'))
			break;
	}
	send_byte(c->req[1], 'x'); /* the server may stop */
	thread_end(rec);
	_exit(0);
}

/* The I/O thread: blocks in recv and send with the lock dropped, as CPython
 * does around a blocking call, and must take it back after each. */
static void *server(void *arg)
{
	struct convoy *c = arg;
	struct thread_record *rec = thread_begin("server");
	struct gil_thread gt;
	char b;

	gil_thread_init(&gt, c->gil, rec);
	gil_take(&gt);
	for (;;) {
		uint64_t before = gt.wait_ns, i = rec->tasks;
		int err;

		gil_drop(&gt);
		err = recv_byte(c->req[0], &b);
		gil_take(&gt);
		if (err || b == 'x')
			break;
		gil_drop(&gt);
		err = send_byte(c->req[0], 'a');
		gil_take(&gt);
		if (err)
			break;
		if (i < (uint64_t)NPHASES * c->p->requests)
			c->gil_wait[i] = gt.wait_ns - before;
		rec->tasks++;
	}
	gil_drop(&gt);
	thread_end(rec);
	return NULL;
}

/* A CPU-bound thread: the task's loop on the VM, in chunks, holding the
 * lock except where the eval breaker makes it hand the lock over. */
static void *worker(void *arg)
{
	struct worker *w = arg;
	struct convoy *c = w->c;
	char name[THREAD_NAME_LEN];
	struct thread_record *rec;
	struct gil_thread gt;
	struct vm_breaker br = {.flag = &c->gil->drop_request, .handler = gil_yield, .ctx = &gt};

	snprintf(name, sizeof(name), "worker-%d", (w->idx + 1) % 10000);
	rec = thread_begin(name);
	gil_thread_init(&gt, c->gil, rec);
	gil_take(&gt);
	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		int64_t arg = CHUNK, r;
		int st = vm_run(c->prog, &arg, 1, &r, &br);

		if (st) {
			fprintf(stderr, "convoy worker: vm_run: %s\n", vm_strerror(st));
			__atomic_store_n(&c->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		rec->tasks++;
	}
	gil_drop(&gt);
	thread_end(rec);
	return NULL;
}

/* One phase: start it, wait for the client to say it is over. */
static int phase(struct convoy *c, uint64_t *start, uint64_t *end)
{
	char b;

	*start = now_ns();
	if (send_byte(c->ctl[0], 'g') || recv_byte(c->ctl[0], &b)) {
		fprintf(stderr, "convoy: the client stopped answering\n");
		return -1;
	}
	*end = now_ns();
	return 0;
}

static int with_workers(struct convoy *c, uint64_t *start, uint64_t *end)
{
	struct worker *w = calloc((size_t)c->p->workers, sizeof(*w));
	int i, started = 0, err = 0;

	if (!w) {
		perror("calloc(convoy workers)");
		return -1;
	}
	for (i = 0; i < c->p->workers; i++) {
		int rc;

		w[i].c = c;
		w[i].idx = i;
		rc = pthread_create(&w[i].thread, NULL, worker, &w[i]);
		if (rc) {
			fprintf(stderr, "pthread_create(worker-%d): %s\n", i + 1, strerror(rc));
			err = -1;
			break;
		}
		started++;
	}
	if (!err)
		err = phase(c, start, end);
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	free(w);
	return err;
}

static json_t *phase_json(uint64_t *lat, uint64_t *gil_wait, unsigned int n, uint64_t start,
			  uint64_t end)
{
	json_t *o = durations_json(lat, n);

	json_set_new(o, "server_gil_wait", durations_json(gil_wait, n));
	json_set_int(o, "start_ns", (long long)start);
	json_set_int(o, "end_ns", (long long)end);
	return o;
}

json_t *convoy_run(const struct convoy_params *p, struct gil *gil, const struct vm_program *prog)
{
	struct convoy c = {.p = p, .gil = gil, .prog = prog};
	size_t lat_size = sizeof(uint64_t) * NPHASES * p->requests;
	uint64_t start[NPHASES] = {0}, end[NPHASES] = {0};
	json_t *res = NULL;
	pthread_t srv;
	pid_t pid;
	int status, err;

	c.lat = mmap(NULL, lat_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c.lat == MAP_FAILED) {
		perror("mmap(convoy latencies)");
		return NULL;
	}
	c.gil_wait = calloc((size_t)NPHASES * p->requests, sizeof(*c.gil_wait));
	if (!c.gil_wait) {
		perror("calloc(convoy waits)");
		goto out_map;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c.req) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c.ctl)) {
		perror("socketpair(convoy)");
		goto out_map;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork(convoy client)");
		goto out_socks;
	}
	if (pid == 0)
		client(&c);
	err = pthread_create(&srv, NULL, server, &c);
	if (err) {
		fprintf(stderr, "pthread_create(server): %s\n", strerror(err));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		goto out_socks;
	}
	err = phase(&c, &start[0], &end[0]) || with_workers(&c, &start[1], &end[1]);
	if (err) /* unblock the server and the client */
		shutdown(c.req[0], SHUT_RDWR), shutdown(c.ctl[0], SHUT_RDWR);
	pthread_join(srv, NULL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err || c.failed || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "convoy: the run failed (client status 0x%x)\n", status);
		goto out_socks;
	}
	res = json_object();
	if (!res)
		abort();
	json_set_int(res, "period_ns", (long long)p->period_ns);
	json_set_int(res, "requests", p->requests);
	json_set_int(res, "workers", p->workers);
	for (int ph = 0; ph < NPHASES; ph++)
		json_set_new(res, phase_names[ph],
			     phase_json(c.lat + (size_t)ph * p->requests,
					c.gil_wait + (size_t)ph * p->requests, p->requests,
					start[ph], end[ph]));
out_socks:
	close(c.req[0]), close(c.req[1]), close(c.ctl[0]), close(c.ctl[1]);
out_map:
	free(c.gil_wait);
	munmap(c.lat, lat_size);
	return res;
}

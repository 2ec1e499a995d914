// SPDX-License-Identifier: GPL-2.0
/* The loopback delay service and the I/O task built on it: answers come
 * after the delay asked, concurrent waits overlap, the server's threads
 * record themselves, and the server process is gone after stop or when the
 * demo dies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "delay_server.h"
#include "io_work.h"
#include "threads.h"

/* A process is gone when /proc has no entry for it, or only a zombie. */
static int process_gone(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	int gone;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 1;
	gone = fgets(line, sizeof(line), f) && strstr(line, ") Z ");
	fclose(f);
	return gone;
}

/*
 * The machines are shared: a wait can end late because the thread that
 * should run then waited for a CPU. An upper bound on a wait's length is
 * therefore the bound plus the run-queue waits on the chain that waited
 * (the kernel's own schedstat wait_ns, read by each thread), never a bare
 * wall-clock limit a busy host can break.
 */
static uint64_t self_wait_ns(void)
{
	uint64_t run = 0, wait = 0, slices = 0;
	char line[256];
	FILE *f = fopen("/proc/thread-self/schedstat", "re");

	if (f) {
		if (!fgets(line, sizeof(line), f) || schedstat_parse(line, &run, &wait, &slices))
			wait = 0;
		fclose(f);
	}
	return wait;
}

/* The run-queue wait of the server's threads (recorded at their end). */
static uint64_t server_wait_ns(int max_only)
{
	uint64_t w = 0;

	for (unsigned int i = 0; i < threads_count(); i++) {
		uint64_t t = threads_get(i)->wait_ns;

		w = max_only ? (t > w ? t : w) : w + t;
	}
	return w;
}

static void answers_after_delay(void **state)
{
	struct delay_server s;
	uint64_t t0, dt, late = 0, w0;
	unsigned int servers = 0;
	uint64_t served = 0;
	int fd;

	(void)state;
	threads_reset();
	assert_int_equal(delay_server_start(&s, 4), 0);
	assert_true(s.port > 0);
	fd = delay_connect(&s);
	assert_true(fd >= 0);
	w0 = self_wait_ns();
	for (int i = 0; i < 3; i++) {
		t0 = now_ns();
		assert_int_equal(delay_request(fd, 20 * NSEC_PER_MSEC), 0);
		dt = now_ns() - t0;
		assert_true(dt >= 20 * NSEC_PER_MSEC);
		late += dt - 20 * NSEC_PER_MSEC;
	}
	close(fd);
	pid_t pid = s.pid;

	assert_int_equal(delay_server_stop(&s), 0);
	assert_true(process_gone(pid));
	/* The three requests are one chain: each under 100 ms late, plus what
	 * this thread and the server's threads waited for a CPU. */
	if (late >= 3 * 100 * NSEC_PER_MSEC + (self_wait_ns() - w0) + server_wait_ns(0))
		fail_msg("answers %.1f ms late in all; run-queue waits %.1f ms here, %.1f ms in "
			 "the server",
			 late / 1e6, (self_wait_ns() - w0) / 1e6, server_wait_ns(0) / 1e6);
	/* The acceptor and one connection thread, both "server", both ended,
	 * in the table the server process shared with us. */
	for (unsigned int i = 0; i < threads_count(); i++) {
		struct thread_record *r = threads_get(i);

		assert_string_equal(r->name, "server");
		assert_int_equal(r->pid, pid);
		assert_true(r->ended);
		assert_true(r->timeslices > 0);
		served += r->tasks;
		servers++;
	}
	assert_int_equal(servers, 2);
	assert_int_equal(served, 3);
}

struct client_arg {
	const struct delay_server *s;
	int rc;
	uint64_t wait_ns; /* its run-queue wait */
};

static void *client(void *arg)
{
	struct client_arg *a = arg;
	int fd = delay_connect(a->s);

	a->rc = fd < 0 ? -1 : delay_request(fd, 100 * NSEC_PER_MSEC);
	if (fd >= 0)
		close(fd);
	a->wait_ns = self_wait_ns();
	return NULL;
}

/* 64 clients waiting 100 ms each at once: about 100 ms in all, not 6.4 s. */
static void waits_overlap(void **state)
{
	enum { N = 64 };
	struct delay_server s;
	struct client_arg a[N];
	pthread_t th[N];
	uint64_t t0, dt, w0, chain = 0;

	(void)state;
	threads_reset();
	assert_int_equal(delay_server_start(&s, N), 0);
	w0 = self_wait_ns();
	t0 = now_ns();
	for (int i = 0; i < N; i++) {
		a[i] = (struct client_arg){.s = &s, .rc = 1};
		assert_int_equal(pthread_create(&th[i], NULL, client, &a[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(a[i].rc, 0);
	}
	dt = now_ns() - t0;
	assert_true(dt >= 100 * NSEC_PER_MSEC);
	assert_int_equal(delay_server_stop(&s), 0);
	assert_int_equal(threads_count(), N + 1);
	/* Under 1 s (6.4 s if they did not overlap), plus the run-queue waits
	 * of one chain: this thread, the longest of a client, the longest of a
	 * server thread. */
	for (int i = 0; i < N; i++)
		chain = a[i].wait_ns > chain ? a[i].wait_ns : chain;
	chain += self_wait_ns() - w0 + server_wait_ns(1);
	if (dt >= 1000 * NSEC_PER_MSEC + chain)
		fail_msg("64 waits of 100 ms took %.1f ms; run-queue waits on one chain %.1f ms",
			 dt / 1e6, chain / 1e6);
}

static void refuses_absurd_delay(void **state)
{
	struct delay_server s;
	int fd;

	(void)state;
	threads_reset();
	assert_int_equal(delay_server_start(&s, 1), 0);
	fd = delay_connect(&s);
	assert_true(fd >= 0);
	assert_int_equal(delay_request(fd, DELAY_MAX_NS + 1), -1);
	close(fd);
	assert_int_equal(delay_server_stop(&s), 0);
}

/* The demo dies without stopping the server: the server must die too. */
static void dies_with_demo(void **state)
{
	int p[2];
	pid_t demo, server = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	demo = fork();
	assert_true(demo >= 0);
	if (demo == 0) {
		struct delay_server s;

		close(p[0]);
		if (delay_server_start(&s, 1))
			_exit(1);
		if (write(p[1], &s.pid, sizeof(s.pid)) != sizeof(s.pid))
			_exit(1);
		_exit(0); /* no delay_server_stop() */
	}
	close(p[1]);
	assert_int_equal(read(p[0], &server, sizeof(server)), sizeof(server));
	close(p[0]);
	waitpid(demo, NULL, 0);
	for (int i = 0; i < 200 && !process_gone(server); i++)
		sleep_ns(10 * NSEC_PER_MSEC);
	assert_true(process_gone(server));
}

static void io_work_counts(enum io_kind io)
{
	struct io_work w = {.io = io, .wait_ns = 10 * NSEC_PER_MSEC, .cpu_ns = 0};
	json_t *res = json_object();
	uint64_t wall;

	assert_non_null(res);
	assert_int_equal(io_work_run(&w, 4, 8, res, &wall), 0);
	/* 8 tasks on 4 workers: two rounds of 10 ms. */
	assert_true(wall >= 20 * NSEC_PER_MSEC);
	/* Under 200 ms, plus what the run's threads waited for a CPU. */
	json_t *th;
	size_t i;
	uint64_t waited = 0;

	json_array_foreach(json_object_get(res, "threads"), i, th) waited +=
	    json_integer_value(json_object_get(json_object_get(th, "schedstat"), "wait_ns"));
	if (wall >= 200 * NSEC_PER_MSEC + waited)
		fail_msg("8 waits of 10 ms on 4 workers took %.1f ms; run-queue waits %.1f ms",
			 wall / 1e6, waited / 1e6);
	assert_int_equal(json_integer_value(json_object_get(res, "tasks_done")), 8);
	/* main + 4 workers (+ acceptor and 4 connection threads). */
	assert_int_equal(json_array_size(json_object_get(res, "threads")),
			 io == IO_SOCKET ? 10 : 5);
	if (io == IO_SOCKET) {
		json_t *srv = json_object_get(res, "server");

		assert_int_equal(json_integer_value(json_object_get(srv, "requests")), 8);
		assert_int_equal(json_integer_value(json_object_get(srv, "threads")), 5);
	} else {
		assert_null(json_object_get(res, "server"));
	}
	json_decref(res);
}

static void io_work_socket(void **state)
{
	(void)state;
	io_work_counts(IO_SOCKET);
}

static void io_work_sleep(void **state)
{
	(void)state;
	io_work_counts(IO_SLEEP);
}

static void burn_cpu_uses_cpu(void **state)
{
	struct timespec a, b;
	uint64_t used;

	(void)state;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	burn_cpu_ns(20 * NSEC_PER_MSEC);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	used = (uint64_t)(b.tv_sec - a.tv_sec) * NSEC_PER_SEC + b.tv_nsec - a.tv_nsec;
	assert_true(used >= 20 * NSEC_PER_MSEC);
	assert_true(used < 40 * NSEC_PER_MSEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(answers_after_delay),  cmocka_unit_test(waits_overlap),
	    cmocka_unit_test(refuses_absurd_delay), cmocka_unit_test(dies_with_demo),
	    cmocka_unit_test(io_work_socket),	    cmocka_unit_test(io_work_sleep),
	    cmocka_unit_test(burn_cpu_uses_cpu),
	};

	if (threads_init(256) || delay_raise_nofile(256))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

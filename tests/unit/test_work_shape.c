// SPDX-License-Identifier: GPL-2.0
/* The generic rules any program's run is read with (the bug hunts' evidence,
 * reports/explain/explain_loop.c, explain_lone_worker.c, explain_memory.c):
 * each claim made on a run that shows it, left out on one that does not,
 * and at its threshold's edge. */
#include "explain_fixture.h"

/* An event loop: @sleep_ms blocked in clock_nanosleep outside epoll_wait,
 * out of 1000 ms of life; @polls: it blocked in epoll_wait; @calls: its
 * syscalls were traced, with that many epoll_wait calls. */
static const char *loop_run_calls(struct fx *f, double sleep_ms, bool polls, int calls)
{
	struct fx_run *r;
	json_t *t;

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	t = fx_thread(r, 1000, "relay",
		      (struct fx_states){.running = 50, .io = 950 - sleep_ms, .sleep = sleep_ms},
		      0);
	if (calls)
		fx_syscall(t, "epoll_wait", calls, polls ? 950 - sleep_ms : 0.5);
	if (polls)
		fx_wake(
		    r,
		    "{\"kind\": \"thread\", \"tid\": 1001, \"pid\": 1000, \"comm\": \"client-1\"}",
		    1000, "relay", "io", "epoll_wait", NULL, 40, 950 - sleep_ms);
	fx_wake(r, "{\"kind\": \"hardirq\", \"irq\": \"timer\"}", 1000, "relay", "sleep",
		"clock_nanosleep", NULL, 80, sleep_ms);
	return fx_explain(f);
}

static const char *loop_run(struct fx *f, double sleep_ms, bool polls)
{
	return loop_run_calls(f, sleep_ms, polls, 0);
}

static void loop_blocked_outside_its_poll(void **state)
{
	struct fx f;

	(void)state;
	assert_claim(
	    loop_run(&f, 640, true),
	    "relay waits for events in epoll_wait, an event loop, yet it "
	    "spent 640.0 ms (64% of its life) blocked outside it, longest in "
	    "clock_nanosleep (80 waits, mean 8.0 ms), against 310.0 ms blocked waiting for events");
	fx_free(&f);
	/* at the threshold (20% of its life), said; under it, not */
	assert_claim(loop_run(&f, 200, true), "an event loop, yet");
	fx_free(&f);
	assert_no_claim(loop_run(&f, 190, true), "an event loop, yet");
	fx_free(&f);
	/* a thread that never waited in a poll call is no event loop */
	assert_no_claim(loop_run(&f, 640, false), "an event loop");
	fx_free(&f);
	/* unless its traced syscalls say it called one: a loop that always
	 * found an event ready never blocked in it */
	assert_claim(loop_run_calls(&f, 640, false, 81),
		     "relay waits for events in epoll_wait (81 calls), an event "
		     "loop, yet it spent 640.0 ms (64% of its life) blocked outside it, longest in "
		     "clock_nanosleep (80 waits, mean 8.0 ms), against 0 ns blocked waiting for "
		     "events");
	fx_free(&f);
}

/* A pool: @workers threads share @work_ms of running; worker-1 takes
 * @first_share of it; the run lasts 1000 ms on @cpus CPUs. */
static const char *pool_run(struct fx *f, int workers, double first_share, int cpus)
{
	struct fx_run *r;
	double work = 900;

	fx_init(f, "command", cpus);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 2, .lock = 998}, 0);
	for (int i = 0; i < workers; i++) {
		double run = workers == 1 ? work
			     : i == 0	  ? work * first_share
					  : work * (1 - first_share) / (workers - 1);
		char name[16];

		snprintf(name, sizeof(name), "worker-%d", i + 1);
		fx_thread(r, 1001 + i, name,
			  (struct fx_states){.running = run, .runnable = 1000 - run}, 0);
	}
	return fx_explain(f);
}

static void one_thread_did_the_work(void **state)
{
	struct fx f;

	(void)state;
	assert_claim(pool_run(&f, 1, 1, 2),
		     "One thread did the work: worker-1 ran 900.0 ms, 100% of all "
		     "the run's running, and wanted a CPU (running or in a run queue) for 100% of "
		     "the run's 1.00 s; its 1 other thread ran 2.0 ms. The run had 2 CPUs to use");
	fx_free(&f);
	/* two workers sharing the work: no one thread did it */
	assert_no_claim(pool_run(&f, 2, 0.5, 2), "One thread did the work");
	fx_free(&f);
	/* one of 2 workers doing 91% of the running (with main's 2 ms, 90.8%): said;
	 * 89%: not */
	assert_claim(pool_run(&f, 2, 0.91, 2), "One thread did the work");
	fx_free(&f);
	assert_no_claim(pool_run(&f, 2, 0.89, 2), "One thread did the work");
	fx_free(&f);
	/* on one CPU, one thread at a time is all there is */
	assert_no_claim(pool_run(&f, 1, 1, 1), "One thread did the work");
	fx_free(&f);
}

/* A reader that faulted in @faults pages and ended at 150 ms; the uploader
 * runs to 1000 ms. */
static const char *queue_run(struct fx *f, long faults)
{
	struct fx_run *r;
	json_t *t;

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	t = fx_thread(r, 1000, "main", (struct fx_states){.running = 2, .lock = 998}, 0);
	json_object_set_new(t, "minflt", json_integer(100));
	json_object_set_new(t, "majflt", json_integer(0));
	t = fx_thread(r, 1001, "reader", (struct fx_states){.running = 100, .lock = 50}, 0);
	json_object_set_new(t, "minflt", json_integer(faults));
	json_object_set_new(t, "majflt", json_integer(0));
	t = fx_thread(r, 1002, "uploader", (struct fx_states){.running = 20, .sleep = 970}, 0);
	json_object_set_new(t, "minflt", json_integer(5));
	json_object_set_new(t, "majflt", json_integer(0));
	return fx_explain(f);
}

/*
 * Threads that share a name are named by their report labels in every
 * sentence (thread_labels.h), as in the tables and the graph: the run's
 * three threads all "app", main first, a lone worker that did the work.
 */
static void sentences_name_threads_by_label(void **state)
{
	struct fx_run *r;
	struct fx f;
	json_t *t;
	const char *text;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	t = fx_thread(r, 1000, "app", (struct fx_states){.running = 2, .lock = 998}, 0);
	json_object_set_new(t, "minflt", json_integer(100));
	json_object_set_new(t, "majflt", json_integer(0));
	t = fx_thread(r, 1001, "app", (struct fx_states){.running = 900, .runnable = 50}, 0);
	json_object_set_new(t, "minflt", json_integer(9000));
	json_object_set_new(t, "majflt", json_integer(0));
	t = fx_thread(r, 1002, "app", (struct fx_states){.running = 20, .sleep = 970}, 0);
	json_object_set_new(t, "minflt", json_integer(5));
	json_object_set_new(t, "majflt", json_integer(0));
	text = fx_explain(&f);
	assert_claim(text, "One thread did the work: app (tid 1001) ran");
	assert_claim(text, "Memory grew: app (tid 1001) faulted in");
	assert_no_claim(text, "(thread ");
	fx_free(&f);
}

/* A net_rx wakeup edge ending @count waits of thread @tid of process @pid. */
static void net_wake(struct fx_run *r, int tid, int pid, const char *comm, int count)
{
	json_t *e = fx_wake(r, "{\"kind\": \"softirq\", \"softirq\": \"net_rx\"}", tid, comm, "io",
			    "poll", NULL, count, 5);

	json_object_set_new(json_object_get(e, "wakee"), "pid", json_integer(pid));
}

/* A traced TCP end (sched.json "tcp"). */
static void tcp_end(struct fx_run *r, int pid, int port, int listens, int connects, int est)
{
	json_t *tcp = json_object_get(r->sched, "tcp");

	if (!tcp) {
		tcp = json_array();
		json_object_set_new(r->sched, "tcp", tcp);
	}
	json_array_append_new(tcp, json_pack("{s:i,s:i,s:i,s:i,s:i}", "pid", pid, "port", port,
					     "listens", listens, "connects", connects,
					     "established", est));
}

/*
 * A shell runs a server (python3, process 2000) and two curl clients
 * (3000, 3001), all traced; the network woke the server 6 times and the
 * clients 4. With the collector's TCP ends (@tcp) the pair is named by
 * them: who listened, who connected; a client to a port no traced process
 * listened on names no pair. Without them (an older collector), the
 * processes the network woke most.
 */
static const char *tcp_run(struct fx *f, bool tcp, bool listened)
{
	struct fx_run *r;

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "sh", (struct fx_states){.running = 5, .sleep = 995}, 0);
	fx_thread_ex(r, 2000, 2000, "python3", (struct fx_states){.running = 50, .io = 900}, 0,
		     false);
	fx_thread_ex(r, 3000, 3000, "curl", (struct fx_states){.running = 20, .io = 80}, 0, false);
	fx_thread_ex(r, 3001, 3001, "curl", (struct fx_states){.running = 20, .io = 80}, 0, false);
	net_wake(r, 2000, 2000, "python3", 6);
	net_wake(r, 3000, 3000, "curl", 2);
	net_wake(r, 3001, 3001, "curl", 2);
	if (tcp) {
		tcp_end(r, 2000, 8000, listened ? 1 : 0, 0, 0);
		tcp_end(r, 3000, 8000, 0, 2, 1);
		tcp_end(r, 3001, 8000, 0, 1, 1);
	}
	return fx_explain(f);
}

static void loopback_pair_by_tcp(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = tcp_run(&f, true, true);
	assert_claim(t, "Shape: a client and a server over TCP, both ends traced here (loopback): "
			"python3 listened on port 8000, to which 2 curl processes "
			"made 3 connection attempts, 2 established; the network ended 6 waits of "
			"the server's threads and 4 of the clients'.");
	fx_free(&f);
	t = tcp_run(&f, true, false);
	assert_no_claim(t, "over TCP");
	assert_claim(t, "Shape: a client and a server over the network");
	fx_free(&f);
	t = tcp_run(&f, false, false);
	assert_no_claim(t, "over TCP");
	assert_claim(t, "Shape: a client and a server over the network, both ends traced here "
			"(loopback): the network ended 6 waits of python3");
	fx_free(&f);
}

static void memory_grew(void **state)
{
	struct fx f;

	(void)state;
	assert_claim(queue_run(&f, 9000),
		     "Memory grew: reader faulted in at least 35.2 MiB of new memory "
		     "(9000 minor page faults of 4 KiB) in its 150.0 ms of life, 234 MiB/s, then "
		     "ended 840.0 ms before uploader, the last of the run's other "
		     "threads to end");
	fx_free(&f);
	/* 16 MiB is 4096 pages: at it, said; under it, not */
	assert_claim(queue_run(&f, 4096), "Memory grew");
	fx_free(&f);
	assert_no_claim(queue_run(&f, 4095), "Memory grew");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loop_blocked_outside_its_poll),
	    cmocka_unit_test(one_thread_did_the_work),
	    cmocka_unit_test(memory_grew),
	    cmocka_unit_test(sentences_name_threads_by_label),
	    cmocka_unit_test(loopback_pair_by_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

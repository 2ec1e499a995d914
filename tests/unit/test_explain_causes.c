// SPDX-License-Identifier: GPL-2.0
/* The cause sentences (reports/explain_causes.c), each with the phenomenon
 * present and absent: joins, turns on a lock, the critical path, and the
 * demos' own causes (02 the GIL, 04 the pace, 03 the loop's sleeps, 01 the
 * replies). */
#include "explain_fixture.h"

static char *thread_waker(char *buf, size_t len, struct fx_run *r, int tid, const char *comm)
{
	snprintf(buf, len, "{\"kind\": \"thread\", \"tid\": %d, \"pid\": %lld, \"comm\": \"%s\"}",
		 tid, (long long)fx_pid(r), comm);
	return buf;
}

static const char *TIMER = "{\"kind\": \"hardirq\", \"irq\": \"timer\"}";

/* The last futex[] entry gains a join_tid. */
static void fx_join_word(struct fx_run *r, int tid)
{
	json_t *f = json_object_get(r->sched, "futex");

	json_object_set_new(json_array_get(f, json_array_size(f) - 1), "join_tid",
			    json_integer(tid));
}

static const char *join_run(struct fx *f, bool is_join)
{
	struct fx_run *r;
	char w[160];

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 50, .lock = 900}, 0);
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 900}, 0);
	fx_futex(r, "0x7f0000000990", 1, 900);
	if (is_join)
		fx_join_word(r, 1001);
	fx_wake(r, thread_waker(w, sizeof(w), r, 1001, "worker-1"), 1000, "main", "lock", "futex",
		"0x7f0000000990", 1, 900);
	return fx_explain(f);
}

static void join_present(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = join_run(&f, true);
	assert_claim(t, "main waited 900.0 ms (95% of its life) for its workers to finish");
	assert_claim(t, "ended by the exit of the worker waited for (worker-1)");
	assert_claim(t, "not lock contention");
	fx_free(&f);
}

/* main reaps a child process (the demo's delay service) in wait4 besides
 * joining a worker: not every one waited for is a worker. */
static void join_of_a_process(void **state)
{
	struct fx f;
	struct fx_run *r;
	const char *t;
	char w[160];

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 50, .lock = 900}, 0);
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 900}, 0);
	fx_thread_ex(r, 2000, 2000, "server", (struct fx_states){.running = 10, .io = 900}, 0,
		     true);
	fx_futex(r, "0x7f0000000990", 1, 800);
	fx_join_word(r, 1001);
	fx_wake(r, thread_waker(w, sizeof(w), r, 1001, "worker-1"), 1000, "main", "lock", "futex",
		"0x7f0000000990", 1, 800);
	snprintf(w, sizeof(w),
		 "{\"kind\": \"thread\", \"tid\": 2000, \"pid\": 2000, \"comm\": \"server\"}");
	fx_wake(r, w, 1000, "main", "other", "wait4", NULL, 1, 100);
	t = fx_explain(&f);
	assert_claim(t, "for the threads and processes it started to finish");
	assert_claim(t, "ended by the exit of the one waited for (worker-1, server)");
	assert_no_claim(t, "the worker waited for");
	fx_free(&f);
}

static void join_absent(void **state)
{
	struct fx f;

	(void)state;
	assert_no_claim(join_run(&f, false), "for its workers to finish");
	fx_free(&f);
}

static const char *turns_run(struct fx *f, bool by_each_other)
{
	struct fx_run *r;
	char w1[160], w2[160];

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 10, .sleep = 990}, 0);
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 500, .lock = 450}, 0);
	fx_thread(r, 1002, "worker-2", (struct fx_states){.running = 500, .lock = 450}, 0);
	fx_futex(r, "0x55550000aa10", 100, 900);
	thread_waker(w1, sizeof(w1), r, 1001, "worker-1");
	thread_waker(w2, sizeof(w2), r, 1002, "worker-2");
	fx_wake(r, by_each_other ? w2 : TIMER, 1001, "worker-1", "lock", "futex", "0x55550000aa10",
		50, 450);
	fx_wake(r, by_each_other ? w1 : TIMER, 1002, "worker-2", "lock", "futex", "0x55550000aa10",
		50, 450);
	return fx_explain(f);
}

static void turns_present(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = turns_run(&f, true);
	assert_claim(t, "worker-1 and worker-2 waited 900.0 ms on the lock at 0x55550000aa10 in "
			"process 1000 (futex, 100 waits), 100% of the waits ended by another of "
			"them releasing it: they took turns.");
	fx_free(&f);
}

static void turns_absent(void **state)
{
	struct fx f;

	(void)state;
	assert_no_claim(turns_run(&f, false), "took turns");
	/* the timer ended both workers' waits: named once, with all of them */
	assert_claim(fx_join(&f), "the waits were ended by timer interrupt (100).");
	fx_free(&f);
}

/* Who held the lock: main waits 40 ms on a word that worker-1 ends. As a
 * mutex, its holder read at each wait: worker-1, running 30 ms and waiting
 * for a CPU 10 ms meanwhile. As a word no wait read as a mutex (holders
 * empty): who signalled it, no holder. From a collector that read no owners
 * (no "holders"): neither. From one that follows the holder to its release
 * (held_ns): worker-1 held the lock 20 ms of the 40, running 15 ms and
 * waiting for a CPU 5 ms then, and was not followed over one wait. */
enum holders_seen { HOLDERS_OWNER, HOLDERS_TENURE, HOLDERS_NONE, HOLDERS_NOT_READ };

static const char *holder_run(struct fx *f, enum holders_seen seen)
{
	json_t *futex, *word;
	struct fx_run *r;
	char w[160];

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 900, .lock = 40}, 0);
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 900, .runnable = 40}, 0);
	fx_futex(r, "0x55550000bb00", 4, 40);
	futex = json_object_get(r->sched, "futex");
	word = json_array_get(futex, json_array_size(futex) - 1);
	if (seen == HOLDERS_OWNER)
		json_object_set_new(word, "holders",
				    json_pack("[{s:{s:i,s:s},s:{s:i,s:s},s:i,s:I,s:{s:I,s:I}}]",
					      "waiter", "tid", 1000, "comm", "main", "owner", "tid",
					      1001, "comm", "worker-1", "waits", 4, "blocked_ns",
					      MS(40), "owner_ns", "running", MS(30), "runnable",
					      MS(10)));
	else if (seen == HOLDERS_TENURE)
		json_object_set_new(
		    word, "holders",
		    json_pack("[{s:{s:i,s:s},s:{s:i,s:s},s:i,s:I,s:I,s:i,s:{s:I,s:I}}]", "waiter",
			      "tid", 1000, "comm", "main", "owner", "tid", 1001, "comm", "worker-1",
			      "waits", 4, "blocked_ns", MS(40), "held_ns", MS(20), "owner_unknown",
			      1, "owner_ns", "running", MS(15), "runnable", MS(5)));
	else if (seen == HOLDERS_NONE)
		json_object_set_new(word, "holders", json_array());
	fx_wake(r, thread_waker(w, sizeof(w), r, 1001, "worker-1"), 1000, "main", "lock", "futex",
		"0x55550000bb00", 4, 40);
	return fx_explain(f);
}

static void holder_present(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = holder_run(&f, HOLDERS_OWNER);
	assert_claim(t,
		     "main waited 40.0 ms on the mutex at 0x55550000bb00 in process 1000 (4 "
		     "waits), held by worker-1 as 4 of them began (read from the mutex at each "
		     "wait), which over those waits was running (75%), waiting for a CPU (25%).");
	assert_no_claim(t, "no holder is named");
	fx_free(&f);
}

static void holder_tenure(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = holder_run(&f, HOLDERS_TENURE);
	assert_claim(t, "held by worker-1 as 4 of them began (read from the mutex at each wait), "
			"which, while it held the lock (20.0 ms of those waits' 40.0 ms; not "
			"followed to its release in 1 of them), was running (75%), waiting for a "
			"CPU (25%).");
	assert_no_claim(t, "lived through");
	fx_free(&f);
}

static void holder_absent(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = holder_run(&f, HOLDERS_NONE);
	assert_claim(t,
		     "main waited 40.0 ms on the word at 0x55550000bb00 in process 1000 (4 "
		     "waits), which no wait read as a held mutex, so no holder is named: worker-1 "
		     "signalled 4 of the waits.");
	assert_no_claim(t, "held by");
	fx_free(&f);
	t = holder_run(&f, HOLDERS_NOT_READ);
	assert_no_claim(t, "held by");
	assert_no_claim(t, "no holder is named");
	fx_free(&f);
}

/* Four threads take turns on one mutex, each woken by two of the others:
 * eight edges, four waiters, so the list names three and "1 other". */
static void holder_waiters_counted_once(void **state)
{
	static const char *const names[] = {"request-0", "request-1", "request-2", "request-3"};
	json_t *futex, *word;
	struct fx_run *r;
	struct fx f;
	char w[4][160];
	const char *t;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 10, .sleep = 990}, 0);
	for (int i = 0; i < 4; i++)
		fx_thread(r, 1001 + i, names[i], (struct fx_states){.running = 100, .lock = 800},
			  0);
	fx_futex(r, "0x55550000cc00", 16, 3200);
	futex = json_object_get(r->sched, "futex");
	word = json_array_get(futex, json_array_size(futex) - 1);
	json_object_set_new(word, "holders",
			    json_pack("[{s:{s:i,s:s},s:{s:i,s:s},s:i,s:I,s:{s:I}}]", "waiter",
				      "tid", 1002, "comm", "request-1", "owner", "tid", 1001,
				      "comm", "request-0", "waits", 16, "blocked_ns", MS(3200),
				      "owner_ns", "sleep", MS(3000)));
	for (int i = 0; i < 4; i++)
		thread_waker(w[i], sizeof(w[i]), r, 1001 + i, names[i]);
	for (int i = 0; i < 4; i++)
		for (int k = 1; k <= 2; k++)
			fx_wake(r, w[(i + k) % 4], 1001 + i, names[i], "lock", "futex",
				"0x55550000cc00", 2, 400);
	t = fx_explain(&f);
	assert_claim(t, "request-0, request-1, request-2 and 1 other waited 3.20 s");
	fx_free(&f);
}

static void critical_path_present_and_absent(void **state)
{
	struct fx f;
	struct fx_run *r;
	const char *t;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 10, .sleep = 990}, 0);
	fx_path(r,
		"[{\"tid\": 1002, \"comm\": \"worker-2\", \"state\": \"running\", \"ns\": "
		"800000000}, {\"tid\": 1000, \"comm\": \"main\", \"state\": \"sleep\", \"ns\": "
		"170000000}, {\"tid\": 1000, \"comm\": \"main\", \"state\": \"running\", \"ns\": "
		"30000000}]");
	t = fx_explain(&f);
	assert_claim(t, "The critical path");
	assert_claim(t, "was 80% worker-2 running, 17% main sleep, 3% the rest.");
	fx_free(&f);
	join_run(&f, true);
	assert_no_claim(fx_join(&f), "critical path");
	fx_free(&f);
}

enum gil_waker { BY_OTHER, BY_TIMER };

static const char *gil_run(struct fx *f, enum gil_waker w1_by, enum gil_waker w2_by)
{
	struct fx_run *r;
	char w1[160], w2[160];

	fx_init(f, "02_cpu_bound", 2);
	r = fx_variant(f, "threads-gil", 1.0, "{\"workers\": 2}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 5, .lock = 990}, 0);
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 500, .lock = 480}, 2);
	fx_thread(r, 1002, "worker-2", (struct fx_states){.running = 500, .lock = 480}, 2);
	fx_lock(r, "GIL cond", "0x7ffd00000910");
	fx_futex(r, "0x7ffd00000910", 60, 960);
	thread_waker(w1, sizeof(w1), r, 1002, "worker-2"); /* worker-1's other worker */
	thread_waker(w2, sizeof(w2), r, 1001, "worker-1");
	fx_wake(r, w1_by == BY_OTHER ? w1 : TIMER, 1001, "worker-1", "lock", "futex",
		"0x7ffd00000910", 30, 480);
	fx_wake(r, w2_by == BY_OTHER ? w2 : TIMER, 1002, "worker-2", "lock", "futex",
		"0x7ffd00000910", 30, 480);
	fx_path(r, "[{\"tid\": 1001, \"comm\": \"worker-1\", \"state\": \"running\", \"ns\": "
		   "480000000}, {\"tid\": 1002, \"comm\": \"worker-2\", \"state\": \"running\", "
		   "\"ns\": 480000000}, {\"tid\": 1000, \"comm\": \"main\", \"state\": "
		   "\"running\", \"ns\": 40000000}]");
	return fx_explain(f);
}

static void gil_present(void **state)
{
	struct fx f;

	(void)state;
	assert_claim(gil_run(&f, BY_OTHER, BY_OTHER), "threads-gil: each GIL wait was ended by "
						      "the other worker releasing it (60 of 60 "
						      "waits).");
	assert_claim(fx_join(&f), "the two workers alternate; the critical path is their "
				  "running time plus the handoffs");
	fx_free(&f);
	/* Half by the switch interval's timer: said so, still turns. */
	assert_claim(gil_run(&f, BY_OTHER, BY_TIMER), "or by the switch interval's timer (30:");
	fx_free(&f);
}

static void gil_absent(void **state)
{
	struct fx f;

	(void)state;
	assert_no_claim(gil_run(&f, BY_TIMER, BY_TIMER), "GIL wait was ended");
	assert_no_claim(fx_join(&f), "took turns");
	fx_free(&f);
}

static const char *pace_run(struct fx *f, bool by_consumer)
{
	struct fx_run *r;
	char w[160];

	fx_init(f, "04_backpressure", 2);
	r = fx_variant(f, "bounded", 1.0, "{\"capacity\": 8}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 5, .lock = 990}, 0);
	fx_thread(r, 1001, "producer", (struct fx_states){.running = 50, .lock = 900}, 100);
	fx_thread(r, 1002, "consumer", (struct fx_states){.running = 50, .sleep = 900}, 100);
	fx_lock(r, "queue not_full cond", "0x55550000c010");
	fx_futex(r, "0x55550000c010", 100, 900);
	thread_waker(w, sizeof(w), r, 1002, "consumer");
	fx_wake(r, by_consumer ? w : TIMER, 1001, "producer", "lock", "futex", "0x55550000c010",
		100, 900);
	fx_path(r, by_consumer
		       ? "[{\"tid\": 1002, \"comm\": \"consumer\", \"state\": \"sleep\", \"ns\": "
			 "900000000}, {\"tid\": 1002, \"comm\": \"consumer\", \"state\": "
			 "\"running\", \"ns\": 70000000}, {\"tid\": 1001, \"comm\": \"producer\", "
			 "\"state\": \"running\", \"ns\": 30000000}]"
		       : "[{\"tid\": 1001, \"comm\": \"producer\", \"state\": \"lock\", \"ns\": "
			 "900000000}, {\"tid\": 1002, \"comm\": \"consumer\", \"state\": "
			 "\"running\", \"ns\": 100000000}]");
	return fx_explain(f);
}

static void pace_present(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = pace_run(&f, true);
	assert_claim(t, "bounded: the producer was woken by the consumer 100 times, each time a "
			"slot freed: the consumer sets the pace.");
	assert_claim(t, "bounded: 97% of the critical path is the consumer (its 90% sleeping");
	assert_claim(t, "the producer's waits for a free slot are off the path");
	fx_free(&f);
}

/* 04 runs for a fixed time: the path is the sampler's sleep until the deadline. */
static void fixed_time_present(void **state)
{
	struct fx f;
	struct fx_run *r;
	const char *t;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	r = fx_variant(&f, "bounded", 1.0, "{\"capacity\": 8}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 5, .sleep = 990}, 0);
	fx_thread(r, 1003, "sampler", (struct fx_states){.running = 5, .sleep = 990}, 10);
	fx_path(r, "[{\"tid\": 1003, \"comm\": \"sampler\", \"state\": \"sleep\", \"ns\": "
		   "890000000}, {\"tid\": 1000, \"comm\": \"main\", \"state\": \"running\", "
		   "\"ns\": 110000000}]");
	t = fx_explain(&f);
	assert_claim(t, "bounded: the run lasts a fixed time: 89% of the critical path is a sleep "
			"until the demo's deadline");
	assert_no_claim(t, "of the critical path is the consumer");
	fx_free(&f);
	/* The consumer's path (pace_run) is not a fixed time. */
	assert_no_claim(pace_run(&f, true), "the run lasts a fixed time");
	fx_free(&f);
}

static void pace_absent(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = pace_run(&f, false);
	assert_no_claim(t, "woken by the consumer");
	assert_no_claim(t, "of the critical path is the consumer");
	fx_free(&f);
}

static const char *loop_run(struct fx *f, bool sleeps)
{
	struct fx_run *r;
	char w[160];

	fx_init(f, "03_event_loop", 2);
	r = fx_variant(f, "blocking", 1.0, "{}");
	fx_thread(r, 1000, "loop", (struct fx_states){.running = 100, .sleep = 800, .io = 50}, 10);
	fx_thread(r, 1001, "helper", (struct fx_states){.running = 100}, 0);
	thread_waker(w, sizeof(w), r, 1001, "helper");
	if (sleeps)
		fx_wake(r, TIMER, 1000, "loop", "sleep", "clock_nanosleep", NULL, 10, 800);
	else
		fx_wake(r, w, 1000, "loop", "io", "epoll_wait", NULL, 10, 800);
	return fx_explain(f);
}

static void loop_present_and_absent(void **state)
{
	struct fx f;

	(void)state;
	assert_claim(loop_run(&f, true), "blocking: the loop was woken only by its own sleep "
					 "ending (10 of 10 wakeups by the timer interrupt)");
	fx_free(&f);
	assert_no_claim(loop_run(&f, false), "woken only by its own sleep");
	fx_free(&f);
}

static const char *replies_run(struct fx *f, bool by_replies)
{
	struct fx_run *r;

	fx_init(f, "01_io_wait", 2);
	r = fx_variant(f, "threads-5", 1.0, "{\"workers\": 5}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 5, .lock = 990}, 0);
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 10, .io = 900}, 10);
	fx_wake(r, by_replies ? "{\"kind\": \"softirq\", \"softirq\": \"net_rx\"}" : TIMER, 1001,
		"worker-1", "io", "recvfrom", NULL, 10, 900);
	return fx_explain(f);
}

static void replies_present_and_absent(void **state)
{
	struct fx f;

	(void)state;
	assert_claim(replies_run(&f, true), "threads-5: the workers' 10 waits for I/O were ended "
					    "by the server's replies (10 by the loopback softirq");
	fx_free(&f);
	assert_no_claim(replies_run(&f, false), "ended by the server's replies");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(join_present),
	    cmocka_unit_test(join_of_a_process),
	    cmocka_unit_test(join_absent),
	    cmocka_unit_test(turns_present),
	    cmocka_unit_test(turns_absent),
	    cmocka_unit_test(holder_present),
	    cmocka_unit_test(holder_tenure),
	    cmocka_unit_test(holder_absent),
	    cmocka_unit_test(holder_waiters_counted_once),
	    cmocka_unit_test(critical_path_present_and_absent),
	    cmocka_unit_test(gil_present),
	    cmocka_unit_test(gil_absent),
	    cmocka_unit_test(pace_present),
	    cmocka_unit_test(pace_absent),
	    cmocka_unit_test(fixed_time_present),
	    cmocka_unit_test(loop_present_and_absent),
	    cmocka_unit_test(replies_present_and_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

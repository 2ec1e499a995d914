// SPDX-License-Identifier: GPL-2.0
/* The generic explainer of a traced command: each claim made on a run that
 * shows it, left out on one that does not. */
#include "explain_fixture.h"

struct cmd_shape {
	double io_ms, running_ms, runnable_ms, lock_ms;
	double read_ms;	 /* time in read() */
	double futex_ms; /* time waiting on one futex word */
};

static const struct cmd_shape CMD = {800, 150, 10, 40, 800, 40};

static const char *explain(struct fx *f, struct cmd_shape s)
{
	struct fx_run *r;
	json_t *t;

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	t = fx_thread(r, 1000, "my-program",
		      (struct fx_states){.running = s.running_ms,
					 .runnable = s.runnable_ms,
					 .io = s.io_ms,
					 .lock = s.lock_ms},
		      0);
	fx_syscall(t, "read", 120, s.read_ms);
	fx_syscall(t, "brk", 3, 0.01);
	t = fx_thread(
	    r, 1001, "helper",
	    (struct fx_states){.running = 10, .lock = s.futex_ms, .sleep = 950 - s.futex_ms}, 0);
	fx_syscall(t, "futex", 4, s.futex_ms);
	fx_futex(r, "0x55550000aa10", 4, s.futex_ms);
	/* A launcher's helper process: 1 ms of life, under 1% of the whole. */
	fx_thread_ex(r, 2000, 2000, "sh", (struct fx_states){.running = 0.5, .io = 0.5}, 0, false);
	return fx_explain(f);
}

static void dominant_state_per_process(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = explain(&f, CMD);
	assert_claim(t, "Process 1000 (my-program, 2 threads)");
	assert_claim(t, "io 41%");
	assert_claim(t, "sleep 46%");
	assert_no_claim(t, "runnable 0%");  /* under 10%: not dominant, not listed */
	assert_no_claim(t, "Process 2000"); /* under 1% of all threads' lifetime */
	fx_free(&f);
}

/* A syscall's p99 from power-of-two buckets: one call is its own time (no
 * percentile), and no p99 is longer than all the calls together. */
static void syscall_p99_within_its_calls(void **state)
{
	struct fx_run *r;
	struct fx f;
	json_t *t, *sc;
	const char *text;
	size_t i;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	t = fx_thread(r, 1000, "my-program", (struct fx_states){.running = 100, .io = 900}, 0);
	fx_syscall(t, "read", 1, 444.6);
	fx_syscall(t, "pread64", 2, 300);
	json_array_foreach(json_object_get(t, "syscalls"), i, sc)
	{
		/* both calls' time in one bucket up to 2^29 ns (536.9 ms) */
		json_object_set_new(sc, "hist",
				    json_pack("[{s:I,s:I,s:I}]", "lo_ns", (json_int_t)268435456,
					      "hi_ns", (json_int_t)536870912, "count",
					      json_integer_value(json_object_get(sc, "count"))));
	}
	text = fx_explain(&f);
	assert_claim(text, "read 444.6 ms in 1 call,");
	assert_no_claim(text, "in 1 calls");
	assert_claim(text, "pread64 300.0 ms in 2 calls (p99 300.0 ms)");
	fx_free(&f);
}

/* The verdict's "of the N it could use" says what bounds N: one working
 * thread on 2 CPUs is 1, one CPU at a time; threads enough, the CPUs. */
static void verdict_says_what_bounds_it(void **state)
{
	struct fx_run *r;
	struct fx f;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "my-program", (struct fx_states){.running = 500, .sleep = 500}, 0);
	fx_explain(&f);
	assert_claim(fx_verdict(&f), "busy of the 1 it could use (its one working thread, one "
				     "CPU at a time).");
	fx_free(&f);
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	for (int k = 0; k < 4; k++)
		fx_thread(r, 1000 + k, "my-program",
			  (struct fx_states){.running = 500, .sleep = 500}, 0);
	fx_explain(&f);
	assert_claim(fx_verdict(&f), "busy of the 2 it could use (the CPUs it was given).");
	fx_free(&f);
}

static void top_blocking_syscalls(void **state)
{
	struct cmd_shape s = CMD;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "The syscalls that took the most time: read 800.0 ms in 120 "
				     "calls");
	assert_no_claim(f.text, "brk"); /* 10 µs: under 1% of the threads' lifetime */
	fx_free(&f);
	s.read_ms = 5;
	s.futex_ms = 5;
	assert_no_claim(explain(&f, s), "The syscalls that took the most time");
	fx_free(&f);
}

static void top_futexes(void **state)
{
	struct cmd_shape s = CMD;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s),
		     "Threads blocked longest on the lock at 0x55550000aa10 in process 1000: "
		     "4 waits, 40.0 ms in all, mean 10.0 ms");
	fx_free(&f);
	s.futex_ms = 1;
	assert_no_claim(explain(&f, s), "Threads blocked longest");
	fx_free(&f);
}

static void cpus_short_or_not(void **state)
{
	struct cmd_shape s = CMD;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "The CPUs were not short");
	assert_no_claim(f.text, "The CPUs were short");
	fx_free(&f);
	s.runnable_ms = 120; /* 120 of 280 ms of CPU demand waiting in a run queue */
	s.io_ms = 690;
	assert_claim(explain(&f, s), "The CPUs were short");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(dominant_state_per_process),
	    cmocka_unit_test(top_blocking_syscalls),
	    cmocka_unit_test(verdict_says_what_bounds_it),
	    cmocka_unit_test(syscall_p99_within_its_calls),
	    cmocka_unit_test(top_futexes),
	    cmocka_unit_test(cpus_short_or_not),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

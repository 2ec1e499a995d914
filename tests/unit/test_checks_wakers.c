// SPDX-License-Identifier: GPL-2.0
/* The ender cross-check (reports/derive/checks_wakers.c): each wait's ender
 * one that can end it, from sched.json wakes[] content. A wrong ender makes
 * the row fail and names the edge; a right one passes. */
#include "explain_fixture.h"
#include "checks.h"

/* The GIL mutex word of the fixture's process. */
#define WORD "0x7ffc00000100"

static const char *IDLE = "{\"kind\": \"idle\"}";
static const char *TIMER = "{\"kind\": \"hardirq\", \"irq\": \"timer\"}";
static const char *DEVICE = "{\"kind\": \"hardirq\", \"irq\": \"device\"}";
static const char *BLOCK = "{\"kind\": \"softirq\", \"softirq\": \"block\"}";
static const char *NET_RX = "{\"kind\": \"softirq\", \"softirq\": \"net_rx\"}";
static const char *KWORKER =
    "{\"kind\": \"kthread\", \"tid\": 77, \"pid\": 77, \"comm\": \"kworker/u8:4\"}";
static const char *OTHER =
    "{\"kind\": \"process\", \"tid\": 900, \"pid\": 900, \"comm\": \"bash\"}";
/* worker-2 of the fixture's process (pid 1000) */
static const char *PEER =
    "{\"kind\": \"thread\", \"tid\": 1002, \"pid\": 1000, \"comm\": \"worker-2\"}";

/* How a futex wait was asked for: NULL @op for a sched.json that does not say. */
struct fw {
	const char *op;
	bool timeout, private;
};

/* A wakes[] entry ending @count waits of worker-1, with how a
 * futex wait was asked for. */
static json_t *wake(struct fx_run *r, const char *waker, const char *state, const char *syscall,
		    const char *futex, struct fw how, json_int_t count)
{
	json_t *e = fx_wake(r, waker, 1001, "worker-1", state, syscall, futex, count, 1);
	json_t *wait = json_object_get(e, "wait");

	if (futex && how.op) {
		json_object_set_new(wait, "futex_op", json_string(how.op));
		json_object_set_new(wait, "futex_timeout", json_boolean(how.timeout));
		json_object_set_new(wait, "futex_private", json_boolean(how.private));
	}
	return e;
}

static struct fx_run *gil_run(struct fx *f)
{
	struct fx_run *r;

	fx_init(f, "02_cpu_bound", 2);
	r = fx_variant(f, "threads-gil", 1.0, "{\"tasks\": 4}");
	fx_thread(r, 1001, "worker-1", (struct fx_states){.running = 500, .lock = 400}, 2);
	fx_thread(r, 1002, "worker-2", (struct fx_states){.running = 500, .lock = 400}, 2);
	return r;
}

/* Load the folder, run the row; the row must be there. */
static const struct check *judge(struct fx *f, struct check *c)
{
	fx_explain(f);
	assert_true(check_wakers(&f->rs.runs[0], c));
	return c;
}

static const struct fw MUTEX = {"FUTEX_WAIT", false, true};
static const struct fw TIMED_COND = {"FUTEX_WAIT_BITSET", true, true};
static const struct fw SHARED = {"FUTEX_WAIT", false, false};

/* The phenomenon of issue 16: a GIL mutex wait credited to the idle CPU. */
static void untimed_futex_by_idle_fails(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	fx_lock(r, "GIL mutex", WORD);
	wake(r, PEER, "lock", "futex", WORD, MUTEX, 90);
	wake(r, IDLE, "lock", "futex", WORD, MUTEX, 10);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	assert_claim(c.figures, "untimed futex waits by a thread: 90/100");
	assert_claim(c.figures, "10 failed: worker-1 lock in futex on GIL mutex (" WORD
				") ended by the idle CPU x10");
	fx_free(&f);
}

static void untimed_futex_by_thread_passes(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, PEER, "lock", "futex", WORD, MUTEX, 100);
	/* A timed wait (the GIL cond) may end by its timeout: not judged. */
	wake(r, TIMER, "lock", "futex", "0x7ffc00000130", TIMED_COND, 40);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "untimed futex waits by a thread: 100/100");
	assert_null(strstr(c.figures, "failed"));
	fx_free(&f);
}

/* A private word: only the waiter's own process; a shared one: any task. */
static void private_and_shared_words(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, OTHER, "lock", "futex", WORD, MUTEX, 1);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	assert_claim(c.figures, "ended by bash (process 900) x1");
	fx_free(&f);
	r = gil_run(&f);
	wake(r, OTHER, "lock", "futex", WORD, SHARED, 1);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	fx_free(&f);
}

/* A sleep: only a timer (hard irq, or the timer or hrtimer softirq). */
static void sleeps(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, TIMER, "sleep", "clock_nanosleep", NULL, (struct fw){0}, 5);
	wake(r, "{\"kind\": \"softirq\", \"softirq\": \"hrtimer\"}", "sleep", "nanosleep", NULL,
	     (struct fw){0}, 1);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "sleeps by a timer: 6/6");
	fx_free(&f);
	r = gil_run(&f);
	wake(r, PEER, "sleep", "clock_nanosleep", NULL, (struct fw){0}, 2);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	assert_claim(c.figures, "sleeps by a timer: 0/2");
	assert_claim(c.figures, "ended by worker-2 x2");
	fx_free(&f);
}

/* A disk wait: the block layer (as measured here: block softirq, kworker),
 * a device interrupt, or a task; never the idle task or a timer. */
static void disk_waits(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, BLOCK, "disk", "sync", NULL, (struct fw){0}, 4);
	wake(r, KWORKER, "disk", "sync", NULL, (struct fw){0}, 3);
	wake(r, DEVICE, "disk", NULL, NULL, (struct fw){0}, 1);
	wake(r, PEER, "disk", "vfork", NULL, (struct fw){0}, 1);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "disk waits by the block layer or a task: 9/9");
	fx_free(&f);
	r = gil_run(&f);
	wake(r, BLOCK, "disk", "sync", NULL, (struct fw){0}, 4);
	wake(r, IDLE, "disk", NULL, NULL, (struct fw){0}, 1);
	wake(r, TIMER, "disk", NULL, NULL, (struct fw){0}, 2);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	assert_claim(c.figures, "disk waits by the block layer or a task: 4/7; 3 failed");
	fx_free(&f);
}

/* A read: the writer, a softirq bringing the data, a device or a kernel
 * thread; never a timer, never the idle task. Other io waits (poll with
 * a timeout) are not judged. */
static void reads(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, PEER, "io", "read", NULL, (struct fw){0}, 10);
	wake(r, NET_RX, "io", "recvfrom", NULL, (struct fw){0}, 10);
	wake(r, KWORKER, "io", "read", NULL, (struct fw){0}, 2);
	wake(r, TIMER, "io", "epoll_wait", NULL, (struct fw){0}, 7);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "reads by a task, a softirq, a device or a kernel thread: 22/22");
	fx_free(&f);
	r = gil_run(&f);
	wake(r, TIMER, "io", "read", NULL, (struct fw){0}, 1);
	wake(r, IDLE, "io", "recvmsg", NULL, (struct fw){0}, 1);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	assert_claim(c.figures, "0/2; 2 failed");
	fx_free(&f);
}

/* A signal's delivery ends any interruptible wait: a sleep ended by a
 * kill from another process is not judged, and the row says how many. */
static void signals_not_judged(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, TIMER, "sleep", "clock_nanosleep", NULL, (struct fw){0}, 2);
	json_object_set_new(wake(r, OTHER, "sleep", "clock_nanosleep", NULL, (struct fw){0}, 1),
			    "signal", json_true());
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "sleeps by a timer: 2/2");
	assert_claim(c.figures, "1 waits ended by a signal's delivery, not judged");
	fx_free(&f);
	/* The same ender without the signal is wrong. */
	r = gil_run(&f);
	wake(r, OTHER, "sleep", "clock_nanosleep", NULL, (struct fw){0}, 1);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	fx_free(&f);
}

/* A sched_waking the kernel skipped (a program miss) names no waker: as
 * many wrong enders as program misses are explained, one more is not. */
static void program_misses_explain(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, PEER, "lock", "futex", WORD, MUTEX, 99);
	wake(r, IDLE, "lock", "futex", WORD, MUTEX, 2);
	json_object_set_new(json_object_get(r->sched, "lost"), "prog_misses", json_integer(2));
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "2 failed");
	assert_claim(c.figures, "no more than the 2 program misses");
	fx_free(&f);
	r = gil_run(&f);
	wake(r, IDLE, "lock", "futex", WORD, MUTEX, 3);
	json_object_set_new(json_object_get(r->sched, "lost"), "prog_misses", json_integer(2));
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	fx_free(&f);
}

/* A waker hidden by a switch the kernel did not report is "unknown": not
 * judged, no more than one per missed switch-in; more fail. */
static void unseen_wakers_under_missed_switch_ins(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, PEER, "lock", "futex", WORD, MUTEX, 99);
	wake(r, "{\"kind\": \"unknown\"}", "lock", "futex", WORD, MUTEX, 1);
	json_object_set_new(json_object_get(r->sched, "lost"), "switch_in_missed", json_integer(1));
	judge(&f, &c);
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "1 waits whose waker went unseen");
	fx_free(&f);
	r = gil_run(&f);
	wake(r, "{\"kind\": \"unknown\"}", "lock", "futex", WORD, MUTEX, 2);
	json_object_set_new(json_object_get(r->sched, "lost"), "switch_in_missed", json_integer(1));
	judge(&f, &c);
	assert_int_equal(c.verdict, V_FAIL);
	fx_free(&f);
}

/* An older sched.json does not say whether a futex wait had a timeout: its
 * futex waits are not judged, and the row says so; no wakes, no row. */
static void unknown_and_absent(void **state)
{
	struct check c = {0};
	struct fx f;
	struct fx_run *r = gil_run(&f);

	(void)state;
	wake(r, IDLE, "lock", "futex", WORD, (struct fw){0}, 3);
	judge(&f, &c);
	assert_int_equal(c.verdict, V_NA);
	assert_claim(c.figures, "3 futex waits not checked");
	fx_free(&f);
	gil_run(&f);
	fx_explain(&f);
	assert_false(check_wakers(&f.rs.runs[0], &c));
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(untimed_futex_by_idle_fails),
	    cmocka_unit_test(untimed_futex_by_thread_passes),
	    cmocka_unit_test(private_and_shared_words),
	    cmocka_unit_test(sleeps),
	    cmocka_unit_test(disk_waits),
	    cmocka_unit_test(reads),
	    cmocka_unit_test(signals_not_judged),
	    cmocka_unit_test(program_misses_explain),
	    cmocka_unit_test(unseen_wakers_under_missed_switch_ins),
	    cmocka_unit_test(unknown_and_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

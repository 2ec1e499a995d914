// SPDX-License-Identifier: GPL-2.0
/* Roles from behaviour (reports/derive/thread_roles.h) and the program's
 * shape in words (reports/explain/explain_shape.c): a pool and its feeder,
 * an event loop, each claimed when the waits show it and not otherwise. */
#include "explain_fixture.h"

#include "sched_wakes.h"
#include "thread_labels.h"
#include "thread_roles.h"

static const struct fx_states BUSY = {.running = 100, .lock = 100};

static void thread_waker_of(char *w, size_t len, const struct fx_run *r, int tid)
{
	snprintf(w, len, "{\"kind\": \"thread\", \"tid\": %d, \"pid\": %d, \"comm\": \"xz\"}", tid,
		 (int)fx_pid(r));
}

/* xz: main (1000) and two helpers; @fed: main ended the helpers' waits
 * (three each), else each helper waited once, woken by a timer. */
static const struct run *pool_run(struct fx *f, bool fed)
{
	struct fx_run *r;
	char w[200];

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "xz", BUSY, 0);
	fx_thread(r, 1001, "xz", BUSY, 0);
	fx_thread(r, 1002, "xz", BUSY, 0);
	thread_waker_of(w, sizeof(w), r, 1000);
	fx_wake(r, fed ? w : "{\"kind\": \"hardirq\", \"irq\": \"timer\"}", 1001, "xz", "lock",
		"futex", "0x5555000000a0", fed ? 3 : 1, 50);
	fx_wake(r, fed ? w : "{\"kind\": \"hardirq\", \"irq\": \"timer\"}", 1002, "xz", "lock",
		"futex", "0x5555000000b0", fed ? 3 : 1, 50);
	thread_waker_of(w, sizeof(w), r, 1001);
	fx_wake(r, w, 1000, "xz", "lock", "futex", "0x5555000000c0", 2, 20);
	fx_explain(f);
	return &f->rs.runs[0];
}

static void pool_fed_by_main(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = pool_run(&f, true);
	assert_string_equal(thread_label(r, 1000), "xz main");
	assert_string_equal(thread_label(r, 1001), "xz worker 1 (tid 1001)");
	assert_string_equal(thread_label(r, 1002), "xz worker 2 (tid 1002)");
	/* how the role was found names the feeder by its label too */
	assert_string_equal(sched_find_tid(&r->sched, 1001)->role_why,
			    "one of 2 threads of process 1000 whose futex waits xz main mostly "
			    "ended (6 of the pool's 6)");
	assert_claim(f.text, "Shape: a pool of 2 threads (xz worker 1 (tid 1001), xz worker 2 "
			     "(tid 1002)) fed by xz main: it ended 6 of their 6");
	assert_claim(f.text, "xz main collected from the pool: 2 of its waits");
	fx_free(&f);
}

static void no_pool_on_thin_evidence(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = pool_run(&f, false);
	assert_string_equal(thread_label(r, 1001), "xz (tid 1001)");
	assert_string_equal(thread_label(r, 1002), "xz (tid 1002)");
	assert_no_claim(f.text, "Shape: a pool");
	fx_free(&f);
}

/* A thread blocked in epoll_wait, woken by a timer (@loop), or in read. */
static const struct run *loop_run(struct fx *f, bool loop)
{
	struct fx_run *r;

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "node", (struct fx_states){.running = 700, .io = 300}, 0);
	fx_wake(r, "{\"kind\": \"hardirq\", \"irq\": \"timer\"}", 1000, "node", "io",
		loop ? "epoll_wait" : "read", NULL, 40, 300);
	fx_explain(f);
	return &f->rs.runs[0];
}

static void event_loop_present_and_absent(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = loop_run(&f, true);
	assert_string_equal(r->sched.threads[0].role, "event loop");
	assert_claim(f.text, "Shape: node is an event loop: 40 of its 40 waits were in epoll_wait "
			     "(100% of its waiting time), 40 ended by a timer, 0 by the network "
			     "or a device");
	assert_claim(f.text, "The loop was kept from its events: node ran 700.0 ms");
	fx_free(&f);
	r = loop_run(&f, false);
	assert_string_equal(r->sched.threads[0].role, "main");
	assert_no_claim(f.text, "event loop");
	fx_free(&f);
}

/* A pool no one thread fed: the sentence names the word they share whole,
 * however long its name (it was cut at 128 bytes, its parenthesis left
 * open: "(at 0x... in process 1: 95 waits;"). */
static void unfed_pool_names_its_word_whole(void **state)
{
	static const char *const timer = "{\"kind\": \"hardirq\", \"irq\": \"timer\"}";
	struct fx_run *r;
	struct fx f;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "pool-server", BUSY, 0);
	for (int t = 1001; t <= 1003; t++) {
		fx_thread(r, t, "pool-server", BUSY, 0);
		fx_wake(r, timer, t, "pool-server", "lock", "futex", "0x5555000000a0", 3, 50);
	}
	fx_futex(r, "0x5555000000a0", 9, 150);
	fx_explain(&f);
	assert_claim(f.text, "waiting on one futex word, the word pool-server worker 1 (tid 1001), "
			     "pool-server worker 2 (tid 1002) and pool-server worker 3 (tid 1003) "
			     "wait on (at 0x5555000000a0 in process 1000): 9 waits; the pool ran");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pool_fed_by_main),
	    cmocka_unit_test(no_pool_on_thin_evidence),
	    cmocka_unit_test(event_loop_present_and_absent),
	    cmocka_unit_test(unfed_pool_names_its_word_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* Every thread of a run labelled apart (reports/derive/thread_labels.h):
 * a unique name kept, the command's first thread "main", other processes by
 * pid, other threads by tid; no two threads share a label. */
#include "explain_fixture.h"

#include "sched_wakes.h"
#include "thread_labels.h"

static const struct fx_states BUSY = {.running = 100};

/* xz's main thread and two helpers of the same name, two shell processes of
 * the same name, one thread with a name of its own. */
static const struct run *shared_names(struct fx *f)
{
	struct fx_run *r;
	char w[200];

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	fx_thread(r, 1000, "xz", BUSY, 0);
	fx_thread(r, 1002, "xz", BUSY, 0);
	fx_thread(r, 1001, "xz", BUSY, 0);
	fx_thread_ex(r, 2000, 2000, "sh", BUSY, 0, false);
	fx_thread_ex(r, 2001, 2001, "sh", BUSY, 0, false);
	fx_thread(r, 1003, "make", BUSY, 0);
	snprintf(w, sizeof(w),
		 "{\"kind\": \"thread\", \"tid\": 1001, \"pid\": %d, \"comm\": \"xz\"}",
		 (int)fx_pid(r));
	fx_wake(r, w, 1000, "xz", "lock", "futex", "0x55550000aa10", 3, 50);
	fx_explain(f);
	return &f->rs.runs[0];
}

static void labels_told_apart(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = shared_names(&f);
	assert_string_equal(thread_label(r, 1000), "xz main");
	assert_string_equal(thread_label(r, 1001), "xz (tid 1001)");
	assert_string_equal(thread_label(r, 1002), "xz (tid 1002)");
	assert_string_equal(thread_label(r, 2000), "sh (process 2000)");
	assert_string_equal(thread_label(r, 2001), "sh (process 2001)");
	assert_string_equal(thread_label(r, 1003), "make");
	assert_null(thread_label(r, 4242));
	assert_string_equal(thread_label_or(r, 4242, "bash"), "bash");
	for (size_t i = 0; i < r->sched.nthreads; i++)
		for (size_t j = i + 1; j < r->sched.nthreads; j++)
			assert_string_not_equal(r->sched.threads[i].label,
						r->sched.threads[j].label);
	fx_free(&f);
}

static void wake_edges_carry_labels(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = shared_names(&f);
	assert_int_equal(r->sched.nwakes, 1);
	assert_string_equal(r->sched.wakes[0].waker_label, "xz (tid 1001)");
	assert_string_equal(r->sched.wakes[0].wakee_label, "xz main");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(labels_told_apart),
	    cmocka_unit_test(wake_edges_carry_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

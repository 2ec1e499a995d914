// SPDX-License-Identifier: GPL-2.0
/* The host explainer: time a hypervisor took from running threads is named
 * when it is a visible share of their running time, and only then. */
#include "explain_fixture.h"

/* Two workers running @run_ms each, of which the task clock counted @task_ms
 * (a negative @task_ms: no clock block). */
static const char *explain_with_clock(struct fx *f, double run_ms, double task_ms)
{
	struct fx_run *r;
	int i;

	fx_init(f, "02_cpu_bound", 2);
	r = fx_variant(f, "threads-nogil", 1.0, "{\"workers\": 2}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 1, .lock = 999}, 0);
	for (i = 1; i <= 2; i++) {
		json_t *t = fx_thread(r, 1000 + i, "worker-1",
				      (struct fx_states){.running = run_ms, .runnable = 10}, 4);

		if (task_ms >= 0)
			json_object_set_new(t, "clock",
					    json_pack("{s:i,s:I,s:I}", "slices", 100,
						      "bpf_running_ns", (json_int_t)MS(run_ms),
						      "sched_running_ns", (json_int_t)MS(task_ms)));
	}
	return fx_explain(f);
}

static void stolen_share_is_named(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = explain_with_clock(&f, 900, 600);
	assert_claim(t, "The host took 600.0 ms of the 1.80 s these threads spent on a CPU (33%");
	assert_claim(t, "most in threads-nogil, 33%");
	/* and CPU time leaves it out: 2 x 600 ms over 1 s of wall */
	assert_true(f.rs.variants[0].m[M_STOLEN_S].med > 0.599 &&
		    f.rs.variants[0].m[M_STOLEN_S].med < 0.601);
	assert_true(f.rs.variants[0].m[M_PARALLELISM].med > 1.20 &&
		    f.rs.variants[0].m[M_PARALLELISM].med < 1.21);
	fx_free(&f);
}

static void small_or_unmeasured_stolen_is_not_named(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	t = explain_with_clock(&f, 900, 880); /* 2%: under the threshold */
	assert_no_claim(t, "The host took");
	fx_free(&f);
	t = explain_with_clock(&f, 900, 905); /* task clock ahead: woken slices, nothing taken */
	assert_no_claim(t, "The host took");
	fx_free(&f);
	t = explain_with_clock(&f, 30, 20); /* 33%, but 20 ms in all: too little to matter */
	assert_no_claim(t, "The host took");
	fx_free(&f);
	t = explain_with_clock(&f, 900, -1); /* no clock block: nothing known */
	assert_no_claim(t, "The host took");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(stolen_share_is_named),
	    cmocka_unit_test(small_or_unmeasured_stolen_is_not_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The page-fault cross-check: the collector's count at a thread's end against
 * the thread's own getrusage just before it (reports/checks_faults.c). */
#include "explain_fixture.h"
#include "checks.h"

/* One run whose thread cow-write read @demo_faults itself and the collector
 * read @kernel_faults (-1: the file does not have that count). */
static bool faults_check_tid(struct fx *f, int tid, long demo_faults, long kernel_faults,
			     struct check *c)
{
	struct fx_run *r;
	json_t *t, *d;

	fx_init(f, "07_costs", 2);
	r = fx_variant(f, "cow", 1.0, "{\"cow_mib\": 16}");
	t = fx_thread(r, tid, "cow-write", (struct fx_states){.running = 50}, 1);
	d = json_array_get(json_object_get(r->demo, "threads"), 0);
	if (demo_faults >= 0) {
		json_t *ru = json_object_get(d, "rusage");

		json_object_set_new(ru, "minflt", json_integer(demo_faults));
		json_object_set_new(ru, "majflt", json_integer(0));
	}
	if (kernel_faults >= 0) {
		json_object_set_new(t, "minflt", json_integer(kernel_faults));
		json_object_set_new(t, "majflt", json_integer(0));
	}
	fx_explain(f);
	return check_faults(&f->rs.runs[0], c);
}

/* A worker thread (tid 1001 of process 1000). */
static bool faults_check(struct fx *f, long demo_faults, long kernel_faults, struct check *c)
{
	return faults_check_tid(f, 1001, demo_faults, kernel_faults, c);
}

static void faults_agree(void **state)
{
	struct check c = {0};
	struct fx f;

	(void)state;
	assert_true(faults_check(&f, 4136, 4137, &c));
	assert_int_equal(c.verdict, V_PASS);
	assert_claim(c.figures, "1/1 threads");
	assert_claim(c.figures, "cow-write: 4137 vs 4136");
	fx_free(&f);
}

static void faults_disagree(void **state)
{
	struct check c = {0};
	struct fx f;

	(void)state;
	assert_true(faults_check(&f, 4136, 4000, &c)); /* fewer than the thread counted */
	assert_int_equal(c.verdict, V_FAIL);
	fx_free(&f);
	assert_true(faults_check(&f, 4136, 4136 + FAULTS_AFTER_END + 1, &c));
	assert_int_equal(c.verdict, V_FAIL);
	fx_free(&f);
	/* The main thread writes the result after its record: more is fine, */
	assert_true(faults_check_tid(&f, 1000, 260, 352, &c));
	assert_int_equal(c.verdict, V_PASS);
	fx_free(&f);
	/* fewer never. */
	assert_true(faults_check_tid(&f, 1000, 260, 200, &c));
	assert_int_equal(c.verdict, V_FAIL);
	fx_free(&f);
}

static void faults_absent(void **state)
{
	struct check c = {0};
	struct fx f;

	(void)state;
	assert_false(faults_check(&f, 4136, -1, &c)); /* a collector without the counts */
	fx_free(&f);
	assert_false(faults_check(&f, -1, 4137, &c)); /* a demo without them */
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(faults_agree),
	    cmocka_unit_test(faults_disagree),
	    cmocka_unit_test(faults_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

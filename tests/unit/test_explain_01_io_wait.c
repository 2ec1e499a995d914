// SPDX-License-Identifier: GPL-2.0
/* 01_io_wait's explainer: each claim made on a run that shows it, left out
 * on one that does not. */
#include "explain_fixture.h"

#define PARAMS_SERIAL "{\"tasks\": 10, \"wait_s\": 0.05, \"workers\": 0, \"io\": \"socket\"}"
#define PARAMS_POOL "{\"tasks\": 10, \"wait_s\": 0.05, \"workers\": 5, \"io\": \"socket\"}"

/* serial: main does the 10 tasks, blocked @io_ms and running @cpu_ms. */
static void add_serial(struct fx *f, double wall, double io_ms, double cpu_ms)
{
	struct fx_run *r = fx_variant(f, "serial", wall, PARAMS_SERIAL);

	fx_thread(r, 1000, "main", (struct fx_states){.running = cpu_ms, .io = io_ms}, 10);
}

/* threads-5: five workers, each blocked @io_ms; main only waits for them. */
static void add_pool(struct fx *f, double wall, double io_ms)
{
	struct fx_run *r = fx_variant(f, "threads-5", wall, PARAMS_POOL);
	char name[16];
	int w;

	fx_thread(r, 1100, "main", (struct fx_states){.running = 1, .lock = wall * 1e3}, 0);
	for (w = 1; w <= 5; w++) {
		snprintf(name, sizeof(name), "worker-%d", w);
		fx_thread(r, 1100 + w, name, (struct fx_states){.running = 0.5, .io = io_ms}, 2);
	}
}

static void serial_waits_not_computes(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	assert_claim(fx_explain(&f), "it was waiting, not working");
	fx_free(&f);

	/* A serial run that computed for most of its wall: no such claim. */
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 100, 400);
	assert_no_claim(fx_explain(&f), "it was waiting, not working");
	fx_free(&f);
}

static void pool_overlaps_waits(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_pool(&f, 0.102, 100); /* 5 × 100 ms of waiting in 102 ms: factor 4.9 */
	assert_claim(fx_explain(&f), "on average 5 requests were waiting");
	fx_free(&f);

	fx_init(&f, "01_io_wait", 2);
	add_pool(&f, 0.5, 20); /* 100 ms of waiting in 500 ms: no overlap */
	assert_no_claim(fx_explain(&f), "requests were waiting for an answer at the same time");
	fx_free(&f);
}

static void pool_reaches_limit(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_pool(&f, 0.102, 100); /* limit ceil(10/5) × 0.05 = 0.1 s */
	t = fx_explain(&f);
	assert_claim(t, "took 0.102 s, 2% more than the 0.100 s the waits alone need");
	fx_free(&f);

	fx_init(&f, "01_io_wait", 2);
	add_pool(&f, 0.3, 100);
	t = fx_explain(&f);
	assert_no_claim(t, "% more than the");
	assert_claim(t, "3.0× the 0.100 s the waits alone need");
	fx_free(&f);
}

static void threads_beat_serial_by_overlapping(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.102, 100);
	assert_claim(fx_explain(&f), "threads-5 finished 5.0× sooner than serial");
	fx_free(&f);

	/* Barely faster than serial: no claim. */
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.45, 100);
	assert_no_claim(fx_explain(&f), "sooner than serial");
	fx_free(&f);
}

/* The verdict: concurrency, not parallelism, when the pool beat serial; a
 * plain doubt when it did not. */
static void verdict_or_doubt(void **state)
{
	struct fx f;
	const char *v;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.102, 100);
	fx_explain(&f);
	v = fx_verdict(&f);
	assert_claim(v, "\nserial: 0.51 s for 10 requests of 0.05 s each, one after the other");
	assert_claim(v, "\nthreads-5: 5.0× sooner than serial (0.10 s)");
	assert_claim(v, "Concurrency, not parallelism.");
	assert_no_claim(v, "does not show the lesson");
	fx_free(&f);

	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.5, 100);
	fx_explain(&f);
	v = fx_verdict(&f);
	assert_claim(v, "This run does not show the lesson: threads-5 was only 1.0× faster");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(serial_waits_not_computes),
	    cmocka_unit_test(pool_overlaps_waits),
	    cmocka_unit_test(pool_reaches_limit),
	    cmocka_unit_test(threads_beat_serial_by_overlapping),
	    cmocka_unit_test(verdict_or_doubt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

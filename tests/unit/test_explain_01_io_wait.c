// SPDX-License-Identifier: GPL-2.0
/* 01_io_wait's explainer: each claim made on a run that shows it, left out
 * on one that does not. */
#include "explain_fixture.h"
#include "demo_module.h"

#include <ctype.h>

#define PARAMS_SERIAL "{\"tasks\": 10, \"wait_s\": 0.05, \"workers\": 0, \"io\": \"socket\"}"
#define PARAMS_POOL "{\"tasks\": 10, \"wait_s\": 0.05, \"workers\": 5, \"io\": \"socket\"}"

/* serial (or @name): main does the 10 tasks, blocked @io_ms and running @cpu_ms. */
static void add_serial_as(struct fx *f, const char *name, double wall, double io_ms, double cpu_ms)
{
	struct fx_run *r = fx_variant(f, name, wall, PARAMS_SERIAL);

	fx_thread(r, 1000, "main", (struct fx_states){.running = cpu_ms, .io = io_ms}, 10);
}

static void add_serial(struct fx *f, double wall, double io_ms, double cpu_ms)
{
	add_serial_as(f, "serial", wall, io_ms, cpu_ms);
}

/* threads-5 (or @variant): five workers, each blocked @io_ms; main only waits for them. */
static void add_pool_as(struct fx *f, const char *variant, double wall, double io_ms)
{
	struct fx_run *r = fx_variant(f, variant, wall, PARAMS_POOL);
	char name[16];
	int w;

	fx_thread(r, 1100, "main", (struct fx_states){.running = 1, .lock = wall * 1e3}, 0);
	for (w = 1; w <= 5; w++) {
		snprintf(name, sizeof(name), "worker-%d", w);
		fx_thread(r, 1100 + w, name, (struct fx_states){.running = 0.5, .io = io_ms}, 2);
	}
}

static void add_pool(struct fx *f, double wall, double io_ms)
{
	add_pool_as(f, "threads-5", wall, io_ms);
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
	/* one decimal: 3.5 said "4" (issue 18's reading of 01) */
	assert_claim(fx_explain(&f), "on average 4.9 requests were waiting");
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
	/* a few ms of CPU in 2 s: never "0.00 CPUs busy" (issue 18's reading) */
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 10.0, 9990, 3);
	add_pool(&f, 2.0, 1990);
	assert_claim(fx_explain(&f), "with 0.002 CPUs busy on average");
	fx_free(&f);
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

/* CPython's variants are measured against CPython's serial run (py-serial),
 * with the same sentences as the C model's; never against the C serial. */
static void py_variants_against_py_serial(void **state)
{
	struct fx f;
	const char *t, *v;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.102, 100);
	add_serial_as(&f, "py-serial", 0.51, 500, 3);
	add_pool_as(&f, "py-threads-5", 0.102, 100);
	t = fx_explain(&f);
	assert_claim(t, "threads-5 finished 5.0× sooner than serial");
	assert_claim(t, "py-threads-5 finished 5.0× sooner than py-serial");
	assert_claim(t, "py-serial: the thread that made the requests spent");
	v = fx_verdict(&f);
	assert_claim(v, "\npy-threads-5: 5.0× sooner than py-serial (0.10 s)");
	assert_no_claim(v, "py-threads-5: 5.0× sooner than serial");
	fx_free(&f);

	/* No py-serial ran: no speedup for py-threads-5, not even over C's serial. */
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool_as(&f, "py-threads-5", 0.102, 100);
	t = fx_explain(&f);
	assert_no_claim(t, "py-threads-5 finished");
	assert_no_claim(fx_verdict(&f), "sooner than");
	fx_free(&f);
}

/* The Why in groups: the C model's lesson first, CPython's variants and the
 * causes folded apart, every sentence kept; without py-* variants nothing
 * goes to CPython's group. */
static void why_groups_lesson_first(void **state)
{
	struct fx f;
	struct why w;
	size_t all = 0;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.102, 100);
	add_serial_as(&f, "py-serial", 0.51, 500, 3);
	add_pool_as(&f, "py-threads-5", 0.102, 100);
	fx_explain(&f);
	explain_why(&f.rs, &w);
	assert_true(w.g[WHY_LESSON].n >= 3);
	for (size_t i = 0; i < w.g[WHY_LESSON].n; i++)
		assert_null(strstr(w.g[WHY_LESSON].s[i], "py-"));
	assert_true(w.g[WHY_PYTHON].n >= 2);
	for (size_t i = 0; i < w.g[WHY_PYTHON].n; i++)
		assert_non_null(strstr(w.g[WHY_PYTHON].s[i], "py-"));
	for (int k = 0; k < WHY_GROUPS; k++)
		all += w.g[k].n;
	assert_int_equal(all, f.why.n); /* folded, not dropped */
	why_free(&w);
	fx_free(&f);

	fx_init(&f, "01_io_wait", 2);
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.102, 100);
	fx_explain(&f);
	explain_why(&f.rs, &w);
	assert_int_equal(w.g[WHY_PYTHON].n, 0);
	assert_true(w.g[WHY_LESSON].n >= 3);
	why_free(&w);
	fx_free(&f);

	/* Only CPython's variants ran: they are the lesson, shown first. */
	fx_init(&f, "01_io_wait", 2);
	add_serial_as(&f, "py-serial", 0.51, 500, 3);
	add_pool_as(&f, "py-threads-5", 0.102, 100);
	fx_explain(&f);
	explain_why(&f.rs, &w);
	assert_true(w.g[WHY_LESSON].n >= 3);
	assert_int_equal(w.g[WHY_PYTHON].n, 0);
	why_free(&w);
	fx_free(&f);
}

/* More workers than tasks: one round of as many requests as there are
 * tasks, and only the threads that had one are counted. */
static void rounds_never_exceed_the_tasks(void **state)
{
	struct fx f;
	struct fx_run *r;
	const char *t;
	char name[16];

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	r = fx_variant(&f, "threads-20", 0.06,
		       "{\"tasks\": 10, \"wait_s\": 0.05, \"workers\": 20, \"io\": \"socket\"}");
	fx_thread(r, 1000, "main", (struct fx_states){.running = 1, .lock = 60}, 0);
	for (int w = 1; w <= 20; w++) {
		snprintf(name, sizeof(name), "worker-%d", w);
		fx_thread(r, 1000 + w, name,
			  (struct fx_states){.running = 0.5, .io = w <= 10 ? 50 : 0.1}, w <= 10);
	}
	t = fx_explain(&f);
	assert_claim(t, "(1 round of 10 requests, 0.05 s each)");
	assert_claim(t, "threads-20: the 10 of its 20 threads that had a request spent");
	assert_no_claim(t, "rounds of 20");
	fx_free(&f);

	fx_init(&f, "01_io_wait", 2);
	add_pool(&f, 0.102, 100);
	t = fx_explain(&f);
	assert_claim(t, "(2 rounds of 5 requests, 0.05 s each)");
	assert_claim(t, "threads-5: its 5 threads spent");
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

/* The lesson line names this run's sizes, not the catalogue's (issue 18):
 * a --quick run makes 10 waits of 0.05 s, the catalogue says 50 of 0.2 s. */
static void lesson_line_names_the_runs_sizes(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	snprintf(f.summary, sizeof(f.summary),
		 "Threads help I/O wait: 50 blocking waits of 0.2 s, serial vs thread pools");
	add_serial(&f, 0.51, 500, 3);
	add_pool(&f, 0.102, 100);
	fx_explain(&f);
	assert_claim(f.verdict.lesson, "10 blocking waits of 0.05 s");
	assert_no_claim(f.verdict.lesson, "50 blocking");
	assert_no_claim(f.verdict.lesson, "0.2 s");
	fx_free(&f);
}

/* A number in a catalogue line: a digit not inside a word ("p99" is a
 * name, "50 blocking waits" a size). */
static bool names_a_size(const char *text)
{
	for (const char *p = text; *p; p++)
		if (isdigit((unsigned char)*p) && (p == text || !isalnum((unsigned char)p[-1])))
			return true;
	return false;
}

/* Every catalogue line that names a size has a demo module that rewrites
 * it in the run's own sizes: a number in the line needs a lesson_line. */
static void every_sized_lesson_is_rewritten(void **state)
{
	char path[4096], line[1024];
	FILE *c;
	int checked = 0;

	(void)state;
	fx_repo_path(path, sizeof(path), "demos/catalogue.tsv");
	c = fopen(path, "r");
	assert_non_null(c);
	while (fgets(line, sizeof(line), c)) {
		char *name = line, *tab1 = strchr(line, '\t'), *text, *tab2;
		const struct demo_module *m;

		if (line[0] == '#' || !tab1)
			continue;
		*tab1 = '\0';
		tab2 = strchr(tab1 + 1, '\t');
		assert_non_null(tab2);
		text = tab2 + 1;
		m = demo_module_for(name);
		assert_non_null(m);
		if (names_a_size(text) && !m->lesson_line)
			fail_msg("%s: its catalogue line names sizes but its module has no "
				 "lesson_line: %s",
				 name, text);
		checked++;
	}
	fclose(c);
	assert_true(checked >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(serial_waits_not_computes),
	    cmocka_unit_test(pool_overlaps_waits),
	    cmocka_unit_test(pool_reaches_limit),
	    cmocka_unit_test(threads_beat_serial_by_overlapping),
	    cmocka_unit_test(verdict_or_doubt),
	    cmocka_unit_test(py_variants_against_py_serial),
	    cmocka_unit_test(rounds_never_exceed_the_tasks),
	    cmocka_unit_test(why_groups_lesson_first),
	    cmocka_unit_test(lesson_line_names_the_runs_sizes),
	    cmocka_unit_test(every_sized_lesson_is_rewritten),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

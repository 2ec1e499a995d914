// SPDX-License-Identifier: GPL-2.0
/* --predict and --seed (docs/predict.md): every demo's models against values
 * computed by hand for a fixture run folder, the grade at its tolerance's
 * edges, a predictions.json graded right and wrong, and the sizes a seed
 * gives (the same seed the same sizes, another seed others). */
#include <math.h>

#include "explain_fixture.h"
#include "predict.h"
#include "predictions.h"

static double model_of(struct fx *f, const char *id)
{
	const struct quiz *z = quiz_for(f->demo);
	const struct quiz_question *q = z ? quiz_question(z, id) : NULL;
	struct sbuf rule = SBUF_INIT;
	double v;

	assert_non_null(q);
	v = q->model(&f->rs, &rule);
	assert_true(v < 0 || sb_str(&rule)[0]); /* a value always says its rule */
	sb_free(&rule);
	return v;
}

static double measured_of(struct fx *f, const char *id)
{
	return quiz_question(quiz_for(f->demo), id)->measured(&f->rs);
}

/* A variant of @wall_s whose one thread computed all along. */
static struct fx_run *variant(struct fx *f, const char *name, double wall_s, const char *params)
{
	struct fx_run *r = fx_variant(f, name, wall_s, params);

	fx_thread(r, (int)fx_pid(r), "main", (struct fx_states){.running = 1000 * wall_s}, 1);
	return r;
}

#define assert_near(a, b) assert_true(fabs((double)(a) - (b)) < 1e-3 * fmax(1, fabs((double)(b))))

static void test_01(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	variant(&f, "serial", 10.3, "{\"tasks\": 50, \"wait_s\": 0.2, \"workers\": 0}");
	variant(&f, "threads-5", 2.1, "{\"tasks\": 50, \"wait_s\": 0.2, \"workers\": 5}");
	variant(&f, "threads-20", 0.65, "{\"tasks\": 50, \"wait_s\": 0.2, \"workers\": 20}");
	fx_explain(&f);
	/* 50 tasks on 5 threads: 10 rounds of 0.2 s; serial 50 rounds, 20 threads 3 */
	assert_near(model_of(&f, "threads5_wall_s"), 2.0);
	assert_near(model_of(&f, "threads20_speedup"), 10.0 / 0.6);
	assert_near(measured_of(&f, "threads5_wall_s"), 2.1);
	assert_near(measured_of(&f, "threads20_speedup"), 10.3 / 0.65);
	fx_free(&f);
}

static void test_02(void **state)
{
	struct fx f;
	const char *p = "{\"tasks\": 8, \"n\": 1000, \"workers\": 3, \"switch_interval_ms\": 5}";

	(void)state;
	fx_init(&f, "02_cpu_bound", 4);
	variant(&f, "serial", 4.0,
		"{\"tasks\": 8, \"n\": 1000, \"workers\": 1, \"switch_interval_ms\": 5}");
	fx_demo_set(variant(&f, "threads-gil", 4.4, p), "{\"gil\": {\"handoffs\": 660}}");
	variant(&f, "processes", 1.6, p);
	fx_explain(&f);
	/* GIL: 1×, 1 CPU; processes: 8 tasks on min(3, 4) = 3 take 3 rounds: 8/3;
	 * a 5 ms switch interval: 200 handoffs a second */
	assert_near(model_of(&f, "gil_speedup"), 1);
	assert_near(model_of(&f, "processes_speedup"), 8.0 / 3);
	assert_near(model_of(&f, "gil_cpus_busy"), 1);
	assert_near(model_of(&f, "gil_handoffs_per_s"), 200);
	assert_near(measured_of(&f, "gil_speedup"), 4.0 / 4.4);
	assert_near(measured_of(&f, "processes_speedup"), 2.5);
	assert_near(measured_of(&f, "gil_handoffs_per_s"), 150);
	fx_free(&f);
}

static void test_03(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "03_event_loop", 2);
	variant(&f, "await", 0.26, "{\"tasks\": 40, \"wait_s\": 0.25}");
	variant(&f, "blocking", 10.2, "{\"tasks\": 40, \"wait_s\": 0.25}");
	fx_explain(&f);
	assert_near(model_of(&f, "await_wall_s"), 0.25);
	assert_near(model_of(&f, "blocking_wall_s"), 10.0);
	assert_near(measured_of(&f, "blocking_wall_s"), 10.2);
	fx_free(&f);
}

static void test_04(void **state)
{
	struct fx f;
	struct fx_run *u, *b;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	u = variant(&f, "unbounded", 5,
		    "{\"capacity\": 0, \"produce_ms\": 1, \"consume_ms\": 5, \"duration_s\": 5, "
		    "\"payload_bytes\": 4096}");
	fx_demo_set(u, "{\"backlog\": 3900, \"max_backlog\": 3900, \"produced\": 4900, "
		       "\"consumed\": 1000, \"rss\": {\"start_kib\": 2048, \"end_kib\": 18432}}");
	b = variant(&f, "bounded", 5,
		    "{\"capacity\": 200, \"produce_ms\": 1, \"consume_ms\": 5, \"duration_s\": 5, "
		    "\"payload_bytes\": 4096}");
	fx_demo_set(b, "{\"backlog\": 200, \"max_backlog\": 200}");
	fx_explain(&f);
	/* 5 s × (1000 − 200) items/s; × 4096 bytes = 15.625 MiB; capped at 200 */
	assert_near(model_of(&f, "unbounded_backlog"), 4000);
	assert_near(model_of(&f, "unbounded_memory_mib"), 15.625);
	assert_near(model_of(&f, "bounded_max_backlog"), 200);
	assert_near(measured_of(&f, "unbounded_backlog"), 3900);
	assert_near(measured_of(&f, "unbounded_memory_mib"), 16.0);
	assert_near(measured_of(&f, "bounded_max_backlog"), 200);
	fx_free(&f);
}

static void test_05(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "05_thread_overhead", 2);
	variant(&f, "threads-1", 10.5, "{\"tasks\": 200, \"wait_s\": 0.05, \"workers\": 1}");
	variant(&f, "threads-8", 1.4, "{\"tasks\": 200, \"wait_s\": 0.05, \"workers\": 8}");
	variant(&f, "threads-64", 0.3, "{\"tasks\": 200, \"wait_s\": 0.05, \"workers\": 64}");
	fx_explain(&f);
	/* 200 rounds on 1 thread, 25 on 8, ceil(200/64) = 4 on 64 */
	assert_near(model_of(&f, "speedup_8"), 8);
	assert_near(model_of(&f, "speedup_64"), 50);
	fx_free(&f);
}

static void test_06(void **state)
{
	struct fx f;
	const char *p =
	    "{\"items\": 600, \"inflight\": 32, \"fetch_ms\": 10, \"blocking_threads\": 8, "
	    "\"blocking_ms\": 5, \"cpu_workers\": 2, \"n\": 500000}";

	(void)state;
	fx_init(&f, "06_hybrid_pipeline", 2);
	fx_demo_set(variant(&f, "hybrid", 1.3, p),
		    "{\"throughput_per_s\": 460, \"stages\": [{\"name\": \"fetch\", "
		    "\"per_item_ns\": 10000000}, {\"name\": \"cpu\", \"per_item_ns\": 4000000}]}");
	fx_demo_set(variant(&f, "single-loop", 6, p), "{\"throughput_per_s\": 100}");
	fx_explain(&f);
	/* fetch 32/10 ms = 3200/s, blocking 8/5 ms = 1600/s, cpu 2/4 ms = 500/s;
	 * one loop: 1 / (5 ms + 4 ms) */
	assert_near(model_of(&f, "hybrid_items_per_s"), 500);
	assert_near(model_of(&f, "single_loop_items_per_s"), 1 / 0.009);
	assert_near(measured_of(&f, "hybrid_items_per_s"), 460);
	fx_free(&f);
}

static void test_07(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "07_costs", 2);
	variant(&f, "switch", 1, "{\"round_trips\": 20000}");
	variant(&f, "cow", 1, "{\"cow_mib\": 256}");
	fx_explain(&f);
	/* two switches per round trip; 256 MiB / 4 KiB pages */
	assert_near(model_of(&f, "switches_per_round_trip"), 2);
	assert_near(model_of(&f, "cow_write_faults"), 65536);
	fx_free(&f);
}

static void test_08(void **state)
{
	struct fx f;
	const char *p = "{\"workers\": 4, \"service_us\": 2000, \"service\": \"sleep\"}";

	(void)state;
	fx_init(&f, "08_streaming", 2);
	fx_demo_set(variant(&f, "load-90", 4, p), "{\"latency\": {\"p99\": 15000000}}");
	fx_demo_set(variant(&f, "load-110-bounded", 4, p),
		    "{\"arrivals\": 8800, \"rejected\": 1760}");
	fx_explain(&f);
	/* c = 4, a = 3.6: sum a^k/k! (k < 4) = 18.856, a^4/4! × 4/0.4 = 69.984,
	 * Erlang C = 69.984 / 88.84 = 0.78775; 99% wait under
	 * ln(78.775) / (2 × 200/s) = 10.917 ms; plus the 2 ms service */
	assert_true(fabs(model_of(&f, "p99_ms_at_90") - 12.917) < 0.01);
	assert_near(measured_of(&f, "p99_ms_at_90"), 15);
	assert_near(model_of(&f, "rejected_pct_at_110"), 100 * (1 - 1 / 1.1));
	assert_near(measured_of(&f, "rejected_pct_at_110"), 20);
	fx_free(&f);
}

/* The grade's edges: 25% relative takes exactly 1.25 × and 0.75 ×, not a hair
 * more; an absolute 0.25 CPUs the same. */
static void test_grade_edges(void **state)
{
	const struct quiz *z = quiz_for("02_cpu_bound");
	const struct quiz_question *rel = quiz_question(z, "gil_speedup"),
				   *abs_ = quiz_question(z, "gil_cpus_busy");

	(void)state;
	assert_int_equal(rel->tol_kind, QUIZ_REL);
	assert_int_equal(quiz_grade_of(rel, 1.25, 1.0), GRADE_CLOSE);
	assert_int_equal(quiz_grade_of(rel, 0.75, 1.0), GRADE_CLOSE);
	assert_int_equal(quiz_grade_of(rel, 1.2501, 1.0), GRADE_FAR);
	assert_int_equal(quiz_grade_of(rel, 0.7499, 1.0), GRADE_FAR);
	assert_int_equal(quiz_grade_of(rel, 1.0, -1), GRADE_UNMEASURED);
	assert_int_equal(abs_->tol_kind, QUIZ_ABS);
	assert_int_equal(quiz_grade_of(abs_, 1.05, 0.8), GRADE_CLOSE);
	assert_int_equal(quiz_grade_of(abs_, 0.55, 0.8), GRADE_CLOSE);
	assert_int_equal(quiz_grade_of(abs_, 1.06, 0.8), GRADE_FAR);
}

/* A predictions.json in a run folder, graded: right at the edge, wrong just
 * past it; the model is the same whatever was predicted. */
static void test_graded_file(void **state)
{
	struct fx f;
	struct predictions p;
	struct quiz_grades g;
	char err[512], path[128];
	const char *p1 = "{\"tasks\": 8, \"n\": 1000, \"workers\": 2, \"switch_interval_ms\": 5}";
	FILE *o;

	(void)state;
	fx_init(&f, "02_cpu_bound", 2);
	variant(&f, "serial", 4.0,
		"{\"tasks\": 8, \"n\": 1000, \"workers\": 1, \"switch_interval_ms\": 5}");
	variant(&f, "threads-gil", 4.0, p1);
	variant(&f, "processes", 2.0, p1);
	fx_explain(&f);
	/* measured: gil 1.0×, processes 2.0× */
	snprintf(path, sizeof(path), "%s/predictions.json", f.dir);
	o = fopen(path, "w");
	assert_non_null(o);
	fputs("{\"schema\": 1, \"demo\": \"02_cpu_bound\", \"cpus\": 2, \"seed\": 9, "
	      "\"answers\": [{\"id\": \"gil_speedup\", \"value\": 1.25}, "
	      "{\"id\": \"processes_speedup\", \"value\": 2.5001}]}",
	      o);
	assert_int_equal(fclose(o), 0);
	assert_int_equal(predictions_load(f.dir, &p, err, sizeof(err)), 0);
	assert_true(p.seeded);
	assert_int_equal(p.seed, 9);
	assert_int_equal(quiz_grade(&f.rs, &p, &g, err, sizeof(err)), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.row[0].q->id, "gil_speedup");
	assert_int_equal(g.row[0].grade, GRADE_CLOSE);
	assert_near(g.row[0].model, 1);
	assert_int_equal(g.row[1].grade, GRADE_FAR);
	assert_near(g.row[1].model, 2); /* 8 tasks on 2: 4 rounds */
	assert_true(strlen(g.row[0].gap) > 20);
	assert_non_null(strstr(g.row[1].gap, "2.00"));
	quiz_grades_free(&g);
	predictions_free(&p);
	/* no predictions.json: nothing to grade */
	unlink(path);
	assert_int_equal(predictions_load(f.dir, &p, err, sizeof(err)), 1);
	fx_free(&f);
}

/* A busy host: the gap says the threads waited for a CPU, with the run's
 * figures, instead of blaming the lock; on an idle one it does not. */
static void test_gap_busy_host(void **state)
{
	struct fx f;
	struct predictions p = {0};
	struct prediction a = {.id = "gil_speedup", .value = 1};
	struct quiz_grades g;
	char err[256];
	const char *par = "{\"tasks\": 8, \"n\": 1000, \"workers\": 2, \"switch_interval_ms\": 5}";
	struct fx_run *r;

	(void)state;
	p.a = &a;
	p.n = 1;
	fx_init(&f, "02_cpu_bound", 2);
	r = fx_variant(&f, "serial", 8.0, par);
	fx_thread(r, (int)fx_pid(r), "main", (struct fx_states){.running = 2000, .runnable = 6000},
		  8);
	r = fx_variant(&f, "threads-gil", 4.0, par);
	fx_thread(r, (int)fx_pid(r), "main", (struct fx_states){.running = 4000}, 8);
	fx_explain(&f);
	assert_int_equal(quiz_grade(&f.rs, &p, &g, err, sizeof(err)), 0);
	assert_non_null(strstr(g.row[0].gap, "in serial, the threads waited 6.00 s for a CPU "
					     "against 2.00 s computing"));
	assert_null(strstr(g.row[0].gap, "in threads-gil"));
	quiz_grades_free(&g);
	fx_free(&f);
}

/* The same seed gives the same sizes; another seed others; each within its
 * range and on its step; no seed, the demo's defaults. */
static void test_seed(void **state)
{
	(void)state;
	for (size_t i = 0; i < nquizzes; i++) {
		const struct quiz *z = quizzes[i];
		struct quiz_sizes a, b, c, d;
		bool differ = false;

		quiz_sizes_of(z, true, 7, false, 2, &a);
		quiz_sizes_of(z, true, 7, false, 2, &b);
		assert_memory_equal(a.value, b.value, sizeof(a.value));
		for (long long s = 8; s < 40 && !differ; s++) {
			quiz_sizes_of(z, true, s, false, 2, &c);
			differ = memcmp(a.value, c.value, sizeof(a.value)) != 0;
		}
		assert_true(differ);
		for (size_t k = 0; k < z->nsizes; k++) {
			const struct quiz_size *s = &z->sizes[k];

			if (s->seed_itself)
				continue;
			assert_true(a.value[k] >= s->lo - 1e-9 && a.value[k] <= s->hi + 1e-9);
			assert_true(fabs(remainder(a.value[k] - s->lo, s->step)) < 1e-6);
		}
		quiz_sizes_of(z, false, 0, true, 2, &d);
		for (size_t k = 0; k < d.n; k++)
			if (!z->sizes[k].dflt_of)
				assert_true(d.value[k] == z->sizes[k].quick_dflt);
	}
	/* 02's seeds 7 and 8 differ in what the student is told */
	{
		struct quiz_sizes a, b;
		struct sbuf ta = SBUF_INIT, tb = SBUF_INIT;
		const struct quiz *z = quiz_for("02_cpu_bound");

		quiz_sizes_of(z, true, 7, false, 2, &a);
		quiz_sizes_of(z, true, 8, false, 2, &b);
		quiz_text(&z->q[0], &a, 2, &ta);
		quiz_text(&z->q[0], &b, 2, &tb);
		assert_string_not_equal(sb_str(&ta), sb_str(&tb));
		assert_null(strchr(sb_str(&ta), '{'));
		sb_free(&ta);
		sb_free(&tb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_01),		cmocka_unit_test(test_02),
	    cmocka_unit_test(test_03),		cmocka_unit_test(test_04),
	    cmocka_unit_test(test_05),		cmocka_unit_test(test_06),
	    cmocka_unit_test(test_07),		cmocka_unit_test(test_08),
	    cmocka_unit_test(test_grade_edges), cmocka_unit_test(test_graded_file),
	    cmocka_unit_test(test_seed),	cmocka_unit_test(test_gap_busy_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The figures layer (reports/figures.c): each derived number computed once,
 * right at its edges: the bound with pinned CPUs, no workers, one event loop;
 * a quantile never above the max; one lock over its futex words; a part of a
 * blocked time never larger than the whole; durations in a readable unit. The
 * host's load is measured, not inferred: test_host_load.c. */
#include "explain_fixture.h"

#include "figures.h"

static void bound_is_min_of_workers_and_usable_cpus(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "02_cpu_bound", 4);
	fx_thread(fx_variant(&f, "serial", 1.0, "{\"workers\": 0}"), 2, "main",
		  (struct fx_states){.running = 900}, 8);
	fx_thread(fx_variant(&f, "threads", 1.0, "{\"workers\": 8}"), 2, "worker-0",
		  (struct fx_states){.running = 900}, 8);
	fx_thread(fx_variant(&f, "loop", 1.0, "{}"), 2, "loop", (struct fx_states){.sleep = 900},
		  10);
	fx_explain(&f);
	assert_true(fig_workers(f.rs.variants[0].rep) == 1);
	assert_true(fig_bound(&f.rs, f.rs.variants[0].rep) == 1);
	assert_true(fig_bound(&f.rs, f.rs.variants[1].rep) == 4);
	/* an event loop: the one thread that ran the tasks, bound 1 */
	assert_true(fig_workers(f.rs.variants[2].rep) == 1);
	/* pinned to 2 CPUs (--cpus 2): the demo counted 2 in its affinity mask
	 * and said so in demo.json; the host's 4 are not the bound */
	for (size_t i = 0; i < f.rs.nruns; i++)
		f.rs.runs[i].demo->cpus = 2;
	assert_int_equal(fig_cpus(&f.rs), 2);
	assert_true(fig_bound(&f.rs, f.rs.variants[1].rep) == 2);
	/* demo.json's count, not meta's pinned list, when the two disagree */
	snprintf(f.rs.pinned_cpus, sizeof(f.rs.pinned_cpus), "0");
	assert_int_equal(fig_cpus(&f.rs), 2);
	fx_free(&f);
}

/* A traced command writes no demo.json: the CPUs it was pinned to. */
static void command_bound_from_the_pinned_set(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "command", 4);
	fx_thread(fx_variant(&f, "command", 1.0, "{}"), 2, "sh", (struct fx_states){.running = 900},
		  0);
	fx_explain(&f);
	assert_int_equal(fig_cpus(&f.rs), 4);
	snprintf(f.rs.pinned_cpus, sizeof(f.rs.pinned_cpus), "0-2");
	assert_int_equal(fig_cpus(&f.rs), 3);
	fx_free(&f);
}

/* A run set of CPython's variants alone finds its own serial base; a
 * mixed or C one finds the name as given. Rounds never hold more requests
 * than there are tasks. */
static void variants_compared_within_their_family(void **state)
{
	struct fx f;
	struct run_set py;
	struct fig_rounds fr;

	(void)state;
	fx_init(&f, "01_io_wait", 2);
	fx_thread(
	    fx_variant(&f, "serial", 0.5, "{\"workers\": 0, \"tasks\": 10, \"wait_s\": 0.05}"), 2,
	    "main", (struct fx_states){.io = 500}, 10);
	fx_thread(
	    fx_variant(&f, "py-serial", 1.0, "{\"workers\": 0, \"tasks\": 10, \"wait_s\": 0.05}"),
	    2, "main", (struct fx_states){.sleep = 500}, 10);
	fx_thread(fx_variant(&f, "py-threads-20", 0.25,
			     "{\"workers\": 20, \"tasks\": 10, \"wait_s\": 0.05}"),
		  2, "worker-1", (struct fx_states){.sleep = 50}, 1);
	fx_explain(&f);
	assert_string_equal(fig_variant(&f.rs, "serial")->name, "serial");
	py = f.rs;
	py.variants = &f.rs.variants[1];
	py.nvariants = 2;
	assert_string_equal(fig_variant(&py, "serial")->name, "py-serial");
	assert_string_equal(fig_variant(&py, "py-serial")->name, "py-serial");
	assert_null(fig_variant(&py, "threads-5"));
	assert_true(fig_speedup(&py.variants[0], &py.variants[1]) == 4.0);
	assert_true(fig_speedup(NULL, &py.variants[1]) == 0);
	fr = fig_rounds_of(py.variants[1].rep);
	assert_true(fr.rounds == 1 && fr.per_round == 10 && fr.limit_s == 0.05);
	fr = fig_rounds_of(f.rs.variants[0].rep); /* workers 0: no pool, no rounds */
	assert_true(fr.rounds == 0 && fr.limit_s == 0);
	fx_free(&f);
}

static void quantile_never_passes_the_max(void **state)
{
	struct hist_bucket b[] = {{1000, 2000, 98}, {8000000, 16000000, 2}};
	struct hist h = {b, 2};

	(void)state;
	/* interpolated inside the top bucket: 15.9 ms, but the longest call was 10 ms */
	assert_true(hist_quantile(&h, 0.995) > 10e6);
	assert_true(hist_quantile_max(&h, 0.995, 10e6) == 10e6);
	assert_true(hist_quantile_max(&h, 0.5, 10e6) < 2000);
	assert_true(hist_quantile_max(&h, 0.995, 0) > 10e6); /* no max known: as is */
}

static void a_lock_is_all_its_futex_words(void **state)
{
	struct fx f;
	struct fx_run *r;
	struct fig_lock *l;
	size_t n;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	r = fx_variant(&f, "bounded", 1.0, "{\"capacity\": 10}");
	fx_thread(r, 2, "producer", (struct fx_states){.lock = 500, .running = 10}, 0);
	/* the condition variable's object starts at 0x1000, its named word is
	 * 0x1028 (g_signals[0]); 0x102c is its other word; 0x2000 is unnamed */
	fx_demo_set(r, "{\"locks\": [{\"name\": \"queue not_full cond\", \"addr\": "
		       "\"0x1028\", \"object\": \"0x1000\", \"pid\": 1000}]}");
	fx_futex(r, "0x1028", 10, 300);
	fx_futex(r, "0x102c", 5, 100);
	fx_futex(r, "0x2000", 1, 1);
	fx_explain(&f);
	l = fig_locks(f.rs.variants[0].rep, &n);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].name, "queue not_full cond");
	assert_int_equal(l[0].words, 2);
	assert_int_equal(l[0].waits, 15);
	assert_true(l[0].total_ns == 400000000ULL);
	assert_string_equal(l[1].name, "");
	free(l);
	fx_free(&f);
}

static void part_of_blocked_time_never_exceeds_it(void **state)
{
	(void)state;
	/* 04: 4.63 s blocked, futex calls on not_full 4.71 s of 4.80 s in futex */
	assert_true(fig_part_of_blocked(4.63e9, 4.71e9, 4.80e9) <= 4.63e9);
	assert_true(fig_part_of_blocked(4.63e9, 4.71e9, 4.71e9) == 4.63e9);
	assert_true(fig_part_of_blocked(4.63e9, 0, 4.71e9) == 0);
	/* no syscall table (schedtrace without --syscalls): the word's time is
	 * its blocked waits, never more than the whole */
	assert_true(fig_part_of_blocked(4.63e9, 1.5e9, 0) == 1.5e9);
	assert_true(fig_part_of_blocked(4.63e9, 5e9, 0) == 4.63e9);
}

static void durations_read_in_their_unit(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(fig_dur(b, sizeof(b), 10.06e9), "10.06 s");
	assert_string_equal(fig_dur(b, sizeof(b), 45.6e6), "45.6 ms");
	assert_string_equal(fig_dur(b, sizeof(b), 12.3e3), "12.3 µs");
	assert_string_equal(fig_dur_ascii(b, sizeof(b), 12.3e3), "12.3 us");
	assert_string_equal(fig_dur(b, sizeof(b), 850), "850 ns");
	assert_string_equal(fig_times(b, sizeof(b), 16.49), "16.5×");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bound_is_min_of_workers_and_usable_cpus),
	    cmocka_unit_test(command_bound_from_the_pinned_set),
	    cmocka_unit_test(variants_compared_within_their_family),
	    cmocka_unit_test(quantile_never_passes_the_max),
	    cmocka_unit_test(a_lock_is_all_its_futex_words),
	    cmocka_unit_test(part_of_blocked_time_never_exceeds_it),
	    cmocka_unit_test(durations_read_in_their_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

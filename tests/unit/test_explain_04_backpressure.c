// SPDX-License-Identifier: GPL-2.0
/* 04_backpressure's explainer: each claim made on a run that shows it, left
 * out on one that does not. */
#include <math.h>

#include "explain_fixture.h"

#define NOT_FULL "0x7fff00000808"

/* What a run looks like; each test changes one figure. */
struct bp_shape {
	int capacity;	       /* 0: unbounded */
	double rate;	       /* backlog growth, items/s, in the samples */
	double growth_kib;     /* RSS growth */
	double p50_ms, max_ms; /* item latency */
	double prod_lock_ms;   /* producer blocked on the queue, of 1000 ms */
	int put_waits;
	int max_backlog;
	long page_faults; /* -1: perf stat did not run */
	int consumed;	  /* 0: not in demo.json */
	bool rss_sampled; /* samples carry rss_kib: 512 KiB of stacks at the first */
};

static const struct bp_shape UNBOUNDED = {0, 800, 3600, 400, 800, 0, 0, 800, 1200, 0, false};
static const struct bp_shape BOUNDED = {200, 0, 1300, 400, 850, 700, 85, 200, 500, 0, false};

static void add_run(struct fx *f, struct bp_shape s)
{
	char params[256], root[2048], samples[1024] = "";
	struct fx_run *r;
	size_t used = 0;
	int i;

	snprintf(params, sizeof(params),
		 "{\"capacity\": %d, \"produce_ms\": 1, \"consume_ms\": 5, \"duration_s\": 1, "
		 "\"payload_bytes\": 4096, \"work\": \"sleep\"}",
		 s.capacity);
	r = fx_variant(f, s.capacity ? "bounded" : "unbounded", 1.0, params);
	for (i = 0; i <= 10; i++) {
		double b = s.capacity ? fmin(s.capacity, 80.0 * i) : s.rate * i / 10;

		char rss[48] = "";

		if (s.rss_sampled) /* from 1700 + 512 KiB to 1700 + growth */
			snprintf(rss, sizeof(rss), ", \"rss_kib\": %.0f",
				 2212 + (s.growth_kib - 512) * i / 10);
		used += (size_t)snprintf(samples + used, sizeof(samples) - used,
					 "%s{\"t_ns\": %d, \"backlog\": %.0f%s}", i ? "," : "",
					 i * 100000000, b, rss);
	}
	snprintf(root, sizeof(root),
		 "{\"backlog\": %d, \"max_backlog\": %d, \"samples\": [%s], "
		 "\"queue\": {\"capacity\": %d, \"put_waits\": %d, \"put_wait_ns\": %.0f}, "
		 "\"rss\": {\"start_kib\": 1700, \"end_kib\": %.0f, \"growth_kib\": %.0f}, "
		 "\"latency\": {\"p50_ns\": %.0f, \"max_ns\": %.0f}, \"oldest_age_ns\": %.0f}",
		 s.max_backlog, s.max_backlog, samples, s.capacity, s.put_waits,
		 s.prod_lock_ms * 1e6, 1700 + s.growth_kib, s.growth_kib, s.p50_ms * 1e6,
		 s.max_ms * 1e6, s.max_ms * 1e6);
	fx_demo_set(r, root);
	if (s.consumed) {
		char c[64];

		snprintf(c, sizeof(c), "{\"consumed\": %d}", s.consumed);
		fx_demo_set(r, c);
	}
	fx_thread(r, 1000 + 100 * (int)(f->n - 1), "main",
		  (struct fx_states){.running = 2, .sleep = 1000}, 0);
	fx_thread(r, 1001 + 100 * (int)(f->n - 1), "producer",
		  (struct fx_states){
		      .running = 50, .lock = s.prod_lock_ms, .sleep = 950 - s.prod_lock_ms},
		  s.max_backlog);
	fx_thread(r, 1002 + 100 * (int)(f->n - 1), "consumer",
		  (struct fx_states){.running = 10, .sleep = 990}, 200);
	if (s.prod_lock_ms > 0) {
		fx_futex(r, NOT_FULL, s.put_waits, s.prod_lock_ms);
		fx_lock(r, "queue not_full cond", NOT_FULL);
	}
	if (s.page_faults >= 0)
		fx_page_faults(r, s.page_faults);
}

static const char *explain(struct fx *f, struct bp_shape s)
{
	fx_init(f, "04_backpressure", 2);
	add_run(f, s);
	return fx_explain(f);
}

static void unbounded_producer_never_blocks(void **state)
{
	struct bp_shape s = UNBOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "unbounded: the producer never waited for room");
	fx_free(&f);
	s.prod_lock_ms = 200; /* 20% of its life on a lock */
	s.put_waits = 30;
	assert_no_claim(explain(&f, s), "never waited");
	fx_free(&f);
}

static void backlog_grows_at_rate_difference(void **state)
{
	struct bp_shape s = UNBOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "the backlog grew by 800 items a second");
	fx_free(&f);
	s.rate = 100; /* far from 1000/s − 200/s */
	assert_no_claim(explain(&f, s), "the backlog grew by");
	fx_free(&f);
}

static void memory_grows_with_backlog(void **state)
{
	struct bp_shape s = UNBOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "memory grew with it: +3.5 MiB");
	assert_claim(f.text, "the kernel counted 1200 page faults");
	fx_free(&f);
	s.growth_kib = 100; /* 0.1 KiB per queued item */
	assert_no_claim(explain(&f, s), "memory grew with it");
	fx_free(&f);
}

static void latency_grows(void **state)
{
	struct bp_shape s = UNBOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "waiting time grew with the backlog: half the items waited "
				     "400.0 ms or less, the longest 800.0 ms");
	fx_free(&f);
	s.max_ms = 450;
	assert_no_claim(explain(&f, s), "waiting time grew");
	fx_free(&f);
}

static void bounded_producer_held_back(void **state)
{
	struct bp_shape s = BOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "bounded: the producer spent 70% of its time");
	assert_claim(f.text, "waiting for room in the full queue (85 waits)");
	assert_claim(f.text, "That is backpressure");
	fx_free(&f);
	s.prod_lock_ms = 50;
	assert_no_claim(explain(&f, s), "backpressure");
	fx_free(&f);
}

static void bounded_backlog_at_capacity(void **state)
{
	struct bp_shape s = BOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s), "at most 200 items of 200");
	fx_free(&f);
	s.max_backlog = 120;
	assert_no_claim(explain(&f, s), "stopped at the queue's capacity");
	fx_free(&f);
}

static void bounded_latency_bounded(void **state)
{
	struct bp_shape s = BOUNDED;
	struct fx f;

	(void)state;
	assert_claim(explain(&f, s),
		     "waiting time stayed bounded: the longest 850.0 ms, within what a "
		     "full queue takes to drain at the nominal consume time (200 "
		     "items × 5 ms = 1.00 s)");
	fx_free(&f);
	s.max_ms = 3000;
	assert_no_claim(explain(&f, s), "waiting time stayed bounded");
	fx_free(&f);

	/* A consumer slowed to 6.5 ms per item (154 in 1 s): the bound follows it. */
	s = BOUNDED;
	s.max_ms = 1364;
	s.consumed = 154;
	assert_claim(explain(&f, s), "waiting time stayed bounded: the longest 1.36 s, 1.05× what "
				     "a full queue takes to drain at the consumer's measured pace "
				     "(200 items × 6.49 ms = 1.30 s; threshold: ≤ 1.25×)");
	assert_no_claim(f.text, "1.36 s, within");
	fx_free(&f);
	s.max_ms = 2500;
	assert_no_claim(explain(&f, s), "waiting time stayed bounded");
	fx_free(&f);
}

static void unbounded_uses_more_memory(void **state)
{
	struct bp_shape b = BOUNDED;
	struct fx f;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, UNBOUNDED);
	add_run(&f, b);
	assert_claim(fx_explain(&f), "Memory grew 3.5 MiB in unbounded against 1.3 MiB in "
				     "bounded, 2.8× more");
	assert_claim(f.text, "page faults 1200 against 500");
	fx_free(&f);

	b.growth_kib = 3000;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, UNBOUNDED);
	add_run(&f, b);
	assert_no_claim(fx_explain(&f), "Memory grew");
	fx_free(&f);
}

/* The verdict: nothing stopped the unbounded producer, the bounded one was
 * held back; a doubt when the unbounded backlog did not outgrow the bound. */
/* One backlog figure: the items left waiting at the end (demo.json
 * "backlog", counted after the last sample), in the Why as in the verdict
 * (issue 18's reading of 04: "908 items were left waiting" beside "0 → 906
 * over 1.0 s" and the chart's "the backlog reached 906"). */
static void one_backlog_figure(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, UNBOUNDED);
	fx_demo_set(&f.runs[0], "{\"backlog\": 808, \"max_backlog\": 808}");
	assert_claim(fx_explain(&f), "the backlog grew by 800 items a second over 1.0 s, to 808 "
				     "left waiting at the end");
	assert_no_claim(f.text, "→ 800");
	assert_claim(fx_verdict(&f), "808 items were left waiting");
	fx_free(&f);
}

static void verdict_or_doubt(void **state)
{
	struct fx f;
	struct bp_shape u = UNBOUNDED;
	const char *v;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u);
	add_run(&f, BOUNDED);
	fx_explain(&f);
	v = fx_verdict(&f);
	assert_claim(v, "\nunbounded: nothing stopped the producer: 800 items were left waiting, "
			"memory grew 3.5 MiB");
	assert_claim(v, "\nbounded: the full queue made the producer wait (backpressure): at "
			"most 200 items of 200 waited");
	assert_no_claim(v, "does not show the lesson");
	fx_free(&f);

	u.max_backlog = 250;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u);
	add_run(&f, BOUNDED);
	fx_explain(&f);
	assert_claim(fx_verdict(&f), "This run does not show the lesson: the unbounded backlog "
				     "(250) did not outgrow the bounded one (200)");
	fx_free(&f);
}

/* A run shorter than the bounded queue's drain time: the latencies cannot
 * differ yet, and the page says so; a longer one does not need to. */
static void too_short_for_latencies_said(void **state)
{
	struct bp_shape u = UNBOUNDED;
	struct fx f;
	const char *t;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u); /* longest 800 ms, under 200 × 5 ms = 1 s */
	add_run(&f, BOUNDED);
	t = fx_explain(&f);
	/* in the verdict, not among the why's bullets */
	assert_claim(fx_verdict(&f),
		     "This run was too short for the latencies to differ: unbounded's longest "
		     "wait (800.0 ms) had not yet passed the 1.00 s a full queue of bounded takes");
	assert_no_claim(t, "too short");
	/* and the why does not call the bounded wait bounded: the unbounded
	 * queue's items waited no longer */
	assert_no_claim(t, "waiting time stayed bounded");
	fx_free(&f);

	u.max_ms = 1500;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u);
	add_run(&f, BOUNDED);
	assert_claim(fx_explain(&f), "waiting time stayed bounded");
	assert_no_claim(fx_verdict(&f), "too short");
	fx_free(&f);
}

/* The verdict's general sentence names only what this run showed growing
 * (issue 18: "backlog, memory and latency grow as long as the run lasts"
 * beside "too short for the latencies to differ"). */
static void verdict_says_what_grew(void **state)
{
	struct bp_shape u = UNBOUNDED;
	struct fx f;
	const char *v;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u); /* too short: longest 800 ms under the 1 s drain */
	add_run(&f, BOUNDED);
	fx_explain(&f);
	v = fx_verdict(&f);
	assert_claim(v, "Without a bound, the backlog and memory keep growing as long as the "
			"producer outruns the consumer.");
	assert_claim(v, "too short for the latencies to differ");
	assert_claim(v, "The backlog and memory above already differ;");
	assert_no_claim(v, "latency grow");
	assert_no_claim(v, "waiting time keep");
	fx_free(&f);

	u.max_ms = 1500; /* long enough: the waits part too */
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u);
	add_run(&f, BOUNDED);
	fx_explain(&f);
	assert_claim(fx_verdict(&f), "Without a bound, the backlog, memory and the waiting time "
				     "keep growing");
	fx_free(&f);

	u.growth_kib = 100; /* memory did not grow with the backlog */
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u);
	add_run(&f, BOUNDED);
	fx_explain(&f);
	v = fx_verdict(&f);
	assert_claim(v, "Without a bound, the backlog and the waiting time keep growing");
	assert_no_claim(v, "memory keep");
	fx_free(&f);
}

/* One memory figure: the RSS the samples (the lesson chart) show, in the
 * verdict and the why alike, not demo.json's start-to-end that includes
 * the threads' stacks (issue 18: 3.8 MiB in the verdict, 3.3 in the
 * chart's caption). */
static void one_memory_figure(void **state)
{
	struct bp_shape u = UNBOUNDED, b = BOUNDED;
	struct fx f;

	(void)state;
	u.rss_sampled = b.rss_sampled = true;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, u); /* samples: 2212 -> 5300 KiB, +3.0 MiB; rss: +3.5 MiB */
	add_run(&f, b); /* samples: 2212 -> 3000 KiB, +0.8 MiB; rss: +1.3 MiB */
	assert_claim(fx_explain(&f), "unbounded: memory grew with it: +3.0 MiB (2.2 → 5.2 MiB)");
	assert_claim(f.text, "Memory grew 3.0 MiB in unbounded against 0.8 MiB in bounded");
	assert_claim(fx_verdict(&f), "800 items were left waiting, memory grew 3.0 MiB");
	assert_claim(f.vtext, "waited, memory grew 0.8 MiB");
	assert_no_claim(f.vtext, "3.5 MiB");
	fx_free(&f);
}

/* The growth rate in words a student reads; the oldest item's age only
 * when the demo timed it (CPython's does not). */
static void rate_in_words_and_oldest_only_when_timed(void **state)
{
	struct fx f;
	const char *t;

	(void)state;
	fx_init(&f, "04_backpressure", 2);
	add_run(&f, UNBOUNDED);
	t = fx_explain(&f);
	assert_claim(t, "1000 a second produced (one every 1 ms) − 200 consumed (one every 5 ms) "
			"= 800 a second");
	assert_claim(t, "the oldest item still queued had waited 800.0 ms");
	fx_free(&f);

	fx_init(&f, "04_backpressure", 2);
	add_run(&f, UNBOUNDED);
	fx_demo_set(&f.runs[0], "{\"oldest_age_ns\": 0}");
	t = fx_explain(&f);
	assert_claim(t, "waiting time grew with the backlog");
	assert_no_claim(t, "oldest item");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(too_short_for_latencies_said),
	    cmocka_unit_test(verdict_says_what_grew),
	    cmocka_unit_test(one_memory_figure),
	    cmocka_unit_test(rate_in_words_and_oldest_only_when_timed),
	    cmocka_unit_test(unbounded_producer_never_blocks),
	    cmocka_unit_test(backlog_grows_at_rate_difference),
	    cmocka_unit_test(memory_grows_with_backlog),
	    cmocka_unit_test(latency_grows),
	    cmocka_unit_test(bounded_producer_held_back),
	    cmocka_unit_test(bounded_backlog_at_capacity),
	    cmocka_unit_test(bounded_latency_bounded),
	    cmocka_unit_test(unbounded_uses_more_memory),
	    cmocka_unit_test(verdict_or_doubt),
	    cmocka_unit_test(one_backlog_figure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

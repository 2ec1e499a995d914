// SPDX-License-Identifier: GPL-2.0
/* 08_streaming's explainer and verdict: each claim made on a run set that
 * shows it, left out on one that does not. */
#include "explain_fixture.h"
#include "report.h"

#define NOT_EMPTY "0x7fff00000910"

/* What one variant looks like; each test changes one figure. */
struct st_shape {
	int load, capacity;		/* capacity 0: unbounded */
	double p99_ms, wait_p99_ms;	/* latency */
	double svc_p50_ms, svc_p99_ms;	/* service */
	double idle_ms;			/* per worker, of 1000 ms, on not_empty */
	double runnable_ms, running_ms; /* per worker */
	double first_p50_ms, last_p50_ms, depth;
	int arrivals, rejected;
};

static const struct st_shape LOW = {50, 0, 5, 3, 2, 2.5, 450, 1, 20, 2.2, 2.4, 0, 1000, 0};
static const struct st_shape HIGH = {95, 0, 20, 18, 2, 2.5, 30, 1, 20, 2.5, 3, 2, 1900, 0};
static const struct st_shape OVER = {110, 0, 250, 248, 2, 2.5, 5, 1, 20, 5, 200, 400, 2200, 0};
static const struct st_shape OVER_B = {110, 16, 12, 10, 2, 2.5, 5, 1, 20, 8, 9, 16, 2200, 250};

static void add_run(struct fx *f, struct st_shape s)
{
	char params[256], root[1024], name[32];
	struct fx_run *r;
	int i;

	snprintf(
	    params, sizeof(params),
	    "{\"workers\": 4, \"service_us\": 2000, \"service\": \"sleep\", \"duration_s\": 1, "
	    "\"load_pct\": %d, \"capacity\": %d}",
	    s.load, s.capacity);
	snprintf(name, sizeof(name), "load-%d%s", s.load, s.capacity ? "-bounded" : "");
	r = fx_variant(f, name, 1.0, params);
	snprintf(root, sizeof(root),
		 "{\"capacity_per_s\": 2000, \"rate_per_s\": %.0f, \"cpus_usable\": 2, "
		 "\"arrivals\": %d, \"rejected\": %d, \"completed\": %d, "
		 "\"latency\": {\"p50\": %.0f, \"p95\": %.0f, \"p99\": %.0f}, "
		 "\"wait\": {\"p99\": %.0f}, \"service\": {\"p50\": %.0f, \"p99\": %.0f}, "
		 "\"windows\": [{\"t_ns\": 100000000, \"p50_ns\": %.0f, \"depth\": 1}, "
		 "{\"t_ns\": 1000000000, \"p50_ns\": %.0f, \"depth\": %.0f}]}",
		 20.0 * s.load, s.arrivals, s.rejected, s.arrivals - s.rejected, s.p99_ms * 0.4e6,
		 s.p99_ms * 0.9e6, s.p99_ms * 1e6, s.wait_p99_ms * 1e6, s.svc_p50_ms * 1e6,
		 s.svc_p99_ms * 1e6, s.first_p50_ms * 1e6, s.last_p50_ms * 1e6, s.depth);
	fx_demo_set(r, root);
	fx_thread(r, 1000 + 100 * (int)(f->n - 1), "main",
		  (struct fx_states){.running = 1, .lock = 999}, 0);
	for (i = 0; i < 4; i++) {
		char w[16];

		snprintf(w, sizeof(w), "worker-%d", i + 1);
		json_t *t = fx_thread(
		    r, 1001 + i + 100 * (int)(f->n - 1), w,
		    (struct fx_states){.running = s.running_ms,
				       .runnable = s.runnable_ms,
				       .lock = s.idle_ms,
				       .sleep = 1000 - s.idle_ms - s.running_ms - s.runnable_ms},
		    s.arrivals / 4);

		if (s.idle_ms)
			fx_syscall(t, "futex", 25, s.idle_ms);
	}
	fx_futex(r, NOT_EMPTY, 100, 4 * s.idle_ms);
	fx_lock(r, "queue not_empty cond", NOT_EMPTY);
}

static const char *explain2(struct fx *f, struct st_shape a, struct st_shape b)
{
	fx_init(f, "08_streaming", 2);
	add_run(f, a);
	add_run(f, b);
	return fx_explain(f);
}

static void hockey_stick(void **state)
{
	struct st_shape hi = HIGH;
	struct fx f;

	(void)state;
	assert_claim(explain2(&f, LOW, hi),
		     "The hockey stick: p99 latency went from 5.0 ms at 50%");
	assert_claim(fx_verdict(&f), "load-95: at 95% of capacity, p99 20.0 ms");
	assert_no_claim(f.vtext, "did not show");
	fx_free(&f);
	hi.p99_ms = 8; /* 1.6×: no stick */
	hi.wait_p99_ms = 6;
	assert_no_claim(explain2(&f, LOW, hi), "The hockey stick");
	assert_claim(fx_verdict(&f), "the hockey stick did not show");
	fx_free(&f);
}

static void noisy_low_load(void **state)
{
	struct st_shape lo = LOW;
	struct fx f;

	(void)state;
	assert_no_claim(explain2(&f, LOW, HIGH), "Mind the low end");
	fx_free(&f);
	lo.p99_ms = 40; /* 20 × the 2 ms service at 50% load */
	lo.wait_p99_ms = 38;
	assert_claim(explain2(&f, lo, HIGH),
		     "Mind the low end: at 50% load p99 was already 40.0 ms, "
		     "20× the 2.0 ms service time");
	fx_free(&f);
}

static void latency_is_waiting(void **state)
{
	struct st_shape hi = HIGH;
	struct fx f;

	(void)state;
	assert_claim(explain2(&f, LOW, hi), "At 95% the latency is mostly waiting in the queue");
	fx_free(&f);
	hi.wait_p99_ms = 5;
	assert_no_claim(explain2(&f, LOW, hi), "mostly waiting");
	fx_free(&f);
}

static void workers_idle_drops(void **state)
{
	struct st_shape hi = HIGH;
	struct fx f;

	(void)state;
	assert_claim(explain2(&f, LOW, hi),
		     "the workers sat idle on the queue's not_empty condition 45% of their time at "
		     "50% load but 3% at 95%");
	fx_free(&f);
	hi.idle_ms = 400;
	assert_no_claim(explain2(&f, LOW, hi), "The kernel shows why");
	fx_free(&f);
}

static void unbounded_grows(void **state)
{
	struct st_shape o = OVER;
	struct fx f;

	(void)state;
	assert_claim(explain2(&f, LOW, o), "load-110: above capacity the unbounded queue grows");
	assert_claim(f.text, "from 5.0 ms in the first window to 200.0 ms in the last");
	fx_free(&f);
	o.last_p50_ms = 6;
	assert_no_claim(explain2(&f, LOW, o), "grows for as long");
	assert_claim(fx_verdict(&f), "did not grow 3×");
	fx_free(&f);
	o = OVER;
	o.idle_ms = 300; /* workers idle: not saturated */
	assert_no_claim(explain2(&f, LOW, o), "grows for as long");
	fx_free(&f);
}

static void bounded_rejects_and_holds(void **state)
{
	struct st_shape b = OVER_B;
	struct fx f;

	(void)state;
	assert_claim(explain2(&f, OVER, b), "the bounded queue (16) rejected 250 of 2200 requests");
	assert_claim(f.text, "p99 stayed 12.0 ms, 0.96× the bound (threshold: ≤ 1.5×)");
	assert_claim(f.text, "the bound made p99 21× lower");
	assert_no_claim(fx_verdict(&f), "did not keep p99");
	fx_free(&f);
	b.rejected = 0;
	b.p99_ms = 100; /* past (16/4 + 1) × 2.5 ms × 1.5, and only 2.5× below */
	assert_no_claim(explain2(&f, OVER, b), "rejected");
	assert_no_claim(f.text, "p99 stayed");
	assert_no_claim(f.text, "the bound made p99");
	assert_claim(fx_verdict(&f), "the bounded queue did not keep p99 3× below");
	fx_free(&f);
}

static void cpus_short(void **state)
{
	struct st_shape hi = HIGH;
	struct fx f;

	(void)state;
	hi.runnable_ms = 80; /* 80 of 100 ms of demand */
	assert_claim(explain2(&f, LOW, hi),
		     "CPUs were short: in load-95 the workers waited 320.0 ms");
	/* no measurement of other work in this fixture: said, never inferred
	 * (issue 18: the Why said "other work held them" beside a quiet trust line) */
	assert_claim(f.text, "other work on the host was not measured in this run");
	assert_no_claim(f.text, "other work on the host held them");
	fx_free(&f);
	assert_no_claim(explain2(&f, LOW, HIGH), "CPUs were short");
	fx_free(&f);
	hi.runnable_ms = 300; /* the workers' own demand: 4 × 800 ms on 2 CPUs */
	hi.running_ms = 600;
	hi.idle_ms = 0;
	assert_claim(explain2(&f, LOW, hi), "more runnable workers than CPUs");
	fx_free(&f);
}

/* The index's Key result is the lesson's comparison (issue 18: each
 * load's p99 in a row): p99 at the lowest load against the highest, and
 * bounded against unbounded above capacity, the verdict's figures. */
static void key_result_is_the_comparison(void **state)
{
	struct sbuf key = SBUF_INIT;
	struct fx f;

	(void)state;
	fx_init(&f, "08_streaming", 2);
	add_run(&f, LOW);
	add_run(&f, HIGH);
	add_run(&f, OVER);
	add_run(&f, OVER_B);
	fx_explain(&f);
	headline_key(&f.rs, &key);
	assert_claim(sb_str(&key), "p99 5.0 ms at 50% load vs 20.0 ms at 95% (4.0×); at 110%: "
				   "p99 12.0 ms bounded vs 250.0 ms unbounded");
	assert_claim(fx_verdict(&f), "load-95: at 95% of capacity, p99 20.0 ms");
	assert_claim(f.vtext, "and p99 held at 12.0 ms");
	sb_free(&key);
	fx_free(&f);
}

/* p99 lower at a higher load is no queueing (issue 18's reading: 30.8 ms
 * at 80% beside 12.3 ms at 90%, under a caption saying p99 climbs with the
 * load): the verdict says so, the monotone run does not. */
static void p99_dip_said(void **state)
{
	struct st_shape mid = HIGH;
	struct fx f;

	(void)state;
	mid.load = 80;
	mid.p99_ms = 30;
	fx_init(&f, "08_streaming", 2);
	add_run(&f, LOW);
	add_run(&f, mid);
	add_run(&f, HIGH);
	fx_explain(&f);
	assert_claim(fx_verdict(&f), "p99 did not rise with the load at every step: 30.0 ms at "
				     "80% against 20.0 ms at 95%");
	fx_free(&f);
	mid.p99_ms = 12;
	fx_init(&f, "08_streaming", 2);
	add_run(&f, LOW);
	add_run(&f, mid);
	add_run(&f, HIGH);
	fx_explain(&f);
	assert_no_claim(fx_verdict(&f), "did not rise with the load");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(key_result_is_the_comparison),
	    cmocka_unit_test(p99_dip_said),
	    cmocka_unit_test(hockey_stick),
	    cmocka_unit_test(noisy_low_load),
	    cmocka_unit_test(latency_is_waiting),
	    cmocka_unit_test(workers_idle_drops),
	    cmocka_unit_test(unbounded_grows),
	    cmocka_unit_test(bounded_rejects_and_holds),
	    cmocka_unit_test(cpus_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

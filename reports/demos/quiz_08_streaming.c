// SPDX-License-Identifier: GPL-2.0
/* 08_streaming's questions (docs/predict.md): p99 latency at 90% load, and
 * the share of requests a small bounded queue rejects at 110%. The models:
 * queueing theory, M/D/c (Poisson arrivals, a fixed service time, c
 * workers): Erlang C's chance to wait and its exponential tail, the wait
 * halved for a fixed service (Kingman); above capacity, the excess 1 − 1/ρ
 * cannot be served. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "predict.h"
#include "sums.h"

static const struct quiz_size sizes[] = {
    {"workers", 4, 4, 2, 8, 1, 2, 8, 1, 0, NULL, false},
    {"service-us", 2000, 2000, 1000, 4000, 500, 1000, 4000, 500, 0, NULL, false},
    {.opt = "seed", .seed_itself = true},
};

/* Erlang C: the chance an arrival waits, c servers offered a erlangs. */
static double erlang_c(double c, double a)
{
	double term = 1, sum = 0, top;

	for (int k = 0; k < (int)c; k++) {
		sum += term;
		term *= a / (k + 1);
	}
	top = term * c / (c - a); /* a^c / c! × c / (c − a) */
	return top / (sum + top);
}

/* Workers that serve at once: a CPU-bound service no more than the CPUs. */
static double servers_of(const struct run_set *rs, const struct run *r)
{
	const json_t *svc = json_object_get(r->demo->params, "service");
	double c = demo_param(r->demo, "workers", 0);

	if (json_string_value(svc) && !strcmp(json_string_value(svc), "cpu"))
		c = fmin(c, (double)fig_cpus(rs));
	return c;
}

static double p99_model(const struct run_set *rs, struct sbuf *rule)
{
	const struct run *r = quiz_run(rs, "load-90");
	double c, s, mu, lambda, pw, wait;

	if (!r || (s = demo_param(r->demo, "service_us", 0) / 1e6) <= 0 ||
	    (c = servers_of(rs, r)) < 1)
		return -1;
	mu = 1 / s;
	lambda = 0.9 * c * mu;
	pw = erlang_c(c, lambda / mu);
	wait = pw > 0.01 ? log(pw / 0.01) / (2 * (c * mu - lambda)) : 0;
	sb_printf(rule,
		  "M/D/%.0f at 90%% load: an arrival waits with Erlang C's chance %.2f, and the "
		  "wait's tail falls as exp(−2(cμ − λ)t) (a fixed service halves M/M/c's wait), so "
		  "99%% wait under %.2f ms; plus the %.2f ms service",
		  c, pw, wait * 1e3, s * 1e3);
	return (s + wait) * 1e3;
}

static double p99_measured(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, "load-90");
	double p = r ? demo_num(r, "latency.p99", -1) : -1;

	return p >= 0 ? p / 1e6 : -1;
}

static void p99_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct run *r = quiz_run(rs, "load-90");
	double wait = demo_num(r, "wait.p99", 0) / 1e6, svc = demo_num(r, "service.p99", 0) / 1e6;

	sb_printf(
	    out,
	    "load-90's p99 was %.2f ms against the model's %.2f ms: its waits' p99 was %.2f ms "
	    "and its service's %.2f ms against the nominal %.2f ms: %s",
	    measured, model, wait, svc, demo_param(r->demo, "service_us", 0) / 1e3,
	    svc > 1.1 * demo_param(r->demo, "service_us", 0) / 1e3
		? "a service slower than nominal (the sleep ends late, the worker waits for "
		  "a CPU) raises the real load above 90%, and the wait grows steeply there."
		: "the service kept its time, so the gap is in the queue: a few seconds of "
		  "Poisson arrivals give a p99 that moves from run to run.");
}

static double rej_model(const struct run_set *rs, struct sbuf *rule)
{
	if (!quiz_run(rs, "load-110-bounded"))
		return -1;
	sb_add(rule, "arrivals 1.1 × what the workers can serve: the excess, 1 − 1/1.1, cannot "
		     "be served and is rejected");
	return 100 * (1 - 1 / 1.1);
}

static double rej_measured(const struct run_set *rs)
{
	const struct run *r = quiz_run(rs, "load-110-bounded");
	double arr = r ? demo_num(r, "arrivals", 0) : 0;

	return arr > 0 ? 100 * demo_num(r, "rejected", 0) / arr : -1;
}

static void rej_gap(const struct run_set *rs, double model, double measured, struct sbuf *out)
{
	const struct run *r = quiz_run(rs, "load-110-bounded");

	sb_printf(out,
		  "The bounded queue rejected %.0f of %.0f requests, %.1f%% against the model's "
		  "%.1f%%: %s",
		  demo_num(r, "rejected", 0), demo_num(r, "arrivals", 0), measured, model,
		  measured > model
		      ? "Poisson arrivals come in bursts, and a burst finds a queue of "
			"a few requests full even while the workers catch up."
		      : "the workers served faster than nominal, or the arrivals "
			"came slower than their rate.");
	(void)rs;
}

static const struct quiz_question questions[] = {
    {"p99_ms_at_90", "load-90",
     "load-90: {workers} workers each take {service-us} µs per request; requests arrive at "
     "random (Poisson) at 90% of what they can serve. What is the p99 latency, in ms?",
     "ms", 0, 1000000, QUIZ_REL, 0.5, p99_model, p99_measured, p99_gap, false},
    {"rejected_pct_at_110", "load-110-bounded",
     "load-110-bounded: arrivals at 110% of capacity, a queue of 4 × {workers} requests that "
     "rejects when full. What share of requests is rejected, in %?",
     "%", 0, 100, QUIZ_ABS, 3, rej_model, rej_measured, rej_gap, false},
};

const struct quiz quiz_08_streaming = {
    .demo = "08_streaming",
    .q = questions,
    .nq = sizeof(questions) / sizeof(questions[0]),
    .sizes = sizes,
    .nsizes = sizeof(sizes) / sizeof(sizes[0]),
};

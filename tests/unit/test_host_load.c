// SPDX-License-Identifier: GPL-2.0
/* The host's load and the tracer's cost (reports/derive/host_load.c): the
 * one verdict at its edges, and the trust line, the Why and the terminal
 * saying the same thing from it: busy names what took the CPUs with its CPU
 * time, quiet says so, nothing else ran says so, a run from before the
 * measurement says it was not measured; the cost line with the programs'
 * runs, events per second and share of the run's CPU time; the index's
 * Trust column from the same verdict. */
#include "explain_fixture.h"

#include "host_load.h"
#include "report.h"

static void verdict_at_its_edges(void **state)
{
	(void)state;
	/* nothing ran, nothing waited */
	assert_int_equal(host_verdict(0, 4e9, 0, 1e9), HOST_QUIET);
	/* nothing to judge against: never a division by zero, never busy */
	assert_int_equal(host_verdict(0, 0, 0, 0), HOST_QUIET);
	assert_int_equal(host_verdict(1e9, 0, 1e9, 0), HOST_QUIET);
	/* the run's wait behind other work: 5% of its demand and 10 ms */
	assert_int_equal(host_verdict(0, 4e9, 49.9e6, 1e9), HOST_QUIET);
	assert_int_equal(host_verdict(0, 4e9, 50e6, 1e9), HOST_BUSY);
	assert_int_equal(host_verdict(0, 4e9, 9.9e6, 100e6), HOST_QUIET); /* 9.9%, under 10 ms */
	assert_int_equal(host_verdict(0, 4e9, 10e6, 100e6), HOST_BUSY);
	/* other work's share of the CPUs' capacity: 25% and 50 ms */
	assert_int_equal(host_verdict(0.249 * 4e9, 4e9, 0, 1e9), HOST_QUIET);
	assert_int_equal(host_verdict(0.25 * 4e9, 4e9, 0, 1e9), HOST_BUSY);
	assert_int_equal(host_verdict(49e6, 100e6, 0, 1e9), HOST_QUIET); /* 49%, under 50 ms */
	assert_int_equal(host_verdict(50e6, 100e6, 0, 1e9), HOST_BUSY);
}

/* sched.json's other_work and tracer for a fixture run over its 1 s window. */
static void fx_host(struct fx_run *r, int cpus, double other_ms, double waited_ms,
		    const char *procs_json, double runs, double run_ms)
{
	json_int_t end = json_integer_value(json_object_get(r->sched, "end_ns"));
	json_t *cpu_list = json_array();

	for (int c = 0; c < cpus; c++)
		json_array_append_new(cpu_list, json_integer(c));
	json_object_set_new(r->sched, "other_work",
			    json_pack("{s:o,s:I,s:I,s:I,s:I,s:o,s:{s:i,s:i},s:i,s:i}", "cpus",
				      cpu_list, "from_ns", (json_int_t)FX_START_NS, "to_ns", end,
				      "cpu_ns", MS(other_ms), "run_waited_ns", MS(waited_ms),
				      "processes", fx_obj(procs_json), "more", "processes", 0,
				      "cpu_ns", 0, "lost_ns", 0, "unseen_switches", 0));
	json_object_set_new(r->sched, "tracer",
			    json_pack("{s:I,s:i,s:[],s:i,s:{s:b,s:I,s:I}}", "cpu_ns", MS(3),
				      "run_waited_ns", 0, "processes", "more_cpu_ns", 0, "programs",
				      "stats", 1, "runs", (json_int_t)runs, "run_ns", MS(run_ms)));
	/* every run the switch program's, at the mean the totals give */
	json_object_set_new(r->sched, "programs",
			    json_pack("[{s:s,s:I,s:I}]", "name", "sched_switch_btf", "run_cnt",
				      (json_int_t)runs, "run_time_ns", MS(run_ms)));
}

/* @n voluntary switches on a thread of the fixture. */
static void fx_switches(json_t *thread, json_int_t n)
{
	json_object_set_new(thread, "nvcsw", json_integer(n));
}

/* The trust line of the fixture's run set. */
static char *trust_of(struct fx *f, bool *warn)
{
	struct check_list cl = {0};
	struct report rp = {0};
	struct sbuf s = SBUF_INIT;
	char *out;

	rp.rs = &f->rs;
	rp.checks = &cl;
	rp.verdict = &f->verdict;
	trust_text(&rp, &s, warn);
	out = strdup(sb_str(&s));
	sb_free(&s);
	return out;
}

static const char *hog =
    "[{\"pid\": 4242, \"comm\": \"noise-hog\", \"cpu_ns\": 1300000000, "
    "\"slices\": 40, \"kthread\": false}, {\"pid\": 77, \"comm\": \"cc1\", "
    "\"cpu_ns\": 200000000, \"slices\": 9, \"kthread\": false}, {\"pid\": 78, "
    "\"comm\": \"cc1\", \"cpu_ns\": 100000000, \"slices\": 9, \"kthread\": false}]";

static void busy_host_named_in_trust_and_why(void **state)
{
	struct fx f;
	struct fx_run *r;
	bool warn;
	char *t;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_switches(
	    fx_thread(r, 1000, "xz", (struct fx_states){.running = 600, .runnable = 400}, 0), 1000);
	fx_host(r, 2, 1600, 300, hog, 50000, 12);
	fx_path(r, "[{\"tid\": 1000, \"comm\": \"xz\", \"state\": \"runnable\", \"ns\": "
		   "700000000}, {\"tid\": 1000, \"comm\": \"xz\", \"state\": \"running\", "
		   "\"ns\": 300000000}]");
	fx_explain(&f);
	t = trust_of(&f, &warn);
	assert_true(warn);
	/* the bound names who held the CPUs: 300 of the run's 400 ms of waits */
	assert_claim(f.text, "What bounded the run: the CPUs: 70% of the critical path's");
	assert_claim(f.text, "other processes held them for 75% of the run's waits for a CPU "
			     "(the trust line names them)");
	assert_claim(t, "The host was busy");
	assert_claim(t, "noise-hog 1.30 s");
	assert_claim(t, "cc1 300.0 ms (2 processes)");
	assert_claim(t, "(80%"); /* 1.6 s of 2 CPUs x 1 s */
	assert_claim(t, "waited 300.0 ms");
	assert_no_claim(t, "The host was quiet");
	/* the Why says the same, from the same figures */
	assert_claim(f.text, "Other work on the host held the CPUs");
	assert_claim(f.text, "noise-hog");
	/* the cost line: runs, events per second, time, share of the run's CPU */
	assert_claim(t, "Tracing cost: the eBPF programs ran 50000 times (50000 events/s, every "
			"task's) for 12.0 ms in all, 240 ns per event; the run's own switches, "
			"wakeups and syscalls set off about 240.0 µs of it, 0.0% of the run's "
			"600.0 ms of CPU time");
	assert_no_claim(t, "comparable");
	free(t);
	fx_free(&f);
}

/* index.md of the fixture's one run folder, written into it. */
static char *index_of(struct fx *f)
{
	char *dirs[] = {f->dir}, err[256], path[128];
	bool fatal;
	FILE *in;
	char *buf = calloc(1, 1 << 16);

	assert_non_null(buf);
	assert_int_equal(report_index(f->dir, dirs, 1, &fatal, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/index.md", f->dir);
	in = fopen(path, "r");
	assert_non_null(in);
	assert_true(fread(buf, 1, (1 << 16) - 1, in) > 0);
	fclose(in);
	return buf;
}

static void index_trust_column_agrees(void **state)
{
	struct fx f;
	struct fx_run *r;
	char *md;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "xz", (struct fx_states){.running = 600, .runnable = 400}, 0);
	fx_host(r, 2, 1600, 300, hog, 50000, 12);
	fx_explain(&f);
	md = index_of(&f);
	assert_claim(md, "caution: a busy host: other work took 80% of the CPUs");
	assert_claim(md, "The host was busy");
	free(md);
	fx_free(&f);

	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "xz", (struct fx_states){.running = 600, .runnable = 10}, 0);
	fx_host(r, 2, 0, 0, "[]", 1000, 1);
	fx_explain(&f);
	md = index_of(&f);
	assert_no_claim(md, "busy host");
	assert_claim(md, "The host was quiet: nothing else ran");
	free(md);
	fx_free(&f);
}

static void quiet_host_said_quiet_everywhere(void **state)
{
	struct fx f;
	struct fx_run *r;
	bool warn;
	char *t;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	/* a program that keeps both CPUs busy itself, its threads waiting for each other */
	fx_thread(r, 1000, "xz", (struct fx_states){.running = 900, .runnable = 500}, 0);
	fx_thread(r, 1001, "xz", (struct fx_states){.running = 900, .runnable = 500}, 0);
	fx_host(r, 2, 20, 1,
		"[{\"pid\": 9, \"comm\": \"kworker/0:1\", \"cpu_ns\": 20000000, \"slices\": 30, "
		"\"kthread\": true}]",
		1000, 1);
	fx_path(r, "[{\"tid\": 1001, \"comm\": \"xz\", \"state\": \"runnable\", \"ns\": "
		   "600000000}, {\"tid\": 1000, \"comm\": \"xz\", \"state\": \"running\", "
		   "\"ns\": 400000000}]");
	fx_explain(&f);
	t = trust_of(&f, &warn);
	assert_false(warn);
	/* the CPUs bounded the run, but the program's own threads held them */
	assert_claim(f.text, "the run's own threads held them; other processes for 0% of its "
			     "waits for a CPU.");
	assert_no_claim(f.text, "trust line names them");
	assert_claim(t, "The host was quiet");
	assert_claim(t, "kworker/0:1 20.0 ms");
	assert_no_claim(t, "busy");
	assert_no_claim(f.text, "Other work on the host held");
	free(t);
	fx_free(&f);
}

static void nothing_else_ran_and_unmeasured_said_so(void **state)
{
	struct fx f;
	struct fx_run *r;
	bool warn;
	char *t;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "xz", (struct fx_states){.running = 900}, 0);
	fx_host(r, 2, 0, 0, "[]", 1000, 1);
	fx_explain(&f);
	t = trust_of(&f, &warn);
	assert_claim(t, "The host was quiet: nothing else ran on the run's CPUs.");
	free(t);
	fx_free(&f);

	/* a collector from before the measurement: said, never inferred */
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "xz", (struct fx_states){.running = 50, .runnable = 900}, 0);
	fx_explain(&f);
	t = trust_of(&f, &warn);
	assert_claim(t, "Other work on the host was not measured");
	assert_no_claim(t, "The host was quiet");
	assert_no_claim(t, "Tracing cost");
	free(t);
	fx_free(&f);
}

static void cost_comparable_to_the_run_said(void **state)
{
	struct fx f;
	struct fx_run *r;
	bool warn;
	char *t;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	/* 100,000 switches at the switch program's 200 ns: 20 ms against 100 ms of run */
	fx_switches(
	    fx_thread(r, 1000, "pingpong", (struct fx_states){.running = 100, .sleep = 900}, 0),
	    100000);
	fx_host(r, 2, 0, 0, "[]", 200000, 40);
	fx_explain(&f);
	t = trust_of(&f, &warn);
	assert_true(warn);
	assert_claim(t, "about 20.0 ms of it, 20.0% of the run's 100.0 ms of CPU time");
	assert_claim(t, "comparable to the run's own CPU time");
	free(t);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(verdict_at_its_edges),
	    cmocka_unit_test(busy_host_named_in_trust_and_why),
	    cmocka_unit_test(quiet_host_said_quiet_everywhere),
	    cmocka_unit_test(nothing_else_ran_and_unmeasured_said_so),
	    cmocka_unit_test(cost_comparable_to_the_run_said),
	    cmocka_unit_test(index_trust_column_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The timeline picture: a well-formed SVG with one lane per thread (per role
 * when many), names escaped, the window chosen to show the story, and clear
 * errors for a missing or corrupt timeline.json. */
#include "explain_fixture.h" /* cmocka, and fx_repo_path for the fixture */
#include "palette.h"
#include "timeline_svg.h"
#include "timeline_window.h"
#include "wakes.h"

static struct run run_at(const char *dir)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	snprintf(r.path, sizeof(r.path), "%s", dir);
	snprintf(r.dir, sizeof(r.dir), "threads-gil");
	snprintf(r.variant, sizeof(r.variant), "threads-gil");
	return r;
}

/* The SVG of @dir as a string (caller frees); @rc gets timeline_svg's result. */
static char *render(const char *dir, int *rc, char *err, size_t errlen)
{
	struct run r = run_at(dir);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*rc = timeline_svg(&r, f, err, errlen);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static double attr(const char *svg, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "%s=\"", name);
	p = strstr(svg, key);
	assert_non_null(p);
	return strtod(p + strlen(key), NULL);
}

/* A temporary run folder holding a generated timeline.json. */
struct tmp_run {
	char dir[64];
	char file[96];
	FILE *f;
	int first;
};

static void tmp_open(struct tmp_run *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/schedlab-tlsvg-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->file, sizeof(t->file), "%s/timeline.json", t->dir);
	t->f = fopen(t->file, "w");
	assert_non_null(t->f);
	fputs("{\"traceEvents\":[\n", t->f);
	t->first = 1;
}

static void tmp_slice_pid(struct tmp_run *t, int pid, int tid, const char *state, double ts,
			  double dur)
{
	fprintf(t->f,
		"%s{\"name\":\"%s\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f}",
		t->first ? "" : ",\n", state, pid, tid, ts, dur);
	t->first = 0;
}

static void tmp_slice(struct tmp_run *t, int tid, const char *state, double ts, double dur)
{
	tmp_slice_pid(t, 1, tid, state, ts, dur);
}

static void tmp_name(struct tmp_run *t, int tid, const char *name)
{
	fprintf(t->f,
		"%s{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":{\"name\":"
		"\"%s\"}}",
		t->first ? "" : ",\n", tid, name);
	t->first = 0;
}

static void tmp_close(struct tmp_run *t)
{
	fputs("\n]}\n", t->f);
	assert_int_equal(fclose(t->f), 0);
}

static void tmp_remove(struct tmp_run *t)
{
	unlink(t->file);
	rmdir(t->dir);
}

/* Two workers taking turns on a lock every 5 ms for 2 s, and main waiting. */
static void write_gil_like(struct tmp_run *t, int workers)
{
	const double total = 2e6, slot = 5000;
	char name[32];
	int w;

	tmp_open(t);
	tmp_slice(t, 1, "running", 0, 100);
	tmp_slice(t, 1, "lock", 100, total - 100);
	tmp_name(t, 1, "main");
	for (w = 0; w < workers; w++) {
		double ts = 200;
		int k = 0;

		for (; ts < total; ts += slot, k++)
			tmp_slice(t, 2 + w, (k + w) % workers ? "lock" : "running", ts,
				  ts + slot > total ? total - ts : slot);
		snprintf(name, sizeof(name), "worker-%d", w);
		tmp_name(t, 2 + w, name);
	}
	tmp_close(t);
}

static void small_fixture_is_drawn_whole(void **state)
{
	char dir[PATH_MAX], err[256] = "";
	char *svg;
	int rc, k;

	(void)state;
	fx_repo_path(dir, sizeof(dir), "tests/fixtures/timeline/small");
	svg = render(dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "</svg>"));
	assert_int_equal(count(svg, "<g"), count(svg, "</g>"));
	/* 30 ms in all, short enough to show whole. */
	assert_true(attr(svg, "data-window-start-us") < 1);
	assert_true(attr(svg, "data-window-end-us") > 29999);
	assert_int_equal((int)attr(svg, "data-lanes"), 4);
	assert_non_null(strstr(svg, "data-lanes-are=\"threads\""));
	assert_non_null(strstr(svg, "the whole trace"));
	/* The comm <b>&"x' arrives escaped, never as markup. */
	assert_non_null(strstr(svg, "&lt;b&gt;&amp;&quot;x&#39;"));
	assert_null(strstr(svg, "<b>"));
	/* A legend entry for every state, in the palette's colors; the lanes use them. */
	for (k = 0; k < ST_COUNT; k++) {
		char want[96];

		snprintf(want, sizeof(want), ">%s</text>", state_names[k]);
		assert_non_null(strstr(svg, want));
		snprintf(want, sizeof(want), "fill=\"%s\"", state_color((enum st_thread_state)k));
		/* legend, and a lane for the states the fixture holds long enough to see */
		assert_true(count(svg, want) >= (k == ST_RUNNABLE || k == ST_DISK ? 1u : 2u));
	}
	/* A time axis with labels in ms. */
	assert_true(count(svg, " ms</text>") >= 4);
	free(svg);
}

static void svg_is_well_formed_xml(void **state)
{
	char dir[PATH_MAX], err[256] = "", path[] = "/tmp/schedlab-tlsvg-XXXXXX.svg";
	char cmd[256];
	char *svg;
	FILE *f;
	int rc, fd;

	(void)state;
	if (system("command -v python3 >/dev/null 2>&1"))
		skip(); /* the C checks above still run */
	fx_repo_path(dir, sizeof(dir), "tests/fixtures/timeline/small");
	svg = render(dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(svg, f);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, xml.etree.ElementTree as E; "
		 "r = E.parse(sys.argv[1]).getroot(); "
		 "sys.exit(r.tag != \"{http://www.w3.org/2000/svg}svg\")' %s",
		 path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	free(svg);
}

static void gil_like_window_shows_handoffs(void **state)
{
	struct tmp_run t;
	char err[256] = "";
	double ws, we;
	char *svg, *lane;
	int rc;

	(void)state;
	write_gil_like(&t, 2);
	svg = render(t.dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	ws = attr(svg, "data-window-start-us");
	we = attr(svg, "data-window-end-us");
	/* 200 lock waits per worker over 2 s: 12 of them take 120 ms; the window
	 * sits in the middle of the run, not at its start. */
	assert_true(we - ws > 50e3 && we - ws < 200e3);
	assert_true(ws > 0.5e6 && we < 1.5e6);
	/* Each worker lane alternates: several running and several lock rectangles. */
	lane = strstr(svg, ">worker-0</text>");
	assert_non_null(lane);
	*strstr(lane, "</g>") = '\0';
	assert_true(count(lane, state_color(ST_RUNNING)) >= 5);
	assert_true(count(lane, state_color(ST_LOCK)) >= 5);
	free(svg);
	tmp_remove(&t);
}

static void many_threads_become_roles(void **state)
{
	struct tmp_run t;
	char err[256] = "";
	char *svg;
	int rc;

	(void)state;
	write_gil_like(&t, TIMELINE_MAX_LANES + 6);
	svg = render(t.dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_non_null(strstr(svg, "data-lanes-are=\"roles\""));
	assert_int_equal((int)attr(svg, "data-lanes"), 2);
	assert_non_null(strstr(svg, ">worker-* ×30</text>"));
	free(svg);
	tmp_remove(&t);
}

static void busy_run_without_waits_is_drawn_whole(void **state)
{
	struct tmp_run t;
	char err[256] = "";
	char *svg;
	int rc, k;

	(void)state;
	tmp_open(&t);
	/* 2 s of running with many preemptions but no blocking wait. */
	for (k = 0; k < 4000; k++) {
		tmp_slice(&t, 7, "running", k * 500.0, 450);
		tmp_slice(&t, 7, "runnable", k * 500.0 + 450, 50);
	}
	tmp_close(&t);
	svg = render(t.dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_true(attr(svg, "data-window-start-us") < 1);
	assert_true(attr(svg, "data-window-end-us") > 1.99e6);
	assert_non_null(strstr(svg, ">tid 7</text>")); /* no thread_name: named by tid */
	/* Preempted 10% of the time, finely interleaved: the lane shows that
	 * share, not a thread that only ran. */
	assert_non_null(strstr(strstr(svg, ">tid 7</text>"), state_color(ST_RUNNABLE)));
	free(svg);
	tmp_remove(&t);
}

static void lanes_grouped_by_process(void **state)
{
	struct tmp_run t;
	char err[256] = "";
	char *svg, *a, *b, *c;
	int rc;

	(void)state;
	tmp_open(&t);
	/* main (pid 1) starts, then a server process (pid 9), then main's worker. */
	tmp_slice_pid(&t, 1, 1, "lock", 0, 1000);
	tmp_slice_pid(&t, 9, 9, "sleep", 100, 900);
	tmp_slice_pid(&t, 1, 2, "io", 200, 800);
	tmp_name(&t, 1, "main");
	tmp_name(&t, 2, "worker-1");
	tmp_close(&t);
	svg = render(t.dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	a = strstr(svg, ">main</text>");
	b = strstr(svg, ">worker-1</text>");
	c = strstr(svg, ">tid 9</text>");
	assert_true(a && b && c);
	assert_true(a < b && b < c); /* the worker beside main, the other process after */
	free(svg);
	tmp_remove(&t);
}

static void missing_timeline_returns_1(void **state)
{
	char dir[] = "/tmp/schedlab-tlsvg-XXXXXX", err[256] = "";
	char *svg;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	svg = render(dir, &rc, err, sizeof(err));
	assert_int_equal(rc, 1);
	assert_string_equal(svg, ""); /* nothing written */
	free(svg);
	rmdir(dir);
}

static void corrupt_timeline_is_named(void **state)
{
	static const char *const bad[] = {
	    "{\"traceEvents\":[{\"name\":\"running\",\"ph\":\"X\",\"tid\":1,\"ts\":0,",
	    "{\"traceEvents\":[{\"name\":\"running\",\"ph\":\"X\",\"tid\":1}]}",
	    "{\"traceEvents\":[{\"name\":\"thread_name\",\"ph\":\"M\",\"tid\":1,"
	    "\"args\":{\"name\":\"x\"}}]}",
	    "{\"other\": 1}",
	    "",
	};
	static const char *const why[] = {"cut short", "needs", "no state slices", "traceEvents",
					  "empty"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tmp_run t;
		char err[512] = "";
		char *svg;
		int rc;

		tmp_open(&t);
		assert_non_null(freopen(t.file, "w", t.f));
		fputs(bad[i], t.f);
		assert_int_equal(fclose(t.f), 0);
		svg = render(t.dir, &rc, err, sizeof(err));
		assert_int_equal(rc, -1);
		assert_non_null(strstr(err, t.file));
		if (!strstr(err, why[i]))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, why[i]);
		free(svg);
		tmp_remove(&t);
	}
}

/* A slice with who ended the wait before it (args.waker_kind, as the
 * collector writes it), in ms from the start of tracing. */
static void tmp_woken(struct tmp_run *t, int tid, const char *state, double ms, double dur_ms,
		      const char *kind, int waker)
{
	fprintf(t->f,
		"%s{\"name\":\"%s\",\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,"
		"\"dur\":%.3f,\"args\":{\"cpu\":0",
		t->first ? "" : ",\n", state, tid, ms * 1e3, dur_ms * 1e3);
	if (kind)
		fprintf(t->f, ",\"waker_kind\":\"%s\",\"waker\":%d,\"host\":0", kind, waker);
	fputs("}}", t->f);
	t->first = 0;
}

/*
 * main (1) joins its worker (2), ends the measured section at 12 ms, then
 * stops and joins a sampler (3) that slept on a timer: the collector's walk
 * (from the last thread to end) is the sampler's sleep; the report's, over
 * the section from main, is the worker's running. @wakers false: a timeline
 * written before it named wakers, where the collector's path stays.
 */
static void sampler_timeline(struct tmp_run *t, bool wakers)
{
	tmp_open(t);
	tmp_woken(t, 1, "running", 0, 1, NULL, 0);
	tmp_woken(t, 1, "lock", 1, 9, NULL, 0);
	tmp_woken(t, 1, "runnable", 10, 1, wakers ? "thread" : NULL, 2);
	tmp_woken(t, 1, "running", 11, 1, NULL, 0);
	tmp_woken(t, 1, "lock", 12, 8, NULL, 0);
	tmp_woken(t, 1, "runnable", 20, 1, wakers ? "thread" : NULL, 3);
	tmp_woken(t, 1, "running", 21, 1, NULL, 0);
	tmp_woken(t, 2, "runnable", 1, 1, wakers ? "fork" : NULL, 1);
	tmp_woken(t, 2, "running", 2, 8, NULL, 0);
	tmp_woken(t, 3, "runnable", 1, 1, wakers ? "fork" : NULL, 1);
	tmp_woken(t, 3, "sleep", 2, 16, NULL, 0);
	tmp_woken(t, 3, "runnable", 18, 1, wakers ? "hardirq" : NULL, 1);
	tmp_woken(t, 3, "running", 19, 1, NULL, 0);
	tmp_close(t);
}

static void window_path_of(const char *dir, struct run *r, struct demo_result *d,
			   struct sched_thread *th)
{
	static const char *const comms[] = {"main", "worker-1", "sampler"};
	struct crit_path *cp = calloc(1, sizeof(*cp));

	*r = run_at(dir);
	r->has_timeline = true;
	r->sched.start_ns = 1000000000ULL;
	memset(d, 0, sizeof(*d));
	d->pid = 1;
	d->start_ns = r->sched.start_ns;
	d->end_ns = r->sched.start_ns + 12000000ULL;
	r->demo = d;
	for (int i = 0; i < 3; i++) {
		memset(&th[i], 0, sizeof(th[i]));
		th[i].tid = i + 1;
		th[i].pid = 1;
		snprintf(th[i].comm, sizeof(th[i].comm), "%s", comms[i]);
	}
	r->sched.threads = th;
	r->sched.nthreads = 3;
	assert_non_null(cp);
	cp->covered_ns = 22000000; /* the collector's, from the last thread to end */
	r->sched.cpath = cp;
}

static void critical_path_over_the_measured_section(void **state)
{
	struct tmp_run t;
	struct run r;
	struct demo_result d;
	struct sched_thread th[3];
	char err[256];
	const struct crit_path *p;

	(void)state;
	sampler_timeline(&t, true);
	window_path_of(t.dir, &r, &d, th);
	if (window_path(&r, err, sizeof(err)))
		fail_msg("window_path: %s", err);
	p = r.sched.cpath;
	assert_true(p->measured);
	assert_int_equal(p->end_tid, 1);
	assert_int_equal(p->covered_ns, 12000000);
	assert_int_equal(p->by[0].tid, 2);
	assert_int_equal(p->by[0].state, ST_RUNNING);
	assert_int_equal(p->by[0].ns, 8000000);
	assert_string_equal(p->by[0].comm, "worker-1");
	for (size_t i = 0; i < p->nby; i++)
		assert_int_not_equal(p->by[i].tid, 3); /* the sampler's teardown is off it */
	wakes_free(&r.sched);
	tmp_remove(&t);

	/* Written before the timeline named wakers: the collector's path stays. */
	sampler_timeline(&t, false);
	window_path_of(t.dir, &r, &d, th);
	assert_int_equal(window_path(&r, err, sizeof(err)), 1);
	assert_false(r.sched.cpath->measured);
	assert_int_equal(r.sched.cpath->covered_ns, 22000000);
	wakes_free(&r.sched);
	tmp_remove(&t);
}

/* Every line of words in the shared picture fits its width (issue 18's
 * reading of 01: the subtitle ran past the right edge, cut off at "a wakeup
 * however shor"). At 11 px a sans-serif character is about 6 px wide: a
 * line of the 960 px picture holds about 150 of them. */
static void shared_picture_words_fit(void **state)
{
	struct tmp_run t;
	struct demo_thread th = {.tid = 2, .pid = 1, .tasks = 3};
	struct demo_result d = {.pid = 1, .wall_s = 0.01, .threads = &th, .nthreads = 1};
	struct run r;
	const struct run *runs[1] = {&r};
	char err[256] = "", *buf = NULL;
	size_t len = 0;
	FILE *f;
	const char *p;

	(void)state;
	tmp_open(&t);
	tmp_slice(&t, 2, "io", 0, 9000);
	tmp_slice(&t, 2, "running", 9000, 1000);
	tmp_name(&t, 2, "worker-1");
	tmp_close(&t);
	r = run_at(t.dir);
	r.has_timeline = true;
	r.demo = &d;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(
	    timeline_shared_svg(runs, 1, "Every variant on one time axis", f, err, sizeof(err)), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "worker-1"));
	for (p = strstr(buf, "<text"); p; p = strstr(p + 1, "<text")) {
		const char *open = strchr(p, '>'), *close = strstr(p, "</text>");

		assert_non_null(close);
		if ((size_t)(close - open - 1) > 150)
			fail_msg("a line of %zu characters: %.*s", (size_t)(close - open - 1),
				 (int)(close - open - 1), open + 1);
	}
	free(buf);
	tmp_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(small_fixture_is_drawn_whole),
	    cmocka_unit_test(shared_picture_words_fit),
	    cmocka_unit_test(svg_is_well_formed_xml),
	    cmocka_unit_test(gil_like_window_shows_handoffs),
	    cmocka_unit_test(many_threads_become_roles),
	    cmocka_unit_test(busy_run_without_waits_is_drawn_whole),
	    cmocka_unit_test(lanes_grouped_by_process),
	    cmocka_unit_test(missing_timeline_returns_1),
	    cmocka_unit_test(corrupt_timeline_is_named),
	    cmocka_unit_test(critical_path_over_the_measured_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The report document and its two renderings: escaping of untrusted names,
 * the sections on a fixture run folder, PARTIAL at the top of a partial run,
 * and the HTML carrying its charts inline. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charts.h"
#include "escape.h"
#include "render.h"
#include "report.h"

/* A copy of the fixture folder in a temporary directory: the report writes there. */
static char *copy_fixture(const char *name)
{
	char tmpl[] = "/tmp/schedlab-test-report.XXXXXX", cmd[512], *dir;

	assert_non_null(mkdtemp(tmpl));
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/%s/. %s/", name, tmpl);
	assert_int_equal(system(cmd), 0);
	dir = strdup(tmpl);
	assert_non_null(dir);
	return dir;
}

static void remove_dir(char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

struct built {
	struct run_set rs;
	struct check_list cl;
	struct sentences why;
	struct verdicts verdict;
	struct report rp;
	struct sbuf md, html;
};

static void build(struct built *b, const char *dir)
{
	char err[1024];

	memset(b, 0, sizeof(*b));
	assert_int_equal(run_set_load(&b->rs, dir, err, sizeof(err)), 0);
	run_set_derive(&b->rs);
	checks_run(&b->rs, &b->cl);
	explain_run_set(&b->rs, &b->why);
	verdict_of(&b->rs, &b->verdict);
	b->rp.verdict = &b->verdict;
	b->rp.rs = &b->rs;
	b->rp.checks = &b->cl;
	b->rp.why = &b->why;
	assert_int_equal(report_build(&b->rp, err, sizeof(err)), 0);
	render_md(&b->rp.doc, &b->md);
	if (render_html(&b->rp.doc, "t", dir, &b->html, err, sizeof(err)))
		fail_msg("render_html: %s", err);
}

static void unbuild(struct built *b)
{
	sb_free(&b->md);
	sb_free(&b->html);
	doc_free(&b->rp.doc);
	sentences_free(&b->why);
	verdict_free(&b->verdict);
	checks_free(&b->cl);
	run_set_free(&b->rs);
}

static void escapes_untrusted_names(void **state)
{
	static const char *const head[] = {"name", "value", NULL};
	struct doc d = {0};
	struct doc_block *t;
	struct sbuf md = SBUF_INIT, html = SBUF_INIT;
	char err[200];

	(void)state;
	doc_heading(&d, 2, "a <b> & c");
	t = doc_table(&d, head);
	doc_cell(t, "%s", "x|y<script>");
	doc_cell(t, "%d", 7);
	doc_item(doc_links(&d), "dir with space/f\"x.json", "%s", "link <t>");
	render_md(&d, &md);
	assert_int_equal(render_html(&d, "<t>", "/nonexistent", &html, err, sizeof(err)), 0);
	/* Markdown: a | in a cell cannot split it; < cannot open a tag */
	assert_non_null(strstr(sb_str(&md), "| x\\|y\\<script\\> | 7 |"));
	assert_non_null(strstr(sb_str(&md), "](dir%20with%20space/f%22x.json)"));
	/* HTML: no raw < from the data, quotes cannot leave an attribute */
	assert_null(strstr(sb_str(&html), "<script>"));
	assert_non_null(strstr(sb_str(&html), "x|y&lt;script&gt;"));
	assert_non_null(strstr(sb_str(&html), "<title>&lt;t&gt;</title>"));
	assert_non_null(strstr(sb_str(&html), "href=\"dir%20with%20space/f%22x.json\""));
	sb_free(&md);
	sb_free(&html);
	doc_free(&d);
}

static void gnuplot_labels_cannot_escape_the_string(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(gnuplot_label(out, sizeof(out), "a\"; system('id') #"),
			    "a?? system(?id?) #");
	assert_string_equal(gnuplot_label(out, 5, "worker-12"), "work");
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void report_has_every_section(void **state)
{
	/* the lesson first, then the reference material folded, in this order */
	static const char *const want[] = {"## Verdict",
					   "Cross-checks: ",
					   "## Why",
					   "## Timelines",
					   "<details><summary>Per variant",
					   "| threads-gil | 1 | 0.444 |",
					   "<details><summary>Per thread",
					   "charts/threads-threads-gil.svg",
					   "<details><summary>System calls",
					   "<details><summary>Lock waits",
					   "| GIL mutex |",
					   "<details><summary>Waiting for a CPU",
					   "<details><summary>Cross-checks",
					   "<details><summary>Kernel accounting",
					   "<details><summary>Commands and files",
					   "sudo ./scripts/trace 02_cpu_bound --quick"};
	char *dir = copy_fixture("run-ok");
	const char *at;
	struct built b;
	size_t i;

	(void)state;
	build(&b, dir);
	for (i = 0, at = sb_str(&b.md); i < sizeof(want) / sizeof(want[0]); i++) {
		const char *p = strstr(at, want[i]);

		if (!p)
			fail_msg("report.md lacks \"%s\" (or has it before \"%s\")", want[i],
				 i ? want[i - 1] : "the start");
		at = p;
	}
	/* every fold is closed, in both renderings */
	assert_int_equal(count(sb_str(&b.md), "<details>"), count(sb_str(&b.md), "</details>"));
	assert_int_equal(count(sb_str(&b.html), "<details>"), count(sb_str(&b.html), "</details>"));
	assert_null(strstr(sb_str(&b.md), "PARTIAL"));
	/* no timeline.json in the fixture: said, not left out silently */
	assert_non_null(strstr(sb_str(&b.md), "no timeline.json in this run"));
	if (gnuplot_path()) {
		/* the charts are inline: the page needs no other file */
		assert_non_null(strstr(sb_str(&b.html), "<svg"));
		assert_null(strstr(sb_str(&b.html), "<?xml"));
		assert_int_equal(b.rp.nchart_errors, 0);
	}
	unbuild(&b);
	remove_dir(dir);
}

static void partial_run_says_so_at_the_top(void **state)
{
	char *dir = copy_fixture("run-partial");
	struct built b;

	(void)state;
	build(&b, dir);
	assert_int_equal(strncmp(sb_str(&b.md), "# PARTIAL ", 10), 0);
	assert_non_null(strstr(sb_str(&b.md), "> **Note:** PARTIAL"));
	unbuild(&b);
	remove_dir(dir);
}

/* A run traced without schedtrace --syscalls: its syscall table says it was
 * not collected, not that there were none; the other variant's is kept. */
static void uncounted_syscalls_are_said(void **state)
{
	char *dir = copy_fixture("run-ok"), cmd[1024];
	struct built b;

	(void)state;
	snprintf(
	    cmd, sizeof(cmd),
	    "jq '.syscalls_traced = false | .threads[].syscalls = []' %s/threads-gil/sched.json "
	    "> %s/s.json && mv %s/s.json %s/threads-gil/sched.json",
	    dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	build(&b, dir);
	assert_false(run_set_variant(&b.rs, "threads-gil")->rep->sched.syscalls_traced);
	assert_non_null(strstr(sb_str(&b.md), "threads-gil: the per-syscall table was not "
					      "collected: the collector ran without --syscalls."));
	assert_null(strstr(sb_str(&b.md), "threads-gil: no syscalls recorded"));
	assert_true(run_set_variant(&b.rs, "processes")->rep->sched.syscalls_traced);
	unbuild(&b);
	remove_dir(dir);
}

/* A run with no variant's syscalls timed (the collector's default) says so
 * once, in plain words, and how to get the table; no table, no row. */
static void default_run_says_no_syscall_table(void **state)
{
	char *dir = copy_fixture("run-ok"), cmd[1024];
	struct built b;

	(void)state;
	snprintf(cmd, sizeof(cmd),
		 "for v in %s/*/sched.json; do jq '.syscalls_traced = false | "
		 ".threads[].syscalls = []' \"$v\" > %s/s.json && mv %s/s.json \"$v\" || exit 1; "
		 "done",
		 dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	build(&b, dir);
	assert_non_null(strstr(sb_str(&b.md), "The per-syscall table was not collected in this "
					      "run"));
	assert_non_null(strstr(sb_str(&b.md), "trace with --syscalls"));
	assert_null(strstr(sb_str(&b.md), "Time from entry to exit of each call"));
	assert_null(strstr(sb_str(&b.md), "distinct syscalls"));
	unbuild(&b);
	remove_dir(dir);
}

/* Each py-* variant's timeline has its own caption: CPython sleeps where the
 * C demo asks a server, and its serial run has no workers computing in
 * parallel; a C variant keeps the model's. */
static void py_variants_have_their_own_captions(void **state)
{
	(void)state;
	assert_non_null(strstr(timeline_caption("01_io_wait", "py-serial"), "sleep"));
	assert_null(strstr(timeline_caption("01_io_wait", "py-threads-5"), "io, dark blue"));
	assert_non_null(strstr(timeline_caption("01_io_wait", "threads-5"), "io, dark blue"));
	assert_null(strstr(timeline_caption("02_cpu_bound", "py-serial"), "parallel"));
	assert_non_null(strstr(timeline_caption("02_cpu_bound", "py-threads"), "GIL"));
	assert_non_null(strstr(timeline_caption("02_cpu_bound", "convoy"), "GIL"));
	assert_non_null(strstr(timeline_caption("02_cpu_bound", "py-processes"), "parallel"));
	/* a static caption cannot know this run: it says how to read, never
	 * "they compute in parallel" of a run a busy host kept waiting */
	assert_null(
	    strstr(timeline_caption("02_cpu_bound", "processes"), "they compute in parallel"));
	assert_non_null(strstr(timeline_caption("03_event_loop", "py-blocking"), "sleeps"));
	assert_null(strstr(timeline_caption("05_thread_overhead", "py-threads-8"), "io"));
	/* 06's say what to see (issue 18: "hybrid" alone said nothing), each
	 * variant its own: hybrid-unbounded is not read as hybrid */
	assert_non_null(strstr(timeline_caption("06_hybrid_pipeline", "hybrid"), "sets the pace"));
	assert_non_null(
	    strstr(timeline_caption("06_hybrid_pipeline", "hybrid-unbounded"), "no bound"));
	assert_non_null(strstr(timeline_caption("06_hybrid_pipeline", "threads-only"), "lock"));
	assert_non_null(strstr(timeline_caption("08_streaming", "load-110-bounded"), "rejected"));
	assert_non_null(strstr(timeline_caption("08_streaming", "load-80"), "idle"));
}

/* The index's Trust column and the report's trust line come from one
 * function (issue 18: the index said "ok" beside a report whose cross-check
 * failed, "caution" beside one with nothing to warn of): a failed
 * cross-check warns in both, and says so. */
static void trust_column_agrees_with_the_trust_line(void **state)
{
	char *dir = copy_fixture("run-ok");
	struct sbuf line = SBUF_INIT, why = SBUF_INIT;
	struct built b;
	bool warn_line, warn_col;

	(void)state;
	build(&b, dir);
	assert_true(b.cl.n > 0);
	b.cl.c[0].verdict = V_FAIL; /* one cross-check failed */
	trust_text(&b.rp, &line, &warn_line);
	trust_caution(&b.rp, &why, &warn_col);
	assert_true(warn_line);
	assert_true(warn_col);
	if (!strstr(sb_str(&why), "1 cross-check failed"))
		fail_msg("Trust column: %s", sb_str(&why));
	sb_free(&line);
	sb_free(&why);
	unbuild(&b);
	remove_dir(dir);
}

/* The Key result is the lesson's headline figures (issue 18: the index
 * listed each variant's wall time): a pool's speed-up over its serial run. */
static void key_result_is_the_speedup(void **state)
{
	char *dir = copy_fixture("explain/02-quick");
	struct sbuf key = SBUF_INIT;
	struct built b;

	(void)state;
	build(&b, dir);
	headline_key(&b.rs, &key);
	if (!strstr(sb_str(&key), "serial 0.40 s: threads-gil 0.3×, processes 1.2×"))
		fail_msg("Key result: %s", sb_str(&key));
	sb_free(&key);
	unbuild(&b);
	remove_dir(dir);
}

/* The index's Key result is each lesson's comparison, in the verdict's own
 * figures (issue 18: 03 and 04 listed each variant's wall or backlog): 03
 * the blocking loop's wall against the awaiting one's, 04 backlog and
 * memory, unbounded against bounded. */
static void key_result_is_the_comparison(void **state)
{
	static const struct {
		const char *fixture, *key, *verdict;
	} want[] = {
	    {"explain/03-quick", "blocking 0.50 s vs await 0.050 s: 10.0× longer",
	     "blocking: 0.50 s"},
	    {"explain/04-quick",
	     "unbounded vs bounded: backlog 805 vs at most 200 items, memory +3.3 vs +0.8 MiB",
	     "805 items were left waiting, memory grew 3.3 MiB"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *dir = copy_fixture(want[i].fixture);
		struct sbuf key = SBUF_INIT;
		struct built b;
		bool said = false;

		build(&b, dir);
		headline_key(&b.rs, &key);
		if (!strstr(sb_str(&key), want[i].key))
			fail_msg("%s: Key result: %s", want[i].fixture, sb_str(&key));
		for (size_t k = 0; k < b.verdict.lines.n; k++)
			said = said || strstr(b.verdict.lines.s[k], want[i].verdict);
		if (!said)
			fail_msg("%s: the verdict lacks \"%s\"", want[i].fixture, want[i].verdict);
		sb_free(&key);
		unbuild(&b);
		remove_dir(dir);
	}
}

/* A file's text (NULL when absent), for a chart the report drew. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* 02's lesson chart draws the speed-up over serial beside the CPUs kept
 * busy (issue 18: it drew CPUs busy alone, so the weakest speed-up had the
 * tallest bar), with the Key result's own speed-up figure. */
static void cpu_bound_chart_has_the_speedup(void **state)
{
	char *dir = copy_fixture("explain/02-quick"), path[600];
	struct sbuf key = SBUF_INIT;
	struct built b;
	char *svg;

	(void)state;
	build(&b, dir);
	headline_key(&b.rs, &key);
	if (!strstr(sb_str(&key), "processes 1.2×"))
		fail_msg("Key result: %s", sb_str(&key));
	if (!strstr(sb_str(&b.md), "how many times sooner a variant finished than its serial") ||
	    !strstr(sb_str(&b.md), "processes 1.2×, "))
		fail_msg("the lesson chart's caption lacks the speed-up: %s", sb_str(&b.md));
	if (gnuplot_path()) {
		snprintf(path, sizeof(path), "%s/charts/lesson.svg", dir);
		svg = slurp(path);
		assert_non_null(svg);
		if (!strstr(svg, "speed-up over its serial") || !strstr(svg, "CPUs kept busy"))
			fail_msg("the lesson chart lacks a series");
		free(svg);
	}
	sb_free(&key);
	unbuild(&b);
	remove_dir(dir);
}

/* A measured zero is drawn (issue 18: 07's "0" bars looked like "not
 * run"): a bar of 0 gets a "0" on the chart, one too short to see its
 * value, a value not measured (NAN) neither bar nor mark. */
static void zero_bar_is_marked(void **state)
{
	static const char *const groups[] = {"reads", "writes"};
	static const char *const series[] = {"faults per page", "private"};
	const double v[] = {0, 0.004, 1, NAN};
	char tmpl[] = "/tmp/schedlab-test-chart.XXXXXX", path[600], err[256];
	struct bar_chart c = {.title = "t",
			      .ylabel = "y",
			      .ngroups = 2,
			      .nseries = 2,
			      .group = groups,
			      .series = series,
			      .v = v,
			      .mark_zero = true};
	char *svg;
	int zeros = 0;

	(void)state;
	if (!gnuplot_path())
		skip();
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/c.svg", tmpl);
	if (bar_chart_svg(&c, path, err, sizeof(err)))
		fail_msg("%s", err);
	svg = slurp(path);
	assert_non_null(svg);
	/* the measured zero gets a "0" beside the axis' own tick, the bar too
	 * short to see its value; the NAN (not measured) nothing */
	for (const char *p = svg; (p = strstr(p, ">0</tspan>")); p++)
		zeros++;
	if (!strstr(svg, ">0.004</tspan>"))
		fail_msg("the bar under 1%% of the tallest has no label");
	c.mark_zero = false;
	if (bar_chart_svg(&c, path, err, sizeof(err)))
		fail_msg("%s", err);
	free(svg);
	svg = slurp(path);
	for (const char *p = svg; (p = strstr(p, ">0</tspan>")); p++)
		zeros--;
	if (zeros != 1)
		fail_msg("%d more \"0\" labels with mark_zero, want 1", zeros);
	free(svg);
	remove(path);
	rmdir(tmpl);
}

/* The wake graph's caption says what to see, the paragraph above it names
 * only wakers the run has, and the kernel words have their glossary (issue
 * 18: the same 90-word paragraph on every page, "Who woke whom" alone). */
static void wake_graph_words(void **state)
{
	char *dir = copy_fixture("demo09/run");
	struct built b;
	const char *md;

	(void)state;
	build(&b, dir);
	md = sb_str(&b.md);
	if (!strstr(md, "Who woke whom in threads: each arrow from the waker"))
		fail_msg("no caption saying what to see");
	if (!strstr(md, "Words: the kernel&#39;s terms this page uses"))
		fail_msg("no glossary");
	if (strstr(md, "disk: mmap") || strstr(md, "disk: munmap"))
		fail_msg("an address-space lock wait called disk");
	if (!strstr(md, "Each wait a thread ended was ended by someone: another thread"))
		fail_msg("the wakers' paragraph does not start with what the run has");
	unbuild(&b);
	remove_dir(dir);
}

/* The glossary's terms are linked where the page first uses them (issue
 * 18: a glossary at the end no sentence pointed to): each term at most
 * once, to an entry that exists, in both renderings. */
static void words_linked_at_first_use(void **state)
{
	char *dir = copy_fixture("demo09/run");
	const char *html, *md, *p;
	struct built b;
	size_t links = 0;

	(void)state;
	build(&b, dir);
	html = sb_str(&b.html);
	md = sb_str(&b.md);
	for (size_t k = 0; k < b.rp.doc.nterms; k++) {
		char href[96], anchor[96], mdref[96];
		int n = 0;

		snprintf(href, sizeof(href), "<a href=\"#%s\">", b.rp.doc.term_ids[k]);
		snprintf(anchor, sizeof(anchor), "<li id=\"%s\">", b.rp.doc.term_ids[k]);
		snprintf(mdref, sizeof(mdref), "](#%s)", b.rp.doc.term_ids[k]);
		if (!strstr(html, anchor))
			fail_msg("no glossary entry %s", anchor);
		for (p = html; (p = strstr(p, href)); p++)
			n++;
		if (n > 1)
			fail_msg("%s linked %d times: only its first use is", b.rp.doc.terms[k], n);
		if (n && !strstr(md, mdref))
			fail_msg("%s linked in report.html, not in report.md", b.rp.doc.terms[k]);
		/* the link's text is the word itself */
		if (n && strncasecmp(strstr(html, href) + strlen(href), b.rp.doc.terms[k],
				     strlen(b.rp.doc.terms[k])))
			fail_msg("%s's link is not on the word", b.rp.doc.terms[k]);
		links += (size_t)n;
	}
	if (!links)
		fail_msg("no glossary term linked on the page");
	unbuild(&b);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(py_variants_have_their_own_captions),
	    cmocka_unit_test(escapes_untrusted_names),
	    cmocka_unit_test(trust_column_agrees_with_the_trust_line),
	    cmocka_unit_test(key_result_is_the_speedup),
	    cmocka_unit_test(key_result_is_the_comparison),
	    cmocka_unit_test(cpu_bound_chart_has_the_speedup),
	    cmocka_unit_test(zero_bar_is_marked),
	    cmocka_unit_test(words_linked_at_first_use),
	    cmocka_unit_test(wake_graph_words),
	    cmocka_unit_test(gnuplot_labels_cannot_escape_the_string),
	    cmocka_unit_test(report_has_every_section),
	    cmocka_unit_test(partial_run_says_so_at_the_top),
	    cmocka_unit_test(uncounted_syscalls_are_said),
	    cmocka_unit_test(default_run_says_no_syscall_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* A new demo needs its own report module and one registration line: demo
 * 09 (tests/fixtures/demo09/09_handoff.c), which the product does not have,
 * is linked with a copy of the module table that has one line more
 * (tests/build.mk), and the report of its run folder carries every part of
 * the module: the verdict, the why, the lesson chart, the cause sentence,
 * the key figure, the timeline captions and the featured variant, with no
 * other file of the report touched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "demo_module.h"
#include "explain_fixture.h"
#include "render.h"
#include "report.h"

struct built {
	char dir[4096];
	struct run_set rs;
	struct check_list cl;
	struct sentences why;
	struct why whyg;
	struct verdicts verdict;
	struct report rp;
	struct sbuf md, key;
};

/* The fixture run folder copied where the report may write, then the
 * report's straight line: load, derive, check, explain, build, render. */
static void build(struct built *b)
{
	char src[4096], cmd[9000], err[1024];

	memset(b, 0, sizeof(*b));
	snprintf(b->dir, sizeof(b->dir), "/tmp/schedlab-test-demo09.XXXXXX");
	assert_non_null(mkdtemp(b->dir));
	fx_repo_path(src, sizeof(src), "tests/fixtures/demo09/run");
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s/'", src, b->dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(run_set_load(&b->rs, b->dir, err, sizeof(err)), 0);
	run_set_derive(&b->rs);
	checks_run(&b->rs, &b->cl);
	explain_why(&b->rs, &b->whyg);
	why_flat(&b->whyg, &b->why);
	verdict_of(&b->rs, &b->verdict);
	b->rp = (struct report){.rs = &b->rs,
				.checks = &b->cl,
				.why = &b->why,
				.whyg = &b->whyg,
				.verdict = &b->verdict};
	assert_int_equal(report_build(&b->rp, err, sizeof(err)), 0);
	render_md(&b->rp.doc, &b->md);
	headline_key(&b->rs, &b->key);
}

static void unbuild(struct built *b)
{
	char cmd[4200];

	sb_free(&b->md);
	sb_free(&b->key);
	doc_free(&b->rp.doc);
	sentences_free(&b->why);
	why_free(&b->whyg);
	verdict_free(&b->verdict);
	checks_free(&b->cl);
	run_set_free(&b->rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->dir);
	assert_int_equal(system(cmd), 0);
}

static void has(const char *text, const char *what)
{
	if (!strstr(text, what))
		fail_msg("the report lacks \"%s\"", what);
}

static void the_module_is_registered_by_one_line(void **state)
{
	(void)state;
	assert_non_null(demo_module_for("09_handoff"));
	/* the product's own demos are still there: the line was added, not swapped */
	assert_non_null(demo_module_for("01_io_wait"));
	assert_non_null(demo_module_for("08_streaming"));
}

static void the_report_carries_every_part_of_the_module(void **state)
{
	struct built b;
	const char *md, *fold;
	struct stat st;
	char path[4200];

	(void)state;
	build(&b);
	md = sb_str(&b.md);
	/* verdict and why: the module's explainer, not the generic one */
	has(md, "threads: 0.44 s, the workers ");
	has(md, "of their lives waiting for the lock the other held (at least 10%): they "
		"took turns.");
	/* the cause sentence, from the two wake edges of the fixture */
	has(md, "threads: the other worker ended 120 of the workers' 120 lock waits.");
	/* the lesson chart, drawn (gnuplot) or its absence said */
	snprintf(path, sizeof(path), "%s/charts/lesson.svg", b.dir);
	if (gnuplot_path()) {
		assert_int_equal(stat(path, &st), 0);
		has(md, "Handing work over: the share of the workers' lives");
	}
	/* the key figure of the Results table */
	has(sb_str(&b.key), "handoffs");
	has(sb_str(&b.key), "120");
	/* captions: each variant's own row */
	has(md, "threads: the two workers take turns: one runs (green) while the other "
		"waits (lock).");
	has(md, "processes: each worker runs on its own.");
	/* featured: processes on the page, threads folded under the others */
	fold = strstr(md, "The other variants&#39; timelines");
	assert_non_null(fold);
	assert_true(strstr(md, "processes: each worker runs") < fold);
	assert_true(strstr(md, "threads: the two workers take turns") > fold);
	unbuild(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_module_is_registered_by_one_line),
	    cmocka_unit_test(the_report_carries_every_part_of_the_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

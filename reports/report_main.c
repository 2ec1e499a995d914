// SPDX-License-Identifier: GPL-2.0
/* build/bin/report RUN_DIR: writes RUN_DIR/report.md and RUN_DIR/report.html
 * (charts under RUN_DIR/charts/) from a run folder that scripts/trace wrote,
 * and prints the headline, the explainer's sentences and the failed checks. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "report.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: report [--quiet] RUN_DIR\n"
		   "       report --compare RUN_A RUN_B\n"
		   "       report --index OUT_DIR RUN_DIR...\n"
		   "\n"
		   "Reads a run folder written by scripts/trace (meta.json and one folder per\n"
		   "run with demo.json, sched.json and the perf outputs; docs/formats.md) and\n"
		   "writes RUN_DIR/report.md and a self-contained RUN_DIR/report.html, with\n"
		   "the charts also under RUN_DIR/charts/. docs/report.md says how to read it.\n"
		   "\n"
		   "Prints the headline table, the explanation, the failed cross-checks and\n"
		   "the report's path.\n"
		   "\n"
		   "Options:\n"
		   "  --quiet    print only the trust line and the report's path\n"
		   "  --compare  two runs of one demo side by side (another host, another\n"
		   "             CPU count, before and after): what changed and why; writes\n"
		   "             RUN_B/compare.html and compare.md\n"
		   "  --index    the chapter's Results table for these run folders, each row\n"
		   "             linked to its report: OUT_DIR/index.html and index.md\n"
		   "             (scripts/trace --all writes results/index.html this way)\n"
		   "  --help     this text\n"
		   "\n"
		   "Exit status: 0 when the report was written (failed cross-checks are in\n"
		   "it), 2 when an input is missing or corrupt (the message names the file)\n"
		   "or the command line is wrong, 1 when the report could not be written.\n");
}

/* Write @text to DIR/NAME through a temporary file, so a reader never sees
 * half a report. */
int write_file(const char *dir, const char *name, const struct sbuf *text)
{
	char path[PATH_MAX + 64], tmp[PATH_MAX + 80];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "report: %s: cannot create: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(sb_str(text), 1, text->len, f) != text->len || fclose(f)) {
		fprintf(stderr, "report: %s: write failed: %s\n", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, "report: rename %s to %s: %s\n", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The terminal: plain text, no Markdown: the verdict, the why (as many
 * sentences as fit about 25 lines), the trust line and where the report is. */
#define TERMINAL_WHY_MAX 6

static void print_summary(struct report *rp, bool quiet)
{
	const struct verdicts *v = rp->verdict;
	struct sbuf s = SBUF_INIT;
	bool warn;
	size_t i;

	trust_text(rp, &s, &warn);
	if (!quiet) {
		if (rp->rs->partial)
			printf("PARTIAL run: the trace was interrupted\n");
		printf("%s: %s\n", rp->rs->is_demo ? rp->rs->demo : "command",
		       rp->rs->summary[0] ? rp->rs->summary : rp->rs->command);
		for (i = 0; i < v->lines.n; i++)
			printf("  %s\n", v->lines.s[i]);
		printf("Why:\n");
		for (i = 0; i < rp->why->n && i < TERMINAL_WHY_MAX; i++)
			printf("  - %s\n", rp->why->s[i]);
		if (rp->why->n > TERMINAL_WHY_MAX)
			printf("  (%zu more in the report)\n", rp->why->n - TERMINAL_WHY_MAX);
		if (!rp->why->n)
			printf("  (nothing the explainer could state past its thresholds)\n");
	}
	printf("%s%s\n", warn ? "CAUTION: " : "Trust: ", sb_str(&s));
	sb_free(&s);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"compare", no_argument, NULL, 'c'},
					     {"index", no_argument, NULL, 'i'},
					     {0}};
	bool compare = false, index = false, fatal = false;
	struct sbuf md = SBUF_INIT, html = SBUF_INIT;
	struct run_set rs;
	struct check_list cl;
	struct sentences why = {0};
	struct why whyg = {0};
	struct verdicts verdict = {0};
	struct report rp = {0};
	char err[PATH_MAX + 600], title[1200];
	bool quiet = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'q':
			quiet = true;
			break;
		case 'c':
			compare = true;
			break;
		case 'i':
			index = true;
			break;
		default:
			fprintf(stderr, "report: try 'report --help'\n");
			return 2;
		}
	}
	if (compare && index) {
		fprintf(stderr, "report: --compare or --index, not both; try 'report --help'\n");
		return 2;
	}
	if (compare) {
		if (optind != argc - 2) {
			fprintf(stderr,
				"report: --compare takes two run folders of one demo, RUN_A "
				"RUN_B; try 'report --help'\n");
			return 2;
		}
		err[0] = '\0';
		if (report_compare(argv[optind], argv[optind + 1], &fatal, err, sizeof(err))) {
			fprintf(stderr, "report: %s\n", err);
			return fatal ? 1 : 2;
		}
		return 0;
	}
	if (index) {
		if (optind > argc - 2) {
			fprintf(stderr,
				"report: --index takes OUT_DIR and at least one run folder; "
				"try 'report --help'\n");
			return 2;
		}
		err[0] = '\0';
		if (report_index(argv[optind], argv + optind + 1, (size_t)(argc - optind - 1),
				 &fatal, err, sizeof(err))) {
			fprintf(stderr, "report: %s\n", err);
			return fatal ? 1 : 2;
		}
		return 0;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "report: give exactly one RUN_DIR (a folder scripts/trace wrote); "
				"try 'report --help'\n");
		return 2;
	}
	if (run_set_load(&rs, argv[optind], err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return 2;
	}
	run_set_derive(&rs);
	checks_run(&rs, &cl);
	explain_why(&rs, &whyg);
	why_flat(&whyg, &why);
	verdict_of(&rs, &verdict);
	rp.rs = &rs;
	rp.verdict = &verdict;
	rp.checks = &cl;
	rp.why = &why;
	rp.whyg = &whyg;
	snprintf(title, sizeof(title), "%s%s: schedlab report %s", rs.partial ? "PARTIAL " : "",
		 rs.is_demo ? rs.demo : rs.command, rs.stamp);
	if (report_build(&rp, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		rc = 1;
		goto out;
	}
	render_md(&rp.doc, &md);
	if (render_html(&rp.doc, title, rs.dir, &html, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		rc = 1;
		goto out;
	}
	if (write_file(rs.dir, "report.md", &md) || write_file(rs.dir, "report.html", &html)) {
		rc = 1;
		goto out;
	}
	print_summary(&rp, quiet);
	printf("report: %s/report.html (and report.md)\n", rs.dir);
out:
	sb_free(&md);
	sb_free(&html);
	doc_free(&rp.doc);
	sentences_free(&why);
	why_free(&whyg);
	verdict_free(&verdict);
	checks_free(&cl);
	run_set_free(&rs);
	return rc;
}

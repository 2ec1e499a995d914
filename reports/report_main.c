// SPDX-License-Identifier: GPL-2.0
/* build/bin/report RUN_DIR: writes RUN_DIR/report.md and RUN_DIR/report.html
 * (charts under RUN_DIR/charts/) from a run folder that scripts/trace wrote,
 * and prints the headline, the explainer's sentences and the failed checks. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpus.h"
#include "predict.h"
#include "predict_cli.h"
#include "render.h"
#include "report.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: report [--quiet] RUN_DIR\n"
		   "       report --compare RUN_A RUN_B\n"
		   "       report --index OUT_DIR RUN_DIR...\n"
		   "       report --class OUT_DIR DIR...\n"
		   "       report --questions|--sizes DEMO [--seed N] [--quick] [--cpus N]\n"
		   "       report --check-predictions DEMO FILE [--partial] [--write OUT]\n"
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
		   "  --class    a class's run folders on one page: each DIR a run folder or a\n"
		   "             folder holding them (any hosts, any CPU counts); each lesson's\n"
		   "             figures by CPU count: OUT_DIR/class.html and class.md\n"
		   "  --questions  DEMO's questions for --predict, one a line: id, min, max,\n"
		   "             unit, text (tab-separated), the sizes and CPUs filled in\n"
		   "  --sizes    the demo's sizes under --seed N (or its defaults): option, value\n"
		   "  --check-predictions  FILE's answers checked against DEMO's questions\n"
		   "             (exit 2 naming the question and its range); --partial: not\n"
		   "             every question answered yet; --write OUT: predictions.json\n"
		   "             (docs/predict.md). A run folder with a predictions.json gets\n"
		   "             its grades at the top of the report and in grades.json\n"
		   "  --help     this text\n"
		   "\n"
		   "Exit status: 0 when the report was written (failed cross-checks are in\n"
		   "it), 2 when an input is missing or corrupt (the message names the file)\n"
		   "or the command line is wrong, 1 when the report could not be written.\n");
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
		       v->lesson[0] ? v->lesson : rp->rs->command);
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

/* The options; *@exit_code set and false returned when the program ends here
 * (--help, a wrong command line). */
struct opts {
	bool quiet, compare, index, class;
	int predict; /* 0, or 'Q' --questions, 'S' --sizes, 'K' --check-predictions */
	struct predict_opts po;
};

/* A whole number from @min to @max given to option @opt, or -1 after a
 * message. */
static long long opt_int(const char *opt, const char *arg, long long min, long long max)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (end == arg || *end || v < min || v > max) {
		fprintf(stderr, "report: %s takes a whole number from %lld to %lld, not '%s'\n",
			opt, min, max, arg);
		return -1;
	}
	return v;
}

static bool parse_args(int argc, char **argv, struct opts *o, int *exit_code)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"compare", no_argument, NULL, 'c'},
					     {"index", no_argument, NULL, 'i'},
					     {"class", no_argument, NULL, 'L'},
					     {"questions", no_argument, NULL, 'Q'},
					     {"sizes", no_argument, NULL, 'S'},
					     {"check-predictions", no_argument, NULL, 'K'},
					     {"seed", required_argument, NULL, 's'},
					     {"cpus", required_argument, NULL, 'C'},
					     {"quick", no_argument, NULL, 'k'},
					     {"partial", no_argument, NULL, 'p'},
					     {"write", required_argument, NULL, 'w'},
					     {"from", required_argument, NULL, 'f'},
					     {0}};
	long long n;
	int c;

	/* The summary goes to a terminal or a pipe that Ctrl-C may have killed
	 * (`trace ... | tee log`): a failed write must not stop the report. */
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			*exit_code = 0;
			return false;
		case 'q':
			o->quiet = true;
			break;
		case 'c':
			o->compare = true;
			break;
		case 'i':
			o->index = true;
			break;
		case 'L':
			o->class = true;
			break;
		case 'Q':
		case 'S':
		case 'K':
			o->predict = c;
			break;
		case 's':
			if ((n = opt_int("--seed", optarg, 0, QUIZ_SEED_MAX)) < 0)
				goto bad;
			o->po.seeded = true;
			o->po.seed = n;
			break;
		case 'C':
			if ((n = opt_int("--cpus", optarg, 1, 1 << 20)) < 0)
				goto bad;
			o->po.cpus = (int)n;
			break;
		case 'k':
			o->po.quick = true;
			break;
		case 'p':
			o->po.partial = true;
			break;
		case 'w':
			o->po.write = optarg;
			break;
		case 'f':
			o->po.from = optarg;
			break;
		default:
		bad:
			fprintf(stderr, "report: try 'report --help'\n");
			*exit_code = 2;
			return false;
		}
	}
	if (!o->po.cpus)
		o->po.cpus = cpus_usable();
	if (o->compare + o->index + o->class + !!o->predict > 1) {
		fprintf(stderr, "report: one of --compare, --index, --class, --questions, --sizes, "
				"--check-predictions; try 'report --help'\n");
		*exit_code = 2;
		return false;
	}
	return true;
}

/* report --questions | --sizes | --check-predictions DEMO [FILE] */
/* report --class OUT_DIR DIR... */
static int class_main(int nargs, char **args)
{
	char err[PATH_MAX + 600] = "";
	bool fatal = false;

	if (nargs < 2) {
		fprintf(stderr, "report: --class takes OUT_DIR and at least one folder of run "
				"folders; try 'report --help'\n");
		return 2;
	}
	if (mkdir(args[0], 0755) && errno != EEXIST) {
		fprintf(stderr, "report: %s: cannot create: %s\n", args[0], strerror(errno));
		return 1;
	}
	if (report_class(args[0], args + 1, (size_t)(nargs - 1), &fatal, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return fatal ? 1 : 2;
	}
	return 0;
}

static int predict_main(struct opts *o, int nargs, char **args)
{
	if (nargs != (o->predict == 'K' ? 2 : 1)) {
		fprintf(stderr, "report: %s; try 'report --help'\n",
			o->predict == 'K' ? "--check-predictions takes DEMO and FILE"
					  : "--questions and --sizes take one DEMO");
		return 2;
	}
	o->po.demo = args[0];
	if (o->predict == 'Q')
		return predict_questions(&o->po);
	if (o->predict == 'S')
		return predict_sizes(&o->po);
	return predict_check(&o->po, args[1]);
}

/* report --compare RUN_A RUN_B */
static int compare_main(int nargs, char **args)
{
	char err[PATH_MAX + 600] = "";
	bool fatal = false;

	if (nargs != 2) {
		fprintf(stderr, "report: --compare takes two run folders of one demo, RUN_A "
				"RUN_B; try 'report --help'\n");
		return 2;
	}
	if (report_compare(args[0], args[1], &fatal, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return fatal ? 1 : 2;
	}
	return 0;
}

/* report --index OUT_DIR RUN_DIR... */
static int index_main(int nargs, char **args)
{
	char err[PATH_MAX + 600] = "";
	bool fatal = false;

	if (nargs < 2) {
		fprintf(stderr, "report: --index takes OUT_DIR and at least one run folder; "
				"try 'report --help'\n");
		return 2;
	}
	if (report_index(args[0], args + 1, (size_t)(nargs - 1), &fatal, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return fatal ? 1 : 2;
	}
	return 0;
}

/* Everything one report holds, freed in one place. */
struct one_report {
	struct run_set rs;
	struct check_list cl;
	struct why whyg;
	struct sentences why;
	struct verdicts verdict;
	struct predictions pred;
	struct quiz_grades grades;
	struct report rp;
	struct sbuf md, html;
};

static void one_report_free(struct one_report *o)
{
	quiz_grades_free(&o->grades);
	predictions_free(&o->pred);
	sb_free(&o->md);
	sb_free(&o->html);
	doc_free(&o->rp.doc);
	sentences_free(&o->why);
	why_free(&o->whyg);
	verdict_free(&o->verdict);
	checks_free(&o->cl);
	run_set_free(&o->rs);
}

/* The run folder's predictions.json, if any, graded into grades.json (after
 * the run: the models never saw the answers). Returns 0, 2 when the file is
 * corrupt (bad input), 1 when grades.json could not be written. */
static int grade_predictions(struct one_report *o, char *err, size_t errlen)
{
	struct sbuf js = SBUF_INIT;
	char *text;
	int rc = predictions_load(o->rs.dir, &o->pred, err, errlen);

	if (rc == 1)
		return 0;
	if (rc < 0 || quiz_grade(&o->rs, &o->pred, &o->grades, err, errlen)) {
		fprintf(stderr, "report: %s\n", err);
		return 2;
	}
	o->rp.grades = &o->grades;
	text = quiz_grades_json(&o->grades, &o->rs);
	sb_add(&js, text);
	sb_add(&js, "\n");
	free(text);
	rc = write_file(o->rs.dir, "grades.json", &js) ? 1 : 0;
	sb_free(&js);
	return rc;
}

/* The grades on the terminal: one line per question. */
static void print_grades(const struct quiz_grades *g)
{
	char a[32], b[32], c[32];

	if (!g->n)
		return;
	printf("Your predictions (prediction / model / measured):\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct quiz_row *r = &g->row[i];

		printf("  %-22s %8s / %8s / %8s %s  %s\n", r->q->id,
		       quiz_num(a, sizeof(a), r->predicted),
		       r->model >= 0 ? quiz_num(b, sizeof(b), r->model) : "-",
		       r->measured >= 0 ? quiz_num(c, sizeof(c), r->measured) : "-", r->q->unit,
		       quiz_grade_names[r->grade]);
	}
}

/* report RUN_DIR: one straight line, load, derive, check, explain, build,
 * render, write. */
static int report_main(const char *dir, bool quiet)
{
	struct one_report o = {.md = SBUF_INIT, .html = SBUF_INIT};
	char err[PATH_MAX + 600], title[1200];
	int rc = 1;

	if (run_set_load(&o.rs, dir, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return 2;
	}
	run_set_derive(&o.rs);
	checks_run(&o.rs, &o.cl);
	explain_why(&o.rs, &o.whyg);
	why_flat(&o.whyg, &o.why);
	verdict_of(&o.rs, &o.verdict);
	o.rp = (struct report){
	    .rs = &o.rs, .verdict = &o.verdict, .checks = &o.cl, .why = &o.why, .whyg = &o.whyg};
	rc = grade_predictions(&o, err, sizeof(err));
	if (rc)
		goto out;
	rc = 1; /* until the report is written */
	snprintf(title, sizeof(title), "%s%s: schedlab report %s", o.rs.partial ? "PARTIAL " : "",
		 o.rs.is_demo ? o.rs.demo : o.rs.command, o.rs.stamp);
	if (report_build(&o.rp, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		goto out;
	}
	render_md(&o.rp.doc, &o.md);
	if (render_html(&o.rp.doc, title, o.rs.dir, &o.html, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		goto out;
	}
	if (write_file(o.rs.dir, "report.md", &o.md) ||
	    write_file(o.rs.dir, "report.html", &o.html))
		goto out;
	print_summary(&o.rp, quiet);
	print_grades(&o.grades);
	printf("report: %s/report.html (and report.md)\n", o.rs.dir);
	rc = 0;
out:
	one_report_free(&o);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	int rc;

	if (!parse_args(argc, argv, &o, &rc))
		return rc;
	if (o.compare)
		return compare_main(argc - optind, argv + optind);
	if (o.index)
		return index_main(argc - optind, argv + optind);
	if (o.class)
		return class_main(argc - optind, argv + optind);
	if (o.predict)
		return predict_main(&o, argc - optind, argv + optind);
	if (optind != argc - 1) {
		fprintf(stderr, "report: give exactly one RUN_DIR (a folder scripts/trace wrote); "
				"try 'report --help'\n");
		return 2;
	}
	return report_main(argv[optind], o.quiet);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Predict, measure, explain (docs/predict.md): each demo's questions, asked
 * before the run, and the models that answer them from the run's own sizes
 * and CPUs, written once in C per demo (reports/demos/quiz_NN_name.c) and
 * used by the terminal (report --questions, --sizes, --check-predictions)
 * and by the report's opening table alike.
 *
 * A question names one figure of one variant: the model gives its value from
 * demo.json params and the CPUs the demo could use (never from the
 * student's answer), the measurement is the figure the report already shows
 * (the figures layer, derive/figures.h), and the grade compares the
 * prediction with the measurement within the question's tolerance. */
#ifndef SCHEDLAB_PREDICT_H
#define SCHEDLAB_PREDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "explain.h"
#include "predictions.h"
#include "sbuf.h"

/* ---- the demo's sizes under a seed ---------------------------------------- */

/* One size the seed varies: the demo's option (without "--") and the value it
 * takes. @dflt / @quick_dflt: the demo's own default, what a run without a
 * seed uses (a @dflt_of set: computed from the CPUs, as the demo does);
 * under a seed, a value from @lo to @hi (@quick_lo..@quick_hi with --quick)
 * in steps of @step (@quick_step). @seed_itself: the option takes the seed
 * (08's arrivals). @decimals: how the value is written on the command line. */
struct quiz_size {
	const char *opt;
	double dflt, quick_dflt;
	double lo, hi, step;
	double quick_lo, quick_hi, quick_step;
	int decimals;
	double (*dflt_of)(int cpus);
	bool seed_itself;
};

#define QUIZ_MAX_SIZES 8
/* The sizes a run uses: the seed's picks, or the defaults. */
struct quiz_sizes {
	const char *opt[QUIZ_MAX_SIZES];
	double value[QUIZ_MAX_SIZES];
	int decimals[QUIZ_MAX_SIZES];
	size_t n;
};

/* The largest seed --seed takes. */
#define QUIZ_SEED_MAX 1000000000LL

/* ---- a question ------------------------------------------------------------ */

/* The tolerance: "relative" within @tol × the measurement, "absolute" within
 * @tol units; the edge is inside. */
enum quiz_tol { QUIZ_REL, QUIZ_ABS };

struct quiz_question {
	const char *id;	     /* "gil_speedup": the name in predictions.json */
	const char *variant; /* the variant whose figure it asks ("threads-gil") */
	/* The question as asked: {OPT} is the size of option OPT, {cpus} the
	 * CPUs the demo can use. */
	const char *text;
	const char *unit; /* "x", "CPUs", "items", "MiB", "s", "ms", "switches" */
	double min, max;  /* the answers accepted */
	enum quiz_tol tol_kind;
	double tol;
	/* The model's value for @rs (demo.json params, fig_cpus), its rule
	 * with this run's numbers in @rule; < 0 when the run lacks the sizes. */
	double (*model)(const struct run_set *rs, struct sbuf *rule);
	/* The figure the report shows for it; < 0 when not measured. */
	double (*measured)(const struct run_set *rs);
	/* One sentence: why the measurement differs from the model (or
	 * agrees), with this run's figures. */
	void (*gap)(const struct run_set *rs, double model, double measured, struct sbuf *out);
	/* Not asked with --quick: its variant runs only at the chapter's sizes. */
	bool full_only;
};

struct quiz {
	const char *demo;
	const struct quiz_question *q;
	size_t nq;
	const struct quiz_size *sizes;
	size_t nsizes;
};

/* The quiz of @demo, or NULL (reports/demos/quizzes.c). */
const struct quiz *quiz_for(const char *demo);
extern const struct quiz *const quizzes[];
extern const size_t nquizzes;

/* The sizes of a run of @z: the seed's picks (@seeded) or the defaults. The
 * same seed gives the same sizes. */
void quiz_sizes_of(const struct quiz *z, bool seeded, long long seed, bool quick, int cpus,
		   struct quiz_sizes *out);
/* @q's text with the sizes and CPUs filled in. */
void quiz_text(const struct quiz_question *q, const struct quiz_sizes *sz, int cpus,
	       struct sbuf *out);
/* Whether @q is asked of a run with (@quick) or without --quick. */
bool quiz_asked(const struct quiz_question *q, bool quick);
/* @z's question @id, or NULL. */
const struct quiz_question *quiz_question(const struct quiz *z, const char *id);
/* Whether @value is an answer @q accepts; else false with a message naming
 * the question and its range in @err. */
bool quiz_in_range(const struct quiz_question *q, double value, char *err, size_t errlen);

/* ---- the grades -------------------------------------------------------------- */

enum quiz_grade { GRADE_CLOSE, GRADE_FAR, GRADE_UNMEASURED };
extern const char *const quiz_grade_names[]; /* "close", "far", "unmeasured" */

struct quiz_row {
	const struct quiz_question *q;
	char question[512]; /* as asked (predictions.json) */
	double predicted, model, measured;
	char rule[512];
	enum quiz_grade grade;
	char gap[1024];
};

struct quiz_grades {
	const struct quiz *z;
	const struct predictions *p;
	struct quiz_row *row;
	size_t n;
};

/* Whether @predicted is within @q's tolerance of @measured (the edge in). */
enum quiz_grade quiz_grade_of(const struct quiz_question *q, double predicted, double measured);
/* Grade @p against @rs: one row per answer. Returns 0, or -1 when @rs's demo
 * has no quiz (nothing to grade; @err says so). */
int quiz_grade(const struct run_set *rs, const struct predictions *p, struct quiz_grades *out,
	       char *err, size_t errlen);
void quiz_grades_free(struct quiz_grades *g);
/* grades.json (docs/formats.md). */
char *quiz_grades_json(const struct quiz_grades *g, const struct run_set *rs);
/* A figure as the table writes it: "2.0", "0.93", "4000". */
const char *quiz_num(char *buf, size_t len, double v);

/* ---- helpers for the models ------------------------------------------------- */

/* A run's threads that waited for a CPU this share of their CPU demand or
 * more (runnable / (running + runnable), the explainers' threshold) ran on a
 * busy host: the measurement is slower than the host can do idle. */
#define QUIZ_CPU_WAIT_SHARE 0.10
/* When @variant's threads waited that much, appends "in VARIANT, the threads
 * waited X for a CPU against Y computing" to @out and returns true. */
bool quiz_cpu_waits(const struct run_set *rs, const char *variant, struct sbuf *out);

/* @variant's representative run when it has its demo.json, else NULL. */
const struct run *quiz_run(const struct run_set *rs, const char *variant);
/* params.KEY of @variant's representative run, or @dflt. */
double quiz_param(const struct run_set *rs, const char *variant, const char *key, double dflt);

#endif

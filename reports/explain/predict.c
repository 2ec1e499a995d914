// SPDX-License-Identifier: GPL-2.0
/* The questions' machinery: sizes under a seed, the text as asked, the
 * range check, the grade and grades.json. The questions and models
 * themselves are each demo's (reports/demos/quiz_NN_name.c). */
#include "predict.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "sums.h"

const char *const quiz_grade_names[] = {"close", "far", "unmeasured"};

const struct quiz *quiz_for(const char *demo)
{
	for (size_t i = 0; demo && i < nquizzes; i++)
		if (!strcmp(quizzes[i]->demo, demo))
			return quizzes[i];
	return NULL;
}

/* splitmix64: a seed and an option's name give the same pick on every host. */
static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* A value from lo to hi in steps of step, chosen by the seed and the name. */
static double pick(long long seed, const char *opt, double lo, double hi, double step)
{
	double steps = step > 0 ? floor((hi - lo) / step + 1e-9) : 0;
	uint64_t r = mix((uint64_t)seed ^ name_hash(opt));

	if (steps < 1)
		return lo;
	return lo + step * (double)(r % (uint64_t)(steps + 1));
}

void quiz_sizes_of(const struct quiz *z, bool seeded, long long seed, bool quick, int cpus,
		   struct quiz_sizes *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < z->nsizes && out->n < QUIZ_MAX_SIZES; i++) {
		const struct quiz_size *s = &z->sizes[i];
		double v;

		if (s->seed_itself) {
			if (!seeded)
				continue; /* the demo's own default seed */
			v = (double)seed;
		} else if (seeded) {
			v = quick ? pick(seed, s->opt, s->quick_lo, s->quick_hi, s->quick_step)
				  : pick(seed, s->opt, s->lo, s->hi, s->step);
		} else {
			v = s->dflt_of ? s->dflt_of(cpus) : quick ? s->quick_dflt : s->dflt;
		}
		out->opt[out->n] = s->opt;
		out->value[out->n] = v;
		out->decimals[out->n] = s->decimals;
		out->n++;
	}
}

void quiz_text(const struct quiz_question *q, const struct quiz_sizes *sz, int cpus,
	       struct sbuf *out)
{
	const char *s = q->text, *open, *close;

	while ((open = strchr(s, '{')) && (close = strchr(open, '}'))) {
		size_t len = (size_t)(close - open - 1);
		bool done = false;

		sb_addn(out, s, (size_t)(open - s));
		if (len == 4 && !strncmp(open + 1, "cpus", 4)) {
			sb_printf(out, "%d", cpus);
			done = true;
		}
		for (size_t i = 0; !done && i < sz->n; i++)
			if (strlen(sz->opt[i]) == len && !strncmp(open + 1, sz->opt[i], len)) {
				sb_printf(out, "%.*f", sz->decimals[i], sz->value[i]);
				done = true;
			}
		if (!done)
			sb_addn(out, open, len + 2);
		s = close + 1;
	}
	sb_add(out, s);
}

bool quiz_asked(const struct quiz_question *q, bool quick)
{
	return !(quick && q->full_only);
}

const struct quiz_question *quiz_question(const struct quiz *z, const char *id)
{
	for (size_t i = 0; i < z->nq; i++)
		if (!strcmp(z->q[i].id, id))
			return &z->q[i];
	return NULL;
}

bool quiz_in_range(const struct quiz_question *q, double value, char *err, size_t errlen)
{
	if (isfinite(value) && value >= q->min && value <= q->max)
		return true;
	snprintf(err, errlen, "question '%s' takes a number from %g to %g (%s), not %g", q->id,
		 q->min, q->max, q->unit, value);
	return false;
}

enum quiz_grade quiz_grade_of(const struct quiz_question *q, double predicted, double measured)
{
	double allowed;

	if (!(measured >= 0) || !isfinite(measured))
		return GRADE_UNMEASURED;
	allowed = q->tol_kind == QUIZ_REL ? q->tol * measured : q->tol;
	/* the edge is inside: a tolerance of 25% takes exactly 1.25 × */
	return fabs(predicted - measured) <= allowed * (1 + 1e-9) + 1e-12 ? GRADE_CLOSE : GRADE_FAR;
}

const struct run *quiz_run(const struct run_set *rs, const char *variant)
{
	const struct variant *v = run_set_variant(rs, variant);

	return v && v->rep && v->rep->demo ? v->rep : NULL;
}

bool quiz_cpu_waits(const struct run_set *rs, const char *variant, struct sbuf *out)
{
	const struct run *r = quiz_run(rs, variant);
	struct state_sum ss;
	char a[32], b[32];

	if (!r)
		return false;
	ss = state_sum_of(r, NULL);
	if (!ss.threads || runq_share(&ss) < QUIZ_CPU_WAIT_SHARE)
		return false;
	sb_printf(out, "in %s, the threads waited %s for a CPU against %s computing", variant,
		  fig_dur(a, sizeof(a), (double)ss.ns[ST_RUNNABLE]),
		  fig_dur(b, sizeof(b), (double)ss.ns[ST_RUNNING]));
	return true;
}

double quiz_param(const struct run_set *rs, const char *variant, const char *key, double dflt)
{
	const struct run *r = quiz_run(rs, variant);

	return r ? demo_param(r->demo, key, dflt) : dflt;
}

int quiz_grade(const struct run_set *rs, const struct predictions *p, struct quiz_grades *out,
	       char *err, size_t errlen)
{
	const struct quiz *z = quiz_for(rs->is_demo ? rs->demo : NULL);

	memset(out, 0, sizeof(*out));
	if (!z) {
		snprintf(err, errlen, "%s has no questions to grade",
			 rs->is_demo ? rs->demo : "a traced command");
		return -1;
	}
	out->z = z;
	out->p = p;
	out->row = calloc(z->nq, sizeof(*out->row));
	if (!out->row)
		abort();
	for (size_t i = 0; i < z->nq; i++) {
		const struct quiz_question *q = &z->q[i];
		const struct prediction *a = prediction_of(p, q->id);
		struct quiz_row *r = &out->row[out->n];
		struct sbuf rule = SBUF_INIT, gap = SBUF_INIT;

		if (!a)
			continue;
		out->n++;
		r->q = q;
		snprintf(r->question, sizeof(r->question), "%s", a->question);
		r->predicted = a->value;
		r->model = q->model(rs, &rule);
		r->measured = q->measured(rs);
		r->grade = quiz_grade_of(q, r->predicted, r->measured);
		if (r->grade != GRADE_UNMEASURED && r->model >= 0) {
			q->gap(rs, r->model, r->measured, &gap);
			/* a busy host slows any measurement: said unless the gap did,
			 * or the measurement met the model anyway */
			if (!strstr(sb_str(&gap), "for a CPU") &&
			    fabs(r->measured - r->model) > 0.02 * r->model) {
				struct sbuf w = SBUF_INIT;

				if (quiz_cpu_waits(rs, q->variant, &w))
					sb_printf(&gap,
						  " Beside that, %s: other programs on the host, "
						  "or the tracer, held the CPUs.",
						  sb_str(&w));
				sb_free(&w);
			}
		} else
			sb_printf(&gap, "This run has no %s to measure.", q->variant);
		snprintf(r->rule, sizeof(r->rule), "%s", sb_str(&rule));
		snprintf(r->gap, sizeof(r->gap), "%s", sb_str(&gap));
		sb_free(&rule);
		sb_free(&gap);
	}
	return 0;
}

void quiz_grades_free(struct quiz_grades *g)
{
	free(g->row);
	memset(g, 0, sizeof(*g));
}

/* A number or null when below zero (not known). */
static json_t *num_or_null(double v)
{
	return v >= 0 && isfinite(v) ? json_real(v) : json_null();
}

char *quiz_grades_json(const struct quiz_grades *g, const struct run_set *rs)
{
	json_t *root = json_object(), *qs = json_array();
	char *text;

	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "demo", json_string(g->z->demo));
	json_object_set_new(root, "seed", g->p->seeded ? json_integer(g->p->seed) : json_null());
	json_object_set_new(root, "cpus", json_integer(fig_cpus(rs)));
	for (size_t i = 0; i < g->n; i++) {
		const struct quiz_row *r = &g->row[i];

		json_array_append_new(
		    qs,
		    json_pack("{s:s, s:s, s:s, s:s, s:f, s:o, s:s, s:o, s:f, s:s, s:s, s:s}", "id",
			      r->q->id, "question", r->question, "unit", r->q->unit, "variant",
			      r->q->variant, "predicted", r->predicted, "model",
			      num_or_null(r->model), "model_rule", r->rule, "measured",
			      num_or_null(r->measured), "tolerance", r->q->tol, "tolerance_kind",
			      r->q->tol_kind == QUIZ_REL ? "relative" : "absolute", "grade",
			      quiz_grade_names[r->grade], "gap", r->gap));
	}
	json_object_set_new(root, "questions", qs);
	text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	json_decref(root);
	return text;
}

const char *quiz_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (!(v >= 0) && !(v < 0))
		snprintf(buf, len, "-");
	else if (a >= 100 || a == floor(a))
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
	return buf;
}

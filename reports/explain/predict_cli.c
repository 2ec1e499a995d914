// SPDX-License-Identifier: GPL-2.0
/* The terminal's side of --predict and --seed (scripts/trace calls these
 * through build/bin/report before the run): the questions, the sizes a seed
 * gives, and the answers checked and written into predictions.json. Nothing
 * here reads a run: the models are never shown the answers. */
#include "predict_cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predict.h"

static const struct quiz *quiz_or_die(const struct predict_opts *o)
{
	const struct quiz *z = quiz_for(o->demo);

	if (!z) {
		fprintf(stderr, "report: '%s' has no questions; the demos with questions:",
			o->demo ? o->demo : "");
		for (size_t i = 0; i < nquizzes; i++)
			fprintf(stderr, " %s", quizzes[i]->demo);
		fprintf(stderr, "\n");
	}
	return z;
}

int predict_questions(const struct predict_opts *o)
{
	const struct quiz *z = quiz_or_die(o);
	struct quiz_sizes sz;

	if (!z)
		return 2;
	quiz_sizes_of(z, o->seeded, o->seed, o->quick, o->cpus, &sz);
	for (size_t i = 0; i < z->nq; i++) {
		struct sbuf t = SBUF_INIT;

		if (!quiz_asked(&z->q[i], o->quick))
			continue;
		quiz_text(&z->q[i], &sz, o->cpus, &t);
		printf("%s\t%g\t%g\t%s\t%s\n", z->q[i].id, z->q[i].min, z->q[i].max, z->q[i].unit,
		       sb_str(&t));
		sb_free(&t);
	}
	return 0;
}

int predict_sizes(const struct predict_opts *o)
{
	const struct quiz *z = quiz_or_die(o);
	struct quiz_sizes sz;

	if (!z)
		return 2;
	quiz_sizes_of(z, o->seeded, o->seed, o->quick, o->cpus, &sz);
	for (size_t i = 0; i < sz.n; i++)
		printf("%s\t%.*f\n", sz.opt[i], sz.decimals[i], sz.value[i]);
	return 0;
}

/* Every answer names a question and is in its range; unless @partial, every
 * question is answered. */
static bool answers_ok(const struct quiz *z, const struct predictions *p, bool partial, bool quick,
		       const char *file)
{
	char err[512];

	for (size_t i = 0; i < p->n; i++) {
		const struct quiz_question *q = quiz_question(z, p->a[i].id);

		if (!q) {
			fprintf(stderr, "report: %s: %s has no question '%s'; its questions:", file,
				z->demo, p->a[i].id);
			for (size_t k = 0; k < z->nq; k++)
				fprintf(stderr, " %s", z->q[k].id);
			fprintf(stderr, "\n");
			return false;
		}
		if (!quiz_in_range(q, p->a[i].value, err, sizeof(err))) {
			fprintf(stderr, "report: %s: %s\n", file, err);
			return false;
		}
	}
	for (size_t k = 0; !partial && k < z->nq; k++)
		if (quiz_asked(&z->q[k], quick) && !prediction_of(p, z->q[k].id)) {
			fprintf(stderr,
				"report: %s: question '%s' is not answered (%s, from %g to %g)\n",
				file, z->q[k].id, z->q[k].unit, z->q[k].min, z->q[k].max);
			return false;
		}
	return true;
}

/* predictions.json (docs/formats.md), atomically. */
static int write_predictions(const struct quiz *z, const struct predict_opts *o,
			     const struct predictions *p)
{
	json_t *root = json_object(), *sizes = json_object(), *ans = json_array();
	struct quiz_sizes sz;
	char tmp[4200];
	int rc = 0;

	quiz_sizes_of(z, o->seeded, o->seed, o->quick, o->cpus, &sz);
	for (size_t i = 0; i < sz.n; i++)
		json_object_set_new(sizes, sz.opt[i],
				    sz.decimals[i] ? json_real(sz.value[i])
						   : json_integer((json_int_t)sz.value[i]));
	for (size_t k = 0; k < z->nq; k++) {
		const struct quiz_question *q = &z->q[k];
		const struct prediction *a = prediction_of(p, q->id);
		struct sbuf t = SBUF_INIT;

		if (!a)
			continue;
		quiz_text(q, &sz, o->cpus, &t);
		json_array_append_new(ans, json_pack("{s:s, s:s, s:s, s:f, s:f, s:f}", "id", q->id,
						     "question", sb_str(&t), "unit", q->unit, "min",
						     q->min, "max", q->max, "value", a->value));
		sb_free(&t);
	}
	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "demo", json_string(z->demo));
	json_object_set_new(root, "cpus", json_integer(o->cpus));
	json_object_set_new(root, "seed", o->seeded ? json_integer(o->seed) : json_null());
	json_object_set_new(root, "quick", json_boolean(o->quick));
	json_object_set_new(root, "sizes", sizes);
	json_object_set_new(root, "from", json_string(o->from ? o->from : p->from));
	json_object_set_new(root, "answers", ans);
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->write);
	if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) ||
	    rename(tmp, o->write)) {
		fprintf(stderr, "report: cannot write %s\n", o->write);
		remove(tmp);
		rc = 1;
	}
	json_decref(root);
	return rc;
}

int predict_check(const struct predict_opts *o, const char *file)
{
	const struct quiz *z = quiz_or_die(o);
	struct predictions p;
	char err[4400];
	int rc = 2;

	if (!z)
		return 2;
	if (predictions_read_answers(file, &p, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return 2;
	}
	if (p.demo[0] && strcmp(p.demo, z->demo))
		fprintf(stderr, "report: %s: answers for %s, taken for %s\n", file, p.demo,
			z->demo);
	else if (answers_ok(z, &p, o->partial, o->quick, file))
		rc = o->write ? write_predictions(z, o, &p) : 0;
	predictions_free(&p);
	return rc;
}

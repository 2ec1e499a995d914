// SPDX-License-Identifier: GPL-2.0
/* The page's opening when the student predicted (trace --predict): each
 * question with the prediction, the model's value, the measurement and the
 * grade, then per question the model's rule and one sentence on the gap
 * (docs/predict.md). */
#include <jansson.h>
#include <stdio.h>

#include "predict.h"
#include "report.h"

static const char *tol_text(char *buf, size_t len, const struct quiz_question *q)
{
	if (q->tol_kind == QUIZ_REL)
		snprintf(buf, len, "±%.0f%%", 100 * q->tol);
	else
		snprintf(buf, len, "±%g %s", q->tol, q->unit);
	return buf;
}

/* The sizes a --seed gave the demo (meta.json seed, sizes), said once at the
 * top whether or not the student predicted. */
static void seed_line(struct report *rp)
{
	const json_t *seed = json_object_get(rp->rs->meta, "seed");
	const json_t *sizes = json_object_get(rp->rs->meta, "sizes"), *v;
	struct sbuf s = SBUF_INIT;
	const char *k;

	if (!json_is_integer(seed))
		return;
	json_object_foreach((json_t *)sizes, k, v)
	    sb_printf(&s, "%s--%s %g", s.len ? " " : "", k, json_number_value(v));
	doc_para(&rp->doc,
		 "Sizes from --seed %lld (%s): another seed gives other numbers for the same "
		 "lesson, and the same seed these again.",
		 (long long)json_integer_value(seed), s.len ? sb_str(&s) : "none given");
	sb_free(&s);
}

void report_predict(struct report *rp)
{
	static const char *const head[] = {"question",	"your prediction", "model", "measured",
					   "tolerance", "grade",	   NULL};
	const struct quiz_grades *g = rp->grades;
	struct doc_block *t, *l;
	size_t close = 0, graded = 0;
	char a[32], b[32], c[32], d[48];

	if (!g || !g->n) {
		seed_line(rp);
		return;
	}
	doc_heading(&rp->doc, 2, "Your predictions");
	for (size_t i = 0; i < g->n; i++) {
		graded += g->row[i].grade != GRADE_UNMEASURED;
		close += g->row[i].grade == GRADE_CLOSE;
	}
	doc_para(&rp->doc,
		 "You answered %zu question%s before the run; %zu of the %zu measured came "
		 "within the tolerance of the measurement (close), the edge included. The model "
		 "is the textbook's answer for this run's sizes and its %d CPUs; the measurement "
		 "is the figure this page shows below.",
		 g->n, g->n == 1 ? "" : "s", close, graded, fig_cpus(rp->rs));
	seed_line(rp);
	t = doc_table(&rp->doc, head);
	for (size_t i = 0; i < g->n; i++) {
		const struct quiz_row *r = &g->row[i];

		doc_cell(t, "%s (%s, %s)", r->q->id, r->q->variant, r->q->unit);
		doc_cell(t, "%s", quiz_num(a, sizeof(a), r->predicted));
		doc_cell(t, "%s", r->model >= 0 ? quiz_num(b, sizeof(b), r->model) : "-");
		doc_cell(t, "%s", r->measured >= 0 ? quiz_num(c, sizeof(c), r->measured) : "-");
		doc_cell(t, "%s", tol_text(d, sizeof(d), r->q));
		doc_cell(t, "%s", quiz_grade_names[r->grade]);
	}
	l = doc_links(&rp->doc);
	for (size_t i = 0; i < g->n; i++) {
		const struct quiz_row *r = &g->row[i];

		doc_item(l, NULL, "%s: %s The model: %s. %s", r->q->id,
			 r->question[0] ? r->question : "", r->rule[0] ? r->rule : "none", r->gap);
	}
}

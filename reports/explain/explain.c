// SPDX-License-Identifier: GPL-2.0
#include "explain.h"
#include "demo_module.h"
#include "explain_cpython.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "roles.h"

const struct explainer *explainer_for(const struct run_set *rs)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;

	return m ? &m->explainer : &explain_command;
}

void sentences_add(struct sentences *out, const char *fmt, ...)
{
	char **p;
	va_list ap;
	int n;

	p = realloc(out->s, (out->n + 1) * sizeof(*out->s));
	if (!p) {
		fprintf(stderr, "report: realloc: out of memory\n");
		abort();
	}
	out->s = p;
	va_start(ap, fmt);
	n = vasprintf(&out->s[out->n], fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "report: vasprintf: out of memory\n");
		abort();
	}
	out->n++;
}

void sentences_free(struct sentences *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->s[i]);
	free(s->s);
	s->s = NULL;
	s->n = 0;
}

void verdict_free(struct verdicts *v)
{
	sentences_free(&v->lines);
	sentences_free(&v->doubts);
}

/* Without a demo's own verdict: each variant's figures against its bound. */
static void verdict_generic(const struct run_set *rs, struct verdicts *out)
{
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];

		sentences_add(&out->lines,
			      "%s: %.2f s of wall time, %.2f s of CPU time: on average %.2f CPUs "
			      "busy of the %.0f it could use.",
			      v->name, v->m[M_WALL_S].med, v->m[M_CPU_S].med,
			      v->m[M_PARALLELISM].med, fig_bound(rs, v->rep));
	}
}

/* The lesson line: a line naming sizes must name the run's own. */
static void lesson_of(const struct run_set *rs, struct verdicts *out)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;

	if (m && m->lesson_line && rs->summary[0])
		m->lesson_line(rs, out->lesson, sizeof(out->lesson));
	else
		snprintf(out->lesson, sizeof(out->lesson), "%s", rs->summary);
}

void verdict_of(const struct run_set *rs, struct verdicts *out)
{
	const struct explainer *e = explainer_for(rs);

	lesson_of(rs, out);
	/* the C model's variants and CPython's (py-*) are judged apart */
	verdict_families(e, rs, e->verdict ? e->verdict : verdict_generic, out);
}

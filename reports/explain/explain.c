// SPDX-License-Identifier: GPL-2.0
#include "explain.h"
#include "demo_module.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

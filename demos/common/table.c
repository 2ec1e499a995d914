// SPDX-License-Identifier: GPL-2.0
#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct table {
	unsigned int ncols;
	unsigned int nrows; /* rows[0] is the header */
	unsigned int cap;
	unsigned int filled; /* cells filled in the last row */
	char **cells;	     /* nrows * ncols, NULL for an empty cell */
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "table: realloc: out of memory\n");
		abort();
	}
	return p;
}

struct table *table_new(unsigned int ncols, const char *const *headers)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t) {
		fprintf(stderr, "table: calloc: out of memory\n");
		abort();
	}
	t->ncols = ncols;
	table_row(t);
	for (unsigned int c = 0; c < ncols; c++)
		table_cell(t, "%s", headers[c]);
	return t;
}

void table_row(struct table *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->cells = xrealloc(t->cells, (size_t)t->cap * t->ncols * sizeof(char *));
	}
	memset(&t->cells[(size_t)t->nrows * t->ncols], 0, t->ncols * sizeof(char *));
	t->nrows++;
	t->filled = 0;
}

void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (t->filled >= t->ncols)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "table: vasprintf: out of memory\n");
		abort();
	}
	va_end(ap);
	t->cells[(size_t)(t->nrows - 1) * t->ncols + t->filled++] = s;
}

void table_print(const struct table *t, FILE *f, const char *indent)
{
	size_t *w = calloc(t->ncols, sizeof(*w));

	if (!w) {
		fprintf(stderr, "table: calloc: out of memory\n");
		abort();
	}
	for (unsigned int r = 0; r < t->nrows; r++)
		for (unsigned int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[(size_t)r * t->ncols + c];

			if (s && strlen(s) > w[c])
				w[c] = strlen(s);
		}
	for (unsigned int r = 0; r < t->nrows; r++) {
		fputs(indent, f);
		for (unsigned int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[(size_t)r * t->ncols + c];

			if (c)
				fputs("  ", f);
			if (c == 0 && c + 1 < t->ncols)
				fprintf(f, "%-*s", (int)w[c], s ? s : "");
			else if (c == 0)
				fputs(s ? s : "", f);
			else
				fprintf(f, "%*s", (int)w[c], s ? s : "");
		}
		fputc('\n', f);
		if (r == 0) {
			size_t total = 0;

			for (unsigned int c = 0; c < t->ncols; c++)
				total += w[c] + (c ? 2 : 0);
			fputs(indent, f);
			for (size_t i = 0; i < total; i++)
				fputc('-', f);
			fputc('\n', f);
		}
	}
	free(w);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < (size_t)t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

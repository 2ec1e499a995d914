// SPDX-License-Identifier: GPL-2.0
#include "doc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void oom(const char *what)
{
	fprintf(stderr, "report: %s: out of memory\n", what);
	abort();
}

static char *vxasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		oom("vasprintf");
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vxasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static struct doc_block *add(struct doc *d, enum block_kind kind)
{
	struct doc_block *b = realloc(d->b, (d->n + 1) * sizeof(*d->b));

	if (!b)
		oom("realloc");
	d->b = b;
	b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void doc_heading(struct doc *d, int level, const char *fmt, ...)
{
	struct doc_block *b = add(d, B_HEADING);
	va_list ap;

	b->level = level;
	va_start(ap, fmt);
	b->text = vxasprintf(fmt, ap);
	va_end(ap);
}

void doc_para(struct doc *d, const char *fmt, ...)
{
	struct doc_block *b = add(d, B_PARA);
	va_list ap;

	va_start(ap, fmt);
	b->text = vxasprintf(fmt, ap);
	va_end(ap);
}

void doc_note(struct doc *d, const char *fmt, ...)
{
	struct doc_block *b = add(d, B_NOTE);
	va_list ap;

	va_start(ap, fmt);
	b->text = vxasprintf(fmt, ap);
	va_end(ap);
}

void doc_chart(struct doc *d, const char *path, const char *caption)
{
	struct doc_block *b = add(d, B_CHART);

	b->path = xasprintf("%s", path);
	b->text = xasprintf("%s", caption);
}

void doc_fold(struct doc *d, const char *fmt, ...)
{
	struct doc_block *b = add(d, B_FOLD);
	va_list ap;

	va_start(ap, fmt);
	b->text = vxasprintf(fmt, ap);
	va_end(ap);
}

void doc_unfold(struct doc *d)
{
	add(d, B_UNFOLD);
}

void doc_lead(struct doc *d, int warn, const char *fmt, ...)
{
	struct doc_block *b = add(d, B_LEAD);
	va_list ap;

	b->level = warn;
	va_start(ap, fmt);
	b->text = vxasprintf(fmt, ap);
	va_end(ap);
}

struct doc_block *doc_table(struct doc *d, const char *const *head)
{
	struct doc_block *b = add(d, B_TABLE);
	size_t i;

	while (head[b->ncols])
		b->ncols++;
	b->head = calloc(b->ncols, sizeof(*b->head));
	if (!b->head)
		oom("calloc");
	for (i = 0; i < b->ncols; i++)
		b->head[i] = xasprintf("%s", head[i]);
	return b;
}

/* Cells fill the table row by row; nrows counts complete and started rows. */
void doc_cell(struct doc_block *t, const char *fmt, ...)
{
	va_list ap;
	char **c;

	if (t->ncells == t->nrows * t->ncols) {
		c = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*c));
		if (!c)
			oom("realloc");
		t->cells = c;
		memset(&c[t->nrows * t->ncols], 0, t->ncols * sizeof(*c));
		c = realloc(t->hrefs, (t->nrows + 1) * t->ncols * sizeof(*c));
		if (!c)
			oom("realloc");
		t->hrefs = c;
		memset(&c[t->nrows * t->ncols], 0, t->ncols * sizeof(*c));
		t->nrows++;
	}
	va_start(ap, fmt);
	t->cells[t->ncells++] = vxasprintf(fmt, ap);
	va_end(ap);
}

void doc_cell_link(struct doc_block *t, const char *href, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = vxasprintf(fmt, ap);
	va_end(ap);
	doc_cell(t, "%s", text);
	free(text);
	t->hrefs[t->ncells - 1] = xasprintf("%s", href);
}

struct doc_block *doc_links(struct doc *d)
{
	return add(d, B_LINKS);
}

struct doc_block *doc_code(struct doc *d)
{
	return add(d, B_CODE);
}

void doc_item(struct doc_block *b, const char *href, const char *fmt, ...)
{
	struct doc_item *it = realloc(b->items, (b->nitems + 1) * sizeof(*it));
	va_list ap;

	if (!it)
		oom("realloc");
	b->items = it;
	it = &b->items[b->nitems++];
	it->href = href ? xasprintf("%s", href) : NULL;
	it->id = NULL;
	va_start(ap, fmt);
	it->text = vxasprintf(fmt, ap);
	va_end(ap);
}

void doc_term(struct doc *d, struct doc_block *b, const char *term, const char *definition)
{
	char **t = realloc(d->terms, (d->nterms + 1) * sizeof(*t));
	char **ids = t ? realloc(d->term_ids, (d->nterms + 1) * sizeof(*ids)) : NULL;
	char *id;

	if (!t || !ids)
		oom("realloc");
	d->terms = t;
	d->term_ids = ids;
	id = xasprintf("word-%s", term);
	for (char *c = id; *c; c++)
		if (!isalnum((unsigned char)*c))
			*c = '-';
	d->terms[d->nterms] = xasprintf("%s", term);
	d->term_ids[d->nterms++] = id;
	doc_item(b, NULL, "%s: %s", term, definition);
	b->items[b->nitems - 1].id = xasprintf("%s", id);
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

const char *doc_next_term(const struct doc *d, const bool *used, const char *s, size_t *len,
			  size_t *term)
{
	for (const char *p = s; *p; p++) {
		if (p > s && word_char(p[-1]))
			continue;
		for (size_t k = 0; k < d->nterms; k++) {
			size_t n = strlen(d->terms[k]);

			if (used[k] || strncasecmp(p, d->terms[k], n))
				continue;
			if (p[n] == 's' && !word_char(p[n + 1]))
				n += 1;
			else if (p[n] == 'e' && p[n + 1] == 's' && !word_char(p[n + 2]))
				n += 2;
			if (word_char(p[n]))
				continue;
			*len = n;
			*term = k;
			return p;
		}
	}
	return NULL;
}

void doc_text(struct sbuf *out, const struct doc *d, bool *used, const char *s,
	      const struct doc_text_style *style)
{
	const char *p;
	size_t len, k;

	while ((p = doc_next_term(d, used, s, &len, &k))) {
		char *pre = strndup(s, (size_t)(p - s)), *word = strndup(p, len);

		if (!pre || !word)
			abort();
		style->plain(out, pre);
		style->link(out, d, word, k);
		used[k] = true;
		s = p + len;
		free(pre);
		free(word);
	}
	style->plain(out, s);
}

bool cell_is_figure(const char *s)
{
	char *end;

	strtod(s, &end);
	return end != s && (*end == '\0' || *end == ' ' || *end == '(');
}

static void block_free(struct doc_block *b)
{
	size_t j;

	free(b->text);
	free(b->path);
	for (j = 0; j < b->ncols; j++)
		free(b->head[j]);
	free(b->head);
	for (j = 0; j < b->nrows * b->ncols; j++) {
		free(b->cells[j]);
		if (b->hrefs)
			free(b->hrefs[j]);
	}
	free(b->cells);
	free(b->hrefs);
	for (j = 0; j < b->nitems; j++) {
		free(b->items[j].text);
		free(b->items[j].href);
		free(b->items[j].id);
	}
	free(b->items);
}

void doc_free_last(struct doc *d)
{
	if (d->n)
		block_free(&d->b[--d->n]);
}

void doc_free(struct doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		block_free(&d->b[i]);
	free(d->b);
	for (i = 0; i < d->nterms; i++) {
		free(d->terms[i]);
		free(d->term_ids[i]);
	}
	free(d->terms);
	free(d->term_ids);
	memset(d, 0, sizeof(*d));
}

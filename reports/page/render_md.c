// SPDX-License-Identifier: GPL-2.0
#include "render.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* A glossary term's first use: a link to its entry's anchor. */
static void md_term(struct sbuf *out, const struct doc *d, const char *word, size_t k)
{
	sb_add(out, "[");
	md_escape(out, word);
	sb_add(out, "](#");
	url_escape(out, d->term_ids[k]);
	sb_add(out, ")");
}

static const struct doc_text_style md_text = {md_escape, md_term};

/* Running text: escaped, each glossary term's first use on the page
 * (doc_term) a link to its entry's anchor; @used: the terms linked. */
static void text(struct sbuf *out, const struct doc *d, bool *used, const char *s)
{
	doc_text(out, d, used, s, &md_text);
}

/* A column of figures is right-aligned; one with any text, left. */
static bool numeric_column(const struct doc_block *b, size_t col)
{
	size_t i;

	for (i = 0; i < b->nrows; i++) {
		const char *c = i * b->ncols + col < b->ncells ? b->cells[i * b->ncols + col] : "";
		if (!cell_is_figure(c) && strcmp(c, "-"))
			return false;
	}
	return b->nrows > 0;
}

static void table(const struct doc *d, bool *used, const struct doc_block *b, struct sbuf *out)
{
	size_t i, j;

	sb_add(out, "|");
	for (j = 0; j < b->ncols; j++) {
		sb_add(out, " ");
		md_escape(out, b->head[j]);
		sb_add(out, " |");
	}
	sb_add(out, "\n|");
	for (j = 0; j < b->ncols; j++)
		sb_add(out, numeric_column(b, j) ? "---:|" : "---|");
	sb_add(out, "\n");
	for (i = 0; i < b->nrows; i++) {
		sb_add(out, "|");
		for (j = 0; j < b->ncols; j++) {
			size_t k = i * b->ncols + j;

			sb_add(out, " ");
			if (k < b->ncells && b->hrefs && b->hrefs[k]) {
				sb_add(out, "[");
				md_escape(out, b->cells[k]);
				sb_add(out, "](");
				url_escape(out, b->hrefs[k]);
				sb_add(out, ")");
			} else {
				text(out, d, used, k < b->ncells ? b->cells[k] : "");
			}
			sb_add(out, " |");
		}
		sb_add(out, "\n");
	}
}

/* A command inside a fenced block: only a backtick run could end the fence. */
static void code_line(struct sbuf *out, const char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			sb_add(out, " ");
		else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			sb_addn(out, *s == '`' ? "'" : s, 1);
}

/* A list: glossary entries anchored, links, or plain items. */
static void links(const struct doc *d, bool *used, const struct doc_block *b, struct sbuf *out)
{
	for (size_t j = 0; j < b->nitems; j++) {
		sb_add(out, "- ");
		if (b->items[j].id) { /* a glossary entry, anchored */
			sb_add(out, "<a id=\"");
			html_escape(out, b->items[j].id);
			sb_add(out, "\"></a>");
			md_escape(out, b->items[j].text);
			sb_add(out, "\n");
		} else if (b->items[j].href) {
			sb_add(out, "[");
			md_escape(out, b->items[j].text);
			sb_add(out, "](");
			url_escape(out, b->items[j].href);
			sb_add(out, ")\n");
		} else {
			text(out, d, used, b->items[j].text);
			sb_add(out, "\n");
		}
	}
	sb_add(out, "\n");
}

void render_md(const struct doc *d, struct sbuf *out)
{
	bool *used = calloc(d->nterms + 1, sizeof(*used));
	size_t i, j;

	if (!used)
		abort();
	for (i = 0; i < d->n; i++) {
		const struct doc_block *b = &d->b[i];

		switch (b->kind) {
		case B_HEADING:
			sb_printf(out, "%.*s ", b->level, "####");
			md_escape(out, b->text);
			sb_add(out, "\n\n");
			break;
		case B_PARA:
			text(out, d, used, b->text);
			sb_add(out, "\n\n");
			break;
		case B_NOTE:
			sb_add(out, "> **Note:** ");
			text(out, d, used, b->text);
			sb_add(out, "\n\n");
			break;
		case B_TABLE:
			table(d, used, b, out);
			sb_add(out, "\n");
			break;
		case B_CHART:
			sb_add(out, "![");
			md_escape(out, b->text);
			sb_add(out, "](");
			url_escape(out, b->path);
			sb_add(out, ")\n\n");
			break;
		case B_LINKS:
			links(d, used, b, out);
			break;
		case B_FOLD:
			sb_add(out, "<details><summary>");
			html_escape(out, b->text);
			sb_add(out, "</summary>\n\n");
			break;
		case B_UNFOLD:
			sb_add(out, "</details>\n\n");
			break;
		case B_LEAD:
			sb_add(out, b->level ? "> **" : "**");
			text(out, d, used, b->text);
			sb_add(out, "**\n\n");
			break;
		case B_CODE:
			sb_add(out, "```sh\n");
			for (j = 0; j < b->nitems; j++) {
				code_line(out, b->items[j].text);
				sb_add(out, "\n");
			}
			sb_add(out, "```\n\n");
			break;
		}
	}
	free(used);
}

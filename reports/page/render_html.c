// SPDX-License-Identifier: GPL-2.0
#include "render.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static const char style[] =
    "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;"
    "color:#222;line-height:1.4}\n"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}\n"
    "th,td{border:1px solid #ccc;padding:0.2em 0.5em;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "th{background:#f0f0f0}\n"
    ".note{background:#fff4d6;border-left:4px solid #e0a000;padding:0.5em 1em}\n"
    "pre{background:#f6f6f6;padding:0.6em;overflow-x:auto}\n"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-size:0.9em;color:#555}\n"
    "details{border:1px solid #ddd;border-radius:4px;margin:0.6em 0;padding:0.3em 0.8em}\n"
    "summary{cursor:pointer;font-weight:600;padding:0.2em 0}\n"
    "details[open]>summary{border-bottom:1px solid #eee;margin-bottom:0.5em}\n"
    ".lead{font-size:1.1em;margin:0.4em 0}\n"
    ".lead.warn{background:#fff4d6;border-left:4px solid #e69f00;padding:0.5em 1em}\n"
    "ul.verdict{font-size:1.1em}\n";

/* A glossary term's first use: a link to its entry. */
static void html_term(struct sbuf *out, const struct doc *d, const char *word, size_t k)
{
	sb_add(out, "<a href=\"#");
	html_escape(out, d->term_ids[k]);
	sb_add(out, "\">");
	html_escape(out, word);
	sb_add(out, "</a>");
}

static const struct doc_text_style html_text = {html_escape, html_term};

/* Running text: escaped, each glossary term's first use on the page
 * (doc_term) a link to its entry; @used: the terms already linked. */
static void text(struct sbuf *out, const struct doc *d, bool *used, const char *s)
{
	doc_text(out, d, used, s, &html_text);
}

/* The SVG file at RUN_DIR/@rel, from its <svg element on (the XML prolog
 * and DOCTYPE cannot appear inside an HTML body). */
static int inline_svg(struct sbuf *out, const char *run_dir, const char *rel, char *err,
		      size_t errlen)
{
	char path[8192], *text = NULL, *svg;
	size_t cap = 0, len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", run_dir, rel);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	len = (size_t)getdelim(&text, &cap, '\0', f);
	fclose(f);
	svg = text && len != (size_t)-1 ? strstr(text, "<svg") : NULL;
	if (!svg) {
		snprintf(err, errlen, "%s: not an SVG picture", path);
		free(text);
		return -1;
	}
	sb_add(out, svg);
	free(text);
	return 0;
}

static void table(const struct doc *d, bool *used, const struct doc_block *b, struct sbuf *out)
{
	size_t i, j;

	sb_add(out, "<table>\n<tr>");
	for (j = 0; j < b->ncols; j++) {
		sb_add(out, "<th>");
		html_escape(out, b->head[j]);
		sb_add(out, "</th>");
	}
	sb_add(out, "</tr>\n");
	for (i = 0; i < b->nrows; i++) {
		sb_add(out, "<tr>");
		for (j = 0; j < b->ncols; j++) {
			size_t k = i * b->ncols + j;

			sb_add(out, k < b->ncells && cell_is_figure(b->cells[k])
					? "<td class=\"n\">"
					: "<td>");
			if (k < b->ncells && b->hrefs && b->hrefs[k]) {
				sb_add(out, "<a href=\"");
				url_escape(out, b->hrefs[k]);
				sb_add(out, "\">");
			}
			if (k < b->ncells && b->hrefs && b->hrefs[k])
				html_escape(out, b->cells[k]);
			else
				text(out, d, used, k < b->ncells ? b->cells[k] : "");
			if (k < b->ncells && b->hrefs && b->hrefs[k])
				sb_add(out, "</a>");
			sb_add(out, "</td>");
		}
		sb_add(out, "</tr>\n");
	}
	sb_add(out, "</table>\n");
}

static void items(const struct doc *d, bool *used, const struct doc_block *b, struct sbuf *out)
{
	size_t j;

	if (b->kind == B_CODE) {
		sb_add(out, "<pre>");
		for (j = 0; j < b->nitems; j++) {
			html_escape(out, b->items[j].text);
			sb_add(out, "\n");
		}
		sb_add(out, "</pre>\n");
		return;
	}
	sb_add(out, "<ul>\n");
	for (j = 0; j < b->nitems; j++) {
		if (b->items[j].id) { /* a glossary entry: its own words stay plain */
			sb_add(out, "<li id=\"");
			html_escape(out, b->items[j].id);
			sb_add(out, "\">");
			html_escape(out, b->items[j].text);
			sb_add(out, "</li>\n");
			continue;
		}
		sb_add(out, "<li>");
		if (b->items[j].href) {
			sb_add(out, "<a href=\"");
			url_escape(out, b->items[j].href);
			sb_add(out, "\">");
			html_escape(out, b->items[j].text);
			sb_add(out, "</a>");
		} else {
			text(out, d, used, b->items[j].text);
		}
		sb_add(out, "</li>\n");
	}
	sb_add(out, "</ul>\n");
}

int render_html(const struct doc *d, const char *title, const char *run_dir, struct sbuf *out,
		char *err, size_t errlen)
{
	bool *used = calloc(d->nterms + 1, sizeof(*used));
	size_t i;
	int rc = 0;

	if (!used)
		abort();
	sb_add(out,
	       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	html_escape(out, title);
	sb_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	for (i = 0; i < d->n; i++) {
		const struct doc_block *b = &d->b[i];

		switch (b->kind) {
		case B_HEADING:
			sb_printf(out, "<h%d>", b->level);
			html_escape(out, b->text);
			sb_printf(out, "</h%d>\n", b->level);
			break;
		case B_PARA:
			sb_add(out, "<p>");
			text(out, d, used, b->text);
			sb_add(out, "</p>\n");
			break;
		case B_NOTE:
			sb_add(out, "<p class=\"note\"><strong>Note:</strong> ");
			text(out, d, used, b->text);
			sb_add(out, "</p>\n");
			break;
		case B_TABLE:
			table(d, used, b, out);
			break;
		case B_CHART:
			sb_add(out, "<figure>\n");
			if (inline_svg(out, run_dir, b->path, err, errlen)) {
				rc = -1;
				goto out;
			}
			sb_add(out, "\n<figcaption>");
			text(out, d, used, b->text);
			sb_add(out, " (<a href=\"");
			url_escape(out, b->path);
			sb_add(out, "\">");
			html_escape(out, b->path);
			sb_add(out, "</a>)</figcaption>\n</figure>\n");
			break;
		case B_LINKS:
		case B_CODE:
			items(d, used, b, out);
			break;
		case B_FOLD:
			sb_add(out, "<details>\n<summary>");
			html_escape(out, b->text);
			sb_add(out, "</summary>\n<div class=\"fold\">\n");
			break;
		case B_UNFOLD:
			sb_add(out, "</div>\n</details>\n");
			break;
		case B_LEAD:
			sb_add(out, b->level ? "<p class=\"lead warn\">" : "<p class=\"lead\">");
			text(out, d, used, b->text);
			sb_add(out, "</p>\n");
			break;
		}
	}
	sb_add(out, "</body>\n</html>\n");
out:
	free(used);
	return rc;
}

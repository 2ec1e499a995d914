/* SPDX-License-Identifier: GPL-2.0 */
/* The report as a document: headings, paragraphs, tables, charts, links and
 * command lines, built once from the run set and then rendered twice
 * (render_md.c, render_html.c), so the two files always say the same thing.
 * Every string is stored raw; each renderer escapes it for its format. */
#ifndef SCHEDLAB_DOC_H
#define SCHEDLAB_DOC_H

#include <stdbool.h>
#include <stddef.h>

enum block_kind {
	B_HEADING, /* text, level 1..3 */
	B_PARA,	   /* text */
	B_NOTE,	   /* text, shown as a call-out (PARTIAL, missing files) */
	B_TABLE,   /* head[ncols], cells[nrows * ncols]; first column left, the rest right */
	B_CHART,   /* path (relative to the run folder, an SVG), text = caption */
	B_LINKS,   /* items: text + href (href NULL: plain text) */
	B_CODE,	   /* items: one command line each */
	B_FOLD,	   /* text = summary: what follows, up to B_UNFOLD, is folded (<details>) */
	B_UNFOLD,  /* the end of the folded part */
	B_LEAD,	   /* text: a sentence the reader must not miss (the verdict, the trust line);
		    * level 0 plain, 1 a warning */
};

struct doc_item {
	char *text;
	char *href;
	char *id; /* an anchor on the item (a glossary entry, doc_term), or NULL */
};

struct doc_block {
	enum block_kind kind;
	int level;
	char *text;
	char *path;
	char **head;
	char **cells;
	char **hrefs; /* per cell, a link or NULL (doc_cell_link) */
	size_t ncols, nrows, ncells;
	struct doc_item *items;
	size_t nitems;
};

struct doc {
	struct doc_block *b;
	size_t n;
	/* The glossary's terms and their entries' anchors (doc_term): the
	 * renderers link each term's first use in the running text to it. */
	char **terms, **term_ids;
	size_t nterms;
};

void doc_heading(struct doc *d, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void doc_para(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_note(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_chart(struct doc *d, const char *path, const char *caption);
/* Fold what follows under a summary line until doc_unfold() (HTML <details>;
 * Markdown too, which GitHub renders the same way). */
void doc_fold(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_unfold(struct doc *d);
/* A sentence set apart: @warn 0 plain, 1 a warning. */
void doc_lead(struct doc *d, int warn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A table: doc_table() gives the header (NULL-terminated list of column
 * names), then doc_row() adds rows of exactly that many cells, each a
 * printf-formatted string from doc_cell(). */
struct doc_block *doc_table(struct doc *d, const char *const *head);
void doc_cell(struct doc_block *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A cell that links to @href (a path relative to the page). */
void doc_cell_link(struct doc_block *t, const char *href, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct doc_block *doc_links(struct doc *d);
struct doc_block *doc_code(struct doc *d);
/* Add to a B_LINKS or B_CODE block; @href may be NULL. */
void doc_item(struct doc_block *b, const char *href, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A glossary entry in @b (a B_LINKS block of @d): "@term: @definition",
 * anchored, and @term's first use anywhere in the page's running text
 * (paragraphs, leads, notes, list items, captions, table cells) linked
 * to it, in both renderings. */
void doc_term(struct doc *d, struct doc_block *b, const char *term, const char *definition);
/* The renderers' side: where in @s the next glossary term not yet @used
 * starts (whole word, any case, an "s" or "es" plural too); its length in
 * *@len and its index in *@term. Returns NULL when none. */
const char *doc_next_term(const struct doc *d, const bool *used, const char *s, size_t *len,
			  size_t *term);
/* How a renderer writes running text: @plain escapes a piece of text, @link
 * writes glossary term @k's first use @word as a link to its entry. */
struct sbuf;
struct doc_text_style {
	void (*plain)(struct sbuf *out, const char *s);
	void (*link)(struct sbuf *out, const struct doc *d, const char *word, size_t k);
};
/* Running text @s into @out in @style, each glossary term's first use on the
 * page (not yet @used; marked used here) linked. */
void doc_text(struct sbuf *out, const struct doc *d, bool *used, const char *s,
	      const struct doc_text_style *style);

void doc_free(struct doc *d);
/* Drop the last block (a fold that turned out empty). */
void doc_free_last(struct doc *d);

/* A figure ("12.5", "-3", "0.96 (0.90-1.02)", "2 CPUs"): a number that ends
 * the cell or is followed by a space or '('. Renderers right-align figures. */
bool cell_is_figure(const char *s);

/* printf into a new string; aborts on allocation failure. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

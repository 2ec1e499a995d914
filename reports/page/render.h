/* SPDX-License-Identifier: GPL-2.0 */
/* The two renderings of a report document (doc.h), and writing them. */
#ifndef SCHEDLAB_RENDER_H
#define SCHEDLAB_RENDER_H

#include "doc.h"
#include "sbuf.h"

/* GitHub-flavoured Markdown; charts become image links to their SVG files. */
void render_md(const struct doc *d, struct sbuf *out);
/* One self-contained HTML page titled @title: the SVG charts are read from
 * @run_dir and inlined, so the page opens offline on its own. Returns 0, or
 * -1 with @err naming the chart that could not be read. */
int render_html(const struct doc *d, const char *title, const char *run_dir, struct sbuf *out,
		char *err, size_t errlen);
/* Write @text to DIR/NAME through a temporary file, so a reader never sees
 * half a page (write_file.c). Returns 0, or -1 after saying on stderr what
 * failed. */
int write_file(const char *dir, const char *name, const struct sbuf *text);

#endif

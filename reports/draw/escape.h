/* SPDX-License-Identifier: GPL-2.0 */
/* Every string that comes from a run folder (comm names, commands, notes,
 * variant names) is untrusted: it is escaped for the format it goes into. */
#ifndef SCHEDLAB_ESCAPE_H
#define SCHEDLAB_ESCAPE_H

#include "sbuf.h"

/* &, <, >, " and ' as entities; control characters other than tab and
 * newline dropped. Safe in element text and in quoted attribute values. */
void html_escape(struct sbuf *out, const char *s);
/* For a Markdown table cell or line: '|', '\\', '`', '*', '_', '<', '>', '[', ']'
 * backslash-escaped, newlines turned into spaces. */
void md_escape(struct sbuf *out, const char *s);
/* A label safe inside a double-quoted gnuplot string: only letters, digits
 * and " ._-+*:/()#,=%" survive, everything else becomes '?', and the result
 * is cut to @max bytes. gnuplot strings can call system(), so nothing that
 * could close the quote or start an escape may pass. Returns @out. */
char *gnuplot_label(char *out, size_t max, const char *s);
/* A URL path (relative link) with every byte outside [A-Za-z0-9._~/-]
 * percent-encoded. */
void url_escape(struct sbuf *out, const char *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Graphs as SVG, laid out by Graphviz's dot: the report's wake graph. */
#ifndef SCHEDLAB_GRAPH_SVG_H
#define SCHEDLAB_GRAPH_SVG_H

#include <stddef.h>

/* The dot program, or NULL when Graphviz is not installed. */
const char *dot_path(void);
/* A string fit inside a DOT double-quoted string: quotes and backslashes
 * escaped, control characters dropped. */
const char *dot_label(char *out, size_t len, const char *s);
/* Lay out the DOT program @src into the file @svg_path. Returns 0, or -1 with
 * @err saying what failed. */
int graph_svg(const char *src, const char *svg_path, char *err, size_t errlen);

#endif

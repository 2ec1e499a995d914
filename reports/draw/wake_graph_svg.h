/* SPDX-License-Identifier: GPL-2.0 */
/* The wake graph (derive/wake_graph.h) drawn by Graphviz's dot. */
#ifndef SCHEDLAB_WAKE_GRAPH_SVG_H
#define SCHEDLAB_WAKE_GRAPH_SVG_H

#include <stddef.h>

#include "sbuf.h"
#include "wake_graph.h"

/* The DOT program of @g's drawn edges and their nodes, appended to @s. */
void wake_graph_dot(struct sbuf *s, const struct wake_graph *g);
/* Lay @g out into the SVG file @svg_path: 0, or -1 with @err. */
int wake_graph_svg(const struct wake_graph *g, const char *svg_path, char *err, size_t errlen);

#endif

// SPDX-License-Identifier: GPL-2.0
/* dot reads the graph on stdin and writes the SVG on stdout, straight into
 * the file (pipe_tool.h): no path is spelled inside the graph, and every
 * name in it passes through dot_label(). */
#include <stdio.h>
#include <string.h>

#include "graph_svg.h"
#include "pipe_tool.h"

const char *dot_path(void)
{
	static const char *const where[] = {"/usr/bin/dot", "/usr/local/bin/dot", "/bin/dot"};

	return tool_path(where, sizeof(where) / sizeof(where[0]));
}

const char *dot_label(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 2 < len; s++) {
		if ((unsigned char)*s < 0x20)
			continue;
		if (*s == '"' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

int graph_svg(const char *src, const char *svg_path, char *err, size_t errlen)
{
	static char *const argv[] = {"dot", "-Tsvg", NULL};
	const char *dot = dot_path();

	if (!dot) {
		snprintf(err, errlen, "Graphviz is not installed (package graphviz)");
		return -1;
	}
	return pipe_to_tool(dot, argv, src, strlen(src), svg_path, err, errlen);
}

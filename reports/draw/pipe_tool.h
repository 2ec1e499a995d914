/* SPDX-License-Identifier: GPL-2.0 */
/* The drawing tools (gnuplot, Graphviz's dot) run one way: the program on
 * the tool's stdin, the SVG from its stdout straight into the file, so no
 * path is ever spelled inside the program a run's names went into. */
#ifndef SCHEDLAB_PIPE_TOOL_H
#define SCHEDLAB_PIPE_TOOL_H

#include <stddef.h>

/* The first of the @n paths in @where that is executable, or NULL. */
const char *tool_path(const char *const *where, size_t n);

/* Run @path with @argv (argv[0] names the tool in messages), @len bytes of
 * @input on its stdin and its stdout into @out_path (created, or replaced);
 * wait for it. Returns 0 when it exited 0 and wrote something, else -1 with
 * @err saying what failed. */
int pipe_to_tool(const char *path, char *const argv[], const char *input, size_t len,
		 const char *out_path, char *err, size_t errlen);

#endif

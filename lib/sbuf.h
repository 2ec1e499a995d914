/* SPDX-License-Identifier: GPL-2.0 */
/* A growable string: the report is built in memory, then written in one go,
 * so a failure half-way never leaves a half-written report behind. */
#ifndef SCHEDLAB_SBUF_H
#define SCHEDLAB_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *s; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define SBUF_INIT                                                                                  \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Append; these abort on allocation failure (the report cannot continue). */
void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* The text so far ("" when empty); owned by @b. */
const char *sb_str(const struct sbuf *b);
void sb_reset(struct sbuf *b);
void sb_free(struct sbuf *b);

#endif

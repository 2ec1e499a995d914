/* SPDX-License-Identifier: GPL-2.0 */
/* A small text table for the demos' comparison output: cells are formatted
 * as they are added, columns are sized to their widest cell when printed.
 * The first column is left-aligned (names), the others right-aligned
 * (figures). */
#ifndef SCHEDLAB_TABLE_H
#define SCHEDLAB_TABLE_H

#include <stdio.h>

struct table;

/* A table with @ncols columns headed by @headers (@ncols strings). */
struct table *table_new(unsigned int ncols, const char *const *headers);
/* Start a new row; the following table_cell() calls fill it left to right. */
void table_row(struct table *t);
/* Append one printf-formatted cell to the current row (extra cells are
 * dropped, missing ones print empty). */
void table_cell(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the header, a rule, and every row; each line prefixed by @indent. */
void table_print(const struct table *t, FILE *f, const char *indent);
void table_free(struct table *t);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The GIL of any CPython process, named from where its futex words sit: a
 * futex word the collector placed in the symbol _PyRuntime of a mapped
 * object (sched.json futex[] object, symbol, symbol_offset) is one of the
 * GIL's when the offset falls in the GIL's mutex or condvars as the
 * installed CPython's own headers lay them out (gil_layout.c, computed at
 * build time into build/gen/gil_layouts.h).
 *
 * A layout is used only for an object whose name carries the same
 * major.minor version (python3.11, libpython3.11.so.1.0) and whose
 * _PyRuntime symbol is exactly as large as the headers' _PyRuntimeState;
 * otherwise the word is not named and the reason is given, never a guess.
 * docs/cpython.md. */
#ifndef SCHEDLAB_CPYTHON_H
#define SCHEDLAB_CPYTHON_H

#include <stddef.h>
#include <stdint.h>

struct futex_acct;

struct gil_word {
	const char *name; /* "GIL mutex", "GIL cond", "GIL switch mutex", "GIL switch cond" */
	size_t offset, size;
};

struct gil_layout {
	const char *include; /* the header set it was computed from */
	const char *version; /* PY_VERSION of those headers, "3.11.2" */
	int major, minor;
	size_t runtime_size; /* sizeof(_PyRuntimeState) */
	struct gil_word words[4];
};

/* What became of a word in _PyRuntime. */
enum gil_verdict {
	GIL_NOT_RUNTIME,   /* not in _PyRuntime: not CPython's (or not resolved) */
	GIL_NAMED,	   /* one of the GIL's words */
	GIL_OTHER_WORD,	   /* in _PyRuntime, outside the GIL */
	GIL_NO_VERSION,	   /* the object's name says no python version */
	GIL_NO_LAYOUT,	   /* no headers of that version were built in */
	GIL_SIZE_MISMATCH, /* _PyRuntime's size differs from every such layout */
	GIL_UNREADABLE,	   /* the object's symbol table could not be read */
};

struct gil_naming {
	enum gil_verdict verdict;
	const char *name;		 /* GIL_NAMED: the word's lock */
	const struct gil_layout *layout; /* the layout used (GIL_NAMED, GIL_OTHER_WORD) */
	char why[1024];			 /* one plain sentence, for every verdict but NOT_RUNTIME */
};

/* Name @f's word from its object, symbol and offset. */
struct gil_naming cpython_gil_name(const struct futex_acct *f);

/* The layouts built in (for --version-like listings and tests). */
size_t cpython_gil_layouts(const struct gil_layout **out);

/* For tests: the table to use instead of the built-in one (NULL restores). */
void cpython_gil_layouts_override(const struct gil_layout *table, size_t n);

/* "3.11" from ".../python3.11" or ".../libpython3.11.so.1.0"; 0 when the
 * name has no version. Exposed for tests. */
int cpython_version_of(const char *object, int *major, int *minor);

#endif

// SPDX-License-Identifier: GPL-2.0
#include "cpython.h"
#include "elf_symbols.h"
#include "runset.h"

#include <stdio.h>
#include <string.h>

static const struct gil_layout builtin[] = {
#include "gil_layouts.h"
};
static const struct gil_layout *table = builtin;
static size_t ntable = sizeof(builtin) / sizeof(builtin[0]);

size_t cpython_gil_layouts(const struct gil_layout **out)
{
	*out = table;
	return ntable;
}

void cpython_gil_layouts_override(const struct gil_layout *t, size_t n)
{
	table = t ? t : builtin;
	ntable = t ? n : sizeof(builtin) / sizeof(builtin[0]);
}

int cpython_version_of(const char *object, int *major, int *minor)
{
	const char *base = strrchr(object, '/'), *p;

	base = base ? base + 1 : object;
	p = strstr(base, "python");
	if (!p || (p != base && strncmp(base, "libpython", 9)))
		return 0;
	return sscanf(p, "python%d.%d", major, minor) == 2;
}

/* st_size of the symbol _PyRuntime in @path (symtab or dynsym), or 0. */
static size_t runtime_size_in(const char *path)
{
	static struct {
		char path[512];
		size_t size;
	} cache[8];
	static unsigned int next;
	struct elf_symbols *es;
	const struct elf_symbol *s;
	size_t size = 0;

	for (unsigned int i = 0; i < 8; i++)
		if (!strcmp(cache[i].path, path))
			return cache[i].size;
	es = elf_symbols_open(path);
	s = es ? elf_symbols_named(es, "_PyRuntime") : NULL;
	if (s)
		size = (size_t)(s->hi - s->lo);
	elf_symbols_free(es);
	snprintf(cache[next].path, sizeof(cache[next].path), "%s", path);
	cache[next].size = size;
	next = (next + 1) % 8;
	return size;
}

/* The include dir's prefix ("/usr" of "/usr/include/python3.11") is a
 * directory above @object: the object's own build. */
static size_t prefix_match(const struct gil_layout *l, const char *object)
{
	const char *cut = strstr(l->include, "/include/");
	size_t n = cut ? (size_t)(cut - l->include) : 0;

	return n && !strncmp(object, l->include, n) && object[n] == '/' ? n : 0;
}

/* Among the layouts of @major.@minor whose runtime size is @size, the one
 * of the object's own prefix (longest match), else the first. */
static const struct gil_layout *pick(int major, int minor, size_t size, const char *object,
				     int *same_version)
{
	const struct gil_layout *best = NULL;
	size_t best_len = 0;

	*same_version = 0;
	for (size_t i = 0; i < ntable; i++) {
		const struct gil_layout *l = &table[i];
		size_t len;

		if (l->major != major || l->minor != minor)
			continue;
		(*same_version)++;
		if (l->runtime_size != size)
			continue;
		len = prefix_match(l, object);
		if (!best || len > best_len) {
			best = l;
			best_len = len;
		}
	}
	return best;
}

struct gil_naming cpython_gil_name(const struct futex_acct *f)
{
	struct gil_naming g = {GIL_NOT_RUNTIME, NULL, NULL, ""};
	int major, minor, same;
	size_t size;

	if (strcmp(f->symbol, "_PyRuntime") || !f->object[0])
		return g;
	if (!cpython_version_of(f->object, &major, &minor)) {
		g.verdict = GIL_NO_VERSION;
		snprintf(g.why, sizeof(g.why),
			 "cannot name the GIL: %.400s holds _PyRuntime but its name gives no "
			 "CPython version to match headers against",
			 f->object);
		return g;
	}
	size = runtime_size_in(f->object);
	if (!size) {
		g.verdict = GIL_UNREADABLE;
		snprintf(
		    g.why, sizeof(g.why),
		    "cannot name the GIL: the size of _PyRuntime in %.400s could not be read, so "
		    "its layout cannot be checked",
		    f->object);
		return g;
	}
	g.layout = pick(major, minor, size, f->object, &same);
	if (!g.layout) {
		g.verdict = same ? GIL_SIZE_MISMATCH : GIL_NO_LAYOUT;
		if (same)
			snprintf(g.why, sizeof(g.why),
				 "cannot name the GIL: _PyRuntime in %.400s is %zu bytes, which no "
				 "built-in CPython %d.%d header set gives (a different build)",
				 f->object, size, major, minor);
		else
			snprintf(
			    g.why, sizeof(g.why),
			    "cannot name the GIL: %.400s is CPython %d.%d, and schedlab was built "
			    "without that version's internal headers (docs/cpython.md)",
			    f->object, major, minor);
		return g;
	}
	for (size_t i = 0; i < 4; i++) {
		const struct gil_word *w = &g.layout->words[i];

		if (f->symbol_offset >= w->offset && f->symbol_offset < w->offset + w->size) {
			g.verdict = GIL_NAMED;
			g.name = w->name;
			snprintf(
			    g.why, sizeof(g.why),
			    "%s: _PyRuntime+%llu in %.400s, by the layout of CPython %s's headers "
			    "(%.300s)",
			    w->name, (unsigned long long)f->symbol_offset, f->object,
			    g.layout->version, g.layout->include);
			return g;
		}
	}
	g.verdict = GIL_OTHER_WORD;
	snprintf(g.why, sizeof(g.why), "_PyRuntime+%llu in %.400s is not one of the GIL's words",
		 (unsigned long long)f->symbol_offset, f->object);
	return g;
}

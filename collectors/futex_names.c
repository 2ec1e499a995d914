// SPDX-License-Identifier: GPL-2.0
/*
 * Futex words named from the ELF symbol tables of the objects mapped where
 * they live (futex_names.h). The mapping that holds the word names the
 * object; the object's lowest mapping gives its load bias
 * (elf_symbols_bias); every other address of the object, .bss included, is
 * then address - bias in the ELF's own terms (elf_symbols_at). The maps
 * text is walked with proc_maps.c's reader of its lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf_symbols.h"
#include "futex_names.h"
#include "proc_maps.h"

/* One object's symbols, NULL when it could not be read (not tried again). */
struct elf_object {
	char *path;
	struct elf_symbols *syms;
	struct elf_object *next;
};

struct futex_namer {
	struct elf_object *objects;
};

struct futex_namer *futex_namer_new(void)
{
	return calloc(1, sizeof(struct futex_namer));
}

void futex_namer_free(struct futex_namer *fn)
{
	struct elf_object *o, *next;

	if (!fn)
		return;
	for (o = fn->objects; o; o = next) {
		next = o->next;
		elf_symbols_free(o->syms);
		free(o->path);
		free(o);
	}
	free(fn);
}

static struct elf_object *get_object(struct futex_namer *fn, const char *path, const char *root)
{
	char full[4096];
	struct elf_object *o;

	for (o = fn->objects; o; o = o->next)
		if (!strcmp(o->path, path))
			return o;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->path = strdup(path);
	if (!o->path) {
		free(o);
		return NULL;
	}
	snprintf(full, sizeof(full), "%s%s", root ? root : "", path);
	o->syms = elf_symbols_open(full);
	o->next = fn->objects;
	fn->objects = o;
	return o;
}

static bool is_file(const char *path)
{
	return path[0] == '/' && !strstr(path, " (deleted)");
}

/* The bias of object path, from its lowest mapping (elf_symbols_bias). */
static bool object_bias(const char *maps, const struct elf_object *o, uint64_t *bias)
{
	const char *cur = maps;
	struct proc_map_entry m;

	while (proc_maps_next(&cur, &m)) {
		if (strcmp(m.path, o->path))
			continue;
		/* The lowest mapping must match. */
		return elf_symbols_bias(o->syms, m.start, m.offset, bias);
	}
	return false;
}

bool futex_name_from_maps(struct futex_namer *fn, const char *maps, const char *root, uint64_t addr,
			  struct futex_name *out)
{
	char prev_path[512] = "";
	uint64_t prev_end = 0, bias;
	bool found = false;
	struct elf_object *o;
	const struct elf_symbol *s;
	const char *cur = maps;
	struct proc_map_entry m;

	memset(out, 0, sizeof(*out));
	while (!found && proc_maps_next(&cur, &m)) {
		if (addr >= m.start && addr < m.end) {
			found = true;
			/* An anonymous mapping right after a file's is that file's .bss. */
			if (is_file(m.path))
				snprintf(out->object, sizeof(out->object), "%s", m.path);
			else if (!m.path[0] && prev_end == m.start && is_file(prev_path))
				snprintf(out->object, sizeof(out->object), "%s", prev_path);
			if (!out->object[0])
				snprintf(out->region, sizeof(out->region), "%s",
					 !strcmp(m.path, "[heap]")    ? "heap"
					 : !strcmp(m.path, "[stack]") ? "stack"
								      : "anonymous");
		}
		snprintf(prev_path, sizeof(prev_path), "%s", m.path);
		prev_end = m.end;
	}
	if (!found || !out->object[0])
		return found;
	o = get_object(fn, out->object, root);
	if (!o || !o->syms || !object_bias(maps, o, &bias))
		return true;
	s = elf_symbols_at(o->syms, addr - bias);
	if (s) {
		snprintf(out->symbol, sizeof(out->symbol), "%s", s->name);
		out->symbol_offset = addr - bias - s->lo;
	}
	return true;
}

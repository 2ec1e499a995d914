// SPDX-License-Identifier: GPL-2.0
/*
 * Futex words named from the ELF symbol tables of the objects mapped where
 * they live (futex_names.h). The load bias of an object is found from its
 * mapping at the lowest address: that mapping's file offset, rounded down to
 * a page, is the offset of one PT_LOAD segment, whose p_vaddr (rounded the
 * same) then sits at the mapping's start. Every other address of the object,
 * .bss included, is then address - bias in the ELF's own terms.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "futex_names.h"

#define PAGE_MASK_4K (~(uint64_t)0xfff)

struct elf_sym_range {
	uint64_t lo, hi; /* [lo, hi) in the object's virtual addresses */
	char *name;
};

struct elf_load {
	uint64_t offset, vaddr;
};

/* One object's symbols (data and functions, sized), sorted by lo. */
struct elf_object {
	char *path;
	bool ok;
	struct elf_sym_range *syms;
	size_t nsyms;
	struct elf_load *loads;
	size_t nloads;
	struct elf_object *next;
};

struct futex_namer {
	struct elf_object *objects;
};

struct futex_namer *futex_namer_new(void)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "schedtrace: elf_version: %s\n", elf_errmsg(-1));
		return NULL;
	}
	return calloc(1, sizeof(struct futex_namer));
}

void futex_namer_free(struct futex_namer *fn)
{
	struct elf_object *o, *next;

	if (!fn)
		return;
	for (o = fn->objects; o; o = next) {
		next = o->next;
		for (size_t i = 0; i < o->nsyms; i++)
			free(o->syms[i].name);
		free(o->syms);
		free(o->loads);
		free(o->path);
		free(o);
	}
	free(fn);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct elf_sym_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	/* Smaller first: the narrowest symbol containing an address wins. */
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

static void read_symtab(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, struct elf_object *o)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n, cap;
	struct elf_sym_range *syms;

	if (!data || !sh->sh_entsize)
		return;
	n = sh->sh_size / sh->sh_entsize;
	cap = o->nsyms + n;
	syms = realloc(o->syms, cap * sizeof(*syms));
	if (!syms)
		return;
	o->syms = syms;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;
		int type;

		if (!gelf_getsym(data, (int)i, &s) || s.st_shndx == SHN_UNDEF || !s.st_size)
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if (type != STT_OBJECT && type != STT_FUNC && type != STT_COMMON &&
		    type != STT_NOTYPE)
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		syms[o->nsyms].lo = s.st_value;
		syms[o->nsyms].hi = s.st_value + s.st_size;
		syms[o->nsyms].name = strdup(name);
		if (syms[o->nsyms].name)
			o->nsyms++;
	}
}

static void load_object(struct elf_object *o, const char *root)
{
	char path[4096];
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	size_t nph;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root ? root : "", o->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &nph))
		goto out;
	o->loads = calloc(nph ? nph : 1, sizeof(*o->loads));
	if (!o->loads)
		goto out;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD) {
			o->loads[o->nloads].offset = ph.p_offset;
			o->loads[o->nloads].vaddr = ph.p_vaddr;
			o->nloads++;
		}
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) &&
		    (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			read_symtab(elf, scn, &sh, o);
	}
	if (o->nsyms)
		qsort(o->syms, o->nsyms, sizeof(*o->syms), cmp_sym);
	o->ok = o->nloads > 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
}

static struct elf_object *get_object(struct futex_namer *fn, const char *path, const char *root)
{
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
	load_object(o, root);
	o->next = fn->objects;
	fn->objects = o;
	return o;
}

/* The symbol containing vaddr: the narrowest of those that do. */
static const struct elf_sym_range *find_symbol(const struct elf_object *o, uint64_t vaddr)
{
	const struct elf_sym_range *best = NULL;
	size_t lo = 0, hi = o->nsyms;

	/* First symbol starting after vaddr; candidates are before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->syms[mid].lo <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back over symbols that start at or before vaddr; sizes are small in practice. */
	for (size_t i = lo, seen = 0; i-- > 0 && seen < 4096; seen++) {
		const struct elf_sym_range *s = &o->syms[i];

		if (vaddr < s->hi && (!best || s->hi - s->lo < best->hi - best->lo))
			best = s;
	}
	return best;
}

struct map_line {
	uint64_t start, end, offset;
	char path[512];
};

static bool parse_map_line(const char *line, struct map_line *m)
{
	char buf[1024], perms[8];
	size_t len = strcspn(line, "\n");
	int n = 0;

	/* One line at a time: sscanf's blanks would run on into the next. */
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	m->path[0] = '\0';
	if (sscanf(buf, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %n", &m->start, &m->end,
		   perms, &m->offset, &n) < 4)
		return false;
	if (n > 0)
		snprintf(m->path, sizeof(m->path), "%s", buf + n);
	return true;
}

static bool is_file(const char *path)
{
	return path[0] == '/' && !strstr(path, " (deleted)");
}

/* The bias of object path: its lowest mapping against the PT_LOAD at that offset. */
static bool object_bias(const char *maps, const struct elf_object *o, uint64_t *bias)
{
	const char *line = maps;

	for (; line && *line; line = strchr(line, '\n')) {
		struct map_line m;

		if (*line == '\n')
			line++;
		if (!parse_map_line(line, &m) || strcmp(m.path, o->path))
			continue;
		for (size_t i = 0; i < o->nloads; i++) {
			if ((o->loads[i].offset & PAGE_MASK_4K) == m.offset) {
				*bias = m.start - (o->loads[i].vaddr & PAGE_MASK_4K);
				return true;
			}
		}
		return false; /* the lowest mapping must match */
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
	const struct elf_sym_range *s;

	memset(out, 0, sizeof(*out));
	for (const char *line = maps; line && *line && !found; line = strchr(line, '\n')) {
		struct map_line m;

		if (*line == '\n')
			line++;
		if (!parse_map_line(line, &m))
			continue;
		if (addr >= m.start && addr < m.end) {
			found = true;
			/* An anonymous mapping right after a file's is that file's .bss. */
			if (is_file(m.path))
				snprintf(out->object, sizeof(out->object), "%s", m.path);
			else if (!m.path[0] && prev_end == m.start && is_file(prev_path))
				snprintf(out->object, sizeof(out->object), "%s", prev_path);
		}
		snprintf(prev_path, sizeof(prev_path), "%s", m.path);
		prev_end = m.end;
	}
	if (!found || !out->object[0])
		return found;
	o = get_object(fn, out->object, root);
	if (!o || !o->ok || !object_bias(maps, o, &bias))
		return true;
	s = find_symbol(o, addr - bias);
	if (s) {
		snprintf(out->symbol, sizeof(out->symbol), "%s", s->name);
		out->symbol_offset = addr - bias - s->lo;
	}
	return true;
}

char *futex_read_maps(pid_t pid)
{
	char path[64], *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 16384);

			if (!nb)
				goto fail;
			buf = nb;
			cap = cap ? cap * 2 : 16384;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[len] = '\0';
	if (!len) { /* a zombie's maps are empty */
		free(buf);
		return NULL;
	}
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ELF symbol tables read into one sorted array (elf_symbols.h). Only sized,
 * defined, named symbols of the kinds that hold code or data are kept: an
 * address is then named by the narrowest of those containing it, which is
 * what a reader means by "the variable this word is in".
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "elf_symbols.h"

#define PAGE_MASK_4K (~(uint64_t)0xfff)

struct elf_load {
	uint64_t offset, vaddr;
};

struct elf_symbols {
	struct elf_symbol *syms; /* sorted by lo, then hi */
	size_t nsyms;
	struct elf_load *loads;
	size_t nloads;
};

void elf_symbols_free(struct elf_symbols *es)
{
	if (!es)
		return;
	for (size_t i = 0; i < es->nsyms; i++)
		free((char *)es->syms[i].name);
	free(es->syms);
	free(es->loads);
	free(es);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct elf_symbol *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	/* Smaller first: the narrowest symbol containing an address wins. */
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

static bool wanted(const GElf_Sym *s)
{
	int type = GELF_ST_TYPE(s->st_info);

	if (s->st_shndx == SHN_UNDEF || !s->st_size)
		return false;
	return type == STT_OBJECT || type == STT_FUNC || type == STT_COMMON || type == STT_NOTYPE;
}

static void read_symtab(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct elf_symbols *es)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	struct elf_symbol *syms;
	size_t n;

	if (!data || !sh->sh_entsize)
		return;
	n = sh->sh_size / sh->sh_entsize;
	syms = realloc(es->syms, (es->nsyms + n) * sizeof(*syms));
	if (!syms)
		return;
	es->syms = syms;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;

		if (!gelf_getsym(data, (int)i, &s) || !wanted(&s))
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		syms[es->nsyms].lo = s.st_value;
		syms[es->nsyms].hi = s.st_value + s.st_size;
		syms[es->nsyms].name = strdup(name);
		if (syms[es->nsyms].name)
			es->nsyms++;
	}
}

static int read_loads(Elf *elf, struct elf_symbols *es)
{
	size_t nph;

	if (elf_getphdrnum(elf, &nph))
		return -1;
	es->loads = calloc(nph ? nph : 1, sizeof(*es->loads));
	if (!es->loads)
		return -1;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD) {
			es->loads[es->nloads].offset = ph.p_offset;
			es->loads[es->nloads].vaddr = ph.p_vaddr;
			es->nloads++;
		}
	}
	return 0;
}

struct elf_symbols *elf_symbols_open(const char *path)
{
	struct elf_symbols *es = NULL;
	Elf_Scn *scn = NULL;
	Elf *elf = NULL;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "elf_symbols: elf_version: %s\n", elf_errmsg(-1));
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		goto out;
	es = calloc(1, sizeof(*es));
	if (!es || read_loads(elf, es))
		goto fail;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) &&
		    (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			read_symtab(elf, scn, &sh, es);
	}
	if (es->nsyms)
		qsort(es->syms, es->nsyms, sizeof(*es->syms), cmp_sym);
	if (es->nloads)
		goto out;
fail:
	elf_symbols_free(es);
	es = NULL;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return es;
}

const struct elf_symbol *elf_symbols_at(const struct elf_symbols *es, uint64_t vaddr)
{
	const struct elf_symbol *best = NULL;
	size_t lo = 0, hi = es->nsyms;

	/* First symbol starting after vaddr; candidates are before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (es->syms[mid].lo <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back over symbols that start at or before vaddr; sizes are small in practice. */
	for (size_t i = lo, seen = 0; i-- > 0 && seen < 4096; seen++) {
		const struct elf_symbol *s = &es->syms[i];

		if (vaddr < s->hi && (!best || s->hi - s->lo < best->hi - best->lo))
			best = s;
	}
	return best;
}

const struct elf_symbol *elf_symbols_named(const struct elf_symbols *es, const char *name)
{
	for (size_t i = 0; i < es->nsyms; i++)
		if (!strcmp(es->syms[i].name, name))
			return &es->syms[i];
	return NULL;
}

bool elf_symbols_bias(const struct elf_symbols *es, uint64_t map_start, uint64_t map_offset,
		      uint64_t *bias)
{
	for (size_t i = 0; i < es->nloads; i++) {
		if ((es->loads[i].offset & PAGE_MASK_4K) == map_offset) {
			*bias = map_start - (es->loads[i].vaddr & PAGE_MASK_4K);
			return true;
		}
	}
	return false;
}

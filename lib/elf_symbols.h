/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One ELF file's sized symbols (symtab, then dynsym: functions and data,
 * .bss included) and PT_LOAD segments, read once with elfutils' libelf.
 * The one place that walks ELF symbol tables: futex words are named with
 * it (futex_names.c) and the report reads _PyRuntime's size with it
 * (reports/cpython.c).
 */
#ifndef ELF_SYMBOLS_H
#define ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_symbol {
	uint64_t lo, hi; /* [lo, hi) in the file's own virtual addresses */
	const char *name;
};

struct elf_symbols;

/*
 * Reads path's symbols and load segments. NULL when the file cannot be
 * opened, is not ELF, or has no PT_LOAD segment (nothing of it is mapped).
 */
struct elf_symbols *elf_symbols_open(const char *path);
void elf_symbols_free(struct elf_symbols *es);

/* The symbol containing vaddr (the file's own address): the narrowest, or NULL. */
const struct elf_symbol *elf_symbols_at(const struct elf_symbols *es, uint64_t vaddr);

/* The defined, sized symbol called name, or NULL. */
const struct elf_symbol *elf_symbols_named(const struct elf_symbols *es, const char *name);

/*
 * The load bias of the file (process address - file address) from its
 * lowest mapping: mapped at map_start from file offset map_offset. That
 * offset, rounded down to a page, is one PT_LOAD segment's, whose p_vaddr
 * (rounded the same) then sits at map_start. False when no segment
 * starts there.
 */
bool elf_symbols_bias(const struct elf_symbols *es, uint64_t map_start, uint64_t map_offset,
		      uint64_t *bias);

#endif

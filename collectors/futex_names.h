/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for futex words, with no help from the program: the mapped file that
 * holds the word (/proc/PID/maps) and the ELF symbol (symtab, then dynsym)
 * whose object contains it, read with elfutils' libelf. A word in .bss is
 * found too: its anonymous mapping follows the file's last mapping.
 */
#ifndef FUTEX_NAMES_H
#define FUTEX_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct futex_name {
	char object[512]; /* path of the mapped file, "" when anonymous, heap or stack */
	/* outside a file: "heap" ([heap]), "stack" (the main thread's [stack]),
	 * "anonymous" (other threads' stacks, malloc's arenas, mmap), "" in a file */
	char region[16];
	char symbol[256]; /* the symbol containing the word, "" when none */
	uint64_t symbol_offset;
};

/* Caches the symbol tables of the objects it has read. */
struct futex_namer;

struct futex_namer *futex_namer_new(void);
void futex_namer_free(struct futex_namer *fn);

/*
 * Names addr from the text of a /proc/PID/maps file. Objects are opened by
 * the path in the maps, below root ("" or NULL: /; "/proc/PID/root" reads
 * them as that process sees them). Returns true when addr lies in a mapping
 * (out filled, symbol possibly ""), false when no mapping holds it.
 */
bool futex_name_from_maps(struct futex_namer *fn, const char *maps, const char *root, uint64_t addr,
			  struct futex_name *out);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses to names for off-CPU stacks: user addresses through elfutils'
 * libdwfl against each traced process's memory map, kernel addresses
 * through /proc/kallsyms.
 */
#ifndef SYMBOLIZE_H
#define SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct symbolizer;

/* Loads /proc/kallsyms. NULL (message printed) on failure. */
struct symbolizer *symbolizer_new(void);
void symbolizer_free(struct symbolizer *s);

/*
 * A traced process appeared (fork) or exec'd: remember its memory map now,
 * while /proc/PID/maps still exists. A forked child whose map can no longer
 * be read inherits its parent's (a fork copies the address space).
 */
void symbolizer_note_process(struct symbolizer *s, pid_t pid, pid_t ppid);

/*
 * Re-reads the maps of the processes still alive, so libraries loaded after
 * exec (ld.so, dlopen) are known before the process ends. Cheap when nothing
 * changed.
 */
void symbolizer_refresh(struct symbolizer *s);

/*
 * Writes the name of a user address of process pid into buf: "function",
 * "module+0xoffset" when the module has no symbol there, or "[unknown]".
 * For a return address (every stack frame but the innermost) pass the
 * address minus one, so it lands inside the call and not after it.
 */
void symbolize_user(struct symbolizer *s, pid_t pid, uint64_t addr, char *buf, size_t n);

/* The same for a kernel address, from /proc/kallsyms. */
void symbolize_kernel(struct symbolizer *s, uint64_t addr, char *buf, size_t n);

#endif

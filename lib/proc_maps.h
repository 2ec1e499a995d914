/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text of /proc/PID/maps, read whole while the process lives: both the
 * futex namer (futex_names.c, through causes.c) and the stack symbolizer
 * (symbolize.c) keep it to resolve addresses after the process has gone;
 * the futex namer walks its lines with proc_maps_next.
 */
#ifndef PROC_MAPS_H
#define PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A malloc'd, NUL-terminated copy of /proc/PID/maps, its length (without
 * the NUL) in *len when len is not NULL. NULL when the process is gone,
 * unreadable, or a zombie (whose maps are empty).
 */
char *proc_maps_read(pid_t pid, size_t *len);

/* One line of the maps text: a mapping. */
struct proc_map_entry {
	uint64_t start, end, offset;
	char path[512]; /* "" when anonymous; "[heap]", "/lib/... (deleted)" as written */
};

/*
 * The next mapping of the maps text at *cursor, which moves past its line;
 * lines that do not parse are skipped. false at the end of the text.
 */
bool proc_maps_next(const char **cursor, struct proc_map_entry *m);

#endif

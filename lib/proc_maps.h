/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text of /proc/PID/maps, read whole while the process lives: both the
 * futex namer (futex_names.c, through causes.c) and the stack symbolizer
 * (symbolize.c) keep it to resolve addresses after the process has gone.
 */
#ifndef PROC_MAPS_H
#define PROC_MAPS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A malloc'd, NUL-terminated copy of /proc/PID/maps, its length (without
 * the NUL) in *len when len is not NULL. NULL when the process is gone,
 * unreadable, or a zombie (whose maps are empty).
 */
char *proc_maps_read(pid_t pid, size_t *len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring buffer's state changes, kept raw while the command runs and
 * replayed once it has ended. With --timeline every switch of a traced
 * thread is a record, and turning a record into timeline.json's slices
 * took the reader 1-3.6 us; the reader shares the command's CPUs, so that
 * time was taken from the command (perf bench sched pipe: the reader ran
 * 35-145 ms in a 0.2-0.5 s run). Appending 40 bytes to a file costs a
 * copy. perf does the same: `perf record` writes, `perf report` reads.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include "schedtrace.h"

struct spool;

/* An empty spool in an unlinked file of $TMPDIR (or /tmp); NULL, said why, on error. */
struct spool *spool_new(void);
void spool_free(struct spool *sp);

/* Appends one record. A failed write is kept and reported by spool_replay(). */
void spool_add(struct spool *sp, const struct st_event *e);

/*
 * Calls fn(ctx, record) for every record added, in order, and empties the
 * spool. Returns 0, or -1 when a write or read failed (said on stderr):
 * the records after the failure are missing.
 */
int spool_replay(struct spool *sp, void (*fn)(void *ctx, const struct st_event *e), void *ctx);

#endif

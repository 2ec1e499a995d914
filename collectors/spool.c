// SPDX-License-Identifier: GPL-2.0
/* The raw records in an unlinked temporary file, buffered here (spool.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spool.h"

/* Records written at once: 64 KiB, few write calls while the command runs. */
#define SPOOL_BATCH 1638

struct spool {
	int fd;
	int err; /* the first errno of a failed write, 0 if none */
	size_t n;
	struct st_event buf[SPOOL_BATCH];
};

struct spool *spool_new(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	struct spool *sp = calloc(1, sizeof(*sp));

	if (!sp) {
		fprintf(stderr, "schedtrace: spool: out of memory\n");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/schedtrace-spool.XXXXXX", dir && *dir ? dir : "/tmp");
	sp->fd = mkstemp(path);
	if (sp->fd < 0) {
		fprintf(stderr, "schedtrace: mkstemp(%s): %s (set TMPDIR to a writable folder)\n",
			path, strerror(errno));
		free(sp);
		return NULL;
	}
	unlink(path); /* gone with the descriptor, however we exit */
	return sp;
}

void spool_free(struct spool *sp)
{
	if (!sp)
		return;
	close(sp->fd);
	free(sp);
}

static int write_all(int fd, const void *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		p = (const char *)p + w;
		len -= (size_t)w;
	}
	return 0;
}

static void flush(struct spool *sp)
{
	if (sp->n && !sp->err)
		sp->err = write_all(sp->fd, sp->buf, sp->n * sizeof(sp->buf[0]));
	sp->n = 0;
}

void spool_add(struct spool *sp, const struct st_event *e)
{
	if (sp->n == SPOOL_BATCH)
		flush(sp);
	sp->buf[sp->n++] = *e;
}

/* Reads the file back from its start into the buffer, a batch at a time. */
static int replay_file(struct spool *sp, void (*fn)(void *ctx, const struct st_event *e), void *ctx)
{
	size_t have = 0;

	if (lseek(sp->fd, 0, SEEK_SET) < 0)
		return errno;
	for (;;) {
		ssize_t r = read(sp->fd, (char *)sp->buf + have, sizeof(sp->buf) - have);
		size_t whole;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		have += (size_t)r;
		whole = have / sizeof(sp->buf[0]);
		for (size_t i = 0; i < whole; i++)
			fn(ctx, &sp->buf[i]);
		have -= whole * sizeof(sp->buf[0]);
		if (r == 0)
			return have ? EIO : 0; /* a torn record: the file was cut */
		memmove(sp->buf, (char *)sp->buf + whole * sizeof(sp->buf[0]), have);
	}
}

int spool_replay(struct spool *sp, void (*fn)(void *ctx, const struct st_event *e), void *ctx)
{
	int err;

	flush(sp);
	err = replay_file(sp, fn, ctx); /* what was written before any failure */
	if (sp->err)
		err = sp->err;
	sp->n = 0;
	if (ftruncate(sp->fd, 0) && !err)
		err = errno;
	if (lseek(sp->fd, 0, SEEK_SET) < 0 && !err)
		err = errno;
	sp->err = 0;
	if (err) {
		fprintf(stderr, "schedtrace: the spooled state changes (timeline.json): %s\n",
			strerror(err));
		return -1;
	}
	return 0;
}

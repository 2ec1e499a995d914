// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/maps has no size to stat (it reads as 0 bytes long), so it is
 * read until end of file into a buffer that doubles.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "proc_maps.h"

char *proc_maps_read(pid_t pid, size_t *lenp)
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
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb = realloc(buf, ncap);

			if (!nb)
				goto fail;
			buf = nb;
			cap = ncap;
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
	if (!len) { /* a zombie's maps are empty */
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static bool parse_line(const char *line, struct proc_map_entry *m)
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

bool proc_maps_next(const char **cursor, struct proc_map_entry *m)
{
	while (*cursor && **cursor) {
		const char *line = *cursor, *nl = strchr(line, '\n');

		*cursor = nl ? nl + 1 : line + strlen(line);
		if (parse_line(line, m))
			return true;
	}
	return false;
}

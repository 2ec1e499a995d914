// SPDX-License-Identifier: GPL-2.0
/* A rendered page written to disk (render.h): the one place the report,
 * --compare and --index write their files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "render.h"

int write_file(const char *dir, const char *name, const struct sbuf *text)
{
	char path[PATH_MAX + 64], tmp[PATH_MAX + 80];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "report: %s: cannot create: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(sb_str(text), 1, text->len, f) != text->len || fclose(f)) {
		fprintf(stderr, "report: %s: write failed: %s\n", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, "report: rename %s to %s: %s\n", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

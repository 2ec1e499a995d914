// SPDX-License-Identifier: GPL-2.0
#include "json_path.h"

#include <stdio.h>
#include <string.h>

double json_path_num(const json_t *o, const char *path, double dflt)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		o = json_is_object(o) ? json_object_get(o, key) : NULL;
		path += n + (path[n] == '.');
	}
	return json_is_number(o) ? json_number_value(o) : dflt;
}

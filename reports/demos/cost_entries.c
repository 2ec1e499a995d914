// SPDX-License-Identifier: GPL-2.0
#include "cost_entries.h"

#include <stdio.h>
#include <string.h>

static const json_t *entry_in(const struct demo_result *d, const char *name)
{
	const json_t *costs = d ? json_object_get(d->root, "costs") : NULL, *e;
	size_t i;

	json_array_foreach(costs, i, e)
	{
		const char *n = json_string_value(json_object_get(e, "name"));

		if (n && !strcmp(n, name) && !json_object_get(e, "skipped"))
			return e;
	}
	return NULL;
}

const json_t *cost_entry(const struct run *r, const char *name)
{
	return r ? entry_in(r->demo, name) : NULL;
}

const json_t *cost_entry_light(const struct run *r, const char *name, bool *light)
{
	const json_t *e = r ? entry_in(r->perf_demo, name) : NULL;

	*light = e != NULL;
	return e ? e : cost_entry(r, name);
}

double cost_num(const json_t *e, const char *path, double dflt)
{
	char key[64];

	while (e && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		e = json_is_object(e) ? json_object_get(e, key) : NULL;
		path += n + (path[n] == '.');
	}
	return json_is_number(e) ? json_number_value(e) : dflt;
}

const char *cost_str(const json_t *e, const char *key)
{
	const char *s = json_string_value(json_object_get(e, key));

	return s ? s : "?";
}

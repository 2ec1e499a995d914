// SPDX-License-Identifier: GPL-2.0
#include "cost_entries.h"

static const json_t *entry_in(const struct demo_result *d, const char *name)
{
	return d ? cost_named(json_object_get(d->root, COSTS_KEY), name) : NULL;
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

const char *cost_str(const json_t *e, const char *key)
{
	const char *s = json_string_value(json_object_get(e, key));

	return s ? s : "?";
}

// SPDX-License-Identifier: GPL-2.0
/* 07_costs's entries, named and read alike by the demo and the report
 * (costs_layout.h). */
#include "costs_layout.h"
#include "json_path.h"

#include <stdio.h>
#include <string.h>

void cost_switch_entry(char *buf, size_t len, bool processes, const char *chan, bool cross)
{
	snprintf(buf, len, "%s-%s-%s", processes ? CE_PROCESSES : CE_THREADS, chan,
		 cross ? CE_CROSS : CE_SAME);
}

void cost_switch_comm(char *buf, size_t len, bool processes, const char *chan, bool cross,
		      char party)
{
	snprintf(buf, len, "%s-%s-%s-%c", processes ? "pr" : "th", chan, cross ? "xcpu" : "same",
		 party);
}

const json_t *cost_named(const json_t *costs, const char *name)
{
	const json_t *e;
	size_t i;

	json_array_foreach(costs, i, e)
	{
		const char *n = json_string_value(json_object_get(e, COST_NAME));

		if (n && !strcmp(n, name) && !json_object_get(e, COST_SKIPPED))
			return e;
	}
	return NULL;
}

double cost_num(const json_t *e, const char *path, double dflt)
{
	return json_path_num(e, path, dflt);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* A number in a JSON document by a dotted path of object keys
 * ("durations.p50"): the one reader the report's demo figures (demo_num)
 * and 07's cost entries (cost_num) both use. */
#ifndef SCHEDLAB_JSON_PATH_H
#define SCHEDLAB_JSON_PATH_H

#include <jansson.h>

/* The number at @path below @o, or @dflt when @o is NULL, a key is
 * missing, or the value is not a number. */
double json_path_num(const json_t *o, const char *path, double dflt);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* A demo's JSON result (demo.json): see docs/formats.md. Built with jansson. */
#ifndef SCHEDLAB_RESULT_H
#define SCHEDLAB_RESULT_H

#include <jansson.h>
#include <stdint.h>

#define RESULT_SCHEMA 1

/* {"schema", "demo", "variant", "params": {}, "cpus", "pid"}; never NULL. */
json_t *result_new(const char *demo, const char *variant);
/* The "params" object of @res (borrowed): every size the run used goes here. */
json_t *result_params(json_t *res);
/* Set "start_ns", "end_ns" (CLOCK_MONOTONIC) and "wall_s". */
void result_set_wall(json_t *res, uint64_t start_ns, uint64_t end_ns);
/* Append every record of the thread table as "threads". */
void result_add_threads(json_t *res);
/* "limit_s" and "from_limit_pct": the best time the run could reach,
 * @limit_ns, and how far above it its measured @wall_ns was. */
void result_set_limit(json_t *res, uint64_t limit_ns, uint64_t wall_ns);
/* Write @res to @path atomically (temporary file, then rename). Returns 0, or
 * -1 after printing what failed. */
int result_write(json_t *res, const char *path);
/* The result of a run of every variant: {"schema", "demo", "runs": []}. */
json_t *result_new_set(const char *demo);
/* Append one variant's result (stolen) to @set's "runs". */
void result_add_run(json_t *set, json_t *run);
/* Write @res to @path when there is one, then release it. Returns the exit
 * status: 0, or 1 when the write failed. */
int result_finish(json_t *res, const char *path);

/* Shorthands that abort on allocation failure, so callers stay readable. */
void json_set_int(json_t *obj, const char *key, long long v);
void json_set_real(json_t *obj, const char *key, double v);
void json_set_str(json_t *obj, const char *key, const char *v);
void json_set_new(json_t *obj, const char *key, json_t *v);
/* A new empty object set as @key of @obj; borrowed, for its fields. */
json_t *json_set_object(json_t *obj, const char *key);

#endif

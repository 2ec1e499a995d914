/* SPDX-License-Identifier: GPL-2.0 */
/* predictions.json (docs/formats.md): a student's answers, written before
 * the run by scripts/trace --predict; and the file a student hands to
 * --predict FILE ({"ID": number, ...}, or an earlier run's
 * predictions.json). Only read here: checked against the questions and
 * graded in explain/predict.h. */
#ifndef SCHEDLAB_PREDICTIONS_H
#define SCHEDLAB_PREDICTIONS_H

#include <stdbool.h>
#include <stddef.h>

struct prediction {
	char id[64];
	char question[512]; /* as asked; "" in a student's plain answer file */
	double value;
};

struct predictions {
	char demo[64]; /* "" in a plain answer file */
	int cpus;      /* 0 when not given */
	bool seeded;
	long long seed;
	char from[256];
	struct prediction *a;
	size_t n;
};

/* DIR/predictions.json into @p. Returns 0, 1 when the folder has none (no
 * prediction was made), or -1 with "FILE: what is wrong" in @err. */
int predictions_load(const char *dir, struct predictions *p, char *err, size_t errlen);
/* A file of answers: {"ID": number, ...}, or a predictions.json (its
 * answers). Returns 0, or -1 with the file and what is wrong in @err. */
int predictions_read_answers(const char *path, struct predictions *p, char *err, size_t errlen);
void predictions_free(struct predictions *p);
/* The answer to question @id, or NULL. */
const struct prediction *prediction_of(const struct predictions *p, const char *id);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* build/bin/report's modes for scripts/trace --predict and --seed, before a
 * run (docs/predict.md): each returns the exit status. */
#ifndef SCHEDLAB_PREDICT_CLI_H
#define SCHEDLAB_PREDICT_CLI_H

#include <stdbool.h>

struct predict_opts {
	const char *demo;
	bool seeded, quick, partial;
	long long seed;
	int cpus;
	const char *write; /* --write FILE: predictions.json */
	const char *from;  /* --from: "terminal", else the file read */
};

/* report --questions DEMO: one line per question, tab-separated: id, min,
 * max, unit, the text with the sizes and CPUs filled in. */
int predict_questions(const struct predict_opts *o);
/* report --sizes DEMO: one line per size: the demo's option (no "--") and
 * its value. */
int predict_sizes(const struct predict_opts *o);
/* report --check-predictions DEMO FILE: every answer names a question and is
 * in its range (else a message naming both, 2); --write FILE writes
 * predictions.json. */
int predict_check(const struct predict_opts *o, const char *file);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line handling shared by the demos: the common options, number
 * parsing with range checks, and the exit status 2 for bad input. */
#ifndef SCHEDLAB_CLI_H
#define SCHEDLAB_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#define EXIT_USAGE 2

/* The options every demo takes. */
struct demo_opts {
	const char *variant; /* NULL: run every variant and print a comparison */
	bool quick;	     /* small sizes, a few seconds for the whole demo */
	const char *json;    /* write the result here */
	bool list;	     /* --list-variants: print the variant names */
};

/* Their entries in a demo's option table, before its own; the values are
 * the letters below, so a demo's own options must use others. */
#define CLI_COMMON_OPTIONS                                                                         \
	{"variant", required_argument, NULL, 'v'}, {"quick", no_argument, NULL, 'q'},              \
	    {"json", required_argument, NULL, 'j'}, {"list-variants", no_argument, NULL, 'l'},     \
	{                                                                                          \
		"help", no_argument, NULL, 'h'                                                     \
	}

/* When @c (from cli_getopt) is a common option, record it in @o and return
 * true; --help prints @usage and exits 0. */
bool cli_common(int c, struct demo_opts *o, void (*usage)(void));

/* Set once by the demo's main(); used in messages. */
extern const char *cli_prog;

/* The demo's py-* variants (pydemo.h), NULL-terminated, or NULL: listed by
 * --list-variants after the C ones and named when a variant is unknown. */
extern const char *const *cli_py_variants;

/* Print "PROG: message" and a hint to --help, then exit(2). */
void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* getopt_long() over @opts (long options only) that never returns an error:
 * an unknown option, a missing value, a value given to a flag or, once the
 * options are read, an argument that is not one exits 2 with a message
 * naming it. */
int cli_getopt(int argc, char **argv, const struct option *opts);

/* Parse @arg given to option @opt as an integer in [min, max], or die. */
long long cli_int(const char *opt, const char *arg, long long min, long long max);

/* Parse @arg as a number of seconds (decimal allowed) in [min, max], or die.
 * Returns nanoseconds. */
unsigned long long cli_seconds(const char *opt, const char *arg, double min, double max);

/* Die unless @variant is one of the NULL-terminated @known. */
void cli_check_variant(const char *variant, const char *const *known);

/* Settle the common options once a demo's own are parsed: --list-variants
 * prints @known (NULL-terminated) and exits 0; an unknown --variant or an
 * unwritable --json exits 2. Returns the index of --variant in @known, or -1
 * when every variant runs. */
int cli_variant(const struct demo_opts *o, const char *const *known);

/* Fail early (exit 2) if @path cannot be written, before any work is done. */
void cli_check_writable(const char *path);

#endif

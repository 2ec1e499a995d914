// SPDX-License-Identifier: GPL-2.0
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_prog = "demo";
const char *const *cli_py_variants;

void cli_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", cli_prog);
	exit(EXIT_USAGE);
}

int cli_getopt(int argc, char **argv, const struct option *opts)
{
	const struct option *o;
	const char *arg;
	int c;

	opterr = 0; /* our message names the option and the way out */
	optopt = 0;
	c = getopt_long(argc, argv, "", opts, NULL);
	if (c == -1 && optind < argc) /* the demos take options only */
		cli_die("unexpected argument '%s'", argv[optind]);
	if (c != '?')
		return c;
	arg = argv[optind - 1];
	for (o = opts; optopt && o->name; o++) {
		if (o->val != optopt)
			continue;
		if (o->has_arg == required_argument)
			cli_die("option '--%s' needs a value", o->name);
		cli_die("option '--%s' takes no value", o->name);
	}
	cli_die("unknown option '%s'", arg);
}

bool cli_common(int c, struct demo_opts *o, void (*usage)(void))
{
	switch (c) {
	case 'v':
		o->variant = optarg;
		return true;
	case 'q':
		o->quick = true;
		return true;
	case 'j':
		o->json = optarg;
		return true;
	case 'l':
		o->list = true;
		return true;
	case 'h':
		usage();
		exit(0);
	}
	return false;
}

long long cli_int(const char *opt, const char *arg, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end)
		cli_die("%s: '%s' is not a whole number", opt, arg);
	if (v < min || v > max)
		cli_die("%s: %lld is out of range, it must be between %lld and %lld", opt, v, min,
			max);
	return v;
}

unsigned long long cli_seconds(const char *opt, const char *arg, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v))
		cli_die("%s: '%s' is not a number of seconds", opt, arg);
	if (v < min || v > max)
		cli_die("%s: %g s is out of range, it must be between %g and %g s", opt, v, min,
			max);
	return (unsigned long long)llround(v * 1e9);
}

/* Append the names of @known to @list, comma-separated. */
static void name_list(char *list, size_t len, const char *const *known)
{
	for (const char *const *k = known; k && *k; k++) {
		if (*list)
			strncat(list, ", ", len - strlen(list) - 1);
		strncat(list, *k, len - strlen(list) - 1);
	}
}

void cli_check_variant(const char *variant, const char *const *known)
{
	char list[1024] = "";

	for (const char *const *k = known; *k; k++)
		if (!strcmp(variant, *k))
			return;
	name_list(list, sizeof(list), known);
	if (known != cli_py_variants)
		name_list(list, sizeof(list), cli_py_variants);
	cli_die("unknown variant '%s'; the variants are: %s", variant, list);
}

int cli_variant(const struct demo_opts *o, const char *const *known)
{
	int only = -1;

	if (o->list) {
		for (const char *const *k = known; *k; k++)
			puts(*k);
		for (const char *const *k = cli_py_variants; k && *k; k++)
			puts(*k);
		exit(0);
	}
	if (o->variant) {
		cli_check_variant(o->variant, known);
		for (int i = 0; known[i]; i++)
			if (!strcmp(o->variant, known[i]))
				only = i;
	}
	if (o->json)
		cli_check_writable(o->json);
	return only;
}

void cli_check_writable(const char *path)
{
	bool existed = access(path, F_OK) == 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		cli_die("--json %s: cannot write there: %s", path, strerror(errno));
	close(fd);
	/* Leave no empty file behind should the run fail before writing it. */
	if (!existed)
		unlink(path);
}

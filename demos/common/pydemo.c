// SPDX-License-Identifier: GPL-2.0
#include "pydemo.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Generated from demos/python/ by demos/build.mk: the shared module, always
 * in libdemo; the demo's own program, only in a binary that has one. */
extern const char pydemo_common_src[];
extern const char pydemo_src[] __attribute__((weak));

/* What `python3 -c` runs: the two sources come through an inherited memfd
 * (argv stays short and readable in ps and sched.json), the shared one as
 * the module schedlab_demo, the demo's as __main__. */
static const char boot[] =
    "import os, sys, types\n"
    "fd = int(os.environ.pop('SCHEDLAB_PYDEMO_FD'))\n"
    "sys.argv[0] = os.environ.pop('SCHEDLAB_PYDEMO_NAME')\n"
    "with os.fdopen(fd, 'rb') as f:\n"
    "    common, demo = f.read().decode().split('\\0', 1)\n"
    "m = types.ModuleType('schedlab_demo')\n"
    "m.__file__ = 'demos/python/schedlab_demo.py'\n"
    "exec(compile(common, m.__file__, 'exec'), m.__dict__)\n"
    "sys.modules['schedlab_demo'] = m\n"
    "g = {'__name__': '__main__', '__file__': 'demos/python/' + sys.argv[0] + '.py'}\n"
    "exec(compile(demo, g['__file__'], 'exec'), g)\n";

const char *pydemo_python(void)
{
	const char *p = getenv("SCHEDLAB_PYTHON");

	return p && *p ? p : PYDEMO_PYTHON;
}

/* The value of --variant in @argv, or NULL. */
static const char *variant_arg(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--variant") && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "--variant=", 10))
			return argv[i] + 10;
	}
	return NULL;
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("pydemo: write(memfd)");
			exit(1);
		}
		s += n;
		len -= (size_t)n;
	}
}

static void exec_python(int argc, char **argv, const char *demo)
{
	const char *python = pydemo_python();
	char fdbuf[16];
	char **args = calloc((size_t)argc + 3, sizeof(*args));
	int fd = memfd_create("schedlab-pydemo", 0); /* inherited across exec */

	if (!args || fd < 0) {
		perror(!args ? "pydemo: calloc" : "pydemo: memfd_create");
		exit(1);
	}
	write_all(fd, pydemo_common_src, strlen(pydemo_common_src) + 1);
	write_all(fd, pydemo_src, strlen(pydemo_src));
	if (lseek(fd, 0, SEEK_SET) < 0) {
		perror("pydemo: lseek(memfd)");
		exit(1);
	}
	snprintf(fdbuf, sizeof(fdbuf), "%d", fd);
	if (setenv("SCHEDLAB_PYDEMO_FD", fdbuf, 1) || setenv("SCHEDLAB_PYDEMO_NAME", demo, 1)) {
		perror("pydemo: setenv");
		exit(1);
	}
	args[0] = (char *)python;
	args[1] = "-c";
	args[2] = (char *)boot;
	for (int i = 1; i < argc; i++)
		args[i + 2] = argv[i];
	fflush(NULL);
	execv(python, args);
	fprintf(stderr,
		"%s: cannot run %s for the py-* variants: %s (scripts/setup installs python3; "
		"$SCHEDLAB_PYTHON picks another)\n",
		cli_prog, python, strerror(errno));
	exit(1);
}

void pydemo_exec_if_asked(int argc, char **argv, const char *demo, const char *const *py_variants)
{
	const char *v = variant_arg(argc, argv);

	cli_py_variants = pydemo_src ? py_variants : NULL;
	if (!v || strncmp(v, "py-", 3))
		return;
	if (!pydemo_src || !py_variants)
		cli_die("unknown variant '%s': this demo has no Python program", v);
	for (const char *const *k = py_variants; *k; k++) {
		size_t n = strlen(*k);

		/* "py-threads-*": a family the Python program checks itself */
		if (!strcmp(v, *k) || (n && (*k)[n - 1] == '*' && !strncmp(v, *k, n - 1)))
			exec_python(argc, argv, demo);
	}
	cli_check_variant(v, py_variants);
}

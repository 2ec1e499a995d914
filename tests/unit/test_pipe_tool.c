// SPDX-License-Identifier: GPL-2.0
/* The drawing tools' one runner (reports/draw/pipe_tool.h): a tool's
 * messages never reach the report's stderr, so a warning written while
 * that stderr is a pipe nobody reads (Ctrl-C through `| tee`) cannot kill
 * the tool; a failing tool's first message names the failure. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pipe_tool.h"

static char out_path[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(out_path, sizeof(out_path), "/tmp/schedlab-pipe-tool.XXXXXX");
	fd = mkstemp(out_path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(out_path);
	return 0;
}

/* Runs sh -c @script on @input with stderr a pipe whose reader is gone. */
static int run_with_dead_stderr(const char *script, const char *input, char *err, size_t len)
{
	char *const argv[] = {"sh", "-c", (char *)script, NULL};
	int p[2], saved, rc;

	assert_int_equal(pipe(p), 0);
	close(p[0]);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(p[1], 2) >= 0);
	close(p[1]);
	rc = pipe_to_tool("/bin/sh", argv, input, strlen(input), out_path, err, len);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	return rc;
}

static void warning_to_a_dead_terminal_does_not_kill_the_tool(void **state)
{
	char err[512] = "", got[64] = "";
	FILE *f;

	(void)state;
	/* as gnuplot or dot warning about the data, then drawing */
	assert_int_equal(run_with_dead_stderr("echo 'Warning: something' >&2; cat", "<svg/>\n", err,
					      sizeof(err)),
			 0);
	f = fopen(out_path, "r");
	assert_non_null(f);
	assert_non_null(fgets(got, sizeof(got), f));
	fclose(f);
	assert_string_equal(got, "<svg/>\n");
}

static void failing_tool_names_its_message(void **state)
{
	char err[512] = "";

	(void)state;
	assert_int_not_equal(run_with_dead_stderr("echo 'syntax error in line 3' >&2; exit 3",
						  "x\n", err, sizeof(err)),
			     0);
	assert_non_null(strstr(err, "sh failed"));
	assert_non_null(strstr(err, ": syntax error in line 3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(warning_to_a_dead_terminal_does_not_kill_the_tool,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(failing_tool_names_its_message, setup, teardown),
	};

	/* as the report starts: SIGPIPE at its default */
	signal(SIGPIPE, SIG_DFL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

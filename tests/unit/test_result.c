// SPDX-License-Identifier: GPL-2.0
/* The JSON result (demo.json): the fields docs/formats.md promises, thread
 * records with the kernel's own accounting, strings escaped so the file
 * parses back to the same text, and a path that cannot be written is an
 * error (result_write) or exit status 2 before any work (cli_check_writable). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "io_work.h"
#include "result.h"
#include "threads.h"

static char dir[] = "/tmp/test_result.XXXXXX";

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void top_level_fields(void **state)
{
	json_t *res = result_new("02_cpu_bound", "threads-gil");

	(void)state;
	assert_int_equal(json_integer_value(json_object_get(res, "schema")), RESULT_SCHEMA);
	assert_string_equal(json_string_value(json_object_get(res, "demo")), "02_cpu_bound");
	assert_string_equal(json_string_value(json_object_get(res, "variant")), "threads-gil");
	assert_true(json_is_object(result_params(res)));
	assert_ptr_equal(result_params(res), json_object_get(res, "params"));
	assert_true(json_integer_value(json_object_get(res, "cpus")) >= 1);
	assert_int_equal(json_integer_value(json_object_get(res, "pid")), getpid());

	result_set_wall(res, 1000, 1000 + 1500 * NSEC_PER_MSEC);
	assert_int_equal(json_integer_value(json_object_get(res, "start_ns")), 1000);
	assert_int_equal(json_integer_value(json_object_get(res, "end_ns")),
			 1000 + 1500 * NSEC_PER_MSEC);
	assert_true(json_real_value(json_object_get(res, "wall_s")) == 1.5);
	json_decref(res);
}

struct named {
	const char *name;
	int lock;
};

static void *record_self(void *arg)
{
	struct named *n = arg;
	struct thread_record *r = thread_begin(n->name);

	r->tasks = 3;
	if (n->lock) {
		r->lock_wait_ns = 42;
		r->lock_acquires = 2;
	}
	burn_cpu_ns(10 * NSEC_PER_MSEC);
	thread_end(r);
	return NULL;
}

/* Two threads record themselves; "threads" has one entry each, with the
 * kernel's figures filled in, and lock fields only where a lock was taken. */
static void thread_entries(void **state)
{
	struct named n[2] = {{"worker-1", 0}, {"worker-2", 1}};
	json_t *res = result_new("t", "v"), *threads, *t, *ss, *ru;
	pthread_t th;

	(void)state;
	threads_reset();
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_create(&th, NULL, record_self, &n[i]), 0);
		assert_int_equal(pthread_join(th, NULL), 0);
	}
	result_add_threads(res);
	threads = json_object_get(res, "threads");
	assert_int_equal(json_array_size(threads), 2);
	for (int i = 0; i < 2; i++) {
		t = json_array_get(threads, i);
		assert_string_equal(json_string_value(json_object_get(t, "name")), n[i].name);
		assert_int_equal(json_integer_value(json_object_get(t, "pid")), getpid());
		assert_true(json_integer_value(json_object_get(t, "tid")) > 0);
		assert_true(json_integer_value(json_object_get(t, "tid")) != getpid());
		assert_true(json_is_true(json_object_get(t, "ended")));
		assert_int_equal(json_integer_value(json_object_get(t, "tasks")), 3);
		assert_true(json_integer_value(json_object_get(t, "end_ns")) >
			    json_integer_value(json_object_get(t, "start_ns")));
		ss = json_object_get(t, "schedstat");
		/* It burnt 10 ms of CPU: schedstat saw it run. */
		assert_true(json_integer_value(json_object_get(ss, "run_ns")) >=
			    (json_int_t)(10 * NSEC_PER_MSEC));
		assert_true(json_integer_value(json_object_get(ss, "timeslices")) >= 1);
		assert_true(json_is_integer(json_object_get(ss, "wait_ns")));
		ru = json_object_get(t, "rusage");
		assert_true(json_is_integer(json_object_get(ru, "nvcsw")));
		assert_true(json_is_integer(json_object_get(ru, "nivcsw")));
	}
	assert_null(json_object_get(json_array_get(threads, 0), "lock_wait_ns"));
	t = json_array_get(threads, 1);
	assert_int_equal(json_integer_value(json_object_get(t, "lock_wait_ns")), 42);
	assert_int_equal(json_integer_value(json_object_get(t, "lock_acquires")), 2);
	json_decref(res);
}

static void schedstat_lines(void **state)
{
	uint64_t run, wait, slices;

	(void)state;
	assert_int_equal(schedstat_parse("123 456 7\n", &run, &wait, &slices), 0);
	assert_int_equal(run, 123);
	assert_int_equal(wait, 456);
	assert_int_equal(slices, 7);
	assert_int_equal(schedstat_parse("123 456\n", &run, &wait, &slices), -1);
	assert_int_equal(schedstat_parse("", &run, &wait, &slices), -1);
}

/* Quotes, backslashes, control characters and UTF-8 in any string (a
 * thread's comm can hold them) are escaped; the file parses back to the
 * same strings. */
static void strings_are_escaped(void **state)
{
	static const char nasty[] = "a \"quoted\" \\path\\\nline\ttab\x01 caf\xc3\xa9";
	char path[128];
	json_t *res = result_new("01_io_wait", nasty), *back;
	json_error_t err;
	char *text;

	(void)state;
	json_set_str(result_params(res), "label", nasty);
	snprintf(path, sizeof(path), "%s/escaped.json", dir);
	assert_int_equal(result_write(res, path), 0);
	text = slurp(path);
	assert_non_null(strstr(text, "a \\\"quoted\\\" \\\\path\\\\\\nline\\ttab\\u0001 caf"));
	assert_null(strchr(text, '\t'));
	free(text);
	back = json_load_file(path, 0, &err);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "variant")), nasty);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(back, "params"), "label")), nasty);
	json_decref(back);
	json_decref(res);
}

static int leftovers(const char *pattern)
{
	glob_t g;
	int n;

	if (glob(pattern, 0, NULL, &g))
		return 0;
	n = (int)g.gl_pathc;
	globfree(&g);
	return n;
}

/* A path that cannot be written fails, says so, and leaves no temporary
 * file; an existing result is replaced only by a complete one. */
/* A run of every variant: the runs in order under one schema and demo; the
 * exit status says whether the file was written. */
static void variant_set_and_finish(void **state)
{
	char path[128];
	json_t *set = result_new_set("t"), *back;

	(void)state;
	result_add_run(set, result_new("t", "a"));
	result_add_run(set, result_new("t", "b"));
	snprintf(path, sizeof(path), "%s/set.json", dir);
	assert_int_equal(result_finish(set, path), 0);
	back = json_load_file(path, 0, NULL);
	assert_non_null(back);
	assert_int_equal(json_integer_value(json_object_get(back, "schema")), RESULT_SCHEMA);
	assert_string_equal(json_string_value(json_object_get(back, "demo")), "t");
	assert_int_equal(json_array_size(json_object_get(back, "runs")), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(back, "runs"), 1), "variant")),
			    "b");
	json_decref(back);
	assert_int_equal(result_finish(result_new("t", "a"), NULL), 0); /* nowhere to write */
	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", dir);
	assert_int_equal(result_finish(result_new("t", "a"), path), 1);
}

static void unwritable_paths(void **state)
{
	char path[128], pattern[160];
	json_t *res = result_new("t", "v");
	char *text;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", dir);
	assert_int_equal(result_write(res, path), -1);
	/* A regular file in the way of a directory: ENOTDIR, even for root. */
	snprintf(path, sizeof(path), "%s/file", dir);
	f = fopen(path, "we");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/file/r.json", dir);
	assert_int_equal(result_write(res, path), -1);
	/* The target is a directory: the temporary file is written, the
	 * rename fails, and the temporary file is removed. */
	snprintf(path, sizeof(path), "%s/adir", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/adir/x", dir);
	f = fopen(path, "we");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/adir", dir);
	assert_int_equal(result_write(res, path), -1);
	snprintf(pattern, sizeof(pattern), "%s/adir.tmp.*", dir);
	assert_int_equal(leftovers(pattern), 0);
	/* Success replaces an old file whole. */
	snprintf(path, sizeof(path), "%s/old.json", dir);
	f = fopen(path, "we");
	assert_non_null(f);
	fputs("old", f);
	fclose(f);
	assert_int_equal(result_write(res, path), 0);
	text = slurp(path);
	assert_non_null(strstr(text, "\"variant\": \"v\""));
	free(text);
	snprintf(pattern, sizeof(pattern), "%s/*.tmp.*", dir);
	assert_int_equal(leftovers(pattern), 0);
	json_decref(res);
}

/* What a demo does with --json before any work: exit 2 with a message for a
 * path it cannot write, and leave no file behind for one it can. */
static int check_writable_status(const char *path)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Keep the test's output clean: the message goes nowhere. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(99);
		cli_check_writable(path);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void check_writable_exits_2(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", dir);
	assert_int_equal(check_writable_status(path), EXIT_USAGE);
	snprintf(path, sizeof(path), "%s/fine.json", dir);
	assert_int_equal(check_writable_status(path), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(top_level_fields),	      cmocka_unit_test(thread_entries),
	    cmocka_unit_test(schedstat_lines),	      cmocka_unit_test(strings_are_escaped),
	    cmocka_unit_test(unwritable_paths),	      cmocka_unit_test(check_writable_exits_2),
	    cmocka_unit_test(variant_set_and_finish),
	};

	if (threads_init(16))
		return 1;
	return cmocka_run_group_tests_name("result", tests, make_dir, remove_dir);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * proc_maps: this process's own map read whole (longer than one read's
 * page once many mappings exist), and a process that does not exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "proc_maps.h"
#include "self_exe.h"

static void test_own_maps(void **state)
{
	size_t len = 0;
	char *maps;

	(void)state;
	maps = proc_maps_read(getpid(), &len);
	assert_non_null(maps);
	assert_int_equal(len, strlen(maps));
	assert_non_null(strstr(maps, self_exe()));
	assert_int_equal(maps[len - 1], '\n');
	free(maps);
}

/* Many small mappings, with gaps so they do not merge: a text past 16 KiB. */
static void test_long_maps(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = 0, lines = 0;
	char *area, *maps;

	(void)state;
	area = mmap(NULL, (size_t)page * 1024, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(area != MAP_FAILED);
	for (int i = 1; i < 1024; i += 2)
		assert_int_equal(mprotect(area + (size_t)i * page, (size_t)page, PROT_NONE), 0);
	maps = proc_maps_read(getpid(), &len);
	assert_non_null(maps);
	assert_true(len > 16384);
	for (const char *p = maps; (p = strchr(p, '\n')); p++)
		lines++;
	assert_true(lines >= 1024);
	assert_int_equal(len, strlen(maps));
	free(maps);
	munmap(area, (size_t)page * 1024);
}

static void test_gone_process(void **state)
{
	(void)state;
	assert_null(proc_maps_read(0x7ffffff0, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own_maps),
	    cmocka_unit_test(test_long_maps),
	    cmocka_unit_test(test_gone_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

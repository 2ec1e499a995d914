/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The path of the running test's own executable (/proc/self/exe): the ELF
 * file and mapping the symbol and maps tests read. Include after cmocka.h.
 */
#ifndef TEST_SELF_EXE_H
#define TEST_SELF_EXE_H

#include <unistd.h>

static inline const char *self_exe(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	assert_true(n > 0);
	path[n] = '\0';
	return path;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/* C++ names read back (demangle.h), by libstdc++. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demangle.h"

/* libstdc++'s <cxxabi.h>, declared for C: a malloc'ed name or NULL, *status 0 on success. */
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

const char *demangle(const char *name, char *buf, size_t len)
{
	char *plain = NULL;
	int status = -1;

	/* Only the ABI's names: a C symbol "mutex" would read as a type name. */
	if (!strncmp(name, "_Z", 2))
		plain = __cxa_demangle(name, NULL, NULL, &status);
	snprintf(buf, len, "%s", plain && !status ? plain : name);
	free(plain);
	return buf;
}

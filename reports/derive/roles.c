// SPDX-License-Identifier: GPL-2.0
#include "roles.h"

#include <ctype.h>

char *role_of(char *out, size_t len, const char *comm)
{
	size_t i = 0;
	int in_digits = 0;

	if (!len)
		return out;
	for (; *comm && i + 1 < len; comm++) {
		if (isdigit((unsigned char)*comm)) {
			if (!in_digits)
				out[i++] = '*';
			in_digits = 1;
			continue;
		}
		in_digits = 0;
		out[i++] = *comm;
	}
	out[i] = '\0';
	return out;
}

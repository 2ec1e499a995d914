/* SPDX-License-Identifier: GPL-2.0 */
/* Threads grouped by role: a comm with its digits replaced by '*', so
 * worker-0 ... worker-63 are one row "worker-*" when threads are many. */
#ifndef SCHEDLAB_ROLES_H
#define SCHEDLAB_ROLES_H

#include <stddef.h>

#define ROLE_LEN 32

/* Write the role of @comm into @out (runs of digits become one '*'). */
char *role_of(char *out, size_t len, const char *comm);
/* Above this many threads in a run, the report shows roles, not threads. */
#define ROLES_ABOVE 12

#endif

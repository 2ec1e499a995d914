// SPDX-License-Identifier: GPL-2.0
/*
 * The name table is generated at build time from the kernel headers
 * (collectors/build.mk); the state classes below are by name, so they hold
 * on any architecture the table is generated for.
 */
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
#include "syscall_names.h"
#include "schedtrace.h"

static const char *const names[] = {
#include "syscall_table.h"
};

const char *syscall_name(unsigned int nr)
{
	return nr < sizeof(names) / sizeof(names[0]) ? names[nr] : NULL;
}

/* A thread blocked inside one of these is waiting on a file descriptor. */
static const char *const io_calls[] = {
    "read",	   "write",	   "readv",    "writev",   "pread64", "pwrite64", "preadv",
    "pwritev",	   "preadv2",	   "pwritev2", "recvfrom", "recvmsg", "recvmmsg", "sendto",
    "sendmsg",	   "sendmmsg",	   "poll",     "ppoll",	   "select",  "pselect6", "epoll_wait",
    "epoll_pwait", "epoll_pwait2", "accept",   "accept4",  "connect",
};

static const char *const sleep_calls[] = {"nanosleep", "clock_nanosleep"};

static int in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return 1;
	return 0;
}

void syscall_classes(uint8_t *class, unsigned int n)
{
	for (unsigned int nr = 0; nr < n; nr++) {
		const char *name = syscall_name(nr);

		class[nr] = SC_NONE;
		if (!name)
			continue;
		if (!strcmp(name, "futex"))
			class[nr] = SC_FUTEX;
		else if (!strcmp(name, "futex_waitv"))
			class[nr] = SC_LOCK;
		else if (in(name, sleep_calls, sizeof(sleep_calls) / sizeof(sleep_calls[0])))
			class[nr] = SC_SLEEP;
		else if (in(name, io_calls, sizeof(io_calls) / sizeof(io_calls[0])))
			class[nr] = SC_IO;
	}
}

// SPDX-License-Identifier: GPL-2.0
#include "locks.h"
#include "result.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void locks_addr(char *buf, size_t len, const void *p)
{
	snprintf(buf, len, "0x%jx", (uintmax_t)(uintptr_t)p);
}

static void add_word(json_t *locks, const char *name, pid_t pid, uintptr_t object, size_t off,
		     const char *field)
{
	json_t *e = json_object();
	char buf[32];

	if (!e)
		abort();
	json_set_str(e, "name", name);
	locks_addr(buf, sizeof(buf), (const void *)(object + off));
	json_set_str(e, "addr", buf);
	json_set_int(e, "pid", pid);
	locks_addr(buf, sizeof(buf), (const void *)object);
	json_set_str(e, "object", buf);
	json_set_str(e, "word", field);
	if (json_array_append_new(locks, e))
		abort();
}

#define WORD(type, field) offsetof(type, field), #field

void locks_add_mutex(json_t *locks, const char *name, pid_t pid, uintptr_t addr)
{
	add_word(locks, name, pid, addr, WORD(pthread_mutex_t, __data.__lock));
}

void locks_add_cond(json_t *locks, const char *name, pid_t pid, uintptr_t addr)
{
	add_word(locks, name, pid, addr, WORD(pthread_cond_t, __data.__g_signals[0]));
	add_word(locks, name, pid, addr, WORD(pthread_cond_t, __data.__g_signals[1]));
	add_word(locks, name, pid, addr, WORD(pthread_cond_t, __data.__g_refs[0]));
	add_word(locks, name, pid, addr, WORD(pthread_cond_t, __data.__g_refs[1]));
	add_word(locks, name, pid, addr, WORD(pthread_cond_t, __data.__g1_orig_size));
	add_word(locks, name, pid, addr, WORD(pthread_cond_t, __data.__wrefs));
}

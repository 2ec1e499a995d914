// SPDX-License-Identifier: GPL-2.0
/* Names back to enums (sched_names.h). */
#include "sched_names.h"

#include <string.h>

enum st_thread_state state_of(const char *name)
{
	for (int k = 0; k < NR_STATES; k++)
		if (state_names[k] && !strcmp(name, state_names[k]))
			return (enum st_thread_state)k;
	return ST_OTHER;
}

enum st_waker_kind waker_kind_of(const char *name)
{
	for (int k = 0; k < NR_WAKER_KINDS; k++)
		if (waker_kind_names[k] && !strcmp(name, waker_kind_names[k]))
			return (enum st_waker_kind)k;
	return WK_NONE;
}

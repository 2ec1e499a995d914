/* SPDX-License-Identifier: GPL-2.0 */
/* A name read from sched.json or timeline.json back to its enum: the
 * tables are the collector's, beside the enums in bpf/schedtrace.h
 * (state_names, waker_kind_names), so the two sides spell them alike. */
#ifndef SCHEDLAB_SCHED_NAMES_H
#define SCHEDLAB_SCHED_NAMES_H

#include "schedtrace.h"

/* The state named @name; ST_OTHER for a name this build does not know (a
 * state it does not know is still time spent). */
enum st_thread_state state_of(const char *name);
/* The waker kind named @name; WK_NONE for "unknown" or a name not known. */
enum st_waker_kind waker_kind_of(const char *name);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Demo timing: CLOCK_MONOTONIC, the clock bpf_ktime_get_ns() reads, so demo
 * timestamps and eBPF timestamps can be compared directly. */
#ifndef SCHEDLAB_CLOCK_H
#define SCHEDLAB_CLOCK_H

#include <stdint.h>
#include <time.h>
#include <errno.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline struct timespec ns_to_timespec(uint64_t ns)
{
	struct timespec ts = {.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC};

	return ts;
}

/* A blocking nanosleep for @ns, resumed after signals so the wait is whole. */
static inline void sleep_ns(uint64_t ns)
{
	struct timespec ts = ns_to_timespec(ns);

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Sleep until the absolute CLOCK_MONOTONIC time @deadline_ns: a periodic
 * caller keeps its rate however late one iteration ran. */
static inline void sleep_until_ns(uint64_t deadline_ns)
{
	struct timespec ts = ns_to_timespec(deadline_ns);

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static inline double ns_to_s(uint64_t ns)
{
	return (double)ns / NSEC_PER_SEC;
}

#endif

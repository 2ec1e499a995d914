// SPDX-License-Identifier: GPL-2.0
/*
 * tenure: a lock handed on while a waiter sleeps, its first holder asleep
 * meanwhile, for "what the holder did" measured over its tenure only
 * (tests/integration/holders.sh; docs/collector.md, "Who held the lock").
 *
 *   holder    takes the mutex `m` before the others start, computes HOLD ms
 *             holding it, unlocks, then sleeps 3*HOLD ms without it
 *   waiter-1  waits on `m`; once it has it, sleeps HOLD ms holding it
 *   waiter-2  waits on `m` 50 ms after waiter-1 began to
 *   main      joins the three
 *
 * The holder's unlock wakes the first waiter; the second sleeps on while
 * the first holds the lock and the holder sleeps. Over the second's wait
 * the holder computed until its release and slept after it: only the
 * computing is what it did while it held the lock.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long hold_ms = 300;
static sem_t holding; /* posted once the holder has the lock */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Computing, not sleeping: the holder's state while it holds the lock. */
static void compute_ms(long ms)
{
	double end = now_ms() + (double)ms;
	volatile unsigned long x = 1;

	while (now_ms() < end)
		for (int i = 0; i < 10000; i++)
			x = x * 6364136223846793005UL + 1;
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	sem_post(&holding);
	compute_ms(hold_ms);
	pthread_mutex_unlock(&m);
	sleep_ms(hold_ms * 3);
	return NULL;
}

/* Waits for the lock, then holds it asleep for *arg ms. */
static void *waiter(void *arg)
{
	pthread_mutex_lock(&m);
	sleep_ms(*(long *)arg);
	pthread_mutex_unlock(&m);
	return NULL;
}

static int start(pthread_t *t, const char *name, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(t, NULL, fn, arg);

	if (err) {
		fprintf(stderr, "tenure: pthread_create %s: %s\n", name, strerror(err));
		return -1;
	}
	pthread_setname_np(*t, name);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t h, w1, w2;
	long first_hold, second_hold = 0;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: tenure [HOLD_MS]\n"
		       "A mutex held HOLD_MS (default 300) by a computing holder, handed on\n"
		       "while a second waiter sleeps, the holder then asleep.\n");
		return 0;
	}
	if (argc > 1) {
		char *end;

		hold_ms = strtol(argv[1], &end, 10);
		if (*end || hold_ms < 100 || hold_ms > 60000) {
			fprintf(stderr, "tenure: HOLD_MS must be 100..60000, not '%s'\n", argv[1]);
			return 2;
		}
	}
	first_hold = hold_ms;
	if (sem_init(&holding, 0, 0)) {
		perror("tenure: sem_init");
		return 1;
	}
	if (start(&h, "holder", holder, NULL))
		return 1;
	while (sem_wait(&holding) && errno == EINTR)
		;
	if (start(&w1, "waiter-1", waiter, &first_hold))
		return 1;
	sleep_ms(50);
	if (start(&w2, "waiter-2", waiter, &second_hold))
		return 1;
	pthread_join(w2, NULL);
	pthread_join(w1, NULL);
	pthread_join(h, NULL);
	return 0;
}

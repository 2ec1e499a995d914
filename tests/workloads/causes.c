// SPDX-License-Identifier: GPL-2.0
/*
 * causes: a program whose every wait has a known cause, for the collector's
 * wake edges, futex names and critical path (tests/integration/causes.sh).
 *
 *   holder    takes the heap mutex `m`, sleeps HOLD ms holding it, unlocks
 *   waiter-1  sleeps 50 ms, then waits on `m` (ended by whoever unlocks it)
 *   waiter-2  the same
 *   sleeper   takes the global g_lock, sleeps HOLD*2/3 ms (a timer), unlocks
 *   locker    sleeps 50 ms, then waits on g_lock (ended by sleeper)
 *   main      joins all five (each join ended by that thread's exit)
 *
 * The critical path is main's start, then holder's sleep, then the handoffs
 * to the waiters and main's last join.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *m;
static long hold_ms = 300;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(m);
	sleep_ms(hold_ms);
	pthread_mutex_unlock(m);
	return NULL;
}

static void *waiter(void *arg)
{
	(void)arg;
	sleep_ms(50);
	pthread_mutex_lock(m);
	pthread_mutex_unlock(m);
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&g_lock);
	sleep_ms(hold_ms * 2 / 3);
	pthread_mutex_unlock(&g_lock);
	return NULL;
}

static void *locker(void *arg)
{
	(void)arg;
	sleep_ms(50);
	pthread_mutex_lock(&g_lock);
	pthread_mutex_unlock(&g_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void *(*fn)(void *);
	} roles[] = {{"holder", holder},
		     {"waiter-1", waiter},
		     {"waiter-2", waiter},
		     {"sleeper", sleeper},
		     {"locker", locker}};
	pthread_t t[5];
	int err;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: causes [HOLD_MS]\n"
		       "Threads whose every wait has a known cause: a heap mutex held by one\n"
		       "thread while two wait, a global lock (g_lock), a timer, joins.\n");
		return 0;
	}
	if (argc > 1) {
		char *end;

		hold_ms = strtol(argv[1], &end, 10);
		if (*end || hold_ms < 100 || hold_ms > 60000) {
			fprintf(stderr, "causes: HOLD_MS must be 100..60000, not '%s'\n", argv[1]);
			return 2;
		}
	}
	m = malloc(sizeof(*m));
	if (!m || pthread_mutex_init(m, NULL)) {
		fprintf(stderr, "causes: cannot make the mutex\n");
		return 1;
	}
	for (int i = 0; i < 5; i++) {
		err = pthread_create(&t[i], NULL, roles[i].fn, NULL);
		if (err) {
			fprintf(stderr, "causes: pthread_create: %s\n", strerror(err));
			return 1;
		}
		pthread_setname_np(t[i], roles[i].name);
		/* The holders must hold before the others come. */
		if (i == 0 || i == 3)
			sleep_ms(10);
	}
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(m);
	free(m);
	printf("causes: done\n");
	return 0;
}

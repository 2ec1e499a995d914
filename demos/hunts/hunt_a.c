// SPDX-License-Identifier: GPL-2.0
/* Bug hunt A: a journal service. Four request threads each append records to
 * one shared journal; every record must reach stable storage before the
 * request is answered. The journal is slow to flush (a nanosleep stands for
 * a flush to a slow remote disk, so the run is the same on every host).
 *
 * Something in here makes it far slower than it needs to be. Trace it
 * (sudo ./scripts/trace hunt_a) and find what, from the report alone.
 *
 *   hunt_a [--fixed]    --fixed: the same program with the fault removed */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define THREADS 4
#define RECORDS 25
#define FLUSH_MS 10

static pthread_mutex_t journal_lock = PTHREAD_MUTEX_INITIALIZER;
static char journal[THREADS * RECORDS][64];
static int journal_len;
static bool fixed;

static void flush_to_disk(void)
{
	struct timespec ts = {0, FLUSH_MS * 1000000L};

	nanosleep(&ts, NULL);
}

static void append_record(int who, int n)
{
	pthread_mutex_lock(&journal_lock);
	snprintf(journal[journal_len++], sizeof(journal[0]), "request %d.%d done", who, n);
	if (!fixed)
		flush_to_disk();
	pthread_mutex_unlock(&journal_lock);
	if (fixed)
		flush_to_disk();
}

static void *request_thread(void *arg)
{
	int who = (int)(long)arg;
	char name[16];

	snprintf(name, sizeof(name), "request-%d", who);
	pthread_setname_np(pthread_self(), name);
	for (int n = 0; n < RECORDS; n++)
		append_record(who, n);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	struct timespec a, b;

	fixed = argc > 1 && !strcmp(argv[1], "--fixed");
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, request_thread, (void *)i)) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("journal: %d records in %.2f s\n", journal_len,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Bug hunt D: an uploader. A reader thread cuts a file into 64 KiB chunks
 * and hands them to an uploader thread through a queue; each upload takes
 * about a millisecond (a nanosleep stands for the network).
 *
 * On a big file this program is killed for using too much memory. Trace it
 * (sudo ./scripts/trace hunt_d) and find why, from the report alone.
 *
 *   hunt_d [--fixed]    --fixed: the same program with the fault removed */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNKS 600
#define CHUNK_BYTES (64 * 1024)
#define UPLOAD_US 1000
#define CAPACITY 8 /* the fixed program's queue bound */

struct chunk {
	struct chunk *next;
	int seq;
	char data[CHUNK_BYTES];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	struct chunk *head, *tail;
	int len;
	bool done;
} queue = {.lock = PTHREAD_MUTEX_INITIALIZER,
	   .not_empty = PTHREAD_COND_INITIALIZER,
	   .not_full = PTHREAD_COND_INITIALIZER};
static bool fixed;

static void put(struct chunk *c)
{
	pthread_mutex_lock(&queue.lock);
	while (fixed && queue.len >= CAPACITY)
		pthread_cond_wait(&queue.not_full, &queue.lock);
	c->next = NULL;
	if (queue.tail)
		queue.tail->next = c;
	else
		queue.head = c;
	queue.tail = c;
	queue.len++;
	pthread_cond_signal(&queue.not_empty);
	pthread_mutex_unlock(&queue.lock);
}

static struct chunk *take(void)
{
	struct chunk *c;

	pthread_mutex_lock(&queue.lock);
	while (!queue.head && !queue.done)
		pthread_cond_wait(&queue.not_empty, &queue.lock);
	c = queue.head;
	if (c) {
		queue.head = c->next;
		if (!queue.head)
			queue.tail = NULL;
		queue.len--;
		pthread_cond_signal(&queue.not_full);
	}
	pthread_mutex_unlock(&queue.lock);
	return c;
}

static void *reader(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "reader");
	for (int i = 0; i < CHUNKS; i++) {
		struct chunk *c = malloc(sizeof(*c));

		if (!c) {
			perror("malloc");
			exit(1);
		}
		c->seq = i;
		memset(c->data, 'a' + i % 26, sizeof(c->data)); /* "read" the chunk */
		put(c);
	}
	pthread_mutex_lock(&queue.lock);
	queue.done = true;
	pthread_cond_broadcast(&queue.not_empty);
	pthread_mutex_unlock(&queue.lock);
	return NULL;
}

static void *uploader(void *arg)
{
	struct timespec ts = {0, UPLOAD_US * 1000L};
	unsigned long sum = 0;
	struct chunk *c;

	(void)arg;
	pthread_setname_np(pthread_self(), "uploader");
	while ((c = take())) {
		sum += (unsigned char)c->data[c->seq % CHUNK_BYTES];
		nanosleep(&ts, NULL); /* "send" the chunk */
		free(c);
	}
	return (void *)sum;
}

int main(int argc, char **argv)
{
	pthread_t r, u;
	struct timespec a, b;

	fixed = argc > 1 && !strcmp(argv[1], "--fixed");
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (pthread_create(&u, NULL, uploader, NULL) || pthread_create(&r, NULL, reader, NULL)) {
		perror("pthread_create");
		return 1;
	}
	pthread_join(r, NULL);
	pthread_join(u, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("uploader: %d chunks in %.2f s\n", CHUNKS,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Bug hunt C: a thumbnail batch. Sixteen images are resized by a pool of
 * worker threads that take tasks from a shared counter; resizing is pure CPU
 * work (a loop over the pixels). The machine has several CPUs.
 *
 * The batch takes longer than the machine allows. Trace it
 * (sudo ./scripts/trace hunt_c) and find why, from the report alone.
 *
 *   hunt_c [--fixed]    --fixed: the same program with the fault removed */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define IMAGES 16
#define PIXELS (25 * 1000 * 1000)
#define MAX_WORKERS 256

static atomic_int next_image;
static unsigned long checksum[IMAGES];

static unsigned long resize(int image)
{
	unsigned long v = (unsigned long)image;

	for (long p = 0; p < PIXELS; p++) {
		v = v * 6364136223846793005UL + 1442695040888963407UL;
		__asm__ volatile("" : "+r"(v)); /* one pixel at a time: no shortcut */
	}
	return v;
}

static void *worker(void *arg)
{
	char name[16];
	int i;

	snprintf(name, sizeof(name), "worker-%d", (int)(long)arg);
	pthread_setname_np(pthread_self(), name);
	while ((i = atomic_fetch_add(&next_image, 1)) < IMAGES)
		checksum[i] = resize(i);
	return NULL;
}

/* The pool's size. */
static int pool_size(int fixed)
{
	cpu_set_t set;
	int cpus;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	cpus = CPU_COUNT(&set);
	if (cpus > MAX_WORKERS)
		cpus = MAX_WORKERS;
	return fixed ? cpus : 1;
}

int main(int argc, char **argv)
{
	int fixed = argc > 1 && !strcmp(argv[1], "--fixed");
	int n = pool_size(fixed);
	pthread_t t[MAX_WORKERS];
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(i + 1))) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("thumbnails: %d images in %.2f s\n", IMAGES,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}

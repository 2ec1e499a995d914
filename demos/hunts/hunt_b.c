// SPDX-License-Identifier: GPL-2.0
/* Bug hunt B: a chat relay. One event-loop thread serves eight clients over
 * socket pairs with epoll: for each message it looks the sender up in a
 * directory service (about 8 ms to answer) and replies. Each client sends
 * its next message once the last one is answered.
 *
 * The relay answers far slower than eight clients should get. Trace it
 * (sudo ./scripts/trace hunt_b) and find why, from the report alone.
 *
 *   hunt_b [--fixed]    --fixed: the same program with the fault removed */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define CLIENTS 8
#define MESSAGES 10
#define LOOKUP_MS 8

static int loop_end[CLIENTS], client_end[CLIENTS];
static bool fixed;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void *client(void *arg)
{
	int i = (int)(long)arg;
	char name[16], c = 'm';

	snprintf(name, sizeof(name), "client-%d", i);
	pthread_setname_np(pthread_self(), name);
	for (int n = 0; n < MESSAGES; n++)
		if (write(client_end[i], &c, 1) != 1 || read(client_end[i], &c, 1) != 1)
			die("client write/read");
	shutdown(client_end[i], SHUT_WR);
	return NULL;
}

/* The directory lookup: the service answers after LOOKUP_MS. */
static void lookup_sender(void)
{
	struct timespec ts = {0, LOOKUP_MS * 1000000L};

	nanosleep(&ts, NULL);
}

/* A lookup whose answer comes back to the loop as an event: a timer that
 * fires when the directory has answered, tagged with the client to reply to. */
static void lookup_sender_async(int ep, int i)
{
	struct itimerspec when = {.it_value = {0, LOOKUP_MS * 1000000L}};
	struct epoll_event ev = {.events = EPOLLIN};
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	if (tfd < 0 || timerfd_settime(tfd, 0, &when, NULL))
		die("timerfd");
	ev.data.u64 = (uint64_t)tfd << 32 | (uint32_t)(CLIENTS + i);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev))
		die("epoll_ctl");
}

static void reply(int i)
{
	char c = 'r';

	if (write(loop_end[i], &c, 1) != 1)
		die("loop write");
}

static void event_loop(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), open = CLIENTS;
	struct epoll_event ev[16];

	if (ep < 0)
		die("epoll_create1");
	for (int i = 0; i < CLIENTS; i++) {
		struct epoll_event e = {.events = EPOLLIN, .data.u64 = (uint64_t)i};

		if (epoll_ctl(ep, EPOLL_CTL_ADD, loop_end[i], &e))
			die("epoll_ctl");
	}
	while (open > 0) {
		int n = epoll_wait(ep, ev, 16, -1);

		if (n < 0)
			die("epoll_wait");
		for (int k = 0; k < n; k++) {
			int tag = (int)(uint32_t)ev[k].data.u64;
			char c;

			if (tag >= CLIENTS) { /* a lookup answered */
				int tfd = (int)(ev[k].data.u64 >> 32);

				close(tfd);
				reply(tag - CLIENTS);
				continue;
			}
			if (read(loop_end[tag], &c, 1) != 1) { /* the client is done */
				epoll_ctl(ep, EPOLL_CTL_DEL, loop_end[tag], NULL);
				open--;
				continue;
			}
			if (fixed) {
				lookup_sender_async(ep, tag);
			} else {
				lookup_sender();
				reply(tag);
			}
		}
	}
	close(ep);
}

int main(int argc, char **argv)
{
	pthread_t t[CLIENTS];
	struct timespec a, b;

	fixed = argc > 1 && !strcmp(argv[1], "--fixed");
	pthread_setname_np(pthread_self(), "relay");
	for (int i = 0; i < CLIENTS; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			die("socketpair");
		loop_end[i] = sv[0];
		client_end[i] = sv[1];
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < CLIENTS; i++)
		if (pthread_create(&t[i], NULL, client, (void *)i))
			die("pthread_create");
	event_loop();
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("relay: %d messages in %.2f s\n", CLIENTS * MESSAGES,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}

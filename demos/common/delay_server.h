/* SPDX-License-Identifier: GPL-2.0 */
/* A loopback delay service: real blocking I/O for the I/O-wait demos.
 *
 * The service runs in its own forked process so its threads (all named
 * "server") are apart from the demo's workers in every trace. A client opens
 * one TCP connection to 127.0.0.1 and keeps it; each request names a delay in
 * nanoseconds, and the server answers on that connection once the delay has
 * passed. The client blocks in recv() meanwhile: the kernel sees a thread
 * waiting on a socket (state "io"), not a sleep.
 *
 * One server thread per connection, so any number of concurrent waits (up to
 * the max given at start) overlap exactly. The server process dies with the
 * demo (PR_SET_PDEATHSIG) and is shut down explicitly and reaped by
 * delay_server_stop(). */
#ifndef SCHEDLAB_DELAY_SERVER_H
#define SCHEDLAB_DELAY_SERVER_H

#include <stdint.h>
#include <sys/types.h>

/* The largest delay a request may name (the server refuses longer ones). */
#define DELAY_MAX_NS (3600ULL * 1000000000ULL)

struct delay_server {
	pid_t pid;     /* the server process */
	uint16_t port; /* 127.0.0.1:port, an ephemeral port */
	int ctl_fd;    /* write end of the shutdown pipe */
	unsigned int max_conns;
};

/* Raise RLIMIT_NOFILE so this process (and a server forked later) can hold
 * @fds descriptors. Returns 0, or -1 after printing why it cannot. */
int delay_raise_nofile(unsigned int fds);

/* Fork the server, listening on an ephemeral loopback port, ready to serve
 * @max_conns connections at once. threads_init() must have been called: the
 * server's threads record themselves in the shared thread table. Returns 0,
 * or -1 after printing what failed. */
int delay_server_start(struct delay_server *s, unsigned int max_conns);

/* Ask the server to finish (after the clients closed their connections),
 * then reap it. Returns 0 when it exited cleanly, -1 otherwise. */
int delay_server_stop(struct delay_server *s);

/* Open one client connection (TCP_NODELAY). Returns the fd, or -1 after
 * printing what failed. */
int delay_connect(const struct delay_server *s);

/* One request: ask for @delay_ns and block until the answer. Returns 0, or
 * -1 after printing what failed. */
int delay_request(int fd, uint64_t delay_ns);

#endif

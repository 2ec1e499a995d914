// SPDX-License-Identifier: GPL-2.0
#include "delay_server.h"
#include "clock.h"
#include "threads.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Server threads only sleep and copy 8 bytes: a small stack lets 1024 of
 * them exist without reserving 8 GiB of address space. */
#define SERVER_STACK (128 * 1024)

struct conn {
	pthread_t th;
	int fd;
};

/* Read exactly @len bytes. Returns 1, 0 on end of file before any byte, or
 * -1 on error (errno set). */
static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, (char *)buf + got, len - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			if (got == 0)
				return 0;
			errno = EPROTO;
			return -1;
		}
		got += n;
	}
	return 1;
}

static int write_full(int fd, const void *buf, size_t len)
{
	size_t put = 0;

	while (put < len) {
		ssize_t n = send(fd, (const char *)buf + put, len - put, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		put += n;
	}
	return 0;
}

static void set_nodelay(int fd)
{
	int one = 1;

	/* Small request/answer messages must not wait for Nagle. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		fprintf(stderr, "setsockopt(TCP_NODELAY): %s\n", strerror(errno));
}

/* One connection: answer each request after the delay it names. The thread
 * sleeps (state "sleep") while its client blocks in recv (state "io"). */
static void *conn_thread(void *arg)
{
	struct conn *c = arg;
	struct thread_record *rec = thread_begin("server");
	uint64_t req;
	int r;

	for (;;) {
		r = read_full(c->fd, &req, sizeof(req));
		if (r == 0)
			break; /* the client is done */
		if (r < 0) {
			/* A reset at shutdown is expected; anything else is not. */
			if (errno != ECONNRESET && errno != EPIPE)
				fprintf(stderr, "delay server: recv: %s\n", strerror(errno));
			break;
		}
		if (req > DELAY_MAX_NS) {
			fprintf(stderr, "delay server: refusing a delay of %llu ns\n",
				(unsigned long long)req);
			break;
		}
		sleep_ns(req);
		if (write_full(c->fd, &req, sizeof(req))) {
			fprintf(stderr, "delay server: send: %s\n", strerror(errno));
			break;
		}
		rec->tasks++;
	}
	/* The fd stays open until the acceptor joins us (so it is never reused
	 * under a live thread), but the client must not wait for an answer that
	 * will never come: shut the connection so its recv() sees end of file. */
	if (r != 0 && shutdown(c->fd, SHUT_RDWR) && errno != ENOTCONN)
		fprintf(stderr, "delay server: shutdown: %s\n", strerror(errno));
	thread_end(rec);
	return NULL;
}

/* The server process's main thread: accept connections, one thread each,
 * until the demo writes to (or closes) the shutdown pipe. */
static void __attribute__((noreturn)) server_main(int lfd, int ctl, unsigned int max_conns)
{
	struct thread_record *rec = thread_begin("server");
	struct conn *conns = calloc(max_conns, sizeof(*conns));
	unsigned int n = 0;
	pthread_attr_t attr;
	int err, status = 0;

	if (!conns) {
		fprintf(stderr, "delay server: calloc: out of memory\n");
		_exit(1);
	}
	if ((err = pthread_attr_init(&attr)) ||
	    (err = pthread_attr_setstacksize(&attr, SERVER_STACK))) {
		fprintf(stderr, "delay server: pthread_attr: %s\n", strerror(err));
		_exit(1);
	}
	for (;;) {
		struct pollfd p[2] = {{.fd = lfd, .events = POLLIN}, {.fd = ctl, .events = POLLIN}};
		int fd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "delay server: poll: %s\n", strerror(errno));
			status = 1;
			break;
		}
		/* A client that connected gets its thread even when the shutdown
		 * came at the same time (a worker started late, on a busy host,
		 * may find no task left and connect without asking anything):
		 * pending connections first, then the shutdown. */
		if (!(p[0].revents & POLLIN)) {
			if (p[1].revents)
				break; /* shutdown asked, or the demo is gone */
			continue;
		}
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			fprintf(stderr, "delay server: accept4: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (n == max_conns) {
			fprintf(stderr, "delay server: more than %u connections, refusing one\n",
				max_conns);
			close(fd);
			continue;
		}
		set_nodelay(fd);
		conns[n].fd = fd;
		err = pthread_create(&conns[n].th, &attr, conn_thread, &conns[n]);
		if (err) {
			fprintf(stderr, "delay server: pthread_create: %s\n", strerror(err));
			close(fd);
			continue;
		}
		n++;
	}
	close(lfd);
	/* Clients have closed by now; a shutdown wakes any thread still in recv.
	 * Only this thread closes the fds, after the join, so none is reused
	 * while a connection thread might still touch it. */
	for (unsigned int i = 0; i < n; i++)
		shutdown(conns[i].fd, SHUT_RDWR);
	for (unsigned int i = 0; i < n; i++) {
		pthread_join(conns[i].th, NULL);
		close(conns[i].fd);
	}
	pthread_attr_destroy(&attr);
	free(conns);
	thread_end(rec);
	_exit(status);
}

int delay_raise_nofile(unsigned int fds)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "getrlimit(RLIMIT_NOFILE): %s\n", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= fds)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < fds) {
		fprintf(stderr,
			"need %u open files but the hard limit is %llu: raise it (ulimit -Hn) or "
			"use fewer workers\n",
			fds, (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = fds;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "setrlimit(RLIMIT_NOFILE, %u): %s\n", fds, strerror(errno));
		return -1;
	}
	return 0;
}

int delay_server_start(struct delay_server *s, unsigned int max_conns)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(addr);
	pid_t parent = getpid();
	int lfd, ctl[2];

	memset(s, 0, sizeof(*s));
	s->ctl_fd = -1;
	s->max_conns = max_conns;
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		fprintf(stderr, "socket: %s\n", strerror(errno));
		return -1;
	}
	/* Port 0: the kernel picks a free ephemeral port, so runs never collide. */
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, max_conns < 128 ? 128 : (int)max_conns) ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen)) {
		fprintf(stderr, "delay server: bind/listen on 127.0.0.1: %s\n", strerror(errno));
		close(lfd);
		return -1;
	}
	s->port = ntohs(addr.sin_port);
	if (pipe2(ctl, O_CLOEXEC)) {
		fprintf(stderr, "pipe2: %s\n", strerror(errno));
		close(lfd);
		return -1;
	}
	/* Unflushed output would be printed twice, once by each process. */
	fflush(stdout);
	fflush(stderr);
	s->pid = fork();
	if (s->pid < 0) {
		fprintf(stderr, "fork: %s\n", strerror(errno));
		close(lfd);
		close(ctl[0]);
		close(ctl[1]);
		return -1;
	}
	if (s->pid == 0) {
		/* Die with the demo, even if it is killed before it can stop us. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL)) {
			fprintf(stderr, "prctl(PR_SET_PDEATHSIG): %s\n", strerror(errno));
			_exit(1);
		}
		if (getppid() != parent)
			_exit(1); /* the demo died before prctl took effect */
		close(ctl[1]);
		server_main(lfd, ctl[0], max_conns);
	}
	close(lfd);
	close(ctl[0]);
	s->ctl_fd = ctl[1];
	return 0;
}

int delay_server_stop(struct delay_server *s)
{
	int status;
	pid_t r;

	if (s->pid <= 0)
		return 0;
	if (s->ctl_fd >= 0) {
		if (write(s->ctl_fd, "q", 1) != 1)
			fprintf(stderr, "delay server: write(shutdown pipe): %s\n",
				strerror(errno));
		close(s->ctl_fd);
		s->ctl_fd = -1;
	}
	do
		r = waitpid(s->pid, &status, 0);
	while (r < 0 && errno == EINTR);
	s->pid = 0;
	if (r < 0) {
		fprintf(stderr, "waitpid(delay server): %s\n", strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "delay server: ended badly (status 0x%x)\n", status);
		return -1;
	}
	return 0;
}

int delay_connect(const struct delay_server *s)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_port = htons(s->port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		fprintf(stderr, "socket: %s\n", strerror(errno));
		return -1;
	}
	while (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		if (errno == EINTR)
			continue;
		fprintf(stderr, "connect(127.0.0.1:%u): %s\n", s->port, strerror(errno));
		close(fd);
		return -1;
	}
	set_nodelay(fd);
	return fd;
}

int delay_request(int fd, uint64_t delay_ns)
{
	uint64_t answer;
	int r;

	if (write_full(fd, &delay_ns, sizeof(delay_ns))) {
		fprintf(stderr, "delay request: send: %s\n", strerror(errno));
		return -1;
	}
	r = read_full(fd, &answer, sizeof(answer));
	if (r <= 0) {
		fprintf(stderr, "delay request: recv: %s\n",
			r == 0 ? "the server closed the connection" : strerror(errno));
		return -1;
	}
	if (answer != delay_ns) {
		fprintf(stderr, "delay request: answer %llu does not match the request %llu\n",
			(unsigned long long)answer, (unsigned long long)delay_ns);
		return -1;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* The cost of moving data between processes: a sender process holds BYTES of
 * 64-bit integers and moves them to a receiver process, CHUNK bytes at a time,
 *   pipe        write() into a pipe, read() out of it: two copies (into the
 *               kernel's pipe buffer and out of it) and two syscalls a chunk
 *   shm         a ring of 8 slots in shared memory, two process-shared
 *               semaphores: the sender copies a chunk into a slot, the
 *               receiver reads it where it lies (one copy, no syscall while
 *               neither side has to wait)
 * each with or without an encode/decode step: the sender writes every
 * integer as decimal text with a comma, as JSON writes a list of numbers, and
 * the receiver parses them back into integers, the way any serialized
 * message (JSON, pickle) must be turned back into objects. The receiver checks the sum of what
 * arrived. CPU time is each side's own thread CPU clock over the transfer. */
#include "costs.h"
#include "clock.h"
#include "result.h"
#include "threads.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 8
#define TEXT_MAX 21 /* bytes for a 64-bit value in decimal, and its comma */

struct ipc {
	bool shm, encode;
	uint64_t bytes, chunk, slot_size;
	int fd[2];
	sem_t free_slots, full_slots;
	uint64_t slot_len[SLOTS];
	uint64_t t_start, t_end;
	uint64_t send_cpu_ns, recv_cpu_ns;
	uint64_t sum_sent, sum_recv, values_recv, wire_bytes;
	char name_send[16], name_recv[16];
	unsigned char slots[]; /* SLOTS x slot_size, shm only */
};

/* @v as decimal digits and a comma, as JSON writes a list of numbers. */
static size_t text_put(unsigned char *out, uint64_t v)
{
	unsigned char tmp[20];
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (unsigned char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[len++] = tmp[--n];
	out[len++] = ',';
	return len;
}

static size_t encode(const uint64_t *v, size_t n, unsigned char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += text_put(out + len, v[i]);
	return len;
}

/* Parse the comma-terminated decimal numbers of @in[0..len) into @out;
 * returns how many. */
static size_t decode(const unsigned char *in, size_t len, uint64_t *out)
{
	size_t n = 0;
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == ',') {
			out[n++] = v;
			v = 0;
		} else {
			v = v * 10 + (uint64_t)(in[i] - '0');
		}
	}
	return n;
}

static int io_exact(int fd, void *buf, size_t len, bool out)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = out ? write(fd, (char *)buf + done, len - done)
				: read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "%s(pipe): %s\n", out ? "write" : "read",
				n < 0 ? strerror(errno) : "end of file");
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static void sem_wait_whole(sem_t *s)
{
	while (sem_wait(s) && errno == EINTR)
		;
}

/* Send @len bytes of @data (raw or already encoded) as one message. */
static int send_msg(struct ipc *x, const void *data, uint64_t len, unsigned int k)
{
	if (x->shm) {
		unsigned char *slot = x->slots + (k % SLOTS) * x->slot_size;

		if (data != slot)
			memcpy(slot, data, len);
		x->slot_len[k % SLOTS] = len;
		sem_post(&x->full_slots);
		return 0;
	}
	if (x->encode && io_exact(x->fd[1], &len, sizeof(len), true))
		return -1;
	return io_exact(x->fd[1], (void *)data, len, true);
}

static int sender(void *arg)
{
	struct ipc *x = arg;
	struct thread_record *rec = thread_begin(x->name_send);
	uint64_t n = x->bytes / 8, per = x->chunk / 8, s = 0x9e3779b97f4a7c15ULL, cpu0;
	uint64_t *src = malloc(x->bytes);
	unsigned char *enc = x->encode && !x->shm ? malloc(per * TEXT_MAX) : NULL;
	int err = 0;

	if (x->fd[0] >= 0)
		close(x->fd[0]); /* so the receiver sees end of file when we are gone */
	if (!src || (x->encode && !x->shm && !enc)) {
		perror("malloc(sender buffers)");
		return 1;
	}
	/* Integers of every size from 1 to 64 bits, so their text varies in length. */
	for (uint64_t i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		src[i] = s >> (s & 63);
		x->sum_sent += src[i];
	}
	cpu0 = thread_cpu_ns();
	x->t_start = now_ns();
	for (unsigned int k = 0; !err && (uint64_t)k * per < n; k++) {
		uint64_t cnt = n - (uint64_t)k * per < per ? n - (uint64_t)k * per : per;
		const uint64_t *v = src + (uint64_t)k * per;
		unsigned char *out;
		uint64_t len;

		if (x->shm)
			sem_wait_whole(&x->free_slots);
		if (!x->encode) {
			err = send_msg(x, v, cnt * 8, k);
			x->wire_bytes += cnt * 8;
			continue;
		}
		out = x->shm ? x->slots + (k % SLOTS) * x->slot_size : enc;
		len = encode(v, cnt, out);
		x->wire_bytes += len;
		err = send_msg(x, out, len, k);
	}
	x->send_cpu_ns = thread_cpu_ns() - cpu0;
	free(src);
	free(enc);
	rec->tasks = x->bytes;
	thread_end(rec);
	return err;
}

static uint64_t sum_of(const uint64_t *v, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

static int receiver(void *arg)
{
	struct ipc *x = arg;
	struct thread_record *rec = thread_begin(x->name_recv);
	uint64_t per = x->chunk / 8, got = 0, n = x->bytes / 8, cpu0;
	unsigned char *buf = malloc(x->slot_size);
	uint64_t *vals = malloc(per * sizeof(uint64_t));
	int err = 0;

	if (x->fd[1] >= 0)
		close(x->fd[1]); /* so a sender that died shows as end of file */
	if (!buf || !vals) {
		perror("malloc(receiver buffers)");
		return 1;
	}
	cpu0 = thread_cpu_ns();
	for (unsigned int k = 0; !err && got < n; k++) {
		uint64_t cnt = n - got < per ? n - got : per, len = cnt * 8;
		const unsigned char *msg = buf;

		if (x->shm) {
			sem_wait_whole(&x->full_slots);
			msg = x->slots + (k % SLOTS) * x->slot_size;
			len = x->slot_len[k % SLOTS];
		} else if (x->encode) {
			err = io_exact(x->fd[0], &len, sizeof(len), false) || len > x->slot_size;
		}
		if (!err && !x->shm)
			err = io_exact(x->fd[0], buf, len, false);
		if (err)
			break;
		if (x->encode) {
			cnt = decode(msg, len, vals);
			x->sum_recv += sum_of(vals, cnt);
		} else {
			x->sum_recv += sum_of((const uint64_t *)msg, cnt);
		}
		got += cnt;
		if (x->shm)
			sem_post(&x->free_slots);
	}
	x->t_end = now_ns();
	x->recv_cpu_ns = thread_cpu_ns() - cpu0;
	x->values_recv = got;
	free(buf);
	free(vals);
	rec->tasks = got * 8;
	thread_end(rec);
	return err;
}

static const struct {
	const char *name, *label, *comm;
	bool shm, encode;
} mechanisms[] = {
    {CE_PIPE, "pipe", CE_PIPE_COMM, false, false},
    {CE_SHM, "shared memory", "shm", true, false},
    {CE_PIPE_ENCODE, "pipe + encode/decode", "pipe-enc", false, true},
    {CE_SHM_ENCODE, "shared memory + encode/decode", "shm-enc", true, true},
};

static int ipc_run(const struct costs_params *p, json_t *costs, size_t m)
{
	uint64_t slot_size = p->chunk / 8 * TEXT_MAX;
	size_t size = sizeof(struct ipc) + (mechanisms[m].shm ? SLOTS * slot_size : 0);
	struct ipc *x = costs_shared(size);
	json_t *e = costs_entry(costs, COSTS_IPC, mechanisms[m].name, mechanisms[m].label);
	double mib = (double)p->ipc_bytes / MIB, wall_s;
	int ps = -1, pr = -1, err;

	if (!x)
		return -1;
	x->shm = mechanisms[m].shm;
	x->encode = mechanisms[m].encode;
	x->bytes = p->ipc_bytes;
	x->chunk = p->chunk;
	x->slot_size = slot_size;
	snprintf(x->name_send, sizeof(x->name_send), "%s" CE_SENDER, mechanisms[m].comm);
	snprintf(x->name_recv, sizeof(x->name_recv), "%s" CE_RECEIVER, mechanisms[m].comm);
	x->fd[0] = x->fd[1] = -1;
	if (x->shm ? sem_init(&x->free_slots, 1, SLOTS) || sem_init(&x->full_slots, 1, 0)
		   : pipe2(x->fd, O_CLOEXEC)) {
		perror(x->shm ? "sem_init" : "pipe2");
		costs_unshare(x, size);
		return -1;
	}
	err = costs_fork(receiver, x, &pr);
	if (!err && costs_fork(sender, x, &ps)) {
		kill(pr, SIGKILL);
		err = -1;
	}
	/* The parent's ends closed, the receiver sees end of file should the
	 * sender die (the children read the descriptors from x: left as they are). */
	for (int i = 0; i < 2; i++)
		if (x->fd[i] >= 0)
			close(x->fd[i]);
	if (ps > 0)
		err = costs_wait(ps, x->name_send) || err;
	if (pr > 0)
		err = costs_wait(pr, x->name_recv) || err;
	if (!err && (x->values_recv != p->ipc_bytes / 8 || x->t_end <= x->t_start))
		err = -1;
	if (err) {
		fprintf(stderr, "%s: the transfer failed\n", mechanisms[m].name);
		costs_unshare(x, size);
		return -1;
	}
	wall_s = ns_to_s(x->t_end - x->t_start);
	json_set_str(e, COST_TRANSPORT, x->shm ? CE_SHM : CE_PIPE);
	json_set_new(e, COST_ENCODE, json_boolean(x->encode));
	json_set_new(e, COST_THREADS, json_pack("[s,s]", x->name_send, x->name_recv));
	json_set_int(e, COST_BYTES, (long long)p->ipc_bytes);
	json_set_int(e, COST_WIRE_BYTES, (long long)x->wire_bytes);
	json_set_int(e, COST_WALL_NS, (long long)(x->t_end - x->t_start));
	json_set_real(e, COST_MIB_PER_S, mib / wall_s);
	json_set_int(e, COST_SEND_CPU_NS, (long long)x->send_cpu_ns);
	json_set_int(e, COST_RECV_CPU_NS, (long long)x->recv_cpu_ns);
	json_set_real(e, COST_CPU_NS_PER_MIB, (double)(x->send_cpu_ns + x->recv_cpu_ns) / mib);
	json_set_new(e, COST_INTACT, json_boolean(x->sum_recv == x->sum_sent));
	printf("  %-30s %8.0f MiB/s, %6.2f ms CPU per MiB (send %.0f + receive %.0f ms)%s\n",
	       mechanisms[m].label, mib / wall_s,
	       (double)(x->send_cpu_ns + x->recv_cpu_ns) / mib / 1e6, x->send_cpu_ns / 1e6,
	       x->recv_cpu_ns / 1e6, x->sum_recv == x->sum_sent ? "" : "  DATA CORRUPTED");
	fflush(stdout);
	if (x->shm) {
		sem_destroy(&x->free_slots);
		sem_destroy(&x->full_slots);
	}
	err = x->sum_recv == x->sum_sent ? 0 : -1;
	costs_unshare(x, size);
	return err;
}

int costs_ipc(const struct costs_params *p, json_t *costs)
{
	for (size_t m = 0; m < sizeof(mechanisms) / sizeof(mechanisms[0]); m++)
		if (ipc_run(p, costs, m))
			return -1;
	return 0;
}

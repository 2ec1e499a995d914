// SPDX-License-Identifier: GPL-2.0
/* 06_hybrid_pipeline: the chapter's "what runs where" diagram made real.
 * Each item goes through three stages, each run by the model that suits it:
 *
 *   fetch     an event loop ("loop", epoll) keeps many requests in flight to
 *             the loopback delay service: I/O-bound, one thread is enough;
 *   blocking  a thread pool ("blocking-N") makes one blocking call per item
 *             (a request to the same service): threads overlap the waits;
 *   cpu       a process pool ("cpu-N", each process its own interpreter lock)
 *             runs the CPU-bound bytecode: processes use every CPU.
 *
 * Bounded queues sit between the stages: the "blocking-stage queue" (inside
 * the main process) and the "cpu-stage queue" (in a MAP_SHARED mapping, its
 * mutex and condition variables process-shared, so the forked workers use it
 * as threads would). When the last stage is the slowest its queue fills, the
 * blocking threads wait for room, their queue fills, and the loop waits too:
 * backpressure reaches the first stage, which stops fetching.
 *
 * Variants: hybrid (the diagram), hybrid-unbounded (no bound: the queues
 * absorb the difference in pace), threads-only (the cpu stage in threads of
 * the main process under one shared lock), single-loop (the loop thread does
 * all three stages itself). */
#include "cli.h"
#include "clock.h"
#include "cpus.h"
#include "delay_server.h"
#include "gil.h"
#include "pipeline.h"
#include "queue.h"
#include "result.h"
#include "stats.h"
#include "table.h"
#include "threads.h"
#include "vm.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEMO "06_hybrid_pipeline"
#define PILL UINT64_MAX
#define MAX_INFLIGHT 512
#define MAX_ITEMS 100000
#define MAX_N 100000000LL
#define SAMPLE_NS (10 * NSEC_PER_MSEC)
#define MAX_SAMPLES 60000

static const char *const variants[] = {"hybrid", "hybrid-unbounded", "threads-only", "single-loop",
				       NULL};

static void fail(struct pipeline *pl)
{
	__atomic_store_n(&pl->sh->failed, 1, __ATOMIC_RELAXED);
	queue_close(&pl->blocking_q);
	queue_close(&pl->sh->cpu_q);
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* The cpu stage's work on one item: the bytecode, holding @gt's lock except
 * where the eval breaker hands it over. */
static int cpu_work(struct pipeline *pl, struct gil_thread *gt, uint64_t k)
{
	struct vm_breaker br = {.flag = &gt->gil->drop_request, .handler = gil_yield, .ctx = gt};
	struct item_rec *r = &pl->sh->rec[k];
	int64_t arg = pl->p->n;
	uint64_t c0 = thread_cpu_ns();
	int st;

	gil_take(gt);
	st = vm_run(pl->prog, &arg, 1, &r->result, &br);
	gil_drop(gt);
	r->cpu_ns = thread_cpu_ns() - c0;
	if (st) {
		fprintf(stderr, "vm_run(item %llu): %s\n", (unsigned long long)k, vm_strerror(st));
		return -1;
	}
	r->done_ns = now_ns();
	__atomic_fetch_add(&pl->sh->done, 1, __ATOMIC_RELAXED);
	return 0;
}

/* A worker of the cpu stage (a thread, or a forked process with its own
 * lock): take items from the cpu-stage queue until the stop item. */
static void cpu_stage(struct pipeline *pl, int idx, struct gil *gil, struct thread_record *rec)
{
	struct cpu_report *cr = &pl->sh->cpu[idx];
	struct gil_thread gt;
	struct queue_item *it;
	uint64_t t0 = now_ns(), t1;

	gil_thread_init(&gt, gil, rec);
	while ((it = queue_get(&pl->sh->cpu_q)) && it->seq != PILL) {
		t1 = now_ns();
		cr->starved_ns += t1 - t0;
		if (cpu_work(pl, &gt, it->seq)) {
			fail(pl);
			break;
		}
		t0 = now_ns();
		cr->work_ns += t0 - t1;
		cr->items++;
		rec->tasks++;
	}
	cr->pid = getpid();
	cr->gil_addr = (uintptr_t)gil;
	cr->lock_wait_ns = gt.wait_ns;
	cr->acquires = gt.acquires;
}

struct cpu_thread {
	struct pipeline *pl;
	int idx;
	pthread_t th;
};

static void *cpu_thread_main(void *arg)
{
	struct cpu_thread *ct = arg;
	char name[THREAD_NAME_LEN];
	struct thread_record *rec;

	snprintf(name, sizeof(name), "cpu-%d", (ct->idx + 1) % 1000);
	rec = thread_begin(name);
	cpu_stage(ct->pl, ct->idx, &ct->pl->gil, rec);
	thread_end(rec);
	return NULL;
}

static void __attribute__((noreturn)) cpu_process_main(struct pipeline *pl, int idx)
{
	char name[THREAD_NAME_LEN];
	struct thread_record *rec;
	struct gil gil;

	snprintf(name, sizeof(name), "cpu-%d", (idx + 1) % 1000);
	rec = thread_begin(name);
	if (gil_init(&gil, (uint64_t)pl->p->switch_ms * NSEC_PER_MSEC)) {
		fail(pl);
		thread_end(rec);
		_exit(1);
	}
	cpu_stage(pl, idx, &gil, rec);
	gil_destroy(&gil);
	thread_end(rec);
	_exit(pl->sh->failed ? 1 : 0);
}

/* The blocking stage: one blocking call per item on the thread's own
 * connection, then on to the cpu stage (waiting for room when it is full). */
static void *blocking_main(void *arg)
{
	struct blocking_thread *b = arg;
	struct pipeline *pl = b->pl;
	char name[THREAD_NAME_LEN];
	struct thread_record *rec;
	struct queue_item *it;
	uint64_t t0 = now_ns(), t1, t2;

	snprintf(name, sizeof(name), "blocking-%d", (b->idx + 1) % 1000);
	rec = thread_begin(name);
	while ((it = queue_get(&pl->blocking_q)) && it->seq != PILL) {
		t1 = now_ns();
		b->starved_ns += t1 - t0;
		if (delay_request(b->fd, pl->p->blocking_ns)) {
			fail(pl);
			break;
		}
		t2 = now_ns();
		b->work_ns += t2 - t1;
		pl->sh->rec[it->seq].blocked_ns = t2;
		pl->sh->cpu_items[it->seq].seq = it->seq;
		if (queue_put(&pl->sh->cpu_q, &pl->sh->cpu_items[it->seq]))
			break; /* closed: the run failed */
		t0 = now_ns();
		b->blocked_ns += t0 - t2;
		b->items++;
		rec->tasks++;
	}
	thread_end(rec);
	return NULL;
}

/* One connection of the loop: a fetch in flight on it, and the bytes of its
 * answer read so far. */
struct conn {
	int fd;
	uint64_t item;
	size_t got;
	uint64_t answer;
};

static int send_fetch(struct pipeline *pl, struct conn *c, uint64_t item)
{
	uint64_t d = pl->p->fetch_ns;

	c->item = item;
	c->got = 0;
	pl->sh->rec[item].fetch_start_ns = now_ns();
	if (send(c->fd, &d, sizeof(d), MSG_NOSIGNAL) != sizeof(d)) {
		fprintf(stderr, "loop: send(fetch %llu): %s\n", (unsigned long long)item,
			strerror(errno));
		return -1;
	}
	__atomic_fetch_add(&pl->in_flight, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Read what has arrived of @c's answer; 1 when it is whole. */
static int read_answer(struct conn *c)
{
	ssize_t n =
	    recv(c->fd, (char *)&c->answer + c->got, sizeof(c->answer) - c->got, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		fprintf(stderr, "loop: recv: %s\n", n ? strerror(errno) : "the server closed");
		return -1;
	}
	c->got += (size_t)n;
	return c->got == sizeof(c->answer);
}

/* single-loop: the loop does the later stages itself, holding up every
 * other fetch meanwhile. */
static int inline_stages(struct pipeline *pl, int fd, struct gil_thread *gt, uint64_t k)
{
	uint64_t t0 = now_ns(), t1;

	if (delay_request(fd, pl->p->blocking_ns))
		return -1;
	t1 = now_ns();
	pl->loop_blocking_ns += t1 - t0;
	pl->sh->rec[k].blocked_ns = t1;
	if (cpu_work(pl, gt, k))
		return -1;
	pl->loop_cpu_ns += now_ns() - t1;
	return 0;
}

/* A fetched item goes on to the next stage: into the blocking-stage queue
 * (waiting for room: the backpressure), or, single-loop, through the rest of
 * the pipeline right here. */
static int hand_on(struct pipeline *pl, uint64_t k, int fd, struct gil_thread *gt)
{
	uint64_t t0 = now_ns();

	pl->sh->rec[k].fetched_ns = t0;
	__atomic_fetch_add(&pl->fetched, 1, __ATOMIC_RELAXED);
	if (pl->variant == V_SINGLE)
		return inline_stages(pl, fd, gt, k);
	pl->blocking_items[k].seq = k;
	if (queue_put(&pl->blocking_q, &pl->blocking_items[k]))
		return -1;
	pl->loop_put_wait_ns += now_ns() - t0;
	return 0;
}

struct loop_state {
	int epfd, blocking_fd;
	struct conn conn[MAX_INFLIGHT];
	uint64_t next;
	struct gil_thread gt;
};

static int loop_open(struct pipeline *pl, struct loop_state *ls, int nconn)
{
	ls->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ls->epfd < 0) {
		fprintf(stderr, "epoll_create1: %s\n", strerror(errno));
		return -1;
	}
	for (int i = 0; i < nconn; i++) {
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &ls->conn[i]};

		ls->conn[i].fd = delay_connect(&pl->server);
		if (ls->conn[i].fd < 0)
			return -1;
		if (epoll_ctl(ls->epfd, EPOLL_CTL_ADD, ls->conn[i].fd, &ev)) {
			fprintf(stderr, "epoll_ctl(ADD): %s\n", strerror(errno));
			return -1;
		}
	}
	ls->blocking_fd = -1;
	if (pl->variant == V_SINGLE && (ls->blocking_fd = delay_connect(&pl->server)) < 0)
		return -1;
	return 0;
}

static void loop_close(struct loop_state *ls, int nconn)
{
	for (int i = 0; i < nconn; i++)
		if (ls->conn[i].fd >= 0)
			close(ls->conn[i].fd);
	if (ls->blocking_fd >= 0)
		close(ls->blocking_fd);
	if (ls->epfd >= 0)
		close(ls->epfd);
}

/* The fetch stage: keep up to inflight fetches going, one per connection;
 * each answer is handed on and its connection starts the next fetch. */
static int loop_run(struct pipeline *pl, struct loop_state *ls, struct thread_record *rec)
{
	uint64_t items = (uint64_t)pl->p->items, handed = 0;
	int nconn = pl->p->inflight < pl->p->items ? pl->p->inflight : pl->p->items;
	struct epoll_event evs[64];

	for (int i = 0; i < nconn; i++)
		if (send_fetch(pl, &ls->conn[i], ls->next++))
			return -1;
	while (handed < items) {
		uint64_t t0 = now_ns();
		int n = epoll_wait(ls->epfd, evs, 64, -1);

		pl->loop_epoll_ns += now_ns() - t0;
		pl->epoll_waits++;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "epoll_wait: %s\n", strerror(errno));
			return -1;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			int r = read_answer(c);

			if (r < 0)
				return -1;
			if (!r)
				continue;
			__atomic_fetch_sub(&pl->in_flight, 1, __ATOMIC_RELAXED);
			if (hand_on(pl, c->item, ls->blocking_fd, &ls->gt))
				return -1;
			handed++;
			rec->tasks++;
			if (ls->next < items && send_fetch(pl, c, ls->next++))
				return -1;
		}
	}
	return 0;
}

static void *loop_main(void *arg)
{
	struct pipeline *pl = arg;
	struct thread_record *rec = thread_begin("loop");
	int nconn = pl->p->inflight < pl->p->items ? pl->p->inflight : pl->p->items;
	struct loop_state *ls = calloc(1, sizeof(*ls));
	int err;

	if (!ls) {
		perror("calloc(loop)");
		fail(pl);
		thread_end(rec);
		return NULL;
	}
	for (int i = 0; i < MAX_INFLIGHT; i++)
		ls->conn[i].fd = -1;
	gil_thread_init(&ls->gt, &pl->gil, rec);
	err = loop_open(pl, ls, nconn) || loop_run(pl, ls, rec);
	loop_close(ls, nconn);
	free(ls);
	if (err)
		fail(pl);
	thread_end(rec);
	return NULL;
}

static void *sampler_main(void *arg)
{
	struct pipeline *pl = arg;
	struct thread_record *rec = thread_begin("sampler");

	for (uint64_t k = 0; pl->nsamples < MAX_SAMPLES; k++) {
		struct sample *s = &pl->samples[pl->nsamples];

		sleep_until_ns(pl->start_ns + k * SAMPLE_NS);
		if (__atomic_load_n(&pl->stop_sampling, __ATOMIC_RELAXED))
			break;
		s->t_ns = k * SAMPLE_NS;
		s->blocking_q = (uint32_t)queue_len(&pl->blocking_q);
		s->cpu_q = (uint32_t)queue_len(&pl->sh->cpu_q);
		s->in_flight = __atomic_load_n(&pl->in_flight, __ATOMIC_RELAXED);
		s->done = __atomic_load_n(&pl->sh->done, __ATOMIC_RELAXED);
		pl->nsamples++;
	}
	rec->tasks = pl->nsamples;
	thread_end(rec);
	return NULL;
}

static struct shm *shm_map(int items)
{
	size_t size = sizeof(struct shm) + (size_t)(items + MAX_CPU) * sizeof(struct queue_item) +
		      (size_t)items * sizeof(struct item_rec);
	struct shm *sh =
	    mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED) {
		perror("mmap(shared pipeline state)");
		return NULL;
	}
	sh->size = size;
	sh->cpu_items = (struct queue_item *)(sh + 1);
	sh->rec = (struct item_rec *)(sh->cpu_items + items + MAX_CPU);
	return sh;
}

/* The queues: bounded by --capacity except in hybrid-unbounded; the cpu-stage
 * queue is process-shared when the cpu stage is a process pool. */
static int queues_init(struct pipeline *pl)
{
	size_t cap = pl->variant == V_UNBOUNDED ? 0 : (size_t)pl->p->capacity;
	bool procs = pl->variant == V_HYBRID || pl->variant == V_UNBOUNDED;

	if (queue_init(&pl->blocking_q, cap))
		return -1;
	return procs ? queue_init_shared(&pl->sh->cpu_q, cap) : queue_init(&pl->sh->cpu_q, cap);
}

static int fork_cpu_workers(struct pipeline *pl, pid_t *pids)
{
	fflush(NULL);
	for (int i = 0; i < pl->p->cpu; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork(cpu worker)");
			return i;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			cpu_process_main(pl, i);
		}
		pids[i] = pid;
	}
	return pl->p->cpu;
}

static int reap(pid_t *pids, int n)
{
	int err = 0;

	for (int i = 0; i < n; i++) {
		int status = 0;

		while (waitpid(pids[i], &status, 0) < 0)
			if (errno != EINTR) {
				perror("waitpid(cpu worker)");
				err = -1;
				break;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "cpu-%d (pid %d) failed (status 0x%x)\n", i + 1, pids[i],
				status);
			err = -1;
		}
	}
	return err;
}

/* Put one stop item per consumer into @q (stop items live in @items[first..]). */
static void stop_consumers(struct queue *q, struct queue_item *items, int first, int n)
{
	for (int i = 0; i < n; i++) {
		items[first + i].seq = PILL;
		queue_put(q, &items[first + i]); /* fails only when the run failed */
	}
}

/* Start the stages, wait for the last item, stop everything. Returns 0 or -1. */
static int run_stages(struct pipeline *pl, uint64_t *end_ns)
{
	const struct params *p = pl->p;
	bool procs = pl->variant == V_HYBRID || pl->variant == V_UNBOUNDED;
	int nblocking = pl->variant == V_SINGLE ? 0 : p->blocking;
	int ncpu = pl->variant == V_SINGLE ? 0 : p->cpu, forked = 0, started_b = 0, started_c = 0;
	struct cpu_thread ct[MAX_CPU];
	pid_t pids[MAX_CPU];
	pthread_t loop, sampler;
	int err = 0, rc;

	if (procs && (forked = fork_cpu_workers(pl, pids)) < ncpu)
		err = -1;
	for (int i = 0; !err && i < nblocking; i++) {
		pl->bt[i] = (struct blocking_thread){.pl = pl, .idx = i, .fd = -1};
		if ((pl->bt[i].fd = delay_connect(&pl->server)) < 0)
			err = -1;
	}
	pl->start_ns = now_ns();
	if (!err && (rc = pthread_create(&sampler, NULL, sampler_main, pl))) {
		fprintf(stderr, "pthread_create(sampler): %s\n", strerror(rc));
		err = -1;
	}
	if (err) {
		fail(pl);
		reap(pids, forked);
		return -1;
	}
	for (int i = 0; !procs && i < ncpu; i++, started_c++) {
		ct[i] = (struct cpu_thread){.pl = pl, .idx = i};
		if ((rc = pthread_create(&ct[i].th, NULL, cpu_thread_main, &ct[i]))) {
			fprintf(stderr, "pthread_create(cpu-%d): %s\n", i + 1, strerror(rc));
			err = -1;
			break;
		}
	}
	for (int i = 0; !err && i < nblocking; i++, started_b++)
		if ((rc = pthread_create(&pl->bt[i].th, NULL, blocking_main, &pl->bt[i]))) {
			fprintf(stderr, "pthread_create(blocking-%d): %s\n", i + 1, strerror(rc));
			err = -1;
			break;
		}
	if (!err && (rc = pthread_create(&loop, NULL, loop_main, pl))) {
		fprintf(stderr, "pthread_create(loop): %s\n", strerror(rc));
		err = -1;
	}
	if (err)
		fail(pl);
	else
		pthread_join(loop, NULL);
	/* Each stage stops once what is queued before its stop items is done. */
	stop_consumers(&pl->blocking_q, pl->blocking_items, p->items, started_b);
	for (int i = 0; i < started_b; i++)
		pthread_join(pl->bt[i].th, NULL);
	stop_consumers(&pl->sh->cpu_q, pl->sh->cpu_items, p->items, procs ? forked : started_c);
	for (int i = 0; i < started_c; i++)
		pthread_join(ct[i].th, NULL);
	if (reap(pids, forked))
		err = -1;
	*end_ns = now_ns();
	__atomic_store_n(&pl->stop_sampling, 1, __ATOMIC_RELAXED);
	pthread_join(sampler, NULL);
	for (int i = 0; i < nblocking; i++)
		if (pl->bt[i].fd >= 0)
			close(pl->bt[i].fd);
	return err || pl->sh->failed ? -1 : 0;
}

static json_t *run_variant(const struct params *p, int v, int cpus, struct summary *s)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));
	struct thread_record *main_rec;
	unsigned int bad_pc;
	uint64_t end = 0;
	json_t *res = NULL;
	int st, err;

	if (!pl) {
		perror("calloc(pipeline)");
		return NULL;
	}
	pl->p = p;
	pl->variant = v;
	pl->prog = vm_mod_sum_program();
	st = vm_validate(pl->prog, &bad_pc);
	if (st) {
		fprintf(stderr, "vm_validate: %s at pc %u\n", vm_strerror(st), bad_pc);
		goto out_pl;
	}
	pl->sh = shm_map(p->items);
	pl->blocking_items = calloc(p->items + MAX_BLOCKING, sizeof(*pl->blocking_items));
	pl->samples = calloc(MAX_SAMPLES, sizeof(*pl->samples));
	if (!pl->sh || !pl->blocking_items || !pl->samples) {
		perror("calloc(items, samples)");
		goto out;
	}
	if (queues_init(pl) || gil_init(&pl->gil, (uint64_t)p->switch_ms * NSEC_PER_MSEC))
		goto out;
	threads_reset();
	main_rec = thread_begin("main");
	if (delay_server_start(&pl->server, p->inflight + p->blocking + 2)) {
		thread_end(main_rec);
		goto out;
	}
	err = run_stages(pl, &end);
	if (delay_server_stop(&pl->server))
		err = -1;
	thread_end(main_rec);
	if (!err) {
		res = result_new(DEMO, variants[v]);
		pipeline_json(res, pl, cpus, end, s);
	}
	gil_destroy(&pl->gil);
	queue_destroy(&pl->blocking_q, NULL);
	queue_destroy(&pl->sh->cpu_q, NULL);
out:
	if (pl->sh)
		munmap(pl->sh, pl->sh->size);
	free(pl->blocking_items);
	free(pl->samples);
out_pl:
	free(pl);
	return res;
}

static void usage(void)
{
	printf(
	    "Usage: %s [--variant V] [--quick] [--items N] [--inflight N] [--fetch-ms MS]\n"
	    "          [--blocking-threads N] [--blocking-ms MS] [--cpu-workers N] [--n N]\n"
	    "          [--capacity N] [--switch-ms MS] [--json FILE] [--list-variants] [--help]\n"
	    "\n"
	    "Each item is fetched by an event loop (epoll, INFLIGHT requests at once to a\n"
	    "loopback delay service answering after FETCH-MS), then a thread pool makes\n"
	    "one blocking call of BLOCKING-MS for it, then a pool of processes runs the\n"
	    "bytecode loop of N iterations on it, each process with its own lock.\n"
	    "Queues of CAPACITY items sit between the stages.\n"
	    "  hybrid            the diagram: loop -> threads -> processes, bounded queues\n"
	    "  hybrid-unbounded  the same with unbounded queues (no backpressure)\n"
	    "  threads-only      the cpu stage in threads under one shared lock\n"
	    "  single-loop       the loop thread does all three stages itself\n"
	    "Without --variant all four run and are compared.\n"
	    "\n"
	    "Options:\n"
	    "  --variant V            run one variant\n"
	    "  --quick                150 items instead of 600\n"
	    "  --items N              items through the pipeline (default 600)\n"
	    "  --inflight N           fetches the loop keeps in flight (default 32)\n"
	    "  --fetch-ms MS          the service's delay per fetch (default 10)\n"
	    "  --blocking-threads N   threads of the blocking stage (default 8)\n"
	    "  --blocking-ms MS       the blocking call per item (default 5)\n"
	    "  --cpu-workers N        processes (threads in threads-only) of the cpu stage\n"
	    "                         (default 2)\n"
	    "  --n N                  bytecode loop iterations per item (default 500000,\n"
	    "                         about 4 ms)\n"
	    "  --capacity N           each bounded queue's size (default 16)\n"
	    "  --switch-ms MS         the lock's switch interval (default 5)\n"
	    "  --json FILE            write the result as JSON (docs/formats.md)\n"
	    "  --list-variants        print the variant names, one per line\n"
	    "  --help                 this text\n"
	    "\n"
	    "Examples:\n"
	    "  %s --quick\n"
	    "  %s --variant hybrid --cpu-workers 4 --json h.json\n",
	    cli_prog, cli_prog, cli_prog);
}

static void print_table(const struct summary *s)
{
	static const char *const head[] = {
	    "variant",	     "items/s",	 "bound/s",    "slowest stage", "loop blocked",
	    "blocking busy", "cpu busy", "max queues", "latency p50",	"p99"};
	struct table *t = table_new(10, head);

	for (int v = 0; variants[v]; v++) {
		if (!s[v].ran)
			continue;
		table_row(t);
		table_cell(t, "%s", variants[v]);
		table_cell(t, "%.0f", s[v].throughput);
		table_cell(t, "%.0f", s[v].bound);
		table_cell(t, "%s", s[v].bottleneck);
		table_cell(t, "%.0f%%", 100 * s[v].loop_blocked);
		table_cell(t, "%.0f%%", 100 * s[v].busy[1]);
		table_cell(t, "%.0f%%", 100 * s[v].busy[2]);
		table_cell(t, "%llu, %llu", (unsigned long long)s[v].max_blocking_q,
			   (unsigned long long)s[v].max_cpu_q);
		table_cell(t, "%.1f ms", s[v].p50 / 1e6);
		table_cell(t, "%.1f ms", s[v].p99 / 1e6);
	}
	table_print(t, stdout, "");
	table_free(t);
}

/* The busy share of the stage that sets @s's pace (single-loop: the loop's
 * blocking calls and bytecode together). */
static double slowest_busy(const struct summary *s)
{
	if (!strcmp(s->bottleneck, "loop"))
		return s->busy[1] + s->busy[2];
	for (int k = 0; k < 3; k++)
		if (!strcmp(s->bottleneck, stage_names[k]))
			return s->busy[k];
	return 0;
}

/* The shape every run should have, judged by its own figures (a busy host
 * slows a stage, so the pace itself is not judged): no variant beats its
 * slowest stage's pace, that stage is busy nearly all the run, the bounds
 * hold, and every variant computes the same thing. */
static bool print_expected(const struct params *p, const struct summary *s)
{
	const struct summary *h = &s[V_HYBRID], *u = &s[V_UNBOUNDED], *t = &s[V_THREADS],
			     *l = &s[V_SINGLE];
	bool paced = true, bounded = h->max_blocking_q <= (uint64_t)p->capacity &&
				     h->max_cpu_q <= (uint64_t)p->capacity;
	bool sums =
	    h->checksum == u->checksum && h->checksum == t->checksum && h->checksum == l->checksum;

	printf("\nexpected: no variant beats its slowest stage's pace (bound/s), and that stage "
	       "is busy nearly all the run (>= 80%%);\n");
	for (int v = 0; variants[v]; v++) {
		printf("          %-16s %5.0f items/s = %3.0f%% of %.0f/s; %s busy %.0f%%\n",
		       variants[v], s[v].throughput,
		       s[v].bound > 0 ? 100 * s[v].throughput / s[v].bound : 0, s[v].bound,
		       s[v].bottleneck, 100 * slowest_busy(&s[v]));
		paced = paced && s[v].throughput <= 1.1 * s[v].bound && slowest_busy(&s[v]) >= 0.8;
	}
	printf("          bounded queues hold at most %d (got %llu, %llu); unbounded, the queue "
	       "before the slowest stage grows (got %llu, %llu)\n",
	       p->capacity, (unsigned long long)h->max_blocking_q, (unsigned long long)h->max_cpu_q,
	       (unsigned long long)u->max_blocking_q, (unsigned long long)u->max_cpu_q);
	printf("          every variant computes the same checksum: %s\n", sums ? "yes" : "NO");
	printf("Results: hybrid %.0f items/s, threads-only %.0f, single-loop %.0f; the loop was "
	       "held back %.0f%% of the hybrid run, %.0f%% unbounded\n",
	       h->throughput, t->throughput, l->throughput, 100 * h->loop_blocked,
	       100 * u->loop_blocked);
	return paced && bounded && sums;
}

/* The options into @p; returns the variant asked for, or -1 for all. */
static int parse_args(int argc, char **argv, struct demo_opts *o, struct params *p)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"items", required_argument, NULL, 'i'},
	    {"inflight", required_argument, NULL, 'f'},
	    {"fetch-ms", required_argument, NULL, 'F'},
	    {"blocking-threads", required_argument, NULL, 'b'},
	    {"blocking-ms", required_argument, NULL, 'B'},
	    {"cpu-workers", required_argument, NULL, 'c'},
	    {"n", required_argument, NULL, 'n'},
	    {"capacity", required_argument, NULL, 'C'},
	    {"switch-ms", required_argument, NULL, 's'},
	    {0},
	};
	int c, only;

	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, o, usage))
			continue;
		switch (c) {
		case 'i':
			p->items = cli_int("--items", optarg, 1, MAX_ITEMS);
			break;
		case 'f':
			p->inflight = cli_int("--inflight", optarg, 1, MAX_INFLIGHT);
			break;
		case 'F':
			p->fetch_ns = cli_int("--fetch-ms", optarg, 0, 10000) * NSEC_PER_MSEC;
			break;
		case 'b':
			p->blocking = cli_int("--blocking-threads", optarg, 1, MAX_BLOCKING);
			break;
		case 'B':
			p->blocking_ns = cli_int("--blocking-ms", optarg, 0, 10000) * NSEC_PER_MSEC;
			break;
		case 'c':
			p->cpu = cli_int("--cpu-workers", optarg, 1, MAX_CPU);
			break;
		case 'n':
			p->n = cli_int("--n", optarg, 1, MAX_N);
			break;
		case 'C':
			p->capacity = cli_int("--capacity", optarg, 1, MAX_ITEMS);
			break;
		case 's':
			p->switch_ms = cli_int("--switch-ms", optarg, 1, 1000);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	only = cli_variant(o, variants);
	p->quick = o->quick;
	if (p->items < 0)
		p->items = o->quick ? 150 : 600;
	return only;
}

int main(int argc, char **argv)
{
	struct demo_opts o = {0};
	struct params p = {.items = -1,
			   .inflight = 32,
			   .blocking = 8,
			   .cpu = 2,
			   .capacity = 16,
			   .switch_ms = 5,
			   .fetch_ns = 10 * NSEC_PER_MSEC,
			   .blocking_ns = 5 * NSEC_PER_MSEC,
			   .n = 500000};
	struct summary sum[4] = {0};
	json_t *doc = NULL;
	int rc = 0, only, cpus;

	cli_prog = DEMO;
	only = parse_args(argc, argv, &o, &p);
	cpus = cpus_usable();
	/* The service holds a connection per fetch in flight and per thread. */
	if (delay_raise_nofile(2 * (p.inflight + p.blocking) + 64))
		return 1;
	if (threads_init(2 * (p.inflight + p.blocking) + MAX_CPU + 16))
		return 1;
	if (only < 0) {
		doc = result_new_set(DEMO);
		printf("%s: %d items; fetch %.3g ms with %d in flight, a blocking call of %.3g ms "
		       "on %d threads,\nbytecode of %lld iterations on %d workers; queues of %d; "
		       "%d usable CPUs\n\n",
		       DEMO, p.items, p.fetch_ns / 1e6, p.inflight, p.blocking_ns / 1e6, p.blocking,
		       p.n, p.cpu, p.capacity, cpus);
	}
	for (int v = 0; variants[v]; v++) {
		json_t *res;

		if (only >= 0 && v != only)
			continue;
		if (only < 0)
			fprintf(stderr, "%s: %s ...\n", DEMO, variants[v]);
		res = run_variant(&p, v, cpus, &sum[v]);
		if (!res) {
			fprintf(stderr, "%s: variant %s failed\n", cli_prog, variants[v]);
			return 1;
		}
		if (only >= 0) {
			print_table(sum);
			rc = result_finish(res, o.json);
		} else {
			result_add_run(doc, res);
		}
	}
	if (only < 0) {
		print_table(sum);
		printf("shape: %s\n",
		       print_expected(&p, sum)
			   ? "as expected (each variant at its slowest stage's pace; the bounds "
			     "hold)"
			   : "NOT as expected (a busy machine? see the figures above)");
		rc = result_finish(doc, o.json);
	}
	return rc;
}

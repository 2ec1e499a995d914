// SPDX-License-Identifier: GPL-2.0
/* 02_cpu_bound: threads do not speed up CPU-bound interpreted code under an
 * interpreter lock; processes (each with its own lock) and threads without
 * the lock do.
 *
 * Each task is the seed's loop `for i in range(n): s += (i*i) % 97`, run as
 * bytecode by a small stack VM (vm.h). The lock is modelled on CPython's
 * ceval_gil.c (gil.h). Tasks are handed out from a shared counter, like a
 * pool's queue; the counter and the results live in shared memory so forked
 * workers use them too. */
#include "cli.h"
#include "clock.h"
#include "cpus.h"
#include "convoy.h"
#include "cpu_bound.h"
#include "gil.h"
#include "pydemo.h"
#include "result.h"
#include "threads.h"
#include "vm.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEMO "02_cpu_bound"
/* (i*i) must fit in int64 for every i < n. */
#define MAX_N 3000000000LL

static const char *const variants[] = {"serial",	"threads-gil", "processes",
				       "threads-nogil", "convoy",      NULL};
#define NVARIANTS 5
#define CONVOY 4 /* not in the comparison table: it measures response times */
/* The same program in CPython (demos/python/02_cpu_bound.py). */
static const char *const py_variants[] = {"py-serial", "py-threads", "py-processes", "py-convoy",
					  NULL};

struct worker {
	struct run *run;
	int idx;
	pthread_t thread;
};

/* Take tasks from the shared counter until there are none; run each on the
 * VM, holding @gil (if any) the whole time except where the VM's eval
 * breaker makes us hand it over. */
static void work(struct run *run, struct thread_record *rec, struct gil *gil)
{
	struct gil_thread gt;
	struct vm_breaker br = {0};

	if (gil) {
		gil_thread_init(&gt, gil, rec);
		br.flag = &gil->drop_request;
		br.handler = gil_yield;
		br.ctx = &gt;
		gil_take(&gt);
	}
	for (;;) {
		unsigned int t = __atomic_fetch_add(&run->sh->next_task, 1, __ATOMIC_RELAXED);
		int64_t arg = run->p->n, r = 0;
		int st;

		if (t >= (unsigned int)run->p->tasks)
			break;
		st = vm_run(run->prog, &arg, 1, &r, gil ? &br : NULL);
		if (st) {
			fprintf(stderr, "vm_run(task %u): %s\n", t, vm_strerror(st));
			__atomic_store_n(&run->sh->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		run->sh->result[t] = r;
		rec->tasks++;
	}
	if (gil)
		gil_drop(&gt);
}

static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	struct thread_record *rec;
	char name[THREAD_NAME_LEN];

	snprintf(name, sizeof(name), "worker-%d", (w->idx + 1) % 10000);
	rec = thread_begin(name);
	work(w->run, rec, w->run->gil);
	thread_end(rec);
	return NULL;
}

/* A forked worker: its own process, its own (uncontended) lock. */
static void worker_process(struct run *run, int idx)
{
	struct proc_report *pr = &run->sh->proc[idx];
	struct thread_record *rec;
	struct gil gil;
	char name[THREAD_NAME_LEN];

	snprintf(name, sizeof(name), "worker-%d", (idx + 1) % 10000);
	rec = thread_begin(name);
	if (gil_init(&gil, (uint64_t)run->p->switch_ms * NSEC_PER_MSEC)) {
		__atomic_store_n(&run->sh->failed, 1, __ATOMIC_RELAXED);
		thread_end(rec);
		_exit(1);
	}
	work(run, rec, &gil);
	pr->pid = getpid();
	pr->gil_addr = (uintptr_t)&gil;
	pr->handoffs = gil.handoffs;
	pr->drop_requests = gil.drop_requests;
	pr->forced_switch_waits = gil.forced_switch_waits;
	pr->acquires = gil.acquires;
	gil_destroy(&gil);
	thread_end(rec);
	_exit(0);
}

static int run_threads(struct run *run)
{
	struct worker *w = calloc(run->p->workers, sizeof(*w));
	int i, rc, started = 0, err = 0;

	if (!w) {
		perror("calloc(workers)");
		return -1;
	}
	for (i = 0; i < run->p->workers; i++) {
		w[i].run = run;
		w[i].idx = i;
		rc = pthread_create(&w[i].thread, NULL, worker_thread, &w[i]);
		if (rc) {
			fprintf(stderr, "pthread_create(worker-%d): %s\n", i + 1, strerror(rc));
			err = -1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		rc = pthread_join(w[i].thread, NULL);
		if (rc) {
			fprintf(stderr, "pthread_join(worker-%d): %s\n", i + 1, strerror(rc));
			err = -1;
		}
	}
	free(w);
	return err;
}

static int run_processes(struct run *run)
{
	pid_t *pids = calloc(run->p->workers, sizeof(*pids));
	int i, started = 0, err = 0;

	if (!pids) {
		perror("calloc(pids)");
		return -1;
	}
	fflush(NULL);
	for (i = 0; i < run->p->workers; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork(worker)");
			err = -1;
			break;
		}
		if (pid == 0)
			worker_process(run, i);
		pids[i] = pid;
		started++;
	}
	for (i = 0; i < started; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0) {
			if (errno != EINTR) {
				perror("waitpid(worker)");
				err = -1;
				break;
			}
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "worker-%d (pid %d) failed (status 0x%x)\n", i + 1, pids[i],
				status);
			err = -1;
		}
	}
	free(pids);
	return err;
}

/* Run one variant; returns its result object, or NULL on failure. */
static json_t *run_variant(const struct params *p, const char *variant, double *wall_s,
			   int64_t *checksum)
{
	struct shared *sh;
	struct gil gil;
	struct params serial_p = *p;
	struct run run = {.p = p, .prog = vm_mod_sum_program()};
	struct thread_record *main_rec;
	json_t *res = NULL;
	uint64_t start, end;
	int err = 0;
	unsigned int bad_pc;
	int st = vm_validate(run.prog, &bad_pc);

	if (st) {
		fprintf(stderr, "vm_validate: %s at pc %u\n", vm_strerror(st), bad_pc);
		return NULL;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap(shared task state)");
		return NULL;
	}
	run.sh = sh;
	threads_reset();
	main_rec = thread_begin("main");
	if (!strcmp(variant, "threads-gil")) {
		if (gil_init(&gil, (uint64_t)p->switch_ms * NSEC_PER_MSEC))
			goto out;
		run.gil = &gil;
	}

	/* serial is one worker thread, so that every variant's work is done
	 * by threads named worker-N and main only waits. */
	if (!strcmp(variant, "serial")) {
		serial_p.workers = 1;
		run.p = &serial_p;
	}
	start = now_ns();
	if (!strcmp(variant, "processes"))
		err = run_processes(&run);
	else
		err = run_threads(&run);
	end = now_ns();
	thread_end(main_rec);
	if (err || sh->failed)
		goto out;

	*checksum = 0;
	for (int t = 0; t < p->tasks; t++)
		*checksum += sh->result[t];
	*wall_s = ns_to_s(end - start);
	res = result_new(DEMO, variant);
	cpu_bound_json(res, variant, &run, start, end, *checksum);
out:
	if (run.gil)
		gil_destroy(run.gil);
	munmap(sh, sizeof(*sh));
	return res;
}

/* The convoy variant (convoy.h): response times of an I/O thread sharing
 * the model's GIL, alone and with CPU-bound workers. */
static json_t *run_convoy(const struct params *p)
{
	struct thread_record *main_rec;
	struct gil gil;
	json_t *res = NULL, *convoy;
	uint64_t start, end;

	threads_reset();
	main_rec = thread_begin("main");
	if (gil_init(&gil, (uint64_t)p->switch_ms * NSEC_PER_MSEC)) {
		thread_end(main_rec);
		return NULL;
	}
	start = now_ns();
	convoy = convoy_run(&p->convoy, &gil, vm_mod_sum_program());
	end = now_ns();
	thread_end(main_rec);
	if (convoy) {
		res = result_new(DEMO, "convoy");
		convoy_result_json(res, p, &gil, convoy, start, end);
		printf(
		    "convoy: response p50 %.2f ms, p99 %.2f ms alone; p50 %.2f ms, p99 %.2f ms "
		    "with %d CPU-bound threads\n",
		    json_number_value(json_object_get(json_object_get(convoy, "alone"), "p50")) /
			1e6,
		    json_number_value(json_object_get(json_object_get(convoy, "alone"), "p99")) /
			1e6,
		    json_number_value(json_object_get(json_object_get(convoy, "with_cpu"), "p50")) /
			1e6,
		    json_number_value(json_object_get(json_object_get(convoy, "with_cpu"), "p99")) /
			1e6,
		    p->convoy.workers);
	}
	gil_destroy(&gil);
	return res;
}

/* The best wall time @variant can reach, from the serial time: a GIL allows
 * no speedup; otherwise tasks spread over min(workers, CPUs), in whole
 * tasks per worker. */
static double bound_s(const struct params *p, const char *variant, double serial_s, long cpus)
{
	double task_s = serial_s / p->tasks;
	double rounds;

	if (!strcmp(variant, "serial") || !strcmp(variant, "threads-gil"))
		return serial_s;
	rounds = ceil((double)p->tasks / p->workers);
	if ((double)p->tasks / cpus > rounds)
		rounds = (double)p->tasks / cpus;
	return task_s * rounds;
}

static void usage(void)
{
	printf("Usage: %s [--variant V] [--quick] [--tasks N] [--n N] [--workers N]\n"
	       "          [--switch-interval MS] [--json FILE] [--list-variants] [--help]\n"
	       "\n"
	       "Runs TASKS copies of the seed's CPU-bound loop\n"
	       "    for i in range(n): s += (i*i) %% 97\n"
	       "as bytecode on a small stack VM, and compares how fast they finish:\n"
	       "  serial         one thread runs every task\n"
	       "  threads-gil    worker threads sharing one interpreter lock (CPython's GIL)\n"
	       "  processes      forked worker processes, each with its own lock\n"
	       "  threads-nogil  worker threads, no shared lock\n"
	       "  convoy         an I/O thread answering a request every 10 ms, alone, then\n"
	       "                 sharing the lock with CPU-bound workers (Beazley's convoy)\n"
	       "  py-serial, py-threads, py-processes, py-convoy\n"
	       "                 the same in CPython (demos/python/02_cpu_bound.py, run by\n"
	       "                 %s, docs/cpython.md)\n"
	       "Without --variant every C variant runs in turn and a comparison is printed.\n"
	       "\n"
	       "Options:\n"
	       "  --variant V           run one variant\n"
	       "  --quick               small sizes (4 tasks, n = 10,000,000): a few seconds\n"
	       "  --tasks N             tasks to run (default 8)\n"
	       "  --n N                 loop iterations per task (default 30,000,000)\n"
	       "  --workers N           worker threads or processes (default max(2, CPUs/2))\n"
	       "  --switch-interval MS  the lock's switch interval in ms (default 5, as\n"
	       "                        sys.getswitchinterval())\n"
	       "  --period-ms MS        convoy: one request every MS ms (default 10)\n"
	       "  --requests N          convoy: requests per phase (default 200, --quick 50)\n"
	       "  --json FILE           write the result as JSON (docs/formats.md)\n"
	       "  --list-variants       print the variant names, one per line\n"
	       "  --help                this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s                          # every variant, seed-style table\n"
	       "  %s --variant threads-gil --json gil.json\n"
	       "  %s --quick --workers 4\n",
	       cli_prog, pydemo_python(), cli_prog, cli_prog, cli_prog);
}

static void parse_args(int argc, char **argv, struct demo_opts *o, struct params *p)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"tasks", required_argument, NULL, 't'},
	    {"n", required_argument, NULL, 'n'},
	    {"workers", required_argument, NULL, 'w'},
	    {"switch-interval", required_argument, NULL, 's'},
	    {"period-ms", required_argument, NULL, 'p'},
	    {"requests", required_argument, NULL, 'r'},
	    {0},
	};
	long cpus = cpus_usable();
	long long tasks = -1, n = -1, workers = -1, period_ms = 10, requests = -1;
	int c;

	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, o, usage))
			continue;
		switch (c) {
		case 't':
			tasks = cli_int("--tasks", optarg, 1, MAX_TASKS);
			break;
		case 'n':
			n = cli_int("--n", optarg, 0, MAX_N);
			break;
		case 'w':
			workers = cli_int("--workers", optarg, 1, MAX_WORKERS);
			break;
		case 'p':
			period_ms = cli_int("--period-ms", optarg, 1, 1000);
			break;
		case 'r':
			requests = cli_int("--requests", optarg, 1, 100000);
			break;
		case 's':
			p->switch_ms = cli_int("--switch-interval", optarg, 1, 10000);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	cli_variant(o, variants);
	p->quick = o->quick;
	p->tasks = tasks >= 0 ? tasks : o->quick ? 4 : 8;
	p->n = n >= 0 ? n : o->quick ? 10000000 : 30000000;
	p->workers = workers >= 0 ? workers : (cpus / 2 > 2 ? cpus / 2 : 2);
	p->convoy.period_ns = (uint64_t)period_ms * NSEC_PER_MSEC;
	p->convoy.requests = requests >= 0 ? requests : o->quick ? 50 : 200;
	p->convoy.workers = p->workers;
}

/* The line for one variant run alone (--variant). */
static void print_one(const char *variant, const struct params *p, double wall, int64_t sum,
		      const json_t *res)
{
	const json_t *g = json_object_get(res, "gil");

	printf("%s: %d tasks in %.3f s, checksum %" PRId64, variant, p->tasks, wall, sum);
	if (g)
		printf(", GIL handoffs %lld, drop requests %lld, forced switch waits %lld",
		       json_integer_value(json_object_get(g, "handoffs")),
		       json_integer_value(json_object_get(g, "drop_requests")),
		       json_integer_value(json_object_get(g, "forced_switch_waits")));
	printf("\n");
}

/* Every variant against its bound, and whether the run has the lesson's
 * shape. Returns whether the checksums agree. */
static bool print_comparison(const struct params *p, long cpus, const double *wall,
			     const int64_t *sum)
{
	double serial = wall[0];
	bool agree = sum[0] == sum[1] && sum[0] == sum[2] && sum[0] == sum[3];
	bool shape = true;

	printf("\none task takes %.3f s here (serial wall / tasks)\n\n", serial / p->tasks);
	printf("%-14s %9s %9s %12s %12s %9s\n", "variant", "wall", "speedup", "bound wall",
	       "bound speedup", "of bound");
	for (int v = 0; v < 4; v++) {
		double b = bound_s(p, variants[v], serial, cpus);
		double got = serial / wall[v], best = serial / b;

		printf("%-14s %8.3fs %8.2fx %11.3fs %12.2fx %8.0f%%\n", variants[v], wall[v], got,
		       b, best, 100.0 * got / best);
	}
	/* The shape the demo must show; the margins are the spec's. */
	if (wall[1] < 0.9 * serial)
		shape = false;
	for (int v = 2; v < 4; v++)
		if (serial / wall[v] < 0.85 * serial / bound_s(p, variants[v], serial, cpus))
			shape = false;
	printf("\nchecksums %s: %" PRId64 "\n", agree ? "agree" : "DIFFER", sum[0]);
	printf("Results: Threads %.3fs vs Processes %.3fs (serial %.3fs, threads without "
	       "the lock %.3fs)\n",
	       wall[1], wall[2], serial, wall[3]);
	printf("shape: %s\n", shape ? "as expected (the GIL gives no speedup; processes and no-GIL "
				      "threads scale)"
				    : "NOT as expected (a busy machine? see the bounds above)");
	return agree;
}

int main(int argc, char **argv)
{
	long cpus = cpus_usable();
	struct demo_opts o = {0};
	struct params p = {.switch_ms = 5};
	double wall[NVARIANTS] = {0};
	int64_t sum[NVARIANTS] = {0};
	json_t *doc = NULL;
	int rc = 0;

	cli_prog = "02_cpu_bound";
	pydemo_exec_if_asked(argc, argv, DEMO, py_variants);
	parse_args(argc, argv, &o, &p);
	if (threads_init(p.workers + 8))
		return 1;
	if (!o.variant) {
		doc = result_new_set(DEMO);
		printf("%s: %d tasks of `for i in range(%lld): s += (i*i) %% 97` as VM bytecode\n"
		       "%ld CPUs, %d workers, switch interval %d ms\n\n",
		       DEMO, p.tasks, p.n, cpus, p.workers, p.switch_ms);
	}
	for (int v = 0; variants[v]; v++) {
		json_t *res;

		if (o.variant && strcmp(o.variant, variants[v]))
			continue;
		res =
		    v == CONVOY ? run_convoy(&p) : run_variant(&p, variants[v], &wall[v], &sum[v]);
		if (!res) {
			if (v != CONVOY)
				fprintf(stderr, "%s: variant %s failed\n", cli_prog, variants[v]);
			return 1;
		}
		if (o.variant) {
			if (v != CONVOY)
				print_one(variants[v], &p, wall[v], sum[v], res);
			rc = result_finish(res, o.json);
		} else {
			if (v != CONVOY) {
				printf("  %-14s %8.3f s\n", variants[v], wall[v]);
				fflush(stdout);
			}
			result_add_run(doc, res);
		}
	}
	if (!o.variant) {
		bool agree = print_comparison(&p, cpus, wall, sum);

		rc = result_finish(doc, o.json);
		if (!agree)
			rc = 1;
	}
	return rc;
}

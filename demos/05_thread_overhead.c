// SPDX-License-Identifier: GPL-2.0
/* 05_thread_overhead: more threads give diminishing returns.
 *
 * 200 tasks, each a blocking wait of 0.05 s (a request to the loopback delay
 * service), on pools of 1, 2, 4 ... 64 threads. While the tasks only wait,
 * the wall time follows ceil(tasks/N) x wait and the speedup grows with N;
 * what is left over is the cost of the threads themselves (creation,
 * connections, wakeups, run-queue waits). --cpu-us gives each task a CPU
 * part: once the CPUs are busy, more threads only queue for them and the
 * speedup flattens at the number of CPUs. */
#include "cli.h"
#include "pydemo.h"
#include "clock.h"
#include "cpus.h"
#include "io_work.h"
#include "result.h"
#include "stats.h"
#include "table.h"
#include "threads.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO "05_thread_overhead"
#define MAX_WORKERS 1024
#define MAX_RUNS 64

static const unsigned int default_workers[] = {1, 2, 4, 8, 16, 32, 64};
/* The same program in CPython (demos/python/05_thread_overhead.py). */
static const char *const py_variants[] = {"py-threads-*", NULL};
static const unsigned int quick_workers[] = {1, 2, 4, 8, 16};

struct params {
	unsigned int tasks;
	uint64_t wait_ns;
	uint64_t cpu_ns;
	enum io_kind io;
	bool quick;
	unsigned int workers[MAX_RUNS];
	unsigned int nruns;
};

static void usage(void)
{
	printf("Usage: %s [--variant threads-N] [--quick] [--workers N,N,...] [--tasks N]\n"
	       "          [--wait S] [--cpu-us N] [--io socket|sleep] [--json FILE]\n"
	       "          [--list-variants] [--help]\n"
	       "\n"
	       "More threads give diminishing returns: the same I/O-bound tasks on thread\n"
	       "pools of growing size. The limit for N threads is ceil(tasks/N) x (wait + cpu),\n"
	       "and never less than tasks x cpu / min(N, CPUs).\n"
	       "\n"
	       "Options:\n"
	       "  --variant threads-N  run one pool size N (1..%d)\n"
	       "                       (default: every size in --workers, then a table)\n"
	       "  --workers LIST       pool sizes, comma-separated (default 1,2,4,8,16,32,64;\n"
	       "                       --quick: 1,2,4,8,16), each 1..%d\n"
	       "  --quick              small sizes: 64 tasks x 0.02 s, workers 1..16\n"
	       "  --tasks N            number of tasks (default 200, 1..100000)\n"
	       "  --wait S             seconds each task waits (default 0.05, 0..60)\n"
	       "  --cpu-us N           microseconds of CPU each task burns before its wait\n"
	       "                       (thread CPU time; default 0, up to 1000000)\n"
	       "  --io KIND            socket: a request to a loopback delay service in its\n"
	       "                       own process (default); sleep: nanosleep\n"
	       "  --json FILE          write the result as JSON (docs/formats.md)\n"
	       "  --list-variants      print the variant names for the worker list\n"
	       "  --help               this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s                              # seed sizes, about 20 s\n"
	       "  %s --workers 1,8,64,256,1024 --quick\n"
	       "  %s --cpu-us 5000               # a CPU share: the speedup flattens\n"
	       "  %s --variant threads-32 --json out.json\n",
	       cli_prog, MAX_WORKERS, MAX_WORKERS, cli_prog, cli_prog, cli_prog, cli_prog);
}

/* "threads-N" -> N, or exit 2. */
static unsigned int parse_variant(const char *v)
{
	const char *prefix = "threads-";
	char *end;
	long n;

	if (strncmp(v, prefix, strlen(prefix)))
		cli_die("unknown variant '%s'; the variants are threads-N, N from 1 to %d", v,
			MAX_WORKERS);
	v += strlen(prefix);
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > MAX_WORKERS)
		cli_die("unknown variant 'threads-%s'; N must be a whole number from 1 to %d", v,
			MAX_WORKERS);
	return (unsigned int)n;
}

static void parse_workers(const char *arg, struct params *p)
{
	char *copy = strdup(arg), *save = NULL, *tok;

	if (!copy)
		abort();
	p->nruns = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (p->nruns == MAX_RUNS)
			cli_die("--workers: at most %d pool sizes", MAX_RUNS);
		p->workers[p->nruns++] = (unsigned int)cli_int("--workers", tok, 1, MAX_WORKERS);
	}
	free(copy);
	if (p->nruns == 0)
		cli_die("--workers: give at least one pool size, e.g. 1,2,4");
}

static uint64_t limit_ns(const struct params *p, unsigned int n)
{
	long cpus = cpus_usable();
	unsigned int rounds = (p->tasks + n - 1) / n;
	uint64_t overlap = rounds * (p->wait_ns + p->cpu_ns);
	unsigned int busy = n < cpus ? n : (unsigned int)cpus;
	uint64_t cpu_bound = (uint64_t)p->tasks * p->cpu_ns / busy;

	return overlap > cpu_bound ? overlap : cpu_bound;
}

static json_t *run_variant(const struct params *p, unsigned int n, uint64_t *wall)
{
	char name[32];
	struct io_work w = {.io = p->io, .wait_ns = p->wait_ns, .cpu_ns = p->cpu_ns};
	json_t *res;
	uint64_t limit = limit_ns(p, n);

	snprintf(name, sizeof(name), "threads-%u", n);
	res = result_new(DEMO, name);
	io_work_params_json(result_params(res), &w, p->tasks, n, true, p->quick);
	if (io_work_run(&w, n, p->tasks, res, wall)) {
		fprintf(stderr, "%s: variant %s failed\n", cli_prog, name);
		exit(1);
	}
	result_set_limit(res, limit, *wall);
	printf("%s %s: %u tasks x (%.3f s %s + %llu us CPU) in %.3f s (limit %.3f s, %+.1f%%)\n",
	       DEMO, name, p->tasks, ns_to_s(p->wait_ns), io_kind_name(p->io),
	       (unsigned long long)(p->cpu_ns / NSEC_PER_USEC), ns_to_s(*wall), ns_to_s(limit),
	       pct_above(*wall, limit));
	fflush(stdout);
	return res;
}

static void print_comparison(const struct params *p, const uint64_t *wall)
{
	static const char *const head[] = {"workers",	 "time",  "speedup",
					   "efficiency", "limit", "from limit"};
	long cpus = cpus_usable();
	struct table *t = table_new(6, head);
	unsigned int base = 0, best = 0, knee = 0;

	/* Speedup is measured against one thread when it ran, else against
	 * the smallest pool, scaled by its size. */
	for (unsigned int i = 1; i < p->nruns; i++)
		if (p->workers[i] < p->workers[base])
			base = i;
	printf("\n%s: %u tasks x (%.3f s %s wait + %llu us CPU), %ld CPUs; speedup vs %u "
	       "thread%s\n",
	       DEMO, p->tasks, ns_to_s(p->wait_ns), io_kind_name(p->io),
	       (unsigned long long)(p->cpu_ns / NSEC_PER_USEC), cpus, p->workers[base],
	       p->workers[base] == 1 ? "" : "s");
	for (unsigned int i = 0; i < p->nruns; i++) {
		unsigned int n = p->workers[i];
		uint64_t limit = limit_ns(p, n);
		double speedup = wall[i] ? (double)wall[base] / (double)wall[i] : 0.0;
		double eff = speedup / ((double)n / p->workers[base]);

		if (speedup > (double)wall[base] / (double)wall[best])
			best = i;
		if (!knee && eff < 0.8)
			knee = n;
		table_row(t);
		table_cell(t, "%u", n);
		table_cell(t, "%.3f s", ns_to_s(wall[i]));
		table_cell(t, "%.2fx", speedup);
		table_cell(t, "%.0f%%", 100.0 * eff);
		table_cell(t, "%.3f s", ns_to_s(limit));
		table_cell(t, "%+.1f%%", pct_above(wall[i], limit));
	}
	table_print(t, stdout, "  ");
	table_free(t);
	if (p->workers[best] == p->workers[p->nruns - 1] && p->nruns > 1)
		printf("Speedup continues up to %u threads here (%.1fx)", p->workers[best],
		       (double)wall[base] / (double)wall[best]);
	else
		printf("Speedup peaks at %u threads (%.1fx), then flattens or drops",
		       p->workers[best], (double)wall[base] / (double)wall[best]);
	if (knee)
		printf("; efficiency falls below 80%% from %u threads\n", knee);
	else
		printf("; efficiency stays at 80%% or more\n");
	printf("Physical limit ceil(%u/N) x %.3f s", p->tasks, ns_to_s(p->wait_ns + p->cpu_ns));
	if (p->cpu_ns)
		printf(", at least %u x %llu us CPU / min(N, %ld CPUs)", p->tasks,
		       (unsigned long long)(p->cpu_ns / NSEC_PER_USEC), cpus);
	printf(":");
	for (unsigned int i = 0; i < p->nruns; i++)
		printf("%s %u: %+.1f%%", i ? "," : "", p->workers[i],
		       pct_above(wall[i], limit_ns(p, p->workers[i])));
	printf("\n");
}

static void parse_args(int argc, char **argv, struct demo_opts *o, struct params *p)
{
	enum { OPT_TASKS = 256, OPT_WAIT, OPT_IO, OPT_WORKERS, OPT_CPU };
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"workers", required_argument, NULL, OPT_WORKERS},
	    {"tasks", required_argument, NULL, OPT_TASKS},
	    {"wait", required_argument, NULL, OPT_WAIT},
	    {"cpu-us", required_argument, NULL, OPT_CPU},
	    {"io", required_argument, NULL, OPT_IO},
	    {NULL, 0, NULL, 0},
	};
	long long tasks = -1, wait = -1, cpu_us = 0;
	const char *workers = NULL;
	int c;

	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, o, usage))
			continue;
		switch (c) {
		case OPT_WORKERS:
			workers = optarg;
			break;
		case OPT_TASKS:
			tasks = cli_int("--tasks", optarg, 1, 100000);
			break;
		case OPT_WAIT:
			wait = (long long)cli_seconds("--wait", optarg, 0, 60);
			break;
		case OPT_CPU:
			cpu_us = cli_int("--cpu-us", optarg, 0, 1000000);
			break;
		case OPT_IO:
			p->io = io_kind_parse("--io", optarg);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	p->quick = o->quick;
	p->tasks = tasks >= 0 ? (unsigned int)tasks : o->quick ? 64 : 200;
	p->wait_ns = wait >= 0	? (uint64_t)wait
		     : o->quick ? 20 * NSEC_PER_MSEC
				: 50 * NSEC_PER_MSEC;
	p->cpu_ns = (uint64_t)cpu_us * NSEC_PER_USEC;
	if (workers) {
		parse_workers(workers, p);
	} else {
		const unsigned int *def = o->quick ? quick_workers : default_workers;
		unsigned int n = o->quick ? sizeof(quick_workers) / sizeof(quick_workers[0])
					  : sizeof(default_workers) / sizeof(default_workers[0]);

		memcpy(p->workers, def, n * sizeof(*def));
		p->nruns = n;
	}
	if (o->variant) {
		p->workers[0] = parse_variant(o->variant);
		p->nruns = 1;
	}
}

/* The largest pool; refuses runs that would take hours. */
static unsigned int check_sizes(const struct params *p)
{
	unsigned int maxw = 0;

	for (unsigned int i = 0; i < p->nruns; i++) {
		if (p->workers[i] > maxw)
			maxw = p->workers[i];
		if (ns_to_s(limit_ns(p, p->workers[i])) > 3600)
			cli_die("--tasks %u x (--wait + --cpu-us) would take over an hour on %u "
				"thread%s",
				p->tasks, p->workers[i], p->workers[i] == 1 ? "" : "s");
	}
	return maxw;
}

int main(int argc, char **argv)
{
	struct demo_opts o = {0};
	struct params p = {.io = IO_SOCKET};
	unsigned int maxw;
	uint64_t *wall;
	json_t *res;

	cli_prog = argv[0];
	pydemo_exec_if_asked(argc, argv, DEMO, py_variants);
	parse_args(argc, argv, &o, &p);
	if (o.list) {
		for (unsigned int i = 0; i < p.nruns; i++)
			printf("threads-%u\n", p.workers[i]);
		for (unsigned int i = 0; i < p.nruns; i++)
			printf("py-threads-%u\n", p.workers[i]);
		return 0;
	}
	maxw = check_sizes(&p);
	if (o.json)
		cli_check_writable(o.json);
	/* The workers, main, and the server's acceptor and connection threads. */
	if (threads_init(2 * maxw + 8))
		return 1;
	if (p.io == IO_SOCKET && delay_raise_nofile(2 * maxw + 64))
		return 1;
	wall = calloc(p.nruns, sizeof(*wall));
	if (!wall)
		abort();
	if (o.variant) {
		res = run_variant(&p, p.workers[0], &wall[0]);
	} else {
		res = result_new_set(DEMO);
		for (unsigned int i = 0; i < p.nruns; i++)
			result_add_run(res, run_variant(&p, p.workers[i], &wall[i]));
		print_comparison(&p, wall);
	}
	free(wall);
	return result_finish(res, o.json);
}

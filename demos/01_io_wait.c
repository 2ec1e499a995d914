// SPDX-License-Identifier: GPL-2.0
/* 01_io_wait: threads help when tasks wait on I/O.
 *
 * 50 tasks, each a blocking wait of 0.2 s, run serially and on pools of 5
 * and 20 threads. A thread blocked in recv() holds no CPU, so N threads
 * overlap N waits: the wall time falls to ceil(tasks/N) x wait, the physical
 * limit, whatever the number of CPUs. */
#include "cli.h"
#include "pydemo.h"
#include "clock.h"
#include "cpus.h"
#include "io_work.h"
#include "result.h"
#include "stats.h"
#include "table.h"
#include "threads.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO "01_io_wait"

static const char *const variants[] = {"serial", "threads-5", "threads-20", NULL};
/* The same program in CPython (demos/python/01_io_wait.py). */
static const char *const py_variants[] = {"py-serial", "py-threads-5", "py-threads-20", NULL};
static const unsigned int variant_workers[] = {0, 5, 20};
#define NVARIANTS 3

struct params {
	unsigned int tasks;
	uint64_t wait_ns;
	enum io_kind io;
	bool quick;
};

static void usage(void)
{
	printf("Usage: %s [--variant V] [--quick] [--tasks N] [--wait S] [--io socket|sleep]\n"
	       "          [--json FILE] [--list-variants] [--help]\n"
	       "\n"
	       "Threads help I/O wait: N tasks, each a blocking wait, run serially and on\n"
	       "thread pools. The physical limit is ceil(tasks/threads) x wait.\n"
	       "\n"
	       "Options:\n"
	       "  --variant V      run one variant: serial, threads-5, threads-20\n"
	       "                   (default: all of them, then a comparison table)\n"
	       "  --quick          small sizes: 10 tasks x 0.05 s\n"
	       "  --tasks N        number of tasks (default 50, 1..100000)\n"
	       "  --wait S         seconds each task waits (default 0.2, 0..60)\n"
	       "  --io KIND        socket: a request to a loopback delay service in its own\n"
	       "                   process, answered after the wait (default);\n"
	       "                   sleep: nanosleep for the wait\n"
	       "  --json FILE      write the result as JSON (docs/formats.md)\n"
	       "  --list-variants  print the variant names, one per line\n"
	       "  --help           this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s                          # all variants, seed sizes (about 13 s)\n"
	       "  %s --variant threads-20 --json out.json\n"
	       "  %s --quick --io sleep\n",
	       cli_prog, cli_prog, cli_prog, cli_prog);
}

static uint64_t limit_ns(const struct params *p, unsigned int workers)
{
	unsigned int rounds = workers ? (p->tasks + workers - 1) / workers : p->tasks;

	return rounds * p->wait_ns;
}

static json_t *run_variant(const struct params *p, int v, uint64_t *wall)
{
	unsigned int workers = variant_workers[v];
	struct io_work w = {.io = p->io, .wait_ns = p->wait_ns};
	json_t *res = result_new(DEMO, variants[v]);
	uint64_t limit = limit_ns(p, workers);

	io_work_params_json(result_params(res), &w, p->tasks, workers, false, p->quick);
	if (io_work_run(&w, workers, p->tasks, res, wall)) {
		fprintf(stderr, "%s: variant %s failed\n", cli_prog, variants[v]);
		exit(1);
	}
	result_set_limit(res, limit, *wall);
	char on[32];

	if (workers)
		snprintf(on, sizeof(on), "%u threads", workers);
	else
		snprintf(on, sizeof(on), "the main thread");
	printf("%s %s: %u tasks x %.3f s (%s) on %s in %.3f s (limit %.3f s, %+.1f%%)\n", DEMO,
	       variants[v], p->tasks, ns_to_s(p->wait_ns), io_kind_name(p->io), on, ns_to_s(*wall),
	       ns_to_s(limit), pct_above(*wall, limit));
	fflush(stdout);
	return res;
}

static void print_comparison(const struct params *p, const uint64_t *wall)
{
	static const char *const head[] = {"variant", "threads",    "wall",
					   "limit",   "from limit", "speedup"};
	struct table *t = table_new(6, head);

	printf("\n%s: %u tasks x %.3f s blocking wait (%s), %d CPUs\n", DEMO, p->tasks,
	       ns_to_s(p->wait_ns), io_kind_name(p->io), cpus_usable());
	for (int v = 0; v < NVARIANTS; v++) {
		uint64_t limit = limit_ns(p, variant_workers[v]);

		table_row(t);
		table_cell(t, "%s", variants[v]);
		table_cell(t, "%u", variant_workers[v] ? variant_workers[v] : 1);
		table_cell(t, "%.3f s", ns_to_s(wall[v]));
		table_cell(t, "%.3f s", ns_to_s(limit));
		table_cell(t, "%+.1f%%", pct_above(wall[v], limit));
		table_cell(t, "%.1fx", wall[v] ? (double)wall[0] / (double)wall[v] : 0.0);
	}
	table_print(t, stdout, "  ");
	table_free(t);
	printf("Serial %.3fs vs Threads(%u) %.3fs: %.1fx faster\n", ns_to_s(wall[0]),
	       variant_workers[NVARIANTS - 1], ns_to_s(wall[NVARIANTS - 1]),
	       wall[NVARIANTS - 1] ? (double)wall[0] / (double)wall[NVARIANTS - 1] : 0.0);
	printf("Physical limit ceil(tasks/threads) x wait:");
	for (int v = 0; v < NVARIANTS; v++) {
		uint64_t limit = limit_ns(p, variant_workers[v]);

		printf("%s %s %.3f s (measured %+.1f%%)", v ? "," : "", variants[v], ns_to_s(limit),
		       pct_above(wall[v], limit));
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	enum { OPT_TASKS = 256, OPT_WAIT, OPT_IO };
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"tasks", required_argument, NULL, OPT_TASKS},
	    {"wait", required_argument, NULL, OPT_WAIT},
	    {"io", required_argument, NULL, OPT_IO},
	    {NULL, 0, NULL, 0},
	};
	struct demo_opts o = {0};
	struct params p = {.io = IO_SOCKET};
	long long tasks = -1;
	long long wait = -1;
	uint64_t wall[NVARIANTS] = {0};
	int c, only;

	cli_prog = argv[0];
	pydemo_exec_if_asked(argc, argv, DEMO, py_variants);
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, &o, usage))
			continue;
		switch (c) {
		case OPT_TASKS:
			tasks = cli_int("--tasks", optarg, 1, 100000);
			break;
		case OPT_WAIT:
			wait = (long long)cli_seconds("--wait", optarg, 0, 60);
			break;
		case OPT_IO:
			p.io = io_kind_parse("--io", optarg);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	only = cli_variant(&o, variants);
	p.quick = o.quick;
	p.tasks = tasks >= 0 ? (unsigned int)tasks : o.quick ? 10 : 50;
	p.wait_ns = wait >= 0 ? (uint64_t)wait : o.quick ? 50 * NSEC_PER_MSEC : 200 * NSEC_PER_MSEC;
	/* The serial variant waits tasks x wait: refuse runs that would take hours. */
	if ((double)p.tasks * ns_to_s(p.wait_ns) > 3600)
		cli_die("--tasks %u x --wait %.3f s would take over an hour serially", p.tasks,
			ns_to_s(p.wait_ns));
	/* Every worker, main, and the server's acceptor and connection threads. */
	if (threads_init(2 * 20 + 8))
		return 1;
	if (p.io == IO_SOCKET && delay_raise_nofile(2 * 20 + 64))
		return 1;

	if (only >= 0)
		return result_finish(run_variant(&p, only, &wall[only]), o.json);

	json_t *all = result_new_set(DEMO);

	for (int v = 0; v < NVARIANTS; v++)
		result_add_run(all, run_variant(&p, v, &wall[v]));
	print_comparison(&p, wall);
	return result_finish(all, o.json);
}

// SPDX-License-Identifier: GPL-2.0
/* 07_costs: what concurrency costs. The seed chapter's "costs you must
 * internalize", each measured (demos/common/costs.h):
 *   switch   a context switch between two threads vs two processes, over a
 *            pipe and a futex, on one CPU and across two
 *   startup  pthread_create + join vs fork + wait vs posix_spawn of /bin/true
 *   ipc      moving 64 MiB from one process to another through a pipe vs
 *            shared memory, with and without an encode/decode step
 *   cow      fork of a process holding 256 MiB, the child reading all of it vs
 *            writing all of it: copy-on-write page faults, time and memory
 * One variant per cost; without --variant all four run and are summed up. */
#include "cli.h"
#include "clock.h"
#include "costs.h"
#include "result.h"
#include "threads.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DEMO "07_costs"

static const char *const variants[] = {COSTS_SWITCH, COSTS_STARTUP, COSTS_IPC, COSTS_COW, NULL};

static int (*const run_family[])(const struct costs_params *,
				 json_t *) = {costs_switch, costs_startup, costs_ipc, costs_cow};

static const char *const headings[] = {
    "a context switch: ping-pong between two threads or two processes",
    "start-up: start one, wait for its end",
    "moving data from one process to another",
    "memory duplication: fork of a process holding a large buffer",
};

static void usage(void)
{
	printf("Usage: %s [--variant V] [--quick] [--round-trips N] [--starts N]\n"
	       "          [--ipc-mib N] [--chunk-kib N] [--cow-mib N] [--spawn PROG]\n"
	       "          [--json FILE] [--list-variants] [--help]\n"
	       "\n"
	       "What concurrency costs, measured:\n"
	       "  switch   a context switch: two threads vs two processes handing a token\n"
	       "           back and forth over a pipe and over a futex, both on one CPU and\n"
	       "           on two CPUs (sched_setaffinity): us per round trip and per switch\n"
	       "  startup  pthread_create + join vs fork + wait vs posix_spawn of a small\n"
	       "           program: us each\n"
	       "  ipc      moving IPC-MIB from one process to another through a pipe vs\n"
	       "           shared memory, with and without an encode/decode step: MiB/s and\n"
	       "           CPU time per MiB\n"
	       "  cow      fork of a process holding COW-MIB, the child reading all of it vs\n"
	       "           writing all of it: copy-on-write page faults, time and RSS\n"
	       "Without --variant all four run, then a summary.\n"
	       "\n"
	       "Options:\n"
	       "  --variant V        run one cost family\n"
	       "  --quick            small sizes: 2000 round trips, 100 starts, 8 MiB, 32 MiB\n"
	       "  --round-trips N    round trips per ping-pong (default 20000, 10..10000000)\n"
	       "  --starts N         starts per start-up mechanism (default 1000, 1..100000)\n"
	       "  --ipc-mib N        MiB moved per IPC mechanism (default 64, 1..4096)\n"
	       "  --chunk-kib N      KiB per write / shared-memory slot (default 64, 4..4096)\n"
	       "  --cow-mib N        MiB the forking process holds (default 256, 1..16384)\n"
	       "  --spawn PROG       the program posix_spawn runs (default /bin/true)\n"
	       "  --json FILE        write the result as JSON (docs/formats.md)\n"
	       "  --list-variants    print the variant names, one per line\n"
	       "  --help             this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s --quick                   # all four costs, small sizes\n"
	       "  %s --variant cow --cow-mib 1024 --json cow.json\n",
	       cli_prog, cli_prog, cli_prog);
}

/* A number of the entry @name of @costs by a dotted path, or -1. */
static double num(const json_t *costs, const char *name, const char *path)
{
	return cost_num(cost_named(costs, name), path, -1);
}

/* The variant's result in one line (demo.json "key_result", the report's
 * headline, the Results line), and whether it has the shape it must have. */
static bool key_result(int v, const json_t *costs, char *buf, size_t len)
{
	char th[64], pr[64];
	bool shape = true;

	switch (v) {
	case 0: /* On one CPU a round trip needs two switches: a to b, b to a. */
		for (int futex = 0; futex < 2; futex++)
			for (int proc = 0; proc < 2; proc++) {
				cost_switch_entry(th, sizeof(th), proc,
						  futex ? CE_CHAN_FUTEX : CE_CHAN_PIPE, false);
				shape = shape && num(costs, th, COST_SWITCHES_PER_RT) >= 1.98;
			}
		cost_switch_entry(th, sizeof(th), false, CE_CHAN_PIPE, false);
		cost_switch_entry(pr, sizeof(pr), true, CE_CHAN_PIPE, false);
		snprintf(
		    buf, len, "threads %.1f us vs processes %.1f us per switch (pipe, one CPU)",
		    num(costs, th, COST_SWITCH_NS) / 1e3, num(costs, pr, COST_SWITCH_NS) / 1e3);
		return shape;
	case 1:
		snprintf(
		    buf, len,
		    "thread %.0f us vs fork %.0f us vs spawn %.0f us to start and end (medians)",
		    num(costs, CE_THREAD, COST_MEDIAN_NS) / 1e3,
		    num(costs, CE_FORK, COST_MEDIAN_NS) / 1e3,
		    num(costs, CE_SPAWN, COST_MEDIAN_NS) / 1e3);
		return num(costs, CE_THREAD, COST_MEDIAN_NS) < num(costs, CE_FORK, COST_MEDIAN_NS);
	case 2:
		snprintf(buf, len,
			 "pipe %.2f ms vs shared memory %.2f ms vs pipe + encode %.2f ms of CPU "
			 "per MiB moved",
			 num(costs, CE_PIPE, COST_CPU_NS_PER_MIB) / 1e6,
			 num(costs, CE_SHM, COST_CPU_NS_PER_MIB) / 1e6,
			 num(costs, CE_PIPE_ENCODE, COST_CPU_NS_PER_MIB) / 1e6);
		for (size_t i = 0; i < json_array_size(costs); i++)
			shape = shape && json_is_true(json_object_get(json_array_get(costs, i),
								      COST_INTACT));
		return shape;
	default:
		snprintf(buf, len, "write %.0f vs read %.0f page faults after fork, of %.0f pages",
			 num(costs, CE_WRITE, COST_MINFLT), num(costs, CE_READ, COST_MINFLT),
			 num(costs, CE_WRITE, COST_PAGES));
		return num(costs, CE_WRITE, COST_MINFLT) >= num(costs, CE_WRITE, COST_PAGES) &&
		       num(costs, CE_READ, COST_MINFLT) < num(costs, CE_READ, COST_PAGES) / 100;
	}
}

static const char *const shapes[] = {
    "one CPU, two switches per round trip",
    "a thread starts faster than a process",
    "every byte arrived",
    "writing after fork copies every page, reading none",
};

static json_t *run_variant(const struct costs_params *p, int v)
{
	json_t *res = result_new(DEMO, variants[v]), *costs = json_array();
	struct thread_record *main_rec;
	uint64_t start;
	int err;

	if (!costs)
		abort();
	costs_params_json(result_params(res), p);
	threads_reset();
	printf("%s %s: %s\n", DEMO, variants[v], headings[v]);
	fflush(stdout);
	main_rec = thread_begin("main");
	start = now_ns();
	err = run_family[v](p, costs);
	result_set_wall(res, start, now_ns());
	thread_end(main_rec);
	json_set_new(res, COSTS_KEY, costs);
	result_add_threads(res);
	if (!err) {
		char key[256];
		bool shape = key_result(v, costs, key, sizeof(key));

		json_set_str(res, "key_result", key);
		printf("  %s\n  shape: %s: %s\n", key, shapes[v], shape ? "yes" : "NO");
	}
	if (err) {
		fprintf(stderr, "%s: variant %s failed\n", cli_prog, variants[v]);
		json_decref(res);
		return NULL;
	}
	return res;
}

/* The options into @p; returns the variant asked for, or -1 for all. */
static int parse_args(int argc, char **argv, struct demo_opts *o, struct costs_params *p)
{
	enum { OPT_RT = 256, OPT_STARTS, OPT_IPC, OPT_CHUNK, OPT_COW, OPT_SPAWN };
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"round-trips", required_argument, NULL, OPT_RT},
	    {"starts", required_argument, NULL, OPT_STARTS},
	    {"ipc-mib", required_argument, NULL, OPT_IPC},
	    {"chunk-kib", required_argument, NULL, OPT_CHUNK},
	    {"cow-mib", required_argument, NULL, OPT_COW},
	    {"spawn", required_argument, NULL, OPT_SPAWN},
	    {NULL, 0, NULL, 0},
	};
	long long rt = -1, starts = -1, ipc = -1, chunk = 64, cow = -1;
	int only, c;

	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, o, usage))
			continue;
		switch (c) {
		case OPT_RT:
			rt = cli_int("--round-trips", optarg, 10, 10000000);
			break;
		case OPT_STARTS:
			starts = cli_int("--starts", optarg, 1, 100000);
			break;
		case OPT_IPC:
			ipc = cli_int("--ipc-mib", optarg, 1, 4096);
			break;
		case OPT_CHUNK:
			chunk = cli_int("--chunk-kib", optarg, 4, 4096);
			break;
		case OPT_COW:
			cow = cli_int("--cow-mib", optarg, 1, 16384);
			break;
		case OPT_SPAWN:
			p->spawn_prog = optarg;
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	only = cli_variant(o, variants);
	if (p->spawn_prog[0] != '/' || access(p->spawn_prog, X_OK))
		cli_die("--spawn: '%s' is not an executable given by its absolute path",
			p->spawn_prog);
	p->quick = o->quick;
	p->round_trips = (uint64_t)(rt >= 0 ? rt : o->quick ? 2000 : 20000);
	p->starts = (unsigned int)(starts >= 0 ? starts : o->quick ? 100 : 1000);
	p->ipc_bytes = (uint64_t)(ipc >= 0 ? ipc : o->quick ? 8 : 64) * MIB;
	p->chunk = (uint64_t)chunk * 1024;
	p->cow_bytes = (uint64_t)(cow >= 0 ? cow : o->quick ? 32 : 256) * MIB;
	return only;
}

int main(int argc, char **argv)
{
	struct demo_opts o = {0};
	struct costs_params p = {.spawn_prog = "/bin/true"};
	json_t *set = NULL, *runs;
	int only;

	cli_prog = DEMO;
	only = parse_args(argc, argv, &o, &p);
	/* main, and two threads or processes per mechanism at most. */
	if (threads_init(64))
		return 1;
	if (only >= 0) {
		json_t *res = run_variant(&p, only);

		return res ? result_finish(res, o.json) : 1;
	}
	set = result_new_set(DEMO);
	for (int v = 0; variants[v]; v++) {
		json_t *res = run_variant(&p, v);

		if (!res) {
			json_decref(set);
			return 1;
		}
		result_add_run(set, res);
	}
	runs = json_object_get(set, "runs");
	printf("\nResults:");
	for (size_t i = 0; i < json_array_size(runs); i++)
		printf("%s %s", i ? ";\n        " : "",
		       json_string_value(json_object_get(json_array_get(runs, i), "key_result")));
	printf("\n");
	return result_finish(set, o.json);
}

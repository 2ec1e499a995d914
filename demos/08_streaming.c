// SPDX-License-Identifier: GPL-2.0
/* 08_streaming: latency under load. Requests arrive open-loop (a Poisson
 * process at a set rate: arrivals do not wait for answers) at a server with
 * a small pool of workers, each request a fixed service time. Capacity is
 * workers / service time; the variants offer 50, 80, 90, 95 and 110% of it.
 * Below capacity the p99 latency follows the queueing hockey stick: flat,
 * then steep as the load nears 100%. Above it an unbounded queue grows for as
 * long as the run lasts, and so does every request's wait; a bounded queue
 * rejects what does not fit (counted) and keeps p99 bounded.
 *
 * Each request is stamped when it was due to arrive (not when the client got
 * round to it, so a late client cannot hide a wait), when a worker took it
 * and when it was done: latency = queue wait + service. */
#include "cli.h"
#include "clock.h"
#include "cpus.h"
#include "io_work.h"
#include "queue.h"
#include "result.h"
#include "stats.h"
#include "streaming.h"
#include "table.h"
#include "threads.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define DEMO "08_streaming"
#define PILL UINT64_MAX /* the item that tells a worker to stop */
#define MAX_REQUESTS 20000000ULL

static const char *const variants[] = {"load-50",  "load-80",	       "load-90", "load-95",
				       "load-110", "load-110-bounded", NULL};
static const int load_pct[] = {50, 80, 90, 95, 110, 110};
static const bool is_bounded[] = {false, false, false, false, false, true};

struct worker {
	struct run *run;
	int idx;
	pthread_t th;
};

/* Requests per second the pool can serve: one per service time per worker,
 * and, when the service is CPU work, no more workers at once than CPUs. */
static double capacity_per_s(const struct params *p, int cpus, const char **bound)
{
	int servers = p->workers;

	*bound = "workers";
	if (p->service_cpu && cpus < servers) {
		servers = cpus;
		*bound = "cpus";
	}
	return servers * 1e9 / (double)p->service_ns;
}

/* xorshift64*: a small seeded generator, so a run's arrivals can be replayed. */
static double uniform(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Timers fire up to the thread's slack late (50 us by default): at a few
 * thousand arrivals per second that would bend the schedule. */
static void tight_timers(void)
{
	if (prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0))
		perror("prctl(PR_SET_TIMERSLACK)");
}

static void *client(void *arg)
{
	struct run *r = arg;
	struct thread_record *rec = thread_begin("client");
	uint64_t rng = r->p->seed * 0x9E3779B97F4A7C15ULL + 1;
	double t = 0;

	tight_timers();
	for (;;) {
		struct request *q;
		struct queue_item *it;
		uint64_t due;
		int rc;

		t += -log(1.0 - uniform(&rng)) / r->rate;
		due = r->start_ns + (uint64_t)(t * 1e9);
		if (due >= r->deadline_ns || r->nreq == r->max_req)
			break;
		sleep_until_ns(due);
		q = &r->req[r->nreq];
		it = &r->items[r->nreq];
		q->arrival_ns = due;
		it->seq = r->nreq++;
		rc = r->q.capacity ? queue_try_put(&r->q, it) : queue_put(&r->q, it);
		if (rc == 1) {
			q->rejected = true;
			r->rejected++;
		} else if (rc < 0) {
			fprintf(stderr, "client: the queue was closed\n");
			break;
		}
		q->enq_ns = q->rejected ? now_ns() : it->enq_ns;
		rec->tasks++;
	}
	/* Let the workers finish what was accepted, then stop them. */
	for (int i = 0; i < r->p->workers; i++) {
		r->pill[i].seq = PILL;
		if (queue_put(&r->q, &r->pill[i]))
			fprintf(stderr, "client: could not stop worker-%d\n", i + 1);
	}
	thread_end(rec);
	return NULL;
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->run;
	char name[THREAD_NAME_LEN];
	struct thread_record *rec;
	struct queue_item *it;

	snprintf(name, sizeof(name), "worker-%d", (w->idx + 1) % 1000);
	rec = thread_begin(name);
	tight_timers();
	while ((it = queue_get(&r->q)) && it->seq != PILL) {
		struct request *q = &r->req[it->seq];

		q->start_ns = it->deq_ns;
		if (r->p->service_cpu)
			burn_cpu_ns(r->p->service_ns);
		else
			sleep_ns(r->p->service_ns);
		q->done_ns = now_ns();
		rec->tasks++;
	}
	thread_end(rec);
	return NULL;
}

static json_t *run_variant(const struct params *p, int v, int cpus, struct summary *s)
{
	struct run r = {.p = p};
	struct worker w[MAX_WORKERS];
	struct thread_record *main_rec;
	const char *bound;
	pthread_t cl;
	double expect;
	int started = 0, rc;
	bool client_ok = false;
	uint64_t end;
	json_t *res = NULL;

	r.rate = capacity_per_s(p, cpus, &bound) * load_pct[v] / 100.0;
	expect = r.rate * ns_to_s(p->duration_ns);
	r.max_req = (size_t)(expect + 10 * sqrt(expect) + 64);
	r.req = calloc(r.max_req, sizeof(*r.req));
	r.items = calloc(r.max_req, sizeof(*r.items));
	if (!r.req || !r.items) {
		perror("calloc(requests)");
		goto out_free;
	}
	if (queue_init(&r.q, is_bounded[v] ? (size_t)p->capacity : 0))
		goto out_free;
	threads_reset();
	main_rec = thread_begin("main");
	r.start_ns = now_ns() + 10 * NSEC_PER_MSEC; /* time for the threads to start */
	r.deadline_ns = r.start_ns + p->duration_ns;
	for (int i = 0; i < p->workers; i++) {
		w[i].run = &r;
		w[i].idx = i;
		rc = pthread_create(&w[i].th, NULL, worker, &w[i]);
		if (rc) {
			fprintf(stderr, "pthread_create(worker-%d): %s\n", i + 1, strerror(rc));
			break;
		}
		started++;
	}
	if (started == p->workers) {
		rc = pthread_create(&cl, NULL, client, &r);
		if (rc)
			fprintf(stderr, "pthread_create(client): %s\n", strerror(rc));
		else
			client_ok = true;
	}
	if (client_ok) {
		rc = pthread_join(cl, NULL);
		if (rc)
			fprintf(stderr, "pthread_join(client): %s\n", strerror(rc));
	} else {
		queue_close(&r.q); /* nobody will send the workers their stop */
	}
	for (int i = 0; i < started; i++) {
		rc = pthread_join(w[i].th, NULL);
		if (rc)
			fprintf(stderr, "pthread_join(worker-%d): %s\n", i + 1, strerror(rc));
	}
	end = now_ns();
	thread_end(main_rec);
	if (client_ok) {
		s->load = load_pct[v];
		s->bounded = is_bounded[v];
		s->capacity = capacity_per_s(p, cpus, &s->capacity_bound);
		res = result_new(DEMO, variants[v]);
		streaming_json(res, &r, cpus, end, s);
	}
	queue_destroy(&r.q, NULL);
out_free:
	free(r.req);
	free(r.items);
	return res;
}

static void usage(void)
{
	printf("Usage: %s [--variant V] [--quick] [--workers N] [--service-us US]\n"
	       "          [--service sleep|cpu] [--duration S] [--capacity N] [--seed N]\n"
	       "          [--json FILE] [--list-variants] [--help]\n"
	       "\n"
	       "Open-loop Poisson arrivals at a server of N worker threads, each request a\n"
	       "fixed service time. Capacity = workers / service time (with --service cpu,\n"
	       "no more workers at once than usable CPUs). Each variant offers a share of it:\n"
	       "  load-50 .. load-95    50, 80, 90, 95%% of capacity, unbounded queue\n"
	       "  load-110              110%%: the unbounded queue grows for the whole run\n"
	       "  load-110-bounded      110%% into a queue of CAPACITY: what does not fit is\n"
	       "                        rejected, and the wait stays bounded\n"
	       "Without --variant all six run and the latency-vs-load table is printed.\n"
	       "\n"
	       "Options:\n"
	       "  --variant V        run one variant\n"
	       "  --quick            1 s per variant instead of 4 s\n"
	       "  --workers N        worker threads (default 4)\n"
	       "  --service-us US    service time per request, in us (default 2000)\n"
	       "  --service sleep|cpu  a blocking wait, like a call to a backend (default),\n"
	       "                     or busy CPU (then CPUs can be short)\n"
	       "  --duration S       seconds of arrivals per variant (default 4)\n"
	       "  --capacity N       the bounded queue's size (default 4 x workers)\n"
	       "  --seed N           the arrivals' random seed (default 1)\n"
	       "  --json FILE        write the result as JSON (docs/formats.md)\n"
	       "  --list-variants    print the variant names, one per line\n"
	       "  --help             this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s --quick                 # the whole sweep, 6 s\n"
	       "  %s --variant load-95 --workers 8 --service-us 500 --json r.json\n",
	       cli_prog, cli_prog, cli_prog);
}

static void print_table(const struct summary *s, int n)
{
	static const char *const head[] = {"variant",  "load",	  "offered/s", "done/s",
					   "rejected", "p50",	  "p95",       "p99",
					   "wait p99", "service", "max depth"};
	struct table *t = table_new(11, head);

	for (int v = 0; v < n; v++) {
		if (!s[v].arrivals)
			continue;
		table_row(t);
		table_cell(t, "%s", variants[v]);
		table_cell(t, "%d%%", s[v].load);
		table_cell(t, "%.0f", s[v].rate);
		table_cell(t, "%.0f", s[v].throughput);
		table_cell(t, "%llu", (unsigned long long)s[v].rejected);
		table_cell(t, "%.2f ms", s[v].p50 / 1e6);
		table_cell(t, "%.2f ms", s[v].p95 / 1e6);
		table_cell(t, "%.2f ms", s[v].p99 / 1e6);
		table_cell(t, "%.2f ms", s[v].wait_p99 / 1e6);
		table_cell(t, "%.2f ms", s[v].service_p50 / 1e6);
		table_cell(t, "%llu", (unsigned long long)s[v].max_depth);
	}
	table_print(t, stdout, "");
	table_free(t);
}

/* The shape every run should have, judged by its own figures: a busy host
 * stretches each service and delays the client, so the bound on the bounded
 * queue's p99 uses the measured service p99 and the client's lateness. */
static bool print_expected(const struct params *p, const struct summary *s, int cpus)
{
	const char *bound;
	double cap = capacity_per_s(p, cpus, &bound), svc = p->service_ns / 1e6;
	double ahead = (double)p->capacity / p->workers + 1;
	double qbound = s[5].late_p99 / 1e6 + ahead * s[5].service_p99 / 1e6;
	/* The mean wait shows the stick even when a busy host adds its own
	 * delays to every p99. */
	bool stick = s[3].wait_mean >= 3 * s[0].wait_mean;
	bool grows = s[4].last_p50 >= 3 * s[4].first_p50;
	bool holds = s[5].rejected > 0 && s[5].p99 / 1e6 <= 1.5 * qbound && s[5].p99 < s[4].p99;

	printf("\nexpected: capacity = %d %s / %.3g ms = %.0f requests/s (%d usable CPUs);\n"
	       "          below it the wait rises slowly, then steeply near 100%% (mean wait at "
	       "95%% >= 3 x at 50%%: %.2f vs %.2f ms);\n"
	       "          at 110%% unbounded the queue grows by %.0f/s and latency with it"
	       " (first window p50 %.2f ms, last %.2f ms);\n"
	       "          bounded to %d, at least %.0f%% rejected (got %.1f%%) and p99 <= client "
	       "lateness %.2f ms + (%d/%d + 1) x service p99 %.2f ms = %.2f ms (got %.2f ms)\n",
	       !strcmp(bound, "cpus") ? cpus : p->workers, bound, svc, cap, cpus,
	       s[3].wait_mean / 1e6, s[0].wait_mean / 1e6, 0.1 * cap, s[4].first_p50 / 1e6,
	       s[4].last_p50 / 1e6, p->capacity, 100.0 / 11,
	       s[5].arrivals ? 100.0 * s[5].rejected / s[5].arrivals : 0, s[5].late_p99 / 1e6,
	       p->capacity, p->workers, s[5].service_p99 / 1e6, qbound, s[5].p99 / 1e6);
	printf("Results: p99 %.2f ms at 50%% load, %.2f ms at 95%%; at 110%% %.2f ms unbounded vs "
	       "%.2f ms bounded (%llu rejected)\n",
	       s[0].p99 / 1e6, s[3].p99 / 1e6, s[4].p99 / 1e6, s[5].p99 / 1e6,
	       (unsigned long long)s[5].rejected);
	return stick && grows && holds;
}

/* The options into @p; returns the variant asked for, or -1 for all. */
static int parse_args(int argc, char **argv, struct demo_opts *o, struct params *p)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"workers", required_argument, NULL, 'w'},
	    {"service-us", required_argument, NULL, 's'},
	    {"service", required_argument, NULL, 'S'},
	    {"duration", required_argument, NULL, 'd'},
	    {"capacity", required_argument, NULL, 'C'},
	    {"seed", required_argument, NULL, 'r'},
	    {0},
	};
	long long duration = -1;
	int c, only;

	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, o, usage))
			continue;
		switch (c) {
		case 'w':
			p->workers = cli_int("--workers", optarg, 1, MAX_WORKERS);
			break;
		case 's':
			p->service_ns =
			    cli_int("--service-us", optarg, 50, 1000000) * NSEC_PER_USEC;
			break;
		case 'S':
			if (!strcmp(optarg, "cpu"))
				p->service_cpu = true;
			else if (strcmp(optarg, "sleep"))
				cli_die("--service: '%s' is neither 'sleep' nor 'cpu'", optarg);
			break;
		case 'd':
			duration = cli_seconds("--duration", optarg, 0.2, 600);
			break;
		case 'C':
			p->capacity = cli_int("--capacity", optarg, 1, 1000000);
			break;
		case 'r':
			p->seed = cli_int("--seed", optarg, 0, 1LL << 62);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	only = cli_variant(o, variants);
	p->quick = o->quick;
	p->duration_ns = duration >= 0 ? (uint64_t)duration : (o->quick ? 1 : 4) * NSEC_PER_SEC;
	if (p->capacity < 0)
		p->capacity = 4 * p->workers;
	return only;
}

/* Refuses a run whose request log would pass MAX_REQUESTS at 110% load. */
static void check_size(const struct params *p, int cpus)
{
	const char *bound;
	double most = capacity_per_s(p, cpus, &bound) * 1.1 * ns_to_s(p->duration_ns);

	if (most > MAX_REQUESTS)
		cli_die("--duration x capacity: about %.0f requests at 110%% load, over %llu; "
			"make the run shorter, the service longer or the pool smaller",
			most, MAX_REQUESTS);
}

int main(int argc, char **argv)
{
	struct demo_opts o = {0};
	struct params p = {
	    .workers = 4, .service_ns = 2000 * NSEC_PER_USEC, .capacity = -1, .seed = 1};
	struct summary sum[6] = {0};
	json_t *doc = NULL;
	int rc = 0, only, cpus;

	cli_prog = DEMO;
	only = parse_args(argc, argv, &o, &p);
	cpus = cpus_usable();
	check_size(&p, cpus);
	if (threads_init(MAX_WORKERS + 8))
		return 1;
	if (only < 0) {
		const char *bound;

		doc = result_new_set(DEMO);
		printf("%s: %d workers, %.3g ms per request (%s), capacity %.0f requests/s; "
		       "%.1f s of Poisson arrivals per variant, bounded queue %d\n\n",
		       DEMO, p.workers, p.service_ns / 1e6,
		       p.service_cpu ? "busy CPU" : "blocking wait",
		       capacity_per_s(&p, cpus, &bound), ns_to_s(p.duration_ns), p.capacity);
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
			print_table(sum, 6);
			rc = result_finish(res, o.json);
		} else {
			result_add_run(doc, res);
		}
	}
	if (only < 0) {
		print_table(sum, 6);
		printf("shape: %s\n",
		       print_expected(&p, sum, cpus)
			   ? "as expected (the hockey stick below capacity; above it, growth "
			     "without a bound and a bound with rejections)"
			   : "NOT as expected (a busy machine? see the figures above)");
		rc = result_finish(doc, o.json);
	}
	return rc;
}

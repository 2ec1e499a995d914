// SPDX-License-Identifier: GPL-2.0
/* 04_backpressure: a producer faster than its consumer. With an unbounded
 * queue the backlog, the memory it holds and each item's wait grow for as
 * long as the run lasts; with a bounded queue the producer blocks when the
 * queue is full (backpressure) and all three stay bounded.
 *
 * The producer makes an item every --produce-ms on absolute deadlines, so it
 * keeps its rate; the consumer spends --consume-ms per item, by default in a
 * blocking sleep (the seed's time.sleep), or busy on the CPU with --work cpu.
 * At the end of --duration the queue is closed and what is left in it is the
 * final backlog: the consumer does not drain it. */
#include "backpressure.h"
#include "cli.h"
#include "pydemo.h"
#include "clock.h"
#include "queue.h"
#include "result.h"
#include "stats.h"
#include "threads.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO "04_backpressure"
#define SAMPLE_NS (100 * NSEC_PER_MSEC)

static const char *const variants[] = {"unbounded", "bounded", NULL};
/* The same program in CPython (demos/python/04_backpressure.py). */
static const char *const py_variants[] = {"py-unbounded", "py-bounded", NULL};

/* VmRSS or VmHWM from /proc/self/status, in KiB; -1 if unreadable. */
static long status_kib(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		fprintf(stderr, "fopen(/proc/self/status): %s\n", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Reset VmHWM to the current RSS, so each variant's peak is its own (write
 * "5" to clear_refs: Documentation/filesystems/proc.rst). */
static void reset_peak_rss(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "5", 1) != 1)
		fprintf(stderr, "resetting peak RSS via /proc/self/clear_refs: %s\n",
			strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void free_item(struct queue_item *it)
{
	free(it->payload);
	free(it);
}

static void *producer(void *arg)
{
	struct run *r = arg;
	struct thread_record *rec = thread_begin("producer");
	uint64_t period = (uint64_t)r->p->produce_ms * NSEC_PER_MSEC;

	for (uint64_t k = 0;; k++) {
		uint64_t due = r->start_ns + k * period;
		struct queue_item *it;

		if (due >= r->deadline_ns)
			break;
		/* Absolute deadlines: a late item does not slow the rate. */
		sleep_until_ns(due);
		it = calloc(1, sizeof(*it));
		if (it)
			it->payload = malloc(r->p->payload);
		if (!it || (r->p->payload && !it->payload)) {
			fprintf(stderr, "malloc(item %llu): out of memory\n",
				(unsigned long long)k);
			if (it)
				free(it);
			break;
		}
		/* Touch every page so the backlog is resident memory. */
		memset(it->payload, (int)(k & 0xff), r->p->payload);
		it->payload_len = r->p->payload;
		it->seq = k;
		if (queue_put(&r->q, it)) {
			free_item(it); /* closed while we waited for room */
			break;
		}
		r->produced++;
	}
	rec->tasks = r->produced;
	thread_end(rec);
	return NULL;
}

static void consume(struct run *r, struct queue_item *it)
{
	uint64_t work = (uint64_t)r->p->consume_ms * NSEC_PER_MSEC;

	if (it->payload_len)
		r->touched += ((unsigned char *)it->payload)[it->payload_len - 1];
	if (r->p->work_cpu) {
		uint64_t until = now_ns() + work;

		while (now_ns() < until)
			;
	} else {
		sleep_ns(work);
	}
}

static void *consumer(void *arg)
{
	struct run *r = arg;
	struct thread_record *rec = thread_begin("consumer");
	struct queue_item *it;

	while ((it = queue_get(&r->q))) {
		if (r->nlatency < r->max_latency)
			r->latency[r->nlatency++] = it->deq_ns - it->enq_ns;
		r->consumed++;
		consume(r, it);
		free_item(it);
	}
	rec->tasks = r->consumed;
	thread_end(rec);
	return NULL;
}

static void *sampler(void *arg)
{
	struct run *r = arg;
	struct thread_record *rec = thread_begin("sampler");

	for (uint64_t k = 0; r->nsamples < r->max_samples; k++) {
		uint64_t due = r->start_ns + k * SAMPLE_NS;
		struct sample *s = &r->samples[r->nsamples];

		if (due > r->deadline_ns)
			break;
		sleep_until_ns(due);
		s->t_ns = due - r->start_ns;
		s->backlog = queue_len(&r->q);
		s->rss_kib = status_kib("VmRSS");
		r->nsamples++;
	}
	rec->tasks = r->nsamples;
	thread_end(rec);
	return NULL;
}

/* The latency log and the backlog samples, sized for the run; 0 or -1. */
static int run_alloc(struct run *r, const struct params *p)
{
	r->p = p;
	r->max_latency = p->duration_ns / ((uint64_t)p->produce_ms * NSEC_PER_MSEC) + 16;
	r->max_samples = p->duration_ns / SAMPLE_NS + 2;
	r->latency = calloc(r->max_latency, sizeof(*r->latency));
	r->samples = calloc(r->max_samples, sizeof(*r->samples));
	if (r->latency && r->samples)
		return 0;
	perror("calloc(latencies, samples)");
	return -1;
}

/*
 * The consumer, the sampler and the producer run for the duration; then the
 * queue is closed with what is left in it (the backlog) and they are
 * joined. Returns how many of the three started.
 */
static int run_threads(struct run *r, struct summary *sum)
{
	void *(*fn[3])(void *) = {consumer, sampler, producer};
	const char *names[3] = {"consumer", "sampler", "producer"};
	pthread_t th[3];
	int started = 0, rc;

	r->start_ns = now_ns() + 10 * NSEC_PER_MSEC; /* time for the threads to start */
	r->deadline_ns = r->start_ns + r->p->duration_ns;
	for (int i = 0; i < 3; i++) {
		rc = pthread_create(&th[i], NULL, fn[i], r);
		if (rc) {
			fprintf(stderr, "pthread_create(%s): %s\n", names[i], strerror(rc));
			break;
		}
		started++;
	}
	sleep_until_ns(r->deadline_ns);
	sum->end_ns = now_ns();
	sum->oldest_age_ns = queue_oldest_age_ns(&r->q, sum->end_ns);
	sum->backlog = queue_close(&r->q);
	sum->end_kib = status_kib("VmRSS");
	for (int i = 0; i < started; i++) {
		rc = pthread_join(th[i], NULL);
		if (rc)
			fprintf(stderr, "pthread_join(%s): %s\n", names[i], strerror(rc));
	}
	sum->peak_kib = status_kib("VmHWM");
	return started;
}

static void summarize(struct run *r, struct summary *sum)
{
	u64_sort(r->latency, r->nlatency);
	sum->produced = r->q.puts;
	sum->consumed = r->q.gets;
	sum->max_backlog = r->q.max_len;
	sum->p50 = u64_percentile(r->latency, r->nlatency, 50);
	sum->p99 = u64_percentile(r->latency, r->nlatency, 99);
	sum->max_lat = r->nlatency ? r->latency[r->nlatency - 1] : 0;
}

/* One variant: a bounded queue of params.capacity items, or no bound. */
static json_t *run_variant(const struct params *p, const char *variant, struct summary *sum)
{
	bool bounded = !strcmp(variant, "bounded");
	struct run r = {0};
	struct thread_record *main_rec;
	json_t *res = NULL;
	int started;

	if (run_alloc(&r, p))
		goto out_free;
	if (queue_init(&r.q, bounded ? (size_t)p->capacity : 0))
		goto out_free;
	/* Give back what the previous variant's backlog held, then start the
	 * peak from here. */
	malloc_trim(0);
	reset_peak_rss();
	sum->start_kib = status_kib("VmRSS");

	threads_reset();
	main_rec = thread_begin("main");
	started = run_threads(&r, sum);
	thread_end(main_rec);
	if (started == 3) {
		summarize(&r, sum);
		res = result_new(DEMO, variant);
		backpressure_json(res, bounded, &r, sum);
	}
	queue_destroy(&r.q, free_item);
out_free:
	free(r.latency);
	free(r.samples);
	return res;
}

static void usage(void)
{
	printf("Usage: %s [--variant V] [--quick] [--duration S] [--produce-ms MS]\n"
	       "          [--consume-ms MS] [--capacity N] [--payload BYTES] [--work sleep|cpu]\n"
	       "          [--json FILE] [--list-variants] [--help]\n"
	       "\n"
	       "A producer thread makes an item every PRODUCE-MS; a consumer thread spends\n"
	       "CONSUME-MS on each. The producer is faster, so work piles up:\n"
	       "  unbounded  the queue grows without limit (backlog, memory, latency grow)\n"
	       "  bounded    a queue of CAPACITY items: the producer blocks when it is full\n"
	       "After DURATION the producer stops and the queue is closed; what is left in\n"
	       "it is the final backlog. Without --variant both run and are compared.\n"
	       "\n"
	       "Options:\n"
	       "  --variant V        run one variant\n"
	       "  --quick            a 1 s run instead of 5 s\n"
	       "  --duration S       seconds the producer runs (default 5)\n"
	       "  --produce-ms MS    one item every MS ms (default 1)\n"
	       "  --consume-ms MS    the consumer's work per item, in ms (default 5)\n"
	       "  --capacity N       the bounded queue's size (default 200)\n"
	       "  --payload BYTES    memory each item carries (default 4096)\n"
	       "  --work sleep|cpu   the consumer's work: a blocking sleep like the seed's\n"
	       "                     time.sleep (default), or busy CPU\n"
	       "  --json FILE        write the result as JSON (docs/formats.md)\n"
	       "  --list-variants    print the variant names, one per line\n"
	       "  --help             this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s                       # both variants, seed-style table\n"
	       "  %s --variant bounded --capacity 50 --json b.json\n",
	       cli_prog, cli_prog, cli_prog);
}

static void parse_args(int argc, char **argv, struct demo_opts *o, struct params *p)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"duration", required_argument, NULL, 'd'},
	    {"produce-ms", required_argument, NULL, 'p'},
	    {"consume-ms", required_argument, NULL, 'c'},
	    {"capacity", required_argument, NULL, 'C'},
	    {"payload", required_argument, NULL, 'P'},
	    {"work", required_argument, NULL, 'W'},
	    {0},
	};
	long long duration = -1;
	int c;

	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, o, usage))
			continue;
		switch (c) {
		case 'd':
			duration = cli_seconds("--duration", optarg, 0.1, 3600);
			break;
		case 'p':
			p->produce_ms = cli_int("--produce-ms", optarg, 1, 60000);
			break;
		case 'c':
			p->consume_ms = cli_int("--consume-ms", optarg, 0, 60000);
			break;
		case 'C':
			p->capacity = cli_int("--capacity", optarg, 1, 1000000);
			break;
		case 'P':
			p->payload = cli_int("--payload", optarg, 0, 1 << 20);
			break;
		case 'W':
			if (!strcmp(optarg, "cpu"))
				p->work_cpu = true;
			else if (strcmp(optarg, "sleep"))
				cli_die("--work: '%s' is neither 'sleep' nor 'cpu'", optarg);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	cli_variant(o, variants);
	p->quick = o->quick;
	p->duration_ns = duration >= 0 ? (uint64_t)duration : (o->quick ? 1 : 5) * NSEC_PER_SEC;
	/* Bound the memory the latency log and an unbounded backlog can take. */
	if (p->duration_ns / ((uint64_t)p->produce_ms * NSEC_PER_MSEC) > 10000000)
		cli_die("--duration / --produce-ms: more than 10,000,000 items; make the run "
			"shorter or the producer slower");
	if ((double)p->payload * p->duration_ns / ((double)p->produce_ms * NSEC_PER_MSEC) > 8e9)
		cli_die("--payload: the unbounded backlog could reach more than 8 GB; use a "
			"smaller payload or a shorter run");
}

/* The line for one variant run alone (--variant). */
static void print_one(const char *variant, const struct summary *s)
{
	printf("%s: produced %llu, consumed %llu, final backlog %llu (max %llu), "
	       "latency p50 %.3f s p99 %.3f s max %.3f s, peak RSS %ld KiB (+%ld)\n",
	       variant, (unsigned long long)s->produced, (unsigned long long)s->consumed,
	       (unsigned long long)s->backlog, (unsigned long long)s->max_backlog, ns_to_s(s->p50),
	       ns_to_s(s->p99), ns_to_s(s->max_lat), s->peak_kib, s->peak_kib - s->start_kib);
}

/* Both variants side by side, what the arithmetic expects, and whether the
 * run has the shape the lesson needs. */
static void print_comparison(const struct params *p, const struct summary *sum)
{
	double d = ns_to_s(p->duration_ns);
	double in = d * 1000.0 / p->produce_ms;
	double out = p->consume_ms ? d * 1000.0 / p->consume_ms : in;
	double grow = in > out ? in - out : 0;
	double lat_bound = (double)p->capacity * p->consume_ms / 1000.0;
	bool shape;

	printf("%-10s %9s %9s %8s %8s %9s %9s %9s %11s\n", "variant", "produced", "consumed",
	       "backlog", "max", "lat p50", "lat p99", "lat max", "RSS growth");
	for (int v = 0; v < 2; v++)
		printf("%-10s %9llu %9llu %8llu %8llu %8.3fs %8.3fs %8.3fs %7.1f MiB\n",
		       variants[v], (unsigned long long)sum[v].produced,
		       (unsigned long long)sum[v].consumed, (unsigned long long)sum[v].backlog,
		       (unsigned long long)sum[v].max_backlog, ns_to_s(sum[v].p50),
		       ns_to_s(sum[v].p99), ns_to_s(sum[v].max_lat),
		       (sum[v].peak_kib - sum[v].start_kib) / 1024.0);
	printf("\nexpected: unbounded backlog %.0f - %.0f = %.0f (got %llu, %+.1f%%);"
	       " bounded backlog <= %d (got max %llu),\n"
	       "          bounded latency <= %d x %d ms = %.3f s (got max %.3f s)\n",
	       in, out, grow, (unsigned long long)sum[0].backlog,
	       grow > 0 ? 100.0 * ((double)sum[0].backlog - grow) / grow : 0.0, p->capacity,
	       (unsigned long long)sum[1].max_backlog, p->capacity, p->consume_ms, lat_bound,
	       ns_to_s(sum[1].max_lat));
	/* The consumer's real pace: each item's work overshoots a little
	 * (timer slack, wakeup, a busy CPU), and the backlog and the
	 * latency follow that pace, not the nominal one. */
	if (sum[1].consumed)
		printf("          the consumer took %.2f ms per item (bounded run): %d x "
		       "%.2f ms = %.3f s\n",
		       d * 1000.0 / sum[1].consumed, p->capacity, d * 1000.0 / sum[1].consumed,
		       p->capacity * d / sum[1].consumed);
	printf("Results: Unbounded backlog %llu vs bounded backlog %llu\n",
	       (unsigned long long)sum[0].backlog, (unsigned long long)sum[1].backlog);
	shape = sum[1].max_backlog <= (uint64_t)p->capacity &&
		(grow <= p->capacity || sum[0].backlog > (uint64_t)p->capacity) &&
		fabs((double)sum[0].backlog - grow) <= 0.1 * grow + 10;
	printf("shape: %s\n",
	       shape ? "as expected (the bound holds the backlog; without it the backlog grows)"
		     : "NOT as expected (a busy machine? see the figures above)");
}

int main(int argc, char **argv)
{
	struct demo_opts o = {0};
	struct params p = {.produce_ms = 1, .consume_ms = 5, .capacity = 200, .payload = 4096};
	struct summary sum[2] = {0};
	json_t *doc = NULL;
	int rc = 0;

	cli_prog = "04_backpressure";
	pydemo_exec_if_asked(argc, argv, DEMO, py_variants);
	parse_args(argc, argv, &o, &p);
	if (threads_init(16))
		return 1;
	if (!o.variant) {
		doc = result_new_set(DEMO);
		printf("%s: a producer every %d ms, a consumer taking %d ms per item (%s), for "
		       "%.1f s;\n"
		       "each item carries %d bytes; the bounded queue holds %d\n\n",
		       DEMO, p.produce_ms, p.consume_ms, p.work_cpu ? "busy CPU" : "blocking sleep",
		       ns_to_s(p.duration_ns), p.payload, p.capacity);
	}
	for (int v = 0; variants[v]; v++) {
		json_t *res;

		if (o.variant && strcmp(o.variant, variants[v]))
			continue;
		res = run_variant(&p, variants[v], &sum[v]);
		if (!res) {
			fprintf(stderr, "%s: variant %s failed\n", cli_prog, variants[v]);
			return 1;
		}
		if (o.variant) {
			print_one(variants[v], &sum[v]);
			rc = result_finish(res, o.json);
		} else {
			result_add_run(doc, res);
		}
	}
	if (!o.variant) {
		print_comparison(&p, sum);
		rc = result_finish(doc, o.json);
	}
	return rc;
}

// SPDX-License-Identifier: GPL-2.0
/* 03_event_loop: blocking the event loop destroys async concurrency.
 *
 * One thread, "loop", runs an event loop on epoll. 50 tasks each wait 0.2 s.
 * A task is a small state machine whose step runs until it waits or ends,
 * the way a coroutine runs until its next await. The two variants share the
 * task code and differ only in the wait:
 *
 *   await     the task arms a timerfd and yields; the loop sleeps in
 *             epoll_wait until timers are due, so all waits overlap: 0.2 s.
 *   blocking  the task calls nanosleep inside its step; the loop cannot run
 *             anything else meanwhile, so the waits add up: 50 x 0.2 = 10 s. */
#include "cli.h"
#include "pydemo.h"
#include "clock.h"
#include "cpus.h"
#include "delay_server.h"
#include "event_loop.h"
#include "result.h"
#include "stats.h"
#include "table.h"
#include "threads.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define DEMO "03_event_loop"

static const char *const variants[] = {"await", "blocking", NULL};
/* The same program in CPython (demos/python/03_event_loop.py). */
static const char *const py_variants[] = {"py-await", "py-blocking", NULL};
#define NVARIANTS 2
enum { V_AWAIT, V_BLOCKING };

static void ready_push(struct loop *l, struct task *t)
{
	t->next = NULL;
	if (l->ready_tail)
		l->ready_tail->next = t;
	else
		l->ready = t;
	l->ready_tail = t;
}

static struct task *ready_pop(struct loop *l)
{
	struct task *t = l->ready;

	if (t) {
		l->ready = t->next;
		if (!l->ready)
			l->ready_tail = NULL;
	}
	return t;
}

/* Wait @ns: the one thing the variants do differently. Returns STEP_YIELD
 * when the task must be resumed by the loop later (await), or STEP_DONE when
 * the wait is over already (blocking: the whole loop waited with it). */
static enum step_result task_wait(struct loop *l, struct task *t, uint64_t ns)
{
	struct itimerspec its = {.it_value = ns_to_timespec(now_ns() + ns)};

	if (l->blocking) {
		sleep_ns(ns);
		return STEP_DONE;
	}
	if (t->tfd < 0) {
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = t};

		t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (t->tfd < 0) {
			fprintf(stderr, "timerfd_create: %s\n", strerror(errno));
			l->failed = 1;
			return STEP_DONE;
		}
		l->timerfds++;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, t->tfd, &ev)) {
			fprintf(stderr, "epoll_ctl(ADD timerfd): %s\n", strerror(errno));
			l->failed = 1;
			return STEP_DONE;
		}
	}
	/* An absolute due time: however late this step ran, the wait is
	 * measured from the moment the task asked for it. */
	if (timerfd_settime(t->tfd, TFD_TIMER_ABSTIME, &its, NULL)) {
		fprintf(stderr, "timerfd_settime: %s\n", strerror(errno));
		l->failed = 1;
		return STEP_DONE;
	}
	return STEP_YIELD;
}

/* One step of a task: run until it waits (yield) or ends. The task is
 * "start; wait; finish", like `async def task(): await sleep(wait)`. */
static enum step_result task_step(struct loop *l, struct task *t)
{
	switch (t->state) {
	case T_START:
		t->started_ns = now_ns();
		t->state = T_WAITING;
		if (task_wait(l, t, l->wait_ns) == STEP_YIELD)
			return STEP_YIELD;
		/* The wait did not yield: go on in the same step. */
		/* fallthrough */
	case T_WAITING:
		t->finished_ns = now_ns();
		t->state = T_DONE;
		return STEP_DONE;
	case T_DONE:
		break;
	}
	return STEP_DONE;
}

static void *loop_main(void *arg)
{
	struct loop *l = arg;
	struct epoll_event evs[64];

	l->rec = thread_begin("loop");
	l->start_ns = now_ns();
	for (unsigned int i = 0; i < l->ntasks; i++) {
		l->tasks[i].created_ns = l->start_ns;
		ready_push(l, &l->tasks[i]);
	}
	while (l->done < l->ntasks && !l->failed) {
		struct task *t;
		int n;

		/* Run every ready task one step. */
		while ((t = ready_pop(l))) {
			l->steps++;
			if (task_step(l, t) == STEP_DONE) {
				l->done++;
				l->rec->tasks++;
			}
		}
		if (l->done == l->ntasks || l->failed)
			break;
		/* Nothing ready: sleep until a timer is due. */
		n = epoll_wait(l->epfd, evs, 64, -1);
		l->epoll_waits++;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "epoll_wait: %s\n", strerror(errno));
			l->failed = 1;
			break;
		}
		for (int i = 0; i < n; i++) {
			uint64_t expirations;

			t = evs[i].data.ptr;
			if (read(t->tfd, &expirations, sizeof(expirations)) < 0 &&
			    errno != EAGAIN) {
				fprintf(stderr, "read(timerfd): %s\n", strerror(errno));
				l->failed = 1;
			}
			l->timer_wakeups++;
			ready_push(l, t);
		}
	}
	l->end_ns = now_ns();
	thread_end(l->rec);
	return NULL;
}

static uint64_t limit_ns(const struct params *p, int v)
{
	return v == V_BLOCKING ? p->tasks * p->wait_ns : p->wait_ns;
}

/* A duration readable at both scales the demo produces (us and s). */
static const char *fmt_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns < NSEC_PER_SEC)
		snprintf(buf, len, "%.3f ms", (double)ns / NSEC_PER_MSEC);
	else
		snprintf(buf, len, "%.3f s", ns_to_s(ns));
	return buf;
}

struct outcome {
	uint64_t wall, max_start_delay, max_lateness, epoll_waits;
};

/* The loop's tasks (no timer yet) and its epoll instance; exits on failure. */
static void loop_setup(struct loop *l, const struct params *p)
{
	l->tasks = calloc(p->tasks, sizeof(*l->tasks));
	if (!l->tasks) {
		fprintf(stderr, "calloc(%u tasks): out of memory\n", p->tasks);
		exit(1);
	}
	for (unsigned int i = 0; i < p->tasks; i++)
		l->tasks[i].tfd = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		fprintf(stderr, "epoll_create1: %s\n", strerror(errno));
		exit(1);
	}
}

/* The loop on a thread of its own, named "loop"; exits when a task failed. */
static void loop_run(struct loop *l, const char *variant)
{
	struct thread_record *main_rec;
	pthread_t th;
	int err;

	threads_reset();
	main_rec = thread_begin("main");
	err = pthread_create(&th, NULL, loop_main, l);
	if (err) {
		fprintf(stderr, "pthread_create(loop): %s\n", strerror(err));
		exit(1);
	}
	pthread_join(th, NULL);
	thread_end(main_rec);
	if (l->failed || l->done != l->ntasks) {
		fprintf(stderr, "%s: variant %s failed (%u of %u tasks done)\n", cli_prog, variant,
			l->done, l->ntasks);
		exit(1);
	}
}

/*
 * Each task's start delay (how long it waited for its first step) into
 * @delay and lateness (how far past its due time, handed to the loop +
 * wait, it finished) into @late, in the order the loop was given them; and
 * the tasks' timers closed.
 */
static void task_times(struct loop *l, const struct params *p, uint64_t *delay, uint64_t *late)
{
	for (unsigned int i = 0; i < p->tasks; i++) {
		struct task *t = &l->tasks[i];
		uint64_t due = t->created_ns + p->wait_ns;

		delay[i] = t->started_ns - t->created_ns;
		late[i] = t->finished_ns > due ? t->finished_ns - due : 0;
		if (t->tfd >= 0)
			close(t->tfd);
	}
}

static json_t *run_variant(const struct params *p, int v, struct outcome *out)
{
	json_t *res;
	struct loop l = {.blocking = v == V_BLOCKING, .wait_ns = p->wait_ns, .ntasks = p->tasks};
	uint64_t *delay = calloc(p->tasks, sizeof(*delay)), *late = calloc(p->tasks, sizeof(*late));
	uint64_t limit = limit_ns(p, v);
	char lbuf[32];

	if (!delay || !late) {
		fprintf(stderr, "calloc(%u tasks): out of memory\n", p->tasks);
		exit(1);
	}
	loop_setup(&l, p);
	loop_run(&l, variants[v]);
	task_times(&l, p, delay, late);
	close(l.epfd);
	/* The measured section is the loop's own run, from handing it the tasks
	 * to the last one done: thread creation is not part of either variant. */
	out->wall = l.end_ns - l.start_ns;
	res = result_new(DEMO, variants[v]);
	event_loop_json(res, &l, p, limit, delay, late);

	out->max_start_delay = delay[p->tasks - 1];
	out->max_lateness = late[p->tasks - 1];
	out->epoll_waits = l.epoll_waits;
	printf("%s %s: %u tasks x %.3f s on one loop thread in %.3f s (limit %.3f s, %+.1f%%); "
	       "max lateness %s\n",
	       DEMO, variants[v], p->tasks, ns_to_s(p->wait_ns), ns_to_s(out->wall), ns_to_s(limit),
	       pct_above(out->wall, limit), fmt_dur(lbuf, sizeof(lbuf), out->max_lateness));
	fflush(stdout);
	free(l.tasks);
	free(delay);
	free(late);
	return res;
}

static void print_comparison(const struct params *p, const struct outcome *o)
{
	static const char *const head[] = {
	    "variant",	       "wall",	       "limit",	     "from limit",
	    "max start delay", "max lateness", "epoll_waits"};
	struct table *t = table_new(7, head);

	printf("\n%s: %u tasks x %.3f s wait on one event-loop thread, %d CPUs\n", DEMO, p->tasks,
	       ns_to_s(p->wait_ns), cpus_usable());
	for (int v = 0; v < NVARIANTS; v++) {
		table_row(t);
		table_cell(t, "%s", variants[v]);
		table_cell(t, "%.3f s", ns_to_s(o[v].wall));
		table_cell(t, "%.3f s", ns_to_s(limit_ns(p, v)));
		table_cell(t, "%+.1f%%", pct_above(o[v].wall, limit_ns(p, v)));
		char buf[32];

		table_cell(t, "%s", fmt_dur(buf, sizeof(buf), o[v].max_start_delay));
		table_cell(t, "%s", fmt_dur(buf, sizeof(buf), o[v].max_lateness));
		table_cell(t, "%llu", (unsigned long long)o[v].epoll_waits);
	}
	table_print(t, stdout, "  ");
	table_free(t);
	printf("`await` version %.3fs vs blocking %.3fs: blocking the loop is %.1fx slower\n",
	       ns_to_s(o[V_AWAIT].wall), ns_to_s(o[V_BLOCKING].wall),
	       o[V_AWAIT].wall ? (double)o[V_BLOCKING].wall / (double)o[V_AWAIT].wall : 0.0);
	printf(
	    "Physical limit: await = one wait %.3f s (measured %+.1f%%), blocking = tasks x wait "
	    "%.3f s (measured %+.1f%%)\n",
	    ns_to_s(limit_ns(p, V_AWAIT)), pct_above(o[V_AWAIT].wall, limit_ns(p, V_AWAIT)),
	    ns_to_s(limit_ns(p, V_BLOCKING)),
	    pct_above(o[V_BLOCKING].wall, limit_ns(p, V_BLOCKING)));
}

static void usage(void)
{
	printf("Usage: %s [--variant V] [--quick] [--tasks N] [--wait S]\n"
	       "          [--json FILE] [--list-variants] [--help]\n"
	       "\n"
	       "Blocking the event loop destroys async concurrency: N tasks each wait on one\n"
	       "event-loop thread (epoll + timerfd). Awaiting overlaps the waits (limit: one\n"
	       "wait); a blocking nanosleep inside a task serializes them (limit: N waits).\n"
	       "\n"
	       "Options:\n"
	       "  --variant V      run one variant: await, blocking\n"
	       "                   (default: both, then a comparison table)\n"
	       "  --quick          small sizes: 10 tasks x 0.05 s\n"
	       "  --tasks N        number of tasks (default 50, 1..%d)\n"
	       "  --wait S         seconds each task waits (default 0.2, 0..60)\n"
	       "  --json FILE      write the result as JSON (docs/formats.md)\n"
	       "  --list-variants  print the variant names, one per line\n"
	       "  --help           this text\n"
	       "\n"
	       "Examples:\n"
	       "  %s                       # both variants, seed sizes (about 10 s)\n"
	       "  %s --variant await --json out.json\n"
	       "  %s --quick\n",
	       cli_prog, MAX_TASKS, cli_prog, cli_prog, cli_prog);
}

int main(int argc, char **argv)
{
	enum { OPT_TASKS = 256, OPT_WAIT };
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"tasks", required_argument, NULL, OPT_TASKS},
	    {"wait", required_argument, NULL, OPT_WAIT},
	    {NULL, 0, NULL, 0},
	};
	struct demo_opts o = {0};
	struct params p = {0};
	struct outcome out[NVARIANTS] = {0};
	long long tasks = -1, wait = -1;
	int c, only;

	cli_prog = argv[0];
	pydemo_exec_if_asked(argc, argv, DEMO, py_variants);
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		if (cli_common(c, &o, usage))
			continue;
		switch (c) {
		case OPT_TASKS:
			tasks = cli_int("--tasks", optarg, 1, MAX_TASKS);
			break;
		case OPT_WAIT:
			wait = (long long)cli_seconds("--wait", optarg, 0, 60);
			break;
		default:
			cli_die("unknown option '%s'", argv[optind - 1]);
		}
	}
	only = cli_variant(&o, variants);
	p.quick = o.quick;
	p.tasks = tasks >= 0 ? (unsigned int)tasks : o.quick ? 10 : 50;
	p.wait_ns = wait >= 0 ? (uint64_t)wait : o.quick ? 50 * NSEC_PER_MSEC : 200 * NSEC_PER_MSEC;
	/* The blocking variant waits tasks x wait: refuse runs that take hours. */
	if ((double)p.tasks * ns_to_s(p.wait_ns) > 3600)
		cli_die("--tasks %u x --wait %.3f s would take over an hour when blocking", p.tasks,
			ns_to_s(p.wait_ns));
	if (threads_init(4))
		return 1;
	/* One timerfd per task. */
	if (delay_raise_nofile(p.tasks + 64))
		return 1;

	if (only >= 0)
		return result_finish(run_variant(&p, only, &out[only]), o.json);

	json_t *all = result_new_set(DEMO);

	for (int v = 0; v < NVARIANTS; v++)
		result_add_run(all, run_variant(&p, v, &out[v]));
	print_comparison(&p, out);
	return result_finish(all, o.json);
}

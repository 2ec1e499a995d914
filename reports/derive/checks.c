// SPDX-License-Identifier: GPL-2.0
#include "checks.h"
#include "roles.h"
#include "thread_labels.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double tol_running_ns(double ref_ns, uint64_t slices)
{
	return fmax(0.02 * fabs(ref_ns), 2e6) + SLICE_ALLOWANCE_NS * (double)slices;
}

double tol_runnable_ns(double ref_ns, uint64_t slices)
{
	return fmax(0.05 * fabs(ref_ns), 2e6) + SLICE_ALLOWANCE_NS * (double)slices;
}

double tol_perf_switches(double ref)
{
	return fmax(0.02 * fabs(ref), 2);
}

double tol_conservation_ns(double lifetime_ns)
{
	return 0.01 * fabs(lifetime_ns) + 1000;
}

bool within(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

/* How far past its allowance a comparison is (> 1 fails), for the worst thread. */
static double excess(double ebpf, double ref, double tol, double extra)
{
	return ebpf >= ref ? (ebpf - ref) / (tol + extra) : (ref - ebpf) / tol;
}

bool within_above(double ebpf, double ref, double tol, double extra)
{
	return ebpf >= ref ? ebpf - ref <= tol + extra : ref - ebpf <= tol;
}

const char *verdict_name(enum verdict v)
{
	return v == V_PASS ? "PASS" : v == V_FAIL ? "FAIL" : "n/a";
}

static struct check *add(struct check_list *cl, const struct run *r, const char *name)
{
	struct check *c;

	c = realloc(cl->c, (cl->n + 1) * sizeof(*cl->c));
	if (!c) {
		fprintf(stderr, "report: realloc: out of memory\n");
		abort();
	}
	cl->c = c;
	c = &cl->c[cl->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->run, sizeof(c->run), "%s", r->dir);
	return c;
}

static void fig(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fig(struct check *c, const char *fmt, ...)
{
	size_t l = strlen(c->figures);
	va_list ap;

	if (l + 1 >= sizeof(c->figures))
		return;
	va_start(ap, fmt);
	vsnprintf(c->figures + l, sizeof(c->figures) - l, fmt, ap);
	va_end(ap);
}

static void add_thread(struct check_list *cl, const struct run *r, const struct thread_check *t)
{
	void *p = realloc(cl->t, (cl->nt + 1) * sizeof(*cl->t));
	void *q = realloc(cl->t_run, (cl->nt + 1) * sizeof(*cl->t_run));

	if (!p || !q) {
		fprintf(stderr, "report: realloc: out of memory\n");
		abort();
	}
	cl->t = p;
	cl->t_run = q;
	cl->t[cl->nt] = *t;
	snprintf(cl->t_run[cl->nt], sizeof(cl->t_run[0]), "%s", r->dir);
	cl->nt++;
}

/* The thread that existed before tracing began (the command's first): its
 * kernel counters count from its creation, eBPF's from the start of tracing. */
static void since_tracing(struct thread_check *t, const struct counters_before *b)
{
	t->ref_run_ns -= fmin(t->ref_run_ns, (double)b->run_ns);
	t->ref_wait_ns -= fmin(t->ref_wait_ns, (double)b->wait_ns);
	t->slices -= t->slices > b->timeslices ? b->timeslices : t->slices;
	t->ref_nv -= t->ref_nv > b->nvcsw ? b->nvcsw : t->ref_nv;
	t->ref_niv -= t->ref_niv > b->nivcsw ? b->nivcsw : t->ref_niv;
}

/* The kernel's counters read at the thread's final switch-out (sched.json
 * "kernel" with "ended_at_switch"): final, its exit included. */
static void kernel_ref(struct thread_check *t, const struct sched_thread *st)
{
	t->ref_run_ns = (double)st->kernel.sum_exec_runtime_ns;
	t->ref_wait_ns = (double)st->kernel.run_delay_ns;
	t->slices = st->kernel.pcount;
	t->ref_nv = st->kernel.nvcsw;
	t->ref_niv = st->kernel.nivcsw;
}

/* Does the collector end threads at their final switch-out (any thread says so)? */
static bool has_final_counters(const struct sched_acct *s)
{
	for (size_t i = 0; i < s->nthreads; i++)
		if (s->threads[i].ended_at_switch && s->threads[i].kernel.present)
			return true;
	return false;
}

/* The three checks of one run against the kernel's accounting, and what
 * they found over its threads. */
struct kernel_checks {
	const char *ref; /* "schedstat" or "kernel counters" */
	bool final;	 /* the counters read at each thread's final switch-out */
	size_t matched, missing, bad_run, bad_wait, bad_sw, named;
	double worst_run, worst_wait, dev_sum, queued_asleep;
	uint64_t slice_sum;
	struct thread_check wr, ww; /* the worst thread of each comparison */
	char bad_names[256];
};

/* The reference of thread @i of @r (demo.json's own accounting, or the
 * kernel's counters), into @t; *@stp its sched.json thread. False when it
 * has none (not ended, or missing from sched.json: counted). */
static bool thread_ref(const struct run *r, size_t i, struct kernel_checks *k,
		       struct thread_check *t, const struct sched_thread **stp)
{
	const struct sched_acct *s = &r->sched;
	const struct sched_thread *st;

	if (!r->demo) {
		st = &s->threads[i];
		if (!st->kernel.present)
			return false;
		kernel_ref(t, st);
	} else {
		const struct demo_thread *d = &r->demo->threads[i];

		if (!d->ended)
			return false; /* it never took its own accounting */
		st = sched_find_tid(s, d->tid);
		if (!st) {
			k->missing++;
			return false;
		}
		if (k->final && st->ended_at_switch && st->kernel.present) {
			kernel_ref(t, st);
		} else {
			t->ref_run_ns = (double)d->run_ns;
			t->ref_wait_ns = (double)d->wait_ns;
			t->slices = d->timeslices;
			t->ref_nv = d->nvcsw;
			t->ref_niv = d->nivcsw;
			if (st->last_ns > d->end_ns)
				t->extra_ns = (double)(st->last_ns - d->end_ns);
		}
	}
	if (s->before.present && s->before.tid == st->tid)
		since_tracing(t, &s->before);
	*stp = st;
	return true;
}

/* eBPF's side of @st against the reference already in @t, with the
 * allowances, and the verdicts. */
static void thread_judge(const struct run *r, const struct sched_thread *st, struct thread_check *t)
{
	t->tid = st->tid;
	snprintf(t->comm, sizeof(t->comm), "%s", st->comm);
	snprintf(t->label, sizeof(t->label), "%s", thread_label_of(st));
	t->ebpf_run_ns = (double)st->state_ns[ST_RUNNING];
	if (st->has_clock) {
		t->clock_ns = (double)st->clock_sched_ns - (double)st->clock_bpf_ns;
		t->clock_slices = st->clock_slices;
	}
	/* The kernel never queues a thread preempted on its way to sleep. */
	t->ebpf_wait_ns = (double)st->state_ns[ST_RUNNABLE] -
			  fmin((double)st->runnable_asleep_ns, (double)st->state_ns[ST_RUNNABLE]);
	/* ... and counts as wait some sleep of a thread it kept queued. */
	t->ebpf_wait_ns += (double)st->queued_asleep_ns;
	t->ebpf_nv = st->nvcsw;
	t->ebpf_niv = st->nivcsw;
	t->tol_run_ns = tol_running_ns(t->ref_run_ns, t->slices);
	/* The gap between the scheduler picking a thread and the switch
	 * tracepoint is running to the kernel and runnable to eBPF: the
	 * measured clock term may sit on either side of the wait. */
	t->tol_wait_ns = tol_runnable_ns(t->ref_wait_ns, t->slices) + fabs(t->clock_ns);
	/* The task clock leaves out interrupt and steal time: the thread's
	 * own, measured in its slices, else the host's over the pass. */
	if (st->has_irq_steal)
		t->extra_ns += (double)st->irq_steal_ns;
	else if (r->host_stolen_ns > 0)
		t->extra_ns += r->host_stolen_ns;
	t->ok_run =
	    within_above(t->ebpf_run_ns + t->clock_ns, t->ref_run_ns, t->tol_run_ns, t->extra_ns);
	t->ok_wait = within_above(t->ebpf_wait_ns, t->ref_wait_ns, t->tol_wait_ns, t->extra_ns);
	/* Switches after the thread's own accounting (a CPython thread
	 * still takes the GIL to exit; any thread can be preempted on
	 * its way out): one switch out per switch in eBPF saw beyond the
	 * snapshot's timeslices, and eBPF may be above by that much. */
	t->extra_switches = r->demo && st->timeslices > t->slices ? st->timeslices - t->slices : 0;
	t->ok_nv = within_above((double)t->ebpf_nv, (double)t->ref_nv, COUNT_SLACK,
				(double)t->extra_switches);
	t->ok_niv = within_above((double)t->ebpf_niv, (double)t->ref_niv, COUNT_SLACK,
				 (double)t->extra_switches);
}

/* @t counted into @k: the failures, the first three named, the worst. */
static void tally_thread(struct kernel_checks *k, const struct sched_thread *st,
			 const struct thread_check *t)
{
	double run_x =
		   excess(t->ebpf_run_ns + t->clock_ns, t->ref_run_ns, t->tol_run_ns, t->extra_ns),
	       wait_x = excess(t->ebpf_wait_ns, t->ref_wait_ns, t->tol_wait_ns, t->extra_ns);

	k->matched++;
	k->queued_asleep += (double)st->queued_asleep_ns;
	k->bad_run += !t->ok_run;
	k->bad_wait += !t->ok_wait;
	k->bad_sw += !t->ok_nv || !t->ok_niv;
	if ((!t->ok_nv || !t->ok_niv) && k->named++ < 3) {
		size_t l = strlen(k->bad_names);

		snprintf(k->bad_names + l, sizeof(k->bad_names) - l,
			 "; %s: eBPF %llu voluntary + %llu involuntary vs %llu + %llu",
			 thread_label_of(st), (unsigned long long)t->ebpf_nv,
			 (unsigned long long)t->ebpf_niv, (unsigned long long)t->ref_nv,
			 (unsigned long long)t->ref_niv);
	}
	k->dev_sum += t->ref_run_ns - t->ebpf_run_ns;
	k->slice_sum += t->slices;
	/* The worst thread is the one nearest (or furthest past) its allowance. */
	if (run_x > k->worst_run) {
		k->worst_run = run_x;
		k->wr = *t;
	}
	if (wait_x > k->worst_wait) {
		k->worst_wait = wait_x;
		k->ww = *t;
	}
}

/* What the running-time check found, in figures. */
static void say_running(struct check *c, const struct run *r, const struct kernel_checks *k)
{
	const struct sched_acct *s = &r->sched;
	const struct thread_check *wr = &k->wr;

	if (s->nthreads && s->threads[0].has_irq_steal)
		fig(c,
		    "%zu/%zu threads within max(2%%, 2 ms) + 10 µs × slices (eBPF above by up to "
		    "each thread's own interrupt and steal time more, measured in its slices, "
		    "%.2f ms for the worst: the kernel's task clock leaves it out)",
		    k->matched - k->bad_run, k->matched, wr->extra_ns / 1e6);
	else
		fig(c,
		    "%zu/%zu threads within max(2%%, 2 ms) + 10 µs × slices (eBPF above by up to "
		    "%.1f ms more: host irq/softirq/steal time in the pass, which the "
		    "kernel's task "
		    "clock leaves out, plus any life after the thread's own accounting)",
		    k->matched - k->bad_run, k->matched,
		    r->host_stolen_ns > 0 ? r->host_stolen_ns / 1e6 : 0);
	fig(c,
	    "; worst %s: eBPF %.1f ms vs %s %.1f ms, off %.2f ms over %llu slices "
	    "(%.2f µs/slice), allowed -%.2f/+%.2f ms",
	    wr->label, wr->ebpf_run_ns / 1e6, k->ref, wr->ref_run_ns / 1e6,
	    (wr->ref_run_ns - wr->ebpf_run_ns) / 1e6, (unsigned long long)wr->slices,
	    wr->slices ? (wr->ref_run_ns - wr->ebpf_run_ns) / 1e3 / (double)wr->slices : 0,
	    wr->tol_run_ns / 1e6, (wr->tol_run_ns + wr->extra_ns) / 1e6);
	if (wr->clock_slices)
		fig(c,
		    "; its scheduler clock ran %.2f ms ahead of eBPF's over %llu slices it timed "
		    "with both (%.2f µs/slice, sched.json clock), added before comparing: %.1f vs "
		    "%.1f ms",
		    wr->clock_ns / 1e6, (unsigned long long)wr->clock_slices,
		    wr->clock_ns / 1e3 / (double)wr->clock_slices,
		    (wr->ebpf_run_ns + wr->clock_ns) / 1e6, wr->ref_run_ns / 1e6);
	fig(c, "; all threads: %s − eBPF = %.2f ms over %llu slices = %.2f µs/slice", k->ref,
	    k->dev_sum / 1e6, (unsigned long long)k->slice_sum,
	    k->slice_sum ? k->dev_sum / 1e3 / (double)k->slice_sum : 0);
}

/* What the run-queue wait check found, in figures. */
static void say_waiting(struct check *c, const struct run *r, const struct kernel_checks *k)
{
	const struct thread_check *ww = &k->ww;

	fig(c, "%zu/%zu threads within max(5%%, 2 ms) + 10 µs × slices + the measured clock term",
	    k->matched - k->bad_wait, k->matched);
	fig(c, "; worst %s: eBPF %.1f ms vs %s %.1f ms, allowed -%.2f/+%.2f ms", ww->label,
	    ww->ebpf_wait_ns / 1e6, k->ref, ww->ref_wait_ns / 1e6, ww->tol_wait_ns / 1e6,
	    (ww->tol_wait_ns + ww->extra_ns) / 1e6);
	if (k->queued_asleep > 0)
		fig(c,
		    "; eBPF's runnable includes %.1f ms of sleep the kernel counted as run-queue "
		    "wait (its queue stamp predated the wakeup), so that both count alike",
		    k->queued_asleep / 1e6);
	if (r->sched.lost_wakeup_missed)
		fig(c,
		    "; the kernel's tracepoints missed %llu wakeups in this run: the collector "
		    "took each one's run-queue wait back from the blocked state by the "
		    "kernel's own run_delay, so eBPF's runnable time follows schedstat's there",
		    (unsigned long long)r->sched.lost_wakeup_missed);
}

/* eBPF against the kernel's own per-thread accounting: the counters the
 * collector read off each task at its final switch-out, where they are
 * final; from an older collector (accounts ended at sched_process_exit),
 * demo.json's schedstat/rusage taken by each thread itself, or the counters
 * read at exit. Three checks: running, run-queue wait, switches. */
static void check_kernel(const struct run *r, struct check_list *cl)
{
	const struct sched_acct *s = &r->sched;
	struct kernel_checks k = {
	    .final = has_final_counters(s), .worst_run = -1, .worst_wait = -1};
	struct check *c[3]; /* running, waiting, switches */
	size_t i, first = cl->n;
	char name[80];

	k.ref = r->demo && !k.final ? "schedstat" : "kernel counters";
	snprintf(name, sizeof(name), "eBPF running vs %s run time", k.ref);
	add(cl, r, name);
	snprintf(name, sizeof(name), "eBPF runnable vs %s run-queue wait", k.ref);
	add(cl, r, name);
	snprintf(name, sizeof(name), "eBPF switches vs %s",
		 r->demo && !k.final ? "getrusage" : "kernel nvcsw/nivcsw");
	add(cl, r, name);
	for (i = 0; i < 3; i++) /* add() may move the array: taken after the last */
		c[i] = &cl->c[first + i];

	for (i = 0; i < (r->demo ? r->demo->nthreads : s->nthreads); i++) {
		struct thread_check t = {0};
		const struct sched_thread *st;

		if (!thread_ref(r, i, &k, &t, &st))
			continue;
		thread_judge(r, st, &t);
		tally_thread(&k, st, &t);
		add_thread(cl, r, &t);
	}
	if (!k.matched) {
		const char *why =
		    r->demo ? "no thread of demo.json (with ended=true) was found in sched.json"
			    : "sched.json has no kernel{} counters for any thread";

		for (i = 0; i < 3; i++) {
			c[i]->verdict = k.missing ? V_FAIL : V_NA;
			fig(c[i], "%s", why);
		}
		return;
	}
	say_running(c[0], r, &k);
	say_waiting(c[1], r, &k);
	fig(c[2], "%zu/%zu threads with voluntary and involuntary switches within ±%d%s",
	    k.matched - k.bad_sw, k.matched, COUNT_SLACK, k.bad_names);
	if (k.named > 3)
		fig(c[2], "; %zu more", k.named - 3);
	if (k.missing) {
		fig(c[0], "; %zu thread(s) of demo.json missing from sched.json", k.missing);
		fig(c[1], "; %zu thread(s) missing from sched.json", k.missing);
		fig(c[2], "; %zu thread(s) missing from sched.json", k.missing);
	}
	c[0]->verdict = k.bad_run || k.missing ? V_FAIL : V_PASS;
	c[1]->verdict = k.bad_wait || k.missing ? V_FAIL : V_PASS;
	c[2]->verdict = k.bad_sw || k.missing ? V_FAIL : V_PASS;
}

static void check_perf_stat(const struct run_set *rs, const struct run *r, struct check_list *cl)
{
	const struct perf_counter *pc;
	struct check *c;
	double ebpf;

	if (!r->pstat.present)
		return;
	(void)rs;
	c = add(cl, r, "eBPF vs perf stat context switches");
	pc = perf_stat_find(&r->pstat, "context-switches");
	if (!pc || !pc->counted) {
		c->verdict = V_NA;
		fig(c, "perf-stat.json has no counted context-switches event");
		return;
	}
	ebpf = r->m[M_NVCSW] + r->m[M_NIVCSW];
	fig(c, "eBPF %.0f (%.0f voluntary + %.0f involuntary)", ebpf, r->m[M_NVCSW],
	    r->m[M_NIVCSW]);
	/* perf's counters came on at the gate; eBPF counts the command from its
	 * start, or from sched.json's "before" (the command's window: its last
	 * exec, later than the gate when a program execs again, as a py-*
	 * variant's demo binary execs python3). The switches in between are
	 * taken off eBPF's count, or added to it. */
	if (r->pstat.has_before) {
		double pre = r->pstat.before_nvcsw + r->pstat.before_nivcsw;
		const struct counters_before *b = &r->sched.before;
		double at_window =
		    b->present && b->tid == r->sched.pid ? (double)(b->nvcsw + b->nivcsw) : 0;

		if (pre >= at_window) {
			ebpf -= fmin(ebpf, pre - at_window);
			fig(c, " - %.0f before perf's counters were on = %.0f", pre - at_window,
			    ebpf);
		} else {
			ebpf += at_window - pre;
			fig(c, " + %.0f perf counted before the command's window opened = %.0f",
			    at_window - pre, ebpf);
		}
	}
	/* perf stat's inherited counters stop counting a thread when its exit
	 * begins (sched_process_exit): its switches after that are eBPF's alone. */
	{
		uint64_t tail = 0;

		for (size_t i = 0; i < r->sched.nthreads; i++)
			tail += r->sched.threads[i].exit_switches;
		if (tail) {
			ebpf -= fmin(ebpf, (double)tail);
			fig(c,
			    " - %llu after the threads' exits began (perf stops counting a thread "
			    "there) = %.0f",
			    (unsigned long long)tail, ebpf);
		}
	}
	c->verdict = within(ebpf, pc->value, tol_perf_switches(pc->value)) ? V_PASS : V_FAIL;
	fig(c, " vs perf %.0f, off %.0f (%.2f%%), allowed max(2%%, 2) = %.0f", pc->value,
	    ebpf - pc->value, pc->value > 0 ? 100 * (ebpf - pc->value) / pc->value : 0,
	    tol_perf_switches(pc->value));
}

/* perf sched timehist ran in a separate pass (its overhead would distort the
 * eBPF one), so thread ids differ and times vary from run to run: the two
 * are compared per role (worker-*) as shares of the role's lifetime, running
 * CPU demand (running + runnable) vs perf's run + preempt + delay, blocked vs
 * sleep + iowait.
 * Before perf judges eBPF, perf is itself checked against the kernel's
 * schedstat of its own pass (perf-sched-demo.json): where it disagrees, it
 * cannot judge, and the check says so with the figures. */
#define ROLE_SHARE_SLACK 0.15
#define PASS_WALL_SLACK 0.10
#define MAX_ROLES 16

struct role_time {
	char role[ROLE_LEN];
	double life, run, rq, blk;
};

static struct role_time *role_slot(struct role_time *t, size_t *n, const char *comm)
{
	char role[ROLE_LEN];
	size_t i;

	role_of(role, sizeof(role), comm);
	for (i = 0; i < *n; i++)
		if (!strcmp(t[i].role, role))
			return &t[i];
	if (*n == MAX_ROLES)
		return NULL;
	memset(&t[*n], 0, sizeof(t[*n]));
	snprintf(t[*n].role, sizeof(t[*n].role), "%s", role);
	return &t[(*n)++];
}

/* perf's run time against schedstat in perf's own pass; 0 when it agrees. */
static int timehist_sane(const struct run *r, char *why, size_t len)
{
	const struct demo_result *d = r->perf_demo;
	size_t i, matched = 0;

	for (i = 0; d && i < d->nthreads; i++) {
		const struct timehist_row *p = timehist_find_tid(&r->timehist, d->threads[i].tid);
		double ref = (double)d->threads[i].run_ns, prun, plife, life;
		double tol =
		    fmax(0.10 * ref, 5e6) + SLICE_ALLOWANCE_NS * (double)d->threads[i].timeslices;

		if (!p || !d->threads[i].ended)
			continue;
		matched++;
		/* perf sums a thread's time from the events it saw: far less than
		 * the thread's life means it missed switches (a sleep it never saw
		 * begin), and its shares cannot judge anything. */
		plife =
		    (p->run_ms + p->sleep_ms + p->iowait_ms + p->preempt_ms + p->delay_ms) * 1e6;
		life = (double)(d->threads[i].end_ns - d->threads[i].start_ns);
		if (plife < 0.8 * life - 5e6) {
			snprintf(why, len,
				 "perf sched timehist accounts for %.1f ms of %s but the "
				 "thread "
				 "lived %.1f ms in perf's own pass: it missed switch events, so it "
				 "cannot "
				 "judge eBPF here",
				 plife / 1e6,
				 thread_label_or(r, d->threads[i].tid, d->threads[i].name),
				 life / 1e6);
			return -1;
		}
		prun = p->run_ms * 1e6;
		if (fabs(prun - ref) > tol) {
			snprintf(why, len,
				 "perf sched timehist disagrees with the kernel's own schedstat in "
				 "its own pass: %s run %.1f ms by perf vs %.1f ms by "
				 "schedstat (allowed ±%.1f ms), so perf cannot judge eBPF here",
				 thread_label_or(r, d->threads[i].tid, d->threads[i].name),
				 prun / 1e6, ref / 1e6, tol / 1e6);
			return -1;
		}
	}
	if (!matched) {
		snprintf(why, len, "%s",
			 d ? "no thread of perf-sched-demo.json is in the timehist summary"
			   : "perf-sched-demo.json is absent");
		return 1;
	}
	return 0;
}

/* eBPF's time per role (running, runnable, blocked, life). */
static size_t ebpf_roles(const struct run *r, struct role_time *e)
{
	size_t ne = 0;

	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];
		struct role_time *x = role_slot(e, &ne, t->comm);

		if (!x)
			continue;
		x->life += (double)t->lifetime_ns;
		x->run += (double)t->state_ns[ST_RUNNING];
		x->rq += (double)t->state_ns[ST_RUNNABLE];
		x->blk +=
		    (double)(t->lifetime_ns - t->state_ns[ST_RUNNING] - t->state_ns[ST_RUNNABLE]);
	}
	return ne;
}

/* perf sched timehist's time per role, in the same terms. */
static size_t perf_roles(const struct run *r, struct role_time *p)
{
	size_t np = 0;

	for (size_t i = 0; i < r->timehist.n; i++) {
		const struct timehist_row *t = &r->timehist.rows[i];
		struct role_time *x;

		if (t->tid <= 0)
			continue; /* perf's placeholder rows (":-1[-1/pid]") */
		x = role_slot(p, &np, t->comm);
		if (!x)
			continue;
		x->run += t->run_ms * 1e6;
		x->rq += (t->preempt_ms + t->delay_ms) * 1e6;
		x->blk += (t->sleep_ms + t->iowait_ms) * 1e6;
		x->life = x->run + x->rq + x->blk;
	}
	return np;
}

/* The roles both name, compared: how many, how many off, the worst in @wfig. */
static void compare_roles(const struct role_time *e, size_t ne, const struct role_time *p,
			  size_t np, size_t *matched, size_t *bad, char *wfig, size_t len)
{
	double worst = -1;

	for (size_t i = 0; i < ne; i++)
		for (size_t j = 0; j < np; j++) {
			double dr, db, score;

			if (strcmp(e[i].role, p[j].role) || e[i].life <= 0 || p[j].life <= 0)
				continue;
			(*matched)++;
			/* CPU demand (running + runnable) and blocked time: another
			 * load on the host moves time between running and runnable
			 * from one pass to the next, not between these two. */
			dr = (e[i].run + e[i].rq) / e[i].life - (p[j].run + p[j].rq) / p[j].life;
			db = e[i].blk / e[i].life - p[j].blk / p[j].life;
			score = fmax(fabs(dr), fabs(db));
			*bad += score > ROLE_SHARE_SLACK;
			if (score > worst) {
				worst = score;
				snprintf(
				    wfig, len,
				    "worst role %s: running %.0f%% vs perf run %.0f%%, runnable "
				    "%.0f%% vs preempt+delay %.0f%%, blocked %.0f%% vs "
				    "sleep+iowait %.0f%% of lifetime",
				    e[i].role, 100 * e[i].run / e[i].life,
				    100 * p[j].run / p[j].life, 100 * e[i].rq / e[i].life,
				    100 * p[j].rq / p[j].life, 100 * e[i].blk / e[i].life,
				    100 * p[j].blk / p[j].life);
			}
		}
}

static void check_timehist(const struct run *r, struct check_list *cl)
{
	struct role_time e[MAX_ROLES], p[MAX_ROLES];
	size_t ne, np, matched = 0, bad = 0;
	char wfig[1200] = "", why[400] = "";
	struct check *c;
	int sane;

	if (!r->timehist.present)
		return;
	c = add(cl, r, "eBPF vs perf sched timehist (separate pass), per role");
	ne = ebpf_roles(r, e);
	np = perf_roles(r, p);
	compare_roles(e, ne, p, np, &matched, &bad, wfig, sizeof(wfig));
	if (!matched) {
		c->verdict = V_NA;
		fig(c,
		    "no thread role of sched.json appears in perf-sched-timehist.txt (%zu tasks)",
		    r->timehist.n);
		return;
	}
	fig(c,
	    "%zu/%zu roles within %.0f points of lifetime share in CPU demand (running + "
	    "runnable) and in blocked time; %s",
	    matched - bad, matched, 100 * ROLE_SHARE_SLACK, wfig);
	/* Two runs of a lock- or load-bound variant on a busy host can differ
	 * more than any tool: compare only passes of comparable wall time. */
	if (r->demo && r->perf_demo &&
	    fabs(r->perf_demo->wall_s / r->demo->wall_s - 1) > PASS_WALL_SLACK) {
		c->verdict = V_NA;
		fig(c,
		    "; not judged: the two passes ran too differently to compare (wall %.3f s "
		    "under eBPF vs %.3f s under perf sched, more than %.0f%% apart)",
		    r->demo->wall_s, r->perf_demo->wall_s, 100 * PASS_WALL_SLACK);
		return;
	}
	sane = timehist_sane(r, why, sizeof(why));
	if (sane < 0) {
		c->verdict = V_NA;
		fig(c, "; not judged: %s", why);
		return;
	}
	if (sane > 0)
		fig(c, "; perf itself not checked: %s", why);
	c->verdict = bad ? V_FAIL : V_PASS;
}

static void check_conservation(const struct run *r, struct check_list *cl)
{
	const struct sched_acct *s = &r->sched;
	struct check *c = add(cl, r, "conservation: states sum to lifetime");
	size_t i, bad = 0;
	double worst = -1, wsum = 0, wlife = 0;
	const struct sched_thread *wt = NULL;

	for (i = 0; i < s->nthreads; i++) {
		const struct sched_thread *t = &s->threads[i];
		double sum = 0, d;
		int k;

		for (k = 0; k < ST_COUNT; k++)
			sum += (double)t->state_ns[k];
		d = fabs(sum - (double)t->lifetime_ns);
		if (d > tol_conservation_ns((double)t->lifetime_ns))
			bad++;
		if (d / tol_conservation_ns((double)t->lifetime_ns) > worst) {
			worst = d / tol_conservation_ns((double)t->lifetime_ns);
			wt = t;
			wsum = sum;
			wlife = (double)t->lifetime_ns;
		}
	}
	c->verdict = bad ? V_FAIL : V_PASS;
	fig(c, "%zu/%zu threads within 1%%", s->nthreads - bad, s->nthreads);
	if (wt)
		fig(c, "; worst %s: states %.3f ms vs lifetime %.3f ms (%.3f%%)",
		    thread_label_of(wt), wsum / 1e6, wlife / 1e6,
		    wlife > 0 ? 100 * (wsum - wlife) / wlife : 0);
}

/* Lost scheduling events distort the states: they fail the run. Lost stacks
 * (a miss or a hash collision in the stack map) only thin offcpu.folded, so
 * they are shown as their own line, counted, without failing it. */
static void check_lost(const struct run *r, struct check_list *cl)
{
	const struct sched_acct *s = &r->sched;
	struct check *c = add(cl, r, "lost events");

	c->verdict = s->lost_ringbuf || s->lost_map_full || s->lost_prog_misses ? V_FAIL : V_PASS;
	fig(c,
	    "ring buffer %llu, map full %llu, program misses %llu; switches the kernel did not "
	    "report, rebuilt by the collector from its counters: %llu in, %llu out; wakeups not "
	    "seen: %llu (each one's run-queue wait taken back from the blocked state by the "
	    "kernel's run_delay)",
	    (unsigned long long)s->lost_ringbuf, (unsigned long long)s->lost_map_full,
	    (unsigned long long)s->lost_prog_misses, (unsigned long long)s->lost_switch_in_missed,
	    (unsigned long long)s->lost_switch_out_missed,
	    (unsigned long long)s->lost_wakeup_missed);
	c = add(cl, r, "lost off-CPU stacks (offcpu.folded only)");
	c->verdict = V_NA;
	fig(c,
	    "stack misses %llu, stack collisions %llu: those waits are in sched.json but "
	    "their stacks are missing from offcpu.folded",
	    (unsigned long long)s->lost_stack_misses, (unsigned long long)s->lost_stack_collisions);
}

static void check_faults_of(const struct run *r, struct check_list *cl)
{
	struct check c = {0};

	if (check_faults(r, &c))
		*add(cl, r, c.name) = c;
}

static void check_wakers_of(const struct run *r, struct check_list *cl)
{
	struct check c = {0};

	if (check_wakers(r, &c))
		*add(cl, r, c.name) = c;
}

void checks_run(const struct run_set *rs, struct check_list *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < rs->nruns; i++) {
		const struct run *r = &rs->runs[i];

		check_kernel(r, out);
		check_perf_stat(rs, r, out);
		check_timehist(r, out);
		check_conservation(r, out);
		check_faults_of(r, out);
		check_wakers_of(r, out);
		check_lost(r, out);
	}
}

size_t checks_failed(const struct check_list *cl)
{
	size_t i, n = 0;

	for (i = 0; i < cl->n; i++)
		n += cl->c[i].verdict == V_FAIL;
	return n;
}

void checks_free(struct check_list *cl)
{
	free(cl->c);
	free(cl->t);
	free(cl->t_run);
	memset(cl, 0, sizeof(*cl));
}

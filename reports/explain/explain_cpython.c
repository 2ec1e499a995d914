// SPDX-License-Identifier: GPL-2.0
/* The GIL of real CPython beside the C model's lock. Claims and thresholds
 * (docs/explainers.md, docs/cpython.md):
 *   - contended: waits on the GIL's words ≥ GIL_CONTENDED_SHARE (10%) of the
 *     lifetime of the threads that could wait on it;
 *   - model and CPython agree on serialisation when both ran at parallelism
 *     ≤ 1.25, on waiting when their GIL-wait shares are within 1.5× of each
 *     other, on the handoff rate when the rates are within 1.5×;
 *   - convoy: the I/O thread's mean response with CPU threads ≥ 3× its mean
 *     alone and ≥ 1 ms longer (the mean, because the delays are bursty: a
 *     response that found the lock free is as fast as alone); its GIL waits
 *     explain the growth when their mean per
 *     request of the CPU phase is within 0.5-1.5× of the growth of the mean
 *     response. */
#include "explain_cpython.h"
#include "figures.h"
#include "cpython.h"
#include "roles.h"
#include "wakes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGREE_RATIO 1.5
#define CONVOY_GROWTH 3.0
#define CONVOY_MIN_NS 1e6
#define EXPLAINED_LO 0.5
#define EXPLAINED_HI 1.5

static bool role_is(const char *comm, const char *role)
{
	char r[ROLE_LEN];

	role_of(r, sizeof(r), comm);
	return !role || !strncmp(r, role, strlen(role));
}

/* The GIL's words: the model's named "GIL ..." in demo.json, CPython's from
 * _PyRuntime. Notes where CPython's were named, or why they could not be. */
static void gil_waits(const struct run *r, struct gil_figures *g)
{
	bool resolved = false;

	for (size_t i = 0; i < r->sched.nfutex; i++) {
		const struct futex_acct *f = &r->sched.futex[i];
		const char *name = futex_word_name(r, f);
		struct gil_naming n = cpython_gil_name(f);

		resolved |= f->object[0] || f->symbol[0];
		if (n.verdict == GIL_NAMED && !g->where[0] && n.layout)
			snprintf(g->where, sizeof(g->where),
				 "_PyRuntime in %.400s, laid out by CPython %s's headers (%.300s)",
				 f->object, n.layout->version, n.layout->include);
		else if (n.verdict != GIL_NAMED && n.verdict != GIL_NOT_RUNTIME &&
			 n.verdict != GIL_OTHER_WORD && !g->why_not[0])
			snprintf(g->why_not, sizeof(g->why_not), "%.1000s", n.why);
		if (!name || strncmp(name, "GIL", 3))
			continue;
		g->named = true;
		g->waits += f->count;
		g->wait_ns += f->total_ns;
	}
	if (g->named)
		g->why_not[0] = '\0';
	else if (!g->why_not[0] && !resolved && r->sched.nfutex && r->demo &&
		 json_object_get(r->demo->root, "python"))
		snprintf(g->why_not, sizeof(g->why_not),
			 "cannot name the GIL: the collector gave no object or symbol for the "
			 "futex words (sched.json futex[] without object and symbol)");
}

/* Wakeups of the threads of @role, and those whose top waker was another
 * thread of the same role (the thread that dropped the GIL). */
static void wakers(const struct run *r, const char *role, struct gil_figures *g)
{
	g->by_other_exact = true;
	if (r->sched.nwakes && role) {
		struct wake_filter all = {role, ST_LOCK, -1, NULL, 0, "GIL", false};
		struct wake_filter other = {role, ST_LOCK, WK_THREAD, role, 0, "GIL", true};

		g->wakeups = wake_tally_of(r, &all).count;
		g->by_other = wake_tally_of(r, &other).count;
		g->from_wakes = true;
		return;
	}
	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];

		if (!role_is(t->comm, role))
			continue;
		g->wakeups += t->wakeups;
		if (t->top_waker_tid && t->top_waker_tid != t->tid &&
		    role_is(t->top_waker_comm, role)) {
			g->by_other += t->top_waker_count;
			g->by_other_exact &= t->top_waker_exact;
		}
	}
}

/* Whether a futex word of process @pid was named the GIL's. */
static bool has_gil(const struct run *r, int pid)
{
	for (size_t i = 0; i < r->sched.nfutex; i++) {
		const char *name = futex_word_name(r, &r->sched.futex[i]);

		if (r->sched.futex[i].pid == pid && name && !strncmp(name, "GIL", 3))
			return true;
	}
	return false;
}

/* The threads of @role in the processes that have a GIL (a traced command
 * may run others: a shell, a launcher). */
static struct state_sum gil_threads(const struct run *r, const char *role)
{
	struct state_sum ss = {0};

	for (size_t i = 0; i < r->sched.nthreads; i++) {
		const struct sched_thread *t = &r->sched.threads[i];

		if (!role_is(t->comm, role) || !has_gil(r, t->pid))
			continue;
		ss.threads++;
		for (int k = 0; k < ST_COUNT; k++)
			ss.ns[k] += t->state_ns[k];
		ss.lifetime_ns += t->lifetime_ns;
	}
	return ss;
}

static struct gil_figures run_figures(const struct run *r, const char *role)
{
	struct gil_figures g = {0};
	double wall = r->m[M_WALL_S];

	gil_waits(r, &g);
	g.threads = gil_threads(r, role);
	g.blocked_ns = fig_part_of_blocked((double)g.threads.ns[ST_LOCK], (double)g.wait_ns,
					   (double)syscall_sum_of(r, role, "futex").total_ns);
	g.wait_share = g.threads.lifetime_ns ? g.blocked_ns / (double)g.threads.lifetime_ns : 0;
	g.parallelism = r->m[M_PARALLELISM];
	g.handoffs = demo_num(r, "gil.handoffs", -1);
	g.handoffs_per_s = g.handoffs >= 0 && wall > 0 ? g.handoffs / wall : -1;
	g.interval_ns = demo_num(r, "gil.switch_interval_ns", 0);
	if (g.interval_ns <= 0)
		g.interval_ns = demo_num(r, "python.switch_interval_ns", 0);
	wakers(r, role, &g);
	return g;
}

struct gil_figures gil_figures_of(const struct variant *v, const char *role)
{
	struct gil_figures g = run_figures(v->rep, role);

	g.parallelism = v->m[M_PARALLELISM].med;
	return g;
}

void explain_cpython_gil(const struct run *r, const char *prefix, const char *role,
			 struct sentences *out)
{
	struct gil_figures g = run_figures(r, role);
	struct futex_sum fs;
	char d1[32];

	if (!g.named) {
		if (g.why_not[0])
			sentences_add(out, "%s%s.", prefix, g.why_not);
		return;
	}
	if (!g.where[0])
		return; /* the model's lock: its explainer speaks of it */
	fs = futex_sum_of(r);
	sentences_add(out,
		      "%sCPython's GIL, found with no change to the program from its futex "
		      "words in %s: %llu waits on it, %s blocked in all, %.1f%% of the lifetime "
		      "of the %zu %s%sthread%s of its process (the calls' own times, waking up "
		      "included: %s).",
		      prefix, g.where, (unsigned long long)g.waits,
		      fmt_ns(d1, sizeof(d1), g.blocked_ns), 100 * g.wait_share, g.threads.threads,
		      role ? role : "", role ? " " : "", g.threads.threads == 1 ? "" : "s",
		      fs.names);
	if (g.wait_share >= GIL_CONTENDED_SHARE)
		sentences_add(out,
			      "%sCPython's GIL was contended: waiting for it took %.0f%% of the "
			      "threads' lifetime (threshold: ≥ %.0f%%).",
			      prefix, 100 * g.wait_share, 100 * GIL_CONTENDED_SHARE);
	else
		sentences_add(out,
			      "%sCPython's GIL was not contended: waiting for it took %.1f%% of "
			      "the threads' lifetime, under the %.0f%% it takes to say they "
			      "fought over it.",
			      prefix, 100 * g.wait_share, 100 * GIL_CONTENDED_SHARE);
}

static bool agree(double a, double b)
{
	return a > 0 && b > 0 && fmax(a, b) / fmin(a, b) <= AGREE_RATIO;
}

static void append(char *buf, size_t len, const char *what)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? "; " : "", what);
}

void explain_model_vs_cpython(const struct variant *model, const struct variant *real,
			      struct sentences *out)
{
	struct gil_figures m = gil_figures_of(model, "worker"), p = gil_figures_of(real, "worker");
	char same[512] = "", differ[512] = "", item[256];
	double ceiling = m.interval_ns > 0 ? 1e9 / m.interval_ns : 0;

	snprintf(item, sizeof(item), "parallelism %.2f (%s) vs %.2f (%s)", m.parallelism,
		 model->name, p.parallelism, real->name);
	if (m.parallelism <= SERIAL_PARALLELISM && p.parallelism <= SERIAL_PARALLELISM)
		append(same, sizeof(same), item);
	else
		append(differ, sizeof(differ), item);
	if (m.named && p.named) {
		snprintf(item, sizeof(item),
			 "the workers waited on the GIL %.0f%% of their lifetime vs %.0f%%",
			 100 * m.wait_share, 100 * p.wait_share);
		append(agree(m.wait_share, p.wait_share) ? same : differ,
		       agree(m.wait_share, p.wait_share) ? sizeof(same) : sizeof(differ), item);
	}
	if (m.handoffs_per_s > 0 && p.handoffs_per_s > 0) {
		snprintf(item, sizeof(item),
			 "the GIL changed hands %.0f/s vs %.0f/s (1/switch interval = %.0f/s)",
			 m.handoffs_per_s, p.handoffs_per_s, ceiling);
		append(agree(m.handoffs_per_s, p.handoffs_per_s) ? same : differ,
		       agree(m.handoffs_per_s, p.handoffs_per_s) ? sizeof(same) : sizeof(differ),
		       item);
	}
	if (m.wakeups && p.wakeups) {
		double ms = (double)m.by_other / (double)m.wakeups;
		double ps = (double)p.by_other / (double)p.wakeups;

		snprintf(item, sizeof(item),
			 "%s%.0f%% vs %s%.0f%% of the workers' %s the other worker (%llu of %llu, "
			 "%llu of %llu)",
			 m.by_other_exact ? "" : "up to ", 100 * ms,
			 p.by_other_exact ? "" : "up to ", 100 * ps,
			 m.from_wakes && p.from_wakes ? "GIL waits were ended by"
						      : "wakeups came from",
			 (unsigned long long)m.by_other, (unsigned long long)m.wakeups,
			 (unsigned long long)p.by_other, (unsigned long long)p.wakeups);
		append(agree(ms, ps) ? same : differ, agree(ms, ps) ? sizeof(same) : sizeof(differ),
		       item);
	}
	if (!same[0] && !differ[0])
		return;
	sentences_add(out,
		      "Model and CPython, %s against %s: %s%s%s%s%s (agreement: within %.1f× of "
		      "each other, parallelism both ≤ %.2f).",
		      model->name, real->name, same[0] ? "they agree on " : "", same,
		      same[0] && differ[0] ? ". They differ on "
		      : differ[0]	   ? "they differ on "
					   : "",
		      differ, "", AGREE_RATIO, SERIAL_PARALLELISM);
	if (p.handoffs_per_s > 0 && ceiling > 0)
		sentences_add(
		    out,
		    "%s: the workers noted whose turn it was every 1000 iterations and saw the GIL "
		    "change hands %.0f times in %.2f s, %.0f/s, %.0f%% of 1/switch interval "
		    "(sys.getswitchinterval() = %s): a waiter asks for the GIL after one interval, "
		    "and the holder gives it up at its next check of the eval breaker.",
		    real->name, p.handoffs, real->rep->m[M_WALL_S], p.handoffs_per_s,
		    100 * p.handoffs_per_s / ceiling, fmt_ns(item, sizeof(item), p.interval_ns));
}

/* demo.json convoy.PHASE.KEY */
static double phase_num(const struct run *r, const char *phase, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "convoy.%s.%s", phase, key);
	return demo_num(r, path, -1);
}

void explain_convoy(const struct variant *v, struct sentences *out)
{
	const struct run *r = v->rep;
	double a50 = phase_num(r, "alone", "p50"), a99 = phase_num(r, "alone", "p99");
	double c50 = phase_num(r, "with_cpu", "p50"), c99 = phase_num(r, "with_cpu", "p99");
	double amean = phase_num(r, "alone", "mean"), cmean = phase_num(r, "with_cpu", "mean");
	double n = phase_num(r, "with_cpu", "count"), workers = demo_num(r, "convoy.workers", 0);
	double period = demo_num(r, "convoy.period_ns", 0);
	double per_req = demo_num(r, "convoy.with_cpu.server_gil_wait.mean", -1);
	struct gil_figures g = run_figures(r, "server");
	const char *source = "timed by the model around each of its lock takes";
	char d[6][32];

	if (a50 < 0 || c50 < 0 || n <= 0)
		return;
	sentences_add(out,
		      "%s: a request every %s; the I/O thread answered in p50 %s, p99 %s alone, "
		      "and in p50 %s, p99 %s while %.0f CPU-bound thread%s computed.",
		      v->name, fmt_ns(d[0], sizeof(d[0]), period), fmt_ns(d[1], sizeof(d[1]), a50),
		      fmt_ns(d[2], sizeof(d[2]), a99), fmt_ns(d[3], sizeof(d[3]), c50),
		      fmt_ns(d[4], sizeof(d[4]), c99), workers, workers == 1 ? "" : "s");
	if (!(amean > 0 && cmean >= CONVOY_GROWTH * amean && cmean - amean >= CONVOY_MIN_NS))
		return;
	/* The model times its server's lock waits per request, phase by phase.
	 * CPython's are the server's futex waits over the run (it blocks on
	 * nothing else: its socket waits are io), spread over the CPU phase's
	 * requests (alone, nobody holds the GIL for long). */
	if (per_req < 0) {
		if (!g.named)
			return;
		per_req = (double)g.threads.ns[ST_LOCK] / n;
		source = g.where[0] ? "its futex waits on CPython's GIL, over the whole run"
				    : "its futex waits, over the whole run";
	}
	sentences_add(out,
		      "%s: that is the convoy effect (mean response %s, %.0f× the %s alone; "
		      "threshold: ≥ %.0f× and ≥ 1 ms longer). After each wakeup from its socket, "
		      "and after each reply it sends, the I/O thread must take the GIL back from "
		      "a CPU-bound thread; a late return to recv delays the next request too. "
		      "It waited %s per request of the CPU phase for the GIL (%s), against %s "
		      "added to the mean response.",
		      v->name, fmt_ns(d[0], sizeof(d[0]), cmean), cmean / amean,
		      fmt_ns(d[1], sizeof(d[1]), amean), CONVOY_GROWTH,
		      fmt_ns(d[2], sizeof(d[2]), per_req), source,
		      fmt_ns(d[3], sizeof(d[3]), cmean - amean));
	if (per_req >= EXPLAINED_LO * (cmean - amean) && per_req <= EXPLAINED_HI * (cmean - amean))
		sentences_add(out,
			      "%s: the GIL waits account for the delay: %s per request against %s "
			      "added to the mean response (within %.1f-%.1f×).",
			      v->name, fmt_ns(d[0], sizeof(d[0]), per_req),
			      fmt_ns(d[1], sizeof(d[1]), cmean - amean), EXPLAINED_LO,
			      EXPLAINED_HI);
}

/* ---- C and CPython as two families ---------------------------------------- */

#define SAME_WALL 1.25 /* walls within this ratio: "they agree" */

static bool is_py(const struct variant *v)
{
	return !strncmp(v->name, "py-", 3);
}

/* @rs with only the variants that are (@python) or are not py-*; the
 * variants are copied into @buf, the runs they point to are shared. */
static struct run_set family(const struct run_set *rs, bool python, struct variant *buf)
{
	struct run_set f = *rs;

	f.nvariants = 0;
	f.variants = buf;
	for (size_t i = 0; i < rs->nvariants; i++)
		if (is_py(&rs->variants[i]) == python)
			buf[f.nvariants++] = rs->variants[i];
	return f;
}

/* The state the working threads spent most of their time in: the loop
 * thread's life where there is one; else the threads that did tasks over
 * the section the demo timed (fig_section_of: the Why's own figures,
 * without an interpreter's start-up) when the timeline has it (*@section
 * set), else their lives. */
static enum st_thread_state busiest_state(const struct variant *v, bool use_section, double *share,
					  bool *section)
{
	struct state_sum ss = state_sum_of(v->rep, "loop");
	enum st_thread_state best = ST_RUNNING;

	*section = false;
	if (!ss.threads) {
		struct fig_section sec = fig_section_of(v);
		double all = 0;

		if (use_section && sec.measured && sec.task_threads) {
			for (int k = 0; k < ST_COUNT; k++) {
				all += sec.task_ns[k];
				if (sec.task_ns[k] > sec.task_ns[best])
					best = (enum st_thread_state)k;
			}
			*share = all > 0 ? sec.task_ns[best] / all : 0;
			*section = true;
			return best;
		}
		ss = state_sum_of_task_threads(v->rep);
	}
	for (int k = 0; k < ST_COUNT; k++)
		if (ss.ns[k] > ss.ns[best])
			best = (enum st_thread_state)k;
	*share = state_share(&ss, best);
	return best;
}

static void beside_model(const struct run_set *rs, const struct variant *py, struct sentences *out)
{
	const struct variant *c = run_set_variant(rs, py->name + 3);
	struct gil_figures g = run_figures(py->rep, NULL);
	double pw = py->m[M_WALL_S].med, cw, ps, cs, ratio;
	enum st_thread_state pst, cst;
	bool psec, csec;
	char gil[256] = "";

	if (g.named)
		snprintf(gil, sizeof(gil),
			 "; waiting on the GIL took %.1f%% of its threads' lifetime%s",
			 100 * g.wait_share,
			 g.wait_share >= GIL_CONTENDED_SHARE ? " (contended)" : " (not contended)");
	if (!c || pw <= 0 || c->m[M_WALL_S].med <= 0) {
		if (gil[0])
			sentences_add(out, "%s: in CPython%s.", py->name, gil + 1);
		return;
	}
	cw = c->m[M_WALL_S].med;
	ratio = fmax(pw, cw) / fmin(pw, cw);
	/* both over their timed sections, or both over their lives */
	pst = busiest_state(py, true, &ps, &psec);
	cst = busiest_state(c, true, &cs, &csec);
	if (psec != csec) {
		pst = busiest_state(py, false, &ps, &psec);
		cst = busiest_state(c, false, &cs, &csec);
	}
	sentences_add(out,
		      "%s (CPython) took %.*f s against %.*f s for %s (the C model): %s (%.2f×; "
		      "agreement: within %.2f×). Their working threads spent most of %s "
		      "%s: %s %.0f%% in CPython, %s %.0f%% in the model%s.",
		      /* under a second, three decimals: 0.08 against 0.06 does not
		       * read as the 1.46× beside it */
		      py->name, pw < 1 ? 3 : 2, pw, cw < 1 ? 3 : 2, cw, c->name,
		      ratio <= SAME_WALL ? "they agree" : "they differ", pw / cw, SAME_WALL,
		      psec ? "the section each demo timed" : "their life",
		      pst == cst ? "in the same state" : "in different states", state_names[pst],
		      100 * ps, state_names[cst], 100 * cs, gil);
}

void verdict_families(const struct explainer *e, const struct run_set *rs,
		      void (*fn)(const struct run_set *rs, struct verdicts *out),
		      struct verdicts *out)
{
	struct variant *buf;
	struct run_set f;
	size_t npy = 0, i;

	for (i = 0; i < rs->nvariants; i++)
		npy += is_py(&rs->variants[i]);
	if (e->reads_python || !npy || !rs->is_demo) {
		fn(rs, out);
		return;
	}
	buf = calloc(rs->nvariants, sizeof(*buf));
	if (!buf)
		abort();
	f = family(rs, false, buf);
	if (f.nvariants)
		fn(&f, out);
	f = family(rs, true, buf);
	fn(&f, out);
	free(buf);
}

/* 02's explainer sets the model's GIL beside CPython's itself, so it reads
 * every variant at once; its sentences about CPython's variants (they start
 * with a py-* name) and the comparison go to @python, the rest to @lesson. */
static void split_by_interpreter(const struct explainer *e, const struct run_set *rs,
				 struct sentences *lesson, struct sentences *python)
{
	struct sentences all = {0};

	e->explain(rs, &all);
	for (size_t i = 0; i < all.n; i++)
		sentences_add(!strncmp(all.s[i], "py-", 3) ||
				      !strncmp(all.s[i], "Model and CPython", 17)
				  ? python
				  : lesson,
			      "%s", all.s[i]);
	sentences_free(&all);
}

void explain_families(const struct explainer *e, const struct run_set *rs, struct sentences *out)
{
	explain_families_split(e, rs, out, out);
}

void explain_families_split(const struct explainer *e, const struct run_set *rs,
			    struct sentences *lesson, struct sentences *out)
{
	struct variant *buf;
	struct run_set f;
	size_t npy = 0, i;
	bool said_where = false;

	for (i = 0; i < rs->nvariants; i++)
		npy += is_py(&rs->variants[i]);
	/* 02's explainer sets the model's GIL and CPython's side by side itself. */
	if (!npy || !rs->is_demo) {
		e->explain(rs, lesson);
		return;
	}
	if (e->reads_python) {
		split_by_interpreter(e, rs, lesson, out);
		return;
	}
	buf = calloc(rs->nvariants, sizeof(*buf));
	if (!buf)
		abort();
	f = family(rs, false, buf);
	if (f.nvariants)
		e->explain(&f, lesson);
	f = family(rs, true, buf);
	e->explain(&f, out);
	free(buf);
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		struct gil_figures g;

		if (!is_py(v))
			continue;
		g = run_figures(v->rep, NULL);
		if (!said_where && (g.where[0] || g.why_not[0])) {
			if (g.where[0])
				sentences_add(
				    out,
				    "CPython's GIL was found in each py-* run with no change "
				    "to the programs, from the futex words in %s.",
				    g.where);
			else
				sentences_add(out, "%s: %s.", v->name, g.why_not);
			said_where = true;
		}
		beside_model(rs, v, out);
	}
}

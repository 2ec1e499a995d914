// SPDX-License-Identifier: GPL-2.0
/* The trust line: may the reader take this run's lesson at its word? The
 * cross-checks that passed, the events lost, the host's load as the
 * collector measured it (host_load.h: other work named, with what to do),
 * what tracing cost; and, plainly, where a variant's shape contradicts what
 * the demo exists to show (the verdict's doubts). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host_load.h"
#include "report.h"

/* The eBPF programs' time past this share of the run's CPU time is said as
 * comparable to it. */
#define TRACE_COST_SHARE 0.10

/* Why the line warns, in a few words each (the index's Trust column). */
static void reason(struct sbuf *why, bool *warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reason(struct sbuf *why, bool *warn, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_printf(why, "%s%s", why->len ? "; " : "", buf);
	*warn = true;
}

static void lost_text(const struct run_set *rs, struct sbuf *out, struct sbuf *why, bool *warn)
{
	uint64_t dropped = 0, repaired = 0;
	size_t i;

	for (i = 0; i < rs->nruns; i++) {
		const struct sched_acct *s = &rs->runs[i].sched;

		dropped += s->lost_ringbuf + s->lost_map_full + s->lost_prog_misses;
		repaired +=
		    s->lost_switch_in_missed + s->lost_switch_out_missed + s->lost_wakeup_missed;
	}
	if (dropped) {
		reason(why, warn, "%llu events lost", (unsigned long long)dropped);
		sb_printf(out, " %llu %s lost: some figures are short of the truth.",
			  (unsigned long long)dropped, dropped == 1 ? "event was" : "events were");
	} else if (repaired) {
		sb_printf(out,
			  " No events lost (%llu %s the kernel did not report %s rebuilt from its "
			  "own counters).",
			  (unsigned long long)repaired,
			  repaired == 1 ? "switch or wakeup" : "switches or wakeups",
			  repaired == 1 ? "was" : "were");
	} else {
		sb_add(out, " No events lost.");
	}
}

/* The host's load, as host_load.h judged it: measured, never inferred. */
static void host_text(const struct run_set *rs, struct sbuf *out, struct sbuf *why, bool *warn)
{
	const struct variant *worst;
	enum host_verdict v = host_load_set(rs, &worst);
	struct host_load h;
	char a[32], b[32], c[32], who[256];

	if (v == HOST_UNMEASURED || !worst) {
		sb_add(out, " Other work on the host was not measured (the run's collector "
			    "predates the measurement).");
		return;
	}
	h = host_load_of(worst->rep);
	if (v == HOST_QUIET && h.other_ns <= 0) {
		sb_add(out, " The host was quiet: nothing else ran on the run's CPUs.");
		return;
	}
	sb_printf(out, " The host was %s: ", v == HOST_BUSY ? "busy" : "quiet");
	if (rs->nvariants > 1)
		sb_printf(out, "in %s%s, ", worst->name,
			  v == HOST_BUSY ? "" : " (the most of any variant)");
	host_takers(&h, HOST_SAY, who, sizeof(who));
	sb_printf(out, "other processes took %s of the %d CPU%s %s (%.0f%%: %s",
		  fig_dur(a, sizeof(a), h.other_ns), h.ncpus, h.ncpus == 1 ? "'s" : "s'",
		  fig_dur(b, sizeof(b), h.capacity_ns), 100 * h.cpu_share, who);
	sb_printf(out,
		  "), and the run's threads waited %s for CPUs those held (%.0f%% of "
		  "their CPU demand)",
		  fig_dur(c, sizeof(c), h.waited_ns), 100 * h.wait_share);
	if (v == HOST_BUSY) {
		reason(why, warn, "a busy host: other work took %.0f%% of the CPUs",
		       100 * h.cpu_share);
		sb_add(out, ". The lesson may be distorted: trace again on a quieter machine, or "
			    "with --repeat 3 for medians.");
	} else {
		sb_printf(out, ": under %.0f%% and %.0f%%, not enough to move the figures.",
			  100 * HOST_CPU_SHARE, 100 * HOST_WAIT_SHARE);
	}
}

/* What tracing cost, all variants together: the kernel's own count of the
 * eBPF programs' runs and time, against the run's CPU time. */
struct cost_sum {
	bool any;
	const char *why; /* the kernel did not count, in some variant */
	double runs, run_ns, span, cpu, procs, own;
};

static struct cost_sum cost_sum_of(const struct run_set *rs)
{
	struct cost_sum c = {0};
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		struct tracer_cost tc = tracer_cost_of(rs->variants[i].rep);

		if (!tc.measured)
			continue;
		c.any = true;
		if (!tc.stats) {
			c.why = tc.why_not;
			continue;
		}
		c.runs += tc.runs;
		c.run_ns += tc.run_ns;
		c.span += tc.span_ns;
		c.cpu += tc.run_cpu_ns;
		c.procs += tc.procs_ns;
		c.own += tc.own_ns;
	}
	return c;
}

static bool cost_comparable(const struct cost_sum *c)
{
	return c->cpu > 0 && c->own >= TRACE_COST_SHARE * c->cpu;
}

static void cost_text(const struct run_set *rs, struct sbuf *out, struct sbuf *why, bool *warn)
{
	struct cost_sum cs = cost_sum_of(rs);
	double runs = cs.runs, run_ns = cs.run_ns, span = cs.span, cpu = cs.cpu, procs = cs.procs;
	const char *why_not = cs.why;
	char a[32], b[32], c[32], d[32];

	if (!cs.any)
		return;
	if (why_not && !runs) {
		sb_printf(out,
			  " Tracing cost: not measured, the kernel did not count the eBPF "
			  "programs' run time (%s).",
			  why_not);
		return;
	}
	sb_printf(out,
		  " Tracing cost: the eBPF programs ran %.0f times (%.0f events/s, every task's) "
		  "for %s in all, %.0f ns per event; the run's own switches, wakeups and "
		  "syscalls set off about %s of it, %.1f%% of the run's %s of CPU time; the "
		  "tracer's own processes took %s of its CPUs.",
		  runs, span > 0 ? runs * 1e9 / span : 0, fig_dur(a, sizeof(a), run_ns),
		  runs > 0 ? run_ns / runs : 0, fig_dur(d, sizeof(d), cs.own),
		  cpu > 0 ? 100 * cs.own / cpu : 0, fig_dur(b, sizeof(b), cpu),
		  fig_dur(c, sizeof(c), procs));
	if (cost_comparable(&cs)) {
		reason(why, warn, "tracing took %.0f%% of the run's CPU time",
		       100 * cs.own / cs.cpu);
		sb_add(out, " That is comparable to the run's own CPU time: its CPU times and "
			    "walls include the tracer's work.");
	}
}

/* The trust line and why it warns, built once: the page's line, the
 * terminal's and the index's Trust column all come from here. */
static void trust_build(const struct report *rp, struct sbuf *out, struct sbuf *why, bool *warn)
{
	const struct check_list *cl = rp->checks;
	size_t failed = checks_failed(cl), i;

	*warn = false;
	for (i = 0; i < rp->verdict->doubts.n; i++) {
		/* the doubt without its full stop: the reasons are joined by "; " */
		if (!i) {
			const char *d = rp->verdict->doubts.s[i];
			size_t n = strlen(d);

			reason(why, warn, "%.*s", (int)(n && d[n - 1] == '.' ? n - 1 : n), d);
		}
		sb_printf(out, "%s ", rp->verdict->doubts.s[i]);
	}
	sb_printf(out, "Cross-checks: %zu of %zu passed", cl->n - failed, cl->n);
	if (failed) {
		reason(why, warn, "%zu cross-check%s failed", failed, failed == 1 ? "" : "s");
		sb_printf(out,
			  " (%zu failed: the figures they compare are less certain; see "
			  "Cross-checks below)",
			  failed);
	}
	sb_add(out, ".");
	lost_text(rp->rs, out, why, warn);
	host_text(rp->rs, out, why, warn);
	cost_text(rp->rs, out, why, warn);
}

void trust_text(const struct report *rp, struct sbuf *out, bool *warn)
{
	struct sbuf why = SBUF_INIT;

	trust_build(rp, out, &why, warn);
	sb_free(&why);
}

void trust_caution(const struct report *rp, struct sbuf *out, bool *warn)
{
	struct sbuf line = SBUF_INIT;

	trust_build(rp, &line, out, warn);
	sb_free(&line);
}

void report_trust(struct report *rp)
{
	struct sbuf s = SBUF_INIT;
	bool warn;

	trust_text(rp, &s, &warn);
	doc_lead(&rp->doc, warn, "%s", sb_str(&s));
	sb_free(&s);
}

// SPDX-License-Identifier: GPL-2.0
/* What the host did to a run, whatever was traced: time taken from threads
 * while they were on a CPU. On a shared VM this can be a third of the running
 * time; a class must not read it as computing. */
#include "explain.h"
#include "explain_cpython.h"
#include "host_load.h"

#include <string.h>

/* Below this share of running time, or this much in all, the walls are not
 * much distorted (loopback I/O alone costs the I/O demos a few ms of softirq). */
#define STOLEN_SHARE_MIN 0.05
#define STOLEN_MIN_S 0.05

/*
 * Other work on the host, when host_load.h's verdict says busy (the trust
 * line says the same from the same figures; quiet needs no Why).
 */
static void explain_other_work(const struct run_set *rs, struct sentences *out)
{
	const struct variant *worst;
	struct host_load h;
	char a[32], b[32], c[32], who[256];

	if (host_load_set(rs, &worst) != HOST_BUSY || !worst)
		return;
	h = host_load_of(worst->rep);
	host_takers(&h, HOST_SAY, who, sizeof(who));
	sentences_add(out,
		      "Other work on the host held the CPUs%s%s: other processes took %s of the "
		      "%d CPU%s %s (%.0f%%: %s), and these threads waited %s for CPUs those "
		      "held (%.0f%% of their CPU demand). Wall times and run-queue waits in this "
		      "report include that wait.",
		      rs->nvariants > 1 ? " most in " : "", rs->nvariants > 1 ? worst->name : "",
		      fmt_ns(a, sizeof(a), h.other_ns), h.ncpus, h.ncpus == 1 ? "'s" : "s'",
		      fmt_ns(b, sizeof(b), h.capacity_ns), 100 * h.cpu_share, who,
		      fmt_ns(c, sizeof(c), h.waited_ns), 100 * h.wait_share);
}

void explain_host(const struct run_set *rs, struct sentences *out)
{
	const struct variant *worst = NULL;
	double stolen = 0, running = 0, worst_share = 0;
	char a[32], b[32];
	size_t i;

	for (i = 0; i < rs->nvariants; i++) {
		const struct run *r = rs->variants[i].rep;
		double s = r->m[M_STOLEN_S], run = r->m[M_STATE0_S + ST_RUNNING];

		stolen += s;
		running += run;
		if (run > 0 && s / run > worst_share) {
			worst_share = s / run;
			worst = &rs->variants[i];
		}
	}
	explain_other_work(rs, out);
	if (running <= 0 || !worst || stolen / running < STOLEN_SHARE_MIN || stolen < STOLEN_MIN_S)
		return;
	sentences_add(out,
		      "The host took %s of the %s these threads spent on a CPU (%.0f%%; most in "
		      "%s, %.0f%%): the hypervisor gave the CPU to something else (steal) or "
		      "interrupts ran. The CPU time and CPUs busy in this report leave that time "
		      "out; the wall times include it.",
		      fmt_ns(a, sizeof(a), stolen * 1e9), fmt_ns(b, sizeof(b), running * 1e9),
		      100 * stolen / running, worst->name, 100 * worst_share);
}

const char *const why_group_titles[WHY_GROUPS] = {
    [WHY_LESSON] = "",
    [WHY_HOST] = "",
    [WHY_PYTHON] = "More evidence: the same demo in CPython (py-*), and beside the C model",
    [WHY_CAUSES] = "More evidence: who ended the waits, and the critical path",
};

void explain_why(const struct run_set *rs, struct why *w)
{
	memset(w, 0, sizeof(*w));
	explain_families_split(explainer_for(rs), rs, &w->g[WHY_LESSON], &w->g[WHY_PYTHON]);
	if (!w->g[WHY_LESSON].n) { /* only CPython's variants ran: they are the lesson */
		w->g[WHY_LESSON] = w->g[WHY_PYTHON];
		memset(&w->g[WHY_PYTHON], 0, sizeof(w->g[WHY_PYTHON]));
	}
	explain_host(rs, &w->g[WHY_HOST]);
	explain_causes(rs, &w->g[WHY_CAUSES]);
}

void why_free(struct why *w)
{
	for (int k = 0; k < WHY_GROUPS; k++)
		sentences_free(&w->g[k]);
}

void why_flat(const struct why *w, struct sentences *out)
{
	for (int k = 0; k < WHY_GROUPS; k++)
		for (size_t i = 0; i < w->g[k].n; i++)
			sentences_add(out, "%s", w->g[k].s[i]);
}

void explain_run_set(const struct run_set *rs, struct sentences *out)
{
	struct why w;

	explain_why(rs, &w);
	why_flat(&w, out);
	why_free(&w);
}

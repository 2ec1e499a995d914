// SPDX-License-Identifier: GPL-2.0
/* The trust line: may the reader take this run's lesson at its word? The
 * cross-checks that passed, the events lost, and the host's noise: threads
 * that waited for a CPU the run itself did not hold (figures.h
 * fig_noise_of), named, with what to do; and, plainly, where a variant's
 * shape contradicts what the demo exists to show (the verdict's doubts). */
#include <stdio.h>
#include <string.h>

#include "report.h"

static void lost_text(const struct run_set *rs, struct sbuf *out, bool *warn)
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
		*warn = true;
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

static void noise_text(const struct run_set *rs, struct sbuf *out, bool *warn)
{
	bool any = false;
	size_t i, k;
	char d[32];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		struct fig_noise nz = fig_noise_of(rs, v);

		if (!nz.noisy)
			continue;
		sb_add(out, any ? "; "
				: " The host was busy with other work: threads waited for "
				  "CPUs this run was not using. ");
		any = true;
		sb_printf(out, "%s: ", v->name);
		for (k = 0; k < nz.ntop; k++) {
			const struct fig_noisy *t = &nz.top[k];

			sb_printf(out, "%s%s %s", k ? ", " : "", t->who,
				  fig_dur(d, sizeof(d), t->runnable_ns));
			if (t->threads > 1)
				sb_printf(out, " (%zu threads)", t->threads);
		}
		if (!nz.ntop)
			sb_printf(out, "the hypervisor or interrupts took %s from running threads",
				  fig_dur(d, sizeof(d), nz.stolen_ns));
	}
	if (any) {
		*warn = true;
		sb_add(out, ". The lesson may be distorted: trace again on a quieter machine, or "
			    "with --repeat 3 for medians.");
	} else {
		sb_add(out,
		       " The host was quiet: no thread waited for a CPU this run was not using.");
	}
}

void trust_text(const struct report *rp, struct sbuf *out, bool *warn)
{
	const struct check_list *cl = rp->checks;
	size_t failed = checks_failed(cl), i;

	*warn = false;
	for (i = 0; i < rp->verdict->doubts.n; i++) {
		*warn = true;
		sb_printf(out, "%s ", rp->verdict->doubts.s[i]);
	}
	sb_printf(out, "Cross-checks: %zu of %zu passed", cl->n - failed, cl->n);
	if (failed)
		sb_printf(out,
			  " (%zu failed: the figures they compare are less certain; see "
			  "Cross-checks below)",
			  failed);
	sb_add(out, ".");
	lost_text(rp->rs, out, warn);
	noise_text(rp->rs, out, warn);
}

void report_trust(struct report *rp)
{
	struct sbuf s = SBUF_INIT;
	bool warn;

	trust_text(rp, &s, &warn);
	doc_lead(&rp->doc, warn, "%s", sb_str(&s));
	sb_free(&s);
}

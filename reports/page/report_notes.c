// SPDX-License-Identifier: GPL-2.0
/* What was not measured, and why: trace's own notes, optional inputs found
 * unreadable, runs without a timeline or stacks, a JVM's monitors unprobed.
 * Nothing when all was. */
#include "report.h"

/* A JVM ran but its monitors were not probed, or their owner not read. */
static void jvm_notes(const struct run *r, struct report *rp, struct doc_block **l)
{
	const struct sched_acct *s = &r->sched;

	if (s->jvm_found && !s->jvm_probes) {
		if (!*l)
			*l = doc_links(&rp->doc);
		doc_item(*l, NULL,
			 "%s: the command ran a JVM, but its monitor probes were not attached "
			 "(%s): a contended synchronized block is not named, nor the JVM's threads "
			 "told apart",
			 r->dir, s->jvm_why[0] ? s->jvm_why : "no reason recorded");
	}
	for (size_t k = 0; k < s->njvms; k++) {
		if (s->jvms[k].owner_read)
			continue;
		if (!*l)
			*l = doc_links(&rp->doc);
		doc_item(*l, NULL,
			 "%s: the JVM in process %d: its monitors' owner was not read (%s): waits "
			 "to enter a monitor are named without a holder",
			 r->dir, s->jvms[k].pid, s->jvms[k].why[0] ? s->jvms[k].why : "no reason");
	}
}

void report_notes(struct report *rp)
{
	const struct run_set *rs = rp->rs;
	struct doc_block *l = NULL;
	size_t i;

	for (i = 0; i < rs->nnotes; i++) {
		if (!l)
			l = doc_links(&rp->doc);
		doc_item(l, NULL, "%s", rs->notes[i]);
	}
	for (i = 0; i < json_array_size(rs->load_notes); i++) {
		if (!l)
			l = doc_links(&rp->doc);
		doc_item(l, NULL, "%s", json_string_value(json_array_get(rs->load_notes, i)));
	}
	for (i = 0; i < rs->nruns; i++)
		jvm_notes(&rs->runs[i], rp, &l);
	for (i = 0; i < rs->nruns; i++) {
		const struct run *r = &rs->runs[i];

		if (r->has_timeline && r->has_folded)
			continue;
		if (!l)
			l = doc_links(&rp->doc);
		doc_item(l, NULL, "%s: %s%s%s not recorded (no picture or stacks for this run)",
			 r->dir, r->has_timeline ? "" : "timeline.json",
			 !r->has_timeline && !r->has_folded ? " and " : "",
			 r->has_folded ? "" : "offcpu.folded");
	}
}

// SPDX-License-Identifier: GPL-2.0
/* The top of the page: the verdict, one plain sentence per variant tied to
 * the chapter's concept (the explainer's verdict), then the host it ran on
 * and what the CPUs bound. */
#include <stdio.h>

#include "report.h"

/* A variant that kept this many CPUs busy on average computed. */
#define BOUND_SAID 0.9

static void host_line(struct report *rp)
{
	const struct run_set *rs = rp->rs;

	bool computed = false;

	/* The bound speaks of computing: said where a variant kept a CPU busy,
	 * not on a page whose threads only waited. */
	for (size_t i = 0; i < rs->nvariants; i++)
		computed = computed || rs->variants[i].m[M_PARALLELISM].med >= BOUND_SAID;
	doc_para(&rp->doc, "Traced %s on %s: %d CPUs%s%s (%s), kernel %s%s.%s", rs->stamp,
		 rs->hostname, rs->cpus, rs->pinned_cpus[0] ? ", the demo pinned to " : "",
		 rs->pinned_cpus, rs->cpu_model, rs->kernel,
		 rs->quick ? ", with --quick (small sizes: the shapes hold, the sizes are not the "
			     "chapter's)"
			   : "",
		 computed ? " No variant can keep more CPUs busy than it has threads doing the "
			    "work, nor than the CPUs it may use: that limit, min(workers, CPUs), "
			    "is its bound."
			  : "");
}

void report_verdict(struct report *rp)
{
	const struct verdicts *v = rp->verdict;
	struct doc_block *l;
	size_t i;

	if (v->lesson[0])
		doc_para(&rp->doc, "The lesson: %s.", v->lesson);
	doc_heading(&rp->doc, 2, "Verdict");
	l = doc_links(&rp->doc);
	for (i = 0; i < v->lines.n; i++)
		doc_item(l, NULL, "%s", v->lines.s[i]);
	host_line(rp);
}

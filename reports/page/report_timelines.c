// SPDX-License-Identifier: GPL-2.0
/* The timeline picture of each variant's representative run (timeline_svg.c
 * draws it from timeline.json); the whole timeline opens in Perfetto. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "timeline_svg.h"

/* What to see in a variant's picture: the first row whose demo matches and
 * whose variant starts with the prefix ("" any). Colors: palette.h. */
static const struct {
	const char *demo, *variant, *caption;
} captions[] = {
    {"01_io_wait", "serial",
     "main waits for one answer after another (io, dark blue), with a short wakeup between "
     "them; the service's threads wait for requests"},
    {"01_io_wait", "py-serial",
     "main sleeps through one wait after another (sleep, light blue: CPython's time.sleep), "
     "with a short wakeup between them"},
    {"01_io_wait", "py-",
     "main waits for the workers (lock, vermillion: its join); the workers sleep through "
     "their waits (sleep, light blue) all at the same time"},
    {"01_io_wait", "",
     "main waits for the workers (lock, vermillion: its join); the workers wait for their "
     "answers (io, dark blue) all at the same time"},
    {"02_cpu_bound", "threads-gil",
     "the workers' green never overlaps: one thread holds the GIL at a time, the others wait "
     "for it (lock, vermillion)"},
    {"02_cpu_bound", "py-threads",
     "the workers' green never overlaps: one thread holds CPython's GIL at a time, the others "
     "wait for it (lock, vermillion)"},
    {"02_cpu_bound", "serial", "one thread computes alone (running, green)"},
    {"02_cpu_bound", "py-serial", "one thread computes alone (running, green)"},
    {"02_cpu_bound", "convoy",
     "the server thread answers requests (io, dark blue); while the workers compute (green) it "
     "must win the GIL back after each wakeup (lock, vermillion)"},
    {"02_cpu_bound", "py-convoy",
     "the server thread answers requests (io, dark blue); while the workers compute (green) it "
     "must win CPython's GIL back after each wakeup (lock, vermillion)"},
    /* processes, threads-nogil, py-processes: what they can do, not what a
     * given run did (a busy host leaves them orange: waiting for a CPU) */
    {"02_cpu_bound", "",
     "nothing stops the workers computing at the same time: green in both lanes at once is "
     "parallel computing; orange is a worker waiting for a CPU"},
    {"03_event_loop", "await",
     "the loop waits in epoll_wait (io, dark blue) for every timer at once, then runs the "
     "tasks' short steps (green)"},
    {"03_event_loop", "py-await",
     "the loop waits in epoll_wait (io, dark blue) for every timer at once, then runs the "
     "tasks' short steps (green)"},
    {"03_event_loop", "blocking",
     "the loop sleeps (light blue) inside each task, one sleep after another: nothing else "
     "runs meanwhile"},
    {"03_event_loop", "py-blocking",
     "the loop sleeps (light blue) inside each task, one sleep after another: nothing else "
     "runs meanwhile"},
    {"04_backpressure", "unbounded",
     "the producer never waits for room: it runs and sleeps between items while the queue "
     "grows"},
    {"04_backpressure", "py-unbounded",
     "the producer never waits for room: it runs and sleeps between items while the queue "
     "grows"},
    {"04_backpressure", "bounded",
     "the producer waits for room (lock, vermillion) whenever the queue is full: that is "
     "backpressure"},
    {"04_backpressure", "py-bounded",
     "the producer waits for room (lock, vermillion) whenever the queue is full: that is "
     "backpressure"},
    {"05_thread_overhead", "py-",
     "each worker sleeps through its wait (sleep, light blue); orange is waiting for a CPU, "
     "which grows with the number of threads"},
    {"05_thread_overhead", "",
     "each worker waits for its answer (io, dark blue); orange is waiting for a CPU, which "
     "grows with the number of threads"},
};

const char *timeline_caption(const char *demo, const char *variant)
{
	size_t i;

	for (i = 0; i < sizeof(captions) / sizeof(captions[0]); i++)
		if (!strcmp(captions[i].demo, demo) &&
		    !strncmp(variant, captions[i].variant, strlen(captions[i].variant)))
			return captions[i].caption;
	return NULL;
}

static const char *caption_of(const struct run_set *rs, const struct run *r)
{
	return rs->is_demo ? timeline_caption(rs->demo, r->variant) : NULL;
}

static void one(struct report *rp, const struct run *r)
{
	char name[200], rel[260], path[4600], err[512];
	FILE *f;
	int rc;

	chart_name(name, sizeof(name), "timeline-", r->dir);
	snprintf(rel, sizeof(rel), "charts/%s.svg", name);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	f = fopen(path, "w");
	if (!f) {
		doc_note(&rp->doc, "%s: timeline picture not drawn: %s: %s", r->dir, path,
			 strerror(errno));
		return;
	}
	err[0] = '\0';
	rc = timeline_svg(r, f, err, sizeof(err));
	if (fclose(f) && !rc) {
		rc = -1;
		snprintf(err, sizeof(err), "%s: write failed: %s", rel, strerror(errno));
	}
	if (rc) {
		unlink(path);
		if (rc > 0)
			doc_para(&rp->doc,
				 "%s: no timeline.json in this run (traced without "
				 "--timeline), so no picture.",
				 r->dir);
		else
			doc_note(&rp->doc, "%s: timeline picture not drawn: %s", r->dir, err);
		return;
	}
	{
		const char *what = caption_of(rp->rs, r);
		char *cap =
		    what ? xasprintf("%s: %s.", r->variant, what) : xasprintf("%s", r->variant);

		doc_chart(&rp->doc, rel, cap);
		free(cap);
	}
}

void report_timelines(struct report *rp)
{
	bool folded;
	size_t i;

	doc_heading(&rp->doc, 2, "Timelines");
	doc_para(&rp->doc, "What each thread was doing over time, colored by state, over a window "
			   "chosen to show the pattern; the full timeline of a run is its "
			   "timeline.json (open it in https://ui.perfetto.dev).");
	for (i = 0; i < rp->rs->nvariants; i++)
		if (variant_featured(rp->rs, rp->rs->variants[i].name))
			one(rp, rp->rs->variants[i].rep);
	for (i = 0, folded = false; i < rp->rs->nvariants; i++) {
		if (variant_featured(rp->rs, rp->rs->variants[i].name))
			continue;
		if (!folded)
			doc_fold(&rp->doc, "The other variants' timelines");
		folded = true;
		one(rp, rp->rs->variants[i].rep);
	}
	if (folded)
		doc_unfold(&rp->doc);
}

// SPDX-License-Identifier: GPL-2.0
/* The variant files (Perfetto timeline, folded stacks, raw perf outputs),
 * each linked when present and named as missing when a pass should have
 * written it; then the exact commands to reproduce the run. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

struct file_kind {
	const char *name, *what, *pass; /* pass: meta "passes" key that promises it */
};

static const struct file_kind files[] = {
    {"demo.json", "the demo's own result", NULL},
    {"sched.json", "eBPF per-thread account", "schedtrace"},
    {"timeline.json", "timeline: open in https://ui.perfetto.dev (Open trace file)", NULL},
    {"offcpu.folded", "off-CPU stacks, folded: flamegraph.pl or speedscope", NULL},
    {"perf-stat.json", "perf stat counted beside the eBPF pass", "perf_stat"},
    {"perf-sched-timehist.txt", "perf sched timehist --state -S (perf pass)", "perf_sched"},
    {"perf-sched-latency.txt", "perf sched latency (perf pass)", "perf_sched"},
    {"perf-trace-summary.txt", "perf trace -s (perf pass)", "perf_trace"},
};

static bool promised(const struct run_set *rs, size_t run, const char *pass)
{
	const json_t *runs = json_object_get(rs->meta, "runs");
	const json_t *p = json_object_get(json_array_get(runs, run), "passes");

	return pass && json_is_true(json_object_get(p, pass));
}

/* The timeline with the report's thread labels, beside the report: written
 * now, linked when written. */
static void perfetto_link(struct report *rp, const struct run *r, struct doc_block *links)
{
	char rel[200], path[PATH_MAX + 200], err[PATH_MAX + 100];
	size_t flows;

	if (!r->has_timeline)
		return;
	snprintf(rel, sizeof(rel), "perfetto-%s.json", r->dir);
	snprintf(path, sizeof(path), "%s/%s", rp->rs->dir, rel);
	if (perfetto_write(r, path, &flows, err, sizeof(err)))
		doc_item(links, NULL, "%s: not written: %s", rel, err);
	else
		doc_item(links, rel,
			 "%s: the timeline with this page's thread names%s: open in "
			 "https://ui.perfetto.dev",
			 rel,
			 flows ? " and an arrow from waker to woken thread per wakeup"
			       : " (its timeline.json has no wake arrows)");
}

void report_files(struct report *rp)
{
	static const char *const cmds[] = {"collector", "perf_stat", "perf_sched", "perf_trace",
					   "demo_alone"};
	const struct run_set *rs = rp->rs;
	size_t i, f, c;

	if (rs->trace_command[0]) {
		doc_para(&rp->doc, "This whole trace again:");
		doc_item(doc_code(&rp->doc), NULL, "%s", rs->trace_command);
	}
	for (i = 0; i < rs->nruns; i++) {
		const struct run *r = &rs->runs[i];
		struct doc_block *links, *code = NULL;

		doc_heading(&rp->doc, 3, "%s", r->dir);
		links = doc_links(&rp->doc);
		for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			char path[PATH_MAX + 200], rel[200];
			struct stat st;

			if (!r->demo && !strcmp(files[f].name, "demo.json"))
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", r->dir, files[f].name);
			snprintf(path, sizeof(path), "%s/%s", rs->dir, rel);
			if (stat(path, &st) == 0)
				doc_item(links, rel, "%s: %s", files[f].name, files[f].what);
			else if (promised(rs, i, files[f].pass))
				doc_item(links, NULL, "%s: MISSING although its pass ran",
					 files[f].name);
			else
				doc_item(links, NULL, "%s: not recorded in this run",
					 files[f].name);
		}
		perfetto_link(rp, r, links);
		for (c = 0; r->commands && c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			const json_t *x = json_object_get(r->commands, cmds[c]);

			if (!json_is_string(x))
				continue;
			if (!code) {
				doc_para(&rp->doc,
					 "Commands of this run (collector, perf passes, and "
					 "the demo alone without tracing):");
				code = doc_code(&rp->doc);
			}
			doc_item(code, NULL, "%s", json_string_value(x));
		}
	}
}

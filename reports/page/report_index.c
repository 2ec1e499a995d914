// SPDX-License-Identifier: GPL-2.0
/* The whole lab on one page: results/index.{html,md}, the seed chapter's
 * Results table (Demo | Key result | Why it matters) for this host, one row
 * per run folder, each linked to its report, with whether to trust it and
 * each demo's verdict folded under the table. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "report.h"

struct loaded {
	struct run_set rs;
	struct check_list cl;
	struct verdicts verdict;
	struct report rp;
	char href[PATH_MAX];
};

/* @dir relative to @base when it lies under it, else as given. */
static void rel_to(char *out, size_t len, const char *base, const char *dir)
{
	char b[PATH_MAX], d[PATH_MAX];
	size_t n;

	if (!realpath(base, b) || !realpath(dir, d)) {
		snprintf(out, len, "%.*s", (int)len - 1, dir);
		return;
	}
	n = strlen(b);
	if (!strncmp(d, b, n) && d[n] == '/')
		snprintf(out, len, "%.*s", (int)len - 1, d + n + 1);
	else
		snprintf(out, len, "%.*s", (int)len - 1, d);
}

static void host_para(struct doc *d, const struct run_set *rs)
{
	doc_para(d,
		 "Machine: %s, %d CPUs (%s), Linux %s. Results vary with the machine's load and "
		 "its CPUs; the shape is what matters. Each row links to its report: the "
		 "verdict, whether to trust the run, the picture and why.",
		 rs->hostname, rs->cpus, rs->cpu_model, rs->kernel);
}

/* One run folder loaded, derived, checked and judged, with its report's
 * path from @out_dir. */
static int index_load(struct loaded *l, const char *out_dir, const char *run_dir, char *err,
		      size_t errlen)
{
	if (run_set_load(&l->rs, run_dir, err, errlen))
		return -1;
	run_set_derive(&l->rs);
	checks_run(&l->rs, &l->cl);
	verdict_of(&l->rs, &l->verdict);
	l->rp.rs = &l->rs;
	l->rp.checks = &l->cl;
	l->rp.verdict = &l->verdict;
	rel_to(l->href, sizeof(l->href) - 16, out_dir, run_dir);
	strcat(l->href, "/report.html");
	return 0;
}

/* The Results table's row of one run: demo, key result, why, trust. */
static void index_row(struct doc_block *t, const struct loaded *l)
{
	const struct run_set *rs = &l->rs;
	struct sbuf key = SBUF_INIT, trust = SBUF_INIT;
	bool warn;

	headline_key(rs, &key);
	doc_cell_link(t, l->href, "%s%s%s", rs->partial ? "PARTIAL " : "",
		      rs->is_demo ? rs->demo : rs->command, rs->quick ? " (--quick)" : "");
	doc_cell(t, "%s", sb_str(&key));
	doc_cell(t, "%s", l->verdict.lesson[0] ? l->verdict.lesson : "-");
	trust_caution(&l->rp, &trust, &warn);
	if (warn)
		doc_cell(t, "caution: %s", sb_str(&trust));
	else
		doc_cell(t, "ok");
	sb_free(&key);
	sb_free(&trust);
}

/* What one run showed, folded: its verdict, its trust line, its report. */
static void index_fold(struct doc *d, const struct loaded *l)
{
	struct sbuf trust = SBUF_INIT;
	struct doc_block *v;
	bool warn;

	doc_fold(d, "%s", l->rs.is_demo ? l->rs.demo : l->rs.command);
	v = doc_links(d);
	for (size_t k = 0; k < l->verdict.lines.n; k++)
		doc_item(v, NULL, "%s", l->verdict.lines.s[k]);
	trust_text(&l->rp, &trust, &warn);
	doc_lead(d, warn, "%s", sb_str(&trust));
	doc_item(doc_links(d), l->href, "the report: %s", l->href);
	doc_unfold(d);
	sb_free(&trust);
}

int report_index(const char *out_dir, char *const *run_dirs, size_t n, bool *fatal, char *err,
		 size_t errlen)
{
	static const char *const head[] = {"Demo", "Key result", "Why it matters", "Trust", NULL};
	struct loaded *l = calloc(n ? n : 1, sizeof(*l));
	struct sbuf md = SBUF_INIT, html = SBUF_INIT;
	struct doc d = {0};
	struct doc_block *t;
	size_t i, loaded = 0;
	int rc = 0;

	*fatal = false;
	if (!l)
		abort();
	for (i = 0; i < n; i++, loaded++)
		if (index_load(&l[i], out_dir, run_dirs[i], err, errlen)) {
			rc = -1;
			goto out;
		}
	doc_heading(&d, 1, "schedlab: the whole lab on %s", n ? l[0].rs.hostname : "this host");
	if (n)
		host_para(&d, &l[0].rs);
	t = doc_table(&d, head);
	for (i = 0; i < n; i++)
		index_row(t, &l[i]);
	doc_heading(&d, 2, "What each run showed");
	for (i = 0; i < n; i++)
		index_fold(&d, &l[i]);
	render_md(&d, &md);
	if (render_html(&d, "schedlab: the whole lab", out_dir, &html, err, errlen) ||
	    write_file(out_dir, "index.md", &md) || write_file(out_dir, "index.html", &html)) {
		if (!err[0])
			snprintf(err, errlen, "%s: cannot write index.md and index.html", out_dir);
		*fatal = true;
		rc = -1;
		goto out;
	}
	printf("index: %s/index.html (and index.md), %zu demos\n", out_dir, n);
out:
	for (i = 0; i < loaded; i++) {
		verdict_free(&l[i].verdict);
		checks_free(&l[i].cl);
		run_set_free(&l[i].rs);
	}
	free(l);
	doc_free(&d);
	sb_free(&md);
	sb_free(&html);
	return rc;
}

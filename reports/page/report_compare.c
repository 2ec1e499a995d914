// SPDX-License-Identifier: GPL-2.0
/* Two runs of one demo side by side (a 2-CPU laptop and a 32-core server,
 * or before and after a change): each variant's time, CPUs busy and bound in
 * both, and in plain words what changed and why: the CPUs (and so the
 * bound), the demo's parameters, how many CPUs a variant kept busy, the CPU
 * work itself, or a busy host. Written to RUN_B/compare.{html,md}; the
 * summary goes to the terminal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_load.h"
#include "render.h"
#include "report.h"

/* A change smaller than this share is "about the same". */
#define SAME 0.15

struct side {
	struct run_set rs;
	struct check_list cl;
	struct verdicts verdict;
	struct report rp;
	bool loaded;
};

static void side_free(struct side *s)
{
	if (!s->loaded)
		return;
	verdict_free(&s->verdict);
	checks_free(&s->cl);
	run_set_free(&s->rs);
}

static int side_load(struct side *s, const char *dir, char *err, size_t errlen)
{
	if (run_set_load(&s->rs, dir, err, errlen))
		return -1;
	s->loaded = true;
	run_set_derive(&s->rs);
	checks_run(&s->rs, &s->cl);
	verdict_of(&s->rs, &s->verdict);
	s->rp.rs = &s->rs;
	s->rp.checks = &s->cl;
	s->rp.verdict = &s->verdict;
	return 0;
}

/* The parameters whose values differ: "tasks 8 → 16". */
static void param_changes(const struct run_set *a, const struct run_set *b, struct sbuf *out)
{
	const json_t *pa = a->runs[0].demo ? a->runs[0].demo->params : NULL;
	const json_t *pb = b->runs[0].demo ? b->runs[0].demo->params : NULL;
	const char *k;
	const json_t *v;
	char x[64], y[64];

	json_object_foreach((json_t *)pa, k, v)
	{
		const json_t *w = json_object_get(pb, k);
		char *sx, *sy;

		if (!strcmp(k, "workers") || !strcmp(k, "quick") || json_equal(v, w))
			continue; /* workers differ per variant; compared there */
		sx = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
		sy = w ? json_dumps(w, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6)) : NULL;
		snprintf(x, sizeof(x), "%s", sx ? sx : "?");
		snprintf(y, sizeof(y), "%s", sy ? sy : "absent");
		sb_printf(out, "%s%s %s → %s", out->len ? ", " : "", k, x, y);
		free(sx);
		free(sy);
	}
}

static const char *change(double a, double b)
{
	if (a <= 0 || b <= 0)
		return "";
	return b < a * (1 - SAME) ? "less" : b > a * (1 + SAME) ? "more" : "";
}

/* Why variant @va (run A) and @vb (run B) differ, in one sentence. */
static void why_variant(const struct side *A, const struct side *B, const struct variant *va,
			const struct variant *vb, bool params_changed, struct sentences *out)
{
	double wa = va->m[M_WALL_S].med, wb = vb->m[M_WALL_S].med;
	double pa = va->m[M_PARALLELISM].med, pb = vb->m[M_PARALLELISM].med;
	double ca = va->m[M_CPU_S].med, cb = vb->m[M_CPU_S].med;
	double ba = fig_bound(&A->rs, va->rep), bb = fig_bound(&B->rs, vb->rep);
	bool na = host_load_of(va->rep).verdict == HOST_BUSY;
	bool nb = host_load_of(vb->rep).verdict == HOST_BUSY;
	struct sbuf why = SBUF_INIT;
	char r[32];

	if (wa <= 0 || wb <= 0)
		return;
	if (fabs(wb / wa - 1) < SAME) {
		sentences_add(out, "%s: about the same time, %.2f s and %.2f s.", va->name, wa, wb);
		return;
	}
	if (params_changed)
		sb_add(&why, "the demo's parameters changed (above): it did other work");
	else if (ba != bb && *change(pa, pb))
		sb_printf(&why,
			  "its bound went from %.0f to %.0f CPUs and it kept %.2f busy "
			  "instead of %.2f",
			  ba, bb, pb, pa);
	else if (*change(pa, pb))
		sb_printf(&why, "it kept %.2f CPUs busy instead of %.2f (bound %.0f)", pb, pa, bb);
	if (!params_changed && *change(ca, cb))
		sb_printf(&why, "%sit did %s CPU work: %.2f s against %.2f s", why.len ? "; " : "",
			  change(ca, cb), cb, ca);
	if (na != nb)
		sb_printf(&why, "%s%s's host was busy with other work", why.len ? "; " : "",
			  na ? "the first run" : "the second run");
	if (!why.len)
		sb_add(&why, "its waits took a different time: neither its CPUs busy nor its CPU "
			     "work changed much");
	sentences_add(out, "%s: %s %s (%.2f s → %.2f s), because %s.", va->name,
		      fig_times(r, sizeof(r), wb < wa ? wa / wb : wb / wa),
		      wb < wa ? "faster" : "slower", wa, wb, sb_str(&why));
	sb_free(&why);
}

static void build(const struct side *A, const struct side *B, struct doc *d, struct sentences *why)
{
	static const char *const head[] = {"Variant",	  "time A",  "time B",	"CPUs busy A",
					   "CPUs busy B", "bound A", "bound B", "CPU time A",
					   "CPU time B",  NULL};
	const struct run_set *a = &A->rs, *b = &B->rs;
	struct sbuf params = SBUF_INIT;
	struct doc_block *t, *l;
	size_t i;

	doc_heading(d, 1, "%s: %s against %s", a->demo, a->stamp, b->stamp);
	doc_para(d, "A: %s, %d CPUs%s%s (%s), %s%s. B: %s, %d CPUs%s%s (%s), %s%s.", a->hostname,
		 a->cpus, a->pinned_cpus[0] ? ", pinned to " : "", a->pinned_cpus, a->cpu_model,
		 a->stamp, a->quick ? ", --quick" : "", b->hostname, b->cpus,
		 b->pinned_cpus[0] ? ", pinned to " : "", b->pinned_cpus, b->cpu_model, b->stamp,
		 b->quick ? ", --quick" : "");
	if (fig_cpus(a) != fig_cpus(b))
		sentences_add(why,
			      "The CPUs changed: %d in A, %d in B. A variant's bound is min(its "
			      "threads, the CPUs): only variants with more threads than %d CPUs "
			      "can gain from the extra ones.",
			      fig_cpus(a), fig_cpus(b),
			      fig_cpus(a) < fig_cpus(b) ? fig_cpus(a) : fig_cpus(b));
	param_changes(a, b, &params);
	if (params.len)
		sentences_add(why, "The demo's parameters changed: %s: the work itself differs.",
			      sb_str(&params));
	t = doc_table(d, head);
	for (i = 0; i < a->nvariants; i++) {
		const struct variant *va = &a->variants[i], *vb = run_set_variant(b, va->name);
		char x[32], y[32];

		if (!vb)
			continue;
		doc_cell(t, "%s", va->name);
		doc_cell(t, "%s", fig_dur(x, sizeof(x), va->m[M_WALL_S].med * 1e9));
		doc_cell(t, "%s", fig_dur(y, sizeof(y), vb->m[M_WALL_S].med * 1e9));
		doc_cell(t, "%.2f", va->m[M_PARALLELISM].med);
		doc_cell(t, "%.2f", vb->m[M_PARALLELISM].med);
		doc_cell(t, "%.0f", fig_bound(a, va->rep));
		doc_cell(t, "%.0f", fig_bound(b, vb->rep));
		doc_cell(t, "%s", fig_dur(x, sizeof(x), va->m[M_CPU_S].med * 1e9));
		doc_cell(t, "%s", fig_dur(y, sizeof(y), vb->m[M_CPU_S].med * 1e9));
		why_variant(A, B, va, vb, params.len > 0, why);
	}
	for (i = 0; i < b->nvariants; i++)
		if (!run_set_variant(a, b->variants[i].name))
			sentences_add(why, "%s ran only in B.", b->variants[i].name);
	for (i = 0; i < a->nvariants; i++)
		if (!run_set_variant(b, a->variants[i].name))
			sentences_add(why, "%s ran only in A.", a->variants[i].name);
	doc_heading(d, 2, "What changed, and why");
	l = doc_links(d);
	for (i = 0; i < why->n; i++)
		doc_item(l, NULL, "%s", why->s[i]);
	doc_heading(d, 2, "Each run's verdict");
	doc_para(d, "A (%s):", a->stamp);
	l = doc_links(d);
	for (i = 0; i < A->verdict.lines.n; i++)
		doc_item(l, NULL, "%s", A->verdict.lines.s[i]);
	doc_para(d, "B (%s):", b->stamp);
	l = doc_links(d);
	for (i = 0; i < B->verdict.lines.n; i++)
		doc_item(l, NULL, "%s", B->verdict.lines.s[i]);
	sb_free(&params);
}

int report_compare(const char *dir_a, const char *dir_b, bool *fatal, char *err, size_t errlen)
{
	struct side A = {0}, B = {0};
	struct sentences why = {0};
	struct sbuf md = SBUF_INIT, html = SBUF_INIT;
	struct doc d = {0};
	size_t i;
	int rc = -1;

	*fatal = false;
	if (side_load(&A, dir_a, err, errlen) || side_load(&B, dir_b, err, errlen))
		goto out;
	if (!A.rs.is_demo || !B.rs.is_demo || strcmp(A.rs.demo, B.rs.demo)) {
		snprintf(err, errlen,
			 "--compare puts two runs of one demo side by side: %s is %s, %s is %s",
			 dir_a, A.rs.is_demo ? A.rs.demo : "a traced command", dir_b,
			 B.rs.is_demo ? B.rs.demo : "a traced command");
		goto out;
	}
	build(&A, &B, &d, &why);
	render_md(&d, &md);
	if (render_html(&d, "schedlab: two runs compared", B.rs.dir, &html, err, errlen) ||
	    write_file(B.rs.dir, "compare.md", &md) ||
	    write_file(B.rs.dir, "compare.html", &html)) {
		if (!err[0])
			snprintf(err, errlen, "%s: cannot write compare.md and compare.html",
				 B.rs.dir);
		*fatal = true;
		goto out;
	}
	printf("%s: %s (A) against %s (B)\n", A.rs.demo, A.rs.stamp, B.rs.stamp);
	for (i = 0; i < why.n; i++)
		printf("  - %s\n", why.s[i]);
	printf("compare: %s/compare.html (and compare.md)\n", B.rs.dir);
	rc = 0;
out:
	sentences_free(&why);
	doc_free(&d);
	sb_free(&md);
	sb_free(&html);
	side_free(&A);
	side_free(&B);
	return rc;
}

// SPDX-License-Identifier: GPL-2.0
/* The headline row, shaped like the seed chapter's Results table
 * (| Demo | Key result | Why it matters |), with the host's CPU count and
 * the parallelism bound it implies. */
#include <stdio.h>
#include <string.h>

#include "demo_module.h"
#include "report.h"
#include "sbuf.h"

/* The figure a demo is judged by, when it is not the wall time: its
 * module's key figure, and its label. */
static const char *key_of(const struct run_set *rs, const char **label)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;

	if (!m || !m->key_figure)
		return NULL;
	*label = m->key_label;
	return m->key_figure;
}

/* "tasks 8, n 30000000": the parameters every variant shared. */
static void common_params(const struct run_set *rs, struct sbuf *out)
{
	const json_t *p0 = rs->runs[0].demo ? rs->runs[0].demo->params : NULL, *v;
	const char *k;
	size_t i;

	json_object_foreach((json_t *)p0, k, v)
	{
		bool same = true;

		if (!strcmp(k, "quick"))
			continue;
		for (i = 1; i < rs->nruns && same; i++)
			if (rs->runs[i].demo) /* absent in a run interrupted before its end */
				same = json_equal(v, json_object_get(rs->runs[i].demo->params, k));
		if (!same)
			continue;
		if (json_is_integer(v))
			sb_printf(out, "%s%s %lld", out->len ? ", " : "", k,
				  (long long)json_integer_value(v));
		else if (json_is_real(v))
			sb_printf(out, "%s%s %g", out->len ? ", " : "", k, json_real_value(v));
		else if (json_is_string(v))
			sb_printf(out, "%s%s %s", out->len ? ", " : "", k, json_string_value(v));
	}
}

/* The family's serial run of @v ("py-serial" for a py-* variant) when it
 * did the same tasks: what @v's speed-up is over; NULL otherwise (02's
 * convoy times responses). */
static const struct variant *serial_of(const struct run_set *rs, const struct variant *v)
{
	const struct variant *s =
	    run_set_variant(rs, strncmp(v->name, "py-", 3) ? "serial" : "py-serial");
	double ts = s && s->rep->demo ? demo_param(s->rep->demo, "tasks", -1) : -1;

	if (!s || ts <= 0 || !v->rep->demo || demo_param(v->rep->demo, "tasks", -2) != ts)
		return NULL;
	return s;
}

/* Each pool's speed-up over its family's serial run: "serial 0.50 s:
 * threads-5 4.7×, threads-20 9.3×". Returns false when no variant has one. */
static bool speedups_over_serial(const struct run_set *rs, struct sbuf *key)
{
	const struct variant *last = NULL;
	size_t i, n = 0;
	char a[32];

	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i], *s = serial_of(rs, v);

		if (!s || s == v)
			continue;
		if (s != last)
			sb_printf(key, "%s%s %.2f s:", n ? "; " : "", s->name, s->m[M_WALL_S].med);
		else
			sb_add(key, ",");
		sb_printf(key, " %s %s", v->name, fig_times(a, sizeof(a), fig_speedup(s, v)));
		last = s;
		n++;
	}
	return n > 0;
}

/* The largest pool's speed-up over the smallest, per family, against what
 * free threads would reach (05). Returns false without a scaling curve. */
static bool scaling_headline(const struct run_set *rs, struct sbuf *key)
{
	struct fig_scale_point p[FIG_SCALE_MAX];
	bool any = false;
	char a[32], b[32];

	for (int py = 0; py < 2; py++) {
		size_t n = fig_scaling(rs, py, p, FIG_SCALE_MAX);

		if (n < 2)
			continue;
		sb_printf(key, "%s%s %s over %s (limit %s)", any ? "; " : "", p[n - 1].v->name,
			  fig_times(a, sizeof(a), p[n - 1].speedup), p[0].v->name,
			  fig_times(b, sizeof(b), p[n - 1].limit_speedup));
		any = true;
	}
	return any;
}

/* The lesson's headline figures for this host, the Key result of the
 * headline row and of the index's Results table: the demo module's
 * key_result (the verdict's own figures), else each variant's own
 * one-line result (key_result: 07's costs, from the perf pass, the least
 * traced, when it wrote one), else the module's key
 * figure (04's backlog), else each pool's speed-up over its serial run (01,
 * 02), else the scaling curve's end (05), else the wall times. */
void headline_key(const struct run_set *rs, struct sbuf *key)
{
	const struct demo_module *m = rs->is_demo ? demo_module_for(rs->demo) : NULL;
	const char *label = NULL, *keyname = key_of(rs, &label);
	bool own = false;
	size_t i;

	if (m && m->key_result) {
		m->key_result(rs, key);
		if (key->len)
			return;
	}
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		/* the pass with the least tracing first: the eBPF pass's figures
		 * include the tracer's work (07's verdict says the same) */
		const json_t *ks = v->rep->perf_demo
				       ? json_object_get(v->rep->perf_demo->root, "key_result")
				       : NULL;
		bool light = json_is_string(ks);

		if (!light)
			ks =
			    v->rep->demo ? json_object_get(v->rep->demo->root, "key_result") : NULL;
		if (json_is_string(ks)) {
			sb_printf(key, "%s%s: %s%s", own ? "; " : "", v->name,
				  json_string_value(ks), light ? " (perf pass)" : "");
			own = true;
		}
	}
	if (own || (!keyname && (speedups_over_serial(rs, key) || scaling_headline(rs, key))))
		return;
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		const json_t *x =
		    keyname && v->rep->demo ? json_object_get(v->rep->demo->root, keyname) : NULL;

		if (json_is_number(x))
			sb_printf(key, "%s%s %s %g", i ? " vs " : "", v->name, label,
				  json_number_value(x));
		else
			sb_printf(key, "%s%s %.3fs", i ? " vs " : "", v->name, v->m[M_WALL_S].med);
	}
}

void report_headline(struct report *rp, struct doc *d)
{
	static const char *const head[] = {"Demo", "Key result", "Why it matters",
					   "Host", "Bound",	 NULL};
	const struct run_set *rs = rp->rs;
	struct sbuf demo = SBUF_INIT, key = SBUF_INIT, bound = SBUF_INIT;
	const struct variant *best = NULL;
	double best_bound = 0;
	struct doc_block *t;
	size_t i;

	if (rs->is_demo) {
		struct sbuf p = SBUF_INIT;

		common_params(rs, &p);
		sb_printf(&demo, "%s%s%s%s%s", rs->demo, p.len ? " (" : "", sb_str(&p),
			  p.len ? ")" : "", rs->quick ? " --quick" : "");
		sb_free(&p);
	} else {
		sb_printf(&demo, "%s", rs->command);
	}
	headline_key(rs, &key);
	for (i = 0; i < rs->nvariants; i++) {
		const struct variant *v = &rs->variants[i];
		double b = fig_bound(rs, v->rep);

		if (!best || v->m[M_PARALLELISM].med > best->m[M_PARALLELISM].med)
			best = v;
		if (b > best_bound)
			best_bound = b;
	}
	sb_printf(&bound, "parallelism <= min(workers, CPUs) = %.0f; highest measured %.2f (%s)",
		  best_bound, best->m[M_PARALLELISM].med, best->name);

	t = doc_table(d, head);
	doc_cell(t, "%s", sb_str(&demo));
	doc_cell(t, "%s", sb_str(&key));
	doc_cell(t, "%s", rp->verdict->lesson[0] ? rp->verdict->lesson : "-");
	if (rs->pinned_cpus[0])
		doc_cell(t, "%d CPUs, demo pinned to %s", rs->cpus, rs->pinned_cpus);
	else
		doc_cell(t, "%d CPUs", rs->cpus);
	doc_cell(t, "%s", sb_str(&bound));
	sb_free(&demo);
	sb_free(&key);
	sb_free(&bound);
}

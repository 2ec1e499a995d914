// SPDX-License-Identifier: GPL-2.0
/* The class on one page: `report --class OUT_DIR DIR...` gathers many
 * students' run folders (any hosts, any CPU counts) into OUT_DIR/class.html
 * (and .md): each lesson's figures by the CPUs the demo could use, the
 * median over the class's runs with their range, one chart per lesson, and
 * every run listed with its host and whether to trust it. A DIR is a run
 * folder (it holds meta.json) or a folder searched for run folders (a
 * class's hand-in folder, a results/ folder); a folder that does not load is
 * listed with what is wrong with it, never taken in. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charts.h"
#include "demo_module.h"
#include "figures.h"
#include "host_load.h"
#include "predict.h"
#include "predictions.h"
#include "render.h"
#include "report.h"
#include "run_metrics.h"

#define CLASS_DEPTH 4	  /* DIR/student/DEMO/<stamp>: a hand-in folder's depth */
#define CLASS_MAX_CPUS 64 /* distinct CPU counts on one chart */

struct class_run {
	char dir[PATH_MAX];
	struct run_set rs;
	int cpus;
	bool busy;
	/* the student's predictions (predictions.json) graded, when made */
	struct predictions pred;
	struct quiz_grades grades;
	bool graded;
};

struct paths {
	char **p;
	size_t n;
};

static void paths_add(struct paths *ps, const char *p)
{
	char **n = realloc(ps->p, (ps->n + 1) * sizeof(*n));

	if (!n || !(n[ps->n] = strdup(p)))
		abort();
	ps->p = n;
	ps->n++;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The run folders under @dir: itself when it holds meta.json, else its
 * folders' (not following links: results/DEMO/latest is one of them). */
static void find_runs(const char *dir, int depth, struct paths *out)
{
	char p[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(p, sizeof(p), "%s/meta.json", dir);
	if (!stat(p, &st) && S_ISREG(st.st_mode)) {
		paths_add(out, dir);
		return;
	}
	if (depth >= CLASS_DEPTH || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    (size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < sizeof(p) &&
		    !lstat(p, &st) && S_ISDIR(st.st_mode))
			find_runs(p, depth + 1, out);
	closedir(d);
}

/* ---- one lesson: its runs' figures by CPU count ------------------------- */

struct cell {
	double *v;
	size_t n;
};

static void cell_add(struct cell *c, double v)
{
	double *n = realloc(c->v, (c->n + 1) * sizeof(*n));

	if (!n)
		abort();
	n[c->n++] = v;
	c->v = n;
}

static double cell_min(const struct cell *c)
{
	double m = c->v[0];

	for (size_t i = 1; i < c->n; i++)
		m = fmin(m, c->v[i]);
	return m;
}

static double cell_max(const struct cell *c)
{
	double m = c->v[0];

	for (size_t i = 1; i < c->n; i++)
		m = fmax(m, c->v[i]);
	return m;
}

static int by_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The lesson's variants in the order the runs list them, and its CPU
 * counts ascending. */
struct lesson {
	const char *demo;
	const char *lesson;
	struct class_run **runs;
	size_t nruns;
	const char *variant[64];
	size_t nvariants;
	int cpus[CLASS_MAX_CPUS];
	size_t ncpus;
};

static void lesson_axes(struct lesson *L)
{
	for (size_t i = 0; i < L->nruns; i++) {
		const struct run_set *rs = &L->runs[i]->rs;
		size_t k;

		for (size_t v = 0; v < rs->nvariants; v++) {
			for (k = 0; k < L->nvariants && strcmp(L->variant[k], rs->variants[v].name);
			     k++)
				;
			if (k == L->nvariants && k < sizeof(L->variant) / sizeof(L->variant[0]))
				L->variant[L->nvariants++] = rs->variants[v].name;
		}
		for (k = 0; k < L->ncpus && L->cpus[k] != L->runs[i]->cpus; k++)
			;
		if (k == L->ncpus && k < CLASS_MAX_CPUS)
			L->cpus[L->ncpus++] = L->runs[i]->cpus;
	}
	qsort(L->cpus, L->ncpus, sizeof(L->cpus[0]), by_int);
}

/* The figures of variant @v on hosts of @cpus CPUs: wall and CPUs busy. */
static void lesson_cells(const struct lesson *L, const char *v, int cpus, struct cell *wall,
			 struct cell *busy, size_t *nbusy)
{
	*nbusy = 0;
	for (size_t i = 0; i < L->nruns; i++) {
		const struct variant *var;

		if (L->runs[i]->cpus != cpus || !(var = run_set_variant(&L->runs[i]->rs, v)))
			continue;
		cell_add(wall, var->m[M_WALL_S].med);
		cell_add(busy, var->m[M_PARALLELISM].med);
		*nbusy += L->runs[i]->busy;
	}
}

static void lesson_chart(struct doc *d, const char *out_dir, const struct lesson *L)
{
	struct xy_series *s = calloc(L->nvariants + 1, sizeof(*s));
	double *all = calloc(L->ncpus, sizeof(*all));
	double *x = calloc(L->nvariants * L->ncpus, sizeof(*x));
	double *y = calloc(L->nvariants * L->ncpus, sizeof(*y));
	char path[PATH_MAX + 64], rel[128], err[512], cap[256];
	size_t ns = 0;

	if (!s || !x || !y || !all)
		abort();
	for (size_t c = 0; c < L->ncpus; c++)
		all[c] = L->cpus[c];
	for (size_t v = 0; v < L->nvariants; v++) {
		size_t n = 0;

		for (size_t c = 0; c < L->ncpus; c++) {
			struct cell wall = {0}, busy = {0};
			size_t nb;

			lesson_cells(L, L->variant[v], L->cpus[c], &wall, &busy, &nb);
			if (busy.n) {
				x[v * L->ncpus + n] = L->cpus[c];
				y[v * L->ncpus + n++] = median(busy.v, busy.n);
			}
			free(wall.v);
			free(busy.v);
		}
		if (n)
			s[ns++] = (struct xy_series){.title = L->variant[v],
						     .style = XY_LINESPOINTS,
						     .n = n,
						     .x = &x[v * L->ncpus],
						     .y = &y[v * L->ncpus]};
	}
	snprintf(rel, sizeof(rel), "charts/class-%s.svg", L->demo);
	snprintf(path, sizeof(path), "%s/%s", out_dir, rel);
	snprintf(cap, sizeof(cap),
		 "%s: CPUs busy (the median of the class's runs) against the CPUs the demo could "
		 "use, one line per variant",
		 L->demo);
	if (ns) {
		struct xy_chart c;

		/* the bound every variant is under: all the CPUs busy */
		s[ns++] = (struct xy_series){.title = "all the CPUs",
					     .style = XY_DASHED,
					     .color = "#888888",
					     .n = L->ncpus,
					     .x = all,
					     .y = all};
		c = (struct xy_chart){.title = "CPUs busy by CPU count",
				      .xlabel = "CPUs the demo could use",
				      .ylabel = "CPUs busy (median)",
				      .logx =
					  L->ncpus > 2 && L->cpus[L->ncpus - 1] >= 4 * L->cpus[0],
				      .nseries = ns,
				      .series = s};
		if (xy_chart_svg(&c, path, err, sizeof(err)))
			doc_note(d, "chart \"%s\" not drawn: %s", cap, err);
		else
			doc_chart(d, rel, cap);
	}
	free(s);
	free(x);
	free(y);
	free(all);
}

static void lesson_table(struct doc *d, const struct lesson *L)
{
	static const char *const head[] = {
	    "CPUs",	  "Variant", "Runs", "Wall, median (range)", "CPUs busy, median (range)",
	    "Busy hosts", NULL};
	struct doc_block *t = doc_table(d, head);

	for (size_t c = 0; c < L->ncpus; c++)
		for (size_t v = 0; v < L->nvariants; v++) {
			struct cell wall = {0}, busy = {0};
			size_t nb;

			lesson_cells(L, L->variant[v], L->cpus[c], &wall, &busy, &nb);
			if (wall.n) {
				doc_cell(t, "%d", L->cpus[c]);
				doc_cell(t, "%s", L->variant[v]);
				doc_cell(t, "%zu", wall.n);
				if (wall.n == 1) {
					doc_cell(t, "%.3g s", wall.v[0]);
					doc_cell(t, "%.2f", busy.v[0]);
				} else {
					doc_cell(t, "%.3g s (%.3g–%.3g)", median(wall.v, wall.n),
						 cell_min(&wall), cell_max(&wall));
					doc_cell(t, "%.2f (%.2f–%.2f)", median(busy.v, busy.n),
						 cell_min(&busy), cell_max(&busy));
				}
				doc_cell(t, "%zu of %zu", nb, wall.n);
			}
			free(wall.v);
			free(busy.v);
		}
}

/* The lesson's questions (its quiz, explain/predict.h): each question's
 * measured figure and the model's, by CPU count, over every run of the
 * lesson, predicted or not. */
static void quiz_table(struct doc *d, const struct lesson *L, const struct quiz *z)
{
	static const char *const head[] = {
	    "Question", "CPUs", "Runs", "Measured, median (range)", "Model, median", NULL};
	struct doc_block *t;

	doc_para(d, "The lesson's questions (the ones --predict asks), measured in every run "
		    "and set against the model's value for that run's sizes and CPUs:");
	t = doc_table(d, head);
	for (size_t i = 0; i < z->nq; i++)
		for (size_t c = 0; c < L->ncpus; c++) {
			struct cell meas = {0}, model = {0};
			char b1[32], b2[32], b3[32], b4[32];

			for (size_t k = 0; k < L->nruns; k++) {
				struct sbuf rule = SBUF_INIT;
				double m, v;

				if (L->runs[k]->cpus != L->cpus[c] ||
				    !quiz_asked(&z->q[i], L->runs[k]->rs.quick))
					continue;
				m = z->q[i].measured(&L->runs[k]->rs);
				v = z->q[i].model(&L->runs[k]->rs, &rule);
				sb_free(&rule);
				if (m >= 0)
					cell_add(&meas, m);
				if (v >= 0)
					cell_add(&model, v);
			}
			if (meas.n) {
				doc_cell(t, "%s (%s)", z->q[i].id, z->q[i].unit);
				doc_cell(t, "%d", L->cpus[c]);
				doc_cell(t, "%zu", meas.n);
				if (meas.n == 1)
					doc_cell(t, "%s", quiz_num(b1, sizeof(b1), meas.v[0]));
				else
					doc_cell(t, "%s (%s–%s)",
						 quiz_num(b1, sizeof(b1), median(meas.v, meas.n)),
						 quiz_num(b2, sizeof(b2), cell_min(&meas)),
						 quiz_num(b3, sizeof(b3), cell_max(&meas)));
				doc_cell(t, "%s",
					 model.n
					     ? quiz_num(b4, sizeof(b4), median(model.v, model.n))
					     : "-");
			}
			free(meas.v);
			free(model.v);
		}
}

/* The class's predictions against the measurements: per question, the
 * graded runs' answers, their measurements, and how many were close
 * (within the question's tolerance, predict.h). */
static void predictions_table(struct doc *d, const struct lesson *L, const struct quiz *z)
{
	static const char *const head[] = {
	    "Question", "Predictions", "Predicted, median (range)", "Measured, median (range)",
	    "Close",	NULL};
	struct doc_block *t = NULL;
	size_t graded = 0;

	for (size_t k = 0; k < L->nruns; k++)
		graded += L->runs[k]->graded;
	if (!graded) {
		doc_para(d,
			 "No run of this lesson came with predictions (scripts/trace %s "
			 "--predict): nothing to grade.",
			 L->demo);
		return;
	}
	doc_para(d,
		 "Predictions against measurements: %zu of the %zu runs came with the student's "
		 "predictions, each graded against its own run's measurement (close: within the "
		 "question's tolerance).",
		 graded, L->nruns);
	for (size_t i = 0; i < z->nq; i++) {
		struct cell pred = {0}, meas = {0};
		size_t close = 0, n = 0;
		char b[6][32];

		for (size_t k = 0; k < L->nruns; k++) {
			const struct quiz_grades *g = &L->runs[k]->grades;

			if (!L->runs[k]->graded)
				continue;
			for (size_t r = 0; r < g->n; r++) {
				if (g->row[r].q != &z->q[i])
					continue;
				n++;
				cell_add(&pred, g->row[r].predicted);
				if (g->row[r].grade != GRADE_UNMEASURED)
					cell_add(&meas, g->row[r].measured);
				close += g->row[r].grade == GRADE_CLOSE;
			}
		}
		if (n) {
			if (!t)
				t = doc_table(d, head);
			doc_cell(t, "%s (%s)", z->q[i].id, z->q[i].unit);
			doc_cell(t, "%zu", n);
			doc_cell(t, "%s (%s–%s)", quiz_num(b[0], 32, median(pred.v, pred.n)),
				 quiz_num(b[1], 32, cell_min(&pred)),
				 quiz_num(b[2], 32, cell_max(&pred)));
			if (meas.n)
				doc_cell(t, "%s (%s–%s)",
					 quiz_num(b[3], 32, median(meas.v, meas.n)),
					 quiz_num(b[4], 32, cell_min(&meas)),
					 quiz_num(b[5], 32, cell_max(&meas)));
			else
				doc_cell(t, "not measured");
			doc_cell(t, "%zu of %zu", close, n);
		}
		free(pred.v);
		free(meas.v);
	}
}

/* @dir's report relative to @base (the page's folder), so a class's folder
 * moved or served keeps its links; as given when a path cannot be resolved. */
static void href_of(char *out, size_t len, const char *base, const char *dir)
{
	char b[PATH_MAX], d[PATH_MAX];
	size_t common = 0, used = 0;

	if (!realpath(base, b) || !realpath(dir, d)) {
		snprintf(out, len, "%s/report.html", dir);
		return;
	}
	/* the longest common prefix of whole components */
	for (size_t i = 0; b[i] && b[i] == d[i]; i++)
		if (b[i + 1] == '/' || !b[i + 1])
			if (d[i + 1] == '/' || !d[i + 1])
				common = i + 1;
	out[0] = '\0';
	for (const char *p = b + common; *p; p++)
		if (*p == '/')
			used += (size_t)snprintf(out + used, used < len ? len - used : 0, "../");
	snprintf(out + (used < len ? used : len - 1), used < len ? len - used : 1,
		 "%s%sreport.html", d[common] == '/' ? d + common + 1 : d + common,
		 d[common] ? "/" : "");
}

static void lesson_runs(struct doc *d, const char *out_dir, const struct lesson *L)
{
	struct doc_block *b;

	doc_fold(d, "%s: the %zu run%s", L->demo, L->nruns, L->nruns == 1 ? "" : "s");
	b = doc_links(d);
	for (size_t i = 0; i < L->nruns; i++) {
		const struct class_run *r = L->runs[i];
		char href[PATH_MAX + 32];

		href_of(href, sizeof(href), out_dir, r->dir);
		doc_item(b, href, "%s: %s, %d CPUs (%s), %s%s%s", r->rs.stamp, r->rs.hostname,
			 r->cpus, r->rs.cpu_model, r->rs.quick ? "--quick, " : "",
			 r->busy ? "the host was busy" : "a quiet host",
			 r->rs.partial ? ", PARTIAL" : "");
	}
	doc_unfold(d);
}

static void lesson_section(struct doc *d, const char *out_dir, struct lesson *L)
{
	const struct quiz *z;
	char cpu_list[512] = "";
	size_t used = 0;

	lesson_axes(L);
	for (size_t k = 0; k < L->ncpus; k++)
		used += (size_t)snprintf(
		    cpu_list + used, used < sizeof(cpu_list) ? sizeof(cpu_list) - used : 0, "%s%d",
		    k == 0		? ""
		    : k + 1 == L->ncpus ? " or "
					: ", ",
		    L->cpus[k]);
	doc_heading(d, 2, "%s", L->demo);
	if (L->lesson && L->lesson[0])
		doc_para(d, "The lesson: %s", L->lesson);
	doc_para(d,
		 "%zu run%s, whose demo could use %s CPUs. Each row is one variant on the hosts "
		 "of one CPU count: its wall time and CPUs busy (CPU time over wall time), the "
		 "median of those runs and their range; a busy host's runs include its wait for "
		 "the CPUs others held (each run's report says how much).",
		 L->nruns, L->nruns == 1 ? "" : "s", cpu_list);
	lesson_chart(d, out_dir, L);
	lesson_table(d, L);
	if ((z = quiz_for(L->demo))) {
		predictions_table(d, L, z);
		quiz_table(d, L, z);
	}
	lesson_runs(d, out_dir, L);
}

/* ---- the page ------------------------------------------------------------- */

static int by_demo(const void *a, const void *b)
{
	const struct class_run *x = *(struct class_run *const *)a,
			       *y = *(struct class_run *const *)b;
	int c = strcmp(x->rs.demo, y->rs.demo);

	return c ? c : x->cpus - y->cpus;
}

static void class_head(struct doc *d, struct class_run **runs, size_t n, size_t ncmd,
		       const struct paths *bad, char *const *errs)
{
	int cpus[CLASS_MAX_CPUS];
	size_t nc = 0, nbusy = 0;
	char list[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k;

		nbusy += runs[i]->busy;
		for (k = 0; k < nc && cpus[k] != runs[i]->cpus; k++)
			;
		if (k == nc && nc < CLASS_MAX_CPUS)
			cpus[nc++] = runs[i]->cpus;
	}
	qsort(cpus, nc, sizeof(cpus[0]), by_int);
	for (size_t k = 0; k < nc; k++)
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s%d", k ? ", " : "", cpus[k]);
	doc_heading(d, 1, "schedlab: the class's runs");
	doc_para(d,
		 "%zu demo run folder%s, from hosts whose demos could use %s CPUs; %zu of them "
		 "traced on a busy host. Each lesson below gathers its runs by CPU count: what "
		 "changes with the CPUs is the lesson's shape, the spread within one count is the "
		 "hosts' and their load.",
		 n, n == 1 ? "" : "s", nc ? list : "no", nbusy);
	if (ncmd)
		doc_para(d,
			 "%zu traced command%s (bug hunts, programs of the students' own) %s not "
			 "a lesson: each has its own report.",
			 ncmd, ncmd == 1 ? "" : "s", ncmd == 1 ? "is" : "are");
	if (bad->n) {
		struct doc_block *b;

		doc_para(d, "%zu folder%s left out, each with what is wrong with it:", bad->n,
			 bad->n == 1 ? "" : "s");
		b = doc_links(d);
		for (size_t i = 0; i < bad->n; i++)
			doc_item(b, NULL, "%s", errs[i]);
	}
}

int report_class(const char *out_dir, char *const *dirs, size_t ndirs, bool *fatal, char *err,
		 size_t errlen)
{
	struct paths found = {0}, bad = {0};
	struct class_run *runs, **demo_runs;
	char **errs;
	struct sbuf md = SBUF_INIT, html = SBUF_INIT;
	struct doc d = {0};
	size_t n = 0, nd = 0, ncmd = 0;
	char path[PATH_MAX + 16];
	int rc = 0;

	*fatal = false;
	for (size_t i = 0; i < ndirs; i++) {
		struct stat st;

		if (stat(dirs[i], &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen,
				 "%s: not a folder (give run folders, or folders holding them)",
				 dirs[i]);
			return -1;
		}
		find_runs(dirs[i], 0, &found);
	}
	if (!found.n) {
		snprintf(err, errlen,
			 "no run folder (a folder with meta.json) in %s%s: give the folders "
			 "scripts/trace wrote, or folders holding them",
			 dirs[0], ndirs > 1 ? " and the others" : "");
		return -1;
	}
	qsort(found.p, found.n, sizeof(found.p[0]), by_path);
	runs = calloc(found.n, sizeof(*runs));
	demo_runs = calloc(found.n, sizeof(*demo_runs));
	errs = calloc(found.n, sizeof(*errs));
	if (!runs || !demo_runs || !errs)
		abort();
	for (size_t i = 0; i < found.n; i++) {
		struct class_run *r = &runs[n];
		const struct variant *worst;
		char e[PATH_MAX + 600];

		snprintf(r->dir, sizeof(r->dir), "%s", found.p[i]);
		if (run_set_load(&r->rs, r->dir, e, sizeof(e))) {
			errs[bad.n] = xasprintf("%s", e);
			paths_add(&bad, r->dir);
			continue;
		}
		run_set_derive(&r->rs);
		r->cpus = fig_cpus(&r->rs);
		/* the student's predictions, graded as the run's own report grades
		 * them; a broken predictions.json leaves the run in, ungraded */
		if (r->rs.is_demo && quiz_for(r->rs.demo)) {
			int p = predictions_load(r->dir, &r->pred, e, sizeof(e));

			if (p < 0)
				fprintf(stderr, "report: %s: predictions not graded: %s\n", r->dir,
					e);
			else if (p == 0)
				r->graded = !quiz_grade(&r->rs, &r->pred, &r->grades, e, sizeof(e));
		}
		r->busy = host_load_set(&r->rs, &worst) == HOST_BUSY;
		n++;
		if (r->rs.is_demo)
			demo_runs[nd++] = r;
		else
			ncmd++;
	}
	for (size_t i = 0; i < bad.n; i++)
		fprintf(stderr, "report: left out: %s\n", errs[i]);
	qsort(demo_runs, nd, sizeof(*demo_runs), by_demo);
	class_head(&d, demo_runs, nd, ncmd, &bad, errs);
	snprintf(path, sizeof(path), "%s/charts", out_dir);
	if (mkdir(path, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		*fatal = true;
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < nd;) {
		struct lesson L = {.demo = demo_runs[i]->rs.demo, .runs = &demo_runs[i]};
		struct verdicts v = {0};

		while (i + L.nruns < nd && !strcmp(demo_runs[i + L.nruns]->rs.demo, L.demo))
			L.nruns++;
		verdict_of(&L.runs[0]->rs, &v);
		L.lesson = v.lesson;
		lesson_section(&d, out_dir, &L);
		verdict_free(&v);
		i += L.nruns;
	}
	render_md(&d, &md);
	if (render_html(&d, "schedlab: the class's runs", out_dir, &html, err, errlen) ||
	    write_file(out_dir, "class.md", &md) || write_file(out_dir, "class.html", &html)) {
		if (!err[0])
			snprintf(err, errlen, "%s: cannot write class.md and class.html", out_dir);
		*fatal = true;
		rc = -1;
		goto out;
	}
	printf("class: %s/class.html (and class.md), %zu run folders (%zu lessons' runs, %zu "
	       "commands, %zu left out)\n",
	       out_dir, n + bad.n, nd, ncmd, bad.n);
out:
	for (size_t i = 0; i < n; i++) {
		if (runs[i].graded)
			quiz_grades_free(&runs[i].grades);
		predictions_free(&runs[i].pred);
		run_set_free(&runs[i].rs);
	}
	for (size_t i = 0; i < bad.n; i++)
		free(errs[i]);
	for (size_t i = 0; i < found.n; i++)
		free(found.p[i]);
	for (size_t i = 0; i < bad.n; i++)
		free(bad.p[i]);
	free(found.p);
	free(bad.p);
	free(errs);
	free(runs);
	free(demo_runs);
	doc_free(&d);
	sb_free(&md);
	sb_free(&html);
	return rc;
}

// SPDX-License-Identifier: GPL-2.0
/* The timeline picture, from timeline.json as loaded (load/timeline.h) over
 * the window derived for it (derive/timeline_window.h): one lane per
 * thread, or per role when threads are many. Each lane is drawn one pixel
 * column at a time (the share of each state in the column, equal columns
 * merged), so the SVG stays small however many slices the window holds. */
#include "timeline_svg.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "palette.h"
#include "roles.h"
#include "thread_labels.h"
#include "sbuf.h"
#include "timeline.h"
#include "timeline_window.h"

/* Geometry, px. */
#define SVG_W 960
#define LABEL_W 170
#define PLOT_W (SVG_W - LABEL_W - 20)
#define LANE_H 14
#define LANE_GAP 4
#define TOP 58
#define AXIS_H 34
#define ROLE_BIN 4 /* px per column in a role lane */

struct lane {
	char label[96];
	struct thread_track **members;
	size_t nmembers;
	double first;	   /* the lane's first slice */
	double proc_first; /* the first slice of its process: lanes are grouped by process */
};

static int by_first(const void *a, const void *b)
{
	const struct lane *x = a, *y = b;

	if (x->proc_first != y->proc_first)
		return x->proc_first < y->proc_first ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* One lane per thread, or per role when threads are more than TIMELINE_MAX_LANES. */
static struct lane *make_lanes(const struct run *r, struct timeline *tl, size_t *nlanes,
			       bool *roles)
{
	struct lane *lanes = calloc(tl->n ? tl->n : 1, sizeof(*lanes));
	size_t i, j, n = 0, nthreads = 0;

	if (!lanes) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	for (i = 0; i < tl->n; i++)
		nthreads += tl->t[i].n > 0;
	*roles = nthreads > TIMELINE_MAX_LANES;
	for (i = 0; i < tl->n; i++) {
		struct thread_track *t = &tl->t[i];
		char role[ROLE_LEN];
		struct lane *l = NULL;

		if (!t->n)
			continue;
		if (*roles) {
			role_of(role, sizeof(role), t->name);
			for (j = 0; j < n; j++)
				if (!strcmp(lanes[j].label, role))
					l = &lanes[j];
		}
		if (!l) {
			l = &lanes[n++];
			snprintf(l->label, sizeof(l->label), "%s",
				 *roles ? role : thread_label(r, t->tid) ?: t->name);
			l->members = calloc(*roles ? tl->n : 1, sizeof(*l->members));
			if (!l->members) {
				fprintf(stderr, "report: calloc: out of memory\n");
				abort();
			}
			l->first = t->first;
		}
		l->members[l->nmembers++] = t;
		l->first = fmin(l->first, t->first);
	}
	for (j = 0; j < n; j++) {
		lanes[j].proc_first = INFINITY;
		for (i = 0; i < tl->n; i++)
			if (tl->t[i].n && tl->t[i].pid == lanes[j].members[0]->pid)
				lanes[j].proc_first = fmin(lanes[j].proc_first, tl->t[i].first);
	}
	qsort(lanes, n, sizeof(*lanes), by_first);
	*nlanes = n;
	return lanes;
}

static void fmt_dur(char *buf, size_t len, double us)
{
	if (us >= 1e6)
		snprintf(buf, len, "%.2f s", us / 1e6);
	else if (us >= 1e3)
		snprintf(buf, len, "%.1f ms", us / 1e3);
	else
		snprintf(buf, len, "%.1f µs", us);
}

/* The hover text of a lane: its time per state inside the window. */
static void lane_title(FILE *out, const struct lane *l, double (*acc)[ST_COUNT], size_t ncols)
{
	struct sbuf b = SBUF_INIT, esc = SBUF_INIT;
	double tot[ST_COUNT] = {0};
	char d[32];
	size_t c;
	int k;

	for (c = 0; c < ncols; c++)
		for (k = 0; k < ST_COUNT; k++)
			tot[k] += acc[c][k];
	if (l->nmembers == 1)
		sb_printf(&b, "%s (tid %d, pid %d) in this window:", l->label, l->members[0]->tid,
			  l->members[0]->pid);
	else
		sb_printf(&b, "%s (%zu threads, summed) in this window:", l->label, l->nmembers);
	for (k = 0; k < ST_COUNT; k++)
		if (tot[k] > 0) {
			fmt_dur(d, sizeof(d), tot[k]);
			sb_printf(&b, " %s %s,", state_names[k], d);
		}
	if (b.len && b.s[b.len - 1] == ',')
		b.s[--b.len] = '\0';
	html_escape(&esc, sb_str(&b));
	fprintf(out, "<title>%s</title>", sb_str(&esc));
	sb_free(&b);
	sb_free(&esc);
}

/* Heights of a column's states in half pixels, summing to the lane's height
 * (all zero where no thread existed). */
static void column_heights(const double *col, int *h)
{
	double tot = 0;
	int k;

	for (k = 0; k < ST_COUNT; k++)
		tot += col[k];
	for (k = 0; k < ST_COUNT; k++)
		h[k] = tot > 0 ? (int)lround(2.0 * LANE_H * col[k] / tot) : 0;
}

/* A lane: each column split top to bottom into the share of its time in
 * each state (one thread: how it divided that pixel's time; a role: how its
 * threads did), equal neighbouring columns merged into one run of
 * rectangles. Proportions, not the state that took most of a column: a
 * thread preempted every few hundred microseconds must not look as if it
 * ran all the time. */
static void draw_share_lane(FILE *out, double (*acc)[ST_COUNT], size_t ncols, int colw, int y)
{
	int prev[ST_COUNT], cur[ST_COUNT] = {0};
	size_t c, start = 0;
	bool have = false;
	int k;

	for (c = 0; c <= ncols; c++) {
		if (c < ncols)
			column_heights(acc[c], cur);
		if (c < ncols && have && !memcmp(cur, prev, sizeof(cur)))
			continue;
		if (have) {
			double yy = y;

			for (k = 0; k < ST_COUNT; k++) {
				if (!prev[k])
					continue;
				fprintf(out,
					"<rect x=\"%zu\" y=\"%.1f\" width=\"%zu\" height=\"%.1f\" "
					"fill=\"%s\"/>",
					LABEL_W + start * colw, yy, (c - start) * colw,
					prev[k] / 2.0, state_color((enum st_thread_state)k));
				yy += prev[k] / 2.0;
			}
		}
		memcpy(prev, cur, sizeof(cur));
		start = c;
		have = false;
		for (k = 0; k < ST_COUNT; k++)
			have |= cur[k] > 0;
	}
}

/* Below this height (half pixels) a column's running share is drawn as a
 * full-height line instead: 2 px, the least an eye finds in a 14 px lane. */
#define WAKEUP_MIN_H 4

/* A thread's wakeups too short for their share to show (a blocking loop
 * between two sleeps, a GIL waiter's timeout) as full-height lines in the
 * running color, so consecutive waits stay apart and every wakeup shows. */
static void draw_wakeups(FILE *out, double (*acc)[ST_COUNT], size_t ncols, int y)
{
	size_t c, c0;
	int h[ST_COUNT];

	for (c = 0; c < ncols; c++) {
		for (c0 = c; c < ncols && acc[c][ST_RUNNING] > 0; c++) {
			column_heights(acc[c], h);
			if (h[ST_RUNNING] >= WAKEUP_MIN_H)
				break;
		}
		if (c > c0)
			fprintf(
			    out,
			    "<rect x=\"%zu\" y=\"%d\" width=\"%zu\" height=\"%d\" fill=\"%s\"/>",
			    LABEL_W + c0, y, c - c0, LANE_H, state_color(ST_RUNNING));
	}
}

/* Tick step: 1, 2 or 5 × 10^k µs, about 8 ticks across the window. */
static double tick_step(double w, int *decimals, double *unit, const char **uname)
{
	double raw = w / 8, p = pow(10, floor(log10(raw))), step;
	double m = raw / p;

	step = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
	if (step >= 1e6) {
		*unit = 1e6;
		*uname = "s";
	} else if (step >= 1e3) {
		*unit = 1e3;
		*uname = "ms";
	} else {
		*unit = 1;
		*uname = "µs";
	}
	*decimals = step / *unit >= 1 ? 0 : (int)ceil(-log10(step / *unit) - 1e-9);
	return step;
}

static void draw_axis_label(FILE *out, double ws, double w, int y0, int y1, const char *label);

static void draw_axis(FILE *out, double ws, double w, int y0, int y1)
{
	draw_axis_label(out, ws, w, y0, y1, "time since the start of tracing");
}

static void draw_axis_label(FILE *out, double ws, double w, int y0, int y1, const char *label)
{
	double unit, step, t;
	const char *uname;
	int dec;

	step = tick_step(w, &dec, &unit, &uname);
	fprintf(out,
		"<g stroke=\"#999\" stroke-width=\"0.5\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		"y2=\"%d\"/></g>",
		LABEL_W, y1, LABEL_W + PLOT_W, y1);
	for (t = ceil(ws / step) * step; t <= ws + w + 1e-9 * w; t += step) {
		double x = LABEL_W + (t - ws) / w * PLOT_W;

		fprintf(out,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\" "
			"stroke-width=\"0.5\"/>"
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.*f %s</text>",
			x, y0, x, y1 + 4, x, y1 + 16, dec, t / unit, uname);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>",
		LABEL_W + PLOT_W / 2, y1 + 30, label);
}

static void draw_legend(FILE *out, int y)
{
	int k, x = LABEL_W;

	for (k = 0; k < ST_COUNT; k++) {
		fprintf(out,
			"<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text>",
			x, y - 9, state_color((enum st_thread_state)k), x + 14, y, state_names[k]);
		x += 24 + 7 * (int)strlen(state_names[k]);
	}
}

/* ---- who is who ---------------------------------------------------------- */

#define GROUP_H 16 /* the row naming a process above its lanes */

static size_t process_groups(const struct lane *lanes, size_t n)
{
	size_t i, g = 0;

	for (i = 0; i < n; i++)
		g += !i || lanes[i].members[0]->pid != lanes[i - 1].members[0]->pid;
	return g;
}

/* A row naming the process of the lanes below it: the demo's own, the
 * simulated remote service (demo.json "server"), or another one. */
static void process_header(FILE *out, const struct run *r, int pid, int y, struct sbuf *esc)
{
	const json_t *srv = r->demo ? json_object_get(r->demo->root, "server") : NULL;
	const json_t *spid = json_object_get(srv, "pid");
	struct sbuf t = SBUF_INIT;

	if (r->demo && pid == r->demo->pid)
		sb_printf(&t, "the program (pid %d)", pid);
	else if (json_is_integer(spid) && json_integer_value(spid) == pid)
		sb_printf(&t,
			  "the simulated remote service (pid %d): a separate process that "
			  "answers each request after the wait",
			  pid);
	else
		sb_printf(&t, "process %d", pid);
	sb_reset(esc);
	html_escape(esc, sb_str(&t));
	fprintf(out,
		"<text x=\"10\" y=\"%d\" font-style=\"italic\" fill=\"#444\">%s</text>"
		"<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>",
		y + GROUP_H - 4, sb_str(esc), y + 1, SVG_W - 10, y + 1);
	sb_reset(esc);
	sb_free(&t);
}

/* The demo's main thread in a pool: it ran no task and spent its time
 * blocked, joining the workers (the lock state of pthread_join). */
static bool waits_for_workers(const struct run *r, const struct thread_track *t)
{
	size_t i;

	if (!r->demo || t->tid != r->demo->pid || strcmp(t->name, "main"))
		return false;
	for (i = 0; i < r->demo->nthreads; i++)
		if (r->demo->threads[i].tid == t->tid)
			return !r->demo->threads[i].tasks && demo_param(r->demo, "workers", 0) >= 1;
	return false;
}

/* The picture's title (the window within the trace), what it shows, the
 * legend and the axis. */
static void render_header(FILE *out, const struct run *r, const struct timeline *tl, int height,
			  size_t nlanes, bool roles, double ws, double w, bool whole, int axis_end)
{
	struct sbuf esc = SBUF_INIT, cap = SBUF_INIT;
	double lo = INFINITY, hi = 0;
	char d1[32], d2[32], d3[32];

	for (size_t i = 0; i < tl->n; i++)
		if (tl->t[i].n) {
			lo = fmin(lo, tl->t[i].first);
			hi = fmax(hi, tl->t[i].last);
		}
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\" "
		"data-window-start-us=\"%.3f\" data-window-end-us=\"%.3f\" data-lanes=\"%zu\" "
		"data-lanes-are=\"%s\">",
		SVG_W, height, SVG_W, height, ws, ws + w, nlanes, roles ? "roles" : "threads");
	fmt_dur(d1, sizeof(d1), w);
	fmt_dur(d2, sizeof(d2), ws);
	fmt_dur(d3, sizeof(d3), hi - lo);
	if (whole)
		sb_printf(&cap, "%s: the whole trace, %s", r->variant, d3);
	else
		sb_printf(&cap, "%s: %s from %s of a %s trace (all of it is in timeline.json)",
			  r->variant, d1, d2, d3);
	html_escape(&esc, sb_str(&cap));
	fprintf(out, "<text x=\"10\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
		sb_str(&esc));
	fprintf(out, "<text x=\"10\" y=\"32\" fill=\"#555\">%s; %s</text>",
		roles ? "one lane per role: the share of its threads in each state"
		      : "one lane per thread, each pixel split by the share of its time in each "
			"state (a wakeup, however short, in green)",
		"hover a lane for its times");
	draw_legend(out, 50);
	draw_axis(out, ws, w, TOP - 4, axis_end);
	sb_free(&esc);
	sb_free(&cap);
}

static void render(FILE *out, const struct run *r, const struct timeline *tl, struct lane *lanes,
		   size_t nlanes, bool roles, double ws, double w, bool whole)
{
	size_t ngroups = process_groups(lanes, nlanes);
	int gh = ngroups > 1 ? GROUP_H : 0;
	int height = TOP + (int)ngroups * gh + (int)nlanes * (LANE_H + LANE_GAP) + AXIS_H + 8;
	size_t ncols = PLOT_W, i, j;
	int y = TOP;
	double(*acc)[ST_COUNT] = calloc(ncols, sizeof(*acc));
	struct sbuf esc = SBUF_INIT;

	if (!acc) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	render_header(out, r, tl, height, nlanes, roles, ws, w, whole,
		      TOP + (int)ngroups * gh + (int)nlanes * (LANE_H + LANE_GAP));

	for (i = 0; i < nlanes; i++, y += LANE_H + LANE_GAP) {
		if (gh && (!i || lanes[i].members[0]->pid != lanes[i - 1].members[0]->pid)) {
			process_header(out, r, lanes[i].members[0]->pid, y, &esc);
			y += gh;
		}
		memset(acc, 0, ncols * sizeof(*acc));
		if (roles) {
			for (j = 0; j < lanes[i].nmembers; j++)
				timeline_accumulate(lanes[i].members[j], ws,
						    w / (double)(ncols / ROLE_BIN),
						    ncols / ROLE_BIN, acc);
		} else {
			timeline_accumulate(lanes[i].members[0], ws, w / (double)ncols, ncols, acc);
		}
		html_escape(&esc, lanes[i].label);
		if (roles)
			sb_printf(&esc, " ×%zu", lanes[i].nmembers);
		else if (waits_for_workers(r, lanes[i].members[0]))
			sb_add(&esc, " (waits for workers)");
		fprintf(out, "<g>");
		lane_title(out, &lanes[i], acc, roles ? ncols / ROLE_BIN : ncols);
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
			LABEL_W - 6, y + LANE_H - 3, sb_str(&esc), LABEL_W, y, PLOT_W, LANE_H,
			PALETTE_ABSENT);
		draw_share_lane(out, acc, roles ? ncols / ROLE_BIN : ncols, roles ? ROLE_BIN : 1,
				y);
		if (!roles)
			draw_wakeups(out, acc, ncols, y);
		fprintf(out, "</g>\n");
		sb_reset(&esc);
	}
	fprintf(out, "</svg>\n");
	sb_free(&esc);
	free(acc);
}

int timeline_svg(const struct run *r, FILE *out, char *err, size_t errlen)
{
	struct timeline tl = {0};
	struct lane *lanes;
	char path[sizeof(r->path) + 32];
	double ws = 0, w = 0;
	size_t nlanes, i;
	bool roles, whole;
	struct stat st;

	snprintf(path, sizeof(path), "%s/timeline.json", r->path);
	if (stat(path, &st) && errno == ENOENT)
		return 1;
	if (timeline_load(&tl, path, err, errlen)) {
		timeline_free(&tl);
		return -1;
	}
	timeline_clip_to_program(r, &tl);
	timeline_choose_window(&tl, &ws, &w, &whole);
	lanes = make_lanes(r, &tl, &nlanes, &roles);
	render(out, r, &tl, lanes, nlanes, roles, ws, w, whole);
	for (i = 0; i < nlanes; i++)
		free(lanes[i].members);
	free(lanes);
	timeline_free(&tl);
	if (ferror(out)) {
		snprintf(err, errlen, "writing the timeline SVG of %s failed", r->dir);
		return -1;
	}
	return 0;
}

/* ---- several runs on one time axis --------------------------------------- */

/* Lanes of the shared picture: one per thread that did the demo's work. */
#define SHARED_MAX_LANES 96

static bool is_task_thread(const struct run *r, int tid)
{
	size_t i;

	for (i = 0; r->demo && i < r->demo->nthreads; i++)
		if (r->demo->threads[i].tid == tid)
			return r->demo->threads[i].pid == r->demo->pid && r->demo->threads[i].tasks;
	return false;
}

static int by_tid(const void *a, const void *b)
{
	const struct thread_track *x = *(const struct thread_track *const *)a;
	const struct thread_track *y = *(const struct thread_track *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The shared picture's lanes: each run's timeline, where its measured
 * section starts on it (the shared axis's 0), and the threads that did the
 * tasks, grouped by run. */
struct shared {
	struct timeline *tl; /* one per run */
	double *origin;	     /* per run, µs */
	double span;	     /* the longest wall, µs */
	struct thread_track *lane[SHARED_MAX_LANES];
	size_t lane_run[SHARED_MAX_LANES];
	size_t nl, loaded, groups;
};

/* Load each run's timeline and pick its task threads. 0, or -1 with @err. */
static int shared_load(const struct run *const *runs, size_t nruns, struct shared *sh, char *err,
		       size_t errlen)
{
	char path[PATH_MAX + 200];
	size_t i, j;

	for (i = 0; i < nruns; i++) {
		const struct run *r = runs[i];
		struct thread_track *mine[SHARED_MAX_LANES];
		size_t n = 0;

		snprintf(path, sizeof(path), "%s/timeline.json", r->path);
		if (!r->has_timeline || !r->demo)
			continue;
		if (timeline_load(&sh->tl[i], path, err, errlen))
			return -1;
		sh->loaded++;
		/* the demo's measured section starts at 0 on the shared axis */
		sh->origin[i] = r->demo->start_ns > r->sched.start_ns
				    ? (double)(r->demo->start_ns - r->sched.start_ns) / 1e3
				    : 0;
		sh->span = fmax(sh->span, r->demo->wall_s * 1e6);
		for (j = 0; j < sh->tl[i].n && n < SHARED_MAX_LANES; j++)
			if (sh->tl[i].t[j].n && is_task_thread(r, sh->tl[i].t[j].tid))
				mine[n++] = &sh->tl[i].t[j];
		qsort(mine, n, sizeof(*mine), by_tid);
		for (j = 0; j < n && sh->nl < SHARED_MAX_LANES; j++) {
			sh->lane_run[sh->nl] = i;
			sh->lane[sh->nl++] = mine[j];
		}
		sh->groups += n > 0;
	}
	return 0;
}

/* The picture's title, what it shows, the legend and the axis. */
static void shared_header(FILE *out, const struct shared *sh, const char *title)
{
	int height = TOP + (int)sh->groups * GROUP_H + (int)sh->nl * (LANE_H + 1) + AXIS_H + 8;
	struct sbuf esc = SBUF_INIT;

	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\" "
		"data-lanes=\"%zu\" data-lanes-are=\"threads\">",
		SVG_W, height, SVG_W, height, sh->nl);
	html_escape(&esc, title);
	fprintf(out, "<text x=\"10\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
		sb_str(&esc));
	sb_free(&esc);
	/* one line that fits the picture's width (about 150 characters) */
	fprintf(out, "<text x=\"10\" y=\"32\" fill=\"#555\">one lane per thread that did the "
		     "tasks, each variant from its own start; each pixel split by state (a "
		     "wakeup, however short, in green)</text>");
	draw_legend(out, 50);
	draw_axis_label(out, 0, sh->span, TOP - 4,
			TOP + (int)sh->groups * GROUP_H + (int)sh->nl * (LANE_H + 1),
			"time since each variant's start");
}

/* Every lane, a run's name and wall above its first. */
static void shared_lanes(FILE *out, const struct run *const *runs, const struct shared *sh)
{
	double(*acc)[ST_COUNT] = calloc(PLOT_W, sizeof(*acc));
	struct sbuf esc = SBUF_INIT;
	int y = TOP;

	if (!acc) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	for (size_t i = 0; i < sh->nl; i++) {
		const struct run *r = runs[sh->lane_run[i]];
		struct thread_track *t = sh->lane[i];
		struct lane l = {.members = &t, .nmembers = 1};

		if (!i || sh->lane_run[i] != sh->lane_run[i - 1]) {
			char d[32];

			fmt_dur(d, sizeof(d), r->demo->wall_s * 1e6);
			html_escape(&esc, r->variant);
			fprintf(out,
				"<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s: %s</text>"
				"<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>",
				y + GROUP_H - 5, sb_str(&esc), d, y + 2, SVG_W - 10, y + 2);
			sb_reset(&esc);
			y += GROUP_H;
		}
		snprintf(l.label, sizeof(l.label), "%s",
			 thread_label(r, t->tid)
			     ?: t->name[0] ? t->name
					   : "?");
		memset(acc, 0, PLOT_W * sizeof(*acc));
		/* the window starts at the run's own origin: the shared axis */
		timeline_accumulate(t, sh->origin[sh->lane_run[i]], sh->span / PLOT_W, PLOT_W, acc);
		html_escape(&esc, l.label);
		fprintf(out, "<g>");
		lane_title(out, &l, acc, PLOT_W);
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
			LABEL_W - 6, y + LANE_H - 3, sb_str(&esc), LABEL_W, y, PLOT_W, LANE_H,
			PALETTE_ABSENT);
		draw_share_lane(out, acc, PLOT_W, 1, y);
		draw_wakeups(out, acc, PLOT_W, y);
		fprintf(out, "</g>\n");
		sb_reset(&esc);
		y += LANE_H + 1;
	}
	sb_free(&esc);
	free(acc);
}

int timeline_shared_svg(const struct run *const *runs, size_t nruns, const char *title, FILE *out,
			char *err, size_t errlen)
{
	struct shared sh = {.tl = calloc(nruns ? nruns : 1, sizeof(*sh.tl)),
			    .origin = calloc(nruns ? nruns : 1, sizeof(*sh.origin))};
	int rc;

	if (!sh.tl || !sh.origin) {
		fprintf(stderr, "report: calloc: out of memory\n");
		abort();
	}
	rc = shared_load(runs, nruns, &sh, err, errlen);
	if (!rc && (!sh.loaded || !sh.nl))
		rc = 1;
	if (!rc) {
		sh.span *= 1.02;
		shared_header(out, &sh, title);
		shared_lanes(out, runs, &sh);
		fprintf(out, "</svg>\n");
		if (ferror(out)) {
			snprintf(err, errlen, "writing the shared timeline SVG failed");
			rc = -1;
		}
	}
	for (size_t i = 0; i < nruns; i++)
		timeline_free(&sh.tl[i]);
	free(sh.tl);
	free(sh.origin);
	return rc;
}

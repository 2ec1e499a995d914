/* SPDX-License-Identifier: GPL-2.0 */
/* The lesson charts, one per demo (report_lesson.c lists them). Each draws
 * with gnuplot (charts.h) from the figures layer (figures.h) and adds the
 * chart with a caption that says what to see. */
#ifndef SCHEDLAB_LESSON_H
#define SCHEDLAB_LESSON_H

struct report;

struct lesson {
	const char *demo;
	void (*draw)(struct report *rp);
};

extern const struct lesson lesson_01_io_wait;
extern const struct lesson lesson_02_cpu_bound;
extern const struct lesson lesson_03_event_loop;
extern const struct lesson lesson_04_backpressure;
extern const struct lesson lesson_05_thread_overhead;
extern const struct lesson lesson_06_hybrid_pipeline;
extern const struct lesson lesson_07_costs;
extern const struct lesson lesson_08_streaming;

#endif

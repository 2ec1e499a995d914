/* SPDX-License-Identifier: GPL-2.0 */
/* 03_event_loop's loop (demos/03_event_loop.c runs it) and its demo.json
 * (docs/demos/03_event_loop.md), written in result_event_loop.c: what the
 * program and its JSON writing share. */
#ifndef SCHEDLAB_EVENT_LOOP_H
#define SCHEDLAB_EVENT_LOOP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define MAX_TASKS 10000

struct params {
	unsigned int tasks;
	uint64_t wait_ns;
	bool quick;
};

enum task_state { T_START, T_WAITING, T_DONE };
enum step_result { STEP_YIELD, STEP_DONE };

struct task {
	enum task_state state;
	int tfd;	      /* the task's timerfd, -1 until it first awaits */
	uint64_t created_ns;  /* when the loop was handed the task */
	uint64_t started_ns;  /* its first step */
	uint64_t finished_ns; /* its last step */
	struct task *next;    /* in the ready queue */
};

struct loop {
	int epfd;
	bool blocking;
	uint64_t wait_ns;
	struct task *tasks;
	unsigned int ntasks;
	struct task *ready, *ready_tail;
	unsigned int done;
	int failed;
	/* what the loop did */
	uint64_t steps, epoll_waits, timer_wakeups, timerfds;
	uint64_t start_ns, end_ns;
	struct thread_record *rec;
};

/* The loop's run into @res (result_new's, its "params" empty) against the
 * @limit it could reach: its sizes, what it did, each task's due and finish
 * times and lateness (@late, in the loop's order) and the start delays'
 * (@delay) and lateness's distributions. Sorts @delay and @late. */
void event_loop_json(json_t *res, const struct loop *l, const struct params *p, uint64_t limit,
		     uint64_t *delay, uint64_t *late);

#endif

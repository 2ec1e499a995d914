// SPDX-License-Identifier: GPL-2.0
/* 03_event_loop's demo.json (event_loop.h). */
#include "event_loop.h"
#include "clock.h"
#include "result.h"
#include "stats.h"

#include <stdlib.h>

/* Each task, in the order the loop was given them, for the report's
 * lateness chart: when it was due and when it finished, from the loop's
 * start, and how late (@late). */
static json_t *task_times_json(const struct loop *l, const struct params *p, const uint64_t *late)
{
	json_t *per_task = json_array();

	if (!per_task)
		abort();
	for (unsigned int i = 0; i < p->tasks; i++) {
		const struct task *t = &l->tasks[i];
		uint64_t due = t->created_ns + p->wait_ns;
		json_t *tj1 = json_object();

		if (!tj1)
			abort();
		json_set_int(tj1, "due_ns", (long long)(due - l->start_ns));
		json_set_int(tj1, "finished_ns", (long long)(t->finished_ns - l->start_ns));
		json_set_int(tj1, "lateness_ns", (long long)late[i]);
		json_array_append_new(per_task, tj1);
	}
	return per_task;
}

static void loop_json(json_t *lj, const struct loop *l)
{
	json_set_int(lj, "steps", (long long)l->steps);
	json_set_int(lj, "epoll_waits", (long long)l->epoll_waits);
	json_set_int(lj, "timer_wakeups", (long long)l->timer_wakeups);
	json_set_int(lj, "timerfds", (long long)l->timerfds);
	json_set_int(lj, "start_ns", (long long)l->start_ns);
	json_set_int(lj, "end_ns", (long long)l->end_ns);
}

void event_loop_json(json_t *res, const struct loop *l, const struct params *p, uint64_t limit,
		     uint64_t *delay, uint64_t *late)
{
	json_t *par = result_params(res), *tj;
	/* before durations_json sorts the lateness */
	json_t *per_task = task_times_json(l, p, late);

	json_set_int(par, "tasks", p->tasks);
	json_set_real(par, "wait_s", ns_to_s(p->wait_ns));
	json_set_new(par, "quick", json_boolean(p->quick));
	result_set_wall(res, l->start_ns, l->end_ns);
	result_add_threads(res);
	json_set_int(res, "tasks_done", l->done);
	result_set_limit(res, limit, l->end_ns - l->start_ns);
	loop_json(json_set_object(res, "loop"), l);
	/* start_delay: how long a task waited for its first step; lateness: how
	 * far past its due time (handed to the loop + wait) it finished. */
	tj = json_set_object(res, "task_latency");
	json_set_new(tj, "start_delay_ns", durations_json(delay, p->tasks));
	json_set_new(tj, "lateness_ns", durations_json(late, p->tasks));
	json_set_new(res, "task_times", per_task);
}

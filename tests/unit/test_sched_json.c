// SPDX-License-Identifier: GPL-2.0
/*
 * sched.json's writer, from a snapshot built by hand (no BPF, no root):
 * the fields of docs/formats.md, states summing to the lifetime, syscalls
 * attached to their thread longest first, run-queue latency per process
 * summed from its threads, the two cuts, and the closing of accounts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sched_json.h"
#include "sched_snapshot.h"

static char *argv0[] = {"demo", "--quick", NULL};

static struct run_info run(void)
{
	struct run_info r = {.argv = argv0,
			     .pid = 100,
			     .uid = 65534,
			     .gid = 65534,
			     .exit_status = 3,
			     .start_ns = 1000,
			     .end_ns = 1000000,
			     .cpus = 2,
			     .attach_mode = "tp_btf",
			     .syscalls_traced = true,
			     .steal_ns = 7};
	return r;
}

/* An ended thread: 300 running, 200 runnable, 500 sleep; two slices. */
static void ended_thread(struct snap_thread *st, uint32_t tid, uint32_t pid)
{
	struct st_thread *t = &st->t;

	memset(st, 0, sizeof(*st));
	st->tid = tid;
	t->pid = pid;
	snprintf(t->comm, sizeof(t->comm), "worker-%u", tid);
	t->first_ns = 2000;
	t->exit_ns = 2900;
	t->last_ns = 3000;
	t->ended = 1;
	t->state_total_ns[ST_RUNNING] = 300;
	t->state_total_ns[ST_RUNNABLE] = 200;
	t->state_total_ns[ST_SLEEP] = 500;
	t->nvcsw = 2;
	t->timeslices = 2;
	t->woken_slices = 1;
	t->preempted_slices = 1;
	t->slice_running_ns = 300;
	t->sched_running_ns = 320;
	t->slice_runnable_ns = 200;
	t->sched_runnable_ns = 170;
	t->kernel.sum_exec_runtime_ns = 320;
	t->kernel.run_delay_ns = 170;
	t->kernel.pcount = 2;
	t->kernel.nvcsw = 2;
	t->kernel.min_flt = 4100;
	t->kernel.maj_flt = 3;
	t->runq.count = 2;
	t->runq.sum_ns = 200;
	t->runq.max_ns = 150;
	t->runq.slots[hist_slot(50)] = 1;
	t->runq.slots[hist_slot(150)] = 1;
	for (int i = 0; i < SYS_CACHE; i++)
		t->sys[i].nr = -1;
}

static json_t *thread_of(json_t *root, int tid)
{
	json_t *arr = json_object_get(root, "threads"), *t;
	size_t i;

	json_array_foreach(arr, i,
			   t) if (json_integer_value(json_object_get(t, "tid")) == tid) return t;
	fail_msg("thread %d not in sched.json", tid);
	return NULL;
}

static json_int_t ival(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static void run_fields_and_lost(void **state)
{
	struct sched_snapshot s = {0};
	struct run_info r = run();
	json_t *root, *lost;

	(void)state;
	s.lost[LOST_SWITCH_IN] = 4;
	s.lost[LOST_EXIT_SWITCH] = 1;
	root = sched_json(&s, &r, NULL, NULL);
	assert_non_null(root);
	assert_int_equal(ival(root, "schema"), 1);
	assert_string_equal(json_string_value(json_object_get(root, "tool")), "schedtrace");
	assert_int_equal(ival(root, "exit_status"), 3);
	assert_int_equal(ival(root, "steal_ns"), 7);
	assert_true(json_is_true(json_object_get(root, "syscalls_traced")));
	assert_int_equal(json_array_size(json_object_get(root, "command")), 2);
	lost = json_object_get(root, "lost");
	/* every kind, named by the one table, present even when zero */
	for (int k = 0; k < NR_LOST; k++)
		assert_non_null(json_object_get(lost, lost_names[k]));
	assert_int_equal(ival(lost, "switch_in_missed"), 4);
	assert_int_equal(ival(lost, "exit_switch_missed"), 1);
	assert_int_equal(ival(lost, "prog_misses"), 0);
	assert_int_equal(json_array_size(json_object_get(root, "threads")), 0);
	json_decref(root);
}

static void thread_states_cuts_and_kernel(void **state)
{
	struct snap_thread th[1];
	struct sched_snapshot s = {.threads = th, .nthreads = 1};
	struct run_info r = run();
	json_t *root, *t, *c;
	json_int_t sum = 0;

	(void)state;
	ended_thread(&th[0], 101, 100);
	root = sched_json(&s, &r, NULL, NULL);
	t = thread_of(root, 101);
	for (int k = 0; k < NR_STATES; k++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_ns", state_names[k]);
		sum += ival(t, key);
	}
	assert_int_equal(sum, ival(t, "lifetime_ns"));
	assert_int_equal(ival(t, "lifetime_ns"), 1000);
	assert_int_equal(ival(t, "exit_ns"), 2900);
	assert_true(json_is_true(json_object_get(t, "exited")));
	assert_true(json_is_true(json_object_get(t, "ended_at_switch")));
	assert_int_equal(ival(t, "sched_running_ns"), 320);
	assert_int_equal(ival(t, "sched_runnable_ns"), 170);
	assert_int_equal(ival(json_object_get(t, "kernel"), "sum_exec_runtime_ns"), 320);
	assert_int_equal(ival(t, "minflt"), 4100); /* the thread's page faults at its end */
	assert_int_equal(ival(t, "majflt"), 3);
	c = json_object_get(t, "clock");
	assert_non_null(c);
	assert_int_equal(ival(c, "slices"), 2);
	assert_int_equal(ival(c, "deviation_per_slice_ns"), 10);     /* (320-300)/2 */
	assert_int_equal(ival(c, "sum_deviation_per_slice_ns"), -5); /* (490-500)/2 */
	assert_int_equal(ival(json_object_get(root, "clock"), "slices"), 2);
	json_decref(root);
}

static void syscalls_by_thread_longest_first(void **state)
{
	struct snap_thread th[2];
	struct snap_syscall sc[3] = {
	    {.key = {.tid = 101, .nr = 0}, .s = {.count = 2, .total_ns = 10}},
	    {.key = {.tid = 101, .nr = 1}, .s = {.count = 1, .errors = 1, .total_ns = 90}},
	    {.key = {.tid = 102, .nr = 35}, .s = {.count = 5, .total_ns = 50}},
	};
	struct sched_snapshot s = {.threads = th, .nthreads = 2, .syscalls = sc, .nsyscalls = 3};
	struct run_info r = run();
	json_t *root, *a;

	(void)state;
	ended_thread(&th[0], 101, 100);
	ended_thread(&th[1], 102, 100);
	sc[1].s.slots[3] = 1;
	root = sched_json(&s, &r, NULL, NULL);
	a = json_object_get(thread_of(root, 101), "syscalls");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "name")),
			    "write");
	assert_int_equal(ival(json_array_get(a, 0), "errors"), 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(a, 0), "hist")), 1);
	a = json_object_get(thread_of(root, 102), "syscalls");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "name")),
			    "nanosleep");
	json_decref(root);
}

static void runq_summed_per_process(void **state)
{
	struct snap_thread th[3];
	struct sched_snapshot s = {.threads = th, .nthreads = 3};
	struct run_info r = run();
	json_t *root, *p, *q;

	(void)state;
	ended_thread(&th[0], 100, 100);
	ended_thread(&th[1], 101, 100);
	ended_thread(&th[2], 200, 200);
	snprintf(th[0].t.comm, sizeof(th[0].t.comm), "main");
	root = sched_json(&s, &r, NULL, NULL);
	p = json_object_get(root, "processes");
	assert_int_equal(json_array_size(p), 2);
	assert_int_equal(ival(json_array_get(p, 0), "pid"), 100);
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "comm")),
			    "main");
	q = json_object_get(json_array_get(p, 0), "runq");
	assert_int_equal(ival(q, "count"), 4);
	assert_int_equal(ival(q, "sum_ns"), 400);
	assert_int_equal(ival(q, "max_ns"), 150);
	assert_true(ival(q, "p99_ns") <= 150);
	assert_int_equal(json_array_size(json_object_get(q, "hist")), 2);
	json_decref(root);
}

/* An account still open: closed at the end of tracing, or at its exit when its end was missed. */
static void closing_open_accounts(void **state)
{
	struct st_thread t = {0};
	uint64_t lost[NR_LOST] = {0};

	(void)state;
	t.first_ns = 100;
	t.state = ST_RUNNABLE;
	t.state_ns = 400;
	t.asleep = 1;
	t.state_total_ns[ST_RUNNING] = 300;
	snapshot_close_thread(&t, true, 1000, lost);
	assert_int_equal(t.state_total_ns[ST_RUNNABLE], 600);
	assert_int_equal(t.runnable_asleep_ns, 600);
	assert_int_equal(t.last_ns, 1000);
	assert_false(t.ended);
	assert_int_equal(lost[LOST_EXIT_SWITCH], 0);

	memset(&t, 0, sizeof(t));
	t.first_ns = 100;
	t.state = ST_RUNNING;
	t.state_ns = 100;
	t.exit_ns = 700;
	snapshot_close_thread(&t, false, 1000, lost);
	assert_int_equal(t.state_total_ns[ST_RUNNING], 600);
	assert_int_equal(t.last_ns, 700);
	assert_true(t.ended);
	assert_int_equal(lost[LOST_EXIT_SWITCH], 1);
}

/*
 * A process the command left running changed state after the window's end:
 * its account is closed at that change, never before it (its states sum to
 * its life, nothing negative).
 */
static void closing_an_account_past_the_end(void **state)
{
	struct st_thread t = {0};
	uint64_t lost[NR_LOST] = {0};
	uint64_t sum = 0;

	(void)state;
	t.first_ns = 100;
	t.state = ST_SLEEP;
	t.state_ns = 1500; /* fell asleep after the end (1000) */
	t.state_total_ns[ST_RUNNING] = 1400;
	snapshot_close_thread(&t, true, 1000, lost);
	assert_int_equal(t.last_ns, 1500);
	for (int i = 0; i < NR_STATES; i++)
		sum += t.state_total_ns[i];
	assert_int_equal(sum, t.last_ns - t.first_ns);
	assert_int_equal(t.state_total_ns[ST_SLEEP], 0);
}

/*
 * The window ends at the command's exit when the kernel half stamped it
 * after the probes attached, else at the collector's own reap (or stop);
 * sched.json says which.
 */
static void the_window_ends_at_the_exit(void **state)
{
	struct sched_snapshot s = {0};
	struct run_info r = run();
	const char *from = NULL;
	json_t *root;

	(void)state;
	/* Seen: the exit, even 766 ms before the reap, or just after it. */
	assert_int_equal(run_window_end(5000000, 1000, 771000000, &from), 5000000);
	assert_string_equal(from, "exit");
	assert_int_equal(run_window_end(5000000, 1000, 4990000, &from), 5000000);
	assert_string_equal(from, "exit");
	/* Not seen (0), or a stamp from before tracing: the collector's clock. */
	assert_int_equal(run_window_end(0, 1000, 771000000, &from), 771000000);
	assert_string_equal(from, "collector");
	assert_int_equal(run_window_end(900, 1000, 771000000, &from), 771000000);
	assert_string_equal(from, "collector");

	r.end_ns = run_window_end(5000000, 1000, 771000000, &r.end_from);
	root = sched_json(&s, &r, NULL, NULL);
	assert_non_null(root);
	assert_int_equal(ival(root, "end_ns"), 5000000);
	assert_string_equal(json_string_value(json_object_get(root, "end_from")), "exit");
	json_decref(root);
}

/* A thread's own syscall slots merge into the map's entries of the same (tid, nr). */
static void syscall_slots_merge(void **state)
{
	struct snap_syscall *sc = calloc(1, sizeof(*sc));
	struct sched_snapshot s = {.syscalls = sc, .nsyscalls = 1};
	struct st_thread t = {0};

	(void)state;
	assert_non_null(sc);
	sc->key.tid = 7;
	sc->key.nr = 0;
	sc->s.count = 3;
	sc->s.max_ns = 10;
	for (int i = 0; i < SYS_CACHE; i++)
		t.sys[i].nr = -1;
	t.sys[0].nr = 0;
	t.sys[0].count = 2;
	t.sys[0].max_ns = 40;
	t.sys[0].slots[5] = 2;
	t.sys[1].nr = 1;
	t.sys[1].count = 1;
	assert_int_equal(snapshot_add_slots(&s, 1, 7, &t), 0);
	assert_int_equal(s.nsyscalls, 2);
	assert_int_equal(s.syscalls[0].s.count, 5);
	assert_int_equal(s.syscalls[0].s.max_ns, 40);
	assert_int_equal(s.syscalls[0].s.slots[5], 2);
	assert_int_equal(s.syscalls[1].key.nr, 1);
	snapshot_free(&s);
}

/* A thread's last wake edge merges into the map's edge of the same key, else is added. */
static void wake_slot_merges(void **state)
{
	struct snap_wake *wk = calloc(1, sizeof(*wk));
	struct sched_snapshot s = {.wakes = wk, .nwakes = 1};
	struct st_thread t = {0};

	(void)state;
	assert_non_null(wk);
	wk->key.wakee = 7;
	wk->key.waker = 8;
	wk->key.waker_kind = WK_THREAD;
	wk->w.count = 3;
	wk->w.max_ns = 10;
	wk->w.slots[4] = 3;
	/* An empty slot adds nothing. */
	assert_int_equal(snapshot_add_wake_slot(&s, 1, &t), 0);
	assert_int_equal(s.nwakes, 1);
	t.wake_slot.key = wk->key;
	t.wake_slot.w.count = 2;
	t.wake_slot.w.max_ns = 40;
	t.wake_slot.w.blocked_ns = 60;
	t.wake_slot.w.slots[5] = 2;
	assert_int_equal(snapshot_add_wake_slot(&s, 1, &t), 0);
	assert_int_equal(s.nwakes, 1);
	assert_int_equal(s.wakes[0].w.count, 5);
	assert_int_equal(s.wakes[0].w.max_ns, 40);
	assert_int_equal(s.wakes[0].w.blocked_ns, 60);
	assert_int_equal(s.wakes[0].w.slots[4], 3);
	assert_int_equal(s.wakes[0].w.slots[5], 2);
	/* Another waker: an edge of its own, with the waker's name. */
	t.wake_slot.key.waker = 9;
	t.wake_slot.w.waker_pid = 9;
	memcpy(t.wake_slot.w.waker_comm, "w9", 3);
	assert_int_equal(snapshot_add_wake_slot(&s, 1, &t), 0);
	assert_int_equal(s.nwakes, 2);
	assert_int_equal(s.wakes[1].key.waker, 9);
	assert_int_equal(s.wakes[1].w.count, 2);
	assert_int_equal(s.wakes[1].w.waker_pid, 9);
	assert_string_equal(s.wakes[1].w.waker_comm, "w9");
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(run_fields_and_lost),
	    cmocka_unit_test(thread_states_cuts_and_kernel),
	    cmocka_unit_test(syscalls_by_thread_longest_first),
	    cmocka_unit_test(runq_summed_per_process),
	    cmocka_unit_test(closing_open_accounts),
	    cmocka_unit_test(closing_an_account_past_the_end),
	    cmocka_unit_test(the_window_ends_at_the_exit),
	    cmocka_unit_test(syscall_slots_merge),
	    cmocka_unit_test(wake_slot_merges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

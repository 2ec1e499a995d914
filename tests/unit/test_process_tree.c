// SPDX-License-Identifier: GPL-2.0
/* The run's processes as a tree (reports/derive/process_tree.h): a process
 * under the one whose wait4 its exit ended; one never seen reaped under the
 * command, marked so. */
#include "explain_fixture.h"

#include "process_tree.h"

static const struct fx_states LIFE = {.running = 10, .other = 90};

static void reap(struct fx_run *r, int child, int parent, const char *parent_comm)
{
	char w[200];
	json_t *e;

	snprintf(w, sizeof(w), "{\"kind\": \"thread\", \"tid\": %d, \"pid\": %d, \"comm\": \"cc\"}",
		 child, child);
	e = fx_wake(r, w, parent, parent_comm, "other", "wait4", NULL, 1, 50);
	json_object_set_new(json_object_get(e, "wakee"), "pid", json_integer(parent));
}

static void tree_by_reaper(void **state)
{
	struct proc_node *p;
	struct fx_run *r;
	struct fx f;
	size_t n;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, 1000, "make", LIFE, 0);
	fx_thread_ex(r, 2000, 2000, "cc", LIFE, 0, false);
	fx_thread_ex(r, 2500, 2500, "cc", LIFE, 0, false);
	fx_thread_ex(r, 3000, 3000, "cc1", LIFE, 0, false);
	fx_thread_ex(r, 3001, 3000, "cc1", LIFE, 0, false);
	reap(r, 3000, 2000, "cc");
	reap(r, 2000, 1000, "make");
	fx_explain(&f);
	p = process_tree(&f.rs.runs[0], &n);
	assert_int_equal(n, 4);
	assert_int_equal(p[0].first->pid, 1000);
	assert_int_equal(p[0].depth, 0);
	assert_int_equal(p[1].first->pid, 2000);
	assert_int_equal(p[1].parent, 1000);
	assert_true(p[1].parent_seen);
	assert_int_equal(p[2].first->pid, 3000);
	assert_int_equal(p[2].depth, 2);
	assert_int_equal(p[2].threads, 2);
	assert_int_equal(p[3].first->pid, 2500); /* never seen reaped: under the command */
	assert_int_equal(p[3].parent, 1000);
	assert_false(p[3].parent_seen);
	free(p);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tree_by_reaper),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

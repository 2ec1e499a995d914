// SPDX-License-Identifier: GPL-2.0
/* A JVM's threads told apart (reports/derive/jvm_threads.h) and its shape
 * said (reports/explain/explain_jvm.c): only in a process the collector saw
 * start a JVM; and a Java monitor's waits are no evidence of a pool. */
#include "explain_fixture.h"

#include "thread_labels.h"
#include "thread_roles.h"

static const struct fx_states BUSY = {.running = 100, .lock = 100};

static void waker_of(char *w, size_t len, int tid, int pid, const char *comm)
{
	snprintf(w, len, "{\"kind\": \"thread\", \"tid\": %d, \"pid\": %d, \"comm\": \"%s\"}", tid,
		 pid, comm);
}

/*
 * java: the launcher (1000), the thread that created the JVM (1001), two
 * JIT compilers whose waits 1001 ended (a queue they share), the VM
 * thread, and two program threads that took one monitor in turn. @jvm:
 * sched.json says a JVM started in the process (created by 1001).
 */
static const struct run *java_run(struct fx *f, bool jvm)
{
	struct fx_run *r;
	char w[200];
	json_t *mon;
	int pid;

	fx_init(f, "command", 2);
	r = fx_variant(f, "command", 1.0, "{}");
	pid = (int)fx_pid(r);
	fx_thread(r, 1000, "java", BUSY, 0);
	fx_thread(r, 1001, "java", BUSY, 0);
	fx_thread(r, 1002, "C2 CompilerThre", BUSY, 0);
	fx_thread(r, 1003, "C1 CompilerThre", BUSY, 0);
	fx_thread(r, 1004, "VM Thread", BUSY, 0);
	fx_thread(r, 1005, "Thread-0", BUSY, 0);
	fx_thread(r, 1006, "Thread-1", BUSY, 0);
	waker_of(w, sizeof(w), 1001, pid, "java");
	fx_wake(r, w, 1002, "C2 CompilerThre", "lock", "futex", "0x7f00000000a0", 3, 50);
	fx_wake(r, w, 1003, "C1 CompilerThre", "lock", "futex", "0x7f00000000a0", 3, 50);
	fx_futex(r, "0x7f00000000a0", 6, 100);
	fx_futex(r, "0x7f00000000f0", 8, 80);
	mon = json_array_get(json_object_get(r->sched, "futex"), 1);
	json_object_set_new(mon, "java_monitor", json_true());
	waker_of(w, sizeof(w), 1006, pid, "Thread-1");
	fx_wake(r, w, 1005, "Thread-0", "lock", "futex", "0x7f00000000f0", 4, 40);
	waker_of(w, sizeof(w), 1005, pid, "Thread-0");
	fx_wake(r, w, 1006, "Thread-1", "lock", "futex", "0x7f00000000f0", 4, 40);
	if (jvm)
		json_object_set_new(r->sched, "jvm",
				    json_pack("{s:[{s:i,s:i,s:b}]}", "jvms", "pid", pid,
					      "created_by", 1001, "owner_read", 1));
	fx_explain(f);
	return &f->rs.runs[0];
}

static const struct sched_thread *tid_of(const struct run *r, int tid)
{
	const struct sched_thread *t = sched_find_tid(&r->sched, tid);

	assert_non_null(t);
	return t;
}

static void jvm_threads_told_apart(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = java_run(&f, true);
	assert_string_equal(thread_label(r, 1000), "java main");
	assert_string_equal(thread_label(r, 1001), "java main() (tid 1001)");
	assert_string_equal(tid_of(r, 1002)->role, "JIT compiler");
	assert_string_equal(tid_of(r, 1004)->role, "VM thread");
	assert_string_equal(tid_of(r, 1005)->role, "");
	assert_claim(f.text, "Shape: a JVM (process 1000): the program's threads (java main() "
			     "(tid 1001), Thread-0, Thread-1) ran 300.0 ms; the JVM's own: JIT "
			     "compilers (C2 CompilerThre, C1 CompilerThre) ran 200.0 ms, the VM "
			     "thread (VM Thread) ran 100.0 ms");
	assert_no_claim(f.text, "Shape: a pool");
	assert_no_claim(f.text, "fed by");
	fx_free(&f);
}

/* Without the collector's word that a JVM started there, names decide nothing. */
static void no_jvm_no_jvm_roles(void **state)
{
	const struct run *r;
	struct fx f;

	(void)state;
	r = java_run(&f, false);
	assert_string_equal(tid_of(r, 1002)->role, "worker");
	assert_string_equal(tid_of(r, 1004)->role, "");
	assert_no_claim(f.text, "Shape: a JVM");
	assert_claim(f.text,
		     "Shape: a pool of 2 threads (C2 CompilerThre, C1 CompilerThre) fed by");
	/* the monitor's turns are contention, not a pool, JVM or not */
	assert_no_claim(f.text, "(Thread-0, Thread-1)");
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(jvm_threads_told_apart),
	    cmocka_unit_test(no_jvm_no_jvm_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

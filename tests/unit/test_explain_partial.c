// SPDX-License-Identifier: GPL-2.0
/* A run interrupted before the demo wrote demo.json still has the
 * collector's account: every explainer must read it without the demo's own
 * figures, and claim nothing that rests on them. */
#include "explain_fixture.h"

struct partial_case {
	const char *demo;
	const char *variants[3];
	const char *threads[3]; /* comms of the threads besides main */
	const char *never[4];	/* phrases that need demo.json */
};

static const struct partial_case cases[] = {
    {"01_io_wait",
     {"serial", "threads-5"},
     {"worker-1", "worker-2"},
     {"limit ceil", "it was waiting, not working",
      "requests were waiting for an answer at the same time"}},
    {"02_cpu_bound",
     {"threads-gil", "processes"},
     {"worker-1", "worker-2"},
     {"changed hands", "that lock was the GIL", "the cause is the lock"}},
    {"03_event_loop",
     {"await", "blocking"},
     {"loop"},
     {"came due while the loop slept", "added up", "overlapped"}},
    {"04_backpressure",
     {"unbounded", "bounded"},
     {"producer", "consumer"},
     {"backlog", "RSS", "latency"}},
    {"05_thread_overhead", {"threads-1", "threads-2"}, {"worker-1"}, {"Speedup", "Efficiency"}},
};

static void explains_without_demo_json(void **state)
{
	size_t c, v, k;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct partial_case *pc = &cases[c];
		struct fx f;
		const char *t;

		fx_init(&f, pc->demo, 2);
		for (v = 0; v < 3 && pc->variants[v]; v++) {
			struct fx_run *r = fx_variant(&f, pc->variants[v], 1.0, "{}");
			int tid = 1000 + 100 * (int)v;

			r->no_demo = true;
			fx_thread(r, tid, "main", (struct fx_states){.running = 5, .lock = 995}, 0);
			for (k = 0; k < 3 && pc->threads[k]; k++)
				fx_thread(
				    r, tid + 1 + (int)k, pc->threads[k],
				    (struct fx_states){.running = 300, .lock = 400, .io = 300}, 0);
		}
		t = fx_explain(&f);
		for (v = 0; v < f.rs.nruns; v++)
			assert_null(f.rs.runs[v].demo); /* the case this test is about */
		for (k = 0; k < 4 && pc->never[k]; k++)
			if (strstr(t, pc->never[k]))
				fail_msg("%s without demo.json claims \"%s\":\n%s", pc->demo,
					 pc->never[k], t);
		fx_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(explains_without_demo_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* The timeline for Perfetto (reports/page/report_perfetto.c): the
 * collector's timeline.json with the report's thread labels as the tracks'
 * names; its slices and wake flows unchanged; valid JSON whatever line the
 * collector's thread names were on. */
#include "explain_fixture.h"

#include "report.h"
#include "thread_labels.h"

#define MAIN_PID 1000

/* A timeline.json as the collector writes it: three threads all "xz", a
 * wake flow from main to 1001, the thread names last. */
static const char TIMELINE[] =
    "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
    "{\"name\":\"running\",\"ph\":\"X\",\"pid\":1000,\"tid\":1000,\"ts\":0.000,\"dur\":10.000,"
    "\"args\":{\"cpu\":0}},\n"
    "{\"name\":\"wakeup\",\"cat\":\"wake\",\"ph\":\"s\",\"id\":1,\"pid\":1000,\"tid\":1000,"
    "\"ts\":5.000},\n"
    "{\"name\":\"wakeup\",\"cat\":\"wake\",\"ph\":\"f\",\"id\":1,\"pid\":1000,\"tid\":1001,"
    "\"ts\":5.000},\n"
    "{\"name\":\"runnable\",\"ph\":\"X\",\"pid\":1000,\"tid\":1001,\"ts\":5.000,\"dur\":1.000,"
    "\"args\":{\"waker_kind\":\"thread\",\"waker\":1000,\"host\":0}},\n"
    "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1000,\"tid\":1000,\"args\":{\"name\":"
    "\"xz\"}},\n"
    "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1000,\"tid\":1000,\"args\":{\"name\":"
    "\"xz\"}},\n"
    "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1000,\"tid\":1001,\"args\":{\"name\":"
    "\"xz\"}},\n"
    "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1000,\"tid\":1002,\"args\":{\"name\":"
    "\"xz\"}}\n"
    "]}\n";

static size_t count_ph(const json_t *events, const char *ph)
{
	size_t i, n = 0;
	json_t *e;

	json_array_foreach(events, i, e) n +=
	    !strcmp(json_string_value(json_object_get(e, "ph")), ph);
	return n;
}

static void tracks_carry_the_report_labels(void **state)
{
	struct fx f;
	struct fx_run *fr;
	const struct run *r;
	char path[PATH_MAX + 200], out[PATH_MAX + 64], err[512];
	size_t flows, i, names = 0;
	json_t *j, *events, *e;
	FILE *t;

	(void)state;
	fx_init(&f, "command", 2);
	fr = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(fr, MAIN_PID, "xz", (struct fx_states){.running = 10, .lock = 90}, 0);
	fx_thread(fr, 1001, "xz", (struct fx_states){.running = 90}, 0);
	fx_thread(fr, 1002, "xz", (struct fx_states){.running = 90}, 0);
	fx_explain(&f);
	r = &f.rs.runs[0];
	snprintf(path, sizeof(path), "%s/timeline.json", r->path);
	t = fopen(path, "w");
	assert_non_null(t);
	fputs(TIMELINE, t);
	assert_int_equal(fclose(t), 0);

	snprintf(out, sizeof(out), "%s/perfetto-command.json", f.dir);
	assert_int_equal(perfetto_write(r, out, &flows, err, sizeof(err)), 0);
	assert_int_equal(flows, 1);
	j = json_load_file(out, 0, NULL);
	assert_non_null(j);
	events = json_object_get(j, "traceEvents");
	assert_int_equal(count_ph(events, "X"), 2);
	assert_int_equal(count_ph(events, "s"), 1);
	assert_int_equal(count_ph(events, "f"), 1);
	json_array_foreach(events, i, e)
	{
		const char *name = json_string_value(json_object_get(e, "name"));
		int tid = (int)json_integer_value(json_object_get(e, "tid"));
		const char *label =
		    json_string_value(json_object_get(json_object_get(e, "args"), "name"));

		if (strcmp(name, "thread_name"))
			continue;
		names++;
		/* the page's label, never the comm three threads share */
		assert_string_equal(label, thread_label(r, tid));
		assert_string_not_equal(label, "xz");
	}
	assert_int_equal(names, 3);
	json_decref(j);

	/* a timeline.json not shaped as the collector writes it: an error */
	t = fopen(path, "w");
	assert_non_null(t);
	fputs("[{\"ph\":\"X\"}]\n", t);
	assert_int_equal(fclose(t), 0);
	assert_int_equal(perfetto_write(r, out, &flows, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "timeline.json"));
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tracks_carry_the_report_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

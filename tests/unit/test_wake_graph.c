// SPDX-License-Identifier: GPL-2.0
/* The wake graph (reports/derive/wake_graph.c, draw/wake_graph_svg.c) of
 * programs nobody here wrote: threads that share a name are nodes apart, no
 * two nodes share a label, edges merged per (waker, wakee, kind of wait), a
 * node's own waits one loop, every thread that waited on the picture, and
 * the picture bounded however many threads and edges the run has. */
#include "explain_fixture.h"

#include "wake_graph.h"
#include "wake_graph_svg.h"

#define MAIN_PID 1000
static const char *TIMER = "{\"kind\": \"hardirq\", \"irq\": \"timer\"}";

/* A traced thread of the fixture's process as a waker's JSON object text. */
static const char *peer(char *buf, size_t len, int tid, const char *comm)
{
	snprintf(buf, len, "{\"kind\": \"thread\", \"tid\": %d, \"pid\": %d, \"comm\": \"%s\"}",
		 tid, MAIN_PID, comm);
	return buf;
}

static void labels_apart(const struct wake_graph *g)
{
	for (size_t i = 0; i < g->nnodes; i++)
		for (size_t j = i + 1; j < g->nnodes; j++)
			if (!strcmp(g->nodes[i].label, g->nodes[j].label))
				fail_msg("two nodes labelled \"%s\"", g->nodes[i].label);
}

static const struct wg_node *node_named(const struct wake_graph *g, const char *label)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (!strcmp(g->nodes[i].label, label))
			return &g->nodes[i];
	return NULL;
}

/* Whether a drawn edge goes into node @n. */
static bool drawn_into(const struct wake_graph *g, const struct wg_node *n)
{
	for (size_t i = 0; i < g->nedges; i++)
		if (g->edges[i].drawn && &g->nodes[g->edges[i].to] == n)
			return true;
	return false;
}

/* The check that the picture is bounded and adds up. */
static void bounded(const struct wake_graph *g)
{
	uint64_t drawn = 0;

	assert_true(g->ndrawn <= WG_DRAWN_MAX);
	assert_true(g->nodes_drawn <= WG_NODES_DRAWN_MAX);
	for (size_t i = 0; i < g->nedges; i++)
		drawn += g->edges[i].drawn ? g->edges[i].ns : 0;
	assert_true(drawn + g->folded_ns == g->total_ns);
	for (size_t i = 1; i < g->nedges; i++)
		assert_true(g->edges[i - 1].ns >= g->edges[i].ns);
}

/* xz -T2: main and two workers, all "xz". Main's timed waits ended by the
 * timer dwarf the rest; each worker is still on the picture. */
static void xz_threads_are_nodes_apart(void **state)
{
	struct fx f;
	struct fx_run *r;
	struct wake_graph g;
	char w[200];

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 60.0, "{}");
	fx_thread(r, MAIN_PID, "xz", (struct fx_states){.running = 100, .lock = 50000}, 0);
	fx_thread(r, 1001, "xz", (struct fx_states){.running = 20000, .lock = 300}, 0);
	fx_thread(r, 1002, "xz", (struct fx_states){.running = 20000, .lock = 30000}, 0);
	fx_wake(r, TIMER, MAIN_PID, "xz", "lock", "futex", "0x5633f08b6478", 671, 201000);
	fx_wake(r, peer(w, sizeof(w), MAIN_PID, "xz"), 1002, "xz", "lock", "futex",
		"0x5633f08b6088", 2, 50930);
	fx_wake(r, peer(w, sizeof(w), MAIN_PID, "xz"), 1001, "xz", "lock", "futex",
		"0x5633f08b6088", 5, 199.7);
	fx_wake(r, peer(w, sizeof(w), 1002, "xz"), MAIN_PID, "xz", "lock", "futex",
		"0x5633f08b6478", 2, 271.5);
	fx_wake(r, peer(w, sizeof(w), 1001, "xz"), MAIN_PID, "xz", "lock", "futex",
		"0x5633f08b6478", 1, 225.4);
	/* the same pair, the same kind of wait, another word: one edge */
	fx_wake(r, peer(w, sizeof(w), 1001, "xz"), MAIN_PID, "xz", "lock", "futex",
		"0x5633f08b6500", 1, 100);
	fx_explain(&f);
	assert_int_equal(wake_graph_make(&f.rs.runs[0], &g), 0);

	assert_false(g.by_role);
	assert_int_equal(g.nnodes, 4); /* the timer, main, the two workers */
	labels_apart(&g);
	assert_non_null(node_named(&g, "xz main"));
	for (size_t i = 0; i < g.nnodes; i++)
		if (!g.nodes[i].context)
			assert_true(drawn_into(&g, &g.nodes[i]));
	/* worker 1 -> main: two words, one lock edge */
	assert_int_equal(g.nedges, 5);
	for (size_t i = 0; i < g.nedges; i++)
		if (g.edges[i].ns == MS(325.4))
			assert_int_equal(g.edges[i].count, 2);
	bounded(&g);
	wake_graph_free(&g);
	fx_free(&f);
}

/* A pool larger than ROLES_ABOVE: one node for the pool, main apart; the
 * pool's waits on one another one loop, whatever they were on. */
static void a_large_pool_is_one_node_with_one_loop(void **state)
{
	struct fx f;
	struct fx_run *r;
	struct wake_graph g;
	struct sbuf dot = SBUF_INIT;
	char w[200], comm[32];
	size_t loops = 0;

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 10.0, "{}");
	fx_thread(r, MAIN_PID, "node", (struct fx_states){.running = 100, .lock = 900}, 0);
	for (int i = 0; i < 20; i++) {
		snprintf(comm, sizeof(comm), "pool-%d", i);
		fx_thread(r, 1001 + i, comm, (struct fx_states){.running = 100, .lock = 900}, 0);
		fx_wake(r, peer(w, sizeof(w), MAIN_PID, "node"), 1001 + i, comm, "lock", "futex",
			"0x1000", 10, 40);
		/* woken by the next one of the pool, on a lock and a join */
		fx_wake(r, peer(w, sizeof(w), 1001 + (i + 1) % 20, "pool-x"), 1001 + i, comm,
			"lock", "futex", "0x2000", 3, 20);
		fx_wake(r, peer(w, sizeof(w), 1001 + (i + 1) % 20, "pool-x"), 1001 + i, comm, "io",
			"read", NULL, 1, 5);
	}
	fx_explain(&f);
	assert_int_equal(wake_graph_make(&f.rs.runs[0], &g), 0);

	assert_true(g.by_role);
	labels_apart(&g);
	assert_int_equal(g.nnodes, 2);
	assert_non_null(node_named(&g, "node"));
	/* by name and role: "pool-* worker (20 threads)" once roles say so */
	for (size_t i = 0; i < g.nnodes; i++)
		if (strcmp(g.nodes[i].label, "node")) {
			assert_true(!strncmp(g.nodes[i].label, "pool-* ", 7));
			assert_non_null(strstr(g.nodes[i].label, " (20 threads)"));
			assert_int_equal(g.nodes[i].nthreads, 20);
		}
	assert_int_equal(g.nedges, 2); /* main -> pool, and the pool's one loop */
	bounded(&g);
	wake_graph_dot(&dot, &g);
	for (const char *p = sb_str(&dot); (p = strstr(p, " -> ")); p++) {
		size_t a, b;

		if (sscanf(p - 3, "%*[ n]%zu -> n%zu", &a, &b) == 2 && a == b)
			loops++;
	}
	assert_true(strstr(sb_str(&dot), "woken by one another") != NULL);
	assert_int_equal(loops, 1);
	sb_free(&dot);
	wake_graph_free(&g);
	fx_free(&f);
}

/*
 * node: the loop (main) feeds a pool of four on one word, beside two other
 * threads, all "node": seven threads, fewer than ROLES_ABOVE, yet the pool
 * is one node, by its threads' numbers; the others stay apart.
 */
static void a_small_pool_is_one_node(void **state)
{
	struct fx f;
	struct fx_run *r;
	struct wake_graph g;
	const struct wg_node *pool;
	char w[200];

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 1.0, "{}");
	fx_thread(r, MAIN_PID, "node", (struct fx_states){.running = 500, .io = 400}, 0);
	for (int i = 0; i < 4; i++) {
		fx_thread(r, 1001 + i, "node", (struct fx_states){.running = 200, .lock = 700}, 0);
		fx_wake(r, peer(w, sizeof(w), MAIN_PID, "node"), 1001 + i, "node", "lock", "futex",
			"0x43d23830", 3, 150);
	}
	fx_thread(r, 1005, "node", (struct fx_states){.running = 5, .io = 900}, 0);
	fx_thread(r, 1006, "node", (struct fx_states){.running = 5, .lock = 900}, 0);
	fx_wake(r, peer(w, sizeof(w), MAIN_PID, "node"), 1005, "node", "io", "epoll_pwait", NULL, 1,
		700);
	fx_wake(r, peer(w, sizeof(w), MAIN_PID, "node"), 1006, "node", "lock", "futex",
		"0x55550000f000", 1, 600);
	fx_wake(r, TIMER, MAIN_PID, "node", "io", "epoll_pwait", NULL, 30, 150);
	fx_explain(&f);
	assert_int_equal(wake_graph_make(&f.rs.runs[0], &g), 0);

	assert_false(g.by_role);
	labels_apart(&g);
	pool = node_named(&g, "node worker 1-4 (4 threads)");
	assert_non_null(pool);
	assert_int_equal(pool->nthreads, 4);
	assert_null(node_named(&g, "node worker 1 (tid 1001)"));
	assert_non_null(node_named(&g, "node main"));
	assert_non_null(node_named(&g, "node (tid 1005)"));
	assert_int_equal(g.nnodes, 5);	 /* the timer, main, the pool, the other two */
	assert_true(g.nodes_drawn <= 8); /* on the page, not folded (report_wakes.c) */
	bounded(&g);
	wake_graph_free(&g);
	fx_free(&f);
}

/* Sixty threads of sixty names each woken by the next: the picture stays
 * within its bounds, the rest folded into the table. */
static void many_edges_stay_bounded(void **state)
{
	struct fx f;
	struct fx_run *r;
	struct wake_graph g;
	char w[200], comm[32], next[32], word[32];

	(void)state;
	fx_init(&f, "command", 2);
	r = fx_variant(&f, "command", 10.0, "{}");
	for (int i = 0; i < 60; i++) {
		snprintf(comm, sizeof(comm), "t%c%c", 'a' + i / 26, 'a' + i % 26);
		fx_thread(r, MAIN_PID + i, comm, (struct fx_states){.running = 100, .lock = 900},
			  0);
	}
	for (int i = 0; i < 60; i++) {
		snprintf(comm, sizeof(comm), "t%c%c", 'a' + i / 26, 'a' + i % 26);
		snprintf(next, sizeof(next), "t%c%c", 'a' + (i + 1) % 60 / 26,
			 'a' + (i + 1) % 60 % 26);
		/* each on a word of its own: no pool (one would be one node) */
		snprintf(word, sizeof(word), "0x%x", 0x3000 + 0x40 * i);
		fx_wake(r, peer(w, sizeof(w), MAIN_PID + (i + 1) % 60, next), MAIN_PID + i, comm,
			"lock", "futex", word, 1, 10 + i);
	}
	fx_explain(&f);
	assert_int_equal(wake_graph_make(&f.rs.runs[0], &g), 0);
	labels_apart(&g);
	assert_int_equal(g.nedges, 60);
	assert_true(g.ndrawn > 0);
	assert_true(g.folded_ns > 0);
	bounded(&g);
	wake_graph_free(&g);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(xz_threads_are_nodes_apart),
	    cmocka_unit_test(a_large_pool_is_one_node_with_one_loop),
	    cmocka_unit_test(a_small_pool_is_one_node),
	    cmocka_unit_test(many_edges_stay_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

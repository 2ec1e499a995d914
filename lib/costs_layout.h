/* SPDX-License-Identifier: GPL-2.0 */
/* 07_costs's demo.json "costs" entries (docs/demos/07_costs.md): the names
 * and keys the demo writes (demos/common/costs_*.c) and the report reads
 * (reports/demos/07_costs.c), spelt here once for both, as bpf/schedtrace.h
 * is for the collector's layouts. */
#ifndef SCHEDLAB_COSTS_LAYOUT_H
#define SCHEDLAB_COSTS_LAYOUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The variants, one family of costs each; an entry's "family" is its
 * variant's name. */
#define COSTS_SWITCH "switch"
#define COSTS_STARTUP "startup"
#define COSTS_IPC "ipc"
#define COSTS_COW "cow"

/* A variant's demo.json array of entries, one per mechanism. */
#define COSTS_KEY "costs"

/* Every entry's fields. */
#define COST_NAME "name"
#define COST_FAMILY "family"
#define COST_LABEL "label"
#define COST_SKIPPED "skipped" /* why it did not run */
#define COST_THREADS "threads" /* the names of the threads doing the work */

/* switch: an entry per kind, channel and placement (cost_switch_entry). */
#define COST_KIND "kind"
#define COST_CHANNEL "channel"
#define COST_PLACEMENT "placement"
#define COST_CPUS "cpus"
#define COST_ROUND_TRIPS "round_trips"
#define COST_WALL_NS "wall_ns"
#define COST_RT_NS "rt_ns"
#define COST_SWITCH_NS "switch_ns"
#define COST_SWITCHES "switches"
#define COST_SWITCHES_PER_RT "switches_per_rt"
#define CE_THREADS "threads"
#define CE_PROCESSES "processes"
#define CE_CHAN_PIPE "pipe"
#define CE_CHAN_FUTEX "futex"
#define CE_SAME "same"
#define CE_CROSS "cross"

/* startup: the entries, their children's names, and their fields. */
#define CE_THREAD "thread"
#define CE_FORK "fork"
#define CE_SPAWN "spawn"
#define CE_THREAD_COMM "th-start"
#define CE_FORK_COMM "fork-child"
#define COST_COUNT "count"
#define COST_EACH_NS "each_ns"
#define COST_CHILD_COMM "child_comm"
#define COST_DURATIONS "durations"
#define COST_MEDIAN_NS COST_DURATIONS ".p50" /* a path for cost_num */

/* ipc: the entries, the sender's name (its mechanism's comm and this), and
 * their fields. */
#define CE_PIPE "pipe"
#define CE_SHM "shm"
#define CE_PIPE_ENCODE "pipe+encode"
#define CE_SHM_ENCODE "shm+encode"
#define CE_PIPE_COMM "pipe"
#define CE_SENDER "-send"
#define CE_RECEIVER "-recv"
#define COST_TRANSPORT "transport"
#define COST_ENCODE "encode"
#define COST_BYTES "bytes"
#define COST_WIRE_BYTES "wire_bytes"
#define COST_MIB_PER_S "mib_per_s"
#define COST_SEND_CPU_NS "send_cpu_ns"
#define COST_RECV_CPU_NS "recv_cpu_ns"
#define COST_CPU_NS_PER_MIB "cpu_ns_per_mib"
#define COST_INTACT "intact"

/* cow: the entries and their fields. */
#define CE_FILL "fill"
#define CE_READ "read"
#define CE_WRITE "write"
#define COST_PAGES "pages"
#define COST_PAGE_BYTES "page_bytes"
#define COST_TOUCH_NS "touch_ns"
#define COST_FORK_NS "fork_ns"
#define COST_EXIT_NS "exit_ns"
#define COST_MINFLT "minflt"
#define COST_MAJFLT "majflt"
#define COST_RSS_KIB "rss_kib"
#define COST_PSS_KIB "pss_kib"
#define COST_PRIVATE_KIB "private_kib"
#define COST_SHARED_KIB "shared_kib"

/* The switch entry's name: "<kind>-<channel>-<placement>", e.g.
 * "threads-pipe-same" (@chan CE_CHAN_PIPE or CE_CHAN_FUTEX). */
void cost_switch_entry(char *buf, size_t len, bool processes, const char *chan, bool cross);
/* The name of party @party ('a' or 'b') of a switch ping-pong, short enough
 * for a comm: "th-pipe-same-a", "pr-futex-xcpu-b". */
void cost_switch_comm(char *buf, size_t len, bool processes, const char *chan, bool cross,
		      char party);
/* The entry named @name of a "costs" array, or NULL when absent or skipped. */
const json_t *cost_named(const json_t *costs, const char *name);
/* A number in entry @e by a dotted path (COST_MEDIAN_NS), or @dflt. */
double cost_num(const json_t *e, const char *path, double dflt);

#endif

#!/usr/bin/env bash
# 03_event_loop in --quick mode: 10 tasks waiting 0.05 s on one loop thread.
# await overlaps every wait (one wait in all); blocking adds them up.
. "$(dirname "$0")/../lib.sh"
D=03_event_loop
BIN=$BUILD/demos/$D
scratch

demo_cli $D await --quick
expect_exit "$D: zero --tasks" 2 "$BIN" --quick --tasks 0
expect_exit "$D: absurd --tasks" 2 "$BIN" --quick --tasks 1000000000
expect_exit "$D: negative --wait" 2 "$BIN" --quick --wait -1
expect_exit "$D: --wait over a minute" 2 "$BIN" --quick --wait 61
expect_exit "$D: a run of over an hour" 2 "$BIN" --tasks 10000 --wait 1

J=$SCRATCH/all.json
check "$D --quick runs both variants" "$BIN" --quick --json "$J"
check "$D: variants await, blocking" test "$(json "$J" '[.runs[].variant] | join(",")')" = await,blocking
demo_common $D "$J"
A='.runs[] | select(.variant == "await")'
B='.runs[] | select(.variant == "blocking")'
wa=$(json "$J" "$A | .wall_s") wb=$(json "$J" "$B | .wall_s")
# Limits: await one wait (0.05 s), blocking 10 x 0.05 s; never below, and
# within 20% + 20 ms (await) or 10% + 30 ms (blocking) on a loaded machine.
check "$D await: wall $wa s >= one wait" ge "$wa" 0.05
check "$D await: wall $wa s within 20% + 20 ms of one wait" ge 0.08 "$wa"
check "$D blocking: wall $wb s >= 10 waits" ge "$wb" 0.5
check "$D blocking: wall $wb s within 10% + 30 ms of 10 waits" ge 0.58 "$wb"
check "$D: blocking is at least 5x slower than await" ge "$wb" "$(awk -v a="$wa" 'BEGIN { print 5 * a }')"
jcheck "$D: limits and every task done" "$J" \
	"($A | .limit_s == 0.05 and .tasks_done == 10) and ($B | .limit_s == 0.5 and .tasks_done == 10)"
jcheck "$D: one loop thread beside main" "$J" '[.runs[] | names == ["loop", "main"]] | all' '[.runs[] | names]'
jcheck "$D: the loop thread's pid is the demo's" "$J" '[.runs[] | .pid as $p | [.threads[].pid == $p] | all] | all'
# await: every task armed a timerfd and the loop slept in epoll_wait; no
# task waited long for its first step. blocking: no epoll_wait was needed
# (a task was always ready) and the last task started after 9 waits.
jcheck "$D await: timerfds, epoll_wait, timer wakeups" "$J" \
	"$A | .loop.timerfds == 10 and .loop.epoll_waits >= 1 and .loop.timer_wakeups == 10" "$A | .loop"
jcheck "$D await: tasks start within 20 ms" "$J" "$A | .task_latency.start_delay_ns.max < 20000000" \
	"$A | .task_latency"
jcheck "$D blocking: no timers; the last task waited 9 x 0.05 s to start" "$J" \
	"$B | .loop.timerfds == 0 and .task_latency.start_delay_ns.max >= 450000000" "$B | {loop, task_latency}"
# The loop thread sleeps in epoll_wait or nanosleep: voluntary switches.
jcheck "$D: the loop thread blocked voluntarily" "$J" \
	'[.runs[] | .threads[] | select(.name == "loop") | .rusage.nvcsw >= 1] | all'
jcheck "$D blocking: the loop blocked once per task" "$J" \
	"$B | .threads[] | select(.name == \"loop\") | .rusage.nvcsw >= 10"

J=$SCRATCH/one.json
check "$D --variant await --tasks 200 --wait 0.02" "$BIN" --variant await --tasks 200 --wait 0.02 --json "$J"
jcheck "$D: 200 overlapping waits still take about one wait" "$J" \
	'.variant == "await" and .tasks_done == 200 and .wall_s >= 0.02 and .wall_s < 0.06' '{wall_s, loop}'
demo_common $D "$J"

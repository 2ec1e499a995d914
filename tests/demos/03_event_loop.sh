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
host_mark
check "$D --quick runs both variants" "$BIN" --quick --json "$J"
check "$D: variants await, blocking" test "$(json "$J" '[.runs[].variant] | join(",")')" = await,blocking
demo_common $D "$J"
A='.runs[] | select(.variant == "await")'
B='.runs[] | select(.variant == "blocking")'
# Limits: await one wait (0.05 s), blocking 10 x 0.05 s; never below (on any
# machine), and within 20% + 20 ms (await) or 10% + 30 ms (blocking): close
# above needs the loop thread to get a CPU when its timer fires, so a miss
# is retried, one variant at a time, when the run's own threads waited in run
# queues (or the hypervisor stole) as long as the miss. Likewise await's
# tasks all start within 20 ms.
jq "$A" "$J" >"$SCRATCH/await.json"
jq "$B" "$J" >"$SCRATCH/blocking.json"
wa=$(json "$SCRATCH/await.json" .wall_s) wb=$(json "$SCRATCH/blocking.json" .wall_s)
check "$D await: wall $wa s >= one wait" ge "$wa" 0.05
check "$D blocking: wall $wb s >= 10 waits" ge "$wb" 0.5
# miss_ms FILE MAX_WALL [MAX_START_DELAY_NS]: how far past its bounds a run went, in ms.
miss_ms() {
	jq -r --argjson w "$2" --argjson d "${3:-1e18}" '[(.wall_s - $w) * 1000,
		((.task_latency.start_delay_ns.max // 0) - $d) / 1e6] | max | if . > 0 then ceil else empty end' "$1"
}
await_shape() {
	jq -r 'if .wall_s > 0.08 then "wall \(.wall_s) s > 20% + 20 ms over one wait (0.05 s)" else empty end,
		if .task_latency.start_delay_ns.max >= 20000000 then
		"a task started \(.task_latency.start_delay_ns.max / 1e6) ms late (>= 20 ms)" else empty end' "$1"
}
await_busy() { busy_explains "$(miss_ms "$1" 0.08 20000000)" "$(chain_runq_ms "$1")" "$(host_steal_ms)"; }
blocking_shape() {
	jq -r 'if .wall_s > 0.58 then "wall \(.wall_s) s > 10% + 30 ms over 10 waits (0.5 s)" else empty end' "$1"
}
blocking_busy() { busy_explains "$(miss_ms "$1" 0.58)" "$(chain_runq_ms "$1")" "$(host_steal_ms)"; }
rerun_variant() { host_mark; "$BIN" --quick --variant "$v" --json "$1" >/dev/null; }
v=await retry_busy "$D await: wall within 20% + 20 ms of one wait, every task started within 20 ms" 3 \
	"$SCRATCH/await.json" rerun_variant await_shape await_busy
v=blocking retry_busy "$D blocking: wall within 10% + 30 ms of 10 waits" 3 \
	"$SCRATCH/blocking.json" rerun_variant blocking_shape blocking_busy
wa=$(json "$SCRATCH/await.json" .wall_s) wb=$(json "$SCRATCH/blocking.json" .wall_s)
check "$D: blocking ($wb s) is at least 5x slower than await ($wa s)" \
	ge "$wb" "$(awk -v a="$wa" 'BEGIN { print 5 * a }')"
jcheck "$D: limits and every task done" "$J" \
	"($A | .limit_s == 0.05 and .tasks_done == 10) and ($B | .limit_s == 0.5 and .tasks_done == 10)"
jcheck "$D: one loop thread beside main" "$J" '[.runs[] | names == ["loop", "main"]] | all' '[.runs[] | names]'
jcheck "$D: the loop thread's pid is the demo's" "$J" '[.runs[] | .pid as $p | [.threads[].pid == $p] | all] | all'
# await: every task armed a timerfd and the loop slept in epoll_wait; no
# task waited long for its first step. blocking: no epoll_wait was needed
# (a task was always ready) and the last task started after 9 waits.
jcheck "$D await: timerfds, epoll_wait, timer wakeups" "$J" \
	"$A | .loop.timerfds == 10 and .loop.epoll_waits >= 1 and .loop.timer_wakeups == 10" "$A | .loop"
jcheck "$D blocking: no timers; the last task waited 9 x 0.05 s to start" "$J" \
	"$B | .loop.timerfds == 0 and .task_latency.start_delay_ns.max >= 450000000" "$B | {loop, task_latency}"
# The loop thread sleeps in epoll_wait or nanosleep: voluntary switches.
jcheck "$D: the loop thread blocked voluntarily" "$J" \
	'[.runs[] | .threads[] | select(.name == "loop") | .rusage.nvcsw >= 1] | all'
jcheck "$D blocking: the loop blocked once per task" "$J" \
	"$B | .threads[] | select(.name == \"loop\") | .rusage.nvcsw >= 10"

J=$SCRATCH/one.json
run_200() { host_mark; "$BIN" --variant await --tasks 200 --wait 0.02 --json "$1" >/dev/null; }
check "$D --variant await --tasks 200 --wait 0.02" run_200 "$J"
jcheck "$D: 200 overlapping waits, every one done, none shorter than the wait" "$J" \
	'.variant == "await" and .tasks_done == 200 and .wall_s >= 0.02' '{wall_s, loop}'
many_shape() { jq -r 'if .wall_s >= 0.06 then "wall \(.wall_s) s >= 0.06 s (3 waits)" else empty end' "$1"; }
many_busy() { busy_explains "$(miss_ms "$1" 0.06)" "$(chain_runq_ms "$1")" "$(host_steal_ms)"; }
retry_busy "$D: 200 overlapping waits still take about one wait (< 0.06 s)" 3 "$J" run_200 many_shape many_busy
demo_common $D "$J"

#!/usr/bin/env bash
# The collector right to the kernel (issue 3): every demo variant in quick
# mode and a foreign workload, per thread against the kernel's own
# accounting; the states conserve the lifetime; nothing lost.
. "$(dirname "$0")/../lib.sh"
need_root collector_accuracy
. "$(dirname "$0")/collector.lib"
need_collector collector_accuracy

# lost_zero SCHED.JSON LABEL: every lost counter is present; those of the
# recording itself (ring buffer, maps, stacks, skipped program runs) are
# zero. Switches the program did not see (docs/collector.md, "Missed
# switch-ins": the kernel's sched_switch tracepoint sometimes does not fire,
# perf sees the same gaps) are repaired from the kernel's counters, so the
# per-thread comparisons above still hold; they must stay rare: at most 5,
# or 10% of the switches (13 of 229 seen once in 05 threads-4 with the
# machine's load average at 20; 0 in four runs right after).
lost_zero() {
	local bad missed switches
	bad=$(jq -r '.lost | del(.switch_in_missed, .switch_out_missed, .wakeup_missed) | to_entries
		| map(select(.value != 0) | "\(.key)=\(.value)") | join(" ")' "$1")
	missed=$(jq '.lost.switch_in_missed + .lost.switch_out_missed + .lost.wakeup_missed' "$1")
	switches=$(jq '[.threads[] | .nvcsw + .nivcsw] | add // 0' "$1")
	[ "$missed" -gt 0 ] && echo "# $2: $missed of $switches switches or wakeups not seen"
	if [ "$(jq '.lost | length' "$1")" -ge 10 ] && [ -z "$bad" ] &&
		{ [ "$missed" -le 5 ] || [ $((missed * 10)) -le "$switches" ]; }; then
		ok "$2: no event lost"
	else
		not_ok "$2: lost events: ${bad:-none by the collector}; kernel switches or wakeups not seen: $missed of $switches"
	fi
}

# One variant traced and compared. As in collector_truth.sh, a run off its
# allowance is made again once (a busy host stretches a slice's edges: the
# miss is printed, then the second run judges); a second miss fails.
trace_and_compare() {
	local demo=$1 v=$2 dir=$TMPD/$1-$2 out try
	for try in 1 2; do
		rm -rf "$dir"
		if ! trace "$dir" -- "$DEMOS/$demo" --variant "$v" --quick --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
			not_ok "$demo $v: schedtrace failed: $(head -c 300 "$TMPD/err")"
			return
		fi
		out=$(compare_threads "$dir/sched.json" "$dir/demo.json" "$demo $v")
		grep -q '^not ok' <<<"$out" && [ "$try" -eq 1 ] || break
		echo "# $demo $v: off the kernel's account, run again once: $(grep '^not ok' <<<"$out" | head -1 | cut -c8-)"
	done
	echo "$out"
	lost_zero "$dir/sched.json" "$demo $v"
}
for demo in 01_io_wait 02_cpu_bound 03_event_loop 04_backpressure 05_thread_overhead; do
	for v in $("$DEMOS/$demo" --quick --list-variants); do
		trace_and_compare "$demo" "$v"
	done
done

# A foreign workload: two processes bouncing a pipe (perf's scheduler
# benchmark), checked against the counters the kernel keeps on each task.
dir=$TMPD/pipe
if trace "$dir" -- perf bench sched pipe -l 20000 >/dev/null 2>"$TMPD/err"; then
	compare_kernel "$dir/sched.json" "perf bench sched pipe"
	check "perf bench sched pipe: both processes traced" \
		test "$(jq '[.threads[].pid] | unique | length' "$dir/sched.json")" -ge 2
	lost_zero "$dir/sched.json" "perf bench sched pipe"
else
	not_ok "perf bench sched pipe: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi

# And a shell pipeline: processes forked by a traced shell, sleeping and
# writing to a disk file.
dir=$TMPD/shell
if trace "$dir" -- sh -c 'for i in 1 2 3; do sleep 0.05; done; dd if=/dev/zero bs=64k count=64 2>/dev/null | cat >/dev/null' 2>"$TMPD/err"; then
	compare_kernel "$dir/sched.json" "shell pipeline"
	check "shell pipeline: sleep, dd and cat traced" \
		test "$(jq '[.threads[].comm] | map(select(. == "sleep" or . == "dd" or . == "cat")) | length' "$dir/sched.json")" -ge 5
	check "shell pipeline: the sleeps are in sleep_ns (>= 150 ms)" \
		ge "$(jq '[.threads[] | select(.comm == "sleep") | .sleep_ns] | add' "$dir/sched.json")" 150000000
else
	not_ok "shell pipeline: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi

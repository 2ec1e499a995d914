#!/usr/bin/env bash
# The window's end (docs/collector.md, "The window's end"): where the command
# ended as the kernel saw it, not where the collector reaped it. The
# collector is made slow to drain its ring buffer (a burst of wakeups traced
# with --timeline, beside one CPU hog per CPU), so the reap trails the
# command's end; end_ns must still be its last thread's final switch-out.
# And a process the command leaves running past its end keeps a whole
# account. No check reads a wall time: each compares the run's own stamps.
. "$(dirname "$0")/../lib.sh"
need_root window_end
. "$(dirname "$0")/collector.lib"
need_collector window_end
need_workload W stress

hogs=()
trap 'for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMPD"' EXIT
# One CPU hog per CPU, at most 120 s each (killed below).
for _ in $(seq "$(nproc)"); do
	timeout 120 sh -c 'while :; do :; done' &
	hogs+=($!)
done

# The states of every thread sum to its life, none negative.
STATES='(.running_ns + .runnable_ns + .lock_ns + .sleep_ns + .io_ns + .disk_ns + .other_ns)'
SUMS="all(.threads[]; $STATES == .lifetime_ns and .running_ns >= 0 and .runnable_ns >= 0 and .lifetime_ns >= 0)"

d=$TMPD/burst
trace "$d" -v --timeline -- "$W" wakeups 40000 >/dev/null 2>"$TMPD/burst.err"
rc=$?
for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
hogs=()
S=$d/sched.json
check "a burst of wakeups beside CPU hogs ran under the collector (exit $rc)" test "$rc" -eq 0
# The collector's own figure (-v): how long after the command's end it reaped it.
echo "# $(grep -m1 'the window ends' "$TMPD/burst.err" | sed 's/^schedtrace: //')"
jcheck "the window's end is the command's exit as the kernel saw it (end_from)" "$S" \
	'.end_from == "exit"' '{end_from}'
# Every thread of the workload ends before it does: its last final
# switch-out is the end (the stamp and last_ns are one clock reading; two
# threads ending at once on two CPUs may differ by microseconds).
jcheck "end_ns is the last thread's final switch-out (within 1 ms)" "$S" \
	'([.threads[].last_ns] | max) as $l | (.end_ns - $l | fabs) <= 1e6' \
	'{end_ns, last: ([.threads[].last_ns] | max), lag_ms: ((.end_ns - ([.threads[].last_ns] | max)) / 1e6)}'
jcheck "other work's window is the command's" "$S" \
	'.other_work.to_ns == .end_ns' '{end_ns, to: .other_work.to_ns}'
jcheck "the burst's threads' states sum to their lives" "$S" "$SUMS" \
	"[.threads[] | {tid, sum: $STATES, lifetime_ns}]"

# A process the command leaves running: the shell's end is the window's,
# the sleep lives past it with a whole account.
d=$TMPD/left
trace "$d" -- sh -c 'sleep 0.3 & exit 0' >/dev/null 2>&1
rc=$?
S=$d/sched.json
check "sh leaving a sleep behind ran under the collector (exit $rc)" test "$rc" -eq 0
jcheck "the window ends at the shell's exit, not the sleep's" "$S" \
	'.end_from == "exit" and .pid as $p | (.threads[] | select(.tid == $p) | .last_ns) == .end_ns' \
	'{end_from, end_ns, pid, threads: [.threads[] | {tid, comm, first_ns, last_ns}]}'
jcheck "the sleep outlived the window, its account whole" "$S" \
	"[.threads[] | select(.comm == \"sleep\")] | length == 1 and all(.last_ns >= .first_ns and $STATES == .lifetime_ns)" \
	"[.threads[] | {tid, comm, first_ns, last_ns, sum: $STATES, lifetime_ns}]"
jcheck "every thread's states sum to its life, none negative" "$S" "$SUMS" \
	"[.threads[] | {tid, comm, sum: $STATES, lifetime_ns}]"

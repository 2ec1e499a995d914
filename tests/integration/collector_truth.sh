#!/usr/bin/env bash
# The collector true to the kernel's final accounting (issue 12), on
# workloads written to make it hard (tests/workloads/stress.c, burst.py):
# threads exiting while preempted, hundreds of short processes, wakeup
# preemption on one CPU, waits on the disk, a command that execs again
# mid-slice, a burst of threads moved between CPUs beside CPU hogs (in C and
# in CPython: issue 21). For every thread, against the counters the
# collector read off the task at its final switch-out (sched.json kernel,
# less `before` for the command's own thread):
#   running + runnable      within max(1%, 1 ms) + 3 us per slice of the
#                           kernel's run + wait (docs/collector.md, "The two
#                           cuts": what each side counts, measured)
#   running, kernel's cut   sched_running_ns within max(2%, 2 ms) of
#                           se.sum_exec_runtime
#   switches                voluntary and involuntary each exact to +-1
#   states                  sum to the lifetime (to the nanosecond)
#   nothing missed          every thread the workload made is there and
#                           ended at its final switch-out; nothing lost
# The figures compared are the run's own, on both sides, so a busy machine
# moves both alike. A negative control proves each check can fail.
. "$(dirname "$0")/../lib.sh"
need_root collector_truth
. "$(dirname "$0")/collector.lib"
need_collector collector_truth
need_workload STRESS stress

# truth_rows SCHED.JSON: one line per ended thread with the figures compared.
truth_rows() {
	jq -r '(.before // {tid: -1}) as $b
		| .threads[] | select(.kernel != null and .ended_at_switch)
		| (if .tid == $b.tid then $b else {run_ns: 0, wait_ns: 0, nvcsw: 0, nivcsw: 0} end) as $z
		| [.tid, .comm,
		   (.running_ns - .irq_steal_ns + .runnable_ns - .runnable_asleep_ns + .queued_asleep_ns),
		   (.kernel.sum_exec_runtime_ns - $z.run_ns + .kernel.run_delay_ns - $z.wait_ns),
		   .timeslices, .sched_running_ns, (.kernel.sum_exec_runtime_ns - $z.run_ns),
		   .nvcsw, (.kernel.nvcsw - $z.nvcsw), .nivcsw, (.kernel.nivcsw - $z.nivcsw),
		   (.running_ns + .runnable_ns + .lock_ns + .sleep_ns + .io_ns + .disk_ns + .other_ns),
		   .lifetime_ns] | @tsv' "$1"
}

# judge ROWS: prints "OK n worst-sum-per-slice" or "BAD what".
judge() {
	awk -F'\t' '
		function abs(x) { return x < 0 ? -x : x }
		function max(a, b) { return a > b ? a : b }
		{
			id = $2 "/" $1
			d = $3 - $4
			lim = max(0.01 * $4, 1e6) + 3000 * $5
			if (abs(d) > lim) bad = bad sprintf(" %s running+runnable %d vs kernel run+wait %d (off %d, allowed %d over %d slices);", id, $3, $4, d, lim, $5)
			lim2 = max(0.02 * $7, 2e6)
			if (abs($6 - $7) > lim2) bad = bad sprintf(" %s running by the kernel'"'"'s cut %d vs sum_exec_runtime %d;", id, $6, $7)
			if (abs($8 - $9) > 1) bad = bad sprintf(" %s voluntary switches %d vs %d;", id, $8, $9)
			if (abs($10 - $11) > 1) bad = bad sprintf(" %s involuntary switches %d vs %d;", id, $10, $11)
			if (abs($12 - $13) > 0) bad = bad sprintf(" %s states sum %d vs lifetime %d;", id, $12, $13)
			if (abs(d) / lim > worst) { worst = abs(d) / lim; wid = id; wd = d; ws = $5 }
			n++
		}
		END {
			if (!n) print "BAD no ended thread with the kernel'"'"'s counters"
			else if (bad != "") print "BAD" bad
			else printf "OK %d %.0f%% %s %.1f %d\n", n, 100 * worst, wid, wd / 1000, ws
		}' <<<"$1"
}

# nothing_missed SCHED.JSON WANT_THREADS LABEL
nothing_missed() {
	local have ended bad
	have=$(jq '.threads | length' "$1")
	ended=$(jq '[.threads[] | select(.ended_at_switch)] | length' "$1")
	bad=$(jq -r '.lost | {ringbuf, map_full, map_busy, prog_misses, tid_reused, exit_switch_missed,
		stack_misses, stack_collisions} | to_entries | map(select(.value != 0) | "\(.key)=\(.value)") | join(" ")' "$1")
	echo "# $3: kernel tracepoints not seen (repaired): $(jq -r '.lost | "switch_in \(.switch_in_missed), switch_out \(.switch_out_missed), wakeup \(.wakeup_missed)"' "$1")"
	if [ "$have" -eq "$2" ] && [ "$ended" -eq "$2" ] && [ -z "$bad" ]; then
		ok "$3: all $2 threads traced, each to its final switch-out; nothing lost"
	else
		not_ok "$3: $have threads traced of $2, $ended ended at their final switch-out; lost: ${bad:-none}"
	fi
}

# busy_share SCHED.JSON: the percentage of its threads' lives they spent
# runnable (waiting for a CPU): the run's own measure of a busy host.
busy_share() {
	jq '[.threads[] | .runnable_ns] as $r | [.threads[] | .lifetime_ns] as $l
		| if ($l | add) > 0 then (100 * ($r | add) / ($l | add) | floor) else 0 end' "$1"
}

# truth DIR WANT_THREADS LABEL -- CMD...: trace CMD, then every check. The
# per-slice allowance holds for a host that gives the traced threads their
# CPU: when a run fails it and its threads spent over a quarter of their
# lives waiting for a CPU, the wakeup's way to the tracepoint (a reschedule
# IPI, in a VM a VM exit) was slow, and the run is made again, up to twice,
# saying so. A run on an idle host that fails fails.
# With LOADED set the host is loaded on purpose (the workload's own hogs):
# a busy host excuses nothing; a run off its allowance is made once more,
# saying so, and fails if that one is off too (once in about 35 runs of
# burst.py a thread came out 0.1 ms over its allowance, on the collector's
# side; what these runs are there to catch misses in most runs).
truth() {
	local dir=$1 want=$2 label=$3 out try busy tries=3 again=''
	shift 4
	[ -n "${LOADED:-}" ] && tries=2
	for ((try = 1; try <= tries; try++)); do
		if ! trace "$dir" -- "$@" >"$dir.out" 2>"$dir.err"; then
			not_ok "$label: schedtrace failed: $(head -c 300 "$dir.err")"
			return 1
		fi
		out=$(judge "$(truth_rows "$dir/sched.json")")
		busy=$(busy_share "$dir/sched.json")
		case $out in OK*) break ;; esac
		if [ -n "${LOADED:-}" ]; then
			[ $try -lt $tries ] || break
			echo "# $label: off the allowance:${out#BAD}: run again, once"
			again=" (made again: the first run was off)"
			continue
		fi
		[ "$busy" -gt 25 ] && [ $try -lt $tries ] || break
		echo "# $label: off the allowance while the host was busy (threads runnable $busy% of their lives): run $((try + 1)) of 3"
	done
	[ "$want" = from-output ] && want=$(awk '/^processes/ { print $4 }' "$dir.out")
	nothing_missed "$dir/sched.json" "$want" "$label"
	case $out in
	OK*)
		set -- $out
		ok "$label: $2 threads true to the kernel's final counters (closest to its allowance: $4, running+runnable off $5 us over $6 slices, $3 of the allowance)$again"
		;;
	*)
		# Three runs, each off while its threads waited for a CPU over a
		# quarter of their lives: not judged, said (never a pass).
		if [ -z "${LOADED:-}" ] && [ "$busy" -gt 25 ] && [ "$try" -eq 3 ]; then
			skip "$label: threads true to the kernel's final counters" "off in 3 runs, each on a busy host (threads runnable $busy% of their lives):${out#BAD}"
		else
			not_ok "$label:${out#BAD} (threads runnable $busy% of their lives)"
		fi
		;;
	esac
	jq -r --arg l "$label" '"# \($l): per slice, scheduler minus collector: running \(.clock.deviation_per_slice_ns) ns, running+runnable \(.clock.sum_deviation_per_slice_ns) ns over \(.clock.slices) slices"' "$dir/sched.json"
}

mkdir -p "$TMPD/disk" && chown "$RUN_UID:$RUN_GID" "$TMPD/disk"
truth "$TMPD/exits" from-output "threads exiting while preempted" -- "$STRESS" exits 64
truth "$TMPD/procs" from-output "200 short processes" -- "$STRESS" procs 200
truth "$TMPD/shell" 101 "a shell starting 100 processes" -- sh -c 'i=0; while [ $i -lt 100 ]; do /bin/true; i=$((i + 1)); done; exit 0'
truth "$TMPD/wake" from-output "wakeup preemption on one CPU" -- "$STRESS" wakeups 20000
# The disk: a file system backed by one (tmpfs would make fdatasync free).
ddir=/var/tmp
if [ "$(stat -f -c %T "$ddir")" = tmpfs ]; then
	skip "disk waits" "$ddir is tmpfs here: no disk to wait for"
else
	truth "$TMPD/disk" from-output "disk waits (write + fdatasync)" -- "$STRESS" disk "$ddir" 200
	check "disk waits: the writer waited on the disk (disk_ns > 0)" \
		test "$(jq '[.threads[].disk_ns] | add' "$TMPD/disk/sched.json")" -gt 0
fi

# The command's window opens at its exec, mid-slice, where se.sum_exec_runtime
# lags by up to a tick: the baseline brings it to the exec (open_window).
# Left stale, the exec'ing thread comes out short of the kernel's run + wait
# by that lag: a command that spins 10 ms and execs again (the window moves
# there) came out 0.15 to 3.1 ms short (0.35-0.52 ms in most runs, about 3
# ms in a third), mostly inside the allowance above; with the baseline
# brought to the exec, within 31 us in 18 runs. So that thread is held to
# 100 us + 3 us per slice, in each of four runs.
EXEC_NS=100000
exec_baseline() {
	local row d
	row=$(jq -r '.before.tid' "$1/sched.json")
	row=$(truth_rows "$1/sched.json" | awk -F'\t' -v t="$row" '$1 == t')
	if [ -z "$row" ]; then
		not_ok "$2: the exec'ing thread is not in sched.json with a baseline"
		return
	fi
	d=$(awk -F'\t' -v lim="$EXEC_NS" '{ d = $3 - $4; l = lim + 3000 * $5
		printf "%s %.1f %.1f", (d < -l || d > l) ? "BAD" : "OK", d / 1000, l / 1000 }' <<<"$row")
	set -- "$2" $d
	if [ "$2" = OK ]; then
		ok "$1: the exec'ing thread off $3 us from the kernel's run + wait since its exec (allowed $4 us)"
	else
		not_ok "$1: the exec'ing thread off $3 us from the kernel's run + wait since its exec (allowed $4 us: a baseline older than the exec)"
	fi
}
for i in 1 2 3 4; do
	LOADED=1 truth "$TMPD/exec$i" 1 "a command that execs again mid-slice, run $i of 4" -- "$STRESS" exec
	exec_baseline "$TMPD/exec$i" "a command that execs again mid-slice, run $i of 4"
done

# A burst of threads started at once beside CPU hogs, while they are moved
# between two CPUs as the load balancer moves them (issue 21): a thread that
# sleeps still queued is moved, and the kernel counts part of its sleep as
# run-queue wait, in pieces; before the collector read every piece
# (note_queued_asleep), threads came out up to 23 ms short of run + wait.
# Three runs each, in C and in CPython, every one judged.
for i in 1 2 3; do
	LOADED=1 truth "$TMPD/burst$i" from-output "a burst of 48 threads beside CPU hogs, run $i of 3" -- "$STRESS" burst 48
done
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
if [ -z "$py" ]; then
	skip "a burst of 48 CPython threads" "no python3 here"
else
	BURST_PY=$(runnable_copy "$TOP/tests/workloads/burst.py")
	# CPU hogs beside the command, one per CPU, bounded, ended with the suite.
	hogs=()
	for ((c = 0; c < $(nproc); c++)); do
		timeout 300 sh -c 'while :; do :; done' &
		hogs+=($!)
	done
	trap 'kill "${hogs[@]}" 2>/dev/null; rm -rf "$TMPD"' EXIT
	for i in 1 2 3; do
		LOADED=1 truth "$TMPD/pyburst$i" from-output "a burst of 48 CPython threads beside CPU hogs, run $i of 3" -- "$py" "$BURST_PY" 48
	done
	kill "${hogs[@]}" 2>/dev/null
	wait "${hogs[@]}" 2>/dev/null
fi

# Negative controls: the same checks on the exits run with one figure made
# wrong by just more than each allowance must fail.
rows=$(truth_rows "$TMPD/exits/sched.json" | head -1)
if [ -n "$rows" ]; then
	# bump COL BY: column COL set to its reference (the next column) + BY.
	bump() { awk -F'\t' -v OFS='\t' -v c="$1" -v by="$2" '{ $c = $(c + 1) + by; print }' <<<"$rows"; }
	lim=$(awk -F'\t' '{ l = 0.01 * $4; if (l < 1e6) l = 1e6; printf "%d", l + 3000 * $5 + 1000 }' <<<"$rows")
	lim2=$(awk -F'\t' '{ l = 0.02 * $7; if (l < 2e6) l = 2e6; printf "%d", l + 1000 }' <<<"$rows")
	for bad in "3:$lim:running + runnable" "6:$lim2:running by the kernel's cut" "8:2:voluntary switches" \
		"10:2:involuntary switches" "12:1:the states' sum"; do
		IFS=: read -r col by what <<<"$bad"
		case $(judge "$(bump "$col" "$by")") in
		BAD*) ok "negative control: a thread off by $by in $what fails" ;;
		*) not_ok "negative control: a thread off by $by in $what passed" ;;
		esac
	done
fi

#!/usr/bin/env bash
# Other work on the run's CPUs and the tracer's own cost (issue 16): with a
# CPU hog of another program beside the traced command, sched.json names it
# with about the CPU time it ran (its own schedstat, read inside the
# command's window); without it, whatever is named is real other work (never
# the traced command, the idle task or the tracer), and the figures agree
# with each other. The eBPF programs' own run time is counted. The host may
# be busy with other work: no check depends on how much of it there was.
. "$(dirname "$0")/../lib.sh"
need_root other_work
. "$(dirname "$0")/collector.lib"
need_collector other_work

# A CPU hog with a name of its own (its comm is its file name).
HOG_BIN=$TMPD/noise-hog
cp "$(type -P sha256sum)" "$HOG_BIN" && chmod 755 "$HOG_BIN"
hogs=()
trap 'for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMPD"' EXIT
# start_hog VAR: a hog in the background, at most 120 s, its pid in VAR.
start_hog() {
	timeout 120 "$HOG_BIN" /dev/zero &
	local p=$!
	hogs+=("$p")
	# timeout forks the hog: wait (bounded) for its child to be the hog itself.
	for _ in $(seq 50); do
		local c
		c=$(pgrep -P "$p" -x noise-hog | head -1)
		[ -n "$c" ] && { printf -v "$1" '%s' "$c"; return 0; }
		sleep 0.1
	done
	return 1
}
stop_hogs() {
	for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	hogs=()
}

# The traced command: two CPU-bound threads of work for 1.5 s; with HOG, the
# hog's CPU time (schedstat, ns) read as the command begins and as it ends.
workload() {
	local hog=${1:-}
	local work='timeout 1.5 sha256sum /dev/zero & timeout 1.5 sha256sum /dev/zero; wait'
	if [ -n "$hog" ]; then
		work="cut -d' ' -f1 /proc/$hog/schedstat; $work; cut -d' ' -f1 /proc/$hog/schedstat"
	fi
	printf '%s' "$work"
}

# --- With a hog beside.
if ! start_hog HOG; then
	not_ok "the hog did not start"
	exit 1
fi
mkdir -p "$TMPD/hog"
chmod 777 "$TMPD/hog"
trace "$TMPD/hog" -- sh -c "$(workload "$HOG")" >"$TMPD/hog.cpu" 2>"$TMPD/hog.err"
rc=$?
stop_hogs
S=$TMPD/hog/sched.json
check "traced beside a hog: exit 0 and sched.json written (exit $rc)" test "$rc" -eq 0 -a -s "$S"
jcheck "other_work and tracer are in sched.json, over the run's CPUs and window" "$S" \
	'(.other_work.cpus | length) > 0 and .other_work.from_ns < .other_work.to_ns
	 and .other_work.from_ns <= .start_ns and .other_work.to_ns >= .end_ns - 1e8
	 and (.tracer.programs | type) == "object"' '{other_work: (.other_work | del(.processes)), tracer}'
jcheck "the hog is named by its process name and pid" "$S" \
	"[.other_work.processes[] | select(.comm == \"noise-hog\" and .pid == $HOG)] | length == 1" \
	'[.other_work.processes[] | {comm, pid, cpu_ns}]'
read -r h0 h1 < <(paste -sd' ' "$TMPD/hog.cpu")
measured=$(jq -r "[.other_work.processes[] | select(.pid == $HOG) | .cpu_ns] | add // 0" "$S")
# The window is a little longer than the command: from attach to its exec,
# and from its end to the collector seeing it (20 ms polls, a visit per CPU).
extra=$(jq -r '(.start_ns - .other_work.from_ns) + 5e7' "$S")
echo "# hog: $(((h1 - h0) / 1000000)) ms by its schedstat inside the command, $((measured / 1000000)) ms counted; window $(((${extra%.*}) / 1000000)) ms longer"
check "the hog's CPU time counted is what it ran in the command (within 20% and the extra window)" \
	awk -v m="$measured" -v d="$((h1 - h0))" -v x="$extra" 'BEGIN {
		if (m >= 0.8 * d - 2e7 && m <= d + x) exit 0
		printf "#   counted %d ns, schedstat %d ns (extra window %d ns)\n", m, d, x; exit 1 }'
jcheck "the hog is other work, not the tracer's" "$S" \
	"[.tracer.processes[] | select(.pid == $HOG)] | length == 0"
jcheck "the run's wait behind other work is part of its runnable time" "$S" \
	'.other_work.run_waited_ns + .tracer.run_waited_ns <= ([.threads[].runnable_ns] | add) + 1e6' \
	'{waited: .other_work.run_waited_ns, runnable: ([.threads[].runnable_ns] | add)}'

# --- Without it: whatever is named ran beside the command, outside it.
mkdir -p "$TMPD/quiet"
chmod 777 "$TMPD/quiet"
trace "$TMPD/quiet" -- sh -c "$(workload)" >/dev/null 2>"$TMPD/quiet.err"
rc=$?
Q=$TMPD/quiet/sched.json
check "traced alone: exit 0 (exit $rc)" test "$rc" -eq 0 -a -s "$Q"
jcheck "no hog named when none ran" "$Q" '[.other_work.processes[] | select(.comm == "noise-hog")] | length == 0'
# This schedtrace is the one tracer process of that name (others' are other work).
jcheck "schedtrace itself is counted as the tracer, once" "$Q" \
	'[.tracer.processes[] | select(.comm == "schedtrace")] | length == 1' '.tracer.processes'
jcheck "the traced command, the idle task and this schedtrace are never other work" "$Q" \
	'([.processes[].pid] + [0] + [.tracer.processes[].pid]) as $not
	 | [.other_work.processes[] | select(.pid as $p | $not | index($p))] | length == 0' \
	'[.other_work.processes[] | {pid, comm}]'
for f in "$S" "$Q"; do
	jcheck "${f#"$TMPD"/}: the named processes and the rest add up to other work's CPU time" "$f" \
		'([.other_work.processes[].cpu_ns] | add // 0) + .other_work.more.cpu_ns == .other_work.cpu_ns' \
		'{cpu_ns: .other_work.cpu_ns, named: ([.other_work.processes[].cpu_ns] | add), more: .other_work.more}'
	jcheck "${f#"$TMPD"/}: other work took no more than the CPUs had over the window" "$f" \
		'.other_work.cpu_ns + .tracer.cpu_ns <= (.other_work.cpus | length) * (.other_work.to_ns - .other_work.from_ns) * 1.02'
	jcheck "${f#"$TMPD"/}: the eBPF programs' run time and runs are counted (or why not is said)" "$f" \
		'(.tracer.programs.stats and .tracer.programs.runs > 0 and .tracer.programs.run_ns > 0
		  and .tracer.programs.runs == ([.programs[].run_cnt] | add))
		 or (.tracer.programs.stats == false and (.tracer.programs.why | length) > 0)' '.tracer.programs'
done

# --- --tracer-pid: a process descending from it is the tracer's own.
(
	timeout 60 "$HOG_BIN" /dev/zero &
	hp=$!
	mkdir -p "$TMPD/tp" && chmod 777 "$TMPD/tp"
	trace "$TMPD/tp" --tracer-pid "$BASHPID" -- sh -c 'timeout 1 sha256sum /dev/zero' >/dev/null 2>&1
	kill "$hp"
	wait 2>/dev/null
)
T=$TMPD/tp/sched.json
jcheck "--tracer-pid: a hog descending from it is the tracer's, not other work" "$T" \
	'([.tracer.processes[] | select(.comm == "noise-hog")] | length == 1) and
	 ([.other_work.processes[] | select(.comm == "noise-hog")] | length == 0)' \
	'{tracer: [.tracer.processes[] | {comm, pid}], other: [.other_work.processes[:5][] | {comm, pid}]}'

# --- Pinned: only the command's CPUs are counted.
mkdir -p "$TMPD/pin" && chmod 777 "$TMPD/pin"
trace "$TMPD/pin" -- taskset -c 0 sh -c 'timeout 0.5 sha256sum /dev/zero' >/dev/null 2>&1
jcheck "a command pinned to CPU 0: other work counted on CPU 0 alone" "$TMPD/pin/sched.json" \
	'.other_work.cpus == [0]' '.other_work.cpus'

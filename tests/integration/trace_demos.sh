#!/usr/bin/env bash
# scripts/trace NN --quick end to end, for every demo of the catalogue, as root with the
# demo run as an unprivileged user (SUDO_UID/SUDO_GID of nobody, as sudo
# would set them): the run folder's files, their owner, the report's rows
# against demo.json and sched.json, the cross-checks, nothing left attached,
# and Ctrl-C leaving a report marked PARTIAL. The perf pass runs for 02 and
# 04; the others use --no-perf to keep the suite short. On a busy shared
# host (load 20 on 2 CPUs) it took over 600 s:
# suite-timeout: 1200
. "$(dirname "$0")/../lib.sh"
need_root "trace end to end"
# Each trace is bounded (TRACE_TIMEOUT seconds, then SIGTERM: a trace stopped
# so still writes its report, marked partial).
TRACE_TIMEOUT=${TRACE_TIMEOUT:-300}
trace() { timeout -k 10 "$TRACE_TIMEOUT" "$TOP/scripts/trace" "$@"; }
TRACE=$TOP/scripts/trace
export BUILD SUDO_UID=65534 SUDO_GID=65534
scratch
chmod 755 "$SCRATCH"

quietly() { "$@" >/dev/null; }

# Programs still loaded by a schedtrace whose command line names DIR.
attached_for() {
	local dir=$1 pid
	for pid in $(bpftool prog show 2>/dev/null | grep -o 'schedtrace([0-9]*)' | tr -dc '0-9\n' | sort -u); do
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir" && echo "$pid"
	done
	pgrep -f -- "$dir" || true
}

# The report's row for each run matches demo.json (wall) and sched.json with
# timeline.json (CPU: the running time inside the demo's measured section,
# less the share of it the task clock did not count, per thread's clock
# block; docs/report.md "Variants").
section_cpu() {
	local d=$1
	jq -n --slurpfile s "$d/sched.json" --slurpfile d "$d/demo.json" --slurpfile t "$d/timeline.json" '
	  ($s[0]) as $s | ($d[0]) as $d |
	  (($d.start_ns - $s.start_ns) / 1000) as $ws | (($d.end_ns - $s.start_ns) / 1000) as $we |
	  ([$t[0].traceEvents[] | select(.ph == "X" and .name == "running") |
	    ([(.ts + .dur), $we] | min) - ([.ts, $ws] | max) | select(. > 0)] | add // 0) * 1000 as $in |
	  ([$s.threads[].running_ns] | add) as $run |
	  ([$s.threads[] | [(.clock.bpf_running_ns // 0) - (.clock.sched_running_ns // 0), 0] | max] | add) as $stolen |
	  $in * (1 - ([1, (if $run > 0 then $stolen / $run else 0 end)] | min))' | awk '{ printf "%.3f", $1 / 1e9 }'
}

rows_match() {
	local run=$1 dir v wall cpu row
	for dir in $(jq -r '.runs[].dir' "$run/meta.json"); do
		v=$(jq -r --arg d "$dir" '.runs[] | select(.dir == $d) | .variant' "$run/meta.json")
		wall=$(jq -r '.wall_s' "$run/$dir/demo.json" | awk '{ printf "%.3f", $1 }')
		cpu=$(section_cpu "$run/$dir")
		row="| $v | 1 | $wall | $cpu |"
		if ! grep -qF -- "$row" "$run/report.md"; then
			echo "#   $dir: no row starting '$row' in report.md:"
			grep -F "| $v | 1 |" "$run/report.md" | head -1 | sed 's/^/#   /'
			return 1
		fi
	done
}

# judge_crosschecks NAME REPORT.md: ok when no cross-check row failed. A
# cross-check compares two clocks' views of each thread; when other work on
# the host made this run's threads wait for CPUs (the report's own trust line
# says so, from the other work the collector measured on the run's CPUs), a row outside its per-slice
# allowance is noise, not an error: said, and skipped. Lost events are never
# excused, and neither is a run-queue row after a switch-in or wakeup the
# kernel did not report: the collector takes that wait from the kernel's
# run_delay (docs/collector.md, "Lost events"), so such a row should hold.
judge_crosschecks() {
	local name=$1 md=$2 failed
	failed=$(grep '| FAIL |' "$md")
	if [ -z "$failed" ]; then
		ok "$name"
		return
	fi
	if grep -q 'The host was busy' "$md" && ! grep -q '^| lost events' <<<"$failed"; then
		skip "$name" "the host was busy in this run (the report's trust line names the other work the collector measured on its CPUs); failed rows:$(cut -d'|' -f2 <<<"$failed" | paste -sd';')"
	else
		not_ok "$name"
	fi
	cut -c1-400 <<<"$failed" | sed 's/^/#   /'
	# The failed rows' figures, from the report's list under the table:
	# what a busy host or a collector error left, to tell them apart.
	grep -E '^- [^,]+, .*: FAIL' "$md" | cut -c1-900 | sed 's/^/#   /'
}

trace_demo() {
	local demo=$1 perf=$2 out=$SCRATCH/$1 run t0 rc v f
	shift 2
	mkdir -p "$out"
	t0=$SECONDS
	# The C variants: the py-* ones (CPython) are traced in trace_cpython.sh;
	# all of them here, with perf passes, outgrew the suite's time on a busy host.
	local cvars
	cvars=$("$BUILD/demos/$demo" --quick --list-variants | grep -v '^py-' | paste -sd, -)
	trace "$demo" --quick --variants "$cvars" "$@" --out "$out" >"$out.log" 2>&1
	rc=$?
	check "trace $demo --quick $*: exit 0 (in $((SECONDS - t0)) s)" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || tail -5 "$out.log" | sed 's/^/#   /'
	run=$(readlink -f "$out/$demo/latest")
	check "$demo: latest points at the run folder" test -f "$run/meta.json"
	[ -f "$run/meta.json" ] || return
	for f in meta.json report.md report.html charts/runq.svg; do
		check "$demo: $f present" test -s "$run/$f"
	done
	local want
	want=${cvars//,/ }
	check "$demo: a run per variant ($want)" \
		test "$(jq -r '[.runs[].variant] | join(" ")' "$run/meta.json")" = "$want"
	for v in $(jq -r '.runs[].dir' "$run/meta.json"); do
		for f in demo.json sched.json timeline.json offcpu.folded perf-stat.json \
			$([ "$perf" = perf ] && echo perf-sched-timehist.txt perf-sched-latency.txt perf-trace-summary.txt); do
			check "$demo/$v: $f present" test -s "$run/$v/$f"
			[ -s "$run/$v/$f" ] || jq -r '.notes[]' "$run/meta.json" | sed 's/^/#   note: /'
		done
	done
	check "$demo: every file belongs to uid 65534" test -z "$(find "$out/$demo" ! -uid 65534 | head -3)"
	check "$demo: meta.json: not partial, host CPUs $(nproc)" \
		quietly jq -e ".partial == false and .host.cpus == $(nproc) and .user.uid == 65534" "$run/meta.json"
	check "$demo: report.md rows match demo.json wall and sched.json CPU" rows_match "$run"
	check "$demo: the report has a Why section with sentences" \
		bash -c "sed -n '/^## Why/,/^## /p' '$run/report.md' | grep -q '^- '"
	check "$demo: report.html is self-contained (inline SVG, no external src)" \
		bash -c "grep -q '<svg' '$run/report.html' && ! grep -qE '(src|href)=\"(https?:)?//' '$run/report.html'"
	judge_crosschecks "$demo: every cross-check passes" "$run/report.md"
	# The syscall table only where the demo's report cites syscall time (the
	# catalogue's fourth column); else the report says it was not collected.
	if [ "$(awk -F'\t' -v d="$demo" '$1 == d { print $4 }' "$TOP/demos/catalogue.tsv")" = --syscalls ]; then
		check "$demo: the collector timed syscalls (--syscalls), and the report has the table" \
			bash -c "jq -e '[.runs[].commands.collector | contains(\" --syscalls \")] | all' '$run/meta.json' >/dev/null &&
				grep -q 'distinct syscalls' '$run/report.md'"
	else
		check "$demo: the collector ran without --syscalls; the report says the table was not collected" \
			bash -c "jq -e '[.runs[].commands.collector | contains(\"--syscalls\") | not] | all' '$run/meta.json' >/dev/null &&
				grep -q 'The per-syscall table was not collected in this run' '$run/report.md'"
	fi
	check "$demo: no eBPF program or process left behind" test -z "$(attached_for "$out")"
}

trace_demo 01_io_wait no --no-perf
trace_demo 02_cpu_bound perf
trace_demo 03_event_loop no --no-perf
trace_demo 04_backpressure perf
trace_demo 05_thread_overhead no --no-perf
# 06's cross-checks failed on a loaded host when it was first traced here;
# judge_crosschecks now skips a row only where the report's trust line says
# the host was busy, as for the others (quiet host: 36 of 36 passed, 15 s).
trace_demo 06_hybrid_pipeline no --no-perf
trace_demo 07_costs no --no-perf
trace_demo 08_streaming no --no-perf

# --repeat, --cpus, --variants, --no-timeline together.
out=$SCRATCH/repeat
mkdir -p "$out"
trace 01 --quick --variants threads-5,serial --repeat 2 --cpus 1 --no-perf --no-timeline \
	--out "$out" >"$out.log" 2>&1
check "trace --repeat 2 --cpus 1: exit 0" test $? -eq 0
run=$out/01_io_wait/latest
check "--repeat 2 --variants: runs threads-5, threads-5.2, serial, serial.2 in that order" \
	test "$(jq -r '[.runs[].dir] | join(" ")' "$run/meta.json")" = "threads-5 threads-5.2 serial serial.2"
check "--cpus 1: meta.json pinned_cpus is 0-0" quietly jq -e '.pinned_cpus == "0-0"' "$run/meta.json"
check "--cpus 1: the collector ran the demo under taskset" \
	quietly jq -e '.runs[0].commands.collector | contains("taskset -c 0-0")' "$run/meta.json"
check "--cpus 1: every run's demo.json records the 1 CPU it could use" \
	quietly jq -se '[.[].cpus] | length == 4 and all(. == 1)' "$run"/*/demo.json
check "--repeat: the report's cells are medians with (min-max), bound 1" \
	grep -qE '^\| threads-5 \| 2 \| [0-9.]+ \([0-9.]+-[0-9.]+\) \|.*\| 1 \|' "$run/report.md"
check "--no-timeline: no timeline.json, and the report says why" \
	bash -c "! ls '$run'/*/timeline.json 2>/dev/null && grep -q 'timeline.json not recorded: --no-timeline' '$run/report.md'"

# Any command: the same collectors, a generic report.
out=$SCRATCH/command
mkdir -p "$out"
trace --no-perf --out "$out" -- sh -c 'sleep 0.1; dd if=/dev/zero of=/dev/null bs=64k count=2000 2>/dev/null' \
	>"$out.log" 2>&1
check "trace -- CMD: exit 0" test $? -eq 0
run=$out/command/latest
check "trace -- CMD: meta.json has the command's argv" \
	quietly jq -e '.kind == "command" and .command[0] == "sh" and (.command[2] | startswith("sleep 0.1;"))' "$run/meta.json"
check "trace -- CMD: report with the command's row" grep -q '^| command | 1 |' "$run/report.md"
check "trace -- CMD: the processes it ran are in the report" grep -q '| dd' "$run/report.md"
judge_crosschecks "trace -- CMD: no cross-check failed" "$run/report.md"
check "trace -- CMD: the collector's default (no --syscalls), and the report says the syscall table was not collected" \
	bash -c "jq -e '.runs[0].commands.collector | contains(\"--syscalls\") | not' '$run/meta.json' >/dev/null &&
		grep -q 'The per-syscall table was not collected in this run' '$run/report.md'"

# Ctrl-C in the middle of a run: the runs so far are kept, the report says
# PARTIAL, and nothing is left running or attached.
out=$SCRATCH/interrupted
mkdir -p "$out"
# (env --default-signal: a script's background job starts with SIGINT ignored)
env --default-signal=INT "$TRACE" 02 --variants serial,threads-gil --no-perf --out "$out" >"$out.log" 2>&1 &
pid=$!
for ((i = 0; i < 300; i++)); do
	meta=$(ls "$out"/02_cpu_bound/*/meta.json 2>/dev/null | head -1)
	[ -n "$meta" ] && [ "$(jq '.runs | length' "$meta" 2>/dev/null)" = 1 ] && break
	sleep 0.2
done
sleep 1
kill -INT "$pid"
wait_job "$pid" 120
rc=$?
run=$(dirname "$meta")
check "Ctrl-C: trace exits 130" test "$rc" -eq 130
[ "$rc" -eq 130 ] || tail -5 "$out.log" | sed 's/^/#   /'
check "Ctrl-C: meta.json says partial" quietly jq -e '.partial == true' "$run/meta.json"
check "Ctrl-C: report.md is written and says PARTIAL at the top" \
	bash -c "head -1 '$run/report.md' | grep -q '^# PARTIAL'"
check "Ctrl-C: the first variant is in the report" grep -q '^| serial | 1 |' "$run/report.md"
check "Ctrl-C: the interrupted variant is in it, marked partial" \
	quietly jq -e '.runs[1].variant == "threads-gil" and .runs[1].partial == true' "$run/meta.json"
stage=$(jq -r '.runs[0].commands.collector' "$run/meta.json" | grep -o '/tmp/schedlab-trace\.[A-Za-z0-9]*' | head -1)
check "Ctrl-C: the staging folder is gone" test -n "$stage" -a ! -e "$stage"
check "Ctrl-C: no eBPF program, collector or demo left behind" \
	test -z "$(attached_for "$out")$([ -n "$stage" ] && pgrep -f -- "$stage")"
check "Ctrl-C: every file belongs to uid 65534" test -z "$(find "$out/02_cpu_bound" ! -uid 65534 | head -3)"

# Ctrl-C with the output piped into tee, as `trace 01 2>&1 | tee log` in a
# terminal: the terminal's SIGINT goes to the whole process group, tee dies
# with it, and trace's next line to the dead pipe must not kill it (it did:
# exit 141, no report, an empty variant folder). The group is its own
# session here, as a terminal's job is.
out=$SCRATCH/interrupted-tee
mkdir -p "$out"
env --default-signal=INT setsid bash -c "'$TRACE' 01 --quick --variants threads-5,serial --no-perf --out '$out' 2>&1 | tee '$out.log' >/dev/null
	echo \"\${PIPESTATUS[0]}\" >'$out.status'" </dev/null >/dev/null 2>&1 &
leader=$!
meta=
for ((i = 0; i < 600; i++)); do
	meta=$(ls "$out"/01_io_wait/*/meta.json 2>/dev/null | head -1)
	[ -n "$meta" ] && [ "$(jq '.runs | length' "$meta" 2>/dev/null)" = 1 ] &&
		[ -d "$(dirname "$meta")/serial" ] && break
	sleep 0.1
done
sleep 0.5
pgid=$(ps -o pgid= -p "$leader" | tr -d ' ')
if [ -n "$pgid" ] && [ "$pgid" != "$(ps -o pgid= -p $$ | tr -d ' ')" ]; then
	kill -INT -- -"$pgid"
fi
wait_job "$leader" 120
rc=$(cat "$out.status" 2>/dev/null)
run=$(dirname "${meta:-$out/none/x}")
check "Ctrl-C through tee: trace exits 130, not 141 (SIGPIPE) (exit ${rc:-none})" test "${rc:-}" = 130
[ "${rc:-}" = 130 ] || tail -5 "$out.log" | sed 's/^/#   /'
check "Ctrl-C through tee: report.md is written and says PARTIAL at the top" \
	bash -c "head -1 '$run/report.md' | grep -q '^# PARTIAL'"
# tee took trace's own lines with it: what the report says of the folder now.
[ -s "$run/report.md" ] || { ls -l "$run" "$run"/*/ 2>&1; "$BUILD/bin/report" --quiet "$run" 2>&1; } |
	tail -12 | sed 's/^/#   /'
check "Ctrl-C through tee: the first variant is in the report" grep -q '^| threads-5 | 1 |' "$run/report.md"
check "Ctrl-C through tee: no empty variant folder" \
	test -z "$(find "$run" -mindepth 1 -maxdepth 1 -type d -empty)"
check "Ctrl-C through tee: no eBPF program, collector or demo left behind" test -z "$(attached_for "$out")"

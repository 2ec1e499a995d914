#!/usr/bin/env bash
# The py-* variants: the chapter's programs in CPython, run by the demo
# binaries (demos/common/pydemo.c) at small sizes. Each writes the demo.json
# contract (every thread's own schedstat and rusage, thread names), refuses
# bad input with status 2, and shows its phenomenon in its own figures:
# py-threads ran one worker at a time (wall >= 0.9 x the workers' CPU time:
# a busy host only makes the wall longer), py-convoy's server answered later
# while CPU threads held the GIL (judged against its own phase alone).
. "$(dirname "$0")/../lib.sh"
scratch
PY=${SCHEDLAB_PYTHON:-/usr/bin/python3}
if [ ! -x "$PY" ]; then
	not_ok "python3 at $PY (scripts/setup installs it)"
	exit 0
fi
D=02_cpu_bound
BIN=$BUILD/demos/$D
# sum over i < n of (i*i) % 97 (the terms repeat every 97)
expected_task() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < 97; i++) { t = (i * i) % 97; p += t; if (i < n % 97) r += t }
		printf "%.0f\n", int(n / 97) * p + r }'
}

check "$D: --list-variants names the py-* variants after the C ones" \
	test "$("$BIN" --list-variants | paste -sd,)" = \
	serial,threads-gil,processes,threads-nogil,convoy,py-serial,py-threads,py-processes,py-convoy
expect_exit "$D: unknown py-* variant" 2 "$BIN" --variant py-nope --quick
expect_exit "$D py-threads: bad --tasks" 2 "$BIN" --variant py-threads --quick --tasks 0
expect_exit "$D py-threads: --json in a folder that does not exist" 2 \
	"$BIN" --variant py-threads --quick --json /nonexistent-dir/demo.json
check "$D py-threads: --help from the Python program" \
	bash -c "'$BIN' --variant py-threads --help | grep -q 'py-convoy'"
check "$D: SCHEDLAB_PYTHON that does not exist is named" \
	bash -c "SCHEDLAB_PYTHON=/nonexistent/python3 '$BIN' --variant py-threads --quick 2>&1 | grep -q /nonexistent/python3"

for v in py-serial py-threads py-processes py-convoy; do
	J=$SCRATCH/$v.json
	check "$D --variant $v --quick" "$BIN" --variant "$v" --quick --tasks 4 --n 300000 --requests 20 --json "$J"
	[ -s "$J" ] || continue
	jcheck "$D $v: demo.json top-level fields" "$J" '(run_fields_bad | length) == 0 and .demo == "'$D'"' 'run_fields_bad'
	jcheck "$D $v: every thread record complete, switches agree with timeslices" "$J" \
		'(thread_bad | length) == 0' 'thread_bad'
	jcheck "$D $v: the variant, CPython's version and switch interval recorded" "$J" \
		".variant == \"$v\" and (.python.version | startswith(\"3.\")) and .python.switch_interval_ns > 0"
done
J=$SCRATCH/py-threads.json
jcheck "$D py-threads: threads named main, worker-1, worker-2 in the demo's process" "$J" \
	'([.threads[].name] | sort) == ["main", "worker-1", "worker-2"] and ([.threads[].pid] | unique) == [.pid]'
jcheck "$D py-threads: every task's sum is right" "$J" \
	".checksum == 4 * .task_result and .task_result == $(expected_task 300000)"
jcheck "$D py-threads: one worker at a time (wall >= 0.9 x the workers' CPU time)" "$J" \
	'.wall_s >= 0.9 * ([.threads[] | select(.name | startswith("worker")) | .schedstat.run_ns] | add / 1e9)'
jcheck "$D py-threads: the workers saw the GIL change hands" "$J" '.gil.handoffs > 0'
J=$SCRATCH/py-processes.json
jcheck "$D py-processes: each worker in a process of its own" "$J" \
	'.pid as $p | [.threads[] | select(.name | startswith("worker")) | .pid] | (unique | length) == length and (map(. != $p) | all)'
J=$SCRATCH/py-convoy.json
jcheck "$D py-convoy: main, server, client and the workers recorded" "$J" \
	'([.threads[].name] | sort) == ["client", "main", "server", "worker-1", "worker-2"]'
jcheck "$D py-convoy: 20 requests answered per phase" "$J" \
	'.convoy.alone.count == 20 and .convoy.with_cpu.count == 20 and ([.threads[] | select(.name == "server") | .tasks] == [40])'
# The convoy in the run's own figures: with CPU threads the server's mean
# response is at least 1 ms and 3x longer than alone (CPython's switch
# interval is 5 ms, so a waiting server typically loses several ms).
jcheck "$D py-convoy: responses later with CPU threads (mean >= 3x alone and >= 1 ms)" "$J" \
	'.convoy.with_cpu.mean >= 3 * .convoy.alone.mean and .convoy.with_cpu.mean >= 1000000'

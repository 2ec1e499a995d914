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
# The CPUs a Python variant may use are its affinity mask, as for the C
# variants (lib/cpus.c), not the host's count.
J=$SCRATCH/py-pinned.json
check "$D py-serial under taskset -c 0" \
	taskset -c 0 "$BIN" --variant py-serial --quick --tasks 1 --n 1000 --json "$J"
jcheck "$D py-serial under taskset -c 0: demo.json records 1 CPU" "$J" '.cpus == 1' '.cpus'
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

# The other demos: the contract, and each phenomenon in the run's own figures.
# py_run DEMO VARIANT ARGS...: runs it into $SCRATCH/DEMO-VARIANT.json, checks the contract.
py_run() {
	local demo=$1 v=$2 j=$SCRATCH/$1-$2.json
	shift 2
	check "$demo --variant $v --quick $*" "$BUILD/demos/$demo" --variant "$v" --quick "$@" --json "$j"
	[ -s "$j" ] || return 1
	jcheck "$demo $v: demo.json top-level fields, CPython recorded" "$j" \
		'(run_fields_bad | length) == 0 and .demo == "'"$demo"'" and .variant == "'"$v"'" and (.python.version | startswith("3."))' 'run_fields_bad'
	jcheck "$demo $v: every thread record complete, switches agree with timeslices" "$j" \
		'(thread_bad | length) == 0' 'thread_bad'
}

for d in 01_io_wait 03_event_loop 04_backpressure 05_thread_overhead; do
	check "$d: --list-variants names py-* variants" bash -c "'$BUILD/demos/$d' --quick --list-variants | grep -q '^py-'"
	expect_exit "$d: unknown py-* variant" 2 "$BUILD/demos/$d" --variant py-nope --quick
done

if py_run 01_io_wait py-threads-5; then
	J=$SCRATCH/01_io_wait-py-threads-5.json
	jcheck "01 py-threads-5: main and worker-1..5, 10 tasks done" "$J" \
		'([.threads[].name] | sort) == ["main", "worker-1", "worker-2", "worker-3", "worker-4", "worker-5"] and .tasks_done == 10'
	# The waits overlapped: the tasks' summed duration is at least 1.5x the wall.
	jcheck "01 py-threads-5: the waits overlapped (summed task time >= 1.5 x wall)" "$J" \
		'.task_ns.mean * .task_ns.count / 1e9 >= 1.5 * .wall_s'
fi
if py_run 03_event_loop py-await; then
	jcheck "03 py-await: the waits overlapped (wall < half the waits' sum)" "$SCRATCH/03_event_loop-py-await.json" \
		'.wall_s < 0.5 * .params.tasks * .params.wait_s and .tasks_done == .params.tasks'
fi
if py_run 03_event_loop py-blocking; then
	jcheck "03 py-blocking: time.sleep blocked the loop (wall >= 0.9 x the waits' sum)" "$SCRATCH/03_event_loop-py-blocking.json" \
		'.wall_s >= 0.9 * .params.tasks * .params.wait_s and ([.threads[].name] | sort) == ["loop", "main"]'
fi
if py_run 04_backpressure py-bounded --duration 0.5; then
	jcheck "04 py-bounded: the backlog never passed the capacity (200)" "$SCRATCH/04_backpressure-py-bounded.json" \
		'.max_backlog <= 200 and .backlog == .produced - .consumed'
fi
if py_run 04_backpressure py-unbounded --duration 0.5; then
	jcheck "04 py-unbounded: the backlog is what was produced and not taken, unbounded" "$SCRATCH/04_backpressure-py-unbounded.json" \
		'.backlog == .produced - .consumed and (if .produced - .consumed > 200 then .max_backlog > 200 else true end)'
fi
if py_run 05_thread_overhead py-threads-8 --tasks 32; then
	jcheck "05 py-threads-8: 8 workers, 32 tasks, no faster than the limit" "$SCRATCH/05_thread_overhead-py-threads-8.json" \
		'([.threads[] | select(.name | startswith("worker"))] | length) == 8 and .tasks_done == 32 and .wall_s >= 0.99 * .limit_s'
fi

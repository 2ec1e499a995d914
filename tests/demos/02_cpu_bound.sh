#!/usr/bin/env bash
# 02_cpu_bound in --quick mode (n = 10,000,000 per task). Workers are the
# demo's default, max(2, CPUs/2), and tasks = 2 x workers, so the expected
# speedup 0.75 x min(workers, CPUs) is reachable on any machine (2 or 32
# CPUs). "threads-gil no faster than serial" is checked within the GIL run
# itself: its wall is at least (0.9 x) its workers' summed CPU time, i.e. one
# worker ran at a time. Against serial's wall it would compare two runs made
# at different moments on a shared VM, and serial alone was seen 25% slow
# (processes then "beat" the 2-CPU bound). Likewise processes and
# threads-nogil must reach a parallelism of 0.75 x min(workers, CPUs) in
# their own run: their workers ran, or were ready to run and waited for a
# CPU, in parallel ((CPU time + run-queue wait) / wall; other work on a
# shared machine takes CPUs, it does not make the workers block: a lock that
# serialized them would, to 1.0 of 2; quick runs with 2 workers reached
# 1.66-1.7, since the workers' start and end count in the wall). The shape is checked on up to 3 attempts; a miss
# is a skip only when the kernel shows the machine was busy: the hypervisor
# stole the CPUs, or the workers waited in run queues.
. "$(dirname "$0")/../lib.sh"
D=02_cpu_bound
BIN=$BUILD/demos/$D
scratch
CPUS=$(nproc)
W=$((CPUS / 2 > 2 ? CPUS / 2 : 2))
T=$((2 * W))
N=10000000

demo_cli $D threads-gil --quick
expect_exit "$D: negative --tasks" 2 "$BIN" --quick --tasks -4
expect_exit "$D: absurd --tasks" 2 "$BIN" --quick --tasks 99999999
expect_exit "$D: zero --workers" 2 "$BIN" --quick --workers 0
expect_exit "$D: absurd --workers" 2 "$BIN" --quick --workers 100000
expect_exit "$D: --n over the int64 limit" 2 "$BIN" --quick --n 99999999999
expect_exit "$D: --n not a number" 2 "$BIN" --quick --n lots
expect_exit "$D: zero --switch-interval" 2 "$BIN" --quick --switch-interval 0

# sum over i < n of (i*i) % 97: the terms repeat every 97, so 97 steps do.
expected_task() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < 97; i++) { t = (i * i) % 97; p += t; if (i < n % 97) r += t }
		printf "%.0f\n", int(n / 97) * p + r }'
}
TASK=$(expected_task $N)


# shape FILE: prints the problems with the wall-time shape, nothing when fine.
shape() {
	jq -r --argjson cpus "$CPUS" '
		(.runs[2].params.workers) as $workers |
		([$workers, $cpus] | min) as $best |
		(.runs[] | select(.variant == "threads-gil") |
			([.threads[] | select(.name | startswith("worker")) | .schedstat.run_ns] | add / 1e9) as $cpu |
			if .wall_s >= 0.9 * $cpu then empty else
			"threads-gil wall \(.wall_s) s < 0.9 x its workers'"'"' CPU time \($cpu) s: they ran in parallel" end),
		(.runs[] | select(.variant == "processes" or .variant == "threads-nogil") | .wall_s as $wall |
			([.threads[] | select(.name | startswith("worker")) | .schedstat.run_ns] | add / 1e9 / $wall) as $par |
			([.threads[] | select(.name | startswith("worker")) | .schedstat.wait_ns] | add / 1e9 / $wall) as $rq |
			if $par + $rq >= 0.75 * $best then empty else
			"\(.variant) parallelism \($par * 100 | round / 100) running + \($rq * 100 | round / 100) waiting for a CPU < 0.75 x min(\($workers) workers, \($cpus) CPUs)" end)' "$1"
}

# busy FILE STEAL_TICKS SECONDS: why the machine could not give the demo its
# CPUs, from the kernel's own figures; nothing when it was not busy.
busy() {
	jq -r --argjson steal "$2" --argjson secs "$3" --argjson cpus "$CPUS" \
		--argjson hz "$(getconf CLK_TCK)" '
		(.runs[] | select(.variant != "threads-gil") | . as $r |
			([.threads[] | select(.name | startswith("worker")) | .schedstat.wait_ns] | add) as $wait |
			($wait / 1e9 / ([.threads[] | select(.name | startswith("worker"))] | length) / $r.wall_s) as $share |
			if $share > 0.15 then "\($r.variant) workers waited \($share * 100 | round)% of the run in run queues" else empty end),
		(($steal / $hz) / ($secs * $cpus)) as $s |
		if $s > 0.10 then "the hypervisor stole \($s * 100 | round)% of the CPUs" else empty end' "$1"
}

J=$SCRATCH/all.json
problems="not run"
for attempt in 1 2 3; do
	s0=$(steal_ticks) t0=$(date +%s.%N)
	if ! "$BIN" --quick --tasks $T --json "$J" >"$SCRATCH/out.txt" 2>&1; then
		cat "$SCRATCH/out.txt"
		problems="the demo failed"
		break
	fi
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	steal=$(($(steal_ticks) - s0))
	problems=$(shape "$J" 2>&1) || problems="cannot read $J: $problems"
	sed 's/^/# /' "$SCRATCH/out.txt" | sed -n '/^# variant/,/^# checksums/p'
	[ -z "$problems" ] && break
	echo "# attempt $attempt: $problems" | tr '\n' ' '
	echo
	why=$(busy "$J" "$steal" "$secs")
	[ -n "$why" ] && echo "# machine busy: $why" | tr '\n' ';' && echo
done
if [ -z "$problems" ]; then
	ok "$D: threads-gil ran one worker at a time; processes and threads-nogil ran (or waited for a CPU) with parallelism >= 0.75 x min($W, $CPUS)"
elif [ "$problems" != "the demo failed" ] && [ -n "$why" ]; then
	skip "$D: wall-time shape" "the machine was busy in every attempt: $(echo $why)"
else
	not_ok "$D: wall-time shape: $(echo $problems)"
fi

check "$D: every C variant ran (the py-* ones run only with --variant)" \
	test "$(json "$J" '[.runs[].variant] | join(",")')" = serial,threads-gil,processes,threads-nogil,convoy
demo_common $D "$J"
# The task variants (convoy measures response times: checked below).
TR='def tasks_runs: .runs[] | select(.variant != "convoy");'
jcheck "$D: every task's result is sum (i*i)%97 for i < $N = $TASK" "$J" \
	"$TR [tasks_runs | .task_result == $TASK and .checksum == $T * $TASK] | all" \
	"$TR [tasks_runs | {variant, task_result, checksum}]"
jcheck "$D: params record every size" "$J" \
	"$TR ([tasks_runs.params | .tasks == $T and .n == $N and .switch_interval_ms == 5 and .quick == true] | all)
	 and ([tasks_runs | select(.variant != \"serial\") | .params.workers == $W] | all)
	 and (.runs[0].params.workers == 1)" "$TR [tasks_runs.params]"
jcheck "$D: threads are main and worker-1..N" "$J" \
	"$TR"' [tasks_runs | (names | sort) == (["main"] + [range(1; .params.workers + 1) | "worker-\(.)"] | sort)] | all' \
	"$TR"' [tasks_runs | {variant, n: names}]'
jcheck "$D: every task done by a worker" "$J" "$TR [tasks_runs | ([.threads[].tasks] | add) == $T] | all"
jcheck "$D: processes: each worker its own process, none the demo's" "$J" \
	'.runs[] | select(.variant == "processes") | . as $r |
	 [.threads[] | select(.name != "main") | .pid] | (unique | length) == length and (index($r.pid) | not)'

C='.runs[] | select(.variant == "convoy")'
jcheck "$D convoy: main, server, client and the workers; 50 requests per phase answered" "$J" \
	"$C"' | ([.threads[].name] | sort) == (["client", "main", "server"] + [range(1; .params.workers + 1) | "worker-\(.)"] | sort)
	 and .convoy.alone.count == 50 and .convoy.with_cpu.count == 50
	 and ([.threads[] | select(.name == "server") | .tasks] == [100])'
# The convoy in the run's own figures: with CPU threads holding the lock,
# the server's lock waits per request are at least a millisecond (alone,
# nobody holds it) and its mean response is later than alone.
jcheck "$D convoy: the server waits for the lock after its I/O only with CPU threads" "$J" \
	"$C"' | .convoy.with_cpu.server_gil_wait.mean >= 1000000
	 and .convoy.with_cpu.server_gil_wait.mean >= 3 * .convoy.alone.server_gil_wait.mean
	 and .convoy.with_cpu.mean > .convoy.alone.mean'

G='.runs[] | select(.variant == "threads-gil")'
jcheck "$D threads-gil: the lock changed hands, on drop requests" "$J" \
	"$G | .gil.handoffs > 0 and .gil.drop_requests > 0 and .gil.switch_interval_ns == 5000000" "$G | .gil"
jcheck "$D threads-gil: every worker took the lock and waited for it" "$J" \
	"[$G | .threads[] | select(.name != \"main\") | .lock_acquires > 0 and .lock_wait_ns > 0] | all" \
	"[$G | .threads[] | {name, lock_acquires, lock_wait_ns}]"
# The lock's futex words: the mutex and its condition variables, in the
# demo's process, as hex addresses.
jcheck "$D threads-gil: locks name the GIL's futex words" "$J" \
	"$G | .pid as \$pid | (.locks | length) > 0
	 and ([.locks[] | .pid == \$pid and (.addr | test(\"^0x[0-9a-f]+\$\")) and .addr != \"0x0\"
	       and (.name | startswith(\"GIL\"))] | all)
	 and ([.locks[].name] | index(\"GIL mutex\") != null)" "$G | .locks[:3]"
jcheck "$D processes: one uncontended lock per worker process" "$J" \
	'.runs[] | select(.variant == "processes") | . as $r |
	 ([.locks[] | select(.name == "GIL mutex") | .pid] | sort) ==
		([.threads[] | select(.name != "main") | .pid] | sort)
	 and .gil.handoffs == 0'
jcheck "$D threads-nogil and serial: no lock at all" "$J" \
	'[.runs[] | select(.variant == "threads-nogil" or .variant == "serial") |
	  (.locks | length) == 0 and (has("gil") | not) and ([.threads[] | has("lock_wait_ns")] | any | not)] | all'

J=$SCRATCH/one.json
check "$D --variant threads-gil --switch-interval 1" \
	"$BIN" --variant threads-gil --n 2000000 --tasks 2 --switch-interval 1 --json "$J"
jcheck "$D --variant: one run with its own switch interval" "$J" \
	'.variant == "threads-gil" and .gil.switch_interval_ns == 1000000 and .params.switch_interval_ms == 1'
demo_common $D "$J"

# The CPUs the demo may use are its affinity mask, not the host's: pinned to
# one CPU, every run records 1 and the parallel variants' bound is 1 CPU
# (2 tasks on 2 workers: one task after the other, bound speedup 1.00x).
J=$SCRATCH/pinned.json
check "$D under taskset -c 0" taskset -c 0 "$BIN" --quick --tasks 2 --n 1000000 --json "$J" \
	>"$SCRATCH/pinned.out"
jcheck "$D under taskset -c 0: every run records 1 CPU" "$J" '[.runs[].cpus] | all(. == 1)' \
	'[.runs[].cpus]'
check "$D under taskset -c 0: the header says 1 CPU" grep -q '^1 CPUs, 2 workers' "$SCRATCH/pinned.out"
check "$D under taskset -c 0: processes and threads-nogil bound at 1.00x" \
	test "$(awk '($1 == "processes" || $1 == "threads-nogil") && $5 ~ /x$/ {print $5}' "$SCRATCH/pinned.out" |
		paste -sd,)" = 1.00x,1.00x

#!/usr/bin/env bash
# 06_hybrid_pipeline in --quick mode (150 items, 4 variants): fetch 10 ms with
# 32 in flight (3200 items/s), a 5 ms blocking call on 8 threads (1600/s), a
# bytecode loop of about 4 ms of CPU on 2 workers (about 500/s with 2 free
# CPUs), queues of 16. The cpu stage is the slowest by design. Each shape is
# judged by the run's own figures (a busy host slows a stage, so a pace is
# never checked against the clock): no variant beats its slowest stage's
# pace as the run measured it, bounded queues hold, the slow last stage holds
# back the first one, threads under one lock run one at a time.
. "$(dirname "$0")/../lib.sh"
D=06_hybrid_pipeline
BIN=$BUILD/demos/$D
scratch

demo_cli $D hybrid --quick
expect_exit "$D: zero --items" 2 "$BIN" --quick --items 0
expect_exit "$D: zero --inflight" 2 "$BIN" --quick --inflight 0
expect_exit "$D: too many --inflight" 2 "$BIN" --quick --inflight 100000
expect_exit "$D: zero --cpu-workers" 2 "$BIN" --quick --cpu-workers 0
expect_exit "$D: too many --blocking-threads" 2 "$BIN" --quick --blocking-threads 999
expect_exit "$D: zero --n" 2 "$BIN" --quick --n 0
expect_exit "$D: zero --capacity" 2 "$BIN" --quick --capacity 0
expect_exit "$D: negative --fetch-ms" 2 "$BIN" --quick --fetch-ms -1

J=$SCRATCH/all.json
check "$D --quick runs every variant" "$BIN" --quick --json "$J"
check "$D: variants hybrid, hybrid-unbounded, threads-only, single-loop" \
	test "$(json "$J" '[.runs[].variant] | join(",")')" = hybrid,hybrid-unbounded,threads-only,single-loop
demo_common $D "$J"
R() { echo "(.runs[] | select(.variant == \"$1\"))"; }
FIG='.runs[] | {variant, throughput_per_s, bound_per_s, bound_stage, queues, loop, stages: [.stages[] | {name, busy, capacity_per_s}]}'

jcheck "$D: every item through every stage, the same checksum in every variant" "$J" \
	'([.runs[] | .items_done == .params.items] | all) and ([.runs[].checksum] | unique | length) == 1
	 and (.runs[0].checksum % .runs[0].params.items) == 0' '[.runs[] | {variant, items_done, checksum}]'
jcheck "$D: no variant beats its slowest stage's pace (+10%)" "$J" \
	'[.runs[] | .throughput_per_s <= 1.1 * .bound_per_s] | all' "$FIG"
# A loaded host stretches the blocking calls' wall time (their wake-ups wait
# for a CPU): past 2 x the 5 ms asked, the run itself says the blocking stage
# was slowed, and it may then be the slowest.
jcheck "$D: by its own times per item, the cpu stage is the slowest (unless the host stretched the blocking calls 2x)" "$J" \
	"[$(R hybrid), $(R hybrid-unbounded), $(R threads-only) | .bound_stage == \"cpu\"
	  or (.stages[] | select(.name == \"blocking\") | .per_item_ns >= 2 * 5000000)] | all" "$FIG"
jcheck "$D hybrid: the cpu stage is busy nearly all the run (>= 80%)" "$J" \
	"$(R hybrid) | .stages[] | select(.name == \"cpu\") | .busy >= 0.8" "$FIG"
jcheck "$D: bounded queues never hold more than 16" "$J" \
	"[$(R hybrid), $(R threads-only) | .queues.blocking.max_len <= 16 and .queues.cpu.max_len <= 16
	  and ([.samples[] | .blocking_q, .cpu_q] | max) <= 16] | all" "$FIG"
# Backpressure: the full cpu-stage queue holds the blocking threads, their
# full queue holds the loop.
jcheck "$D hybrid: the slow last stage holds back the loop (>= 30% of the run)" "$J" \
	"$(R hybrid) | .loop.held_ns >= 0.3 * .wall_s * 1e9 and .queues.cpu.put_waits > 0 and .queues.blocking.put_waits > 0" "$FIG"
jcheck "$D hybrid-unbounded: nothing holds the loop back; the cpu-stage queue grows past 16" "$J" \
	"$(R hybrid-unbounded) | .loop.held_ns == 0 and .queues.blocking.put_waits == 0 and .queues.cpu.capacity == 0 and .queues.cpu.max_len > 16" "$FIG"
# One lock: the cpu threads together run at most one CPU's worth of time.
jcheck "$D threads-only: the cpu threads waited for their one lock and ran one at a time" "$J" \
	"$(R threads-only) | .cpu_lock_wait_ns > 0 and ([.threads[] | select(.name | startswith(\"cpu-\")) | .schedstat.run_ns] | add) <= 1.1 * .wall_s * 1e9" \
	"$(R threads-only) | {cpu_lock_wait_ns, wall_s, run: [.threads[] | select(.name | startswith(\"cpu-\")) | .schedstat.run_ns]}"
jcheck "$D: hybrid's cpu workers are processes of their own, threads-only's are threads of main" "$J" \
	"($(R hybrid) | .pid as \$p | [.threads[] | select(.name | startswith(\"cpu-\")) | .pid != \$p] | all)
	 and ($(R threads-only) | .pid as \$p | [.threads[] | select(.name | startswith(\"cpu-\")) | .pid == \$p] | all)" \
	'[.runs[] | {variant, pid, cpu: [.threads[] | select(.name | startswith("cpu-")) | .pid]}]'
jcheck "$D: threads per variant (loop, blocking-1..8, cpu-1..2, sampler, server, main)" "$J" \
	"($(R hybrid) | names) == ([\"blocking-1\",\"blocking-2\",\"blocking-3\",\"blocking-4\",\"blocking-5\",\"blocking-6\",\"blocking-7\",\"blocking-8\",\"cpu-1\",\"cpu-2\",\"loop\",\"main\",\"sampler\",\"server\"])
	 and ($(R single-loop) | names) == [\"loop\", \"main\", \"sampler\", \"server\"]" '[.runs[] | names]'
jcheck "$D: every item counted by the stage threads that handled it" "$J" \
	"[$(R hybrid), $(R threads-only) | . as \$r | ([.threads[] | select(.name | startswith(\"cpu-\")) | .tasks] | add) == \$r.params.items
	  and ([.threads[] | select(.name | startswith(\"blocking-\")) | .tasks] | add) == \$r.params.items
	  and (.threads[] | select(.name == \"loop\") | .tasks) == \$r.params.items] | all"
jcheck "$D: the queues' words named, the cpu-stage queue in every process using it" "$J" \
	"$(R hybrid) | ([.locks[].name] | unique) as \$n | (\$n | index(\"cpu-stage queue not_empty cond\")) != null
	 and (\$n | index(\"blocking-stage queue not_full cond\")) != null
	 and ([.locks[] | select(.name == \"cpu-stage queue not_empty cond\") | .pid] | unique | length) == 3" \
	"$(R hybrid) | [.locks[] | {name, pid}] | unique"
jcheck "$D: queue depths sampled over the run" "$J" \
	'[.runs[] | (.samples | length) >= 5 and ([.samples[].t_ns] | . == sort)] | all' '[.runs[] | .samples | length]'

J=$SCRATCH/one.json
check "$D --variant single-loop --items 20" "$BIN" --variant single-loop --items 20 --json "$J"
jcheck "$D single-loop: one item at a time, at most 1 / (blocking call + bytecode) per second" "$J" \
	'.variant == "single-loop" and .items_done == 20 and .bound_stage == "loop"
	 and .throughput_per_s <= 1.1 * .bound_per_s and .queues.cpu.max_len == 0' \
	'{items_done, throughput_per_s, bound_per_s, bound_stage}'
demo_common $D "$J"

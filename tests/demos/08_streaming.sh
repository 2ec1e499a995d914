#!/usr/bin/env bash
# 08_streaming in --quick mode (1 s of arrivals per variant, 6 variants): 4
# workers, 2 ms per request (a blocking wait), so capacity is 4 / 2 ms = 2000
# requests/s, derived from the workers and the service time (with --service
# cpu, from min(workers, usable CPUs): never an assumed CPU count). Each shape
# is judged by the run's own figures, never by a wall-clock limit: the host is
# shared, and a busy one stretches every request alike.
. "$(dirname "$0")/../lib.sh"
D=08_streaming
BIN=$BUILD/demos/$D
scratch

demo_cli $D load-95 --quick
expect_exit "$D: zero --workers" 2 "$BIN" --quick --workers 0
expect_exit "$D: too many --workers" 2 "$BIN" --quick --workers 100000
expect_exit "$D: --service-us below 50" 2 "$BIN" --quick --service-us 10
expect_exit "$D: unknown --service" 2 "$BIN" --quick --service nap
expect_exit "$D: --duration too short" 2 "$BIN" --duration 0.1
expect_exit "$D: zero --capacity" 2 "$BIN" --quick --capacity 0
expect_exit "$D: negative --seed" 2 "$BIN" --quick --seed -1
expect_exit "$D: more requests than it can hold" 2 "$BIN" --workers 256 --service-us 50 --duration 600

J=$SCRATCH/all.json
check "$D --quick runs every variant" "$BIN" --quick --json "$J"
check "$D: variants load-50 .. load-110-bounded" \
	test "$(json "$J" '[.runs[].variant] | join(",")')" = load-50,load-80,load-90,load-95,load-110,load-110-bounded
demo_common $D "$J"
R() { echo "(.runs[] | select(.variant == \"$1\"))"; }
FIG='.runs[] | {variant, rate_per_s, arrivals, rejected, latency, wait: .wait.mean, utilization, max_depth}'

jcheck "$D: capacity = workers / service time, the offered rate its share" "$J" \
	'[.runs[] | .capacity_per_s == 2000 and .capacity_bound == "workers"
	  and ((.rate_per_s - 20 * .params.load_pct) | abs) < 0.001] | all' '[.runs[] | {capacity_per_s, rate_per_s}]'
# Poisson arrivals: the count is within 5 standard deviations of rate x time.
jcheck "$D: arrivals are the rate's Poisson count" "$J" \
	'[.runs[] | ((.arrivals - .rate_per_s) | abs) <= 5 * (.rate_per_s | sqrt) + 10] | all' "$FIG"
jcheck "$D: every request accepted is completed, the rest rejected" "$J" \
	'[.runs[] | .completed + .rejected == .arrivals and .latency.count == .completed] | all' "$FIG"
jcheck "$D: latency = queue wait + service, service at least the 2 ms asked" "$J" \
	'[.runs[] | .service.min >= 2000000 and .latency.p50 >= .service.p50 and .latency.max >= .wait.max
	  and .latency.p50 <= .latency.p95 and .latency.p95 <= .latency.p99 and .latency.p99 <= .latency.max] | all' "$FIG"
jcheck "$D: only the bounded variant rejects" "$J" \
	"[.runs[] | select(.params.capacity == 0) | .rejected == 0] | all" "$FIG"
# The hockey stick, on the mean wait (the p99 of a 1 s run on a busy host is
# noisier): M/D/4 waits about 0.03 x service at 50% and about 2 x at 95%.
jcheck "$D: the queue wait climbs as the load nears capacity (95% >= 3 x 50%)" "$J" \
	"($(R load-95) | .wait.mean) >= 3 * ($(R load-50) | .wait.mean)" "$FIG"
jcheck "$D: the workers' own busy share grows with the load" "$J" \
	"($(R load-95) | .utilization) > ($(R load-50) | .utilization)" "$FIG"
# Above capacity the unbounded queue grows by (2200 - 2000)/s: about 200 in 1 s.
jcheck "$D load-110: the queue grows and latency with it (last window p50 >= 3 x first)" "$J" \
	"$(R load-110) | .max_depth >= 100 and (.windows | map(select(.p50_ns > 0)) | .[-1].p50_ns >= 3 * .[0].p50_ns)" \
	"$(R load-110) | [.windows[] | [.depth, .p50_ns]]"
jcheck "$D load-110-bounded: never more queued than its capacity of 16" "$J" \
	"$(R load-110-bounded) | .params.capacity == 16 and .queue.max_len <= 16 and .max_depth <= 16 and ([.windows[].depth] | max) <= 16" \
	"$(R load-110-bounded) | {queue, max_depth}"
# At 110%, at least 1 - 1/1.1 = 9% cannot be served; Poisson bursts into a
# small queue reject more.
jcheck "$D load-110-bounded: rejects at least 4% of arrivals" "$J" \
	"$(R load-110-bounded) | .rejected >= 0.04 * .arrivals" "$FIG"
# A request waits behind at most 16 others for 4 workers, after the client
# queued it: p99 <= client lateness + (16/4 + 1) x the service's own p99.
jcheck "$D load-110-bounded: p99 within (capacity/workers + 1) x service p99, below unbounded" "$J" \
	"($(R load-110-bounded) | .latency.p99 <= .client_late_p99_ns + 1.5 * 5 * .service.p99)
	 and ($(R load-110-bounded) | .latency.p99) < ($(R load-110) | .latency.p99)" "$FIG"
jcheck "$D: threads main, client, worker-1..4" "$J" \
	'[.runs[] | names == ["client", "main", "worker-1", "worker-2", "worker-3", "worker-4"]] | all' '[.runs[] | names]'
jcheck "$D: the workers served every request, the client made every arrival" "$J" \
	'[.runs[] | . as $r | ([.threads[] | select(.name | startswith("worker")) | .tasks] | add) == $r.completed
	  and (.threads[] | select(.name == "client") | .tasks) == $r.arrivals] | all'
jcheck "$D: the queue's mutex and conditions named" "$J" \
	'[.runs[] | ([.locks[].name] | unique) == ["queue mutex", "queue not_empty cond", "queue not_full cond"]] | all'

J=$SCRATCH/one.json
check "$D --variant load-80 --workers 2 --service-us 1000 --duration 0.5" \
	"$BIN" --variant load-80 --workers 2 --service-us 1000 --duration 0.5 --json "$J"
jcheck "$D: 2 workers / 1 ms = 2000/s, offered 1600/s" "$J" \
	'.variant == "load-80" and .capacity_per_s == 2000 and .rate_per_s == 1600 and .params.workers == 2
	 and .params.duration_s == 0.5' '{capacity_per_s, rate_per_s, params}'
demo_common $D "$J"
# CPU work: the pool can serve no more than one request per CPU at a time.
J=$SCRATCH/cpu.json
check "$D --service cpu --workers 4" "$BIN" --variant load-50 --service cpu --workers 4 --duration 0.3 --json "$J"
jcheck "$D: with CPU work, capacity = min(workers, usable CPUs) / service time" "$J" \
	'([4, .cpus_usable] | min) as $s | .capacity_per_s == $s * 500
	 and .capacity_bound == (if .cpus_usable < 4 then "cpus" else "workers" end)' \
	'{cpus_usable, capacity_per_s, capacity_bound}'

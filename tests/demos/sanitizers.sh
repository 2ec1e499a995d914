#!/usr/bin/env bash
# The demos built with AddressSanitizer and UBSan (make sanitize: BUILD/asan)
# on real, short runs of every demo: threads, forked workers, the delay
# server, the queue, the GIL. Any report from a sanitizer fails the run
# (-fno-sanitize-recover=all, halt_on_error), and the suite looks for one in
# the output as well, in case a forked child reported it.
. "$(dirname "$0")/../lib.sh"
ASAN=$BUILD/asan/demos
scratch
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# make test and scripts/test build it; after a plain make it may be missing,
# which is a skip, except in CI, where it must run.
if [ ! -x "$ASAN/01_io_wait" ]; then
	if [ "${CI:-}" = true ]; then
		not_ok "sanitizers: $ASAN/01_io_wait is missing; build it with: make sanitize"
		exit 1
	fi
	skip "sanitizers" "$ASAN is not built (make sanitize)"
	exit 0
fi

# san NAME DEMO ARGS...: DEMO under the sanitizers exits 0, writes its JSON,
# and no sanitizer said anything.
san() {
	local name=$1 demo=$2 out=$SCRATCH/out.txt rc
	shift 2
	"$ASAN/$demo" "$@" --json "$SCRATCH/$demo.json" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: ' "$out" &&
		jq -e '.demo' "$SCRATCH/$demo.json" >/dev/null 2>&1; then
		ok "sanitizers: $name"
	else
		not_ok "sanitizers: $name (exit $rc)"
		grep -E -A12 'ERROR: |runtime error:' "$out" | head -40 | sed 's/^/#   /'
	fi
}

san "01_io_wait, every variant, delay server" 01_io_wait --quick --tasks 8
san "02_cpu_bound, every variant, GIL and forked workers" 02_cpu_bound --quick --n 500000
san "03_event_loop, both variants" 03_event_loop --quick --tasks 5 --wait 0.02
san "04_backpressure, both variants, queue" 04_backpressure --duration 0.3 --capacity 20
san "05_thread_overhead, 64 threads" 05_thread_overhead --workers 1,64 --tasks 64 --wait 0.01
san "06_hybrid_pipeline, every variant, shared-memory queue and forked workers" \
	06_hybrid_pipeline --items 40 --n 50000 --fetch-ms 2 --blocking-ms 1
san "07_costs, every variant, ping-pong, fork, spawn, shared memory" \
	07_costs --round-trips 100 --starts 10 --ipc-mib 1 --cow-mib 2
san "08_streaming, every variant, open-loop client" 08_streaming --duration 0.2
# Bad input is refused the same way under the sanitizers.
expect_exit "sanitizers: bad input still exits 2" 2 "$ASAN/02_cpu_bound" --tasks -1

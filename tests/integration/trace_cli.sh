#!/usr/bin/env bash
# scripts/trace and build/bin/report refuse bad input with a message and exit
# status 2, before running anything; --help and --list work without root.
. "$(dirname "$0")/../lib.sh"
TRACE=$TOP/scripts/trace
REPORT=$BUILD/bin/report
export BUILD
scratch

check "trace --help prints the usage" bash -c "'$TRACE' --help | grep -q 'trace DEMO'"
out=$("$TRACE" --list 2>&1)
for d in 01_io_wait 02_cpu_bound 03_event_loop 04_backpressure 05_thread_overhead; do
	check "trace --list names $d" grep -q "^$d " <<<"$out"
done
check "trace --list gives each demo's variants" grep -q 'variants: serial,threads-gil,processes,threads-nogil' <<<"$out"

# Bad input: a message naming the problem, exit 2, and nothing run or written.
OUT=$SCRATCH/out
mkdir -p "$OUT"
bad() {
	local name=$1
	shift
	expect_exit "trace refuses $name" 2 "$TRACE" "$@" --out "$OUT"
}
bad "an unknown demo" 99_nothing
bad "a path as the demo" ../x
bad "a path to a demo binary" "$BUILD/demos/02_cpu_bound"
bad "a demo followed by a shell command" '02;id'
bad "a demo with a command substitution" '$(id)'
bad "--repeat without its value" 02 --repeat
bad "--cpus without its value" 02 --cpus
bad "--out without its value" 02 --out
bad "--variants followed by another option" 02 --variants --quick
bad "--repeat 0" 02 --repeat 0
bad "--cpus beyond this machine" 02 --cpus 100000
bad "--variants with a shell character" 02 --variants 'serial;id'
bad "an unknown option" 02 --fast
bad "two demos" 01 02
bad "a demo and a command" 02 -- true
bad "no demo and no command" --quick
check "trace: nothing was written for bad input" test -z "$(ls -A "$OUT")"
err=$("$TRACE" '02;id' 2>&1 >/dev/null)
check "trace: an unknown demo is answered with the list of demos" grep -q '05_thread_overhead' <<<"$err"
if grep -q 'uid=' <<<"$err"; then not_ok "trace: '02;id' reached a shell"; else ok "trace: '02;id' never reached a shell"; fi

# Without root: the sudo line to type, exit 2, nothing run.
if [ "$(id -u)" -ne 0 ]; then
	err=$("$TRACE" 02 --quick 2>&1)
	rc=$?
	check "trace without root: exit 2" test "$rc" -eq 2
	check "trace without root: prints the sudo line" grep -q "sudo .*trace 02 --quick" <<<"$err"
else
	# As root, run it as nobody from a copy nobody can read (the clone may be private).
	tree=$SCRATCH/tree
	mkdir -p "$tree/scripts" "$tree/demos"
	cp "$TRACE" "$tree/scripts/trace"
	cp "$TOP/demos/catalogue.tsv" "$tree/demos/"
	chmod -R a+rX "$SCRATCH"
	err=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$tree/scripts/trace" 02 --quick 2>&1)
	rc=$?
	check "trace without root (as nobody): exit 2" test "$rc" -eq 2
	check "trace without root (as nobody): prints the sudo line" grep -q "sudo .*trace 02 --quick" <<<"$err"
	check "trace without root: nothing else done" test "$(wc -l <<<"$err")" -le 2
fi

# The report generator: a clear error naming the file, exit 2.
F=$TOP/tests/fixtures
check "report --help" bash -c "'$REPORT' --help | grep -q RUN_DIR"
expect_exit "report without RUN_DIR" 2 "$REPORT"
expect_exit "report with an unknown option" 2 "$REPORT" --fast "$F/run-ok"
for c in "run-no-sched:processes/sched.json: missing" \
	"run-truncated:threads-gil/sched.json: corrupt JSON" \
	"run-wrong-type:threads-gil/sched.json: threads[0]" \
	"run-escape:meta.json: runs[0]" \
	"no-such-run:no-such-run/meta.json: missing"; do
	dir=${c%%:*} want=${c#*:}
	expect_exit "report refuses $dir" 2 "$REPORT" "$F/$dir"
	err=$("$REPORT" "$F/$dir" 2>&1 >/dev/null)
	check "report on $dir names the file: '$want'" grep -qF "$want" <<<"$err"
done
cp -r "$F/run-bad-perf" "$SCRATCH/bad-perf"
quietly() { "$@" >/dev/null; }
check "report: a broken optional perf file is not fatal" quietly "$REPORT" --quiet "$SCRATCH/bad-perf"
check "report: ... and the report says so" grep -q 'processes/perf-stat.json: unreadable' "$SCRATCH/bad-perf/report.md"
cp -r "$F/run-partial" "$SCRATCH/partial"
check "report on a partial run" quietly "$REPORT" --quiet "$SCRATCH/partial"
check "report: a partial run says PARTIAL at the top" bash -c "head -1 '$SCRATCH/partial/report.md' | grep -q '^# PARTIAL'"

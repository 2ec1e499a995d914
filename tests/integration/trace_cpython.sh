#!/usr/bin/env bash
# CPython under scripts/trace (docs/cpython.md): the GIL of a python3 the
# project did not write is named from _PyRuntime, and contention is claimed
# for CPU-bound threads and not for threads that only sleep; 02's C model and
# CPython side by side, and the convoy explained. Debian's /usr/bin/python3
# (stripped) is the interpreter, as under sudo.
. "$(dirname "$0")/../lib.sh"
need_root "trace a python3 command"
TRACE=$TOP/scripts/trace
FIX=$TOP/tests/fixtures/python
export BUILD
scratch
chmod 755 "$SCRATCH"
cp "$FIX"/*.py "$SCRATCH/" && chmod 644 "$SCRATCH"/*.py

trace_py() {
	local name=$1 script=$2 out=$SCRATCH/$1
	"$TRACE" --no-perf --out "$out" -- /usr/bin/python3 "$SCRATCH/$script" >"$out.log" 2>&1
	check "trace -- python3 $script: exit 0" test $? -eq 0
	REPORT=$out/command/latest/report.md
	[ -s "$REPORT" ] || { tail -5 "$out.log" | sed 's/^/#   /'; return 1; }
}

# The report links a glossary word's first use ([futex](#word-futex) in report.md).
if trace_py cpu cpu_threads.py; then
	check "cpu_threads.py: the GIL named from _PyRuntime in python3.11 with no change to the program" \
		grep -qE "CPython's GIL, found with no change to the program from its (futex|\[futex\]\(#[a-z-]+\)) words in \\\\_PyRuntime in /usr/bin/python3\.11" "$REPORT"
	check "cpu_threads.py: the GIL contended" grep -q "CPython's GIL was contended" "$REPORT"
	check "cpu_threads.py: the futex table names the GIL cond" grep -q '^| GIL cond |' "$REPORT"
fi
if trace_py sleep sleep_threads.py; then
	check "sleep_threads.py: not said to contend on the GIL" bash -c "! grep -q \"CPython's GIL was contended\" '$REPORT'"
	check "sleep_threads.py: the GIL said uncontended, with its figure" grep -q "CPython's GIL was not contended: waiting for it took" "$REPORT"
fi

out=$SCRATCH/02
"$TRACE" 02 --quick --no-perf --variants threads-gil,py-threads,convoy,py-convoy --out "$out" >"$out.log" 2>&1
check "trace 02 --variants threads-gil,py-threads,convoy,py-convoy: exit 0" test $? -eq 0
R=$out/02_cpu_bound/latest/report.md
if [ -s "$R" ]; then
	check "02: C and CPython rows side by side" bash -c "grep -q '^| threads-gil |' '$R' && grep -q '^| py-threads |' '$R'"
	check "02: py-threads' Why names CPython's GIL" grep -q "py-threads: CPython's GIL, found with no change to the program" "$R"
	check "02: model and CPython compared" grep -q "^- Model and CPython, threads-gil against py-threads:" "$R"
	check "02: py-threads' handoffs against 1/switch interval" grep -q "py-threads: the workers noted whose turn it was" "$R"
	check "02 convoy: response times alone and with CPU threads" grep -q "^- convoy: a request every 10.0 ms; the I/O thread answered in p50" "$R"
	check "02 py-convoy: response times alone and with CPU threads" grep -q "^- py-convoy: a request every 10.0 ms; the I/O thread answered in p50" "$R"
	# The convoy itself is judged by each run's own figures (tests/demos);
	# here: when the report claims it, it names the GIL waits as the cause.
	for v in convoy py-convoy; do
		if grep -q "^- $v: that is the convoy effect" "$R"; then
			check "02 $v: the convoy explained by its GIL waits per request" \
				grep -q "^- $v: that is the convoy effect.*It waited .* per request of the CPU phase for the GIL" "$R"
		else
			skip "02 $v: the convoy explained" "no convoy claimed in this run: $(grep -m1 "^- $v: a request" "$R" | cut -c1-200)"
		fi
	done
else
	tail -5 "$out.log" | sed 's/^/#   /'
fi

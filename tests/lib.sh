# Helpers for the shell test suites; they print the TAP lines tests/run counts.
# shellcheck shell=bash
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
skip() { echo "ok - $1 # SKIP $2"; }

# check NAME CMD...: one test, passed when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# expect_exit NAME STATUS CMD...: CMD must exit with STATUS and say something on stderr.
expect_exit() {
	local name=$1 want=$2 err rc
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && [ -n "$err" ]; then
		ok "$name"
	else
		not_ok "$name (exit $rc, wanted $want; stderr: ${err:0:200})"
	fi
}

# json FILE FILTER: jq -r on FILE.
json() { jq -r "$2" "$1"; }

# near A B REL ABS: |A-B| <= max(REL*|B|, ABS); prints the comparison when it fails.
near() {
	awk -v a="$1" -v b="$2" -v r="$3" -v t="$4" 'BEGIN {
		d = a - b; if (d < 0) d = -d; lim = r * (b < 0 ? -b : b); if (t > lim) lim = t;
		if (d <= lim) exit 0; printf "#   %s vs %s: off by %s, allowed %s\n", a, b, d, lim; exit 1 }'
}

# ge A B: A >= B (decimals allowed).
ge() { awk -v a="$1" -v b="$2" 'BEGIN { if (a >= b) exit 0; printf "#   %s < %s\n", a, b; exit 1 }'; }

# The eBPF and perf suites need root. In CI they must run: a missing privilege
# there is a failure, not a skip.
need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		if [ "${CI:-}" = true ]; then
			not_ok "$1: needs root, and CI must run it"
			exit 1
		fi
		skip "$1" "needs root (run the tests with sudo to include it)"
		exit 0
	fi
}

# jcheck NAME FILE FILTER: one test, passed when jq FILTER is true on FILE;
# when it is not, the values of DEBUG_FILTER (optional 4th argument, default
# the whole filter) are printed as a comment, so a failure says what it saw.
jcheck() {
	local name=$1 file=$2 filter=$3 debug=${4:-}
	if jq -e "$JQ_LIB $filter" "$file" >/dev/null 2>&1; then
		ok "$name"
	else
		not_ok "$name"
		if [ -n "$debug" ]; then
			echo "#   saw: $(jq -c "$JQ_LIB $debug" "$file" 2>&1 | head -c 600)"
		fi
	fi
}

# jq definitions shared by the demo suites (docs/formats.md, demo.json).
# runs: the run objects of a demo.json, one variant or all of them.
# run_fields_bad: names of missing or wrong top-level fields of one run.
# thread_bad: the threads whose record is incomplete or disagrees with itself:
#   every thread ran (run_ns, timeslices > 0) and ended; a run-queue wait
#   (wait_ns) may be 0: a thread woken on an idle CPU can run at once; schedstat's
#   timeslices count switches in, rusage counts switches out, so
#   nvcsw + nivcsw = timeslices - 1 (the thread is on a CPU when it reads
#   them). It holds exactly on a quiet machine; under load a demo's main
#   thread shows about one more switch out than in per delay server it
#   forked and reaped (up to 5 in 32 seen, kernel 6.18; with --io sleep it
#   holds; the kernel path is not identified yet), so 2 + timeslices/4 are
#   allowed.
JQ_LIB='
def runs: if has("runs") then .runs[] else . end;
def abs: if . < 0 then -. else . end;
def run_fields_bad: [
	(if .schema == 1 then empty else "schema" end),
	(if (.demo | type) == "string" then empty else "demo" end),
	(if (.variant | type) == "string" then empty else "variant" end),
	(if (.params | type) == "object" and (.params | length) > 0 then empty else "params" end),
	(if .cpus >= 1 then empty else "cpus" end),
	(if .pid > 0 then empty else "pid" end),
	(if .end_ns > .start_ns then empty else "start_ns/end_ns" end),
	(if .wall_s > 0 then empty else "wall_s" end),
	(if (.threads | length) > 0 then empty else "threads" end)];
def thread_bad: [.threads[] | select(
	(.tid > 0 and .pid > 0 and (.name | length) > 0 and .ended == true
	 and .end_ns >= .start_ns
	 and .schedstat.run_ns > 0 and .schedstat.timeslices > 0 and .schedstat.wait_ns >= 0
	 and .rusage.nvcsw >= 0 and .rusage.nivcsw >= 0
	 and ((.rusage.nvcsw + .rusage.nivcsw - .schedstat.timeslices + 1) | abs)
	     <= 2 + (.schedstat.timeslices / 4 | floor)) | not)
	| {tid, name, schedstat, rusage, ended}];
def names: [.threads[].name] | unique;
'

# demo_common DEMO JSON: the checks every demo's JSON result must pass.
demo_common() {
	local demo=$1 file=$2
	jcheck "$demo: JSON top-level fields in every run" "$file" \
		'[runs | run_fields_bad | length] | add == 0' '[runs | {variant, bad: run_fields_bad}]'
	jcheck "$demo: every thread record complete, switches agree with timeslices" "$file" \
		'[runs | thread_bad | length] | add == 0' '[runs | thread_bad] | flatten | .[:3]'
	jcheck "$demo: demo name in every run" "$file" "[runs | .demo == \"$demo\"] | all"
	# One thread may always find a CPU free, but over every variant some
	# thread was woken and waited in a run queue, and some switched.
	if jq -e 'has("runs")' "$file" >/dev/null; then
		jcheck "$demo: run-queue waits and switches counted" "$file" \
			'([runs | .threads[].schedstat.wait_ns] | add) > 0
			 and ([runs | .threads[].rusage | .nvcsw + .nivcsw] | add) > 0'
	fi
}

# demo_cli DEMO VARIANT QUICK_ARGS...: --help, aliases and the bad input every
# demo refuses with a message and exit status 2. VARIANT is a valid variant.
demo_cli() {
	local demo=$1 variant=$2 bin=$BUILD/demos/$1 alias out
	shift 2
	out=$("$bin" --help 2>&1)
	check "$demo: --help exits 0 and shows the usage" \
		test $? -eq 0 -a "${out:0:6}" = "Usage:"
	alias=$(awk -F'\t' -v d="$demo" '$1 == d {print $2}' "$TOP/demos/catalogue.tsv")
	check "$demo: seed alias $alias runs the same program" \
		test -n "$alias" -a "$("$BUILD/demos/$alias" --list-variants 2>&1)" = "$("$bin" --list-variants 2>&1)"
	check "$demo: --list-variants names $variant" grep -qx -- "$variant" <<<"$("$bin" --list-variants)"
	expect_exit "$demo: unknown variant" 2 "$bin" --variant no-such-variant "$@"
	expect_exit "$demo: unknown option" 2 "$bin" --no-such-option "$@"
	expect_exit "$demo: --json without its value" 2 "$bin" "$@" --json
	expect_exit "$demo: --variant without its value" 2 "$bin" "$@" --variant
	expect_exit "$demo: a value given to a flag" 2 "$bin" --quick=yes
	expect_exit "$demo: a stray argument" 2 "$bin" "$@" stray
	expect_exit "$demo: --json in a directory that does not exist" 2 \
		"$bin" --variant "$variant" "$@" --json /nonexistent-dir/demo.json
	out=$(mktemp -d)
	: >"$out/file"
	expect_exit "$demo: --json under a regular file" 2 \
		"$bin" --variant "$variant" "$@" --json "$out/file/demo.json"
	rm -rf "$out"
}

# A scratch directory for one suite, removed when it ends.
scratch() {
	SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/schedlab-test.XXXXXX")
	trap 'rm -rf "$SCRATCH"' EXIT
}

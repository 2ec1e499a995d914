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

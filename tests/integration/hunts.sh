#!/usr/bin/env bash
# The bug hunts (demos/hunts/, issue 20): each traced like any command, its
# report must name its planted fault from the evidence alone (the generic
# explainer's sentences, no hint), and its fixed twin's report must not.
# Then --list (the hunts under their own heading, no fault named) and
# --reveal (the answer and the latest report's sentences).
# suite-timeout: 900
. "$(dirname "$0")/../lib.sh"
TRACE=$TOP/scripts/trace
export BUILD
scratch

out=$("$TRACE" --list 2>&1)
check "trace --list has the bug hunts under their own heading" grep -q '^Bug hunts' <<<"$out"
for h in hunt_a hunt_b hunt_c hunt_d; do
	check "trace --list names $h" grep -q "^$h " <<<"$out"
done
check "trace --list names no fault" bash -c '! sed -n "/^Bug hunts/,\$p" <<<"$1" | grep -qiE "unbounded|blocking call|held across|pool of one|one worker|backpressure|fault:"' _ "$out"
expect_exit "trace refuses --reveal of an unknown hunt" 2 "$TRACE" --reveal hunt_zz
expect_exit "trace refuses a path as a hunt" 2 "$TRACE" --reveal ../hunt_a
expect_exit "trace refuses --fixed for a demo" 2 "$TRACE" 02 --fixed
expect_exit "trace refuses --variants for a hunt" 2 "$TRACE" hunt_a --variants x
r=$("$TRACE" --reveal hunt_d --out "$SCRATCH/none" 2>&1)
check "--reveal before any run gives the answer and says to trace first" \
	bash -c 'grep -q "unbounded" <<<"$1" && grep -q "trace it first" <<<"$1"' _ "$r"

need_root hunts
OUT=$SCRATCH/results

# hunt_run FILE: trace the hunt named by FILE's folder (…/NAME or
# …/NAME-fixed), the report's Why lines into FILE (backslashes of Markdown
# escapes and links removed).
hunt_run() {
	local f=$1 name=${1##*/} args=()
	case $name in *-fixed) args=("${name%-fixed}" --fixed) ;; *) args=("$name") ;; esac
	"$TRACE" "${args[@]}" --no-perf --out "$OUT" >/dev/null 2>"$f.err" || return 1
	sed 's/\\//g; s/\[\([^]]*\)\]([^)]*)/\1/g' "$OUT/$name/latest/report.md" >"$f"
}
# busy FILE: the report's own words when the host was busy, or nothing.
busy() { grep -o 'The host was busy: [^;]*' "$1" | head -1; }

# has FILE ERE...: each pattern a line of the report; prints those missing.
has() {
	local f=$1 p
	shift
	for p in "$@"; do grep -qE -- "$p" "$f" || echo "no line matches '$p'"; done
}
# lacks FILE ERE...: no line matches; prints those found.
lacks() {
	local f=$1 p
	shift
	for p in "$@"; do grep -E -- "$p" "$f" | head -1 | sed 's/^/found: /'; done
}

mkdir -p "$SCRATCH/r"
# Each hunt: the evidence its report must give, which its fixed twin's must not.
# The holder's states are listed largest first, over its tenure only (to
# its release): sleeping with the lock comes first (96%). Over the waiters'
# whole waits, as before, its waiting on the lock again once released came
# out near even with it (46% and 45%).
A_FAULT=('on the mutex journal_lock in hunt_a .*held by request-[0-9]+ .*which, while it held the lock \([^)]*\), was sleeping \([0-9]+%\)' 'mostly in these states: lock [0-9]+%')
A_FIXED=('journal_lock .*was sleeping' 'journal_lock .*took turns')
B_FAULT=('relay waits for events in epoll_wait( \([0-9]+ calls\))?, an event loop, yet it spent .* blocked outside it, longest in clock_nanosleep')
B_FIXED=('waits for events in .*, an event loop, yet')
C_FAULT=('One thread did the work: worker-1 ran')
C_FIXED=('One thread did the work')
D_FAULT=('Memory grew: reader faulted in at least [0-9.]+ MiB .* before uploader')
D_FIXED=('Memory grew')
for h in A B C D; do
	name=hunt_${h,,}
	fault=${h}_FAULT[@] fixed=${h}_FIXED[@]
	c_fault() { has "$1" "${!fault}"; }
	c_fixed() { lacks "$1" "${!fixed}"; }
	retry_busy "$name: its report names the fault from the evidence alone" 3 \
		"$SCRATCH/r/$name" hunt_run c_fault busy
	retry_busy "$name --fixed: its report does not show the fault" 3 \
		"$SCRATCH/r/$name-fixed" hunt_run c_fixed busy
done

# --reveal: the answer, then the report's sentences that give the fault away.
r=$("$TRACE" --reveal hunt_b --out "$OUT" 2>&1)
check "--reveal hunt_b prints the answer" grep -q 'blocking call' <<<"$r"
check "--reveal hunt_b quotes its latest report's loop sentence" \
	grep -qE '^  - relay waits for events in epoll_wait' <<<"$r"
check "--reveal quotes the report's own words (the report holds them)" \
	bash -c 'grep "^  - relay" <<<"$1" | head -1 | cut -c5-60 | grep -qF -f - "$2"' _ "$r" "$SCRATCH/r/hunt_b"

#!/usr/bin/env bash
# Who woke whom on a program nobody here wrote (issue 19): Debian's xz with
# two workers, three threads all called "xz". The report's wake graph has
# one box per thread, no two boxes with one label, a bounded number of
# arrows; timeline.json carries each wakeup by a traced thread as a flow
# from inside the waker's slice to the woken thread's runnable slice;
# perfetto-command.json names the tracks as the page names the threads.
. "$(dirname "$0")/../lib.sh"
need_root wake_graph
TRACE=$TOP/scripts/trace
export BUILD
scratch
chmod 755 "$SCRATCH"
jqe() { jq -e "$@" >/dev/null; }

if ! command -v xz >/dev/null; then
	timeout 600 apt-get install -y -qq --no-install-recommends xz-utils >"$SCRATCH/apt.log" 2>&1
fi
if ! command -v xz >/dev/null; then
	not_ok "xz: not installed, and apt-get install xz-utils failed (see $SCRATCH/apt.log)"
	exit 1
fi

# Small blocks: the main thread feeds both workers many times.
seq 1 400000 >"$SCRATCH/numbers.txt"
chmod 644 "$SCRATCH/numbers.txt"
out=$SCRATCH/xz
timeout -k 10 600 "$TRACE" --no-perf --out "$out" -- xz -T2 -0 --block-size=64KiB -f -k \
	"$SCRATCH/numbers.txt" >"$out.log" 2>&1
check "trace -- xz -T2: exit 0" test $? -eq 0
run=$out/command/latest
S=$run/command/sched.json
SVG=$run/charts/wakes-command.svg
if [ ! -s "$S" ] || [ ! -s "$SVG" ]; then
	not_ok "xz: no sched.json or wake graph ($(tail -3 "$out.log" | tr '\n' ' '))"
	exit 1
fi
check "xz: three threads called xz were traced" jqe '[.threads[] | select(.comm == "xz")] | length >= 3' "$S"

# The graph's boxes: each node's text lines joined (a label wraps).
node_labels() {
	awk '/<g id="node[0-9]+" class="node">/ { inn = 1; label = ""; next }
	     inn && /<text/ { t = $0; sub(/^[^>]*>/, "", t); sub(/<\/text>.*/, "", t); label = label (label == "" ? "" : " ") t }
	     inn && /<\/g>/ { print label; inn = 0 }' "$1"
}
labels=$(node_labels "$SVG")
echo "# the graph's boxes: $(paste -sd'|' <<<"$labels")"
check "the graph has a box per xz thread (three or more xz boxes)" \
	test "$(grep -c '^xz' <<<"$labels")" -ge 3
check "no two boxes of the graph share a label" test -z "$(sort <<<"$labels" | uniq -d)"
check "the graph's main thread is 'xz main'" grep -qx 'xz main' <<<"$labels"
arrows=$(grep -c 'class="edge"' "$SVG")
check "the graph draws between 1 and 16 arrows (saw $arrows)" test "$arrows" -ge 1 -a "$arrows" -le 16
check "the table below the graph names the threads apart" \
	grep -qE '^\| xz worker [0-9]+ \(tid [0-9]+\) \| xz main \|' "$run/report.md"

# Perfetto: the flows, and the tracks named as the page names them.
T=$run/command/timeline.json
check "timeline.json: every flow starts inside a slice of its waker and ends at the woken thread's" \
	jqe "$WAKE_FLOWS"' | (.flows | length) >= 2 and (.bad | length) == 0 and (.flows | length) == .woken' "$T" ||
	jq -c "$WAKE_FLOWS"' | {flows: (.flows | length), woken, bad: .bad[:3]}' "$T" | sed 's/^/#   saw: /'
check "timeline.json: flows between xz's threads both ways (main feeds the workers, they answer)" \
	jqe --argjson m "$(jq .pid "$S")" "$WAKE_FLOWS"' | any(.flows[]; .from == $m and .to != $m) and any(.flows[]; .to == $m and .from != $m)' "$T"
P=$run/perfetto-command.json
check "perfetto-command.json: one track name per thread, all different, xz main among them" \
	jqe --slurpfile s "$S" '[.traceEvents[] | select(.ph == "M" and .name == "thread_name") | .args.name]
		| length == ($s[0].threads | length) and (unique | length) == length and index("xz main") != null' "$P"
check "perfetto-command.json: the timeline's slices and flows unchanged" \
	test "$(jq -c '[.traceEvents[] | select(.ph != "M")]' "$P")" = "$(jq -c '[.traceEvents[] | select(.ph != "M")]' "$T")"
check "the report links perfetto-command.json" grep -q '(perfetto-command.json)' "$run/report.md"

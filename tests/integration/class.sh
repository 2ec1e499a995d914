#!/usr/bin/env bash
# report --class (issue 20): many students' run folders, from hosts of 2 to
# 64 CPUs, on one page. The folders are copies of tests/fixtures/run-ok with
# their CPU counts and wall times edited, so every figure on the page is
# known: each CPU count's row, the median and range over its runs, a broken
# folder listed with what is wrong, the chart drawn; then the page opened in
# headless Chromium. Needs no root.
. "$(dirname "$0")/../lib.sh"
REPORT=$BUILD/bin/report
scratch
C=$SCRATCH/class

# student NAME CPUS PROCESSES_WALL: a copy of run-ok whose demo could use
# CPUS CPUs and whose processes variant took PROCESSES_WALL seconds.
student() {
	local d=$C/$1/02_cpu_bound/20261205T000000Z f
	mkdir -p "${d%/*}"
	cp -r "$TOP/tests/fixtures/run-ok" "$d"
	jq --argjson c "$2" --arg h "$1" '.host.cpus = $c | .host.hostname = $h' "$d/meta.json" >"$d/m" && mv "$d/m" "$d/meta.json"
	for f in "$d"/*/demo.json; do
		jq --argjson c "$2" '.cpus = $c' "$f" >"$f.t" && mv "$f.t" "$f"
	done
	jq --argjson w "$3" '.wall_s = $w' "$d/processes/demo.json" >"$d/t" && mv "$d/t" "$d/processes/demo.json"
	# results/DEMO/latest is a link to a run: never counted twice
	ln -s 20261205T000000Z "${d%/*}/latest"
}
student ada 2 0.40
student bob 8 0.10
student cy 8 0.30
student dee 8 0.20
student eve 64 0.05
mkdir -p "$C/fred/02_cpu_bound/x" && echo '{' >"$C/fred/02_cpu_bound/x/meta.json"
# predict NAME VALUE: the student's answer to gil_cpus_busy (threads-gil's
# CPUs busy, measured 0.96 in run-ok; close within 0.25 CPUs).
predict() {
	jq -n --argjson v "$2" '{schema: 1, demo: "02_cpu_bound", cpus: 2, seed: null, quick: true,
		sizes: {}, from: "terminal",
		answers: [{id: "gil_cpus_busy", question: "threads-gil: how many CPUs busy?",
			   unit: "CPUs", min: 0, max: 1024, value: $v}]}' \
		>"$C/$1/02_cpu_bound/20261205T000000Z/predictions.json"
}
predict ada 1.0
predict bob 2.0
predict cy 0.9

out=$("$REPORT" --class "$SCRATCH/page" "$C" 2>&1)
check "report --class writes the page" test $? -eq 0 -a -s "$SCRATCH/page/class.html" -a -s "$SCRATCH/page/class.md"
echo "# $out" | head -3
M=$SCRATCH/page/class.md
row() { grep -E "^\| $1 \| $2 \|" "$M"; }
check "five students' runs, the broken one left out" \
	grep -q '^5 demo run folders, from hosts whose demos could use 2, 8, 64 CPUs' "$M"
check "the broken folder is listed with what is wrong with it" grep -qF 'fred/02\_cpu\_bound/x/meta.json: corrupt JSON' "$M"
check "one row per CPU count and variant: 2, 8 and 64 CPUs" \
	bash -c "grep -cE '^\| (2|8|64) \| (processes|threads-gil) \|' '$M' | grep -qx 6"
check "2 CPUs: one run, its own wall" bash -c "grep -qE '^\| 2 \| processes \| 1 \| 0.4 s \|' '$M'"
check "8 CPUs: three runs, the median and the range of their walls" \
	bash -c "grep -qE '^\| 8 \| processes \| 3 \| 0.2 s \(0.1–0.3\) \|' '$M'"
check "64 CPUs: its run" bash -c "grep -qE '^\| 64 \| processes \| 1 \| 0.05 s \|' '$M'"
check "threads-gil's walls, unedited, are the fixture's" \
	bash -c "grep -qE '^\| 8 \| threads-gil \| 3 \| 0.444 s \(0.444–0.444\) \|' '$M'"
# CPUs busy is the run's CPU time over its wall: the same CPU time over a
# quarter of the wall is four times the CPUs busy.
b2=$(row 2 processes | awk -F'|' '{print $6}' | awk '{print $1}')
b8=$(row 8 processes | awk -F'|' '{print $6}' | awk '{print $1}')
check "CPUs busy follows the wall: 8 CPUs' median is twice 2 CPUs' ($b8 vs $b2)" near "$b8" "$(awk -v b="$b2" 'BEGIN{print 2*b}')" 0.03 0.02
check "the class's predictions: 3 of 5 runs predicted, graded against their runs" \
	grep -q '^Predictions against measurements: 3 of the 5 runs' "$M"
row=$(grep -E '^\| gil\\_cpus\\_busy \(CPUs\) \| 3 \|' "$M")
check "gil_cpus_busy: three predictions, median 1 (0.9 to 2), measured 0.96, two close: $row" \
	bash -c 'grep -qE "\| 3 \| 1(\.0+)? \(0\.90? *– *2(\.0+)?\) \| 0\.96 \(0\.96 *– *0\.96\) \| 2 of 3 \|$" <<<"$1"' _ "$row"
check "the lesson's questions measured in every run, by CPU count" \
	bash -c "grep -cE '^\| gil\\\\_cpus\\\\_busy \(CPUs\) \| (2|8|64) \|' '$M' | grep -qx 3"
check "each run is linked to its report, relative to the page" grep -qF "(../class/ada/02_cpu_bound/20261205T000000Z/report.html)" "$M"
"$REPORT" --class "$C/page" "$C" >/dev/null 2>&1
check "a page inside the class's folder links its runs relative to itself" \
	grep -qF '(../ada/02_cpu_bound/20261205T000000Z/report.html)' "$C/page/class.md"
check "the lesson's chart is drawn" test -s "$SCRATCH/page/charts/class-02_cpu_bound.svg"
check "the link 'latest' is not a second run" bash -c "! grep -q 'latest/report.html' '$M'"

expect_exit "report --class without a run folder" 2 "$REPORT" --class "$SCRATCH/p2" "$SCRATCH/page/charts"
expect_exit "report --class on a folder that does not exist" 2 "$REPORT" --class "$SCRATCH/p2" /nonexistent
expect_exit "report --class without folders" 2 "$REPORT" --class "$SCRATCH/p2"
expect_exit "report --class with --index" 2 "$REPORT" --class --index "$SCRATCH/p2" "$C"

# The page as a reader opens it.
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
	j=$("$TOP/scripts/page-check" --screenshot "$SCRATCH/class.png" "$SCRATCH/page/class.html" 2>&1)
	check "the class page opens in headless Chromium" test $? -eq 0
	jcheck "the class page: its chart drawn, no console message" <(echo "$j") \
		'.charts >= 1 and .charts_zero == 0 and (.console | length) == 0' '.'
	check "the class page: a screenshot" test -s "$SCRATCH/class.png"
	if [ -n "${CLASS_SHOT:-}" ]; then cp "$SCRATCH/class.png" "$CLASS_SHOT"; fi
else
	skip "the class page in headless Chromium" "Chromium is not installed (scripts/setup installs it)"
fi

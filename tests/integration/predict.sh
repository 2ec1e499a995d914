#!/usr/bin/env bash
# --predict and --seed (docs/predict.md): the questions and the answers'
# ranges from build/bin/report, bad answers refused with exit 2 before
# anything runs, the same seed giving the same sizes and another seed
# others; then, as root, an interactive --predict through a pty on 04 with a
# seed: answers re-asked when not a number or out of range, predictions.json
# and the seed in the run folder, the demo run at the seed's sizes, and the
# report opening with the graded table.
. "$(dirname "$0")/../lib.sh"
TRACE=$TOP/scripts/trace
REPORT=$BUILD/bin/report
export BUILD
scratch
OUT=$SCRATCH/out
mkdir -p "$OUT"

# ---- the questions and the answers' checks (no root) ----------------------
q=$("$REPORT" --questions 02_cpu_bound --cpus 4)
check "--questions 02: four questions" test "$(wc -l <<<"$q")" -eq 4
check "--questions 02: the CPUs and sizes filled in" grep -q $'^gil_speedup\t.*on 4 CPUs' <<<"$q"
if grep -q '[{}]' <<<"$q"; then not_ok "--questions: a size left unfilled"; else ok "--questions: every size filled in"; fi
for d in 01_io_wait 03_event_loop 04_backpressure 05_thread_overhead 06_hybrid_pipeline 07_costs 08_streaming; do
	n=$("$REPORT" --questions "$d" | wc -l)
	check "--questions $d: two to four questions ($n)" test "$n" -ge 2 -a "$n" -le 4
done
expect_exit "--questions of an unknown demo" 2 "$REPORT" --questions 99_nothing

echo '{"gil_speedup": 1, "processes_speedup": 2, "gil_cpus_busy": 5000, "gil_handoffs_per_s": 200}' >"$SCRATCH/range.json"
err=$("$REPORT" --check-predictions 02_cpu_bound "$SCRATCH/range.json" 2>&1)
rc=$?
check "an answer out of range: exit 2" test "$rc" -eq 2
check "an answer out of range: the message names the question and its range" \
	grep -q "gil_cpus_busy.*from 0 to 1024" <<<"$err"
echo '{"gil_speedup": 1, "nothing": 2}' >"$SCRATCH/unknown.json"
expect_exit "an answer to no question" 2 "$REPORT" --check-predictions 02_cpu_bound "$SCRATCH/unknown.json"
echo '{"gil_speedup": 1}' >"$SCRATCH/some.json"
expect_exit "a question left unanswered" 2 "$REPORT" --check-predictions 02_cpu_bound "$SCRATCH/some.json"
check "--partial takes a question left unanswered" "$REPORT" --check-predictions 02_cpu_bound "$SCRATCH/some.json" --partial
echo '{"gil_speedup": "fast"}' >"$SCRATCH/text.json"
expect_exit "an answer that is not a number" 2 "$REPORT" --check-predictions 02_cpu_bound "$SCRATCH/text.json" --partial
expect_exit "a --seed that is not a number" 2 "$REPORT" --sizes 02_cpu_bound --seed x

# A run folder's corrupt predictions.json: the report names it, exit 2.
cp -r "$TOP/tests/fixtures/explain/04-quick" "$SCRATCH/run04"
echo '{"answers": 3}' >"$SCRATCH/run04/predictions.json"
err=$("$REPORT" "$SCRATCH/run04" 2>&1 >/dev/null)
rc=$?
check "a corrupt predictions.json: exit 2 naming the file ($rc)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'predictions.json' <<<'$err'"
# A good one over the fixture: graded, grades.json written, the table first.
echo '{"unbounded_backlog": 800, "unbounded_memory_mib": 1, "bounded_max_backlog": 200}' >"$SCRATCH/a04.json"
"$REPORT" --check-predictions 04_backpressure "$SCRATCH/a04.json" --quick --write "$SCRATCH/run04/predictions.json"
"$REPORT" --quiet "$SCRATCH/run04" >/dev/null
jcheck "the fixture's grades: close, far, close at 25%" "$SCRATCH/run04/grades.json" \
	'[.questions[].grade] == ["close", "far", "close"]' '.questions'

# The same seed, the same sizes; another seed, others; the defaults without one.
a=$("$REPORT" --sizes 04_backpressure --seed 5)
b=$("$REPORT" --sizes 04_backpressure --seed 5)
c=$("$REPORT" --sizes 04_backpressure --seed 6)
check "--seed 5 twice: the same sizes" test "$a" = "$b"
check "--seed 6: other sizes than --seed 5" test "$a" != "$c"
check "no seed: 04's own defaults" grep -q $'^capacity\t200$' <<<"$("$REPORT" --sizes 04_backpressure)"

# trace refuses bad --predict and --seed before running anything (exit 2).
bad() {
	local name=$1
	shift
	expect_exit "trace refuses $name" 2 "$TRACE" "$@" --out "$OUT"
}
bad "--predict FILE with an answer out of range" 02 --quick --predict "$SCRATCH/range.json"
bad "--predict with a missing file" 02 --quick --predict "$SCRATCH/none.json"
bad "--predict without a terminal" 02 --quick --predict </dev/null
bad "--predict with a command" --predict -- true
bad "--seed that is not a number" 02 --seed abc
bad "--seed past its range" 02 --seed 99999999999
bad "--seed with a command" --seed 3 -- true
check "trace: nothing written for bad --predict or --seed" test -z "$(ls -A "$OUT")"

# ---- an interactive --predict through a pty (root) -------------------------
need_root "trace --predict on a terminal"
aq=$("$REPORT" --sizes 04_backpressure --seed 5 --quick)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
log=$SCRATCH/pty.log
# Answers: a word (re-asked), -5 (out of range, re-asked), then one per
# question. The driver answers each prompt as it appears and gives up after
# 240 s (a bounded wait: the run itself takes about 20 s).
"$PY" - "$TRACE" "$OUT" "$log" <<'PYEOF'
import os, pty, sys, time, select
trace, out, log = sys.argv[1:4]
answers = ["fast", "-5", "800", "3", "150"]
pid, fd = pty.fork()
if pid == 0:
    os.execv(trace, [trace, "04_backpressure", "--quick", "--no-perf", "--variants",
                     "unbounded,bounded", "--seed", "5", "--predict", "--out", out])
seen, end = b"", time.time() + 240
with open(log, "wb") as f:
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        f.write(data)
        seen += data
        while b"your answer (" in seen and answers:
            seen = seen.split(b"your answer (", 1)[1]
            os.write(fd, (answers.pop(0) + "\n").encode())
    else:
        os.kill(pid, 9)
        print("# the trace did not end within 240 s")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
PYEOF
rc=$?
check "trace --predict on a pty: exit 0 (exit $rc)" test "$rc" -eq 0
check "a word is re-asked" grep -q "'fast' is not a number" "$log"
check "an answer out of range is re-asked, naming the range" grep -q "unbounded_backlog.*from 0 to" "$log"
run=$(ls -d "$OUT"/04_backpressure/2*/ 2>/dev/null | tail -n1)
run=${run%/}
check "the run folder has predictions.json" test -s "$run/predictions.json"
jcheck "predictions.json: the answers as typed, from the terminal" "$run/predictions.json" \
	'.from == "terminal" and ([.answers[].value] == [800, 3, 150]) and .seed == 5' '.'
jcheck "meta.json: the seed and the sizes --sizes gives for it" "$run/meta.json" \
	".seed == 5 and .sizes == $(printf '%s\n' "$aq" | jq -Rn '[inputs | split("\t") | {(.[0]): (.[1] | tonumber)}] | add' | jq -c .)" '{seed, sizes}'
jcheck "the demo ran at the seed's sizes" "$run/bounded/demo.json" \
	".params.capacity == $(grep capacity <<<"$aq" | cut -f2) and .params.consume_ms == $(grep consume-ms <<<"$aq" | cut -f2)" '.params'
# The model follows the seed: flow in minus flow out over this run's sizes.
want=$(jq '.params | .duration_s * (1000 / .produce_ms - 1000 / .consume_ms)' "$run/unbounded/demo.json")
jcheck "grades.json: the backlog's model from the seed's sizes ($want)" "$run/grades.json" \
	"(.questions[] | select(.id == \"unbounded_backlog\") | .model) == $want" '.questions[0]'
jcheck "grades.json: every question measured and graded" "$run/grades.json" \
	'(.questions | length) == 3 and all(.questions[]; .grade == "close" or .grade == "far")' '.questions'
check "report.md opens with the graded table" bash -c "sed -n 3p '$run/report.md' | grep -q '^## Your predictions'"
check "report.md: one row per question" test "$(grep -c '^| unbounded\|^| bounded' "$run/report.md")" -ge 3
check "report.md says the seed and the sizes it gave" grep -q "Sizes from --seed 5 (--duration 1 " "$run/report.md"

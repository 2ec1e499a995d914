#!/usr/bin/env bash
# The report's pages in a real browser, and the whole-lab commands: reports
# of recorded runs (tests/fixtures/explain/), the index over them
# (report --index, what trace --all writes) and two runs compared (report
# --compare) are opened in headless Chromium (scripts/page-check): no
# console message, every chart drawn at a non-zero size, every folded
# section opens and shows something. Bad input to --compare and --index:
# a message and exit 2. Skips the browser part, saying why, only where
# Chromium is not installed (scripts/setup installs it on Debian).
. "$(dirname "$0")/../lib.sh"
REPORT=$BUILD/bin/report
CHECK=$TOP/scripts/page-check
scratch

runs=()
for f in 02-quick 03-quick 04-quick; do
	cp -r "$TOP/tests/fixtures/explain/$f" "$SCRATCH/$f"
	check "report writes the page of the recorded run $f" \
		bash -c "'$REPORT' --quiet '$SCRATCH/$f' >/dev/null && test -s '$SCRATCH/$f/report.html'"
	runs+=("$SCRATCH/$f")
done
check "report --index writes index.html and index.md" \
	bash -c "'$REPORT' --index '$SCRATCH' ${runs[*]} >/dev/null && test -s '$SCRATCH/index.html' && test -s '$SCRATCH/index.md'"
check "the index has the chapter's Results columns" \
	grep -q '^| Demo | Key result | Why it matters |' "$SCRATCH/index.md"
check "the index links each row to its report" \
	bash -c "grep -q '](02-quick/report.html)' '$SCRATCH/index.md' && grep -q 'href=\"03-quick/report.html\"' '$SCRATCH/index.html'"
# One backlog figure on 04's page: the items left waiting at the end
# (demo.json "backlog", counted after the last sample) in the verdict and
# the lesson chart's caption alike (issue 18: 908 beside "reached 906").
cp -r "$TOP/tests/fixtures/explain/04-quick" "$SCRATCH/04-left"
jq '.backlog = 810 | .max_backlog = 810' "$SCRATCH/04-left/unbounded/demo.json" >"$SCRATCH/demo.json" &&
	mv "$SCRATCH/demo.json" "$SCRATCH/04-left/unbounded/demo.json"
check "04: the verdict and the lesson chart give one backlog left waiting" \
	bash -c "'$REPORT' --quiet '$SCRATCH/04-left' >/dev/null &&
		grep -q 'unbounded: nothing stopped the producer: 810 items were left waiting' '$SCRATCH/04-left/report.md' &&
		grep -q 'unbounded: no limit, 810 items left waiting at the end' '$SCRATCH/04-left/report.md'"
cp -r "$TOP/tests/fixtures/explain/02-quick" "$SCRATCH/02-again"
check "report --compare writes compare.html beside the second run" \
	bash -c "'$REPORT' --compare '$SCRATCH/02-quick' '$SCRATCH/02-again' | grep -q 'about the same time' && test -s '$SCRATCH/02-again/compare.html'"
expect_exit "report --compare refuses two different demos" 2 "$REPORT" --compare "$SCRATCH/02-quick" "$SCRATCH/03-quick"
expect_exit "report --compare refuses one folder" 2 "$REPORT" --compare "$SCRATCH/02-quick"
expect_exit "report --compare refuses a folder that is no run" 2 "$REPORT" --compare "$SCRATCH/02-quick" "$SCRATCH"
expect_exit "report --index refuses no run folder" 2 "$REPORT" --index "$SCRATCH"
expect_exit "report --index refuses a folder that is no run" 2 "$REPORT" --index "$SCRATCH" /nonexistent

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
	skip "pages in a browser" "Chromium is not installed (scripts/setup installs Debian's chromium; none on this system)"
	exit 0
fi
# page_ok PAGE MIN_CHARTS: opens PAGE and judges what the browser found.
page_ok() {
	local page=$1 min=$2 r
	r=$("$CHECK" "$page") || { echo "#   page-check failed on $page"; return 1; }
	LAST=$r
	jq -e --argjson min "$min" \
		'(.console | length) == 0 and .charts >= $min and .charts_zero == 0
		 and .folds_open == .folds and .folds_empty == 0 and .height > 0' <<<"$r" >/dev/null ||
		{ echo "#   $r"; return 1; }
}
for f in 02-quick 03-quick 04-quick; do
	check "browser: $f/report.html: no console message, every chart drawn, folds open" \
		page_ok "$SCRATCH/$f/report.html" 2
	[ "$f" = 02-quick ] && first=${LAST:-'{}'}
done
check "browser: 02's page folds its reference material (at least 6 sections)" \
	jq -e '.folds >= 6 and .height_open > .height' <<<"$first" >/dev/null
check "browser: index.html: no console message, folds open" page_ok "$SCRATCH/index.html" 0
check "browser: compare.html: no console message" page_ok "$SCRATCH/02-again/compare.html" 0

#!/usr/bin/env bash
# The report's stages include only the stages before them (lib, load, derive,
# explain, draw, page, demos, the program): scripts/report-layers finds no
# back edge in this checkout, and does find one planted in a copy (a loader
# that includes a drawer's header, a derived figure that includes the
# page's), so the check can fail.
. "$(dirname "$0")/../lib.sh"
LAYERS=$TOP/scripts/report-layers
scratch

check "no back edge in the #include graph of reports/ and lib/" "$LAYERS" "$TOP"

# copy_tree DIR: the sources of lib/ and reports/ into DIR.
copy_tree() {
	mkdir -p "$1"
	(cd "$TOP" && tar cf - lib reports) | tar xf - -C "$1"
}
copy_tree "$SCRATCH/load-draws"
printf '#include "timeline_svg.h"\n' >>"$SCRATCH/load-draws/reports/load/runset.c"
out=$("$LAYERS" "$SCRATCH/load-draws")
rc=$?
check "a loader including a drawer's header is a back edge (exit 1)" test "$rc" -eq 1
check "the back edge is named: the file, the header, the stages" \
	grep -q 'reports/load/runset.c: includes reports/draw/timeline_svg.h (draw after load)' <<<"$out"

copy_tree "$SCRATCH/derive-pages"
printf '#include "report.h"\n' >>"$SCRATCH/derive-pages/reports/derive/figures.h"
"$LAYERS" "$SCRATCH/derive-pages" >/dev/null
check "a derived figure including the page's header is a back edge (exit 1)" test $? -eq 1

copy_tree "$SCRATCH/lib-up"
printf '#include "runset.h"\n' >>"$SCRATCH/lib-up/lib/hist.h"
"$LAYERS" "$SCRATCH/lib-up" >/dev/null
check "lib/ including a report stage is a back edge (exit 1)" test $? -eq 1

expect_exit "a folder without the report's stages: exit 2" 2 "$LAYERS" "$SCRATCH/nothing-here"

#!/usr/bin/env bash
# gil_layouts.sh CC OUT INCLUDE_DIR...: build/gen/gil_layouts.h, one struct
# gil_layout initializer per installed CPython whose internal headers are
# there (INCLUDE_DIR/internal/pycore_runtime.h), computed by compiling
# gil_layout.c against them. A header set that does not compile (a CPython
# before 3.11) is skipped with a message; no header set at all gives an
# empty table, and the report then says it cannot name the GIL.
set -u
cc=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(dirname "$out")
mkdir -p "$dir" || exit 1
: >"$out.tmp" || exit 1
declare -A seen
for inc in "$@"; do
	inc=$(realpath -q "$inc") || continue
	[ -n "${seen[$inc]:-}" ] && continue
	seen[$inc]=1
	[ -r "$inc/internal/pycore_runtime.h" ] || continue
	bin=$dir/gil_layout_$(echo "$inc" | tr -c 'A-Za-z0-9\n' _)
	if ! "$cc" -I"$inc" -o "$bin" "$here/gil_layout.c" 2>"$bin.err"; then
		echo "gil_layouts: skipping $inc: $(grep -m1 error "$bin.err")" >&2
		continue
	fi
	"$bin" "$inc" >>"$out.tmp" || exit 1
done
mv -f "$out.tmp" "$out"

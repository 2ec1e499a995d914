#!/usr/bin/env bash
# The recorded runs (recorded/, issue 20): run folders of this project's own
# runs, for students who cannot trace (no root, no BTF, a Mac). Each records
# its host, stays small, and build/bin/report rebuilds its report without
# root: as root, the suite runs the report as nobody on a copy nobody can
# write to (its own scratch), else as the user running it. A recorded bug
# hunt's report still names its fault (the evidence its catalogue row
# expects), so the generic explainer is tested on real traces without root.
. "$(dirname "$0")/../lib.sh"
REPORT=$BUILD/bin/report
scratch
chmod 755 "$SCRATCH"
MAX_KIB=3072 # the recorded runs together, in KiB
# Each recorded hunt's key sentence (tests/integration/hunts.sh has them whole).
declare -A KEY=([hunt_a]='on the mutex journal_lock in hunt_a .*held by request-[0-9]+ .*was sleeping'
	[hunt_b]='waits for events in epoll_wait( \([0-9]+ calls\))?, an event loop, yet it spent .* blocked outside it, longest in clock_nanosleep'
	[hunt_c]='^One thread did the work: worker-1'
	[hunt_d]='^Memory grew: reader .* before uploader')

as_student() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	else
		"$@"
	fi
}
who=$([ "$(id -u)" -eq 0 ] && echo nobody || id -un)
kib=$(du -sk "$TOP/recorded" | cut -f1)
check "the recorded runs are small: $kib KiB (at most $MAX_KIB)" test "$kib" -le "$MAX_KIB"
check "no report or chart is kept in git beside them" \
	bash -c "! git -C '$TOP' ls-files recorded | grep -qE '/(report\.(md|html)|charts/|compare\.|grades\.json)'"
n=0
for m in "$TOP"/recorded/*/meta.json; do
	src=${m%/meta.json} name=${m%/meta.json}
	name=${name##*/}
	n=$((n + 1))
	jcheck "$name: its host is recorded (CPUs, model, kernel, name)" "$m" \
		'.host.cpus >= 1 and (.host.cpu_model | length) > 0 and (.host.kernel | length) > 0 and (.host.hostname | length) > 0'
	d=$SCRATCH/$name
	cp -r "$src" "$d"
	chmod -R a+rwX "$d"
	out=$(as_student "$REPORT" --quiet "$d" 2>&1)
	check "$name: report rebuilds it as $who (without root)" test $? -eq 0 -a -s "$d/report.html" -a -s "$d/report.md"
	[ -s "$d/report.md" ] || echo "#   $out" | head -3
	# a bug hunt: the report's own sentence that gives its fault away
	ev=${KEY[$name]:-}
	if [ -n "$ev" ]; then
		check "$name: its report names the fault: '$ev'" \
			bash -c "sed -n 's/\\\\//g; s/^- //p' '$d/report.md' | grep -qE -- '$ev'"
	fi
done
check "there are recorded runs ($n)" test "$n" -ge 3

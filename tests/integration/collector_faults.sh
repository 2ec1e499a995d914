#!/usr/bin/env bash
# Page faults per thread: the collector reads each thread's own counters
# (task->min_flt, maj_flt) at its final switch-out; they must agree with what
# the thread itself read with getrusage(RUSAGE_THREAD) just before it ended
# (demo.json rusage), give or take the faults of its last steps (returning,
# exiting: a few pages). 07_costs's cow variant is the workload: a child
# writing a 16 MiB buffer after fork takes one copy-on-write fault per page
# (4096), a child reading it takes almost none.
. "$(dirname "$0")/../lib.sh"
need_root "page faults per thread"
. "$(dirname "$0")/collector.lib"
need_collector "page faults per thread"
# Faults a thread may take after reading its own rusage: thread_end returns,
# the thread or the process exits (stdio flush, exit handlers, its stack).
AFTER=${AFTER:-64}

D=$TMPD/faults
mkdir -p "$D" && chmod 777 "$D"
trace "$D" -- "$DEMOS/07_costs" --variant cow --cow-mib 16 --json "$D/demo.json" >"$D/out.txt" 2>&1
check "schedtrace over 07_costs --variant cow: exit 0" test $? -eq 0
S=$D/sched.json J=$D/demo.json
check "sched.json and demo.json written" test -s "$S" -a -s "$J"
[ -s "$S" ] && [ -s "$J" ] || exit 0

jcheck "every ended thread has minflt and majflt" "$S" \
	'[.threads[] | select(.kernel) | (.minflt | type) == "number" and (.majflt | type) == "number"] | all and length > 0' \
	'[.threads[] | {tid, comm, minflt, majflt, kernel: (.kernel != null)}]'
# Per demo thread: the collector's count against the thread's own getrusage.
faults() {
	jq -n --slurpfile s "$S" --slurpfile d "$J" --argjson after "$AFTER" '
		[$d[0].threads[] as $t | ($s[0].threads[] | select(.tid == $t.tid)) as $k
		 | {name: $t.name, demo: $t.rusage.minflt, kernel: $k.minflt,
		    ok: ($k.minflt >= $t.rusage.minflt and $k.minflt <= $t.rusage.minflt + $after
		         and $k.majflt >= $t.rusage.majflt)}]'
}
F=$(faults)
agree() { jq -e 'length >= 4 and all(.ok)' <<<"$F" >/dev/null; }
check "every demo thread's page faults: collector >= its getrusage, at most $AFTER more" agree
jq -c '.[]' <<<"$F" | sed 's/^/#   /'
pages=$(jq '.costs[] | select(.name == "write") | .pages' "$J")
jcheck "cow-write: one copy-on-write fault per page ($pages pages), counted by the kernel" "$S" \
	"[.threads[] | select(.comm == \"cow-write\") | .minflt >= $pages] | any" \
	'[.threads[] | select(.comm | startswith("cow")) | {comm, minflt, majflt}]'
jcheck "cow-read: under a tenth of the writer's faults (reading copies nothing)" "$S" \
	"([.threads[] | select(.comm == \"cow-read\") | .minflt][0]) < ([.threads[] | select(.comm == \"cow-write\") | .minflt][0]) / 10"

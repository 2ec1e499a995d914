#!/usr/bin/env bash
# Who woke whom (issue 16): 02_cpu_bound's threads-gil variant, traced. Only
# another thread's unlock or signal can end a wait on the GIL's untimed
# futex words (its mutex, switch mutex, switch cond): every such wait must
# be credited to a thread of the traced program. The wakeups that went
# through the wake list (the waker's sched_waking while the wakee was still
# on its CPU, sched_wakeup later on that CPU over the idle task or another
# task) are the ones the collector once credited to "the idle CPU"; the
# runs are repeated until one shows such wakeups, so the test sees the
# phenomenon present and each of them named right.
# suite-timeout: 900
. "$(dirname "$0")/../lib.sh"
need_root wakers
. "$(dirname "$0")/collector.lib"
need_collector wakers

TRIES=${WAKERS_TRIES:-4}
# The demo's names for its futex words (demo.json locks[]), by role.
words() { jq -c --arg re "$2" '[.. | objects | select(has("locks")) | .locks[] | select(.name | test($re)) | .addr] | unique' "$1"; }
# The edges ending waits on the words of $w.
EDGES='[.wakes[] | select(.wait.futex as $f | $w | index($f) != null)]'

early_total=0
for ((i = 1; i <= TRIES; i++)); do
	d=$TMPD/gil$i
	mkdir -p "$d" && chmod 777 "$d"
	trace "$d" -- "$DEMOS/02_cpu_bound" --variant threads-gil --json "$d/demo.json" >/dev/null 2>&1
	rc=$?
	S=$d/sched.json
	if [ "$rc" -ne 0 ] || [ ! -s "$S" ] || [ ! -s "$d/demo.json" ]; then
		not_ok "02 threads-gil ran under the collector (attempt $i: exit $rc)"
		exit 1
	fi
	untimed=$(words "$d/demo.json" '^GIL (mutex|switch mutex|switch cond)$')
	timed=$(words "$d/demo.json" '^GIL cond$')
	# Never retried: a wrong ender is a bug, however busy the host. A waker
	# whose sched_waking went unseen is "unknown" (docs/collector.md, "Who woke
	# whom"): at most one per missed switch-in and 1% of the waits, as the
	# report's ender row allows.
	jcheck "run $i: every wait on the GIL's untimed words was ended by a thread of its own process (beyond program misses)" "$S" \
		"$untimed as \$w | $EDGES as \$e | (\$e | length) >= 1 and
		 ([\$e[] | select(.waker.kind != \"thread\" and .waker.kind != \"unknown\" or .waker.kind == \"thread\" and .waker.pid != .wakee.pid) | .count] | add // 0) <= .lost.prog_misses and
		 ([\$e[] | select(.waker.kind == \"unknown\") | .count] | add // 0) <= .lost.switch_in_missed + (([\$e[].count] | add) / 100 | floor)" \
		"$untimed as \$w | {wrong: [$EDGES[] | select(.waker.kind != \"thread\" or .waker.pid != .wakee.pid) | {wakee: .wakee.comm, waker, count, woken_before_switch_out, futex: .wait.futex}], lost}"
	jcheck "run $i: the collector saw those waits asked for without a timeout, and the GIL cond's with one" "$S" \
		"$untimed as \$w | $timed as \$t | ($EDGES | length >= 1 and all(.wait.futex_timeout == false and .wait.futex_private and (.wait.futex_op | startswith(\"FUTEX_WAIT\"))))
		 and ([.wakes[] | select(.wait.futex as \$f | \$t | index(\$f) != null)] | length >= 1 and all(.wait.futex_timeout))" \
		"[.wakes[] | select(.wait.futex != null) | {futex: .wait.futex, op: .wait.futex_op, timeout: .wait.futex_timeout, private: .wait.futex_private, count}]"
	jcheck "run $i: every untimed futex wait of the run was ended by a thread (beyond program misses)" "$S" \
		'([.wakes[] | select(.wait.futex != null and .wait.futex_timeout == false and .waker.kind != "thread" and .waker.kind != "unknown") | .count] | add // 0) <= .lost.prog_misses and
		 ([.wakes[] | select(.wait.futex != null and .waker.kind == "unknown") | .count] | add // 0) <=
		   .lost.switch_in_missed + (([.wakes[] | select(.wait.futex != null and .wait.futex_timeout == false) | .count] | add // 0) / 100 | floor)' \
		'{wrong: [.wakes[] | select(.wait.futex != null and .wait.futex_timeout == false and .waker.kind != "thread")], lost}'
	early=$(jq --argjson w "$untimed" "$EDGES | map(.woken_before_switch_out) | add // 0" "$S")
	echo "# run $i: $early of the untimed GIL waits were woken before the wakee's switch-out; its threads waited $(runq_ms "$d/demo.json") ms in run queues"
	early_total=$((early_total + early))
	[ "$early" -gt 0 ] && break
done
# The phenomenon present: wakeups whose sched_wakeup reached the wakee after
# its switch-out. A host busy enough never lets the wakee's CPU go idle, and
# then the wake list is not used (ttwu_queue_cond): a skip naming that.
if [ "$early_total" -gt 0 ]; then
	ok "some untimed GIL waits were woken before the wakee's switch-out (named by sched_waking)"
else
	skip "a wakeup that reached its wakee after its switch-out" \
		"none in $TRIES runs: the wakee's CPU never went idle (a busy host), so the wake list was not used"
fi

# The same check in the report: scripts/trace writes the cross-check row
# "every wait ended by something that can end it", PASS on this run (its
# figures are printed when it is not).
out=$TMPD/trace
SUDO_UID=$RUN_UID SUDO_GID=$RUN_GID timeout -k 10 "$TRACE_TIMEOUT" "$TOP/scripts/trace" 02 --quick \
	--variants threads-gil --no-perf --out "$out" >"$TMPD/trace.log" 2>&1
rc=$?
md=$(ls "$out"/02_cpu_bound/*/report.md 2>/dev/null | head -1)
if [ "$rc" -ne 0 ] || [ -z "$md" ]; then
	not_ok "trace 02 --quick threads-gil wrote a report (exit $rc): $(tail -3 "$TMPD/trace.log" | paste -sd' ')"
else
	check "the report's cross-checks have the ender row, PASS" \
		grep -q '^| every wait ended by something that can end it | PASS |$' "$md"
	grep 'every wait ended by something that can end it' "$md" | grep -v '^|' | sed 's/^/#   /'
fi

# Loopback: with --syscalls, the network softirq that wakes a thread ran
# inside the sender's send (the kernel runs it as the send ends), so the
# wake names that sender as the softirq's host: the delay server for each
# worker's answer, a worker for the server's request. Under tp_btf a live
# thread's account is in task storage, not the ended threads' hash.
d=$TMPD/loopback
mkdir -p "$d" && chmod 777 "$d"
if trace "$d" --syscalls -- "$DEMOS/05_thread_overhead" --variant threads-4 --quick >/dev/null 2>&1; then
	jcheck "loopback: net_rx wakes of the workers name the server's send as their host" "$d/sched.json" \
		'[.wakes[] | select(.waker.kind == "softirq" and .waker.softirq == "net_rx" and (.wakee.comm | test("^worker")))]
		 | length > 0 and ([.[] | select(.waker.in_thread.comm == "server") | .count] | add // 0)
		   >= 0.9 * ([.[].count] | add)' \
		'[.wakes[] | select(.waker.kind == "softirq") | {softirq: .waker.softirq, in_thread: .waker.in_thread.comm, wakee: .wakee.comm, count}]'
	jcheck "loopback: net_rx wakes of the server name a worker's send" "$d/sched.json" \
		'[.wakes[] | select(.waker.kind == "softirq" and .waker.softirq == "net_rx" and .wakee.comm == "server")]
		 | length > 0 and ([.[] | select((.waker.in_thread.comm // "") | test("^worker")) | .count] | add // 0)
		   >= 0.9 * ([.[].count] | add)'
else
	not_ok "loopback: schedtrace --syscalls over 05 threads-4 failed"
fi

#!/usr/bin/env bash
# Why threads waited (issue 9): tests/workloads/causes, a program whose every
# wait has a known cause, traced; every wait named and every waker right.
# Then the same on programs not written for this: stress-ng's futex and pipe
# stressors and a multithreaded Python script.
. "$(dirname "$0")/../lib.sh"
need_root causes
. "$(dirname "$0")/collector.lib"
need_collector causes
need_workload W causes

d=$TMPD/causes
trace "$d" --timeline -- "$W" >/dev/null 2>&1
check "the workload ran under the collector" test $? -eq 0
S=$d/sched.json
jqe() { jq -e "$@" >/dev/null; }
tid_of() { jq -r --arg c "$1" '.threads[] | select(.comm == $c) | .tid' "$S"; }
main=$(jq .pid "$S") holder=$(tid_of holder) sleeper=$(tid_of sleeper) locker=$(tid_of locker)

# Named waits.
g=$(jq -r '.futex[] | select(.symbol == "g_lock") | .addr' "$S")
check "the global lock is named g_lock, in the program's file" \
	jqe --arg w "$W" '.futex[] | select(.symbol == "g_lock") | .symbol_offset == 0 and (.object | endswith("/causes"))' "$S"
# main waits only for the threads still running when it joins them.
check "main's join waits are on its threads' clear_child_tid words" \
	jqe --argjson m "$main" '[.threads[] | select(.tid != $m) | .tid] as $ts
	    | [.futex[] | select(.join_tid != null)] | length >= 1 and all(.join_tid as $j | $ts | index($j) != null)' "$S"
check "the heap mutex has no symbol and is no join" \
	jqe '[.futex[] | select(.symbol == null and .join_tid == null and .count >= 2)] | length >= 1' "$S"
m=$(jq -r '.futex[] | select(.symbol == null and .join_tid == null) | .addr' "$S" | head -1)

# Wakers.
check "locker's wait on g_lock was ended by sleeper (the holder)" \
	jqe --arg a "$g" --argjson t "$locker" --argjson s "$sleeper" \
	'[.wakes[] | select(.wakee.tid == $t and .wait.futex == $a)] | length == 1 and all(.waker.kind == "thread" and .waker.tid == $s)' "$S"
check "each wait on the heap mutex was ended by a thread that had held it, never by itself" \
	jqe --arg a "$m" --argjson h "$holder" \
	'[.wakes[] | select(.wait.futex == $a)] | length >= 1 and all(.waker.kind == "thread" and .waker.tid != .wakee.tid and (.waker.comm | test("^(holder|waiter-[12])$")))
	 and any(.waker.tid == $h)' "$S"
check "each of main's joins was ended by the exit of the thread joined" \
	jqe --argjson m "$main" '
		(.futex | map(select(.join_tid != null) | {key: .addr, value: .join_tid}) | from_entries) as $j
		| [.wakes[] | select(.wakee.tid == $m and .wait.state == "lock")]
		| length >= 1 and all(.waker.kind == "thread" and .waker.tid == $j[.wait.futex])' "$S"
# Six threads sleep (main twice, the others once each): six edges, less one
# per wakeup the kernel did not report (lost.wakeup_missed), which ends its
# sleep with no edge (see below); every edge there is must be a timer's.
jcheck "every sleep was ended by a timer (hard irq or timer softirq)" "$S" \
	'[.wakes[] | select(.wait.state == "sleep")] as $e
	 | ($e | length) >= 1 and ($e | length) + .lost.wakeup_missed >= 6 and
	   ($e | all(.waker.kind == "hardirq" or (.waker.kind == "softirq" and (.waker.softirq == "timer" or .waker.softirq == "hrtimer"))))' \
	'{sleeps: [.wakes[] | select(.wait.state == "sleep") | {wakee: .wakee.comm, waker, count}], lost}'
# A wakeup the kernel did not report (lost.wakeup_missed) ends a wait with no edge.
check "the waits' blocked time sums to the threads' blocked time (within 1%, or less when a wakeup was missed)" \
	jqe '([.wakes[].blocked_ns] | add) as $w
	       | ([.threads[] | .lock_ns + .sleep_ns + .io_ns + .other_ns + .disk_ns] | add) as $t
	       | if .lost.wakeup_missed == 0 then ($w - $t | fabs) <= 0.01 * $t else $w <= $t * 1.01 end' "$S"

# Who held the lock (futex[].holders): the owner read from each mutex at the
# wait, and what it did meanwhile; no holder claimed on a word that is no mutex.
check "waiter-1's and waiter-2's waits on the heap mutex name holder as its owner, sleeping meanwhile" \
	jqe --argjson h "$holder" --arg a "$m" \
	'[.futex[] | select(.addr == $a) | .holders[]] as $hs
	 | ($hs | length) >= 1 and ($hs | any(.owner.tid == $h))
	   and ($hs | all(.owner.comm | test("^(holder|waiter-[12])$")))
	   and ($hs | map(select(.owner.tid == $h)) | all(.owner_ns.sleep >= 0.5 * ([.owner_ns[]] | add)))' "$S"
check "locker's wait on g_lock names sleeper as its owner, sleeping meanwhile" \
	jqe --arg a "$g" --argjson s "$sleeper" --argjson l "$locker" \
	'[.futex[] | select(.addr == $a) | .holders[]] | length == 1 and all(.owner.tid == $s and .waiter.tid == $l and .waits == 1 and .owner_ns.sleep >= 0.5 * .blocked_ns)' "$S"
check "no holder is claimed on a join word (a thread's exit is no mutex)" \
	jqe '[.futex[] | select(.join_tid != null)] | length >= 1 and all(.holders == [])' "$S"
check "an owner is always another thread of the waiter's process" \
	jqe '.pid as $p | [.threads[] | select(.pid == $p) | .tid] as $ts
	     | [.futex[].holders[]] | all(.owner.tid != .waiter.tid and (.owner.tid as $o | $ts | index($o) != null))' "$S"

# The command's window: nothing before its exec.
check "the window opens at the exec, after the probes attached" jqe '.start_ns > .attach_ns' "$S"
check "main's account starts at the window" jqe --argjson m "$main" '.start_ns as $s | .threads[] | select(.tid == $m) | .first_ns == $s' "$S"
# (Read from the waits, not the syscall table: the collector's default times no syscalls.)
check "no wait at the gate on main (no read blocked over 1 ms)" \
	jqe --argjson m "$main" '[.wakes[] | select(.wakee.tid == $m and .wait.syscall == "read" and .max_ns > 1000000)] | length == 0' "$S"

# The critical path: holder's 300 ms sleep under the lock sets the wall.
# The window ends at the command's last thread's final switch-out, where the
# walk starts (docs/collector.md, "The window's end"): the path covers it.
PATH_COVERS='.critical_path | .covered_ns >= 0.9 * (.end_ns - .start_ns)'
check "the critical path covers the window (at least 90%)" \
	jqe "$PATH_COVERS" "$S"
check "the critical path is mostly holder sleeping with the lock (>= 70%)" \
	jqe --argjson h "$holder" '.critical_path | ([.by[] | select(.tid == $h and .state == "sleep") | .ns] | add) >= 0.7 * .covered_ns' "$S"
check "main's joins are off the path (< 10%)" \
	jqe --argjson m "$main" '.critical_path | ([.by[] | select(.tid == $m and .state == "lock") | .ns] | add // 0) < 0.1 * .covered_ns' "$S"
check "timeline.json starts at the window: no slice before ts 0" \
	jqe '[.traceEvents[] | select(.ph == "X" and .ts < 0)] | length == 0' "$d/timeline.json"

# Who woke whom in Perfetto: WAKE_FLOWS (lib.sh).
check "timeline.json: each wake flow starts inside a slice of its waker and ends at the woken thread's slice" \
	jqe "$WAKE_FLOWS"' | (.flows | length) >= 5 and (.bad | length) == 0' "$d/timeline.json"
check "timeline.json: a flow for each wakeup by a traced thread (or fork)" \
	jqe "$WAKE_FLOWS"' | (.flows | length) == .woken' "$d/timeline.json"
check "timeline.json: a flow from sleeper to locker (the g_lock handoff)" \
	jqe --argjson sl "$sleeper" --argjson lk "$locker" "$WAKE_FLOWS"' | any(.flows[]; .from == $sl and .to == $lk)' "$d/timeline.json"

# Programs not written for this.
if command -v stress-ng >/dev/null; then
	d=$TMPD/sng
	trace "$d" --timeline -- stress-ng --temp-path /tmp --futex 2 --timeout 2s --quiet >/dev/null 2>&1
	# Its futex words live in a shared anonymous mapping: no file, no symbol.
	check "stress-ng --futex: its words are unnamed (shared anonymous memory), not joins" \
		jqe '[.futex[] | select(.count > 10)] | length >= 1 and all(.object == null and .symbol == null and .join_tid == null)' "$d/sched.json"
	check "stress-ng --futex: futex waits ended by its other process (the word is shared)" \
		jqe '[.wakes[] | select(.wait.futex != null and .waker.kind == "thread" and .waker.pid != .wakee.pid)] | length >= 1' "$d/sched.json"
	check "stress-ng --futex: timed-out futex waits ended by the timer" \
		jqe '[.wakes[] | select(.wait.futex != null and .waker.kind == "hardirq")] | length >= 1' "$d/sched.json"
	check "stress-ng --futex: no holder claimed (its words are no glibc mutex)" \
		jqe '[.futex[].holders[]] | length == 0' "$d/sched.json"
	check "stress-ng --futex: a critical path covering the run (>= 90%)" \
		jqe "$PATH_COVERS" "$d/sched.json"
	# Tens of thousands of flows: a switch the kernel did not report is
	# rebuilt (sched.json lost), and a flow beside it may miss its slice by
	# the rebuilt edge. Allowed: one bad flow per rebuilt switch or wakeup,
	# the bad ones printed; a fault in the flows spoils far more.
	rebuilt=$(jq '.lost | .switch_in_missed + .switch_out_missed + .wakeup_missed' "$d/sched.json")
	flows=$(jq -c "$WAKE_FLOWS"' | {n: (.flows | length), bad: (.bad | length), cross: any(.flows[]; .from != .to), ex: .bad[:3]}' "$d/timeline.json")
	echo "# stress-ng --futex flows: $flows; rebuilt switches or wakeups: $rebuilt"
	check "stress-ng --futex: wake flows from one of its tasks to another, each from inside its waker's slice" \
		jqe --argjson r "${rebuilt:-0}" '.cross and .bad <= $r' <<<"$flows"
	d=$TMPD/sngp
	trace "$d" --timeline -- stress-ng --temp-path /tmp --pipe 1 --timeout 2s --quiet >/dev/null 2>&1
	check "stress-ng --pipe: io waits ended by the other end of the pipe" \
		jqe '[.wakes[] | select(.wait.state == "io" and .waker.kind == "thread" and .waker.pid != .wakee.pid)] | length >= 1' "$d/sched.json"
else
	skip "stress-ng programs" "stress-ng is not installed (scripts/setup installs it)"
fi
if command -v python3 >/dev/null; then
	d=$TMPD/py
	cat >"$TMPD/threads.py" <<'PY'
import threading
def spin(n):
    s = 0
    for i in range(n):
        s += i
ts = [threading.Thread(target=spin, args=(3_000_000,)) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
PY
	chmod 644 "$TMPD/threads.py"
	trace "$d" --timeline -- python3 "$TMPD/threads.py" >/dev/null 2>&1
	check "python threads: a futex word named inside _PyRuntime (the GIL) or a join" \
		jqe '[.futex[] | select(.symbol == "_PyRuntime" or .join_tid != null)] | length >= 1' "$d/sched.json"
	check "python threads: GIL waits ended by the other thread" \
		jqe '[.wakes[] | select(.wait.state == "lock" and .waker.kind == "thread" and .waker.tid != .wakee.tid)] | length >= 1' "$d/sched.json"
fi


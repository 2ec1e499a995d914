#!/usr/bin/env bash
# The collector's behaviour (issue 3): exit codes, who the command runs as,
# signals, nothing left attached (kill -9 included), the raw_tp fallback,
# timeline and stacks, what the demos must show, and total switches against
# perf stat on the same run.
. "$(dirname "$0")/../lib.sh"
need_root collector_behaviour
. "$(dirname "$0")/collector.lib"
need_collector collector_behaviour

# --- Usage and errors: each its own exit status, a message on stderr.
check "--help shows examples" sh -c "'$ST' --help | grep -q EXAMPLES"
expect_exit "no command: usage error" 2 "$ST" -o "$TMPD/u"
expect_exit "no -o DIR: usage error" 2 "$ST" -- true
expect_exit "bad --duration: usage error" 2 "$ST" -o "$TMPD/u" --duration abc -- true
expect_exit "unknown --user: usage error" 2 "$ST" -o "$TMPD/u" --user no-such-user-xyz -- true
expect_exit "root without sudo or --user: refused" 2 env -u SUDO_UID -u SUDO_GID "$ST" -o "$TMPD/u" -- true
expect_exit "no privilege: 77" 77 setpriv --reuid 65534 --regid 65534 --clear-groups "$ST" -o "$TMPD/u" -- true
expect_exit "no BTF: 71" 71 env SCHEDTRACE_BTF=/nonexistent/vmlinux SUDO_UID=65534 SUDO_GID=65534 "$ST" -o "$TMPD/u" -- true
expect_exit "no tracefs: 72" 72 env SCHEDTRACE_TRACEFS=/nonexistent SUDO_UID=65534 SUDO_GID=65534 "$ST" -o "$TMPD/u" -- true
expect_exit "DIR unwritable: 73" 73 trace /proc/schedlab-no-such-dir -- true
expect_exit "command not found: 127" 127 trace "$TMPD/nf" -- /nonexistent/command
printf 'not a program\n' >"$TMPD/plain" && chmod 644 "$TMPD/plain"
expect_exit "not executable: 126" 126 trace "$TMPD/nx" -- "$TMPD/plain"
# A command in a folder the user cannot enter (a checkout in root's home,
# mode 700): 126 at once, and the message names the path, the folder and
# the user.
mkdir -p "$TMPD/private/bin" && cp "$(type -P true)" "$TMPD/private/bin/cmd" && chmod 700 "$TMPD/private"
t0=$SECONDS
err=$(trace "$TMPD/priv" -- "$TMPD/private/bin/cmd" 2>&1 >/dev/null)
rc=$?
check "command the user cannot reach: 126 within 30 s (exit $rc in $((SECONDS - t0)) s)" \
	test "$rc" -eq 126 -a $((SECONDS - t0)) -le 30
check "... the message names the command, the folder and the user" \
	grep -qF "cannot run $TMPD/private/bin/cmd as $(id -nu "$RUN_UID") (uid $RUN_UID): that user cannot enter $TMPD/private (mode 700" <<<"$err"
[ $? -eq 0 ] || echo "#   stderr: $err"
# The gate held by a test never writing its pid (it could not start): the
# test's own wait for it gives up as soon as the collector has exited.
mkfifo -m 666 "$TMPD/nopid.fifo"
trace "$TMPD/nogate" -- "$TMPD/private/bin/cmd" "$TMPD/nopid.fifo" >/dev/null 2>&1 &
st_pid=$!
t0=$SECONDS
fifo_line gpid "$TMPD/nopid.fifo" 60 $st_pid
check "a gated command that cannot start: the wait for its pid ends with the collector (in $((SECONDS - t0)) s)" \
	test $((SECONDS - t0)) -le 30
wait_job $st_pid 10

# --- Who runs the command, and its exit status.
out=$(trace "$TMPD/id" -- sh -c 'id -u; id -g; id -G' 2>/dev/null | tr '\n' ' ')
check "the command runs as SUDO_UID/SUDO_GID, supplementary groups dropped ($out)" \
	test "$out" = "$RUN_UID $RUN_GID $RUN_GID "
check "sched.json records the identity" \
	test "$(jq -r '"\(.uid) \(.gid)"' "$TMPD/id/sched.json")" = "$RUN_UID $RUN_GID"
check "result files belong to the invoker" test "$(stat -c %u "$TMPD/id/sched.json")" = "$RUN_UID"
out=$(env -u SUDO_UID -u SUDO_GID "$ST" -o "$TMPD/nobody" --user nobody -- id -un 2>/dev/null)
check "--user nobody runs it as nobody, without sudo" test "$out" = nobody
out=$("$ST" -o "$TMPD/root" --user root -- id -u 2>/dev/null)
check "--user root runs it as root, asked explicitly" test "$out" = 0
trace "$TMPD/st" -- sh -c 'exit 7' 2>/dev/null
check "exit status is the command's (7)" test $? -eq 7
trace "$TMPD/sig" -- sh -c 'kill -KILL $$' 2>/dev/null
check "killed command: 128+signal (137)" test $? -eq 137

# --- Nothing stays attached. Our programs are those whose ids the
# collector's own descriptors name (/proc/PID/fdinfo "prog_id:"): other
# tools may load programs on this machine at the same time.
prog_ids() { grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -u; }
# still_loaded IDS...: how many of these program ids bpftool still lists.
still_loaded() {
	bpftool -j prog show 2>/dev/null | jq --arg ids "$*" '($ids | split(" ") | map(select(. != "") | tonumber)) as $w
		| [.[] | select(.id as $i | $w | index($i))] | length'
}
# run_and_catch DIR SECONDS: starts the collector on `sleep SECONDS` in the
# background (the binary itself: a shell function would put a subshell
# between), sets $pid and $ids once its programs are loaded and the command
# released (up to 30 s on a busy host).
caught() {
	ids=$(prog_ids $pid | tr '\n' ' ')
	[ "$(wc -w <<<"$ids")" -ge 8 ] && [ -e "$1/sched.json" ] && [ "$(pgrep -P $pid -x sleep)" ]
}
caught_or_gone() { caught "$1" || ! kill -0 $pid 2>/dev/null; }
run_and_catch() {
	SUDO_UID=$RUN_UID SUDO_GID=$RUN_GID "$ST" -o "$1" -- sleep "$2" 2>/dev/null &
	pid=$!
	ids=
	wait_for 30 caught_or_gone "$1" || echo "# the collector on sleep $2 was not running in 30 s"
}

# --- Signals: forwarded, data written, marked partial.
run_and_catch "$TMPD/int" 30
kill -INT $pid
t0=$SECONDS
wait_job $pid 60
rc=$?
check "SIGINT is forwarded: the command ends at once (exit $rc in $((SECONDS - t0)) s)" test $rc -eq 130 -a $((SECONDS - t0)) -le 5
check "interrupted run: sched.json written, partial" \
	test "$(jq -r '"\(.partial) \(.threads | length)"' "$TMPD/int/sched.json")" = "true 1"
run_and_catch "$TMPD/term" 30
kill -TERM $pid
wait_job $pid 60
rc=$?
check "SIGTERM is forwarded too (exit $rc), the run marked partial" \
	test $rc -eq 143 -a "$(jq .partial "$TMPD/term/sched.json")" = true
trace "$TMPD/dur" --duration 0.5 -- sleep 30 2>/dev/null
rc=$?
check "--duration stops the command (SIGTERM, exit $rc) and marks it partial" \
	test $rc -eq 143 -a "$(jq .partial "$TMPD/dur/sched.json")" = true

# --- Nothing stays attached.
gone_within() { # gone_within SECONDS IDS...
	local t=$1
	shift
	for _ in $(seq $((t * 10))); do
		[ "$(still_loaded "$@")" -eq 0 ] && return 0
		sleep 0.1
	done
	return 1
}
run_and_catch "$TMPD/run" 2
wait_job $pid 60
check "after a run, bpftool prog show lists none of its $(wc -w <<<"$ids") programs" gone_within 5 $ids
run_and_catch "$TMPD/k9" 30
child=$(pgrep -P $pid)
kill -KILL $pid
wait_job $pid 10 2>/dev/null
check "kill -9 of the collector: its $(wc -w <<<"$ids") programs are gone" gone_within 5 $ids
# dead: gone, or a zombie waiting for init to reap it
dead() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -z "$st" ] || [ "$st" = Z ] # gone (even between two reads), or a zombie
}
sleep 0.3
child_died() { [ -n "$child" ] && dead "$child"; }
check "kill -9 of the collector: the command dies with it (PR_SET_PDEATHSIG)" child_died

# --- The raw_tp fallback gives the same account.
dir=$TMPD/raw
if trace "$dir" --raw-tp -- "$DEMOS/02_cpu_bound" --variant threads-gil --quick --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	check "--raw-tp loads the raw_tp programs" test "$(jq -r .attach "$dir/sched.json")" = raw_tp
	compare_threads "$dir/sched.json" "$dir/demo.json" "raw_tp 02 threads-gil"
else
	not_ok "--raw-tp: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi

# --- The default: no program on the syscall tracepoints, no syscall table,
# and still the same account: the GIL's waits are lock waits on named futex
# words (read from the blocked thread's registers), a sleep is sleep.
# sched.json's "programs" lists what the collector loaded.
dir=$TMPD/nosys
if trace "$dir" -- "$DEMOS/02_cpu_bound" --variant threads-gil --quick --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	f=$dir/sched.json
	check "default: sched.json says syscalls_traced false" test "$(jq .syscalls_traced "$f")" = false
	check "default: no sys_enter or sys_exit program was loaded" \
		test "$(jq '[.programs[].name | select(test("sys_(enter|exit)"))] | length' "$f")" = 0
	check "default: the scheduler's programs were loaded" \
		test "$(jq '[.programs[].name | select(test("switch"))] | length' "$f")" -ge 1
	check "default: no thread has a syscall table" \
		test "$(jq '[.threads[].syscalls | length] | add' "$f")" = 0
	compare_threads "$f" "$dir/demo.json" "default 02 threads-gil"
	jcheck "default: each worker waited on the GIL as lock" "$f" \
		'[.threads[] | select(.comm | startswith("worker")) | .lock_ns > 0] | (length == 2 and all)' \
		'[.threads[] | {comm, lock_ns, sleep_ns, other_ns}]'
	jcheck "default: the lock waits are futex waits on words, with their time" "$f" \
		'([.wakes[] | select(.wait.state == "lock") | .wait.syscall == "futex" and .wait.futex != null] | (length > 0 and all))
		 and ([.futex[] | .count > 0 and .total_ns > 0] | (length > 0 and all))' \
		'{wakes: [.wakes[] | .wait] | unique, futex: .futex[:3]}'
else
	not_ok "default: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi
dir=$TMPD/nosys-loop
if trace "$dir" -- "$DEMOS/03_event_loop" --variant blocking --tasks 10 --wait 0.05 --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	check "default 03 blocking: the loop thread's sleep_ns = tasks x wait (0.5 s)" \
		near "$(jq '[.threads[] | select(.comm == "loop") | .sleep_ns] | add' "$dir/sched.json")" 500000000 0.05 20000000
else
	not_ok "default 03 blocking: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi
# --syscalls: both syscall programs loaded, and the table is there.
dir=$TMPD/sys
if trace "$dir" --syscalls -- "$DEMOS/01_io_wait" --variant serial --io sleep --tasks 50 --wait 0.005 --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	f=$dir/sched.json
	check "--syscalls: sched.json says syscalls_traced true" test "$(jq .syscalls_traced "$f")" = true
	check "--syscalls: a sys_enter and a sys_exit program were loaded" \
		test "$(jq '[.programs[].name | select(test("sys_(enter|exit)"))] | length' "$f")" = 2
	n=$(jq '[.threads[] | select(.pid == .tid) | .syscalls[] | select(.name | test("nanosleep")) | .count] | add' "$f")
	check "--syscalls 01 serial --io sleep: exactly 50 sleep calls by the worker ($n)" test "$n" = 50
else
	not_ok "--syscalls: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi
# The kernel's own account while the collector runs: the programs its file
# descriptors hold (fdinfo's prog_id, named by bpftool), not its report. The
# ids are read in one pass first: one bpftool call per descriptor took seconds
# on a loaded host, and the collector could end (and detach) midway.
loaded_names() {
	local ids
	ids=$(awk '$1 == "prog_id:" { print $2 }' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un | paste -sd, -)
	[ -n "$ids" ] || return 0
	bpftool -j prog show 2>/dev/null |
		jq -r --argjson ids "[$ids]" '.[] | select(.id as $i | $ids | index($i)) | .name' |
		sort -u | tr '\n' ' '
}
# DIR ARGS...: the names once the command runs (all attached). The command
# sleeps until the names are read, then is ended: a fixed sleep could end
# first on a busy host.
loaded_while_running() {
	local dir=$1 pid st='' names='' i
	shift
	trace "$dir" "$@" -- sleep 60 >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[ -n "$st" ] || st=$(pgrep -f "^$ST -o $dir " | head -n1)
		if [ -n "$st" ] && pgrep -P "$st" -x sleep >/dev/null; then
			names=$(loaded_names "$st")
			pkill -P "$st" -x sleep
			break
		fi
		sleep 0.05
	done
	[ -z "$st" ] || pkill -P "$st" -x sleep
	wait_job "$pid" 20
	echo "$names"
}
names=$(loaded_while_running "$TMPD/bpftool-default")
check "bpftool: the default loads the switch program and no sys_enter/sys_exit ($names)" \
	eval '[[ $names == *sched_switch* && $names != *sys_enter* && $names != *sys_exit* ]]'
names=$(loaded_while_running "$TMPD/bpftool-sys" --syscalls)
check "bpftool: --syscalls loads sys_enter and sys_exit ($names)" \
	eval '[[ $names == *sys_enter* && $names == *sys_exit* ]]'
# --no-syscalls, the old way to ask for today's default, is still accepted.
dir=$TMPD/nosys-alias
if trace "$dir" --no-syscalls -- true >/dev/null 2>"$TMPD/err"; then
	check "--no-syscalls (the default's old name): syscalls_traced false" \
		test "$(jq .syscalls_traced "$dir/sched.json")" = false
else
	not_ok "--no-syscalls: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi

# --- Timeline and stacks on the acceptance command.
dir=$TMPD/gil
if trace "$dir" --timeline --kernel-stacks -- "$DEMOS/02_cpu_bound" --variant threads-gil --quick --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	compare_threads "$dir/sched.json" "$dir/demo.json" "02 threads-gil with --timeline --kernel-stacks"
	check "timeline.json: one named track per thread, state slices" test "$(jq '
		([.traceEvents[] | select(.ph == "M" and .name == "thread_name")] | length) as $m
		| ([.traceEvents[] | select(.ph == "X")] | length) as $x
		| ([.traceEvents[] | select(.ph == "X") | .name] | unique) as $n
		| $m >= 3 and $x > 100 and ($n | index("running")) != null and ($n | index("lock")) != null' \
		"$dir/timeline.json")" = true
	# Every switch between two traced threads is one ring-buffer record
	# for both sides (EV_SWITCH): split back, each thread's slices per state
	# sum to sched.json's figure (to the ns per slice the printing rounds).
	# As for offcpu.folded below, a wakeup the kernel's tracepoint did not
	# show is repaired in sched.json alone: its wait moves from the blocked
	# state to runnable, so runnable may be more there by exactly what the
	# blocked states are less, when lost.wakeup_missed says it happened.
	off=$(jq -n --slurpfile s "$dir/sched.json" --slurpfile t "$dir/timeline.json" -r '
		($t[0].traceEvents | map(select(.ph == "X")) | group_by([.tid, .name])
		 | map({key: "\(.[0].tid)/\(.[0].name)", value: {us: (map(.dur) | add), n: length}}) | from_entries) as $tl
		| ($s[0].lost.wakeup_missed // 0) as $missed
		| [$s[0].threads[] | . as $th
		   | [["running", "runnable", "lock", "sleep", "io", "disk", "other"][] | . as $st
		      | ($tl["\($th.tid)/\($st)"] // {us: 0, n: 0}) as $x
		      | {st: $st, d: ($th[$st + "_ns"] - $x.us * 1000), n: $x.n, want: $th[$st + "_ns"], got: ($x.us * 1000 | floor)}] as $rows
		   | ([$rows[] | .n] | add + 7) as $slack
		   | ([$rows[] | select(.st != "running" and .st != "runnable") | .d] | add) as $blocked
		   | ($rows | map(select(.st == "runnable")) | .[0].d) as $moved
		   | select(($missed > 0 and $moved > 0 and ($rows[0].d | fabs) <= $slack
		             and ($moved + $blocked | fabs) <= $slack) | not)
		   | $rows[] | select((.d | fabs) > .n + 1)
		   | "\($th.comm)/\($th.tid) \(.st): sched.json \(.want) ns, timeline \(.got) ns"]
		| join("; ")')
	check "timeline.json: each thread's slices per state sum to sched.json's states${off:+ ($off)}" test -z "$off"
	# offcpu.folded carries each off-CPU interval under its state, as it was
	# emitted: per state it sums to sched.json's figure (microseconds, one
	# rounding per line). A wakeup the kernel's tracepoint did not show
	# (lost.wakeup_missed) is repaired in sched.json alone, at the thread's
	# next switch-out: its run-queue wait moves from the blocked state to
	# runnable (docs/collector.md). Then runnable differs by exactly what the
	# blocked states differ by the other way. Both are the run's own figures:
	# no allowance for a busy host is needed.
	folded_us() { awk -v s="[$1]" '{ n = split($1, f, ";"); if (f[n] == s) t += $2 } END { print t + 0 }' "$dir/offcpu.folded"; }
	sched_us() { jq "[.threads[].${1}_ns] | add / 1000 | floor" "$dir/sched.json"; }
	lines=$(wc -l <"$dir/offcpu.folded")
	missed=$(jq '.lost.wakeup_missed' "$dir/sched.json")
	moved=$(($(sched_us runnable) - $(folded_us runnable)))
	for st in lock runnable; do
		folded=$(folded_us $st) want=$(sched_us $st)
		if [ "$missed" -eq 0 ]; then
			check "offcpu.folded [$st] sums to sched.json ${st}_ns ($folded vs $want us)" near "$folded" "$want" 0 "$lines"
		elif [ $st = runnable ]; then
			check "offcpu.folded [$st] + the wait of $missed missed wakeups = sched.json ${st}_ns ($folded + $moved vs $want us)" \
				ge "$moved" "-$lines"
		fi
	done
	if [ "$missed" -gt 0 ]; then
		blocked=0
		for st in lock sleep io disk other; do blocked=$((blocked + $(folded_us $st) - $(sched_us $st))); done
		check "offcpu.folded: the $moved us of $missed missed wakeups moved from blocked to runnable in sched.json alone ($blocked us)" \
			near "$blocked" "$moved" 0 $((2 * lines))
	fi
	check "offcpu.folded: workers blocked in the futex wait, symbolized" \
		grep -qE '^worker-[0-9]+;.*futex_wait.*;\[lock\] [0-9]+$' "$dir/offcpu.folded"
	check "offcpu.folded: user frames symbolized (worker_thread)" grep -q ';worker_thread;' "$dir/offcpu.folded"
	check "02 threads-gil: lock_ns is the largest blocked state of every worker" test "$(jq '
		[.threads[] | select(.comm | test("^worker")) | .lock_ns > ([.sleep_ns, .io_ns, .disk_ns, .other_ns] | max) and .lock_ns > 0]
		| length > 0 and all' "$dir/sched.json")" = true
	check "02 threads-gil: every worker's top waker counted within its wakeups" test "$(jq '
		[.threads[] | select(.comm | test("^worker")) | .top_waker.count as $c | $c >= 1 and $c <= .wakeups]
		| length > 0 and all' "$dir/sched.json")" = true
	check "02 threads-gil: futex waits recorded on the demo's lock addresses" test "$(jq -n \
		--slurpfile s "$dir/sched.json" --slurpfile d "$dir/demo.json" '
		[$d[0].locks[]?.addr] as $a | [$s[0].futex[] | select(.addr as $x | $a | index($x))] | length > 0')" = true
else
	not_ok "02 threads-gil --timeline --kernel-stacks: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi
# --stacks alone walks the user stack only: the program's frames, then the
# state; no kernel frame (the dearer walk, --kernel-stacks).
dir=$TMPD/ustacks
if trace "$dir" --stacks -- "$DEMOS/02_cpu_bound" --variant threads-gil --quick --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	if grep -qE '^worker-[0-9]+;.*;worker_thread;.*;\[lock\] [0-9]+$' "$dir/offcpu.folded"; then
		ok "--stacks: workers' user frames, then the state ([lock])"
	else
		not_ok "--stacks: workers' user frames, then the state ([lock])"
		echo "#   the workers' stacks ($(grep -c '' "$dir/offcpu.folded") lines in all):"
		grep -E '^worker-' "$dir/offcpu.folded" | sort -t' ' -k2 -rn | head -n 5 | cut -c1-300 | sed 's/^/#   /'
	fi
	check "--stacks: no kernel frame without --kernel-stacks" \
		bash -c "! grep -qE ';(__schedule|schedule|entry_SYSCALL_64[a-z_]*|do_syscall_64|\[kernel stack lost\]);' '$dir/offcpu.folded'"
else
	not_ok "--stacks: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi

# --- What the demos must show.
dir=$TMPD/loop
if trace "$dir" -- "$DEMOS/03_event_loop" --variant blocking --tasks 10 --wait 0.05 --json "$dir/demo.json" >/dev/null 2>"$TMPD/err"; then
	check "03 blocking: the loop thread's sleep_ns = tasks x wait (0.5 s)" \
		near "$(jq '[.threads[] | select(.comm == "loop") | .sleep_ns] | add' "$dir/sched.json")" 500000000 0.05 20000000
else
	not_ok "03 blocking: schedtrace failed: $(head -c 300 "$TMPD/err")"
fi

# --- Total switches against perf stat on the same run: the command is held
# at collectors/wrappers/gate until perf stat counts it (as scripts/trace does). Every
# wait is bounded: a command that cannot start never writes its pid.
dir=$TMPD/perf
mkdir -p "$dir" && chown "$RUN_UID:$RUN_GID" "$dir"
mkfifo -m 666 "$dir/pid.fifo" "$dir/go.fifo"
trace "$dir" -- "$GATE" "$dir/pid.fifo" "$dir/go.fifo" -- \
	"$DEMOS/02_cpu_bound" --variant threads-gil --quick --json "$dir/demo.json" >/dev/null 2>"$TMPD/err" &
st_pid=$!
if fifo_line gpid "$dir/pid.fifo" 30 $st_pid; then
	"$TOP/collectors/wrappers/perf-stat" -p "$gpid" -o "$dir/perf-stat.json" --ready "$dir/ready" 2>>"$TMPD/err" &
	ps_pid=$!
	# perf stat answers within a second on a quiet host; with a second copy
	# of the suite beside this one (perf trace and perf sched record in it),
	# once not within 15 s, and the gate was released before perf counted.
	wait_for 60 test -s "$dir/ready"
	# (opened read-write: the write never waits for a reader that is gone)
	exec {go}<>"$dir/go.fifo" && echo go >&"$go" && exec {go}>&-
	wait_job $st_pid 120
	kill -USR1 $ps_pid 2>/dev/null
	wait_job $ps_pid 30
else
	wait_job $st_pid 5
	echo "#   the gate wrote no pid in 30 s (collector exit $?): $(head -c 300 "$TMPD/err")"
fi
# perf's counters came on at the gate, after the release: the switches the
# gate made before (perf-stat.json before_enable, less sched.json's before)
# were seen by eBPF alone, as in the report's check.
if [ -s "$dir/perf-stat.json" ]; then
	perf_cs=$(jq '.events["context-switches"].value' "$dir/perf-stat.json")
	pre=$(jq -n --slurpfile p "$dir/perf-stat.json" --slurpfile s "$dir/sched.json" '
		($p[0].before_enable // {nvcsw: 0, nivcsw: 0}) as $e | ($s[0].before // {}) as $b
		| ($e.nvcsw + $e.nivcsw) - (if $b.tid == $s[0].pid then $b.nvcsw + $b.nivcsw else 0 end)
		| if . < 0 then 0 else . end')
	# perf stat's inherited counters stop counting a thread when its exit
	# begins: its switches after that (exit_switches) are ours alone.
	ours=$(jq '[.threads[] | .nvcsw + .nivcsw - (.exit_switches // 0)] | add' "$dir/sched.json")
	check "total switches within 2% of perf stat context-switches ($ours - $pre before perf counted vs $perf_cs)" \
		near "$((ours - pre))" "$perf_cs" 0.02 2
else
	not_ok "perf stat beside the collector: no perf-stat.json ($(cat "$dir/ready" 2>/dev/null); $(head -c 300 "$TMPD/err"))"
fi

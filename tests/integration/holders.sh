#!/usr/bin/env bash
# Who held the lock, on programs nobody here wrote (issue 19): Debian's xz
# with two workers on small blocks, whose coder mutex the three threads
# contend for, and node with its thread pool. The collector reads each
# mutex's owner at the wait (docs/collector.md, "Who held the lock"): the
# holders must be other threads of the process, ones that did release the
# lock, and no word waited on as a condition variable may get one. The
# report says the chain, names C++ symbols demangled and a condition
# variable's signal word as such, never a bare mangled name.
. "$(dirname "$0")/../lib.sh"
need_root holders
TRACE=$TOP/scripts/trace
export BUILD
scratch
chmod 755 "$SCRATCH"

# debian_program CMD PACKAGE: CMD on PATH, installed from Debian when missing.
debian_program() {
	command -v "$1" >/dev/null && return 0
	if command -v apt-get >/dev/null; then
		timeout 600 apt-get install -y -qq --no-install-recommends "$2" >"$SCRATCH/apt-$2.log" 2>&1
	fi
	command -v "$1" >/dev/null && return 0
	if [ "${CI:-}" = true ]; then
		not_ok "$1: could not install Debian's $2 (see $SCRATCH/apt-$2.log)"
	else
		skip "$1" "not installed, and apt-get install $2 failed"
	fi
	return 1
}

# trace_cmd NAME [--cpus N --] CMD...: traced by scripts/trace; S, REPORT set.
trace_cmd() {
	local name=$1 out=$SCRATCH/$1
	shift
	local opts=()
	# "--cpus N --" before CMD: scripts/trace's own pinning.
	if [ "$1" = --cpus ]; then
		opts=(--cpus "$2")
		shift 3
	fi
	timeout -k 10 600 "$TRACE" --no-perf "${opts[@]}" --out "$out" -- "$@" >"$out.log" 2>&1
	check "trace ${opts[*]} -- $*: exit 0" test $? -eq 0
	S=$out/command/latest/command/sched.json
	REPORT=$out/command/latest/report.md
	[ -s "$REPORT" ] && [ -s "$S" ] || {
		tail -5 "$out.log" | sed 's/^/#   /'
		return 1
	}
}
jqe() { jq -e "$@" >/dev/null; }

# The words each waited on with one futex op only ("FUTEX_WAIT": a mutex's
# lll_lock_wait; "FUTEX_WAIT_BITSET": glibc's condition variables).
WORDS_BY_OP='def words_by($op): [.wakes[] | select(.wait.futex != null)] | group_by(.wait.futex)
	| map(select(all(.wait.futex_op == $op))) | map(.[0].wait.futex);'

# The demos: 02's model GIL, a mutex and a condition variable the two
# workers pass between them (demo.json locks names both).
out=$SCRATCH/gil
timeout -k 10 600 "$TRACE" 02 --quick --no-perf --variants threads-gil --out "$out" >"$out.log" 2>&1
check "trace 02 --variants threads-gil: exit 0" test $? -eq 0
S=$(ls "$out"/02_cpu_bound/latest/*/sched.json 2>/dev/null | head -1)
D=${S%/sched.json}/demo.json
REPORT=$out/02_cpu_bound/latest/report.md
if [ -s "$S" ] && [ -s "$D" ]; then
	gm=$(jq -r '.locks[] | select(.name == "GIL mutex") | .addr' "$D")
	gc=$(jq -r '[.locks[] | select(.name == "GIL cond") | .addr] | join(" ")' "$D")
	check "02: the GIL mutex's holders are worker threads, never the waiter" \
		jqe --arg a "$gm" '[.futex[] | select(.addr == $a) | .holders[]] | all(.owner.comm | test("^worker-")) and all(.owner.tid != .waiter.tid)' "$S"
	check "02: no holder on the GIL's condition variable (its holder is who signals it)" \
		jqe --arg c "$gc" '($c | split(" ")) as $cs | [.futex[] | select(.addr as $a | $cs | index($a)) | .holders[]] | length == 0' "$S"
	check "02: the Why names the GIL's holders, the workers that signalled its waits" \
		grep -qE "waited [0-9.]+ [mµ]?s on the GIL \(GIL cond, [0-9]+ waits\): the GIL's holder signals it as it drops the GIL, .* worker-[12] for [0-9]+ of them" "$REPORT"
else
	tail -5 "$out.log" | sed 's/^/#   /'
fi

# tenure (tests/workloads/tenure.c): the holder computes holding the
# mutex, unlocks (waking the first waiter, who then sleeps holding it) and
# sleeps; the second waiter sleeps on through both. What the holder did is
# measured until its release: computing, never the sleep after it.
if trace_cmd tenure "$BUILD/tests/workloads/tenure" 300; then
	# The waits on m whose owner at the start was the holder, ended by the
	# other waiter: the lock passed on while they slept.
	PASSED='. as $d | [.futex[] | .addr as $a | .holders[] | select(.owner.comm == "holder") | . as $h
		| select([$d.wakes[] | select(.wait.futex == $a and .wakee.tid == $h.waiter.tid) | .waker]
			 | length == 1 and (.[0].comm | startswith("waiter-")) and .[0].tid != $h.waiter.tid)]'
	check "tenure: a waiter found the holder holding m and was woken by the other waiter" \
		jqe "$PASSED"' | length == 1' "$S"
	check "tenure: the holder held m for part of that wait only (it released it first)" \
		jqe "$PASSED"' | all(.held_ns > 0 and .held_ns < 0.8 * .blocked_ns and .owner_unknown == 0)' "$S"
	check "tenure: the holder's states cover its tenure, and none is the sleep after it" \
		jqe "$PASSED"' | all(([.owner_ns[]] | add) as $t | $t > 0 and .owner_ns.sleep < 0.05 * $t
			and ($t - .held_ns | fabs) < 0.05 * .held_ns)' "$S" ||
		jq -c "$PASSED" "$S" | sed 's/^/#   saw: /'
	check "tenure: the Why says what the holder did while it held the lock, not its sleep" \
		bash -c 'l=$(grep -E "on the mutex m in tenure .*held by holder .*which, while it held the lock \([0-9.]+ [mµ]?s of those waits. [0-9.]+ [mµ]?s\), was " "$1") &&
			! grep -q sleeping <<<"$l"' _ "$REPORT"
fi

if debian_program xz xz-utils; then
	seq 1 300000 >"$SCRATCH/numbers.txt"
	chmod 644 "$SCRATCH/numbers.txt"
	chmod 777 "$SCRATCH"
	# Four coders on two CPUs (--cpus 2, on a host of any size): a worker is
	# often preempted holding the coder's mutex, so its waits reach the Why's
	# 1% of the threads' lives (3-8% here). xz -T2 on two CPUs left them near
	# 1% on a quiet host (0.95% in 5 of 6 runs), and the Why rightly omitted
	# them.
	if trace_cmd xz --cpus 2 -- xz -T4 -0 --block-size=16KiB -f -k "$SCRATCH/numbers.txt"; then
		pid=$(jq .pid "$S")
		# 16 KiB blocks: the workers and main take the coder's mutex hundreds of
		# times; on any host some of those find it held.
		check "xz: a contended mutex (waits in FUTEX_WAIT) with holders read" \
			jqe "$WORDS_BY_OP"'words_by("FUTEX_WAIT") as $m | [.futex[] | select(.addr as $a | $m | index($a)) | .holders[]] | length >= 1' "$S"
		check "xz: the mutex's holders cover at least half its waits" \
			jqe "$WORDS_BY_OP"'words_by("FUTEX_WAIT") as $m | [.futex[] | select((.addr as $a | $m | index($a)) and .count >= 5)]
			    | all(([.holders[].waits] | add // 0) >= 0.5 * .count)' "$S"
		check "xz: every holder is another xz thread" \
			jqe --argjson p "$pid" '[.threads[] | select(.pid == $p) | .tid] as $ts
			    | [.futex[].holders[]] | all(.owner.tid != .waiter.tid and (.owner.tid as $o | $ts | index($o) != null) and .owner.comm == "xz")' "$S"
		check "xz: each holder of a word is a thread that released it (it ended a wait on it)" \
			jqe '. as $d | [.futex[] | .addr as $a | .holders[] | .owner.tid as $o
			    | [$d.wakes[] | select(.wait.futex == $a and .waker.kind == "thread") | .waker.tid] | index($o) != null] | all' "$S"
		check "xz: no holder on a word waited on as a condition variable (FUTEX_WAIT_BITSET)" \
			jqe "$WORDS_BY_OP"'words_by("FUTEX_WAIT_BITSET") as $c | ($c | length) >= 1 and ([.futex[] | select(.addr as $a | $c | index($a)) | .holders[]] | length == 0)' "$S"
		check "xz: the Why names the mutex's holder and what it did" \
			grep -qE "waited [0-9.]+ [mµ]?s on the mutex in xz's heap at 0x[0-9a-f]+ \([0-9]+ waits?\), held by xz .* which, while it held the lock \([^)]*\), was ([a-z ]+ \([0-9]+%\), )*(running|waiting for a CPU) \([0-9]+%\)" "$REPORT" ||
			{ grep -E "mutex|Threads blocked longest" "$REPORT" | cut -c1-400 | sed 's/^/#   saw: /'
			  jq -r '([.threads[].lifetime_ns] | add) as $l | .futex[] | select(.holders != [])
			      | "#   mutex \(.addr): \(.count) waits, \(.total_ns) ns, \(100 * .total_ns / $l | floor)% of the lives"' "$S"; }
		check "xz: the Why names no holder for the condition variable's words" \
			grep -qE "which no wait read as a held mutex, so no holder is named: xz .* signalled" "$REPORT"
		check "xz: main's condition variable is one lock of two signal words, said once" \
			grep -qE "^- xz main waited [0-9.]+ [mµ]?s on the condition variable whose two signal words are in xz's heap at 0x[0-9a-f]+ \([0-9]+ waits\)" "$REPORT"
	fi
fi

if debian_program node nodejs; then
	cat >"$SCRATCH/pool.js" <<'JS'
// Eight jobs for the libuv pool, then the loop blocked by a synchronous one.
const crypto = require('crypto');
for (let i = 0; i < 8; i++)
  crypto.pbkdf2('secret', 'salt' + i, 20000, 64, 'sha512', () => {});
crypto.pbkdf2Sync('secret', 'salt', 60000, 64, 'sha512');
JS
	chmod 644 "$SCRATCH/pool.js"
	if trace_cmd node node "$SCRATCH/pool.js"; then
		check "node: a C++ symbol names a word (the collector keeps it mangled)" \
			jqe '[.futex[] | select(.symbol != null and (.symbol | startswith("_Z")))] | length >= 1' "$S"
		check "node: the report demangles it (no _Z name anywhere on the page)" \
			bash -c '! grep -q "_ZN" "$1" && grep -q "::" "$1"' _ "$REPORT"
		check "node: no holder on a word waited on as a condition variable or semaphore" \
			jqe "$WORDS_BY_OP"'words_by("FUTEX_WAIT_BITSET") as $c | ($c | length) >= 1 and ([.futex[] | select(.addr as $a | $c | index($a)) | .holders[]] | length == 0)' "$S"
		# A glibc condition variable's futex words are its __g_signals, at +40 and +44.
		if jqe '[.futex[] | select(.symbol != null and (.symbol_offset == 40 or .symbol_offset == 44) and .holders == [])] | length >= 1' "$S"; then
			check "node: a condition variable's signal word is named as one" \
				grep -qE "the condition variable [^ ]+ \(its signal word at \+4[04]\)" "$REPORT"
		fi
	fi
fi

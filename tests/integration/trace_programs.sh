#!/usr/bin/env bash
# suite-timeout: 900
# Programs nobody here wrote, under scripts/trace -- CMD (issue 19): each
# report tells every thread apart (no two rows of its thread table share a
# label), says the shape the program has (which thread fed which, the event
# loop, the pipeline, the process tree, loopback, the disk) with its
# figures, and leaves out the shapes it does not have. The programs come
# from Debian, installed here when missing (scripts/setup lists them); each
# run is short. PROGRAMS="xz node" runs only those.
. "$(dirname "$0")/../lib.sh"
need_root "trace programs nobody here wrote"
TRACE=$TOP/scripts/trace
FIX=$TOP/tests/fixtures/programs
export BUILD
scratch
chmod 755 "$SCRATCH"
PROGRAMS=${PROGRAMS:-xz make node java http sqlite pipeline}

# need CMD PACKAGE: install PACKAGE from Debian when CMD is missing.
need() {
	command -v "$1" >/dev/null && return 0
	echo "# installing $2 for $1"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" \
		>"$SCRATCH/apt-$2.log" 2>&1 || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "$2") >>"$SCRATCH/apt-$2.log" 2>&1; }
	command -v "$1" >/dev/null && return 0
	not_ok "$1: apt-get install $2 failed: $(tail -1 "$SCRATCH/apt-$2.log")"
	return 1
}

# run NAME CMD...: trace CMD; REPORT is its report.md.
run() {
	local name=$1 out=$SCRATCH/$1
	shift
	"$TRACE" --no-perf --out "$out" -- "$@" >"$out.log" 2>&1
	check "$name: trace -- $*: exit 0" test $? -eq 0
	REPORT=$out/command/latest/report.md
	SCHED=$out/command/latest/command/sched.json
	[ -s "$REPORT" ] || { tail -5 "$out.log" | sed 's/^/#   /'; return 1; }
}

# The Why section of REPORT, its lines joined.
why() { sed -n '/^## Why/,/^## Timelines/p' "$REPORT"; }

claim() { check "$1: says \"$2\"" grep -qF -- "$2" <(why); }
claim_re() { check "$1: says /$2/" grep -qE -- "$2" <(why); }
no_claim() { check "$1: does not say \"$2\"" bash -c "! grep -qF -- \"\$1\" \"\$2\"" _ "$2" <(why); }

# In every per-thread table (states; the collector's checks), each row has a
# label no other row of that table has.
labels_apart() {
	local dups
	dups=$(awk -F' [|] ' '/^\| thread \| tid \|/ { t = 1; n++; next } t && /^\|---/ { next }
		t && /^\|/ { sub(/^\| /, "", $1); print n, $1; next } { t = 0 }' "$REPORT" |
		sort | uniq -d | cut -d' ' -f2-)
	check "$1: no two threads share a label${dups:+ (shared: $(paste -sd, <<<"$dups"))}" \
		test -z "$dups"
	check "$1: the thread table has rows" grep -q '^| thread | tid |' "$REPORT"
}

# jq -e, quiet: a check on sched.json.
jq_e() { jq -e "$@" >/dev/null; }

want() { [[ " $PROGRAMS " == *" $1 "* ]]; }

# A compressor with two workers: main feeds them blocks and collects them.
if want xz && need xz xz-utils; then
	head -c 3000000 /dev/urandom | od -An -tx1 >"$SCRATCH/xz.in"
	if run xz xz -T2 -1 --block-size=262144 -k -f "$SCRATCH/xz.in"; then
		labels_apart xz
		claim_re xz 'Shape: a pool of 2 threads \(xz worker 1 \(tid [0-9]+\), xz worker 2 \(tid [0-9]+\)\) fed by xz main: it ended [0-9]+ of their'
		claim xz "xz main collected from the pool"
		claim_re xz 'What bounded the run: (one thread|computing|the CPUs)'
		no_claim xz "event loop"
		no_claim xz "pipeline"
		no_claim xz "waiting on the disk"
	fi
fi

# make -j2 on a small C project: a tree of processes.
if want make && need make make && need gcc gcc; then
	mkdir -p "$SCRATCH/proj"
	for i in 1 2 3 4 5 6; do
		printf 'int f%d(int x) { return x * %d; }\n' "$i" "$i" >"$SCRATCH/proj/f$i.c"
	done
	printf 'int main(void) { return 0; }\n' >"$SCRATCH/proj/main.c"
	printf 'OBJS := $(patsubst %%.c,%%.o,$(wildcard *.c))\nprog: $(OBJS)\n\t$(CC) -o $@ $^\n' \
		>"$SCRATCH/proj/Makefile"
	if run make make -j2 -C "$SCRATCH/proj"; then
		labels_apart make
		claim_re make 'Shape: a tree of [0-9]+ processes \(≥ 4\), as a build or a script starts them; the longest-lived child was [a-z0-9]+'
		no_claim make "Shape: a pool"
		no_claim make "Shape: make is an event loop"
	fi
fi

# node: its pool of four threads fed by the loop, then the loop blocked.
if want node && need node nodejs; then
	cp "$FIX/node_pool.js" "$SCRATCH/" && chmod 644 "$SCRATCH/node_pool.js"
	if run node node "$SCRATCH/node_pool.js"; then
		labels_apart node
		claim_re node 'Shape: node main is an event loop with a thread pool beside it: [0-9]+ of its [0-9]+ waits were in epoll.{0,2}p?wait'
		claim_re node 'Shape: a pool of [0-9]+ threads \(node worker 1 \(tid [0-9]+\)'
		claim_re node 'fed by node main'
		claim node "The loop was kept from its events: node main ran"
		# Its pools are one box each in the wake graph, which stays on the page
		# (more than 8 boxes fold behind the table: report_wakes.c).
		check "node: a pool is one node of the wake graph" \
			grep -qE '^\| node worker [0-9]+-[0-9]+ \([0-9]+ threads\) \|' "$REPORT"
		check "node: the wake graph is on the page, not folded behind the table" \
			bash -c 'grep -q "^!\[Who woke whom in command" "$1" && ! grep -q "who woke whom, as a graph" "$1"' _ "$REPORT"
		no_claim node "pipeline"
	fi
fi

# A JVM: four threads contending for one monitor, then four that each take
# a monitor of their own (no contention: no monitor wait may be claimed).
if want java && need javac default-jdk-headless; then
	mkdir -p "$SCRATCH/java" && cp "$FIX/Contended.java" "$FIX/Uncontended.java" "$SCRATCH/java/"
	if javac -d "$SCRATCH/java" "$SCRATCH/java/Contended.java" "$SCRATCH/java/Uncontended.java" \
		2>"$SCRATCH/javac.log"; then
		chmod -R a+rX "$SCRATCH/java"
		if run java java -XX:+UseSerialGC -cp "$SCRATCH/java" Contended; then
			labels_apart java
			# the launcher's thread and the JVM's main thread are both "java"
			claim java "java main"
			for n in 0 1 2 3; do
				check "java: Thread-$n has a row of its own" grep -q "^| Thread-$n |" "$REPORT"
			done
			check "java: the monitor probes attached to libjvm.so" \
				jq_e '.jvm.monitor_probes and (.jvm.jvms[0].owner_read)' "$SCHED"
			# the holder read from the JVM at the waits, and what it did meanwhile;
			# HotSpot allocates a monitor on the C heap or in an anonymous
			# mapping, named either way (1 run in 4 here: the heap)
			monitor_re='Thread-[0-3](, Thread-[0-3])*( and [0-9]+ others?| and Thread-[0-3])? waited [0-9.]+ [mµ]?s to enter the Java monitor (at 0x[0-9a-f]+ in process [0-9]+|in java.s heap at 0x[0-9a-f]+) \(a synchronized block or method, [0-9]+ waits?\), held by Thread-[0-3] as [0-9]+ of them began \(read from the monitor.s owner in the JVM at each wait.*\), which, while it held the lock \(.*\), was (.*running|.*waiting for a CPU)'
			claim_re java "$monitor_re" ||
				{ why | grep -E "Java monitor|held by" | head -3; jq -c '.jvm' "$SCHED"; } |
				cut -c1-600 | sed 's/^/#   saw: /'
			no_claim java "Shape: a pool of 4 threads (Thread-0"
			no_claim java "Shape: a pool of 6 threads (VM Thread"
			# the JVM's threads told apart: the thread JNI_CreateJavaVM
			# returned in runs main(); HotSpot's own by the names it gives
			claim_re java 'Shape: a JVM \(process [0-9]+\): the program.s threads \(java main\(\) \(tid [0-9]+\), Thread-[0-3], Thread-[0-3] and 2 others\) ran [0-9.]+ [mµ]?s; the JVM.s own: JIT compilers \((C[12] CompilerThre(, )?)+\) ran'
			claim_re java 'the VM thread \(VM Thread\) ran'
			no_claim java "CompilerThre) fed by"
			no_claim java "CompilerThre, C1 CompilerThre) in process"
			no_claim java "java worker"
			no_claim java "Reference Handl waited"
			no_claim java "event loop"
			no_claim java "pipeline"
		fi
		# the JVM found in a shell's command line too
		if run java-sh sh -c "cd '$SCRATCH/java' && java -XX:+UseSerialGC Contended"; then
			# found through the shell: its monitor named with its holder; what
			# was read, printed on a miss
			claim_re java-sh 'waited [0-9.]+ [mµ]?s to enter the Java monitor (at 0x[0-9a-f]+ in process [0-9]+|in java.s heap at 0x[0-9a-f]+) \(a synchronized block or method, [0-9]+ waits?\), held by Thread-[0-3]' ||
				{ grep -o "[^.]*Java monitor[^.]*" "$REPORT" | head -3; jq -c '.jvm' "$SCHED"; } | cut -c1-400 | sed 's/^/#   saw: /'
			claim_re java-sh 'Shape: a JVM \(process [0-9]+\)'
		fi
		if run java-uncontended java -XX:+UseSerialGC -cp "$SCRATCH/java" Uncontended; then
			check "java-uncontended: the monitor probes attached to libjvm.so" \
				jq_e '.jvm.monitor_probes and (.jvm.jvms[0].owner_read)' "$SCHED"
			check "java-uncontended: no monitor wait recorded" \
				jq_e '[.futex[] | select(.java_monitor)] | length == 0' "$SCHED"
			no_claim java-uncontended "Java monitor"
			claim_re java-uncontended 'Shape: a JVM \(process [0-9]+\): the program.s threads \(java main\(\)'
			no_claim java-uncontended "Shape: a pool of 4 threads (Thread-0"
		fi
	else
		not_ok "java: javac: $(head -1 "$SCRATCH/javac.log")"
	fi
fi

# python3's http.server answering a client over loopback.
if want http && need python3 python3 && need curl curl; then
	port=$((20000 + RANDOM % 20000))
	if run http sh -c "/usr/bin/python3 -m http.server $port --bind 127.0.0.1 --directory '$FIX' >/dev/null 2>&1 & s=\$!
		for i in \$(seq 50); do curl -s -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.1; done
		for i in \$(seq 20); do curl -s -o /dev/null http://127.0.0.1:$port/node_pool.js; done
		kill \$s; wait \$s"; then
		labels_apart http
		claim_re http 'Shape: python3 .* is an event loop: [0-9]+ of its [0-9]+ waits were in (poll|epoll.{0,2}wait|select)'
		# The pair named by its TCP ends (sock:inet_sock_set_state, no --syscalls):
		# python3 listened on the port, the curl processes connected to it.
		check "http: the collector saw python3 listen on the port and curl connect to it" \
			jq -e --argjson port "$port" '([.threads[] | select(.tid == .pid) | {key: (.pid | tostring), value: .comm}] | from_entries) as $c
			    | ([.tcp[] | select(.port == $port and .listens >= 1) | $c[.pid | tostring]] == ["python3"])
			      and ([.tcp[] | select(.port == $port and .established >= 1) | $c[.pid | tostring]] | length >= 20 and all(. == "curl"))' "$SCHED"
		claim_re http "Shape: a client and a server over TCP, both ends traced here \\(loopback\\): python3 \\(process [0-9]+\\) listened on port $port, to which [0-9]+ curl processes made [0-9]+ connection attempts, [0-9]+ established; the network ended [0-9]+ waits of the server's threads and [0-9]+ of the clients'"
		no_claim http "Shape: a pool"
		no_claim http "waiting on the disk"
	fi
fi

# sqlite3 committing each insert: every commit waits for the disk (fsync).
if want sqlite && need sqlite3 sqlite3; then
	db=/var/tmp/schedlab-sqlite-$$.db
	rm -f "$db"
	sql=$SCRATCH/commits.sql
	{
		echo 'PRAGMA synchronous=FULL; CREATE TABLE t(x);'
		for i in $(seq 60); do echo "INSERT INTO t VALUES($i);"; done
	} >"$sql"
	if run sqlite sh -c "sqlite3 '$db' <'$sql'"; then
		labels_apart sqlite
		claim_re sqlite 'Shape: a writer waiting on the disk: sqlite3 waited .* for it in write and sync calls \(f(data)?sync the longest\), [0-9]+% of its life outside run queues'
		no_claim sqlite "Shape: a pool"
		no_claim sqlite "event loop"
	fi
	rm -f "$db" "$db-journal"
fi

# A shell pipeline of three processes: each reads what the one before wrote.
if want pipeline; then
	if run pipeline sh -c 'seq 1 400000 | gzip -1 | wc -c >/dev/null'; then
		labels_apart pipeline
		claim_re pipeline 'Shape: a pipeline of processes, each reading what another wrote .*seq → gzip \([0-9]+ waits ended between them\)'
		claim_re pipeline 'gzip → wc \([0-9]+ waits ended between them\)'
		no_claim pipeline "a client and a server"
		no_claim pipeline "Shape: a pool"
		no_claim pipeline "waiting on the disk"
	fi
fi

#!/usr/bin/env bash
# A first run says what it does (issue 12): scripts/setup turns apt's status
# lines into "package n of N" progress, scripts/build counts the files it
# builds, and neither needs root for that.
. "$(dirname "$0")/../lib.sh"
scratch

# apt-get's status descriptor (APT::Status-Fd), as recorded on Debian 12.
cat >"$SCRATCH/status" <<'APT'
dlstatus:1:0.0000:Retrieving file 1 of 2
dlstatus:2:48.6544:Retrieving file 2 of 2
dlstatus:2:100.0000:Retrieving file 2 of 2
debconf: delaying package configuration, since apt-utils is not installed
pmstatus:dpkg-exec:0.0000:Running dpkg
pmstatus:jq:0.0000:Preparing jq (amd64)
pmstatus:jq:11.1111:Unpacking jq (amd64)
pmstatus:libjq1:33.3333:Unpacking libjq1 (amd64)
pmstatus:libjq1:55.5556:Configuring libjq1 (amd64)
pmstatus:jq:77.7778:Configuring jq (amd64)
pmerror:/var/cache/apt/archives/x.deb:90.0000:trying to overwrite '/usr/bin/x'
APT
# The function alone, from the script (it runs apt only when asked to install).
eval "$(sed -n '/^apt_progress()/,/^}/p' "$TOP/scripts/setup")"
out=$(apt_progress 2 <"$SCRATCH/status" 2>"$SCRATCH/err")
check "setup progress: the download said, to 100%" grep -qx 'setup: downloading: 100% (file 2 of 2)' <<<"$out"
check "setup progress: the last package unpacked, n of N" grep -qx 'setup: unpacking package 2 of 2: libjq1' <<<"$out"
check "setup progress: the last package set up, n of N" grep -qx 'setup: setting up package 2 of 2: jq' <<<"$out"
check "setup progress: apt's own chatter dropped" bash -c "! grep -q -e debconf -e dpkg-exec <<<'$out'"
check "setup progress: an error passes through to stderr" grep -q "setup: /var/cache/apt/archives/x.deb: trying to overwrite" "$SCRATCH/err"

# scripts/build: the count first, then one numbered line per file.
out=$("$TOP/scripts/build" BUILD="$SCRATCH/b" "$SCRATCH/b/obj/demos/common/cli.o" "$SCRATCH/b/obj/demos/common/stats.o" 2>&1)
check "build: says how many files it will build" grep -qx "build: 2 files to build (make BUILD=$SCRATCH/b .*)" <<<"$out"
check "build: numbers each file, n of N" grep -qx "build: \[2/2\] $SCRATCH/b/obj/demos/common/[a-z]*.o" <<<"$out"
check "build: the files are built" test -s "$SCRATCH/b/obj/demos/common/cli.o" -a -s "$SCRATCH/b/obj/demos/common/stats.o"
out=$("$TOP/scripts/build" BUILD="$SCRATCH/b" "$SCRATCH/b/obj/demos/common/cli.o" 2>&1)
check "build: nothing to do is said so" grep -q "build: nothing to build, everything is up to date" <<<"$out"
out=$("$TOP/scripts/build" BUILD="$SCRATCH/b" no-such-target 2>&1)
check "build: make's failure is its exit status" test $? -ne 0

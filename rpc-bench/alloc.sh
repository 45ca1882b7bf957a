#!/usr/bin/env bash
# Bytes the server allocates per request (issue #9: per session.get at most 1 KB). Agent-free and
# without a profiler in the measured path: HotSpot counts every thread's allocated bytes
# (com.sun.management.ThreadMXBean#getThreadAllocatedBytes) and `jcmd <pid> Thread.print -e`
# prints them as allocated=<n>[B|K|M|G]. The script warms the server up, reads the counters,
# sends exactly REQUESTS requests (closed loop, CONNECTIONS x PIPELINE), reads them again and
# divides the difference by the requests answered. The measured part includes opening its
# CONNECTIONS WebSockets and their setup (one session.create each), a few bytes per request at
# the defaults. Threads that end between the two readings drop out of the sum (none do in these
# servers); jcmd prints whole K below 10 MiB and whole M below 10 GiB, so at most ~2 MiB of
# rounding, a few bytes per request at the default count.
#
#   rpc-bench/alloc.sh                 -> ALLOC rpc-server session.get bytes/request=<n> event-loop=<m>
# Settings (environment): SERVERS="rpc-server" (Java servers only: echo, rpc-server,
#   rpc-server-info; one line each) REQUESTS=500000 WARMUP_REQUESTS=300000 CONNECTIONS=64
#   PIPELINE=16 SERVER_CPU=0 LOAD_CPU=1 SKIP_BUILD=1 JAVA_OPTS OUT=dir
set -euo pipefail
cd "$(dirname "$0")/.."
source rpc-bench/lib.sh

SERVERS=${SERVERS:-rpc-server}
REQUESTS=${REQUESTS:-500000}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-300000}
CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-16}
OUT=${OUT:-rpc-bench/target/alloc-$(date -u +%Y%m%dT%H%M%SZ)}

build_all none
mkdir -p "$OUT"
machine_lines
echo "load:    closed loop ${CONNECTIONS} x ${PIPELINE}, ${WARMUP_REQUESTS} requests to warm up, then ${REQUESTS} measured; server: ${PIN_SERVER[*]:-not pinned}"
echo
trap stop_server EXIT

# allocated PID FILE: saves the thread dump; prints "<event-loop bytes> <all threads bytes>"
allocated() {
  jcmd "$1" Thread.print -e > "$2"
  awk '
    /^"/ && match($0, / allocated=[0-9]+[BKMG]/) {
      v = substr($0, RSTART + 11, RLENGTH - 11); unit = substr(v, length(v)); n = substr(v, 1, length(v) - 1)
      bytes = n * (unit == "K" ? 1024 : unit == "M" ? 1048576 : unit == "G" ? 1073741824 : 1)
      if (unit == "G") print "alloc.sh: a thread counter is in whole GiB, too coarse: lower WARMUP_REQUESTS/REQUESTS" > "/dev/stderr"
      all += bytes
      if ($0 ~ /EventLoop/) loop += bytes
    }
    END { printf "%.0f %.0f\n", loop, all }' "$2"
}

for name in $SERVERS; do
  [[ $name == peer || $name == go ]] && { log "$name is not a Java server: skipped"; continue; }
  start_server "$name" "$OUT/$name.log"
  LOAD=("${PIN_LOAD[@]}" java -jar $BENCH load --url "ws://127.0.0.1:$SERVER_PORT/rpc" --method "$SERVER_METHOD"
        --connections "$CONNECTIONS" --pipeline "$PIPELINE" --warmup 0s --duration 600s --label "$name" --json)
  log "$name ($SERVER_METHOD): warming up with $WARMUP_REQUESTS requests"
  "${LOAD[@]}" --requests "$WARMUP_REQUESTS" > "$OUT/$name-warmup.json"
  read -r loop0 all0 < <(allocated "$SERVER_PID" "$OUT/$name-before.txt")
  log "$name ($SERVER_METHOD): measuring $REQUESTS requests"
  "${LOAD[@]}" --requests "$REQUESTS" > "$OUT/$name.json"
  read -r loop1 all1 < <(allocated "$SERVER_PID" "$OUT/$name-after.txt")
  stop_server
  ok=$(grep -Eo '"total_ok":[0-9]+' "$OUT/$name.json" | grep -Eo '[0-9]+$')
  failures=$(grep -Eo '"total_failures":[0-9]+' "$OUT/$name.json" | grep -Eo '[0-9]+$')
  [[ $failures == 0 ]] || log "$name: $failures requests failed (see $OUT/$name.json)"
  awk -v name="$name" -v m="$SERVER_METHOD" -v ok="$ok" -v l0="$loop0" -v l1="$loop1" -v a0="$all0" -v a1="$all1" 'BEGIN {
    printf "%s %s: %d answered; event-loop threads allocated %.1f MiB, all Java threads %.1f MiB\n", name, m, ok, (l1 - l0) / 1048576, (a1 - a0) / 1048576
    printf "ALLOC %s %s bytes/request=%.0f event-loop=%.0f\n", name, m, (a1 - a0) / ok, (l1 - l0) / ok }'
done

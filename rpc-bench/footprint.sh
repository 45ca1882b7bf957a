#!/usr/bin/env bash
# Memory footprint of rpc-server, from the JVM's own numbers after a full GC (jcmd GC.run, then
# GC.heap_info): heap used with N idle WebSockets held open, or with N stored sessions, minus the
# heap used before, divided by N. Raw jcmd output is printed next to the result.
#
#   rpc-bench/footprint.sh connections [N=10000]
#   rpc-bench/footprint.sh sessions    [N=1000000]
# Environment: SKIP_BUILD=1 to use the jars as they are; JAVA_OPTS for the server.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?usage: footprint.sh connections|sessions [N]}
BENCH=rpc-bench/target/rpc-bench.jar
SERVER=rpc-server/target/rpc-server.jar
JAVA_OPTS=${JAVA_OPTS:-}
OUT=${OUT:-rpc-bench/target/footprint-$MODE-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f $BENCH || ! -f $SERVER ]]; then
  ./mvnw -B -q -pl rpc-server,rpc-bench -am package -DskipTests >&2
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

heap_info() { # pid file: full GC, then the JVM's heap numbers into file (and on screen)
  jcmd "$1" GC.run > /dev/null
  sleep 1
  jcmd "$1" GC.heap_info > "$2"
  cat "$2"
}
used_kib() { # file -> KiB of heap used
  grep -Eo 'used [0-9]+K' "$1" | head -1 | grep -Eo '[0-9]+'
}

PORT=$(java -jar $BENCH free-port)
case $MODE in
  connections)
    N=${2:-10000}
    java $JAVA_OPTS -jar $SERVER --host 127.0.0.1 --port "$PORT" --io-threads 1 --max-connections $((N + 1000)) \
      --max-connections-per-address $((N + 1000)) > "$OUT/server.log" 2>&1 &
    ;;
  sessions)
    N=${2:-1000000}
    java $JAVA_OPTS -jar $SERVER --host 127.0.0.1 --port "$PORT" --io-threads 1 --create-limit $((N + 1000)) \
      --max-sessions $((N + 1000)) > "$OUT/server.log" 2>&1 &
    ;;
  *) echo "unknown mode $MODE" >&2; exit 2 ;;
esac
SERVER_PID=$!
HOLDER_PID=
cleanup() {
  [[ -n "$HOLDER_PID" ]] && kill "$HOLDER_PID" 2>/dev/null || true
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT
java -jar $BENCH wait-port --port "$PORT" --timeout 30s

echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/{print $2}') memory; $(java -version 2>&1 | head -1)"
echo "server:  java $JAVA_OPTS -jar $SERVER --io-threads 1 (pid $SERVER_PID)"
echo
echo "-- heap before (jcmd GC.run; jcmd GC.heap_info)"
heap_info "$SERVER_PID" "$OUT/heap-before.txt"
BEFORE=$(used_kib "$OUT/heap-before.txt")

case $MODE in
  connections)
    java -jar $BENCH idle --url "ws://127.0.0.1:$PORT/rpc" --connections "$N" --hold 600s > "$OUT/idle.log" 2>&1 &
    HOLDER_PID=$!
    for _ in $(seq 1 240); do
      grep -q READY "$OUT/idle.log" && break
      sleep 0.5
    done
    echo
    echo "-- holder: $(grep READY "$OUT/idle.log" || echo 'not READY')"
    ;;
  sessions)
    echo
    echo "-- creating $N sessions: rpc-bench load --method session.create --requests $N -c 16 -p 32"
    java -jar $BENCH load --url "ws://127.0.0.1:$PORT/rpc" --method session.create --requests "$N" \
      --connections 16 --pipeline 32 --warmup 0 --duration 900s --server-pid "$SERVER_PID"
    ;;
esac
sleep 2
echo
echo "-- heap after (jcmd GC.run; jcmd GC.heap_info)"
heap_info "$SERVER_PID" "$OUT/heap-after.txt"
AFTER=$(used_kib "$OUT/heap-after.txt")
echo
echo "-- largest classes (jcmd GC.class_histogram, top 12)"
jcmd "$SERVER_PID" GC.class_histogram | sed -n '1,15p'
echo
awk -v b="$BEFORE" -v a="$AFTER" -v n="$N" -v m="$MODE" 'BEGIN {
  printf "RESULT %s: %d held; heap used %d KiB before, %d KiB after; %.0f bytes (%.2f KiB) per %s; %.1f MiB in all\n",
    m, n, b, a, (a - b) * 1024 / n, (a - b) / n, (m == "connections" ? "connection" : "session"), (a - b) / 1024 }'

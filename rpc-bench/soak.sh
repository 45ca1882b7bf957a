#!/usr/bin/env bash
# The soak: one rpc-server on its default limits and -Xmx512m, 10,000 WebSockets from
# `rpc-bench soak` (64 loopback source addresses, mixed traffic, reconnects, 8 clients that never
# read) for SOAK_MINUTES minutes. Once a minute the server is sampled from outside: heap used
# after a full GC (jcmd GC.run, then that collection's line in the GC log), RSS (/proc/PID/status), CPU time
# (/proc/PID/stat). Prints the samples, the largest deviation of heap-after-GC from minute 2 on,
# p99 and the well-behaved clients' error count, and exits non-zero unless all of these hold:
# no error of a well-behaved client, heap after GC within 10 % from minute 2 to the end, the
# server still alive. The server is stopped at the end, also on failure.
#
#   rpc-bench/soak.sh                               # 10,000 sockets, 10 minutes
#   SOAK_MINUTES=2 rpc-bench/soak.sh --connections 2000
# Any arguments go to `rpc-bench soak` (see: java -jar rpc-bench/target/rpc-bench.jar soak --help).
# Environment: SOAK_MINUTES=10, SKIP_BUILD=1 (use the jars as they are), MVN_FLAGS (e.g. -o),
#   SERVER_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError", CLIENT_OPTS, OUT=dir for logs and samples.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=rpc-bench/target/rpc-bench.jar
SERVER=rpc-server/target/rpc-server.jar
SOAK_MINUTES=${SOAK_MINUTES:-10}
SERVER_OPTS=${SERVER_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
CLIENT_OPTS=${CLIENT_OPTS:-}
OUT=${OUT:-rpc-bench/target/soak-$(date -u +%Y%m%dT%H%M%SZ)}
WANT_FILES=65536
mkdir -p "$OUT"

log() { echo "soak.sh: $*" >&2; }

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f $BENCH || ! -f $SERVER ]]; then
  log "building rpc-server and rpc-bench"
  ./mvnw -B -q ${MVN_FLAGS:-} -pl rpc-server,rpc-bench -am package -DskipTests >&2
fi

# both processes hold one descriptor per socket; a container may cap the hard limit below 65536
ulimit -n "$WANT_FILES" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < WANT_FILES )); then
  log "ulimit -n is $(ulimit -n) (hard limit $(ulimit -Hn)), not $WANT_FILES: enough for 10,000 sockets per process, no more"
fi

SERVER_PID=
SOAK_PID=
TAIL_PID=
cleanup() {
  [[ -n "$TAIL_PID" ]] && kill "$TAIL_PID" 2>/dev/null || true
  [[ -n "$SOAK_PID" ]] && kill "$SOAK_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(java -jar $BENCH free-port)
# default limits: only where to listen and a GC log are given
# shellcheck disable=SC2086
java $SERVER_OPTS -Xlog:gc:file="$OUT/server-gc.log" -jar $SERVER --host 127.0.0.1 --port "$PORT" \
  > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
java -jar $BENCH wait-port --port "$PORT" --timeout 30s

CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$CLK_TCK" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
heap_after_gc_kib() { # full GC, then what it left, from the GC log's line for that very collection
  # (GC.heap_info read afterwards also counts what traffic allocated in between: +/- 15 % noise)
  jcmd "$1" GC.run > /dev/null
  grep 'Pause Full (Diagnostic Command)' "$OUT/server-gc.log" | tail -1 | sed -E 's/.*->([0-9]+)M\(.*/\1/' \
    | awk '{ print $1 * 1024 }'
}

# traffic runs 20 s past the last sample, so that the minute-N sample is taken under load
DURATION=$((SOAK_MINUTES * 60 + 20))
SOAK_CMD=(java $CLIENT_OPTS -jar $BENCH soak --url "ws://127.0.0.1:$PORT/rpc" --duration "${DURATION}s" "$@")
{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), $(free -h | awk '/^Mem:/{print $2}') memory, ulimit -n $(ulimit -n)"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "git:     $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git log -1 --format=%s 2>/dev/null || true)"
  echo "server:  java $SERVER_OPTS -jar $SERVER --host 127.0.0.1 --port $PORT (pid $SERVER_PID; default limits)"
  echo "soak:    ${SOAK_CMD[*]}"
  echo
} | tee "$OUT/header.txt"

"${SOAK_CMD[@]}" > "$OUT/soak.log" 2>&1 &
SOAK_PID=$!
tail -n +1 -f --pid="$SOAK_PID" "$OUT/soak.log" &
TAIL_PID=$!

for _ in $(seq 1 600); do
  grep -q '^READY' "$OUT/soak.log" 2>/dev/null && break
  kill -0 "$SOAK_PID" 2>/dev/null || break
  sleep 0.5
done
if ! grep -q '^READY' "$OUT/soak.log"; then
  log "the soak never got ready (see $OUT/soak.log)"
  exit 1
fi

SAMPLES=$OUT/samples.tsv
printf 'minute\theap_after_gc_kib\trss_kib\tcpu_s\n' > "$SAMPLES"
START=$(date +%s)
SERVER_DIED=
for minute in $(seq 0 "$SOAK_MINUTES"); do
  target=$((START + minute * 60))
  while (( $(date +%s) < target )); do sleep 1; done
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    SERVER_DIED="before minute $minute"
    log "the server is gone ($SERVER_DIED)"
    break
  fi
  cpu=$(cpu_seconds "$SERVER_PID")
  rss=$(rss_kib "$SERVER_PID")
  heap=$(heap_after_gc_kib "$SERVER_PID" || echo NA)
  printf '%d\t%s\t%s\t%s\n' "$minute" "$heap" "$rss" "$cpu" >> "$SAMPLES"
  printf 'soak.sh: minute %2d: server heap after full GC %s KiB, RSS %s KiB, CPU %s s\n' "$minute" "$heap" "$rss" "$cpu" >&2
done

SOAK_RC=0
wait "$SOAK_PID" || SOAK_RC=$?
SOAK_PID=
wait "$TAIL_PID" 2>/dev/null || true
TAIL_PID=
if [[ -z "$SERVER_DIED" ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
  SERVER_DIED="after the last sample"
fi

echo
echo "== soak report ($OUT) =="
cat "$OUT/header.txt"
awk -F'\t' 'NR > 1 {
    cpu = ($4 - prev) / 60 * 100
    printf "minute %2d   heap after full GC %8.1f MiB   RSS %8.1f MiB   server CPU %8.1f s", $1, $2 / 1024, $3 / 1024, $4
    if (NR > 2) printf "   (%3.0f %% of one core over the minute)", cpu
    printf "\n"
    prev = $4
  }' "$SAMPLES"
HEAP_VERDICT=$(awk -F'\t' 'NR > 1 && $1 >= 2 && $2 != "NA" {
    n++; if (min == "" || $2 < min) min = $2; if (max == "" || $2 > max) max = $2
  }
  END {
    if (n < 2) { print "NA heap after GC: fewer than two samples from minute 2 on, no verdict"; exit }
    d = (max - min) / min * 100
    printf "%s heap after GC, minutes 2..end (%d samples): min %.1f MiB, max %.1f MiB, max deviation %.1f %% of the minimum (limit 10 %%)\n",
      (d <= 10 ? "PASS" : "FAIL"), n, min / 1024, max / 1024, d
  }' "$SAMPLES")
echo "$HEAP_VERDICT"
RESULT=$(grep '^RESULT' "$OUT/soak.log" || echo "RESULT missing (the soak did not finish; exit code $SOAK_RC)")
echo "$RESULT"
echo "p99 (all requests, ms): $(grep -Eo ' p99_ms=[0-9.]+' <<< "$RESULT" | cut -d= -f2 || echo NA)   well-behaved errors: $(grep -Eo ' errors=[0-9]+' <<< "$RESULT" | cut -d= -f2 || echo NA)"
if [[ -n "$SERVER_DIED" ]]; then
  echo "SERVER DIED ($SERVER_DIED); last lines of its log:"
  tail -5 "$OUT/server.log"
else
  echo "server alive at the end"
fi

[[ $SOAK_RC == 0 && -z "$SERVER_DIED" && $HEAP_VERDICT != FAIL* ]]

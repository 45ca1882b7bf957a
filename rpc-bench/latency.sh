#!/usr/bin/env bash
# Latency at fixed offered rates, open loop (issue #9): each server in turn gets the same fixed
# schedule of requests over 64 connections, and each request's latency counts from the time it
# was due, not from when the generator got round to sending it (no coordinated omission). Prints
# p50, p99 and p99.9 per server and rate, our p99 over the echo's per rate, and ends with:
#   LATENCY p99 rpc-server/echo: 20000=<x.xx> 50000=<y.yy>
#
# Settings (environment): RATES="20000 50000" CONNECTIONS=64 PIPELINE=16 (most in flight per
#   socket; later requests wait, their latency still counting) WARMUP=5s DURATION=20s ROUNDS=1
#   SERVERS="echo rpc-server peer go" SERVER_CPU=0 LOAD_CPU=1 SKIP_BUILD=1 JAVA_OPTS OUT=dir
# A server that cannot keep up with a rate shows it as unsent/timed-out requests ("fails") and
# as latencies that grow with the run's length: those rows say "fell behind", not a latency.
set -euo pipefail
cd "$(dirname "$0")/.."
source rpc-bench/lib.sh

RATES=${RATES:-20000 50000}
CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-16}
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-1}
SERVERS=${SERVERS:-echo rpc-server peer go}
OUT=${OUT:-rpc-bench/target/latency-$(date -u +%Y%m%dT%H%M%SZ)}

build_all $SERVERS
mkdir -p "$OUT"
RESULTS=$OUT/latency.jsonl
: > "$RESULTS"
[[ ${#PIN_SERVER[@]} -eq 0 ]] && log "taskset or a second core is missing: server and generator are not pinned"

machine_lines
echo "load:    open loop at ${RATES// /, } req/s over ${CONNECTIONS} connections (at most ${PIPELINE} in flight each), warm-up ${WARMUP}, measured ${DURATION}, ${ROUNDS} round(s); server: ${PIN_SERVER[*]:-not pinned}, generator: ${PIN_LOAD[*]:-not pinned}"
echo
trap stop_server EXIT

for rate in $RATES; do
  for round in $(seq 1 "$ROUNDS"); do
    for name in $SERVERS; do
      start_server "$name" "$OUT/$name-$rate-$round.log"
      log "$rate req/s, round $round: $name ($SERVER_METHOD) on port $SERVER_PORT"
      "${PIN_LOAD[@]}" java -jar $BENCH load --url "ws://127.0.0.1:$SERVER_PORT/rpc" --method "$SERVER_METHOD" \
        --connections "$CONNECTIONS" --pipeline "$PIPELINE" --rate "$rate" --warmup "$WARMUP" --duration "$DURATION" \
        --server-pid "$SERVER_PID" --label "$name" --json >> "$RESULTS"
      stop_server
    done
  done
done

echo "raw results: $RESULTS"
java -jar $BENCH latency-report "$RESULTS"

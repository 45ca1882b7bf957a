#!/usr/bin/env bash
# The side-by-side run of issues #5 and #9: the same load against the raw Netty echo ceiling,
# rpc-server, the Node peer (rpc-websockets) and the Go peer (gorilla/websocket, GOMAXPROCS=1),
# one server at a time on a free loopback port, server and generator pinned to different cores
# when taskset is there. Prints one table and ends with exactly one line:
#   RATIO session.get/echo=<x.xx> session.get/peer=<y.yy> session.get/go=<z.zz>
# (a server left out of SERVERS gives 0.00 in its place)
#
# Settings (environment): CONNECTIONS=64 PIPELINE=16 WARMUP=5s DURATION=10s ROUNDS=3
#   SERVER_CPU=0 LOAD_CPU=1  SKIP_BUILD=1 (use the jars as they are)  JFR=1 (profile rpc-server)
#   JAVA_OPTS (for the two Java servers)  OUT=dir for raw results and server logs
#   OURS_METHOD=session.get (another method of rpc-server, e.g. help.get_server_information)
#   SERVERS="echo rpc-server peer go" (add rpc-server-info for rpc-server under help.get_server_information)
# The Go peer is built on first use (apt-get install golang-go golang-github-gorilla-websocket-dev
# when missing, then go test + go build offline against Debian's GOPATH).
# The servers take turns (echo, rpc-server, peer, go, echo, ...) and the median round per server
# counts, so that one disturbed round on a shared machine does not decide. The table also shows
# each server's CPU time in the window and requests per server CPU-second, which other load on
# the machine disturbs far less than requests per second.
set -euo pipefail
cd "$(dirname "$0")/.."
source rpc-bench/lib.sh

CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-16}
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
SERVERS=${SERVERS:-echo rpc-server peer go}
OUT=${OUT:-rpc-bench/target/run-$(date -u +%Y%m%dT%H%M%SZ)}

build_all $SERVERS
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
[[ ${#PIN_SERVER[@]} -eq 0 ]] && log "taskset or a second core is missing: server and generator are not pinned"

machine_lines
echo "load:    ${CONNECTIONS} connections x ${PIPELINE} in flight, warm-up ${WARMUP}, measured ${DURATION}, ${ROUNDS} round(s); server: ${PIN_SERVER[*]:-not pinned}, generator: ${PIN_LOAD[*]:-not pinned}"
echo
trap stop_server EXIT

for round in $(seq 1 "$ROUNDS"); do
  for name in $SERVERS; do
    jfr=
    [[ "${JFR:-0}" == 1 && $name == rpc-server ]] && jfr=$OUT/rpc-server-$round.jfr
    [[ "${JFR:-0}" == 1 && $name == rpc-server-info ]] && jfr=$OUT/rpc-server-info-$round.jfr
    start_server "$name" "$OUT/$name-$round.log" "$jfr"
    log "round $round: $name ($SERVER_METHOD) on port $SERVER_PORT"
    "${PIN_LOAD[@]}" java -jar $BENCH load --url "ws://127.0.0.1:$SERVER_PORT/rpc" --method "$SERVER_METHOD" \
      --connections "$CONNECTIONS" --pipeline "$PIPELINE" --warmup "$WARMUP" --duration "$DURATION" \
      --server-pid "$SERVER_PID" --label "$name" --json >> "$RESULTS"
    stop_server "$jfr"
  done
done

echo "raw results: $RESULTS"
java -jar $BENCH report "$RESULTS"

#!/usr/bin/env bash
# The side-by-side run of issue #5: the same load against the raw Netty echo ceiling, rpc-server
# and the Node peer (rpc-websockets), one server at a time on a free loopback port, server and
# generator pinned to different cores when taskset is there. Prints one table and ends with
# exactly one line:  RATIO session.get/echo=<x.xx> session.get/peer=<y.yy>
#
# Settings (environment): CONNECTIONS=64 PIPELINE=16 WARMUP=5s DURATION=10s ROUNDS=3
#   SERVER_CPU=0 LOAD_CPU=1  SKIP_BUILD=1 (use the jars as they are)  JFR=1 (record rpc-server)
#   JAVA_OPTS (for the two Java servers)  OUT=dir for raw results and server logs
#   OURS_METHOD=session.get (another method of rpc-server, e.g. help.get_server_information, to try the harness)
# With several rounds the servers take turns (echo, rpc-server, peer, echo, ...) and the median
# round per server counts, so that one disturbed round on a shared machine does not decide.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-16}
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
JAVA_OPTS=${JAVA_OPTS:-}
OUT=${OUT:-rpc-bench/target/run-$(date -u +%Y%m%dT%H%M%SZ)}
BENCH=rpc-bench/target/rpc-bench.jar
SERVER=rpc-server/target/rpc-server.jar
PEER=rpc-bench/peer

log() { echo "run.sh: $*" >&2; }

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f $BENCH || ! -f $SERVER ]]; then
  log "building rpc-server and rpc-bench"
  ./mvnw -B -q -pl rpc-server,rpc-bench -am package -DskipTests >&2
fi
if [[ "${SKIP_BUILD:-0}" != 1 || ! -d $PEER/node_modules/rpc-websockets ]]; then
  log "installing the peer (npm ci)"
  (cd $PEER && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

PIN_SERVER=()
PIN_LOAD=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  PIN_SERVER=(taskset -c "$SERVER_CPU")
  PIN_LOAD=(taskset -c "$LOAD_CPU")
else
  log "taskset or a second core is missing: server and generator are not pinned"
fi

echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), $(free -h | awk '/^Mem:/{print $2}') memory"
echo "java:    $(java -version 2>&1 | head -1); node $(node --version); rpc-websockets $(node -p "require('./$PEER/node_modules/rpc-websockets/package.json').version")"
echo "load:    ${CONNECTIONS} connections x ${PIPELINE} in flight, warm-up ${WARMUP}, measured ${DURATION}, ${ROUNDS} round(s); server on cpu ${PIN_SERVER[*]:-any}, generator on cpu ${PIN_LOAD[*]:-any}"
echo

SERVER_PID=
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap stop_server EXIT

run_one() { # name round
  local name=$1 round=$2 port method jfr=()
  port=$(java -jar $BENCH free-port)
  case $name in
    echo)
      method=echo
      "${PIN_SERVER[@]}" java $JAVA_OPTS -jar $BENCH echo-server --host 127.0.0.1 --port "$port" --io-threads 1 \
        > "$OUT/$name-$round.log" 2>&1 &
      ;;
    rpc-server)
      method=${OURS_METHOD:-session.get}
      [[ "${JFR:-0}" == 1 ]] && jfr=("-XX:StartFlightRecording=filename=$OUT/rpc-server-$round.jfr,settings=profile")
      "${PIN_SERVER[@]}" java $JAVA_OPTS "${jfr[@]}" -jar $SERVER --host 127.0.0.1 --port "$port" --io-threads 1 \
        --create-limit 1000000 > "$OUT/$name-$round.log" 2>&1 &
      ;;
    peer)
      method=session.get
      "${PIN_SERVER[@]}" node $PEER/server.js --host 127.0.0.1 --port "$port" --create-limit 1000000 \
        > "$OUT/$name-$round.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  java -jar $BENCH wait-port --port "$port" --timeout 30s
  log "round $round: $name ($method) on port $port"
  "${PIN_LOAD[@]}" java -jar $BENCH load --url "ws://127.0.0.1:$port/rpc" --method "$method" \
    --connections "$CONNECTIONS" --pipeline "$PIPELINE" --warmup "$WARMUP" --duration "$DURATION" \
    --server-pid "$SERVER_PID" --label "$name" --json >> "$RESULTS"
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  for name in echo rpc-server peer; do
    run_one "$name" "$round"
  done
done

echo "raw results: $RESULTS"
java -jar $BENCH report "$RESULTS"

#!/usr/bin/env bash
# Latency at half of the peak (open loop): measures the server's peak with the closed-loop load
# of run.sh, then offers half of that rate on a fixed schedule and reports the latency measured
# from each request's intended send time (no coordinated omission).
#
#   rpc-bench/halfpeak.sh [rpc-server|peer|echo]     (default rpc-server)
# Environment: CONNECTIONS=64 PIPELINE=16 PEAK_DURATION=10s DURATION=30s SKIP_BUILD=1
#   RATE=<req/s to skip the peak run>  FRACTIONS="0.5" (several, e.g. "0.5 0.25", run one after the other)
set -euo pipefail
cd "$(dirname "$0")/.."
source rpc-bench/lib.sh

TARGET=${1:-rpc-server}
CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-16}
PEAK_DURATION=${PEAK_DURATION:-10s}
DURATION=${DURATION:-30s}
OUT=${OUT:-rpc-bench/target/halfpeak-$TARGET-$(date -u +%Y%m%dT%H%M%SZ)}
build_all
mkdir -p "$OUT"
machine_lines
trap stop_server EXIT
start_server "$TARGET" "$OUT/server.log"
echo "server:  $TARGET ($SERVER_METHOD) ${PIN_SERVER[*]:-not pinned}; generator ${PIN_LOAD[*]:-not pinned}"
LOAD=("${PIN_LOAD[@]}" java -jar $BENCH load --url "ws://127.0.0.1:$SERVER_PORT/rpc" --method "$SERVER_METHOD"
      --connections "$CONNECTIONS" --pipeline "$PIPELINE" --server-pid "$SERVER_PID")
if [[ -z "${RATE:-}" ]]; then
  echo
  echo "-- peak: closed loop, ${CONNECTIONS} x ${PIPELINE}, warm-up 5s, ${PEAK_DURATION}"
  "${LOAD[@]}" --warmup 5s --duration "$PEAK_DURATION" --label "$TARGET" --json > "$OUT/peak.json"
  "${LOAD[@]:0:${#PIN_LOAD[@]}}" java -jar $BENCH report "$OUT/peak.json" | sed -n '1,3p'
  PEAK=$(grep -Eo '"rps":[0-9.]+' "$OUT/peak.json" | grep -Eo '[0-9.]+$')
fi
for fraction in ${FRACTIONS:-0.5}; do
  rate=${RATE:-$(awk -v p="$PEAK" -v f="$fraction" 'BEGIN { printf "%d", p * f }')}
  echo
  echo "-- open loop at ${rate} req/s (${fraction} of the peak), warm-up 5s, ${DURATION}"
  echo "   command: rpc-bench.jar load --url ws://127.0.0.1:PORT/rpc --method $SERVER_METHOD --connections $CONNECTIONS --pipeline $PIPELINE --rate $rate --warmup 5s --duration $DURATION --server-pid PID"
  "${LOAD[@]}" --rate "$rate" --warmup 5s --duration "$DURATION"
  [[ -n "${RATE:-}" ]] && break
done

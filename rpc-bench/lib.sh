# Shared by run.sh and halfpeak.sh: build, pinning, and starting one of the three servers.
# Source it from the repository root.
BENCH=rpc-bench/target/rpc-bench.jar
SERVER=rpc-server/target/rpc-server.jar
PEER=rpc-bench/peer
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
JAVA_OPTS=${JAVA_OPTS:-}

log() { echo "$(basename "$0"): $*" >&2; }

build_all() {
  if [[ "${SKIP_BUILD:-0}" != 1 || ! -f $BENCH || ! -f $SERVER ]]; then
    log "building rpc-server and rpc-bench"
    ./mvnw -B -q -pl rpc-server,rpc-bench -am package -DskipTests >&2
  fi
  if [[ "${SKIP_BUILD:-0}" != 1 || ! -d $PEER/node_modules/rpc-websockets ]]; then
    log "installing the peer (npm ci)"
    (cd $PEER && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

PIN_SERVER=()
PIN_LOAD=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  PIN_SERVER=(taskset -c "$SERVER_CPU")
  PIN_LOAD=(taskset -c "$LOAD_CPU")
fi

machine_lines() {
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), $(free -h | awk '/^Mem:/{print $2}') memory"
  echo "java:    $(java -version 2>&1 | head -1); node $(node --version); rpc-websockets $(node -p "require('./$PEER/node_modules/rpc-websockets/package.json').version")"
}

SERVER_PID=
SERVER_PORT=
SERVER_METHOD=
# start_server NAME LOGFILE [JFRFILE]: echo | rpc-server | peer | rpc-server-info (rpc-server loaded
# with help.get_server_information: no params, a constant result, the floor of our RPC path);
# sets SERVER_PID, SERVER_PORT, SERVER_METHOD
start_server() {
  local name=$1 logfile=$2 jfr=()
  SERVER_PORT=$(java -jar $BENCH free-port)
  case $name in
    echo)
      SERVER_METHOD=echo
      "${PIN_SERVER[@]}" java $JAVA_OPTS -jar $BENCH echo-server --host 127.0.0.1 --port "$SERVER_PORT" --io-threads 1 \
        > "$logfile" 2>&1 &
      ;;
    rpc-server|rpc-server-info)
      SERVER_METHOD=${OURS_METHOD:-session.get}
      [[ $name == rpc-server-info ]] && SERVER_METHOD=help.get_server_information
      [[ -n "${3:-}" ]] && jfr=("-XX:StartFlightRecording=name=bench,settings=profile")
      # the generator drives each of its connections far past the default 1,000 requests per second
      # (and all from one address): the per-connection rate limit is switched off for measurements
      "${PIN_SERVER[@]}" java $JAVA_OPTS "${jfr[@]}" -jar $SERVER --host 127.0.0.1 --port "$SERVER_PORT" --io-threads 1 \
        --create-limit 1000000 --max-requests-per-second 0 > "$logfile" 2>&1 &
      ;;
    peer)
      SERVER_METHOD=session.get
      "${PIN_SERVER[@]}" node $PEER/server.js --host 127.0.0.1 --port "$SERVER_PORT" --create-limit 1000000 \
        > "$logfile" 2>&1 &
      ;;
    *) log "unknown server $name"; return 2 ;;
  esac
  SERVER_PID=$!
  java -jar $BENCH wait-port --port "$SERVER_PORT" --timeout 30s
}

# stop_server [JFRFILE]: dumps the JFR recording first when asked, then SIGTERM and wait
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    [[ -n "${1:-}" ]] && jcmd "$SERVER_PID" JFR.dump name=bench filename="$1" > /dev/null 2>&1 || true
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

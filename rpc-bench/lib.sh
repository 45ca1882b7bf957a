# Shared by run.sh, latency.sh and alloc.sh: build, pinning, and starting one of the servers.
# Source it from the repository root.
BENCH=rpc-bench/target/rpc-bench.jar
SERVER=rpc-server/target/rpc-server.jar
PEER=rpc-bench/peer
GO_PEER_SRC=rpc-bench/peer-go
GO_PEER=rpc-bench/target/peer-go
# Debian's packages, built offline in GOPATH mode: no module download, no network
GOPATH_DEBIAN=/usr/share/gocode
GORILLA=$GOPATH_DEBIAN/src/github.com/gorilla/websocket
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
JAVA_OPTS=${JAVA_OPTS:-}

log() { echo "$(basename "$0"): $*" >&2; }

go_offline() {
  GO111MODULE=off GOPATH=$GOPATH_DEBIAN GOFLAGS= GOPROXY=off "$@"
}

# build_go_peer: installs Go and gorilla/websocket from Debian when missing (apt-get, as root),
# runs the peer's tests (PROTOCOL.md's challenge vectors) and builds it
build_go_peer() {
  if ! command -v go >/dev/null || [[ ! -d $GORILLA ]]; then
    log "installing golang-go and golang-github-gorilla-websocket-dev (apt-get)"
    [[ $(id -u) == 0 ]] || { log "not root: install golang-go golang-github-gorilla-websocket-dev first"; return 1; }
    apt-get install -y -q golang-go golang-github-gorilla-websocket-dev >&2
  fi
  log "testing and building the Go peer (go test, go build; GOPATH=$GOPATH_DEBIAN, offline)"
  mkdir -p "$(dirname $GO_PEER)"
  (cd $GO_PEER_SRC && go_offline go vet . && go_offline go test . && go_offline go build -o "$OLDPWD/$GO_PEER" .) >&2
}

# build_all [SERVER...]: the jars always; the Node and Go peers when named (all when none is)
build_all() {
  local wanted=" ${*:-peer go} "
  if [[ "${SKIP_BUILD:-0}" != 1 || ! -f $BENCH || ! -f $SERVER ]]; then
    log "building rpc-server and rpc-bench"
    ./mvnw -B -q -pl rpc-server,rpc-bench -am package -DskipTests >&2
  fi
  if [[ $wanted == *" peer "* ]] && [[ "${SKIP_BUILD:-0}" != 1 || ! -d $PEER/node_modules/rpc-websockets ]]; then
    log "installing the peer (npm ci)"
    (cd $PEER && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  if [[ $wanted == *" go "* ]] && [[ "${SKIP_BUILD:-0}" != 1 || ! -x $GO_PEER ]]; then
    build_go_peer
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
  echo "java:    $(java -version 2>&1 | head -1); node $(node --version 2>/dev/null || echo -); rpc-websockets $(node -p "require('./$PEER/node_modules/rpc-websockets/package.json').version" 2>/dev/null || echo -)"
  echo "go:      $(go version 2>/dev/null || echo -); gorilla/websocket $(dpkg-query -W -f '${Version}' golang-github-gorilla-websocket-dev 2>/dev/null || echo -) (Debian)"
}

SERVER_PID=
SERVER_PORT=
SERVER_METHOD=
# start_server NAME LOGFILE [JFRFILE]: echo | rpc-server | peer | go | rpc-server-info (rpc-server
# loaded with help.get_server_information: no params, a constant result, the floor of our RPC
# path); sets SERVER_PID, SERVER_PORT, SERVER_METHOD. Each server gets one core's worth: one
# event-loop thread for the Java servers, Node's one thread, GOMAXPROCS=1 for the Go peer.
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
    go)
      SERVER_METHOD=session.get
      GOMAXPROCS=1 "${PIN_SERVER[@]}" $GO_PEER --host 127.0.0.1 --port "$SERVER_PORT" --create-limit 1000000 \
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
